//! Heading-aware chunking, counted in the embedder's own word pieces. Each chunk is embedded
//! as "title › headings" plus its text, and that whole string must fit in what the
//! embedder reads (256 pieces for all-MiniLM-L6-v2, `[CLS]` and `[SEP]` included);
//! anything longer would be silently cut off by the model. Chunks never span two sections,
//! so a passage and its heading stay together; within a section, consecutive chunks share
//! `overlap` pieces' worth of trailing sentences.

use std::collections::HashMap;

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

/// Byte ranges of the sentences of `text` (paragraph breaks end a sentence too). A `;` or
/// `:` ends one as well, but only in a paragraph that `too_long` says cannot be kept whole:
/// a chunk may then end there, where a short paragraph (a table row, `Header: cell; …`)
/// stays in one piece.
fn sentences(text: &str, too_long: &dyn Fn(&str) -> bool) -> Vec<Span> {
    let mut out = Vec::new();
    let push = |from: usize, to: usize, out: &mut Vec<Span>| {
        let piece = &text[from..to];
        let trimmed_start = from + (piece.len() - piece.trim_start().len());
        let trimmed_end = to - (piece.len() - piece.trim_end().len());
        if trimmed_end > trimmed_start {
            out.push(trimmed_start..trimmed_end);
        }
    };
    let mut paragraph_start = 0;
    let breaks = text.match_indices("\n\n").map(|(i, _)| i);
    for paragraph_end in breaks.chain(std::iter::once(text.len())) {
        if paragraph_end < paragraph_start {
            continue; // a run of three or more line breaks
        }
        let paragraph = paragraph_start..paragraph_end;
        let clauses = too_long(&text[paragraph.clone()]);
        let bytes = text.as_bytes();
        let mut start = paragraph.start;
        for i in paragraph.clone() {
            let ends = match bytes[i] {
                b'.' | b'!' | b'?' => true,
                b';' | b':' => clauses,
                _ => false,
            };
            if ends && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()) {
                push(start, i + 1, &mut out);
                start = i + 1;
            }
        }
        push(start, paragraph.end, &mut out);
        paragraph_start = paragraph_end + 2;
    }
    out
}

/// Splits a span that alone exceeds `budget` into word runs that fit. The tokenizer splits
/// at white space before it looks up word pieces, so a run's pieces are the sum of its
/// words' (less the special pieces every count includes): counting each distinct word once
/// keeps a 15 MB run-on "sentence" linear, where counting the growing run took minutes.
fn split_words(text: &str, span: Span, budget: usize, count: &dyn Fn(&str) -> usize) -> Vec<Span> {
    let special = count("");
    let mut known: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::new();
    let mut current: Option<(Span, usize)> = None;
    let mut offset = span.start;
    for word in text[span.clone()].split_inclusive(char::is_whitespace) {
        let trimmed = word.trim_end();
        let range = offset..offset + trimmed.len();
        offset += word.len();
        if trimmed.is_empty() {
            continue;
        }
        let pieces = *known
            .entry(trimmed)
            .or_insert_with(|| count(trimmed).saturating_sub(special));
        current = match current {
            None => Some((range, special + pieces)),
            Some((run, used)) if used + pieces > budget => {
                out.push(run);
                Some((range, special + pieces))
            }
            Some((run, used)) => Some((run.start..range.end, used + pieces)),
        };
    }
    out.extend(current.map(|(run, _)| run));
    out
}

/// Character offsets of a section's chunks, from byte offsets that only move forward
/// (chunk starts, chunk ends): each lookup counts on from the previous one, so a section of
/// many chunks is walked once rather than once per chunk.
struct CharSpans<'a> {
    text: &'a str,
    /// Where the section starts in the document's [`plain_text`], in characters.
    base: usize,
    starts: (usize, usize),
    ends: (usize, usize),
}

impl<'a> CharSpans<'a> {
    fn new(text: &'a str, base: usize) -> Self {
        Self {
            text,
            base,
            starts: (0, 0),
            ends: (0, 0),
        }
    }

    fn of(&mut self, bytes: Span) -> (usize, usize) {
        let text = self.text;
        let advance = |(byte, chars): &mut (usize, usize), to: usize| {
            if to < *byte {
                (*byte, *chars) = (0, 0);
            }
            *chars += text[*byte..to].chars().count();
            *byte = to;
            *chars
        };
        (
            self.base + advance(&mut self.starts, bytes.start),
            self.base + advance(&mut self.ends, bytes.end),
        )
    }
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
        // Every word is at least one piece: a text of more words than the limit is over
        // it without tokenizing megabytes of run-on text in one go.
        let too_long =
            |text: &str| text.split_whitespace().nth(limit).is_some() || count(text) > limit;
        for span in sentences(text, &too_long) {
            let over = too_long(&text[span.clone()]);
            if over {
                units.extend(split_words(text, span, limit.saturating_sub(2), count));
            } else {
                units.push(span);
            }
        }

        // Units meet at white space, where the tokenizer splits first, so a candidate's
        // pieces are the context line's plus its units' (see `split_words`): each unit is
        // counted once, not once per candidate it joins.
        let special = count("");
        let frame = count(&embed(""));
        let mut before = Vec::with_capacity(units.len() + 1);
        let mut total = 0;
        before.push(total);
        for unit in &units {
            total += count(&text[unit.clone()]).saturating_sub(special);
            before.push(total);
        }
        let pieces = |from: usize, to: usize| before[to] - before[from];

        let mut spans = CharSpans::new(text, section_start);
        let mut first = 0; // index of the chunk's first unit
        let mut last = 0; // one past its last unit
        while last < units.len() {
            let tokens = frame + pieces(first, last + 1);
            let fits = tokens <= settings.target_tokens.max(context_tokens + 16)
                && tokens <= settings.max_tokens;
            if last == first || fits {
                last += 1;
                continue;
            }
            emit(
                &mut chunks,
                section,
                &mut spans,
                &context,
                text,
                &units[first..last],
                count,
            );
            // Start the next chunk with trailing units of this one, up to the overlap, but
            // always move forward.
            let mut next = last;
            while next > first + 1 {
                if special + pieces(next - 1, last) > settings.overlap_tokens + 2 {
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
                &mut spans,
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
    spans: &mut CharSpans<'_>,
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
    let (char_start, char_end) = spans.of(first.start..last.end);
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
            .map(|i| format!("Sentence número {i} explains a step."))
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
    fn a_short_paragraph_is_not_cut_at_its_colons() {
        let rows: Vec<String> = (0..12)
            .map(|i| format!("Resource: guide {i}; Use: steps for task {i}."))
            .collect();
        let d = doc(vec![(vec![], rows.join("\n\n"))]);
        let settings = ChunkSettings {
            target_tokens: 30,
            max_tokens: 40,
            overlap_tokens: 4,
        };
        let chunks = chunk(&d, settings, &words);
        assert!(chunks.len() > 3, "{chunks:?}");
        for c in &chunks {
            for paragraph in c.text.split("\n\n") {
                assert!(
                    rows.iter().any(|r| r == paragraph),
                    "cut row: {paragraph:?}"
                );
            }
        }
        // A paragraph too long for a chunk is still cut at its clauses.
        let long = (0..30)
            .map(|i| format!("Step {i}: do it"))
            .collect::<Vec<_>>();
        let d = doc(vec![(vec![], long.join("; "))]);
        let chunks = chunk(&d, settings, &words);
        assert!(chunks.len() > 1, "{chunks:?}");
        let (last, cut) = chunks.split_last().expect("chunks");
        assert!(
            cut.iter().all(|c| c.text.ends_with([';', ':'])),
            "{chunks:?}"
        );
        assert!(last.text.ends_with("do it"), "{last:?}");
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

    #[test]
    fn a_run_is_split_counting_each_distinct_word_once() {
        // Pieces as a word-piece tokenizer gives them: per word, about one per four letters.
        let pieces = |text: &str| -> usize {
            2 + text
                .split_whitespace()
                .map(|w| w.chars().count().div_ceil(4))
                .sum::<usize>()
        };
        let calls = std::cell::Cell::new(0);
        let counted = |text: &str| {
            calls.set(calls.get() + 1);
            pieces(text)
        };
        let text = "alpha beta gammadelta epsilon ".repeat(2_000);
        let runs = split_words(&text, 0..text.len(), 50, &counted);
        assert!(calls.get() <= 5, "{} counts", calls.get());
        assert!(runs.len() > 100);
        for run in &runs {
            assert!(pieces(&text[run.clone()]) <= 50, "{:?}", &text[run.clone()]);
        }
        let joined: Vec<&str> = runs.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(joined.join(" "), text.trim_end());
    }
}
