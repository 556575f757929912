//! The lexical side of hybrid search: BM25 term weights as sparse vectors (English
//! stemming and stop words), made by qdrant-edge's embedder for both backends so that a
//! Qdrant server ranks exactly as the embedded engine does. The IDF half of BM25 is the
//! collection's (the sparse vector's IDF modifier), so it stays right as documents come
//! and go.

use qdrant_edge::SparseVector;
use qdrant_edge::bm25_embed::{EdgeBm25, EdgeBm25Config};

pub struct Lexical {
    bm25: EdgeBm25,
}

impl Lexical {
    pub fn new() -> anyhow::Result<Self> {
        let bm25 = EdgeBm25::new(EdgeBm25Config {
            language: Some("english".into()),
            ..EdgeBm25Config::default()
        })
        .map_err(|e| anyhow::anyhow!("cannot build the BM25 embedder: {e:?}"))?;
        Ok(Self { bm25 })
    }

    pub fn document(&self, text: &str) -> SparseVector {
        self.bm25.embed_document(text)
    }

    pub fn query(&self, text: &str) -> SparseVector {
        self.bm25.embed_query(text)
    }
}
