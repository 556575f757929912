//! `/api/v1/users`: user administration inside the caller's tenant.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::model::{CreateUser, DisplayName, NewUser, Role, TenantSlug, UserId};
use super::service;
use super::settings::{self, SettingsPatch, Theme};
use crate::app::AppState;
use crate::auth::{Authorized, can};
use crate::database::TenantTx;
use crate::error::{AppError, Code};
use crate::validation::Fields;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/users", web::post().to(create_user))
        .route("/users", web::get().to(list_users))
        .route("/users/{id}", web::get().to(get_user))
        .route("/users/{id}", web::patch().to(update_user))
        .route("/users/{id}", web::delete().to(delete_user))
        .route("/tenant", web::get().to(get_own_tenant))
        .route("/tenant/settings", web::patch().to(patch_settings))
        .route("/tenants/{slug}/theme", web::get().to(get_theme));
}

async fn create_user(
    state: web::Data<AppState>,
    caller: Authorized<can::CreateUsers>,
    body: web::Json<NewUser>,
) -> Result<HttpResponse, AppError> {
    let input = service::hash_account(CreateUser::parse(&body)?).await?;
    let user = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::create_user(tx, input).await
    })
    .await?;
    Ok(HttpResponse::Created().json(user))
}

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchUserBody {
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
}

async fn update_user(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateUsers>,
    id: web::Path<Uuid>,
    body: web::Json<PatchUserBody>,
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

async fn patch_settings(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateTenantSettings>,
    body: web::Json<SettingsPatch>,
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
