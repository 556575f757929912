//! Storage of canned replies and macros. Agents see the shared ones and their own; a
//! shared one is changed by admins only, a personal one by its owner only. Anything else is
//! NotFound (someone else's personal reply) or Forbidden (a shared one, for an agent).

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait, Condition, DatabaseTransaction, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, Set,
};
use tracing::instrument;
use uuid::Uuid;

use super::model::{CannedReplyInput, CannedReplyView, MacroInput, MacroView, Owner};
use crate::auth::{AuthUser, CallerRole};
use crate::database::TenantTx;
use crate::entity::{canned_reply, ticket_macro};
use crate::error::{AppError, Code};

/// Rows `caller` may see: shared, or their own.
fn visible_to(caller: &AuthUser, owner: impl ColumnTrait + Copy) -> Condition {
    Condition::any()
        .add(owner.is_null())
        .add(owner.eq(caller.user.0))
}

/// Whether `caller` may create, change or remove something owned by `owner`.
fn may_change(caller: &AuthUser, owner: Owner, missing: fn() -> AppError) -> Result<(), AppError> {
    match owner {
        Owner::Shared if caller.role == CallerRole::Admin => Ok(()),
        Owner::Shared => Err(AppError::Forbidden(
            Code::ActionForbidden,
            "only admins change the tenant's shared replies and macros".into(),
        )),
        Owner::Agent(user) if user == caller.user => Ok(()),
        Owner::Agent(_) => Err(missing()),
    }
}

fn reply_not_found() -> AppError {
    AppError::NotFound(Code::CannedReplyNotFound, "no such canned reply".into())
}

fn macro_not_found() -> AppError {
    AppError::NotFound(Code::MacroNotFound, "no such macro".into())
}

/// The owner a new record gets.
pub fn owner_for(caller: &AuthUser, shared: bool) -> Result<Owner, AppError> {
    let owner = if shared {
        Owner::Shared
    } else {
        Owner::Agent(caller.user)
    };
    may_change(caller, owner, reply_not_found)?;
    Ok(owner)
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn list_canned_replies(
    tx: &TenantTx,
    caller: &AuthUser,
) -> Result<Vec<CannedReplyView>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let rows = canned_reply::Entity::find()
        .filter(canned_reply::Column::TenantId.eq(tx.tenant().0))
        .filter(visible_to(caller, canned_reply::Column::OwnerId))
        .order_by_asc(canned_reply::Column::Title)
        .order_by_asc(canned_reply::Column::Id)
        .all(txn)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn create_canned_reply(
    tx: &TenantTx,
    owner: Owner,
    input: CannedReplyInput,
) -> Result<CannedReplyView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let now = Utc::now();
    let (Some(title), Some(body)) = (input.title, input.body) else {
        return Err(AppError::Internal(anyhow::anyhow!(
            "a new canned reply without title or body"
        )));
    };
    let model = canned_reply::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tx.tenant().0),
        owner_id: Set(owner.column()),
        title: Set(title),
        body: Set(body),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    Ok(model.into())
}

async fn find_canned(
    tx: &TenantTx,
    caller: &AuthUser,
    id: Uuid,
) -> Result<canned_reply::Model, AppError> {
    let txn: &DatabaseTransaction = tx;
    canned_reply::Entity::find_by_id(id)
        .filter(canned_reply::Column::TenantId.eq(tx.tenant().0))
        .filter(visible_to(caller, canned_reply::Column::OwnerId))
        .one(txn)
        .await?
        .ok_or_else(reply_not_found)
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn update_canned_reply(
    tx: &TenantTx,
    caller: &AuthUser,
    id: Uuid,
    input: CannedReplyInput,
) -> Result<CannedReplyView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let found = find_canned(tx, caller, id).await?;
    may_change(caller, Owner::of(found.owner_id), reply_not_found)?;
    let mut active: canned_reply::ActiveModel = found.into();
    if let Some(title) = input.title {
        active.title = Set(title);
    }
    if let Some(body) = input.body {
        active.body = Set(body);
    }
    active.updated_at = Set(Utc::now());
    Ok(active.update(txn).await?.into())
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn delete_canned_reply(
    tx: &TenantTx,
    caller: &AuthUser,
    id: Uuid,
) -> Result<(), AppError> {
    let txn: &DatabaseTransaction = tx;
    let found = find_canned(tx, caller, id).await?;
    may_change(caller, Owner::of(found.owner_id), reply_not_found)?;
    canned_reply::Entity::delete_many()
        .filter(canned_reply::Column::TenantId.eq(tx.tenant().0))
        .filter(canned_reply::Column::Id.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn list_macros(tx: &TenantTx, caller: &AuthUser) -> Result<Vec<MacroView>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let rows = ticket_macro::Entity::find()
        .filter(ticket_macro::Column::TenantId.eq(tx.tenant().0))
        .filter(visible_to(caller, ticket_macro::Column::OwnerId))
        .order_by_asc(ticket_macro::Column::Title)
        .order_by_asc(ticket_macro::Column::Id)
        .all(txn)
        .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

fn macro_fields(active: &mut ticket_macro::ActiveModel, input: MacroInput) {
    active.title = Set(input.title);
    let (body, visibility) = match input.reply {
        Some((body, visibility)) => (Some(body), Some(visibility.as_str().to_owned())),
        None => (None, None),
    };
    active.reply_body = Set(body);
    active.reply_visibility = Set(visibility);
    active.set_status = Set(input.status.map(|s| s.as_str().to_owned()));
    active.set_priority = Set(input.priority.map(|p| p.as_str().to_owned()));
    active.set_queue = Set(input.queue.map(|q| q.as_str().to_owned()));
    active.set_assignee = Set(input.assignee.map(|a| a.0));
    active.updated_at = Set(Utc::now());
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn create_macro(
    tx: &TenantTx,
    owner: Owner,
    input: MacroInput,
) -> Result<MacroView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let mut active = ticket_macro::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tx.tenant().0),
        owner_id: Set(owner.column()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    macro_fields(&mut active, input);
    active.insert(txn).await?.try_into()
}

/// A macro `caller` may use: shared, or their own.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn find_macro(tx: &TenantTx, caller: &AuthUser, id: Uuid) -> Result<MacroView, AppError> {
    let txn: &DatabaseTransaction = tx;
    ticket_macro::Entity::find_by_id(id)
        .filter(ticket_macro::Column::TenantId.eq(tx.tenant().0))
        .filter(visible_to(caller, ticket_macro::Column::OwnerId))
        .one(txn)
        .await?
        .ok_or_else(macro_not_found)?
        .try_into()
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn replace_macro(
    tx: &TenantTx,
    caller: &AuthUser,
    id: Uuid,
    input: MacroInput,
) -> Result<MacroView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let found = find_macro(tx, caller, id).await?;
    may_change(
        caller,
        Owner::of(found.owner_id.map(|o| o.0)),
        macro_not_found,
    )?;
    let mut active = ticket_macro::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id),
        ..Default::default()
    };
    macro_fields(&mut active, input);
    let updated = ticket_macro::Entity::update_many()
        .set(active)
        .filter(ticket_macro::Column::TenantId.eq(tx.tenant().0))
        .filter(ticket_macro::Column::Id.eq(id))
        .exec(txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(macro_not_found());
    }
    find_macro(tx, caller, id).await
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn delete_macro(tx: &TenantTx, caller: &AuthUser, id: Uuid) -> Result<(), AppError> {
    let txn: &DatabaseTransaction = tx;
    let found = find_macro(tx, caller, id).await?;
    may_change(
        caller,
        Owner::of(found.owner_id.map(|o| o.0)),
        macro_not_found,
    )?;
    ticket_macro::Entity::delete_many()
        .filter(ticket_macro::Column::TenantId.eq(tx.tenant().0))
        .filter(ticket_macro::Column::Id.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

/// The titles of the tenant's shared canned replies and macros (the demo seed skips those
/// that exist).
pub async fn shared_titles(tx: &TenantTx) -> Result<Vec<String>, AppError> {
    use sea_orm::QuerySelect as _;
    let txn: &DatabaseTransaction = tx;
    let mut titles: Vec<String> = canned_reply::Entity::find()
        .select_only()
        .column(canned_reply::Column::Title)
        .filter(canned_reply::Column::TenantId.eq(tx.tenant().0))
        .filter(canned_reply::Column::OwnerId.is_null())
        .into_tuple()
        .all(txn)
        .await?;
    let macros: Vec<String> = ticket_macro::Entity::find()
        .select_only()
        .column(ticket_macro::Column::Title)
        .filter(ticket_macro::Column::TenantId.eq(tx.tenant().0))
        .filter(ticket_macro::Column::OwnerId.is_null())
        .into_tuple()
        .all(txn)
        .await?;
    titles.extend(macros);
    Ok(titles)
}
