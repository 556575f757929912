//! One error type for the HTTP surface, rendered as RFC 9457 `application/problem+json`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, error as actix_error};
use serde::Serialize;

use crate::telemetry::current_request_id;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// A field that failed validation: which one, a stable code, and a readable message.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("authentication required: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("precondition required: {0}")]
    PreconditionRequired(String),
    #[error("request body too large: {0}")]
    PayloadTooLarge(String),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("validation failed: {detail}")]
    Validation {
        detail: String,
        fields: Vec<FieldError>,
    },
    /// A document the sandboxed parser could not read, or that hit one of its limits.
    #[error("{detail}")]
    Unparseable {
        detail: String,
        limit: Option<&'static str>,
    },
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("upstream unavailable: {0}")]
    Unavailable(String, Option<u64>),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// An RFC 9457 problem body.
#[derive(Serialize)]
pub struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'static str,
    status: u16,
    detail: String,
    code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    errors: &'a [FieldError],
    /// Which parser limit a document hit (`document_unparseable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<&'static str>,
}

impl AppError {
    /// The problem body this error answers with (also sent inside event streams).
    pub fn problem(&self) -> Problem<'_> {
        let empty: &[FieldError] = &[];
        Problem {
            kind: format!("https://helpdesk.invalid/problems/{}", self.code()),
            title: self.title(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            code: self.code(),
            request_id: current_request_id(),
            errors: match self {
                Self::Validation { fields, .. } => fields,
                _ => empty,
            },
            limit: match self {
                Self::Unparseable { limit, .. } => *limit,
                _ => None,
            },
        }
    }

    pub fn validation(field: &str, code: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Validation {
            detail: format!("{field}: {message}"),
            fields: vec![FieldError {
                field: field.into(),
                code: code.into(),
                message,
            }],
        }
    }

    /// Stable, machine-readable code; clients branch on this, never on `detail`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::PreconditionRequired(_) => "precondition_required",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::Validation { .. } => "validation_failed",
            Self::Unparseable { .. } => "document_unparseable",
            Self::RateLimited { .. } => "rate_limited",
            Self::Unavailable(..) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "Bad request",
            Self::Unauthorized(_) => "Unauthorized",
            Self::Forbidden(_) => "Forbidden",
            Self::NotFound(_) => "Not found",
            Self::Conflict(_) => "Conflict",
            Self::PreconditionRequired(_) => "Precondition required",
            Self::PayloadTooLarge(_) => "Payload too large",
            Self::UnsupportedMediaType(_) => "Unsupported media type",
            Self::Validation { .. } => "Validation failed",
            Self::Unparseable { .. } => "Document unparseable",
            Self::RateLimited { .. } => "Too many requests",
            Self::Unavailable(..) => "Service unavailable",
            Self::Internal(_) => "Internal server error",
        }
    }

    /// The code and detail told to a client outside HTTP (a WebSocket `error` frame). An
    /// internal cause is logged here, once, and not shown.
    pub fn client_view(&self) -> (&'static str, String) {
        if let Self::Internal(cause) = self {
            tracing::error!(error = format!("{cause:#}"), "chat request failed");
        }
        (self.code(), self.detail())
    }

    fn detail(&self) -> String {
        match self {
            // The cause chain goes to the log, never to the client.
            Self::Internal(_) => "internal error; quote the request id when reporting it".into(),
            Self::Validation { detail, .. } => detail.clone(),
            other => other.to_string(),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation { .. } | Self::Unparseable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(..) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let Self::Internal(cause) = self {
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
        let problem = self.problem();
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE));
        let retry_after = match self {
            Self::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            Self::Unavailable(_, retry) => *retry,
            _ => None,
        };
        if let Some(secs) = retry_after {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from(secs)));
        }
        if matches!(self, Self::Unauthorized(_)) {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.body(serde_json::to_string(&problem).unwrap_or_default())
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        use sea_orm::{DbErr, SqlErr};
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => return Self::Conflict(detail),
            Some(SqlErr::ForeignKeyConstraintViolation(detail)) => {
                return Self::Validation {
                    detail: "a referenced record does not exist".into(),
                    fields: vec![FieldError {
                        field: "reference".into(),
                        code: "foreign_key".into(),
                        message: detail,
                    }],
                };
            }
            _ => {}
        }
        match err {
            DbErr::RecordNotFound(what) => Self::NotFound(what),
            other => Self::Internal(anyhow::Error::new(other).context("database error")),
        }
    }
}

/// JSON body errors: malformed → 400, wrong shape → 422, wrong type → 415, too big → 413.
pub fn json_error(err: actix_error::JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    use actix_error::JsonPayloadError as E;
    let app = match err {
        E::ContentType => {
            AppError::UnsupportedMediaType("expected Content-Type: application/json".into())
        }
        E::Overflow { limit } | E::OverflowKnownLength { limit, .. } => {
            AppError::PayloadTooLarge(format!("the body exceeds the limit of {limit} bytes"))
        }
        E::Deserialize(inner) if inner.is_data() => AppError::Validation {
            detail: inner.to_string(),
            fields: vec![FieldError {
                field: "body".into(),
                code: "invalid_shape".into(),
                message: inner.to_string(),
            }],
        },
        E::Deserialize(inner) => AppError::BadRequest(format!("malformed JSON: {inner}")),
        E::Payload(actix_error::PayloadError::Overflow) => {
            AppError::PayloadTooLarge("the body exceeds the limit".into())
        }
        other => AppError::BadRequest(other.to_string()),
    };
    app.into()
}

pub fn payload_error(err: actix_error::PayloadError, _req: &HttpRequest) -> actix_web::Error {
    match err {
        actix_error::PayloadError::Overflow => {
            AppError::PayloadTooLarge("the body exceeds the limit".into()).into()
        }
        other => AppError::BadRequest(other.to_string()).into(),
    }
}

pub fn query_error(err: actix_error::QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    AppError::BadRequest(format!("invalid query string: {err}")).into()
}

pub fn path_error(err: actix_error::PathError, _req: &HttpRequest) -> actix_web::Error {
    AppError::NotFound(format!("no such resource: {err}")).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;

    fn body_of(err: AppError) -> (u16, serde_json::Value) {
        let response = err.error_response();
        let status = response.status().as_u16();
        let bytes = response
            .into_body()
            .try_into_bytes()
            .unwrap_or_else(|_| panic!("body is bytes"));
        (
            status,
            serde_json::from_slice(&bytes).expect("problem json"),
        )
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let (status, body) = body_of(AppError::Internal(anyhow::anyhow!("password=hunter2")));
        assert_eq!(status, 500);
        assert_eq!(body["code"], "internal");
        assert!(!body.to_string().contains("hunter2"), "{body}");
    }

    #[test]
    fn validation_errors_list_fields() {
        let (status, body) = body_of(AppError::validation("email", "invalid", "not an email"));
        assert_eq!(status, 422);
        assert_eq!(body["errors"][0]["field"], "email");
        assert_eq!(body["title"], "Validation failed");
    }
}
