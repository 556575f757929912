//! helpdesk: a self-hostable, multi-tenant AI help desk.

pub mod api;
pub mod app;
pub mod auth;
pub mod chat;
pub mod cli;
pub mod config;
pub mod database;
pub mod db_health;
pub mod entity;
pub mod error;
pub mod eval;
pub mod health;
pub mod knowledge;
pub mod llm;
pub mod rag;
pub mod redaction;
pub mod routing;
pub mod seed;
pub mod telemetry;
pub mod tenancy;
pub mod tickets;
pub mod validation;
pub mod vector;
pub mod web;
