//! Schema migrations, written with the schema manager only (no entity imports),
//! so that old migrations keep compiling while the entities move on.

pub use sea_orm_migration::MigrationStatus;
pub use sea_orm_migration::prelude::*;

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        Vec::new()
    }
}
