use helpdesk::config::Settings;
use helpdesk::database;
use sea_orm::{ConnectionTrait as _, DbBackend, Statement};
use secrecy::SecretString;

use crate::helpers::{Backend, TestDatabase};

crate::on_both_backends!(migrations_round_trip);

async fn table_names(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        }
    };
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("list tables")
        .into_iter()
        .map(|row| row.try_get::<String>("", "name").expect("name"))
        .filter(|name| name != "seaql_migrations")
        .collect()
}

async fn migrations_round_trip(backend: Backend) {
    let test_db = TestDatabase::create(backend).await;
    let mut settings = Settings::default();
    settings.database.url = Some(SecretString::from(test_db.admin_url.clone()));
    let db = database::connect_admin(&settings).await.expect("connect");

    database::migrate_up(&db, None).await.expect("up");
    let after_up = table_names(&db).await;
    for table in [
        "tenants",
        "users",
        "tickets",
        "ticket_events",
        "knowledge_docs",
        "chunks",
        "chat_sessions",
        "chat_messages",
    ] {
        assert!(
            after_up.iter().any(|t| t == table),
            "{table} missing: {after_up:?}"
        );
    }
    let status = database::migration_status(&db).await.expect("status");
    assert!(status.iter().all(|m| m.applied), "{status:?}");

    database::migrate_down(&db, Some(u32::try_from(status.len()).expect("few")))
        .await
        .expect("down");
    assert!(table_names(&db).await.is_empty(), "down left tables behind");
    assert!(
        database::migration_status(&db)
            .await
            .expect("status")
            .iter()
            .all(|m| !m.applied)
    );

    database::migrate_up(&db, None).await.expect("up again");
    assert_eq!(table_names(&db).await, after_up);
}
