//! Heading-aware chunking, counted in the embedder's own word pieces. Each chunk is embedded
//! as "title › headings" plus its text, and that whole string must fit in what the
//! embedder reads (256 pieces for all-MiniLM-L6-v2, `[CLS]` and `[SEP]` included);
//! anything longer would be silently cut off by the model. Chunks never span two sections,
//! so a passage and its heading stay together; within a section, consecutive chunks share
//! `overlap` pieces' worth of trailing sentences.

use super::loader::{LoadedDoc, Section};

#[derive(Debug, Clone, Copy)]
pub struct ChunkSettings {
    /// Word pieces a chunk aims for (context line included).
    pub target_tokens: usize,
    /// The hard limit: what the embedder reads.
    pub max_tokens: usize,
    /// Word pieces of trailing text repeated at the start of the next chunk of a section.
    pub overlap_tokens: usize,
}

impl Default for ChunkSettings {
    fn default() -> Self {
        Self {
            target_tokens: 160,
            max_tokens: 256,
            overlap_tokens: 32,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub index: usize,
    pub headings: Vec<String>,
    pub page: Option<u32>,
    /// The passage itself (shown in snippets and citations).
    pub text: String,
    /// What is embedded: a context line (title and headings), then the passage.
    pub embed_text: String,
    /// Word pieces of `embed_text`, as the embedder counts them.
    pub tokens: usize,
    /// Character span of `text` in the document's [`plain_text`].
    pub char_start: usize,
    pub char_end: usize,
}

/// The document as one string: sections separated by blank lines. Chunk spans index it.
pub fn plain_text(doc: &LoadedDoc) -> String {
    doc.sections
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn context_line(title: &str, section: &Section) -> String {
    let mut parts = vec![title];
    parts.extend(
        section
            .headings
            .iter()
            .map(String::as_str)
            .filter(|h| *h != title),
    );
    parts.join(" › ")
}

type Span = std::ops::Range<usize>;

/// Byte ranges of the sentences of `text` (paragraph breaks end a sentence too).
fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let push = |from: usize, to: usize, out: &mut Vec<Span>| {
        let piece = &text[from..to];
        let trimmed_start = from + (piece.len() - piece.trim_start().len());
        let trimmed_end = to - (piece.len() - piece.trim_end().len());
        if trimmed_end > trimmed_start {
            out.push(trimmed_start..trimmed_end);
        }
    };
    for i in 0..bytes.len() {
        let sentence_end = matches!(bytes[i], b'.' | b'!' | b'?' | b';' | b':')
            && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace());
        let paragraph_end = bytes[i] == b'\n' && bytes.get(i + 1) == Some(&b'\n');
        if sentence_end {
            push(start, i + 1, &mut out);
            start = i + 1;
        } else if paragraph_end {
            push(start, i, &mut out);
            start = i;
        }
    }
    push(start, bytes.len(), &mut out);
    out
}

/// Splits a span that alone exceeds `budget` into word runs that fit.
fn split_words(text: &str, span: Span, budget: usize, count: &dyn Fn(&str) -> usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut current: Option<Span> = None;
    let mut offset = span.start;
    for word in text[span.clone()].split_inclusive(char::is_whitespace) {
        let trimmed = word.trim_end();
        let range = offset..offset + trimmed.len();
        offset += word.len();
        if trimmed.is_empty() {
            continue;
        }
        current = match current {
            None => Some(range),
            Some(run) if count(&text[run.start..range.end]) > budget => {
                out.push(run);
                Some(range)
            }
            Some(run) => Some(run.start..range.end),
        };
    }
    out.extend(current);
    out
}

/// Chunks a document. `count` gives the word pieces of a string as the embedder reads it
/// (special tokens included).
pub fn chunk(
    doc: &LoadedDoc,
    settings: ChunkSettings,
    count: &dyn Fn(&str) -> usize,
) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut section_start = 0usize;
    for section in &doc.sections {
        let text = section.text.as_str();
        let context = context_line(&doc.title, section);
        let embed = |passage: &str| format!("{context}\n{passage}");
        let context_tokens = count(&embed("")).min(settings.max_tokens / 2);
        let limit = settings.max_tokens.saturating_sub(context_tokens).max(16);

        let mut units: Vec<Span> = Vec::new();
        for span in sentences(text) {
            if count(&text[span.clone()]) > limit {
                units.extend(split_words(text, span, limit.saturating_sub(2), count));
            } else {
                units.push(span);
            }
        }

        let mut first = 0; // index of the chunk's first unit
        let mut last = 0; // one past its last unit
        while last < units.len() {
            let candidate = &text[units[first].start..units[last].end];
            let tokens = count(&embed(candidate));
            let fits = tokens <= settings.target_tokens.max(context_tokens + 16)
                && tokens <= settings.max_tokens;
            if last == first || fits {
                last += 1;
                continue;
            }
            emit(
                &mut chunks,
                section,
                section_start,
                &context,
                text,
                &units[first..last],
                count,
            );
            // Start the next chunk with trailing units of this one, up to the overlap, but
            // always move forward.
            let mut next = last;
            while next > first + 1 {
                let carried = &text[units[next - 1].start..units[last - 1].end];
                if count(carried) > settings.overlap_tokens + 2 {
                    break;
                }
                next -= 1;
            }
            first = next;
        }
        if first < units.len() {
            emit(
                &mut chunks,
                section,
                section_start,
                &context,
                text,
                &units[first..],
                count,
            );
        }
        section_start += text.chars().count() + 2;
    }
    chunks
}

fn emit(
    chunks: &mut Vec<Chunk>,
    section: &Section,
    section_start: usize,
    context: &str,
    text: &str,
    units: &[Span],
    count: &dyn Fn(&str) -> usize,
) {
    let (Some(first), Some(last)) = (units.first(), units.last()) else {
        return;
    };
    let passage = text[first.start..last.end].to_owned();
    let embed_text = format!("{context}\n{passage}");
    let char_start = section_start + text[..first.start].chars().count();
    let char_end = section_start + text[..last.end].chars().count();
    chunks.push(Chunk {
        index: chunks.len(),
        headings: section.headings.clone(),
        page: section.page,
        tokens: count(&embed_text),
        text: passage,
        embed_text,
        char_start,
        char_end,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::loader::SourceKind;

    fn words(text: &str) -> usize {
        // A stand-in counter: one piece per word, plus [CLS] and [SEP].
        text.split_whitespace().count() + 2
    }

    fn doc(sections: Vec<(Vec<&str>, String)>) -> LoadedDoc {
        LoadedDoc {
            title: "Guide".into(),
            kind: SourceKind::Markdown,
            sections: sections
                .into_iter()
                .map(|(h, text)| Section {
                    headings: h.into_iter().map(String::from).collect(),
                    page: None,
                    text,
                })
                .collect(),
        }
    }

    #[test]
    fn chunks_respect_the_limit_keep_headings_and_spans() {
        let long: String = (0..120)
            .map(|i| format!("Sentence number {i} explains a step."))
            .collect::<Vec<_>>()
            .join(" ");
        let d = doc(vec![
            (vec!["Setup"], "Short intro.".into()),
            (vec!["Setup", "Details"], long),
        ]);
        let settings = ChunkSettings {
            target_tokens: 60,
            max_tokens: 80,
            overlap_tokens: 10,
        };
        let chunks = chunk(&d, settings, &words);
        assert!(chunks.len() > 5);
        let plain = plain_text(&d);
        for (i, c) in chunks.iter().enumerate() {
            assert_eq!(c.index, i);
            assert!(c.tokens <= settings.max_tokens, "{} > max", c.tokens);
            assert!(c.embed_text.starts_with("Guide › Setup"));
            let span: String = plain
                .chars()
                .skip(c.char_start)
                .take(c.char_end - c.char_start)
                .collect();
            assert_eq!(span, c.text, "span of chunk {i}");
        }
        assert_eq!(chunks[0].text, "Short intro.");
        assert_eq!(chunks[1].headings, vec!["Setup", "Details"]);
        // Consecutive chunks of a section overlap.
        let tail = chunks[1].text.rsplit(". ").next().unwrap_or_default();
        assert!(chunks[2].text.contains(tail.trim_end_matches('.')));
    }

    #[test]
    fn a_run_on_sentence_is_split_by_words() {
        let run_on = vec!["word"; 500].join(" ");
        let chunks = chunk(
            &doc(vec![(vec![], run_on)]),
            ChunkSettings::default(),
            &words,
        );
        assert!(chunks.len() >= 2);
        assert!(chunks.iter().all(|c| c.tokens <= 256));
    }
}
