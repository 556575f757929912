//! `spawn_app()`: the real application on port 0, on a fresh SQLite file or a fresh
//! PostgreSQL database that is dropped when the test ends.

use std::sync::Arc;

use actix_web::dev::ServerHandle;
use helpdesk::app::{Application, RouteHook};
use helpdesk::config::Settings;
use sea_orm::{ConnectionTrait as _, Database};
use secrecy::SecretString;

/// Server-level admin connection for creating and dropping per-test databases.
pub fn postgres_admin_url() -> String {
    std::env::var("HELPDESK_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The token `/metrics` asks of tests.
pub const METRICS_TOKEN: &str = "test-metrics-token";

/// The password tests give the application role (ignored where auth is `trust`).
pub const TEST_APP_PASSWORD: &str = "helpdesk-app-test";

/// A database that exists for one test. On PostgreSQL the service URL logs in as the
/// application role (bound by row-level security) and the admin URL as the server admin.
pub struct TestDatabase {
    pub url: String,
    pub admin_url: String,
    postgres_name: Option<String>,
    _dir: tempfile::TempDir,
}

/// What a PostgreSQL test database starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// A copy of a database the current migrations have been run on: each test's database
    /// costs one `CREATE DATABASE … TEMPLATE`, not a run of every migration.
    Migrated,
    /// Nothing: for tests of the migrations themselves.
    Empty,
}

/// The migrated template database of this source tree, made once and shared by every test
/// of this run (and later runs, while the migrations stay the same): its name carries a hash
/// of the migration crate's sources. It is built under a temporary name and renamed into
/// place, so two test processes racing to build it both end up with one good template.
async fn migrated_template() -> &'static str {
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("helpdesk_template_{:016x}", migrations_hash());
            let admin = Database::connect(postgres_admin_url())
                .await
                .expect("PostgreSQL must be reachable (set HELPDESK_TEST_DATABASE_URL)");
            let exists = admin
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    format!("SELECT 1 AS one FROM pg_database WHERE datname = '{name}'"),
                ))
                .await
                .expect("look up the template")
                .is_some();
            if !exists {
                let building = format!("helpdesk_building_{}", uuid::Uuid::new_v4().simple());
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{building}\""))
                    .await
                    .expect("create the template");
                let mut url = url::Url::parse(&postgres_admin_url()).expect("admin url");
                url.set_path(&building);
                let owner = Database::connect(url.as_str()).await.expect("template");
                helpdesk::database::migrate_up(&owner, None)
                    .await
                    .expect("migrate the template");
                owner.close().await.expect("close the template");
                let renamed = admin
                    .execute_unprepared(&format!(
                        "ALTER DATABASE \"{building}\" RENAME TO \"{name}\""
                    ))
                    .await;
                if renamed.is_err() {
                    // Another process got there first: its template serves.
                    drop_postgres_database(&building).await;
                }
            }
            admin.close().await.expect("close admin pool");
            name
        })
        .await
}

/// A hash of every file of the migration crate's sources.
fn migrations_hash() -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migration/src");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("migration sources")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in files {
        std::fs::read(&file)
            .expect("migration source")
            .hash(&mut hasher);
    }
    hasher.finish()
}

impl TestDatabase {
    /// A database for one test: on PostgreSQL a copy of the migrated template.
    pub async fn create(backend: Backend) -> Self {
        Self::from_template(backend, Template::Migrated).await
    }

    pub async fn from_template(backend: Backend, template: Template) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                Self {
                    admin_url: url.clone(),
                    url,
                    postgres_name: None,
                    _dir: dir,
                }
            }
            Backend::Postgres => {
                let name = format!("helpdesk_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(postgres_admin_url())
                    .await
                    .expect("PostgreSQL must be reachable (set HELPDESK_TEST_DATABASE_URL)");
                let create = match template {
                    Template::Migrated => format!(
                        "CREATE DATABASE \"{name}\" TEMPLATE \"{}\"",
                        migrated_template().await
                    ),
                    Template::Empty => format!("CREATE DATABASE \"{name}\""),
                };
                admin
                    .execute_unprepared(&create)
                    .await
                    .expect("create test database");
                admin.close().await.expect("close admin pool");
                let mut admin_url = url::Url::parse(&postgres_admin_url()).expect("admin url");
                admin_url.set_path(&name);
                let mut url = admin_url.clone();
                url.set_username(migration::APP_ROLE).expect("username");
                url.set_password(Some(TEST_APP_PASSWORD)).expect("password");
                Self {
                    url: url.to_string(),
                    admin_url: admin_url.to_string(),
                    postgres_name: Some(name),
                    _dir: dir,
                }
            }
        }
    }

    /// Makes the database go away under a running app: a PostgreSQL database is dropped
    /// even with open connections; a SQLite file is deleted.
    pub async fn drop_now(&self) {
        match &self.postgres_name {
            Some(name) => drop_postgres_database(name).await,
            None => {
                let path = helpdesk::database::sqlite_file(&self.url).expect("sqlite url");
                std::fs::remove_file(path).expect("delete sqlite file");
            }
        }
    }
}

async fn drop_postgres_database(name: &str) {
    if let Ok(admin) = Database::connect(postgres_admin_url()).await {
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .await;
        let _ = admin.close().await;
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = self.postgres_name.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot be blocked on: use a thread.
        let _ = std::thread::spawn(move || {
            if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                runtime.block_on(drop_postgres_database(&name));
            }
        })
        .join();
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database: TestDatabase,
    pub state: actix_web::web::Data<helpdesk::app::AppState>,
    /// The separate `/metrics` listener's port, when the settings ask for one.
    pub metrics_port: Option<u16>,
    handle: ServerHandle,
    _data_dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // `stop` sends its command at once; the returned future only awaits completion.
        drop(self.handle.stop(false));
    }
}

pub fn test_settings(data_dir: &std::path::Path, database: &TestDatabase) -> Settings {
    let mut settings = Settings {
        data_dir: data_dir.to_path_buf(),
        ..Settings::default()
    };
    settings.server.port = 0;
    settings.server.workers = 1;
    settings.server.shutdown_timeout_secs = 1;
    settings.database.url = Some(SecretString::from(database.url.clone()));
    settings.database.admin_url = Some(SecretString::from(database.admin_url.clone()));
    settings.database.connect_timeout_secs = 2;
    // Most tests never call a model; those that do load it on first use.
    settings.llm.preload = false;
    // The test binary is not the helpdesk binary: documents are parsed by the real one.
    settings.knowledge.parser.exe = Some(env!("CARGO_BIN_EXE_helpdesk").into());
    settings.server.metrics_token = Some(SecretString::from(METRICS_TOKEN));
    settings
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}, Arc::new(|_| {})).await
}

pub async fn spawn_app_with(
    backend: Backend,
    customize: impl FnOnce(&mut Settings),
    routes: RouteHook,
) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        helpdesk::telemetry::init_tracing(&Default::default(), &Default::default());
    }
    let database = TestDatabase::create(backend).await;
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut settings = test_settings(data_dir.path(), &database);
    customize(&mut settings);
    let app = Application::build_with_routes(settings.clone(), routes)
        .await
        .expect("application builds");
    running(app, database, data_dir)
}

/// Runs `app` in the background and hands out its test handle.
fn running(app: Application, database: TestDatabase, data_dir: tempfile::TempDir) -> TestApp {
    let port = app.port();
    let metrics_port = app.metrics_port();
    let handle = app.handle();
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        database,
        state,
        metrics_port,
        handle,
        _data_dir: data_dir,
    }
}

/// A second application on `app`'s database (its own data dir and port), as another
/// `helpdesk serve` replica would run. The database stays `app`'s to drop.
pub async fn spawn_replica(app: &TestApp) -> TestApp {
    spawn_replica_with(app, |_| {}).await
}

/// [`spawn_replica`] with settings of its own.
pub async fn spawn_replica_with(app: &TestApp, customize: impl FnOnce(&mut Settings)) -> TestApp {
    let database = TestDatabase {
        url: app.database.url.clone(),
        admin_url: app.database.admin_url.clone(),
        postgres_name: None,
        _dir: tempfile::tempdir().expect("temp dir"),
    };
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut settings = test_settings(data_dir.path(), &database);
    customize(&mut settings);
    let replica = Application::build(settings).await.expect("replica builds");
    running(replica, database, data_dir)
}

impl TestApp {
    /// Stops the server (and its workflow worker) as a SIGTERM would.
    pub async fn stop(&self) {
        self.handle.stop(true).await;
        // Let the stopped server's task abort its worker before the caller goes on.
        tokio::task::yield_now().await;
    }

    /// The service's own pool (the application role on PostgreSQL).
    pub fn db(&self) -> &sea_orm::DatabaseConnection {
        &self.state.db
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    /// `GET path` with a bearer token.
    pub async fn get_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }

    /// `GET path` with a bearer token, as JSON.
    pub async fn get_json(&self, token: &str, path: &str) -> serde_json::Value {
        self.get_as(token, path).await.json().await.expect("json")
    }

    /// Uploads one document, with a `visibility` field first when given.
    pub async fn upload_document(
        &self,
        token: &str,
        name: &'static str,
        bytes: Vec<u8>,
        visibility: Option<&'static str>,
    ) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new();
        if let Some(visibility) = visibility {
            form = form.text("visibility", visibility);
        }
        let form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name),
        );
        self.client
            .post(self.url("/api/v1/documents"))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("request sent")
    }

    /// `POST path` with a JSON body, signed in with `token` when given.
    pub async fn post_json(
        &self,
        token: Option<&str>,
        path: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    /// `PATCH path` with a JSON body and the headers given (an `If-Match`, say).
    pub async fn patch_json(
        &self,
        token: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &serde_json::Value,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .patch(self.url(path))
            .bearer_auth(token)
            .json(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("request sent")
    }

    /// Signs in with a demo account of `helpdesk seed`: the whole token pair.
    pub async fn sign_in_pair(&self, tenant: &str, role: &str) -> serde_json::Value {
        let response = self
            .post_json(
                None,
                "/api/v1/auth/token",
                &serde_json::json!({"tenant": tenant, "email": format!("{role}@{tenant}.example"),
                       "password": helpdesk::cli::seed::demo_password(tenant, role)}),
            )
            .await;
        assert_eq!(
            response.status().as_u16(),
            200,
            "sign-in as {role}@{tenant}"
        );
        response.json().await.expect("token pair")
    }

    /// Opens a ticket through the API; the created ticket.
    pub async fn open_ticket(&self, token: &str, subject: &str, body: &str) -> serde_json::Value {
        let response = self
            .post_json(
                Some(token),
                "/api/v1/tickets",
                &serde_json::json!({"subject": subject, "body": body}),
            )
            .await;
        assert_eq!(response.status().as_u16(), 201, "ticket opened");
        response.json().await.expect("ticket")
    }

    /// A chat WebSocket signed in with `token`.
    pub async fn chat_socket(&self, token: &str) -> crate::chat::ChatClient {
        crate::chat::ChatClient::connect(self, token).await
    }

    pub async fn get_health(&self) -> reqwest::Response {
        self.get("/health").await
    }

    pub async fn get_ready(&self) -> reqwest::Response {
        self.get("/ready").await
    }

    /// A platform operator's token, valid for five minutes.
    pub async fn operator_token(&self) -> String {
        let keys = self.state.auth.keys(self.db()).await.expect("keys");
        helpdesk::auth::issue_token(
            &keys,
            &self.state.auth.settings,
            "ops",
            None,
            helpdesk::auth::TokenRole::Operator,
            300,
        )
        .expect("token")
    }

    pub async fn get_metrics(&self) -> String {
        let response = self
            .client
            .get(self.url("/metrics"))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .expect("request sent");
        assert_eq!(response.status().as_u16(), 200);
        response.text().await.expect("metrics text")
    }
}

/// Runs an async test body once per backend, as `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
                #[tokio::test]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            }
        )*
    };
}

/// Asserts a response is a problem body with the given status and code; returns the body.
/// A response header as text; empty when absent or not text.
pub fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub async fn assert_problem(
    response: reqwest::Response,
    status: u16,
    code: &str,
) -> serde_json::Value {
    assert_eq!(response.status().as_u16(), status, "status");
    assert_eq!(
        header(&response, "content-type"),
        "application/problem+json"
    );
    assert!(response.headers().contains_key("x-request-id"));
    let body: serde_json::Value = response.json().await.expect("problem json");
    assert_eq!(body["status"], status);
    assert_eq!(body["code"], code, "{body}");
    for field in ["type", "title", "detail"] {
        assert!(body[field].is_string(), "missing {field}: {body}");
    }
    body
}

/// Seeds the demo tenants and signs in as `role@tenant.example`; returns the access token.
pub async fn seed_and_sign_in(app: &TestApp, tenant: &str, role: &str) -> String {
    helpdesk::cli::seed::seed(app.db()).await.expect("seed");
    sign_in(app, tenant, role).await
}

/// Signs in a seeded demo user; returns the access token.
pub async fn sign_in(app: &TestApp, tenant: &str, role: &str) -> String {
    app.sign_in_pair(tenant, role).await["access_token"]
        .as_str()
        .expect("access token")
        .to_owned()
}

/// The real binary running `serve` on a fresh port with JSON logs, stopped when dropped.
pub struct Served {
    pub port: u16,
    child: std::process::Child,
    log: Arc<std::sync::Mutex<String>>,
}

impl Served {
    /// `serve --port 0` on `data_dir` with these extra environment settings; returns once
    /// the server has said which port it listens on.
    pub fn start(data_dir: &std::path::Path, env: &[(&str, &std::ffi::OsStr)]) -> Self {
        use std::io::BufRead as _;
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_helpdesk"));
        command
            .arg("--data-dir")
            .arg(data_dir)
            .args(["serve", "--port", "0"])
            .env("HELPDESK__LOG__FORMAT", "json")
            .env("HELPDESK__LLM__PRELOAD", "false")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("serve starts");
        // The log is read to its end on a thread of its own, so the server never blocks on it.
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(std::sync::Mutex::new(String::new()));
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let kept = log.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if let Ok(entry) = serde_json::from_str::<serde_json::Value>(&line)
                    && entry["message"] == "listening"
                {
                    let _ = port_tx.send(entry["port"].as_u64());
                }
                kept.lock().expect("log").push_str(&format!("{line}\n"));
            }
        });
        let port = port_rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .ok()
            .flatten()
            .and_then(|p| u16::try_from(p).ok());
        let mut served = Self {
            port: 0,
            child,
            log,
        };
        served.port = port.unwrap_or_else(|| panic!("no port: {}", served.log()));
        served
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server has logged so far (JSON lines).
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `probe` until it returns `Some`, for at most `limit`; panics naming `what` when it
/// never does. Tests wait on a condition they can observe, never for a fixed time.
pub async fn eventually<T>(
    what: &str,
    limit: std::time::Duration,
    mut probe: impl AsyncFnMut() -> Option<T>,
) -> T {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if let Some(found) = probe().await {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "gave up after {limit:?} waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

/// Waits until the clock has passed `moment` (a deadline the test read from the data), for
/// tests that check what did *not* happen by then.
pub async fn wait_past(moment: chrono::DateTime<chrono::Utc>) {
    let left = (moment - chrono::Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(left + std::time::Duration::from_millis(50)).await;
}

/// An HTTP receiver on a real socket (a webhook's far end): `answer` gets every request
/// with its body, on one worker. Returns `http://127.0.0.1:PORT`.
pub fn spawn_receiver<F, R>(answer: F) -> String
where
    F: Fn(actix_web::HttpRequest, actix_web::web::Bytes) -> R + Clone + Send + 'static,
    R: Future<Output = actix_web::HttpResponse> + 'static,
{
    use actix_web::{App, HttpServer, web};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = HttpServer::new(move || App::new().default_service(web::to(answer.clone())))
        .workers(1)
        .listen(listener)
        .expect("listen")
        .run();
    tokio::spawn(server);
    format!("http://127.0.0.1:{port}")
}
