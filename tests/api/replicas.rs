//! Two `helpdesk serve` processes — the real binary, on two ports — sharing one PostgreSQL
//! database, as two Kubernetes replicas would. Each keeps its own data dir (and so its own
//! embedded vector store: search is not under test here). They behave as one service: a
//! chat reply and a ticket change made through one reach clients of the other, an SLA timer
//! escalates once, and a replica killed in the middle of a job loses nothing.

use std::ffi::OsStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sea_orm::{ConnectionTrait as _, Database};
use serde_json::{Value, json};

use crate::helpers::{Backend, Served, TestDatabase, eventually, spawn_receiver};

/// The delivery lease of the test: how long a dead replica's job waits for another.
const LEASE_SECS: &str = "3";

/// Fields drop in order: the servers stop before their database goes.
struct Replicas {
    servers: Vec<Option<Served>>,
    client: reqwest::Client,
    /// The database owner's connection, opened once, for reading what the replicas wrote.
    admin: sea_orm::DatabaseConnection,
    /// Kept for its drop, after the servers': the test database goes last.
    _database: TestDatabase,
    _dirs: Vec<tempfile::TempDir>,
}

impl Replicas {
    /// A seeded, migrated database and two replicas on it, each with its own data dir.
    async fn start() -> Self {
        // The test's own HTTP client needs it; no application is built in this process.
        helpdesk::app::install_tls_provider();
        let database = TestDatabase::create(Backend::Postgres).await;
        let seeding = Database::connect(&database.url).await.expect("connect");
        helpdesk::cli::seed::seed(&seeding).await.expect("seed");
        seeding.close().await.expect("close");
        let env: Vec<(&str, &OsStr)> = vec![
            ("HELPDESK__DATABASE__URL", OsStr::new(&database.url)),
            (
                "HELPDESK__DATABASE__ADMIN_URL",
                OsStr::new(&database.admin_url),
            ),
            ("HELPDESK__WORKFLOW__POLL_MS", OsStr::new("100")),
            ("HELPDESK__WORKFLOW__LEASE_SECS", OsStr::new(LEASE_SECS)),
            // Long enough that a held delivery is still open when its replica is killed.
            (
                "HELPDESK__WORKFLOW__WEBHOOK_TIMEOUT_SECS",
                OsStr::new("120"),
            ),
            ("HELPDESK__WORKFLOW__WEBHOOK_ALLOW", OsStr::new("127.0.0.1")),
        ];
        let mut dirs = Vec::new();
        let mut servers = Vec::new();
        for _ in 0..2 {
            let dir = tempfile::tempdir().expect("temp dir");
            servers.push(Some(Served::start(dir.path(), &env)));
            dirs.push(dir);
        }
        let admin = Database::connect(&database.admin_url).await.expect("admin");
        Self {
            admin,
            _database: database,
            servers,
            client: reqwest::Client::new(),
            _dirs: dirs,
        }
    }

    fn server(&self, replica: usize) -> &Served {
        self.servers[replica].as_ref().expect("replica running")
    }

    fn url(&self, replica: usize, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.server(replica).port)
    }

    fn pids(&self) -> Vec<u32> {
        self.servers.iter().flatten().map(Served::pid).collect()
    }

    /// SIGKILL, as an evicted pod or a crashed node would end it: no drain, no clean-up.
    fn kill(&mut self, pid: u32) {
        for slot in &mut self.servers {
            if slot.as_ref().is_some_and(|s| s.pid() == pid) {
                drop(slot.take());
            }
        }
    }

    async fn sign_in(&self, replica: usize, role: &str) -> String {
        let response = self
            .client
            .post(self.url(replica, "/api/v1/auth/token"))
            .json(
                &json!({"tenant": "acme", "email": format!("{role}@acme.example"),
                          "password": helpdesk::cli::seed::demo_password("acme", role)}),
            )
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), 200, "sign-in as {role}");
        let pair: Value = response.json().await.expect("json");
        pair["access_token"].as_str().expect("token").to_owned()
    }

    async fn open_ticket(&self, replica: usize, token: &str) -> Value {
        let response = self
            .client
            .post(self.url(replica, "/api/v1/tickets"))
            .bearer_auth(token)
            .json(&json!({"subject": "Broken laptop screen",
                          "body": "laptop screen cracked and the docking station monitor cable does not work"}))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), 201);
        response.json().await.expect("json")
    }

    async fn comment(&self, replica: usize, token: &str, ticket: &str, body: &str) {
        let response = self
            .client
            .post(self.url(replica, &format!("/api/v1/tickets/{ticket}/comments")))
            .bearer_auth(token)
            .json(&json!({"body": body}))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), 201);
    }

    async fn set_acme_settings(&self, settings: Value) {
        self.admin
            .execute_unprepared(&format!(
                "UPDATE tenants SET settings = '{settings}' WHERE slug = 'acme'"
            ))
            .await
            .expect("settings");
    }

    /// One number from the database, as its owner reads it.
    async fn count(&self, sql: &str) -> i64 {
        let row = self
            .admin
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                sql,
            ))
            .await
            .expect("query")
            .expect("a row");
        row.try_get_by_index(0).expect("a number")
    }

    fn logs(&self) -> String {
        self.servers
            .iter()
            .flatten()
            .map(Served::log)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A visitor on replica 0 gets the agent's reply posted through replica 1, and an agent
/// console's ticket feed on replica 1 announces the handoff made through replica 0.
#[tokio::test]
async fn chat_and_ticket_feed_span_replicas() {
    let replicas = Replicas::start().await;
    let agent = replicas.sign_in(1, "agent").await;
    // Opened before anything changes, so its first `changed` is the handoff.
    let mut feed = replicas
        .client
        .get(replicas.url(1, &format!("/api/v1/tickets/feed?access_token={agent}")))
        .send()
        .await
        .expect("feed");
    assert_eq!(feed.status().as_u16(), 200);
    let mut seen = String::new();
    crate::web::read_until(&mut feed, &mut seen, "event: ready").await;

    let visitor: Value = replicas
        .client
        .post(replicas.url(0, "/api/v1/tenants/acme/visitor-token"))
        .json(&json!({}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let token = visitor["access_token"].as_str().expect("token");
    let address = format!("http://127.0.0.1:{}", replicas.server(0).port);
    let mut chat = crate::chat::ChatClient::connect_at(&address, token).await;
    chat.send(json!({"type": "handoff"})).await;
    let frames = chat.until("ticket_created").await;
    let ticket = frames.last().expect("ticket")["ticket"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    crate::web::read_until(&mut feed, &mut seen, "event: changed").await;

    replicas
        .comment(1, &agent, &ticket, "Replying from the other replica.")
        .await;
    let live = chat.until("agent_message").await;
    assert_eq!(
        live.last().expect("message")["text"],
        "Replying from the other replica."
    );
}

/// Many SLA timers fall due while both replicas poll every 100 ms: each escalates once.
#[tokio::test]
async fn each_sla_timer_escalates_once_across_replicas() {
    let replicas = Replicas::start().await;
    replicas
        .set_acme_settings(json!({
            "sla_minutes": {"normal": {"first_response": 1.0 / 60.0, "resolution": 600}},
            "queues": {"escalation": "escalations"}
        }))
        .await;
    let customer = replicas.sign_in(0, "customer").await;
    let mut ids = Vec::new();
    for n in 0..8 {
        ids.push(replicas.open_ticket(n % 2, &customer).await["id"].clone());
    }
    eventually(
        "every timer to have run",
        Duration::from_secs(60),
        async || {
            (replicas
                .count("SELECT count(*) FROM jobs WHERE kind = 'sla_first_response' AND done_at IS NOT NULL")
                .await
                == 8)
                .then_some(())
        },
    )
    .await;
    // Past another lease and many polls, so a second run would have happened by now.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let escalated = replicas
        .count("SELECT count(*) FROM ticket_events WHERE kind = 'escalated'")
        .await;
    assert_eq!(escalated, 8, "one escalation per ticket: {ids:?}");
    let per_ticket = replicas
        .count(
            "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM ticket_events \
             WHERE kind = 'escalated' GROUP BY ticket_id) AS t",
        )
        .await;
    assert_eq!(per_ticket, 1);
    let runs = replicas
        .count(
            "SELECT coalesce(sum(attempts), 0)::bigint FROM jobs WHERE kind = 'sla_first_response'",
        )
        .await;
    assert_eq!(runs, 8, "no timer was claimed twice");
}

/// What the receiver saw: the sending socket's local port and the body, per delivery.
type Seen = Arc<Mutex<Vec<(u16, Vec<u8>)>>>;

/// A webhook receiver that holds its first delivery open for good and accepts the rest.
fn holding_receiver() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let kept = seen.clone();
    let url = spawn_receiver(move |request, body| {
        let kept = kept.clone();
        async move {
            let peer = request.peer_addr().map(|a| a.port()).unwrap_or_default();
            let first = {
                let mut seen = kept.lock().expect("lock");
                seen.push((peer, body.to_vec()));
                seen.len() == 1
            };
            if first {
                std::future::pending::<()>().await;
            }
            actix_web::HttpResponse::Ok().finish()
        }
    });
    (format!("{url}/hook"), seen)
}

/// Which of `pids` owns the TCP socket bound to local `port` (Linux: `/proc`).
fn socket_owner(pids: &[u32], port: u16) -> Option<u32> {
    let inode = ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|table| std::fs::read_to_string(table).ok())
        .flat_map(|table| {
            table
                .lines()
                .skip(1)
                .filter_map(|line| {
                    let fields: Vec<&str> = line.split_whitespace().collect();
                    let local = u16::from_str_radix(fields.get(1)?.rsplit(':').next()?, 16).ok()?;
                    (local == port).then(|| fields.get(9).map(|i| (*i).to_owned()))?
                })
                .collect::<Vec<_>>()
        })
        .find(|inode| inode != "0")?;
    let target = format!("socket:[{inode}]");
    pids.iter().copied().find(|pid| {
        std::fs::read_dir(format!("/proc/{pid}/fd"))
            .into_iter()
            .flatten()
            .flatten()
            .any(|fd| {
                std::fs::read_link(fd.path()).is_ok_and(|link| link.as_os_str() == target.as_str())
            })
    })
}

/// The replica delivering a webhook is killed while the receiver holds the request; once
/// its lease runs out, the other replica delivers the same announcement and finishes the
/// job. The ticket is escalated once.
#[tokio::test]
async fn a_replica_killed_mid_job_loses_nothing() {
    let mut replicas = Replicas::start().await;
    let (hook, seen) = holding_receiver();
    replicas
        .set_acme_settings(json!({
            "sla_minutes": {"normal": {"first_response": 1.0 / 60.0, "resolution": 600}},
            "webhooks": {"url": hook}
        }))
        .await;
    let customer = replicas.sign_in(0, "customer").await;
    let opened = replicas.open_ticket(0, &customer).await;
    let ticket = opened["id"].as_str().expect("id").to_owned();

    let sender_port = eventually(
        "the first delivery to arrive",
        Duration::from_secs(30),
        async || seen.lock().expect("lock").first().map(|(port, _)| *port),
    )
    .await;
    let pids = replicas.pids();
    let sender = socket_owner(&pids, sender_port)
        .unwrap_or_else(|| panic!("no replica owns port {sender_port}: {pids:?}"));
    replicas.kill(sender);
    let job_done = format!(
        "SELECT count(*) FROM jobs WHERE ticket_id = '{ticket}' \
         AND kind = 'webhook_first_response' AND done_at IS NOT NULL"
    );
    assert_eq!(replicas.count(&job_done).await, 0, "the job is still open");

    eventually(
        "the surviving replica to finish the delivery",
        Duration::from_secs(60),
        async || (replicas.count(&job_done).await == 1).then_some(()),
    )
    .await;
    let deliveries = seen.lock().expect("lock").clone();
    assert_eq!(deliveries.len(), 2, "{}", replicas.logs());
    assert_eq!(deliveries[0].1, deliveries[1].1, "the same announcement");
    assert_eq!(replicas.pids().len(), 1, "the survivor delivered it");
    let attempts = replicas
        .count(&format!(
            "SELECT attempts::bigint FROM jobs WHERE ticket_id = '{ticket}' \
             AND kind = 'webhook_first_response'"
        ))
        .await;
    assert_eq!(
        attempts, 2,
        "claimed by the killed replica, then by the survivor"
    );
    let escalated = replicas
        .count(&format!(
            "SELECT count(*) FROM ticket_events WHERE ticket_id = '{ticket}' AND kind = 'escalated'"
        ))
        .await;
    assert_eq!(escalated, 1);
}
