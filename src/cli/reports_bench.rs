//! `helpdesk bench reports`: seeds a throw-away tenant with a year of help-desk activity in
//! the configured PostgreSQL database (tickets with replies and status changes, chats with
//! bot outcomes and handoffs, ratings), then times each report as the service runs it: as
//! the application role, in the tenant's transaction, under row-level security.

use std::time::Instant;

use anyhow::Context as _;
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait as _, DatabaseConnection, DbBackend, Statement, Value};

use crate::cli::setup::scratch_tenant;
use crate::config::Settings;
use crate::database::{TenantTx, connect_admin, migrate_and_connect};
use crate::reports::{self, Grouping, ReportRange};
use crate::tenancy::TenantId;

/// The statements that write the year, in order; `$1` is the tenant, `$2` the number of
/// tickets, `$3` the year's first instant and `$4` the seconds between two tickets.
const SEED: &[(&str, &str)] = &[
    (
        "users",
        "INSERT INTO users (id, tenant_id, email, role, password_hash, display_name, created_at)
         SELECT gen_random_uuid(), $1, 'user' || g || '@bench.invalid',
                CASE WHEN g = 0 THEN 'customer' ELSE 'agent' END, '!', 'Bench user ' || g, now()
         FROM generate_series(0, 4) g",
    ),
    (
        "tickets",
        "WITH agents AS (SELECT id, row_number() OVER (ORDER BY email) - 1 AS k FROM users
                         WHERE tenant_id = $1 AND role = 'agent'),
              customer AS (SELECT id FROM users WHERE tenant_id = $1 AND role = 'customer')
         INSERT INTO tickets (id, tenant_id, number, requester_id, assignee_id, queue, status,
                              priority, subject, body, sla_due_at, resolution_due_at, closed_at,
                              created_at, updated_at, version)
         SELECT gen_random_uuid(), $1, g, (SELECT id FROM customer),
                (SELECT id FROM agents WHERE k = g % 4),
                (ARRAY['it', 'billing', 'hr', 'facilities'])[1 + g % 4],
                CASE WHEN g % 5 = 0 THEN 'open' ELSE 'resolved' END,
                (ARRAY['low', 'normal', 'high', 'urgent'])[1 + g % 4],
                'Bench ticket ' || g, 'A benchmark ticket.',
                at + interval '4 hours', at + interval '3 days',
                CASE WHEN g % 5 = 0 THEN NULL ELSE at + (g % 97) * interval '1 hour' END,
                at, at, 1
         FROM (SELECT g, $3::timestamptz + g * $4::double precision * interval '1 second' AS at
               FROM generate_series(1, $2::int) g) s",
    ),
    (
        "ticket events: created",
        "INSERT INTO ticket_events (id, tenant_id, ticket_id, author_id, kind, body, data, created_at)
         SELECT gen_random_uuid(), tenant_id, id, requester_id, 'created', NULL, '{}'::jsonb, created_at
         FROM tickets WHERE tenant_id = $1",
    ),
    (
        "ticket events: replies",
        "INSERT INTO ticket_events (id, tenant_id, ticket_id, author_id, kind, body, data, created_at)
         SELECT gen_random_uuid(), tenant_id, id, assignee_id, 'comment', 'We are on it.', '{}'::jsonb,
                created_at + (number % 11) * interval '1 hour' + interval '5 minutes'
         FROM tickets WHERE tenant_id = $1 AND number % 5 <> 1",
    ),
    (
        "tickets: first responses",
        "UPDATE tickets SET first_response_at = created_at + (number % 11) * interval '1 hour' + interval '5 minutes'
         WHERE tenant_id = $1 AND number % 5 <> 1",
    ),
    (
        "ticket events: notes",
        "INSERT INTO ticket_events (id, tenant_id, ticket_id, author_id, kind, body, data, created_at)
         SELECT gen_random_uuid(), tenant_id, id, assignee_id, 'note', 'Checked the logs.', '{}'::jsonb,
                created_at + interval '2 minutes'
         FROM tickets WHERE tenant_id = $1 AND number % 3 = 0",
    ),
    (
        "ticket events: solved",
        "INSERT INTO ticket_events (id, tenant_id, ticket_id, author_id, kind, body, data, created_at)
         SELECT gen_random_uuid(), tenant_id, id, assignee_id, 'status_changed', NULL,
                '{\"from\": \"open\", \"to\": \"resolved\"}'::jsonb, closed_at
         FROM tickets WHERE tenant_id = $1 AND closed_at IS NOT NULL",
    ),
    (
        "chat sessions",
        "INSERT INTO chat_sessions (id, tenant_id, user_id, visitor_id, status, ticket_id, summary, created_at)
         SELECT gen_random_uuid(), $1, NULL, gen_random_uuid(),
                CASE WHEN g % 4 = 0 THEN 'handed_off' ELSE 'active' END,
                CASE WHEN g % 4 = 0 THEN (SELECT id FROM tickets WHERE tenant_id = $1 AND number = g) END,
                NULL, $3::timestamptz + g * 2 * $4::double precision * interval '1 second'
         FROM generate_series(1, $2::int / 2) g",
    ),
    (
        "chat messages",
        "INSERT INTO chat_messages (id, tenant_id, session_id, role, content, citations, outcome, created_at)
         SELECT gen_random_uuid(), tenant_id, id, 'visitor', 'How do I reset my password?', '[]'::jsonb,
                NULL, created_at
         FROM chat_sessions WHERE tenant_id = $1
         UNION ALL
         SELECT gen_random_uuid(), tenant_id, id, 'assistant', 'Here is how.', '[]'::jsonb,
                (ARRAY['answered', 'answered', 'suggested', 'abstained'])[1 + abs(hashtext(id::text)) % 4],
                created_at + interval '2 seconds'
         FROM chat_sessions WHERE tenant_id = $1",
    ),
    (
        "chat sessions: outcomes",
        "UPDATE chat_sessions cs SET bot_outcome = m.outcome FROM chat_messages m
         WHERE cs.tenant_id = $1 AND m.tenant_id = cs.tenant_id AND m.session_id = cs.id
           AND m.outcome IS NOT NULL",
    ),
    (
        "ratings",
        "INSERT INTO ratings (id, tenant_id, subject_kind, subject_id, score, comment, created_at)
         SELECT gen_random_uuid(), tenant_id, 'chat', id,
                CASE WHEN abs(hashtext(id::text)) % 7 = 0 THEN 'bad' ELSE 'good' END, NULL,
                created_at + interval '5 minutes'
         FROM chat_sessions WHERE tenant_id = $1 AND abs(hashtext(id::text)) % 5 = 0
         UNION ALL
         SELECT gen_random_uuid(), tenant_id, 'ticket', id,
                CASE WHEN number % 9 = 0 THEN 'bad' ELSE 'good' END, NULL,
                closed_at + interval '1 hour'
         FROM tickets WHERE tenant_id = $1 AND closed_at IS NOT NULL AND number % 4 = 0",
    ),
];

fn millis(samples: &mut [f64]) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let median = samples.get(samples.len() / 2).copied().unwrap_or(f64::NAN);
    let max = samples.last().copied().unwrap_or(f64::NAN);
    (median, max)
}

async fn seed(db: &DatabaseConnection, tenant: TenantId, tickets: u32) -> anyhow::Result<()> {
    let year_ago = Utc::now() - Duration::days(365);
    let spacing = 365.0 * 86_400.0 / f64::from(tickets.max(1));
    let tx = TenantTx::begin(db, tenant).await?;
    for (what, sql) in SEED {
        let started = Instant::now();
        let values: Vec<Value> = vec![
            tenant.0.into(),
            i64::from(tickets).into(),
            year_ago.into(),
            spacing.into(),
        ];
        // Each statement binds only the parameters it names.
        let used: Vec<Value> = values
            .into_iter()
            .enumerate()
            .filter(|(i, _)| sql.contains(&format!("${}", i + 1)))
            .map(|(_, v)| v)
            .collect();
        let done = tx
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                *sql,
                used,
            ))
            .await
            .with_context(|| format!("seeding {what}"))?;
        eprintln!(
            "bench reports: {what}: {} rows in {:.1} s",
            done.rows_affected(),
            started.elapsed().as_secs_f64()
        );
    }
    tx.commit().await?;
    Ok(())
}

pub async fn run(settings: Settings, tickets: u32, runs: usize) -> anyhow::Result<()> {
    let db = migrate_and_connect(&settings).await?;
    anyhow::ensure!(
        db.get_database_backend() == DbBackend::Postgres,
        "bench reports measures PostgreSQL: set database.url (HELPDESK__DATABASE__URL) to a \
         scratch PostgreSQL database"
    );
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    let tenant = scratch_tenant(
        &db,
        &format!("bench-reports-{}", &suffix[..8]),
        "Reports benchmark",
    )
    .await?;
    eprintln!("bench reports: seeding a year of {tickets} tickets into tenant {tenant}…");
    seed(&db, tenant, tickets).await?;
    // Vacuumed, with fresh statistics, as autovacuum leaves a live database; and so that
    // autovacuum does not run on the new rows while the reports are timed.
    let admin = connect_admin(&settings).await?;
    for table in [
        "tickets",
        "ticket_events",
        "chat_sessions",
        "chat_messages",
        "ratings",
    ] {
        admin
            .execute_unprepared(&format!("VACUUM ANALYZE {table}"))
            .await?;
    }
    admin.close().await?;

    let today = Utc::now().date_naive();
    let from = (today - Duration::days(364)).format("%Y-%m-%d").to_string();
    let to = today.format("%Y-%m-%d").to_string();
    let range = ReportRange::parse(Some(&from), Some(&to)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let similarity = settings.chat.gap_similarity;
    let (mut summary, mut days, mut weeks, mut queues, mut agents) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut created = 0;
    // One run to warm the caches, then the measured ones.
    for run in 0..=runs {
        let time = Instant::now();
        let tx = TenantTx::begin(&db, tenant).await?;
        let report = reports::summary(&tx, &range, similarity)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        tx.commit().await?;
        let summary_ms = time.elapsed().as_secs_f64() * 1000.0;
        created = report.tickets_created;
        let mut timed = Vec::new();
        for (group, by_agent) in [
            (Some(Grouping::Day), false),
            (Some(Grouping::Week), false),
            (None, false),
            (None, true),
        ] {
            let time = Instant::now();
            let tx = TenantTx::begin(&db, tenant).await?;
            let done = match group {
                Some(group) => reports::timeseries(&tx, &range, group).await.map(|_| ()),
                None => reports::breakdown(&tx, &range, by_agent).await.map(|_| ()),
            };
            done.map_err(|e| anyhow::anyhow!("{e}"))?;
            tx.commit().await?;
            timed.push(time.elapsed().as_secs_f64() * 1000.0);
        }
        if run > 0 {
            summary.push(summary_ms);
            days.push(timed[0]);
            weeks.push(timed[1]);
            queues.push(timed[2]);
            agents.push(timed[3]);
        }
    }
    let (summary_p50, summary_max) = millis(&mut summary);
    let (days_p50, days_max) = millis(&mut days);
    let (weeks_p50, _) = millis(&mut weeks);
    let (queues_p50, _) = millis(&mut queues);
    let (agents_p50, agents_max) = millis(&mut agents);
    println!(
        "reports over {from}..{to}, {created} tickets, {runs} runs (median / max): \
         summary {summary_p50:.0} / {summary_max:.0} ms; by day {days_p50:.0} / {days_max:.0} ms; \
         by week {weeks_p50:.0} ms; per queue {queues_p50:.0} ms; per agent {agents_p50:.0} / {agents_max:.0} ms"
    );
    println!(
        "{}",
        serde_json::json!({
            "tickets": created,
            "runs": runs,
            "summary_p50_ms": summary_p50,
            "summary_max_ms": summary_max,
            "timeseries_day_p50_ms": days_p50,
            "timeseries_week_p50_ms": weeks_p50,
            "breakdown_queue_p50_ms": queues_p50,
            "breakdown_agent_p50_ms": agents_p50,
        })
    );
    Ok(())
}
