//! Server-sent events: how one event is framed, and the response that streams them.

use std::future::Future;

use actix_web::HttpResponse;
use actix_web::http::header::{self, Accept, Header as _, Quality};
use actix_web::mime;
use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt as _, stream};
use serde::Serialize;
use tokio::sync::mpsc;

use crate::error::AppError;
use crate::telemetry;

/// One event: its name and its data as one line of JSON.
pub fn event(name: &str, data: &impl Serialize) -> Bytes {
    let data = serde_json::to_string(data).unwrap_or_else(|_| "{}".into());
    Bytes::from(format!("event: {name}\ndata: {data}\n\n"))
}

/// A 200 that streams `body` as it comes: not cached, and not held back by a buffering
/// proxy (nginx reads `x-accel-buffering`).
pub fn response<S>(body: S) -> HttpResponse
where
    S: Stream<Item = Result<Bytes, actix_web::Error>> + 'static,
{
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("x-accel-buffering", "no"))
        .streaming(body)
}

/// Where a piece of work streamed by [`run`] sends its events.
pub struct Sender(mpsc::UnboundedSender<Bytes>);

impl Sender {
    pub fn send(&self, name: &str, data: &impl Serialize) {
        // The receiver lives as long as the body, which is what runs the work: no send
        // outlives its listener.
        let _ = self.0.send(event(name, data));
    }

    /// An `error` event with `error`'s problem body; an internal error's cause is logged,
    /// as its response would have been.
    pub fn fail(&self, error: &AppError) {
        if let AppError::Internal(cause) = error {
            tracing::error!(error = format!("{cause:#}"), "streamed request failed");
        }
        self.send("error", &error.problem());
    }
}

/// A response streaming the events `work` sends, as it sends them. The work runs, in the
/// request's scope, as the body is polled: the body ends when the work does, and a caller
/// who hangs up stops it.
pub fn run<F, W>(work: F) -> HttpResponse
where
    F: FnOnce(Sender) -> W,
    W: Future<Output = ()> + 'static,
{
    let (tx, rx) = mpsc::unbounded_channel();
    let work = telemetry::within_request(work(Sender(tx)));
    let events = stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|bytes| (Ok::<_, actix_web::Error>(bytes), rx))
    });
    let work = stream::once(work).filter_map(|()| std::future::ready(None));
    response(stream::select(events, work))
}

/// Whether the caller asked for events (`Accept: text/event-stream`, not at quality 0).
pub fn wanted(req: &actix_web::HttpRequest) -> bool {
    Accept::parse(req).is_ok_and(|accept| {
        accept
            .iter()
            .any(|item| item.item == mime::TEXT_EVENT_STREAM && item.quality > Quality::ZERO)
    })
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::wanted;

    fn asks(accept: &[&str]) -> bool {
        let mut req = TestRequest::default();
        for value in accept {
            req = req.append_header(("accept", *value));
        }
        wanted(&req.to_http_request())
    }

    #[test]
    fn events_are_sent_only_to_callers_that_ask_for_them() {
        assert!(asks(&["text/event-stream"]));
        assert!(asks(&["application/json, Text/Event-Stream;q=0.9"]));
        assert!(asks(&["application/json", "text/event-stream"]));
        assert!(!asks(&[]));
        assert!(!asks(&["*/*"]));
        assert!(!asks(&["application/json"]));
        assert!(!asks(&["text/event-streams"]));
        assert!(!asks(&["text/event-stream;q=0, application/json"]));
    }
}
