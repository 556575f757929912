use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub user_id: Option<Uuid>,
    /// The anonymous visitor (a visitor token's subject) who owns the session.
    pub visitor_id: Option<Uuid>,
    pub status: String,
    pub ticket_id: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub summary: Option<String>,
    pub created_at: DateTimeUtc,
    /// The best of the bot's replies so far (`answered`, else `suggested`, else
    /// `abstained`): what the reports count chats by, without reading their messages.
    pub bot_outcome: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
