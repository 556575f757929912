//! `/api/v1/canned-replies`, `/api/v1/macros` and applying a macro to a ticket: thin
//! handlers. Agents keep personal ones; shared ones are the admins'.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::model::{
    CannedReplyInput, CannedReplyPatch, CannedReplyView, MacroInput, MacroView, NewCannedReply,
    NewMacro,
};
use super::service;
use crate::app::AppState;
use crate::auth::{Authorized, can};
use crate::database::TenantTx;
use crate::desk::{self, AppliedMacro};
use crate::error::AppError;
use crate::json_body::Json;
use crate::tickets::{TicketId, if_match_version};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list_canned_replies)
        .service(create_canned_reply)
        .service(update_canned_reply)
        .service(delete_canned_reply)
        .service(list_macros)
        .service(create_macro)
        .service(replace_macro)
        .service(delete_macro)
        .service(apply_macro);
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct CannedQuery {
    /// Fill each reply's placeholders in for this ticket (`rendered`).
    ticket_id: Option<Uuid>,
}

#[utoipa::path(
    summary = "List canned replies (shared, and the caller's own)",
    tag = "workspace",
    params(CannedQuery),
    responses((status = 200, description = "By title", body = Vec<CannedReplyView>)),
)]
#[get("/canned-replies")]
async fn list_canned_replies(
    state: web::Data<AppState>,
    caller: Authorized<can::ListCannedReplies>,
    query: web::Query<CannedQuery>,
) -> Result<HttpResponse, AppError> {
    let found = desk::canned_replies(state.desk(), &caller, query.ticket_id.map(TicketId)).await?;
    Ok(HttpResponse::Ok().json(found))
}

#[utoipa::path(
    summary = "Create a canned reply",
    description = "Placeholders: `{{requester.name}}`, `{{requester.email}}`, `{{ticket.id}}` (the ticket's number, as `#42`), `{{ticket.subject}}`, `{{agent.name}}`. Only admins create shared ones.",
    tag = "workspace",
    responses((status = 201, description = "The canned reply", body = CannedReplyView)),
)]
#[post("/canned-replies")]
async fn create_canned_reply(
    state: web::Data<AppState>,
    caller: Authorized<can::CreateCannedReplies>,
    body: Json<NewCannedReply>,
) -> Result<HttpResponse, AppError> {
    let input = CannedReplyInput::parse(Some(&body.title), Some(&body.body))?;
    let owner = service::owner_for(&caller, body.shared)?;
    let created = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::create_canned_reply(tx, owner, input).await
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    summary = "Change a canned reply",
    tag = "workspace",
    params(("id" = Uuid, Path, description = "The canned reply's id")),
    responses((status = 200, description = "The canned reply as changed", body = CannedReplyView)),
)]
#[patch("/canned-replies/{id}")]
async fn update_canned_reply(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateCannedReplies>,
    id: web::Path<Uuid>,
    body: Json<CannedReplyPatch>,
) -> Result<HttpResponse, AppError> {
    let input = CannedReplyInput::parse(body.title.as_deref(), body.body.as_deref())?;
    let updated = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::update_canned_reply(tx, &caller, *id, input).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(updated))
}

#[utoipa::path(
    summary = "Delete a canned reply",
    tag = "workspace",
    params(("id" = Uuid, Path, description = "The canned reply's id")),
    responses((status = 204, description = "Deleted")),
)]
#[delete("/canned-replies/{id}")]
async fn delete_canned_reply(
    state: web::Data<AppState>,
    caller: Authorized<can::DeleteCannedReplies>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::delete_canned_reply(tx, &caller, *id).await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    summary = "List macros (shared, and the caller's own)",
    tag = "workspace",
    responses((status = 200, description = "By title", body = Vec<MacroView>)),
)]
#[get("/macros")]
async fn list_macros(
    state: web::Data<AppState>,
    caller: Authorized<can::ListMacros>,
) -> Result<HttpResponse, AppError> {
    let found = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::list_macros(tx, &caller).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(found))
}

#[utoipa::path(
    summary = "Create a macro: a reply plus field changes, applied in one action",
    tag = "workspace",
    responses((status = 201, description = "The macro", body = MacroView)),
)]
#[post("/macros")]
async fn create_macro(
    state: web::Data<AppState>,
    caller: Authorized<can::CreateMacros>,
    body: Json<NewMacro>,
) -> Result<HttpResponse, AppError> {
    let input = MacroInput::parse(&body)?;
    let owner = service::owner_for(&caller, body.shared)?;
    let created = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::create_macro(tx, owner, input).await
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    summary = "Replace a macro",
    description = "The body is a whole macro, as when it was created; `shared` cannot change.",
    tag = "workspace",
    params(("id" = Uuid, Path, description = "The macro's id")),
    responses((status = 200, description = "The macro as replaced", body = MacroView)),
)]
#[put("/macros/{id}")]
async fn replace_macro(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateMacros>,
    id: web::Path<Uuid>,
    body: Json<NewMacro>,
) -> Result<HttpResponse, AppError> {
    let input = MacroInput::parse(&body)?;
    let updated = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::replace_macro(tx, &caller, *id, input).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(updated))
}

#[utoipa::path(
    summary = "Delete a macro",
    tag = "workspace",
    params(("id" = Uuid, Path, description = "The macro's id")),
    responses((status = 204, description = "Deleted")),
)]
#[delete("/macros/{id}")]
async fn delete_macro(
    state: web::Data<AppState>,
    caller: Authorized<can::DeleteMacros>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::delete_macro(tx, &caller, *id).await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    summary = "Apply a macro to a ticket",
    description = "Posts the macro's reply (placeholders filled in) and makes its field changes in one transaction, recorded as one `macro_applied` event. With `If-Match`, the ticket must still be at that version.",
    tag = "workspace",
    params(
        ("id" = Uuid, Path, description = "The ticket's id"),
        ("macro_id" = Uuid, Path, description = "The macro's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag of the ticket version the agent saw"),
    ),
    responses((status = 200, description = "The ticket as changed, the reply and the event", body = AppliedMacro)),
)]
#[post("/tickets/{id}/apply-macro/{macro_id}")]
async fn apply_macro(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateTickets>,
    req: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, AppError> {
    let (ticket, chosen) = path.into_inner();
    let version = if_match_version(&req)?;
    let applied =
        desk::apply_macro(state.desk(), &caller, TicketId(ticket), chosen, version).await?;
    Ok(HttpResponse::Ok().json(applied))
}
