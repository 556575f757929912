//! The route table: operational endpoints at the root, the product API under `/api/v1`.

use actix_web::web;

use crate::{audit, auth, chat, desk, health, knowledge, llm, tenancy, tickets, usage};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(health::health))
        .route("/ready", web::get().to(health::ready))
        .route("/metrics", web::get().to(health::metrics))
        .configure(auth::configure_well_known)
        .service(
            web::scope("/api/v1")
                .configure(auth::configure)
                .configure(tenancy::configure)
                .configure(tickets::configure)
                .configure(llm::routes::configure)
                .configure(knowledge::routes::configure)
                .configure(chat::configure)
                .configure(audit::routes::configure)
                .configure(usage::routes::configure)
                .configure(desk::routes::configure),
        );
}
