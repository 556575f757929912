//! PostgreSQL row-level security, seen from the application role itself.

use helpdesk::cli::seed;
use helpdesk::database::begin_tenant;
use sea_orm::{
    ConnectOptions, ConnectionTrait as _, Database, DatabaseConnection, DbBackend, Statement,
};

use crate::helpers::{Backend, spawn_app};

async fn scalar(conn: &impl sea_orm::ConnectionTrait, sql: &str) -> i64 {
    conn.query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .expect("query")
        .expect("row")
        .try_get_by_index::<i64>(0)
        .expect("bigint")
}

/// One connection, so that a later statement reuses the session an earlier one configured.
async fn single_connection(url: &str) -> DatabaseConnection {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    Database::connect(options).await.expect("app role connects")
}

#[tokio::test]
async fn a_tenant_sees_only_its_own_rows() {
    let app = spawn_app(Backend::Postgres).await;
    let (manifest, _) = seed::seed(app.db()).await.expect("seed");
    let (a, b) = (&manifest.tenants[0], &manifest.tenants[1]);
    let db = single_connection(&app.database.url).await;

    let txn = begin_tenant(&db, a.id.0).await.expect("scope");
    // No WHERE clause: the policy alone narrows the rows.
    assert_eq!(scalar(&txn, "SELECT count(*) FROM tickets").await, 9);
    assert_eq!(scalar(&txn, "SELECT count(*) FROM users").await, 3);
    assert_eq!(scalar(&txn, "SELECT count(*) FROM tenants").await, 1);
    assert_eq!(
        scalar(
            &txn,
            &format!("SELECT count(*) FROM tickets WHERE tenant_id = '{}'", b.id)
        )
        .await,
        0
    );
    txn.commit().await.expect("commit");

    // The same session afterwards, with no tenant set: nothing at all.
    assert_eq!(scalar(&db, "SELECT count(*) FROM tickets").await, 0);
    assert_eq!(scalar(&db, "SELECT count(*) FROM users").await, 0);
    assert_eq!(scalar(&db, "SELECT count(*) FROM tenants").await, 0);
}

#[tokio::test]
async fn writing_another_tenants_rows_fails() {
    let app = spawn_app(Backend::Postgres).await;
    let (manifest, _) = seed::seed(app.db()).await.expect("seed");
    let (a, b) = (&manifest.tenants[0], &manifest.tenants[1]);
    let db = single_connection(&app.database.url).await;

    let txn = begin_tenant(&db, a.id.0).await.expect("scope");
    let err = txn
        .execute_unprepared(&format!(
            "INSERT INTO ticket_events (id, tenant_id, ticket_id, author_id, kind, body, data, created_at) \
             VALUES (gen_random_uuid(), '{}', '{}', NULL, 'comment', 'x', '{{}}', now())",
            b.id, b.tickets[0]
        ))
        .await
        .expect_err("insert for B under A");
    assert!(err.to_string().contains("row-level security"), "{err}");
    txn.rollback().await.expect("rollback");

    let txn = begin_tenant(&db, a.id.0).await.expect("scope");
    let updated = txn
        .execute_unprepared(&format!(
            "UPDATE tickets SET subject = 'hijacked' WHERE id = '{}'",
            b.tickets[0]
        ))
        .await
        .expect("update runs");
    assert_eq!(
        updated.rows_affected(),
        0,
        "B's ticket is invisible to A's update"
    );
    let err = txn
        .execute_unprepared(&format!(
            "UPDATE tickets SET tenant_id = '{}' WHERE id = '{}'",
            b.id, a.tickets[0]
        ))
        .await
        .expect_err("moving a row to B");
    assert!(err.to_string().contains("row-level security"), "{err}");
}

#[tokio::test]
async fn the_application_role_cannot_escape_the_policies() {
    let app = spawn_app(Backend::Postgres).await;
    let db = single_connection(&app.database.url).await;
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM pg_roles WHERE rolname = current_user AND NOT rolsuper AND NOT rolbypassrls").await,
        1,
        "the role is neither superuser nor BYPASSRLS"
    );
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user").await,
        0,
        "the role owns no table"
    );
    let err = db
        .execute_unprepared("ALTER TABLE tickets DISABLE ROW LEVEL SECURITY")
        .await
        .expect_err("disable RLS");
    assert!(err.to_string().contains("must be owner"), "{err}");
    let err = db
        .execute_unprepared("DROP POLICY tenant_isolation ON tickets")
        .await
        .expect_err("drop policy");
    assert!(err.to_string().contains("must be owner"), "{err}");
    db.execute_unprepared("SET row_security = off")
        .await
        .expect("setting itself is allowed");
    let err = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(*) FROM tickets",
        ))
        .await
        .expect_err("queries refuse to run unfiltered");
    assert!(err.to_string().contains("row-level security"), "{err}");
}

/// Every table holding tenant rows — the chat's knowledge gaps included — has row-level
/// security forced and a policy, so a new table cannot be added without one unnoticed.
#[tokio::test]
async fn every_tenant_table_has_a_forced_policy() {
    let app = spawn_app(Backend::Postgres).await;
    let admin = Database::connect(&app.database.admin_url)
        .await
        .expect("admin");
    let tables = scalar(
        &admin,
        "SELECT count(DISTINCT table_name) FROM information_schema.columns \
         WHERE table_schema = 'public' AND column_name = 'tenant_id'",
    )
    .await;
    assert!(tables >= 10, "tenant tables found: {tables}");
    let unprotected = scalar(
        &admin,
        "SELECT count(DISTINCT c.table_name) FROM information_schema.columns c \
         JOIN pg_class k ON k.relname = c.table_name AND k.relkind = 'r' \
         WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' \
           AND NOT (k.relrowsecurity AND k.relforcerowsecurity \
                    AND EXISTS (SELECT 1 FROM pg_policies p \
                                WHERE p.tablename = c.table_name AND p.policyname = 'tenant_isolation'))",
    )
    .await;
    assert_eq!(unprotected, 0, "tables with tenant_id but no forced policy");

    // And it binds: a gap written for A is invisible under B.
    let (manifest, _) = seed::seed(app.db()).await.expect("seed");
    let (a, b) = (&manifest.tenants[0], &manifest.tenants[1]);
    let db = single_connection(&app.database.url).await;
    let txn = begin_tenant(&db, a.id.0).await.expect("scope");
    txn.execute_unprepared(&format!(
        "INSERT INTO knowledge_gaps (id, tenant_id, session_id, question, embedding, created_at) \
         VALUES (gen_random_uuid(), '{}', NULL, 'q', '\\x00', now())",
        a.id
    ))
    .await
    .expect("A writes its own gap");
    txn.commit().await.expect("commit");
    let txn = begin_tenant(&db, b.id.0).await.expect("scope");
    assert_eq!(scalar(&txn, "SELECT count(*) FROM knowledge_gaps").await, 0);
    txn.commit().await.expect("commit");
    let txn = begin_tenant(&db, a.id.0).await.expect("scope");
    assert_eq!(scalar(&txn, "SELECT count(*) FROM knowledge_gaps").await, 1);
    txn.commit().await.expect("commit");
}
