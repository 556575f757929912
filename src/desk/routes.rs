//! `/api/v1/people/{id}`: data-rights requests, for admins.

use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::people::{Erasure, PersonExport};
use crate::app::AppState;
use crate::auth::{Authorized, can};
use crate::error::AppError;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(export).service(erase);
}

#[utoipa::path(
    summary = "Export everything held about a person (data rights)",
    tag = "people",
    operation_id = "export_person",
    params(("id" = Uuid, Path, description = "A user's, visitor's or requester's id")),
    responses((status = 200, description = "Everything the tenant holds about the person, as a download", body = PersonExport)),
)]
#[get("/people/{id}/export")]
async fn export(
    state: web::Data<AppState>,
    caller: Authorized<can::ReadPeople>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let bundle =
        super::people::export_person(&state.db, caller.tenant, caller.actor(), id.into_inner())
            .await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "content-disposition",
            format!("attachment; filename=\"person-{}.json\"", bundle.person_id),
        ))
        .json(bundle))
}

#[utoipa::path(
    summary = "Erase a person's data (data rights)",
    tag = "people",
    operation_id = "erase_person",
    params(("id" = Uuid, Path, description = "A customer's or visitor's id")),
    responses((status = 200, description = "What was erased", body = Erasure)),
)]
#[post("/people/{id}/erase")]
async fn erase(
    state: web::Data<AppState>,
    caller: Authorized<can::DeletePeople>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let erasure =
        super::people::erase_person(&state.db, caller.tenant, caller.actor(), id.into_inner())
            .await?;
    Ok(HttpResponse::Ok().json(erasure))
}
