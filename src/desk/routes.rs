//! `/api/v1/people/{id}`: data-rights requests, for admins.

use actix_web::{HttpResponse, web};
use uuid::Uuid;

use crate::app::AppState;
use crate::auth::{Authorized, can};
use crate::error::AppError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/people/{id}/export", web::get().to(export))
        .route("/people/{id}/erase", web::post().to(erase));
}

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
