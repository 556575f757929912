//! The commands, one file each, as plain functions over [`Settings`](crate::config::Settings):
//! `main.rs` maps the clap command line onto them. Each opens the application the way
//! `serve` does ([`setup`]). The evals and benchmarks are commands too, and live here.

pub mod audit;
pub mod db_health;
pub mod demo;
pub mod eval;
pub mod healthcheck;
pub mod llm_bench;
pub mod load_docs;
pub mod migrate;
pub mod models;
pub mod operator_token;
pub mod reindex;
pub mod reports_bench;
pub mod rotate_keys;
pub mod seed;
pub mod serve;
pub mod setup;

pub use load_docs::LoadDocs;
pub use migrate::MigrateAction;
pub use setup::not_yet;
