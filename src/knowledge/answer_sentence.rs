//! Whether a sentence the search found answers the question: MiniLM reads the question and
//! the sentence as one text (`question [SEP] sentence`), and a linear probe on that vector,
//! fitted on the question sets' key-fact sentences (`scripts/fit_detector.py`), scores it.
//!
//! A bi-encoder's cosine compares two vectors made apart, so a sentence on the question's
//! topic that lacks what is asked ("a dog in the Chicago office" against the office's
//! address) scores like one that says it. Read together, the question's words attend to the
//! sentence's: held out across the question sets, this reading separates answerable from
//! unanswerable questions where the cosines overlap (docs/chat.md, session 38). A second
//! probe reads the question's own vector with the readings' best cosine to score the
//! question as a whole, for the search's `answerable` flag (sessions 39 and 43).
//!
//! Both probes read MiniLM cut after its third layer (`Llm::embed_probe`), whatever embeds
//! the knowledge: the last layer is tuned for similarity and keeps less of which words a
//! text holds, and on the third both probes did better held out under every scheme
//! (docs/chat.md, sessions 45 and 46).

use super::Knowledge;
use super::answer_detector as detector;
use super::question_detector as question;
use super::search::{PageHit, quotable_sentences};
use crate::error::AppError;
use crate::llm::embedder::dot;
use crate::llm::{Call, Purpose};
use crate::tenancy::TenantId;

/// Sentences read together with the question: the closest to it by cosine over the first
/// pages the signals look at. Three did as well as ten held out (docs/chat.md), and each
/// costs a short text's embedding on every search.
pub const READ_SENTENCES: usize = 3;

/// The score of a search that found no sentence to read: below any sentence's.
pub const NO_SENTENCE: f32 = -10.0;

/// Words of the question read with each sentence. The probe was fitted on questions of 2 to
/// 35 words; a pasted message of hundreds would fill the embedder's 256 word pieces before
/// the sentence began, and every reading would be of the question alone.
const QUESTION_WORDS: usize = 40;

/// The one text MiniLM reads for a question and a sentence.
fn joint_text(query: &str, sentence: &str) -> String {
    let question: Vec<&str> = query.split_whitespace().take(QUESTION_WORDS).collect();
    format!("{} [SEP] {sentence}", question.join(" "))
}

/// One candidate sentence as the detector reads it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reading {
    /// The page it is on.
    pub source: String,
    pub text: String,
    /// Its cosine with the question (the best over the question's views).
    pub cosine: f32,
    /// The unit vector of `question [SEP] sentence`.
    pub joint: Vec<f32>,
}

impl Reading {
    /// The probe's log-odds that this sentence answers the question; `None` for a vector
    /// of another width than the probe's (none comes from `Llm::embed_probe`).
    fn score(&self) -> Option<f32> {
        (self.joint.len() == detector::JOINT.len()).then(|| {
            detector::BIAS + detector::COSINE * self.cosine + dot(&self.joint, &detector::JOINT)
        })
    }
}

/// The best reading's score: how likely one of the sentences found answers the question.
pub fn answer_sentence(readings: &[Reading]) -> f32 {
    readings
        .iter()
        .filter_map(Reading::score)
        .fold(NO_SENTENCE, f32::max)
}

/// How likely the question is answerable from what was found, as the question-level probe
/// reads the question's own vector and its readings' best cosine. Fitted on every
/// question's answerability, it learns from the questions whose answer no single sentence
/// holds too, which the sentence probe cannot; reading the question rather than the
/// readings' joint vectors averaged held out better, a set and a part of the handbook at a
/// time too (docs/chat.md, session 43).
pub fn answer_question(query_vector: &[f32], readings: &[Reading]) -> f32 {
    if readings.is_empty() || query_vector.len() != question::QUESTION.len() {
        return NO_SENTENCE;
    }
    let cosine = readings.iter().map(|r| r.cosine).fold(f32::MIN, f32::max);
    question::BIAS + question::COSINE * cosine + dot(query_vector, &question::QUESTION)
}

/// The [`READ_SENTENCES`] quotable sentences of `pages` closest to the question, best first
/// (ties keep page order).
fn closest_sentences(pages: &[PageHit]) -> Vec<(&PageHit, String, f32)> {
    let mut found: Vec<(&PageHit, String, f32)> = pages
        .iter()
        .flat_map(|page| quotable_sentences(page).map(move |s| (page, s.text, s.cosine)))
        .collect();
    found.sort_by(|a, b| b.2.total_cmp(&a.2));
    found.truncate(READ_SENTENCES);
    found
}

impl Knowledge {
    /// Reads the sentences of `pages` closest to `query` together with it, and the query
    /// alone, in one call at the probes' depth. Returns the query's vector and the readings
    /// (neither is embedded when there is no sentence to read).
    pub(super) async fn read_sentences(
        &self,
        tenant: TenantId,
        query: &str,
        pages: &[PageHit],
    ) -> Result<(Vec<f32>, Vec<Reading>), AppError> {
        let closest = closest_sentences(pages);
        if closest.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let mut texts = vec![query.to_owned()];
        texts.extend(
            closest
                .iter()
                .map(|(_, sentence, _)| joint_text(query, sentence)),
        );
        let call = Call::for_tenant(tenant, Purpose::QueryEmbedding);
        let mut vectors = self.llm.embed_probe(call, texts).await?.into_iter();
        let question = vectors.next().unwrap_or_default();
        let readings = closest
            .into_iter()
            .zip(vectors)
            .map(|((page, text, cosine), joint)| Reading {
                source: page.source.clone(),
                text,
                cosine,
                joint,
            })
            .collect();
        Ok((question, readings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(cosine: f32, joint: Vec<f32>) -> Reading {
        Reading {
            source: "a.md".into(),
            text: "A sentence long enough to be quoted.".into(),
            cosine,
            joint,
        }
    }

    #[test]
    fn a_long_question_leaves_room_for_the_sentence() {
        assert_eq!(
            joint_text("How do I\nreset my  password?", "Use the portal."),
            "How do I reset my password? [SEP] Use the portal."
        );
        let pasted = "word ".repeat(500);
        let text = joint_text(&pasted, "Use the portal.");
        assert_eq!(text.split_whitespace().count(), QUESTION_WORDS + 4);
        assert!(text.ends_with("[SEP] Use the portal."));
    }

    #[test]
    fn nothing_read_scores_below_any_sentence() {
        assert_eq!(answer_sentence(&[]), NO_SENTENCE);
        assert_eq!(answer_question(&[0.0; 384], &[]), NO_SENTENCE);
    }

    #[test]
    fn the_question_probe_reads_the_question_and_the_best_cosine() {
        let unit = |i: usize| {
            let mut v = vec![0.0; question::QUESTION.len()];
            v[i] = 1.0;
            v
        };
        let read = [reading(0.5, unit(0)), reading(0.4, unit(1))];
        let score = answer_question(&unit(2), &read);
        let expected = question::BIAS + question::COSINE * 0.5 + question::QUESTION[2];
        assert!((score - expected).abs() < 1e-5);
        // The readings' vectors do not enter it, only their best cosine.
        let other = [reading(0.5, unit(3))];
        assert!((answer_question(&unit(2), &other) - score).abs() < 1e-5);
        assert_eq!(answer_question(&vec![0.1; 768], &read), NO_SENTENCE);
    }

    #[test]
    fn a_vector_of_another_width_is_not_scored() {
        assert_eq!(
            answer_sentence(&[reading(0.9, vec![0.1; 768])]),
            NO_SENTENCE
        );
    }

    #[test]
    fn the_best_reading_counts() {
        let unit = |i: usize| {
            let mut v = vec![0.0; detector::JOINT.len()];
            v[i] = 1.0;
            v
        };
        let (hi, lo) = (0..detector::JOINT.len()).fold((0, 0), |(hi, lo), i| {
            (
                if detector::JOINT[i] > detector::JOINT[hi] {
                    i
                } else {
                    hi
                },
                if detector::JOINT[i] < detector::JOINT[lo] {
                    i
                } else {
                    lo
                },
            )
        });
        let best = reading(0.5, unit(hi)).score();
        let worst = reading(0.5, unit(lo)).score();
        assert!(best >= worst);
        assert_eq!(
            answer_sentence(&[reading(0.5, unit(lo)), reading(0.5, unit(hi))]),
            best.unwrap_or(NO_SENTENCE)
        );
    }
}
