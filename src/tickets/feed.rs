//! `GET /api/v1/tickets/feed`: a server-sent event stream telling an agent console that
//! its tenant's tickets changed, so it reloads what it shows. Every change to a ticket
//! writes a ticket event (created, status, priority, assignment, comment, escalation), so
//! the newest event's time is the tenant's change marker; each stream polls it. Polling the
//! database, rather than an in-process channel, sees changes made by every replica and by
//! the workflow workers alike, on SQLite and PostgreSQL.

use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _, QuerySelect as _,
};
use serde::Deserialize;
use serde_json::json;

use crate::app::AppState;
use crate::auth::{Action, Resource, Session, bearer_or_query};
use crate::database::begin_tenant;
use crate::entity::ticket_event;
use crate::error::AppError;
use crate::event_stream;
use crate::tenancy::TenantId;

const POLL: Duration = Duration::from_secs(1);
/// A comment line this often keeps proxies from closing an idle stream.
const KEEPALIVE_POLLS: u32 = 15;

/// When the newest ticket event of `tenant` was written.
pub async fn latest_change(
    db: &DatabaseConnection,
    tenant: TenantId,
) -> Result<Option<DateTime<Utc>>, AppError> {
    let txn = begin_tenant(db, tenant.0).await?;
    let latest: Option<Option<DateTime<Utc>>> = ticket_event::Entity::find()
        .select_only()
        .column_as(Expr::col(ticket_event::Column::CreatedAt).max(), "latest")
        .filter(ticket_event::Column::TenantId.eq(tenant.0))
        .into_tuple()
        .one(&txn)
        .await?;
    txn.commit().await?;
    Ok(latest.flatten())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The access token, for clients that cannot send headers (`EventSource`).
    access_token: Option<String>,
}

/// Comment lines keep the stream open; a `changed` event means: reload.
#[utoipa::path(
    tag = "tickets",
    params(FeedQuery),
    responses((status = 200, description = "Server-sent events: `ready` on open, `changed` whenever the tenant's tickets change, `ended` when the session ends", content_type = "text/event-stream", body = String)),
)]
#[get("/tickets/feed")]
pub async fn ticket_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<FeedQuery>,
) -> Result<HttpResponse, AppError> {
    // EventSource cannot set headers: the token may come in the query string.
    let token = bearer_or_query(&req, query.into_inner().access_token)?;
    let session = Session::from_token(state.clone(), token).await?;
    let caller = session.caller;
    state
        .authz
        .require(&caller, Resource::Tickets, Action::Update)?;
    let db = state.db.clone();
    // Polls between checks that the token is unexpired and its user still active.
    let recheck_every =
        u32::try_from(Ord::max(state.settings.auth.recheck_secs, 1)).unwrap_or(u32::MAX / 2);
    let tenant = caller.tenant;
    let start = latest_change(&db, tenant).await?;
    let hello = futures_util::stream::once(async {
        Ok::<_, actix_web::Error>(web::Bytes::from_static(
            b"retry: 3000\nevent: ready\ndata: {}\n\n",
        ))
    });
    let changes = futures_util::stream::unfold(
        (db, start, 0u32, 0u32, false),
        move |(db, seen, quiet, polls, ended)| async move {
            if ended {
                return None;
            }
            tokio::time::sleep(POLL).await;
            let polls = polls.wrapping_add(1);
            if polls % recheck_every == 0 && !session.still_valid(&db).await {
                // The console signs in again; the stream ends and is not resumed.
                let bye = event_stream::event("ended", &json!({"reason": "session ended"}));
                return Some((
                    Ok::<_, actix_web::Error>(bye),
                    (db, seen, quiet, polls, true),
                ));
            }
            let (chunk, seen, quiet) = match latest_change(&db, tenant).await {
                Ok(latest) if latest != seen => {
                    let at = latest.map(|t| t.to_rfc3339()).unwrap_or_default();
                    (
                        event_stream::event("changed", &json!({ "at": at })),
                        latest,
                        0,
                    )
                }
                Ok(_) if quiet + 1 >= KEEPALIVE_POLLS => {
                    (web::Bytes::from_static(b": keep-alive\n\n"), seen, 0)
                }
                Ok(_) => (web::Bytes::new(), seen, quiet + 1),
                Err(e) => {
                    tracing::warn!(error = %e, tenant = %tenant, "ticket feed poll failed");
                    (web::Bytes::new(), seen, quiet + 1)
                }
            };
            Some((
                Ok::<_, actix_web::Error>(chunk),
                (db, seen, quiet, polls, false),
            ))
        },
    );
    use futures_util::StreamExt as _;
    let stream = hello.chain(changes.filter(|chunk| {
        std::future::ready(chunk.as_ref().map_or(true, |bytes| !bytes.is_empty()))
    }));
    Ok(event_stream::response(stream))
}
