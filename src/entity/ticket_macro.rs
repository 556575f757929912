use sea_orm::entity::prelude::*;

/// A reply plus field changes applied to a ticket in one action; `owner_id` NULL means shared.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "macros")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub owner_id: Option<Uuid>,
    pub title: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub reply_body: Option<String>,
    pub reply_visibility: Option<String>,
    pub set_status: Option<String>,
    pub set_priority: Option<String>,
    pub set_queue: Option<String>,
    pub set_assignee: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
