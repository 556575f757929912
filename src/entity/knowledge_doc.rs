use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "knowledge_docs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub title: String,
    pub source_path: String,
    pub source_kind: String,
    pub checksum: String,
    pub bytes: i64,
    pub added_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Little-endian f32s: the embedding of the title and headings.
    pub summary_embedding: Option<Vec<u8>>,
    /// `public` (cited to visitors) or `internal` (staff only).
    pub visibility: String,
    /// The [`crate::knowledge::READER_VERSION`] that read the file into its chunks.
    pub reader_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
