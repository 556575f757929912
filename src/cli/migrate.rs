//! `helpdesk migrate`: the schema, as its owner.

use anyhow::Context as _;

use crate::config::Settings;
use crate::database;

#[derive(Debug, Clone, Copy)]
pub enum MigrateAction {
    Up { steps: Option<u32> },
    Down { steps: u32 },
    Status,
}

/// `helpdesk migrate`: runs as the schema owner (`database.admin_url`).
pub async fn run(settings: Settings, action: MigrateAction) -> anyhow::Result<()> {
    let db = database::connect_admin(&settings).await?;
    match action {
        MigrateAction::Up { steps } => {
            database::migrate_up(&db, steps).await?;
            database::provision_app_role(&db, &settings).await?;
            println!("migrations applied");
        }
        MigrateAction::Down { steps } => {
            database::migrate_down(&db, Some(steps)).await?;
            println!("rolled back {steps} migration(s)");
        }
        MigrateAction::Status => {
            let states = database::migration_status(&db).await?;
            if states.is_empty() {
                println!("no migrations defined");
            }
            for state in states {
                let mark = if state.applied { "applied" } else { "pending" };
                println!("{mark:8} {}", state.name);
            }
        }
    }
    db.close().await.context("closing the database")?;
    Ok(())
}
