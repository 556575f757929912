//! TF-IDF features of a ticket's text: word unigrams and bigrams (the text is lower-cased;
//! anything not a letter or digit separates words), sublinear term frequency, IDF from the
//! training tickets, L2-normalised. Sparse: a ticket touches a few hundred of the
//! vocabulary's features.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// A sparse feature vector: (feature index, value), indices ascending.
pub type Sparse = Vec<(u32, f32)>;

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Every unigram and bigram of `text`, with repeats.
pub fn grams(text: &str) -> Vec<String> {
    let words = words(text);
    let mut out = Vec::with_capacity(words.len() * 2);
    for (i, word) in words.iter().enumerate() {
        out.push(word.clone());
        if let Some(next) = words.get(i + 1) {
            out.push(format!("{word} {next}"));
        }
    }
    out
}

/// Serialised as the sorted gram list and its IDFs; the lookup table is rebuilt on load, so
/// the same data always gives the same bytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "StoredVectorizer", into = "StoredVectorizer")]
pub struct Vectorizer {
    grams: Vec<String>,
    vocabulary: HashMap<String, u32>,
    idf: Vec<f32>,
}

#[derive(Serialize, Deserialize)]
struct StoredVectorizer {
    grams: Vec<String>,
    idf: Vec<f32>,
}

impl From<StoredVectorizer> for Vectorizer {
    fn from(stored: StoredVectorizer) -> Self {
        let vocabulary = stored
            .grams
            .iter()
            .enumerate()
            .map(|(i, g)| (g.clone(), i as u32))
            .collect();
        Self {
            grams: stored.grams,
            vocabulary,
            idf: stored.idf,
        }
    }
}

impl From<Vectorizer> for StoredVectorizer {
    fn from(v: Vectorizer) -> Self {
        Self {
            grams: v.grams,
            idf: v.idf,
        }
    }
}

impl Vectorizer {
    /// Learns the vocabulary (grams in at least `min_df` texts) and its IDF
    /// (`ln((1 + n) / (1 + df)) + 1`, as scikit-learn's smoothed IDF).
    pub fn fit<'a>(texts: impl IntoIterator<Item = &'a str>, min_df: u32) -> Self {
        let mut df: HashMap<String, u32> = HashMap::new();
        let mut n = 0u32;
        for text in texts {
            n += 1;
            let mut seen: Vec<String> = grams(text);
            seen.sort_unstable();
            seen.dedup();
            for gram in seen {
                *df.entry(gram).or_default() += 1;
            }
        }
        let mut kept: Vec<(String, u32)> = df.into_iter().filter(|(_, d)| *d >= min_df).collect();
        // A fixed order: the same data gives the same model, byte for byte.
        kept.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let idf = kept
            .iter()
            .map(|(_, d)| ((1.0 + n as f32) / (1.0 + *d as f32)).ln() + 1.0)
            .collect();
        StoredVectorizer {
            grams: kept.into_iter().map(|(gram, _)| gram).collect(),
            idf,
        }
        .into()
    }

    pub fn len(&self) -> usize {
        self.idf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.idf.is_empty()
    }

    pub fn transform(&self, text: &str) -> Sparse {
        let mut counts: HashMap<u32, u32> = HashMap::new();
        for gram in grams(text) {
            if let Some(&index) = self.vocabulary.get(&gram) {
                *counts.entry(index).or_default() += 1;
            }
        }
        let mut vector: Sparse = counts
            .into_iter()
            .map(|(i, tf)| (i, (1.0 + (tf as f32).ln()) * self.idf[i as usize]))
            .collect();
        vector.sort_unstable_by_key(|(i, _)| *i);
        let norm = vector.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, v) in &mut vector {
                *v /= norm;
            }
        }
        vector
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_are_words_and_word_pairs() {
        assert_eq!(
            grams("Reset my-password"),
            vec!["reset", "reset my", "my", "my password", "password"]
        );
    }

    #[test]
    fn vectors_are_unit_length_and_skip_unknown_grams() {
        let v = Vectorizer::fit(["reset password", "reset vpn", "new laptop"], 1);
        let x = v.transform("reset password please");
        let norm: f32 = x.iter().map(|(_, v)| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-5);
        assert_eq!(x.len(), 3, "reset, password, reset password: {x:?}");
        assert!(v.transform("nothing known").is_empty());
    }

    #[test]
    fn min_df_drops_rare_grams() {
        let v = Vectorizer::fit(["reset password", "reset vpn"], 2);
        assert_eq!(v.len(), 1, "only 'reset' is in two texts");
    }
}
