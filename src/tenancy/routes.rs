//! `/api/v1/users`: user administration inside the caller's tenant.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::model::{CreateUser, DisplayName, NewUser, Role, TenantSlug, UserId};
use super::service;
use super::settings::{self, SettingsPatch, Theme};
use crate::app::AppState;
use crate::auth::{Action, AuthUser, Resource};
use crate::error::AppError;
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
    caller: AuthUser,
    body: web::Json<NewUser>,
) -> Result<HttpResponse, AppError> {
    state
        .authz
        .require(&caller, Resource::Users, Action::Create)?;
    let input = CreateUser::parse(&body)?;
    let user = service::create_user(&state.db, caller.tenant, input).await?;
    Ok(HttpResponse::Created().json(user))
}

async fn list_users(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<HttpResponse, AppError> {
    state
        .authz
        .require(&caller, Resource::Users, Action::List)?;
    Ok(HttpResponse::Ok().json(service::list_users(&state.db, caller.tenant).await?))
}

async fn get_user(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    state
        .authz
        .require(&caller, Resource::Users, Action::Read)?;
    let user = service::get_user(&state.db, caller.tenant, UserId(id.into_inner())).await?;
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
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: web::Json<PatchUserBody>,
) -> Result<HttpResponse, AppError> {
    state
        .authz
        .require(&caller, Resource::Users, Action::Update)?;
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
            "an admin cannot demote themselves".into(),
        ));
    }
    let user =
        service::update_user(&state.db, caller.tenant, id, role.flatten(), name.flatten()).await?;
    Ok(HttpResponse::Ok().json(user))
}

async fn delete_user(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    state
        .authz
        .require(&caller, Resource::Users, Action::Delete)?;
    let id = UserId(id.into_inner());
    if id == caller.user {
        return Err(AppError::Conflict(
            "an admin cannot delete themselves".into(),
        ));
    }
    service::delete_user(&state.db, caller.tenant, id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's tenant with its settings (admins: the policy they edit).
async fn get_own_tenant(
    state: web::Data<AppState>,
    caller: AuthUser,
) -> Result<HttpResponse, AppError> {
    state
        .authz
        .require(&caller, Resource::TenantSettings, Action::Read)?;
    let tenant = service::get_tenant(&state.db, caller.tenant).await?;
    Ok(HttpResponse::Ok().json(settings::for_admins(tenant)))
}

async fn patch_settings(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: web::Json<SettingsPatch>,
) -> Result<HttpResponse, AppError> {
    state
        .authz
        .require(&caller, Resource::TenantSettings, Action::Update)?;
    let tenant = settings::update_settings(
        &state.db,
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
    let slug = TenantSlug::parse(&slug).map_err(|_| AppError::NotFound("no such tenant".into()))?;
    let tenant = service::find_tenant_by_slug(&state.db, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound("no such tenant".into()))?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "public, max-age=60"))
        .json(Theme::of(&tenant)))
}
