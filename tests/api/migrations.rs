use helpdesk::config::Settings;
use helpdesk::database;
use sea_orm::{ConnectionTrait as _, DbBackend, Statement};
use secrecy::SecretString;

use crate::helpers::{Backend, Template, TestDatabase};

crate::on_both_backends!(migrations_round_trip, the_schema_matches_the_committed_dump);

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
    let test_db = TestDatabase::from_template(backend, Template::Empty).await;
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

/// The schema the migrations build, as `pg_dump --schema-only` prints it (tables, keys,
/// indexes, checks, functions, grants and row-level security policies), without the lines
/// that change from one dump to the next.
fn postgres_schema(admin_url: &str) -> String {
    let output = std::process::Command::new("pg_dump")
        .args(["--schema-only", "--dbname", admin_url])
        .output()
        .expect("pg_dump must be installed (Debian: postgresql-client)");
    assert!(
        output.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .lines()
        // Version banners, and the random key of the `\restrict` guard pg_dump adds.
        .filter(|l| {
            !(l.starts_with("-- Dumped")
                || l.starts_with("\\restrict")
                || l.starts_with("\\unrestrict"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every object SQLite keeps, with the statement that made it.
async fn sqlite_schema(db: &sea_orm::DatabaseConnection) -> String {
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT type, name, tbl_name, sql FROM sqlite_master \
             WHERE name NOT LIKE 'sqlite_%' AND name != 'seaql_migrations' ORDER BY type, name",
        ))
        .await
        .expect("schema");
    let mut out = String::new();
    for row in rows {
        let field = |name: &str| row.try_get::<Option<String>>("", name).expect(name);
        out.push_str(&format!(
            "{} {} {}\n{}\n\n",
            field("type").unwrap_or_default(),
            field("name").unwrap_or_default(),
            field("tbl_name").unwrap_or_default(),
            field("sql").unwrap_or_else(|| "None".into())
        ));
    }
    out
}

/// The schema is the one committed in `tests/fixtures/`, byte for byte: refactoring the
/// migrations (their shared helpers) must not change what they build. A deliberate schema
/// change updates the fixture in the same commit.
async fn the_schema_matches_the_committed_dump(backend: Backend) {
    let test_db = TestDatabase::from_template(backend, Template::Empty).await;
    let mut settings = Settings::default();
    settings.database.url = Some(SecretString::from(test_db.admin_url.clone()));
    let db = database::connect_admin(&settings).await.expect("connect");
    database::migrate_up(&db, None).await.expect("up");
    let (built, fixture) = match backend {
        Backend::Postgres => (postgres_schema(&test_db.admin_url), "schema.postgres.sql"),
        Backend::Sqlite => (sqlite_schema(&db).await, "schema.sqlite.sql"),
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    let expected = std::fs::read_to_string(&path).expect("fixture");
    if built.trim_end() != expected.trim_end() {
        let actual = path.with_extension("actual.sql");
        std::fs::write(&actual, &built).expect("write the built schema");
        panic!(
            "the migrations build another schema than {}: see {} (diff the two)",
            path.display(),
            actual.display()
        );
    }
}
