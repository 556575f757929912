//! The one integration-test binary: every module runs on SQLite and on PostgreSQL.

mod abuse;
mod access;
mod accounts;
mod architecture;
mod auth;
mod chat;
mod embedder;
mod errors;
mod external_issuer;
mod flows;
mod generator;
mod hardening;
mod health;
mod helpers;
mod hostile;
mod knowledge;
mod llm_api;
mod llm_contract;
mod load_docs_cli;
mod migrations;
mod ollama;
mod pii_cli;
mod rls;
mod router_cli;
mod routing;
mod seed;
mod sla;
#[cfg(feature = "temporal")]
mod temporal;
mod tickets;
mod tls;
mod visibility;
mod web;
mod webhooks;
mod weights;
