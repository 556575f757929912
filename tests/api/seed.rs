use helpdesk::cli::{db_health, seed};
use helpdesk::tenancy::{self, UserId};
use helpdesk::tickets::{self, TicketId};

use crate::helpers::{Backend, spawn_app};
use helpdesk::database::TenantTx;

crate::on_both_backends!(seeding_twice_changes_nothing);

async fn seeding_twice_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = app.db();

    let (first, outcome) = seed::seed(db).await.expect("first seed");
    assert_eq!(outcome.created_tenants, 2);
    assert_eq!(outcome.created_users.len(), 6);
    assert_eq!(outcome.created_tickets, 18);
    let counts_after_first = db_health::check(db).await.expect("health");
    assert_eq!(counts_after_first.count("Tenants"), Some(2));
    assert_eq!(counts_after_first.count("Users"), Some(6));
    assert_eq!(counts_after_first.count("Tickets"), Some(18));
    assert!(
        counts_after_first.problems.is_empty(),
        "{:?}",
        counts_after_first.problems
    );

    let (second, outcome) = seed::seed(db).await.expect("second seed");
    assert_eq!(
        outcome.created_tenants + outcome.created_users.len() + outcome.created_tickets,
        0
    );
    assert_eq!(second, first, "the manifest names the same rows");
    assert_eq!(
        db_health::check(db).await.expect("health"),
        counts_after_first
    );

    // Every id in the manifest resolves, in its own tenant.
    for tenant in &second.tenants {
        let view = TenantTx::run(db, tenant.id, async |tx| tenancy::get_tenant(tx).await)
            .await
            .expect("tenant resolves");
        assert_eq!(view.slug, tenant.slug);
        for user in &tenant.users {
            let found = TenantTx::run(db, tenant.id, async |tx| {
                tenancy::get_user(tx, UserId(user.id)).await
            })
            .await
            .expect("user resolves");
            assert_eq!(found.email, user.email);
        }
        assert_eq!(tenant.tickets.len(), 9);
        for id in &tenant.tickets {
            let ticket = TenantTx::run(db, tenant.id, async |tx| {
                tickets::get_ticket(tx, TicketId(*id)).await
            })
            .await
            .expect("ticket resolves");
            assert_eq!(ticket.tenant_id, tenant.id);
        }
    }

    // The manifest file round-trips.
    let dir = tempfile::tempdir().expect("dir");
    let path = seed::write_manifest(dir.path(), &second).expect("write");
    let read: seed::Manifest =
        serde_json::from_slice(&std::fs::read(path).expect("read")).expect("parse");
    assert_eq!(read, second);
}
