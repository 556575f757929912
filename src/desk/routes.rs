//! `/api/v1/people/{id}`: data-rights requests, for admins; `/api/v1/ratings`: rating a
//! solved ticket through its signed link, with no account.

use actix_web::{HttpResponse, get, post, web};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::people::{Erasure, PersonExport};
use crate::app::AppState;
use crate::auth::{Authorized, can};
use crate::error::AppError;
use crate::feedback::{COMMENT_RULE, parse_rating};
use crate::json_body::Json;
use crate::tenancy::{
    CreateTenant, CreateUser, DisplayName, Email, NewTenant, NewUser, PASSWORD_RULE, TenantName,
    TenantSlug, TenantView, UserView,
};
use crate::validation::TextRule;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(export)
        .service(erase)
        .service(read_rating_link)
        .service(rate_ticket)
        .service(get_setup)
        .service(create_setup);
}

#[derive(Serialize, utoipa::ToSchema)]
struct SetupState {
    /// No tenant exists yet: the first-run page may create one.
    open: bool,
}

#[utoipa::path(
    summary = "Whether this install still needs its first organisation",
    tag = "tenancy",
    security(()),
    responses((status = 200, description = "Open while no tenant exists", body = SetupState)),
)]
#[get("/setup")]
async fn get_setup(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let open = super::first_run_open(&state.db).await?;
    Ok(HttpResponse::Ok().json(SetupState { open }))
}

/// The string rules of this module's request bodies, for the OpenAPI document.
pub const TEXT_RULES: &[(&str, &str, TextRule)] = &[
    ("SetupBody", "slug", TenantSlug::RULE),
    ("SetupBody", "name", TenantName::RULE),
    ("SetupAdmin", "email", Email::RULE),
    ("SetupAdmin", "display_name", DisplayName::RULE),
    ("SetupAdmin", "password", PASSWORD_RULE),
    ("TicketRatingBody", "comment", COMMENT_RULE),
];

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct SetupAdmin {
    email: String,
    display_name: String,
    #[schema(value_type = String, format = Password)]
    password: SecretString,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct SetupBody {
    /// The organisation's address in URLs (`/chat/<slug>`).
    slug: String,
    name: String,
    admin: SetupAdmin,
}

#[derive(Serialize, utoipa::ToSchema)]
struct SetupDone {
    tenant: TenantView,
    admin: UserView,
}

#[utoipa::path(
    summary = "Create the first organisation and its admin (first run only)",
    description = "Open only while no tenant exists; afterwards `setup_closed`, and an operator creates tenants.",
    tag = "tenancy",
    security(()),
    responses((status = 201, description = "The organisation and its admin, who can now sign in", body = SetupDone)),
)]
#[post("/setup")]
async fn create_setup(
    state: web::Data<AppState>,
    body: Json<SetupBody>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let tenant = CreateTenant::parse(&NewTenant {
        slug: body.slug,
        name: body.name,
        plan: None,
    });
    let admin = CreateUser::parse(&NewUser {
        email: body.admin.email,
        role: "admin".into(),
        display_name: body.admin.display_name,
        password: body.admin.password,
    });
    let (tenant, admin) = match (tenant, admin) {
        (Ok(t), Ok(a)) => (t, a),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let (tenant, admin) = super::first_run(&state.db, tenant, admin).await?;
    Ok(HttpResponse::Created().json(SetupDone { tenant, admin }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct LinkBody {
    /// The token from the rating link.
    token: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct TicketRatingBody {
    /// The token from the rating link.
    token: String,
    #[schema(value_type = crate::feedback::Score)]
    score: String,
    #[serde(default)]
    comment: Option<String>,
}

#[utoipa::path(
    summary = "What a rating link rates",
    description = "The token travels in the body, never in a URL, so it stays out of logs.",
    tag = "ratings",
    security(()),
    request_body = LinkBody,
    responses((status = 200, description = "The ticket the link rates", body = super::RatingTarget)),
)]
#[post("/ratings/lookup")]
async fn read_rating_link(
    state: web::Data<AppState>,
    body: Json<LinkBody>,
) -> Result<HttpResponse, AppError> {
    let target = super::rating_target(state.desk(), &body.token).await?;
    Ok(HttpResponse::Ok().json(target))
}

#[utoipa::path(
    summary = "Rate a solved ticket through its signed link",
    description = "Once per ticket. A bad rating reopens it when the tenant's `csat.reopen_on_bad` is on.",
    tag = "ratings",
    security(()),
    request_body = TicketRatingBody,
    responses((status = 201, description = "The rating", body = crate::feedback::RatingView)),
)]
#[post("/ratings")]
async fn rate_ticket(
    state: web::Data<AppState>,
    body: Json<TicketRatingBody>,
) -> Result<HttpResponse, AppError> {
    let (score, comment) = parse_rating(&body.score, body.comment.as_deref())?;
    let rating = super::rate_ticket(state.desk(), &body.token, score, comment.as_deref()).await?;
    Ok(HttpResponse::Created().json(rating))
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
