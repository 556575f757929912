use sea_orm::entity::prelude::*;

/// A passage of a knowledge document; its vector lives in the vector store under `id`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chunks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub doc_id: Uuid,
    pub chunk_index: i32,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub token_count: i32,
    #[sea_orm(column_type = "Text")]
    pub heading_path: String,
    pub char_start: i32,
    pub char_end: i32,
    pub embedding_model: String,
    pub dim: i32,
    /// Little-endian f32s: one `dim`-wide vector per sentence of `text`, in order.
    pub sentence_embeddings: Option<Vec<u8>>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
