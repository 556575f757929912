//! The route table: operational endpoints at the root, the product API under `/api/v1`.
//! Every handler is registered with `service(...)` through utoipa-actix-web, which collects
//! its operation into the OpenAPI document (`crate::openapi`).

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{
    audit, auth, chat, desk, health, knowledge, llm, openapi, replies, reports, tenancy, tickets,
    usage,
};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health::health)
        .service(health::ready)
        .service(health::metrics)
        .service(openapi::get_api_docs)
        .configure(auth::configure_well_known)
        .service(
            scope("/api/v1")
                .service(openapi::get_openapi)
                .configure(auth::configure)
                .configure(tenancy::configure)
                .configure(tickets::configure)
                .configure(llm::routes::configure)
                .configure(knowledge::routes::configure)
                .configure(chat::configure)
                .configure(audit::routes::configure)
                .configure(usage::routes::configure)
                .configure(desk::routes::configure)
                .configure(replies::configure)
                .configure(reports::configure),
        );
}

/// Mounts the route table on a plain actix-web `App` (the document is built separately).
pub fn mount(cfg: &mut actix_web::web::ServiceConfig) {
    configure(&mut ServiceConfig::new(cfg));
}
