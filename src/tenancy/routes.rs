//! `/api/v1/users`: user administration inside the caller's tenant.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::model::{
    CreateUser, DisplayName, NewUser, Role, TenantSlug, TenantView, UserId, UserView,
};
use super::service;
use super::settings::{self, SettingsPatch, Theme};
use crate::app::AppState;
use crate::auth::{Authorized, can};
use crate::database::TenantTx;
use crate::error::{AppError, Code};
use crate::json_body::Json;
use crate::validation::Fields;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_user)
        .service(list_users)
        .service(get_user)
        .service(update_user)
        .service(delete_user)
        .service(get_own_tenant)
        .service(patch_settings)
        .service(get_theme);
}

#[utoipa::path(
    summary = "Create a user",
    tag = "tenancy",
    responses((status = 201, description = "The user", body = UserView)),
)]
#[post("/users")]
async fn create_user(
    state: web::Data<AppState>,
    caller: Authorized<can::CreateUsers>,
    body: Json<NewUser>,
) -> Result<HttpResponse, AppError> {
    let input = service::hash_account(CreateUser::parse(&body)?).await?;
    let user = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::create_user(tx, input).await
    })
    .await?;
    Ok(HttpResponse::Created().json(user))
}

#[utoipa::path(
    summary = "List users",
    tag = "tenancy",
    responses((status = 200, description = "The tenant's users", body = Vec<UserView>)),
)]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    caller: Authorized<can::ListUsers>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(
        TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
            service::list_users(tx).await
        })
        .await?,
    ))
}

#[utoipa::path(
    summary = "Read a user",
    tag = "tenancy",
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 200, description = "The user", body = UserView)),
)]
#[get("/users/{id}")]
async fn get_user(
    state: web::Data<AppState>,
    caller: Authorized<can::ReadUsers>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let user = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::get_user(tx, UserId(id.into_inner())).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(user))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct PatchUserBody {
    #[serde(default)]
    #[schema(value_type = Option<Role>)]
    role: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
}

#[utoipa::path(
    summary = "Change a user's role or name",
    tag = "tenancy",
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 200, description = "The user as changed", body = UserView)),
)]
#[patch("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateUsers>,
    id: web::Path<Uuid>,
    body: Json<PatchUserBody>,
) -> Result<HttpResponse, AppError> {
    let mut fields = Fields::new();
    let role = body
        .role
        .as_deref()
        .map(|r| fields.check("role", Role::parse(r)));
    let name = body
        .display_name
        .as_deref()
        .map(|n| fields.check("display_name", DisplayName::parse(n)));
    fields.finish()?;
    let id = UserId(id.into_inner());
    if id == caller.user && role.flatten().is_some_and(|r| r != Role::Admin) {
        return Err(AppError::Conflict(
            Code::CannotChangeOwnAccount,
            "an admin cannot demote themselves".into(),
        ));
    }
    let user = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::update_user(tx, id, role.flatten(), name.flatten()).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(user))
}

#[utoipa::path(
    summary = "Delete a user",
    tag = "tenancy",
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 204, description = "Deleted")),
)]
#[delete("/users/{id}")]
async fn delete_user(
    state: web::Data<AppState>,
    caller: Authorized<can::DeleteUsers>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let id = UserId(id.into_inner());
    if id == caller.user {
        return Err(AppError::Conflict(
            Code::CannotChangeOwnAccount,
            "an admin cannot delete themselves".into(),
        ));
    }
    TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::delete_user(tx, id).await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's tenant with its settings (admins: the policy they edit).
#[utoipa::path(
    tag = "tenancy",
    responses((status = 200, description = "The caller's tenant with its settings", body = TenantView)),
)]
#[get("/tenant")]
async fn get_own_tenant(
    state: web::Data<AppState>,
    caller: Authorized<can::ReadTenantSettings>,
) -> Result<HttpResponse, AppError> {
    let tenant = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::get_tenant(tx).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(settings::for_admins(tenant)))
}

#[utoipa::path(
    summary = "Change the tenant's settings",
    tag = "tenancy",
    responses((status = 200, description = "The tenant with its settings as changed", body = TenantView)),
)]
#[patch("/tenant/settings")]
async fn patch_settings(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateTenantSettings>,
    body: Json<SettingsPatch>,
) -> Result<HttpResponse, AppError> {
    let tenant = settings::update_settings(
        &state.db,
        caller.actor(),
        caller.tenant,
        body.into_inner(),
        state.workflow.egress(),
    )
    .await?;
    tracing::info!(tenant = %caller.tenant, "tenant settings updated");
    Ok(HttpResponse::Ok().json(settings::for_admins(tenant)))
}

/// A tenant's public look, for its chat widget (no sign-in: visitors have no token yet).
#[utoipa::path(
    tag = "tenancy",
    security(()),
    params(("slug" = String, Path, description = "The tenant's slug")),
    responses((status = 200, description = "The tenant's public look, for its chat widget", body = Theme)),
)]
#[get("/tenants/{slug}/theme")]
async fn get_theme(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = TenantSlug::parse(&slug)
        .map_err(|_| AppError::NotFound(Code::TenantNotFound, "no such tenant".into()))?;
    let tenant = service::find_tenant_by_slug(&state.db, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound(Code::TenantNotFound, "no such tenant".into()))?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "public, max-age=60"))
        .json(Theme::of(&tenant)))
}
