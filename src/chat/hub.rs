//! Live delivery of agent replies to the sockets of their chat sessions.
//!
//! Every connection subscribes to one in-process broadcast and keeps its own session's
//! events. On PostgreSQL the events travel through `LISTEN/NOTIFY`: the row of an agent's
//! message and its notification commit together, and every replica (the sender included)
//! loads the message and broadcasts it to its own sockets — so a reply posted through one
//! replica reaches a visitor connected to another, with no broker to run. On SQLite there
//! is one process, and the sender broadcasts directly.

use std::time::Duration;

use sea_orm::{DatabaseConnection, DbBackend};
use sqlx::postgres::PgListener;
use tokio::sync::broadcast;

use super::model::{MessageView, SessionId};
use super::service::{NOTIFY_CHANNEL, get_message};
use crate::database::TenantTx;
use crate::tenancy::TenantId;

#[derive(Debug, Clone)]
pub struct HubEvent {
    pub tenant: TenantId,
    pub session: SessionId,
    pub message: MessageView,
}

pub struct ChatHub {
    tx: broadcast::Sender<HubEvent>,
    via_postgres: bool,
}

impl ChatHub {
    /// On PostgreSQL, starts listening before it returns, so that nothing committed after
    /// start-up is missed; if the database is not reachable yet, keeps trying in the
    /// background.
    pub async fn start(db: &DatabaseConnection) -> Self {
        let (tx, _) = broadcast::channel(1024);
        let via_postgres = db.get_database_backend() == DbBackend::Postgres;
        if via_postgres {
            let listener = tokio::time::timeout(Duration::from_secs(5), subscribe(db))
                .await
                .ok()
                .and_then(|r| {
                    r.map_err(|e| tracing::warn!(error = %e, "chat listener not started yet"))
                        .ok()
                });
            tokio::spawn(relay(db.clone(), tx.clone(), listener));
        }
        Self { tx, via_postgres }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<HubEvent> {
        self.tx.subscribe()
    }

    /// Called after an agent message was stored (with `notify` on PostgreSQL).
    pub fn stored(&self, event: HubEvent) {
        if !self.via_postgres {
            // No receivers is fine: the visitor is offline and will see it on resume.
            let _ = self.tx.send(event);
        }
    }

    /// Whether stored messages must carry a notification for other replicas.
    pub fn notifies(&self) -> bool {
        self.via_postgres
    }
}

async fn subscribe(db: &DatabaseConnection) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(db.get_postgres_connection_pool()).await?;
    listener.listen(NOTIFY_CHANNEL).await?;
    Ok(listener)
}

#[derive(serde::Deserialize)]
struct Notice {
    tenant: uuid::Uuid,
    message: uuid::Uuid,
}

async fn relay(
    db: DatabaseConnection,
    tx: broadcast::Sender<HubEvent>,
    mut listener: Option<PgListener>,
) {
    loop {
        let Some(active) = listener.as_mut() else {
            tokio::time::sleep(Duration::from_secs(1)).await;
            listener = subscribe(&db)
                .await
                .map_err(|e| tracing::warn!(error = %e, "chat listener cannot connect"))
                .ok();
            continue;
        };
        // `recv` reconnects by itself; notifications sent while it is away are lost, and
        // the visitor gets them from the history on resume.
        let notification = match active.recv().await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "chat listener failed; reconnecting");
                listener = None;
                continue;
            }
        };
        let Ok(notice) = serde_json::from_str::<Notice>(notification.payload()) else {
            tracing::warn!("ignoring a malformed chat notification");
            continue;
        };
        let tenant = TenantId(notice.tenant);
        match TenantTx::run(&db, tenant, async |tx| {
            get_message(tx, notice.message).await
        })
        .await
        {
            Ok(Some((session, message))) => {
                let _ = tx.send(HubEvent {
                    tenant,
                    session,
                    message,
                });
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot load a notified chat message"),
        }
    }
}
