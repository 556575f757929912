//! Server-sent events: how one event is framed, and the response that streams them.

use actix_web::HttpResponse;
use actix_web::http::header::{self, Accept, Header as _, Quality};
use actix_web::mime;
use actix_web::web::Bytes;
use futures_util::Stream;
use serde::Serialize;

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
