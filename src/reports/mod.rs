//! Reports for admins: ticket volume and backlog, first-response and resolution times, SLA
//! attainment, chats by outcome (deflection), satisfaction and the top knowledge gaps, over
//! a date range, in total, by day or week, and per queue or agent.
//!
//! A read model over several domains' tables: every figure is one SQL aggregation (the same
//! statements on SQLite and PostgreSQL, apart from the date arithmetic), run in the
//! tenant's transaction so row-level security applies. When the tenant has business hours,
//! times are counted in them: the database returns each ticket's two instants and the
//! percentiles are taken here, since no SQL dialect knows the tenant's calendar.

mod model;
mod routes;
mod service;

pub use model::{
    Breakdown, BreakdownBy, BreakdownRow, Bucket, Grouping, ReportRange, ReportSummary, Timeseries,
};
pub use routes::configure;
pub use service::{breakdown, summary, timeseries};
