//! The ticket router: TF-IDF features and a linear model, saved as one compressed file.

use std::path::Path;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use super::features::Vectorizer;
use super::linear::Linear;

/// What the router says about one ticket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    pub category: String,
    /// The model's probability of that category, 0–1.
    pub confidence: f32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Router {
    format: u32,
    categories: Vec<String>,
    vectorizer: Vectorizer,
    model: Linear,
}

const FORMAT: u32 = 1;

static BUILT_IN: &[u8] = include_bytes!("../../assets/models/router.bin");

impl Router {
    pub fn new(categories: Vec<String>, vectorizer: Vectorizer, model: Linear) -> Self {
        Self {
            format: FORMAT,
            categories,
            vectorizer,
            model,
        }
    }

    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    pub fn predict(&self, text: &str) -> Prediction {
        let probabilities = self.model.probabilities(&self.vectorizer.transform(text));
        let (best, confidence) = probabilities
            .iter()
            .copied()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0));
        Prediction {
            category: self.categories.get(best).cloned().unwrap_or_default(),
            confidence,
        }
    }

    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        let bytes = bincode::serde::encode_to_vec(self, bincode::config::standard())
            .context("cannot encode the router")?;
        let packed = zstd::encode_all(bytes.as_slice(), 19).context("cannot compress")?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(path, packed).with_context(|| format!("cannot write {}", path.display()))
    }

    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let packed =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        Self::from_bytes(&packed).with_context(|| format!("{}", path.display()))
    }

    /// The model compiled into the binary (`assets/models/router.bin`).
    pub fn built_in() -> anyhow::Result<Self> {
        Self::from_bytes(BUILT_IN).context("the built-in router")
    }

    pub fn from_bytes(packed: &[u8]) -> anyhow::Result<Self> {
        let bytes = zstd::decode_all(packed).context("not a router file")?;
        let (router, _): (Self, usize) =
            bincode::serde::decode_from_slice(&bytes, bincode::config::standard())
                .context("not a router file")?;
        anyhow::ensure!(
            router.format == FORMAT,
            "router format {}, this build reads {FORMAT}: retrain it",
            router.format
        );
        anyhow::ensure!(
            router.categories.len() == router.model.classes(),
            "inconsistent router file"
        );
        Ok(router)
    }
}
