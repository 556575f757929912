use helpdesk::tenancy::{self, UserId};
use helpdesk::tickets::{self, TicketId};
use helpdesk::{db_health, seed};

use crate::helpers::{Backend, spawn_app};

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
        let view = tenancy::get_tenant(db, tenant.id)
            .await
            .expect("tenant resolves");
        assert_eq!(view.slug, tenant.slug);
        for user in &tenant.users {
            let found = tenancy::get_user(db, tenant.id, UserId(user.id))
                .await
                .expect("user resolves");
            assert_eq!(found.email, user.email);
        }
        assert_eq!(tenant.tickets.len(), 9);
        for id in &tenant.tickets {
            let ticket = tickets::get_ticket(db, tenant.id, TicketId(*id))
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
