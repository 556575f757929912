//! helpdesk: a self-hostable, multi-tenant AI help desk.

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod database;
pub mod error;
pub mod health;
pub mod telemetry;
