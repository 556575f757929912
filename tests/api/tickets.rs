//! The tickets service: every call is scoped by a tenant, and the boundary holds.

use chrono::Utc;
use helpdesk::error::AppError;
use helpdesk::tenancy::{self, CreateTenant, CreateUser, NewTenant, NewUser, TenantId, UserId};
use helpdesk::tickets::{self, CreateTicket, NewTicket, Status, TicketFilter};
use sea_orm::{ActiveModelTrait as _, DatabaseConnection, Set};
use secrecy::SecretString;

use crate::helpers::{Backend, spawn_app};
use helpdesk::database::TenantTx;

crate::on_both_backends!(
    another_tenants_ticket_is_not_found,
    a_requester_from_another_tenant_is_refused,
    numbers_are_sequential_per_tenant,
    concurrent_creates_get_distinct_numbers,
    a_stale_version_conflicts,
    bad_input_is_refused_and_nothing_is_written,
    the_database_refuses_a_closed_ticket_without_closed_at,
);

async fn tenant_with_customer(db: &DatabaseConnection, slug: &str) -> (TenantId, UserId) {
    let tenant = helpdesk::desk::create_tenant(
        db,
        CreateTenant::parse(&NewTenant {
            slug: slug.into(),
            name: slug.to_uppercase(),
            plan: None,
        })
        .expect("valid tenant"),
    )
    .await
    .expect("tenant");
    let account = tenancy::hash_account(
        CreateUser::parse(&NewUser {
            email: format!("customer@{slug}.example"),
            role: "customer".into(),
            display_name: "Customer".into(),
            password: SecretString::from("a long enough password"),
        })
        .expect("valid user"),
    )
    .await
    .expect("hashed");
    let user = TenantTx::run(db, tenant.id, async |tx| {
        tenancy::create_user(tx, account).await
    })
    .await
    .expect("user");
    (tenant.id, user.id)
}

fn new_ticket(requester: UserId, subject: &str) -> NewTicket {
    NewTicket {
        requester_id: requester.0,
        subject: subject.into(),
        body: "details".into(),
        priority: None,
        queue: None,
        status: None,
        closed_at: None,
    }
}

async fn open_ticket(
    db: &DatabaseConnection,
    tenant: TenantId,
    requester: UserId,
    subject: &str,
) -> tickets::TicketView {
    TenantTx::run(db, tenant, async |tx| {
        tickets::create_ticket(
            tx,
            CreateTicket::parse(&new_ticket(requester, subject)).expect("valid"),
        )
        .await
    })
    .await
    .expect("created")
}

async fn count_tickets(db: &DatabaseConnection, tenant: TenantId) -> usize {
    TenantTx::run(db, tenant, async |tx| {
        tickets::list_tickets(tx, &TicketFilter::default(), tickets::MAX_PAGE).await
    })
    .await
    .expect("list")
    .len()
}

async fn another_tenants_ticket_is_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = app.db();
    let (a, a_user) = tenant_with_customer(db, "tenant-a").await;
    let (b, _) = tenant_with_customer(db, "tenant-b").await;
    let ticket = open_ticket(db, a, a_user, "Printer jam").await;

    assert_eq!(
        TenantTx::run(db, a, async |tx| tickets::get_ticket(tx, ticket.id).await)
            .await
            .expect("own")
            .id,
        ticket.id
    );
    let err = TenantTx::run(db, b, async |tx| tickets::get_ticket(tx, ticket.id).await)
        .await
        .expect_err("other tenant");
    assert!(matches!(err, AppError::NotFound(..)), "{err:?}");
    let err = TenantTx::run(db, b, async |tx| {
        tickets::change_status(tx, ticket.id, ticket.version, Status::Closed, None).await
    })
    .await
    .expect_err("other tenant");
    assert!(matches!(err, AppError::NotFound(..)), "{err:?}");
    assert_eq!(count_tickets(db, b).await, 0);
    // And B's attempt changed nothing for A.
    assert_eq!(
        TenantTx::run(db, a, async |tx| tickets::get_ticket(tx, ticket.id).await)
            .await
            .expect("own")
            .status,
        Status::Open
    );
    let err = TenantTx::run(db, b, async |tx| tenancy::get_user(tx, a_user).await)
        .await
        .expect_err("other tenant's user");
    assert!(matches!(err, AppError::NotFound(..)), "{err:?}");
}

async fn a_requester_from_another_tenant_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = app.db();
    let (a, _) = tenant_with_customer(db, "tenant-a").await;
    let (_, b_user) = tenant_with_customer(db, "tenant-b").await;
    let err = TenantTx::run(db, a, async |tx| {
        tickets::create_ticket(
            tx,
            CreateTicket::parse(&new_ticket(b_user, "Sneaky")).expect("valid"),
        )
        .await
    })
    .await
    .expect_err("foreign requester");
    let AppError::Validation { fields, .. } = err else {
        panic!("expected validation, got {err:?}")
    };
    assert_eq!(fields[0].field, "requester_id");
    assert_eq!(count_tickets(db, a).await, 0);
}

async fn numbers_are_sequential_per_tenant(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = app.db();
    let (a, a_user) = tenant_with_customer(db, "tenant-a").await;
    let (b, b_user) = tenant_with_customer(db, "tenant-b").await;
    let mut numbers = Vec::new();
    for i in 0..3 {
        numbers.push(open_ticket(db, a, a_user, &format!("A{i}")).await.number);
    }
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(open_ticket(db, b, b_user, "B0").await.number, 1);
    assert_eq!(open_ticket(db, a, a_user, "A3").await.number, 4);
}

async fn concurrent_creates_get_distinct_numbers(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = app.db().clone();
    let (a, user) = tenant_with_customer(&db, "tenant-a").await;
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                let input = CreateTicket::parse(&new_ticket(user, &format!("parallel {i}")))
                    .expect("valid");
                TenantTx::run(&db, a, async |tx| tickets::create_ticket(tx, input).await)
                    .await
                    .map(|t| t.number)
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(
            task.await
                .expect("task")
                .expect("every concurrent create succeeds"),
        );
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=12).collect::<Vec<i64>>());
}

async fn a_stale_version_conflicts(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = app.db();
    let (a, user) = tenant_with_customer(db, "tenant-a").await;
    let ticket = open_ticket(db, a, user, "VPN").await;
    let closed = TenantTx::run(db, a, async |tx| {
        tickets::change_status(tx, ticket.id, ticket.version, Status::Closed, Some(user)).await
    })
    .await
    .expect("first writer wins");
    assert_eq!(closed.version, ticket.version + 1);
    assert!(closed.closed_at.is_some(), "closing stamps closed_at");
    let err = TenantTx::run(db, a, async |tx| {
        tickets::change_status(tx, ticket.id, ticket.version, Status::Pending, Some(user)).await
    })
    .await
    .expect_err("stale version");
    assert!(matches!(err, AppError::Conflict(..)), "{err:?}");
    let reopened = TenantTx::run(db, a, async |tx| {
        tickets::change_status(tx, ticket.id, closed.version, Status::Open, Some(user)).await
    })
    .await
    .expect("current version");
    assert_eq!(reopened.closed_at, None, "reopening clears closed_at");
}

async fn bad_input_is_refused_and_nothing_is_written(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = app.db();
    let (a, user) = tenant_with_customer(db, "tenant-a").await;

    let err = CreateUser::parse(&NewUser {
        email: "not an email".into(),
        role: "agent".into(),
        display_name: "X".into(),
        password: SecretString::from("a long enough password"),
    })
    .expect_err("bad email");
    let AppError::Validation { fields, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (fields[0].field.as_str(), fields[0].code.as_str()),
        ("email", "invalid_email")
    );

    let mut empty_subject = new_ticket(user, "   ");
    empty_subject.body = String::new();
    let AppError::Validation { fields, .. } =
        CreateTicket::parse(&empty_subject).expect_err("empty")
    else {
        panic!("expected validation")
    };
    let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["subject", "body"]);

    let mut closed = new_ticket(user, "Closed import");
    closed.status = Some("closed".into());
    let AppError::Validation { fields, .. } =
        CreateTicket::parse(&closed).expect_err("no closed_at")
    else {
        panic!("expected validation")
    };
    assert_eq!(fields[0].field, "closed_at");

    assert_eq!(count_tickets(db, a).await, 0, "nothing was written");
    assert_eq!(
        TenantTx::run(db, a, async |tx| tenancy::list_users(tx).await)
            .await
            .expect("users")
            .len(),
        1
    );
}

async fn the_database_refuses_a_closed_ticket_without_closed_at(backend: Backend) {
    // The model refuses it first; the check constraint is the second line.
    use helpdesk::entity::ticket;
    let app = spawn_app(backend).await;
    let db = app.db();
    let (a, user) = tenant_with_customer(db, "tenant-a").await;
    let txn = helpdesk::database::begin_tenant(db, a.0)
        .await
        .expect("txn");
    let now = Utc::now();
    let result = ticket::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        tenant_id: Set(a.0),
        number: Set(99),
        requester_id: Set(user.0),
        assignee_id: Set(None),
        queue: Set("general".into()),
        category: Set(None),
        category_confidence: Set(None),
        status: Set("closed".into()),
        priority: Set("normal".into()),
        subject: Set("bypass".into()),
        body: Set("bypass".into()),
        sla_due_at: Set(None),
        resolution_due_at: Set(None),
        closed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        first_response_at: Set(None),
    }
    .insert(&txn)
    .await;
    let err = result.expect_err("check constraint");
    assert!(err.to_string().contains("ck_tickets_closed_at"), "{err}");
}
