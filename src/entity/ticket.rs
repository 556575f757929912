use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tickets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub number: i64,
    pub requester_id: Uuid,
    pub assignee_id: Option<Uuid>,
    pub queue: String,
    pub category: Option<String>,
    pub category_confidence: Option<f64>,
    pub status: String,
    pub priority: String,
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub sla_due_at: Option<DateTimeUtc>,
    pub resolution_due_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// When staff first replied in public: the end of the first-response wait.
    pub first_response_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
