use chrono::Utc;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, Set,
};
use tracing::instrument;

use super::model::{
    CreateTenant, CreateUser, Email, Role, TenantId, TenantSlug, TenantView, UserId, UserView,
    default_tenant_settings,
};
use crate::database::{begin_platform, begin_tenant};
use crate::entity::{tenant, user};
use crate::error::AppError;
use crate::password::hash_password;

/// Creates a tenant (platform scope). A taken slug is a conflict.
#[instrument(skip_all, fields(slug = %input.slug))]
pub async fn create_tenant(
    db: &DatabaseConnection,
    input: CreateTenant,
) -> Result<TenantView, AppError> {
    let txn = begin_platform(db).await?;
    let taken = tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(input.slug.as_str()))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(AppError::Conflict(format!(
            "tenant slug {} is taken",
            input.slug
        )));
    }
    let name = input.name.as_str().to_owned();
    let model = tenant::ActiveModel {
        id: Set(TenantId::new().0),
        slug: Set(input.slug.as_str().to_owned()),
        settings: Set(default_tenant_settings(&name)),
        name: Set(name),
        plan: Set(input.plan.as_str().to_owned()),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(model.into())
}

/// Resolves a slug (platform scope: used before any tenant is known, e.g. at login).
pub async fn find_tenant_by_slug(
    db: &DatabaseConnection,
    slug: &TenantSlug,
) -> Result<Option<TenantView>, AppError> {
    let txn = begin_platform(db).await?;
    let found = tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(slug.as_str()))
        .one(&txn)
        .await?;
    txn.commit().await?;
    Ok(found.map(Into::into))
}

/// Every tenant, oldest first (platform scope: operators and admin commands).
pub async fn list_tenants(db: &DatabaseConnection) -> Result<Vec<TenantView>, AppError> {
    let txn = begin_platform(db).await?;
    let all = tenant::Entity::find()
        .order_by_asc(tenant::Column::CreatedAt)
        .order_by_asc(tenant::Column::Slug)
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(all.into_iter().map(Into::into).collect())
}

#[instrument(skip_all, fields(tenant = %tenant))]
pub async fn get_tenant(db: &DatabaseConnection, tenant: TenantId) -> Result<TenantView, AppError> {
    let txn = begin_tenant(db, tenant.0).await?;
    let found = tenant::Entity::find_by_id(tenant.0).one(&txn).await?;
    txn.commit().await?;
    found
        .map(Into::into)
        .ok_or_else(|| AppError::NotFound("no such tenant".into()))
}

#[instrument(skip_all, fields(tenant = %tenant, role = input.role.as_str()))]
pub async fn create_user(
    db: &DatabaseConnection,
    tenant: TenantId,
    input: CreateUser,
) -> Result<UserView, AppError> {
    // Hash before opening the transaction: it is slow on purpose.
    let password_hash = hash_password(input.password).await?;
    let txn = begin_tenant(db, tenant.0).await?;
    let taken = user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant.0))
        .filter(user::Column::Email.eq(input.email.as_str()))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(AppError::Conflict(
            "a user with this email already exists".into(),
        ));
    }
    let model = user::ActiveModel {
        id: Set(UserId::new().0),
        tenant_id: Set(tenant.0),
        email: Set(input.email.as_str().to_owned()),
        role: Set(input.role.as_str().to_owned()),
        password_hash: Set(password_hash),
        display_name: Set(input.display_name.as_str().to_owned()),
        created_at: Set(Utc::now()),
        failed_logins: Set(0),
        locked_until: Set(None),
        disabled_at: Set(None),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    model.try_into()
}

/// The user record standing for an anonymous chat visitor, created on first need (a
/// handoff ticket names a requester). It shares the visitor's id, holds a placeholder
/// address under the reserved `.invalid` domain, and has no usable password: nobody can
/// sign in as it.
#[instrument(skip_all, fields(tenant = %tenant))]
pub async fn ensure_visitor_user(
    db: &DatabaseConnection,
    tenant: TenantId,
    visitor: UserId,
) -> Result<UserId, AppError> {
    let txn = begin_tenant(db, tenant.0).await?;
    // Insert-if-absent in one statement: two handoffs of one visitor at once both succeed.
    let record = user::ActiveModel {
        id: Set(visitor.0),
        tenant_id: Set(tenant.0),
        email: Set(format!("visitor-{}@visitors.invalid", visitor.0.simple())),
        role: Set(Role::Customer.as_str().to_owned()),
        // Not a PHC string: verification never matches it.
        password_hash: Set("!chat-visitor".to_owned()),
        display_name: Set("Chat visitor".to_owned()),
        created_at: Set(Utc::now()),
        failed_logins: Set(0),
        locked_until: Set(None),
        disabled_at: Set(None),
    };
    user::Entity::insert(record)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(user::Column::Id)
                .do_nothing()
                .to_owned(),
        )
        .try_insert()
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(visitor)
}

pub async fn get_user(
    db: &DatabaseConnection,
    tenant: TenantId,
    id: UserId,
) -> Result<UserView, AppError> {
    let txn = begin_tenant(db, tenant.0).await?;
    let found = user::Entity::find_by_id(id.0)
        .filter(user::Column::TenantId.eq(tenant.0))
        .one(&txn)
        .await?;
    txn.commit().await?;
    found
        .ok_or_else(|| AppError::NotFound("no such user".into()))?
        .try_into()
}

/// The user with this email in `tenant`, if any.
pub async fn find_user_by_email(
    db: &DatabaseConnection,
    tenant: TenantId,
    email: &Email,
) -> Result<Option<UserView>, AppError> {
    Ok(find_credentials(db, tenant, email).await?.map(|c| c.user))
}

pub async fn list_users(
    db: &DatabaseConnection,
    tenant: TenantId,
) -> Result<Vec<UserView>, AppError> {
    let txn = begin_tenant(db, tenant.0).await?;
    let all = user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant.0))
        .order_by_asc(user::Column::CreatedAt)
        .order_by_asc(user::Column::Email)
        .all(&txn)
        .await?;
    txn.commit().await?;
    all.into_iter().map(TryInto::try_into).collect()
}

/// What sign-in needs to know about an account.
pub struct Credentials {
    pub user: UserView,
    pub password_hash: String,
}

pub async fn find_credentials(
    db: &DatabaseConnection,
    tenant: TenantId,
    email: &Email,
) -> Result<Option<Credentials>, AppError> {
    let txn = begin_tenant(db, tenant.0).await?;
    let found = user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant.0))
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?;
    txn.commit().await?;
    found
        .map(|model| {
            let password_hash = model.password_hash.clone();
            Ok(Credentials {
                user: model.try_into()?,
                password_hash,
            })
        })
        .transpose()
}

/// Changes a user's role and/or display name.
pub async fn update_user(
    db: &DatabaseConnection,
    tenant: TenantId,
    id: UserId,
    role: Option<super::model::Role>,
    display_name: Option<super::model::DisplayName>,
) -> Result<UserView, AppError> {
    let txn = begin_tenant(db, tenant.0).await?;
    let found = user::Entity::find_by_id(id.0)
        .filter(user::Column::TenantId.eq(tenant.0))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("no such user".into()))?;
    let mut model: user::ActiveModel = found.into();
    if let Some(role) = role {
        model.role = Set(role.as_str().to_owned());
    }
    if let Some(name) = display_name {
        model.display_name = Set(name.as_str().to_owned());
    }
    let saved = model.update(&txn).await?;
    txn.commit().await?;
    saved.try_into()
}

/// Disables (or enables again) a user; the user as stored.
pub async fn set_user_disabled(
    db: &DatabaseConnection,
    tenant: TenantId,
    id: UserId,
    disabled: bool,
) -> Result<UserView, AppError> {
    let txn = begin_tenant(db, tenant.0).await?;
    let found = user::Entity::find_by_id(id.0)
        .filter(user::Column::TenantId.eq(tenant.0))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("no such user".into()))?;
    let mut model: user::ActiveModel = found.into();
    model.disabled_at = Set(disabled.then(Utc::now));
    let saved = model.update(&txn).await?;
    txn.commit().await?;
    saved.try_into()
}

/// Stores a new password hash for a user.
pub async fn set_password_hash(
    db: &DatabaseConnection,
    tenant: TenantId,
    id: UserId,
    password_hash: String,
) -> Result<(), AppError> {
    let txn = begin_tenant(db, tenant.0).await?;
    let updated = user::Entity::update_many()
        .col_expr(
            user::Column::PasswordHash,
            sea_orm::sea_query::Expr::value(password_hash),
        )
        .filter(user::Column::Id.eq(id.0))
        .filter(user::Column::TenantId.eq(tenant.0))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    if updated.rows_affected == 0 {
        return Err(AppError::NotFound("no such user".into()));
    }
    Ok(())
}

/// Whether `id` is a user of the tenant who may still act: one that exists and is not
/// disabled. Sockets and feeds ask again while they stay open.
pub async fn user_is_active(
    db: &DatabaseConnection,
    tenant: TenantId,
    id: UserId,
) -> Result<bool, AppError> {
    let txn = begin_tenant(db, tenant.0).await?;
    let found = user::Entity::find_by_id(id.0)
        .filter(user::Column::TenantId.eq(tenant.0))
        .one(&txn)
        .await?;
    txn.commit().await?;
    Ok(found.is_some_and(|u| u.disabled_at.is_none()))
}

/// Deletes a user; one still named on tickets or chats is a conflict (their history stays).
pub async fn delete_user(
    db: &DatabaseConnection,
    tenant: TenantId,
    id: UserId,
) -> Result<(), AppError> {
    let txn = begin_tenant(db, tenant.0).await?;
    let result = user::Entity::delete_many()
        .filter(user::Column::Id.eq(id.0))
        .filter(user::Column::TenantId.eq(tenant.0))
        .exec(&txn)
        .await;
    let deleted = match result {
        Ok(done) => done.rows_affected,
        Err(err)
            if matches!(
                err.sql_err(),
                Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_))
            ) =>
        {
            return Err(AppError::Conflict(
                "the user is named on tickets or chats; change their role instead".into(),
            ));
        }
        Err(err) => return Err(err.into()),
    };
    if deleted == 0 {
        return Err(AppError::NotFound("no such user".into()));
    }
    txn.commit().await?;
    Ok(())
}
