use chrono::Utc;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, DatabaseTransaction,
    EntityTrait as _, QueryFilter as _, QueryOrder as _, Set,
};
use tracing::instrument;

use super::model::{
    CreateTenant, CreateUser, Email, NewAccount, Role, TenantSlug, TenantView, UserId, UserView,
    default_tenant_settings,
};
use crate::audit::{self, Action, Event};
use crate::database::{TenantTx, begin_platform};
use crate::entity::{tenant, user};
use crate::error::{AppError, Code};
use crate::password::hash_password;

/// Creates the tenant `tx` was opened for ([`TenantTx::begin_new_tenant`]), so that its
/// first users can join it in the same transaction. A taken slug is a conflict.
#[instrument(skip_all, fields(slug = %input.slug))]
pub async fn create_tenant(tx: &TenantTx, input: CreateTenant) -> Result<TenantView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let taken = tenant::Entity::find()
        .filter(tenant::Column::Slug.eq(input.slug.as_str()))
        .one(txn)
        .await?;
    if taken.is_some() {
        return Err(AppError::conflict(
            Code::TenantSlugTaken,
            format!("tenant slug {} is taken", input.slug),
        ));
    }
    let name = input.name.as_str().to_owned();
    let model = tenant::ActiveModel {
        id: Set(tx.id()),
        slug: Set(input.slug.as_str().to_owned()),
        settings: Set(default_tenant_settings(&name)),
        name: Set(name),
        plan: Set(input.plan.as_str().to_owned()),
        created_at: Set(Utc::now()),
    }
    .insert(txn)
    .await?;
    audit::record(
        tx,
        Event::new(Action::TenantCreated)
            .on("tenant", model.id)
            .detail(serde_json::json!({"slug": model.slug, "plan": model.plan})),
    )
    .await?;
    Ok(model.into())
}

/// Resolves a slug (platform scope: used before any tenant is known, e.g. at login).
#[instrument(skip_all)]
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
#[instrument(skip_all)]
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

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn get_tenant(tx: &TenantTx) -> Result<TenantView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let found = tenant::Entity::find_by_id(tenant.0).one(txn).await?;
    found
        .map(Into::into)
        .ok_or_else(|| AppError::NotFound(Code::TenantNotFound, "no such tenant".into()))
}

/// `input` with its password hashed, ready for [`create_user`]; call it before opening the
/// transaction, which would otherwise be held for the whole (deliberately slow) hash.
#[instrument(skip_all)]
pub async fn hash_account(input: CreateUser) -> Result<NewAccount, AppError> {
    Ok(NewAccount {
        password_hash: hash_password(input.password).await?,
        email: input.email,
        role: input.role,
        display_name: input.display_name,
    })
}

#[instrument(skip_all, fields(tenant = %tx.tenant(), role = input.role.as_str()))]
pub async fn create_user(tx: &TenantTx, input: NewAccount) -> Result<UserView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let taken = user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant.0))
        .filter(user::Column::Email.eq(input.email.as_str()))
        .one(txn)
        .await?;
    if taken.is_some() {
        return Err(AppError::Conflict(
            Code::EmailTaken,
            "a user with this email already exists".into(),
        ));
    }
    let model = user::ActiveModel {
        id: Set(UserId::new().0),
        tenant_id: Set(tenant.0),
        email: Set(input.email.as_str().to_owned()),
        role: Set(input.role.as_str().to_owned()),
        password_hash: Set(input.password_hash),
        display_name: Set(input.display_name.as_str().to_owned()),
        created_at: Set(Utc::now()),
        failed_logins: Set(0),
        locked_until: Set(None),
        disabled_at: Set(None),
    }
    .insert(txn)
    .await?;
    audit::record(
        tx,
        Event::new(Action::UserCreated)
            .on("user", model.id)
            .detail(serde_json::json!({"role": model.role})),
    )
    .await?;
    model.try_into()
}

/// The user record standing for an anonymous chat visitor, created on first need (a
/// handoff ticket names a requester). It shares the visitor's id, holds a placeholder
/// address under the reserved `.invalid` domain, and has no usable password: nobody can
/// sign in as it.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn ensure_visitor_user(tx: &TenantTx, visitor: UserId) -> Result<UserId, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
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
        .exec(txn)
        .await?;
    Ok(visitor)
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn get_user(tx: &TenantTx, id: UserId) -> Result<UserView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let found = user::Entity::find_by_id(id.0)
        .filter(user::Column::TenantId.eq(tenant.0))
        .one(txn)
        .await?;
    found
        .ok_or_else(|| AppError::NotFound(Code::UserNotFound, "no such user".into()))?
        .try_into()
}

/// The user with this email in `tenant`, if any.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn find_user_by_email(
    tx: &TenantTx,
    email: &Email,
) -> Result<Option<UserView>, AppError> {
    Ok(find_credentials(tx, email).await?.map(|c| c.user))
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn list_users(tx: &TenantTx) -> Result<Vec<UserView>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let all = user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant.0))
        .order_by_asc(user::Column::CreatedAt)
        .order_by_asc(user::Column::Email)
        .all(txn)
        .await?;
    all.into_iter().map(TryInto::try_into).collect()
}

/// What sign-in needs to know about an account.
pub struct Credentials {
    pub user: UserView,
    pub password_hash: String,
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn find_credentials(
    tx: &TenantTx,
    email: &Email,
) -> Result<Option<Credentials>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let found = user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant.0))
        .filter(user::Column::Email.eq(email.as_str()))
        .one(txn)
        .await?;
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
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn update_user(
    tx: &TenantTx,
    id: UserId,
    role: Option<super::model::Role>,
    display_name: Option<super::model::DisplayName>,
) -> Result<UserView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let found = user::Entity::find_by_id(id.0)
        .filter(user::Column::TenantId.eq(tenant.0))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(Code::UserNotFound, "no such user".into()))?;
    if let Some(role) = role.filter(|r| r.as_str() != found.role) {
        audit::record(
            tx,
            Event::new(Action::RoleChanged)
                .on("user", found.id)
                .detail(serde_json::json!({"from": found.role, "to": role.as_str()})),
        )
        .await?;
    }
    let mut model: user::ActiveModel = found.into();
    if let Some(role) = role {
        model.role = Set(role.as_str().to_owned());
    }
    if let Some(name) = display_name {
        model.display_name = Set(name.as_str().to_owned());
    }
    let saved = model.update(txn).await?;
    saved.try_into()
}

/// Disables (or enables again) a user; the user as stored.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn set_user_disabled(
    tx: &TenantTx,
    id: UserId,
    disabled: bool,
) -> Result<UserView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let found = user::Entity::find_by_id(id.0)
        .filter(user::Column::TenantId.eq(tenant.0))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(Code::UserNotFound, "no such user".into()))?;
    if found.disabled_at.is_some() != disabled {
        let action = if disabled {
            Action::UserDisabled
        } else {
            Action::UserEnabled
        };
        audit::record(tx, Event::new(action).on("user", found.id)).await?;
    }
    let mut model: user::ActiveModel = found.into();
    model.disabled_at = Set(disabled.then(Utc::now));
    let saved = model.update(txn).await?;
    saved.try_into()
}

/// Stores a new password hash for a user.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn set_password_hash(
    tx: &TenantTx,
    id: UserId,
    password_hash: String,
) -> Result<(), AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let updated = user::Entity::update_many()
        .col_expr(
            user::Column::PasswordHash,
            sea_orm::sea_query::Expr::value(password_hash),
        )
        .filter(user::Column::Id.eq(id.0))
        .filter(user::Column::TenantId.eq(tenant.0))
        .exec(txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::NotFound(
            Code::UserNotFound,
            "no such user".into(),
        ));
    }
    Ok(())
}

/// Whether `id` is a user of the tenant who may still act: one that exists and is not
/// disabled. Sockets and feeds ask again while they stay open.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn user_is_active(tx: &TenantTx, id: UserId) -> Result<bool, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let found = user::Entity::find_by_id(id.0)
        .filter(user::Column::TenantId.eq(tenant.0))
        .one(txn)
        .await?;
    Ok(found.is_some_and(|u| u.disabled_at.is_none()))
}

/// Deletes a user; one still named on tickets or chats is a conflict (their history stays).
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn delete_user(tx: &TenantTx, id: UserId) -> Result<(), AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let result = user::Entity::delete_many()
        .filter(user::Column::Id.eq(id.0))
        .filter(user::Column::TenantId.eq(tenant.0))
        .exec(txn)
        .await;
    let deleted = match result {
        Ok(done) => done.rows_affected,
        Err(err) if crate::error::foreign_key_violation(&err).is_some() => {
            return Err(AppError::Conflict(
                Code::UserInUse,
                "the user is named on tickets or chats; change their role instead".into(),
            ));
        }
        Err(err) => return Err(err.into()),
    };
    if deleted == 0 {
        return Err(AppError::NotFound(
            Code::UserNotFound,
            "no such user".into(),
        ));
    }
    Ok(())
}

/// Anonymises a customer's or visitor's account for an erasure request: the address
/// becomes one under the reserved `.invalid` domain, the name a placeholder, and the
/// account is disabled. The row stays, so tickets keep their requester. `None` when the
/// tenant has no such account; staff accounts are refused.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn erase_account(tx: &TenantTx, id: UserId) -> Result<Option<UserView>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let Some(found) = user::Entity::find_by_id(id.0)
        .filter(user::Column::TenantId.eq(tx.id()))
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    if found.role != Role::Customer.as_str() {
        return Err(AppError::Conflict(
            Code::StaffNotErasable,
            "staff accounts are disabled or deleted, not erased".into(),
        ));
    }
    let mut model: user::ActiveModel = found.clone().into();
    model.email = Set(format!("erased-{}@erased.invalid", found.id));
    model.display_name = Set("Erased person".into());
    if found.disabled_at.is_none() {
        model.disabled_at = Set(Some(Utc::now()));
    }
    let saved = model.update(txn).await?;
    saved.try_into().map(Some)
}

/// Whether the tenant chose to store tickets and comments redacted
/// (`privacy.store_redacted`).
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
/// The tenant's settings as the code reads them (defaults when it has none).
pub async fn settings_of(tx: &TenantTx) -> Result<super::TenantSettings, AppError> {
    let txn: &DatabaseTransaction = tx;
    let found = tenant::Entity::find_by_id(tx.id()).one(txn).await?;
    Ok(found
        .map(|t| super::TenantSettings::of(&t.settings))
        .unwrap_or_default())
}

pub async fn stores_redacted(tx: &TenantTx) -> Result<bool, AppError> {
    let txn: &DatabaseTransaction = tx;
    let found = tenant::Entity::find_by_id(tx.id()).one(txn).await?;
    Ok(found.is_some_and(|t| {
        super::TenantSettings::of(&t.settings)
            .privacy
            .store_redacted
    }))
}
