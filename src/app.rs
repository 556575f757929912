//! Builds the HTTP application once, the same way for production and tests.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context as _;
use sea_orm::DatabaseConnection;

use crate::api;
use crate::auth::{AuthState, Authz};
use crate::chat::ChatHub;
use crate::client_addr::TrustedProxies;
use crate::config::Settings;
use crate::database::{self, Connect};
use crate::error;
use crate::knowledge::Knowledge;
use crate::llm::Llm;
use crate::rag::Rag;
use crate::routing::Triage;
use crate::telemetry::{Metrics, observe_request};
use crate::tls::ReloadingCert;
use crate::workflow::Workflow;

/// Everything a handler may need, built once in [`Application::build`].
pub struct AppState {
    pub settings: Settings,
    pub db: DatabaseConnection,
    pub metrics: Arc<Metrics>,
    pub auth: AuthState,
    pub authz: Authz,
    pub llm: Arc<Llm>,
    pub knowledge: Knowledge,
    pub rag: Rag,
    pub chat: ChatHub,
    pub chat_limits: crate::chat::ChatLimits,
    pub triage: Triage,
    pub workflow: Arc<Workflow>,
    /// Who a request comes from, behind the trusted proxies.
    pub clients: TrustedProxies,
}

impl AppState {
    /// The components the cross-domain flows work with.
    pub fn desk(&self) -> crate::desk::Desk<'_> {
        crate::desk::Desk {
            intake: crate::desk::Intake {
                db: &self.db,
                triage: &self.triage,
                workflow: &self.workflow,
            },
            knowledge: &self.knowledge,
            rag: &self.rag,
            chat: &self.chat,
            chat_limits: &self.chat_limits,
            chat_settings: &self.settings.chat,
            auth: &self.auth,
        }
    }
}

pub struct Application {
    port: u16,
    server: Server,
    /// The separate `/metrics` listener and its port, when one is configured.
    metrics_server: Option<(Server, u16)>,
    /// The served certificate, when serving TLS.
    tls: Option<Arc<ReloadingCert>>,
    state: web::Data<AppState>,
    worker: tokio::task::JoinHandle<()>,
}

/// Extra routes mounted beside the API; the default mounts none.
pub type RouteHook = Arc<dyn Fn(&mut web::ServiceConfig) + Send + Sync>;

impl Application {
    /// Connects the database (migrating it unless told not to), binds the listener and
    /// starts the server. Port 0 picks a free port; [`Application::port`] tells which.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_routes(settings, Arc::new(|_| {})).await
    }

    pub async fn build_with_routes(settings: Settings, extra: RouteHook) -> anyhow::Result<Self> {
        install_tls_provider();
        let db = if settings.database.migrate_on_start {
            database::migrate_and_connect(&settings).await?
        } else {
            // Without migrations nothing needs the database now: start, and let /ready
            // report it until it answers.
            database::connect(&settings, Connect::Lazy).await?
        };
        let address = (settings.server.host.as_str(), settings.server.port);
        let listener = TcpListener::bind(address).with_context(|| {
            format!(
                "cannot listen on {}:{}",
                settings.server.host, settings.server.port
            )
        })?;
        let port = listener.local_addr()?.port();
        let clients = TrustedProxies::new(&settings.server.trusted_proxies)?;
        let chat_limits = crate::chat::ChatLimits::new(&settings.chat);
        let auth = AuthState::new(settings.auth.clone()).await?;
        let metrics = Arc::new(Metrics::new()?);
        let llm = Arc::new(Llm::new(&settings, metrics.registry())?);
        let knowledge =
            Knowledge::new(&settings, db.clone(), llm.clone(), metrics.registry()).await?;
        let rag = Rag::new(llm.clone(), settings.rag.clone(), metrics.registry())?;
        let chat = ChatHub::start(&db).await;
        let triage = Triage::new(&settings.routing, metrics.registry())?;
        let workflow = Arc::new(
            Workflow::new(db.clone(), settings.workflow.clone(), metrics.registry()).await?,
        );
        // Due jobs (those that fell due while no process ran, too) run from now on, until
        // the server stops.
        let worker = workflow.spawn();
        let state = web::Data::new(AppState {
            settings,
            db,
            metrics,
            auth,
            authz: Authz::load().await?,
            llm,
            knowledge,
            rag,
            chat,
            chat_limits,
            triage,
            workflow,
            clients,
        });
        let metrics_server = match &state.settings.server.metrics_listen {
            Some(address) => Some(run_metrics(address, state.clone())?),
            None => None,
        };
        let tls = state
            .settings
            .server
            .tls
            .as_ref()
            .map(ReloadingCert::load)
            .transpose()?;
        let server = run(listener, state.clone(), extra, tls.as_ref())?;
        Ok(Self {
            port,
            server,
            metrics_server,
            tls,
            state,
            worker,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The served certificate, to reload when its files change (SIGHUP).
    pub fn tls(&self) -> Option<Arc<ReloadingCert>> {
        self.tls.clone()
    }

    /// The port of the separate metrics listener, when one is configured.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_server.as_ref().map(|(_, port)| *port)
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// A handle to stop the server (gracefully with `stop(true)`).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let metrics = self.metrics_server.map(|(server, _)| {
            let handle = server.handle();
            tokio::spawn(server);
            handle
        });
        let result = self.server.await;
        self.worker.abort();
        if let Some(handle) = metrics {
            handle.stop(true).await;
        }
        result
    }
}

/// One TLS stack for outgoing HTTPS (identity providers' JWKS, later model and vector
/// servers): rustls with ring. Installing it again (tests build many apps) is harmless.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A listener of its own for `/metrics`, for an internal network the main port is not on.
/// It answers `/health` and `/ready` too, in plain HTTP: when the main port demands client
/// certificates (mutual TLS), an orchestrator's probes, which present none, use this one.
fn run_metrics(address: &str, state: web::Data<AppState>) -> anyhow::Result<(Server, u16)> {
    let listener = TcpListener::bind(address)
        .with_context(|| format!("cannot listen for metrics on {address}"))?;
    let port = listener.local_addr()?.port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .route("/metrics", web::get().to(crate::health::metrics_listener))
            .service(crate::health::health)
            .service(crate::health::ready)
            .default_service(web::to(crate::health::not_found))
    })
    .disable_signals()
    .workers(1)
    .listen(listener)?
    .run();
    Ok((server, port))
}

fn run(
    listener: TcpListener,
    state: web::Data<AppState>,
    extra: RouteHook,
    tls: Option<&Arc<ReloadingCert>>,
) -> anyhow::Result<Server> {
    let server_settings = state.settings.server.clone();
    let body_limit = server_settings.body_limit_bytes;
    let metrics = state.metrics.clone();
    let mut server = HttpServer::new(move || {
        let metrics = metrics.clone();
        let extra = extra.clone();
        App::new()
            .wrap(from_fn(crate::http_policy::apply))
            .wrap(from_fn(move |req, next| {
                observe_request(metrics.clone(), req, next)
            }))
            .app_data(state.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(body_limit)
                    .error_handler(error::json_error),
            )
            .app_data(web::PayloadConfig::new(body_limit))
            .app_data(web::QueryConfig::default().error_handler(error::query_error))
            .app_data(web::PathConfig::default().error_handler(error::path_error))
            .configure(api::mount)
            .configure(move |cfg| extra(cfg))
            .default_service(web::to(crate::web::serve))
    })
    // Signals are handled by `serve`, so that SIGINT drains like SIGTERM and tests can run
    // many servers in one process.
    .disable_signals()
    .shutdown_timeout(server_settings.shutdown_timeout_secs)
    .client_request_timeout(Duration::from_secs(30));
    if server_settings.workers > 0 {
        server = server.workers(server_settings.workers);
    }
    let server = match tls {
        Some(cert) => server.listen_rustls_0_23(listener, cert.server_config()?)?,
        None => server.listen(listener)?,
    };
    Ok(server.run())
}
