use sea_orm::entity::prelude::*;

/// One tenant's usage on one UTC day (`day` is `YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_daily")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub model_ms: i64,
    pub embedding_inputs: i64,
    pub answered: i64,
    pub suggested: i64,
    pub abstained: i64,
    pub handoffs: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
