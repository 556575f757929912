//! One error type for the HTTP surface, rendered as RFC 9457 `application/problem+json`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError, error as actix_error};
use serde::Serialize;

use crate::telemetry::{current_request_id, current_trace_id};

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// A field that failed validation: which one, a stable code, and a readable message.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// Declares the error codes: each a variant, its wire name and its HTTP status.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, $status:literal;)*) => {
        /// What happened, in one stable word a client can branch on (Meilisearch's model):
        /// every error carries one. docs/errors.md has a section per code, and a test keeps
        /// the two in step.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The status every error with this code answers with.
            pub fn status(self) -> u16 {
                match self {
                    $(Code::$variant => $status,)*
                }
            }
        }
    };
}

error_codes! {
    // 400
    MalformedJson = "malformed_json", 400;
    MalformedBody = "malformed_body", 400;
    InvalidQuery = "invalid_query", 400;
    InvalidIfMatch = "invalid_if_match", 400;
    NotAWebSocket = "not_a_websocket", 400;
    UploadInterrupted = "upload_interrupted", 400;
    /// A chat socket's text frame that is not JSON.
    InvalidJson = "invalid_json", 400;
    /// A chat socket's binary frame.
    UnsupportedFrame = "unsupported_frame", 400;
    // 401
    MissingToken = "missing_token", 401;
    InvalidToken = "invalid_token", 401;
    InvalidCredentials = "invalid_credentials", 401;
    InvalidResetToken = "invalid_reset_token", 401;
    /// A satisfaction link that is malformed, forged or expired.
    InvalidRatingLink = "invalid_rating_link", 401;
    InvalidMetricsToken = "invalid_metrics_token", 401;
    // 403
    ActionForbidden = "action_forbidden", 403;
    OperatorOnly = "operator_only", 403;
    TenantTokenRequired = "tenant_token_required", 403;
    OriginForbidden = "origin_forbidden", 403;
    // 404
    RouteNotFound = "route_not_found", 404;
    TenantNotFound = "tenant_not_found", 404;
    UserNotFound = "user_not_found", 404;
    TicketNotFound = "ticket_not_found", 404;
    SessionNotFound = "session_not_found", 404;
    DocumentNotFound = "document_not_found", 404;
    WebAppNotBuilt = "web_app_not_built", 404;
    RecordNotFound = "record_not_found", 404;
    PersonNotFound = "person_not_found", 404;
    CannedReplyNotFound = "canned_reply_not_found", 404;
    MacroNotFound = "macro_not_found", 404;
    MessageNotFound = "message_not_found", 404;
    // 405
    /// A route that exists, asked with a method it does not serve.
    MethodNotAllowed = "method_not_allowed", 405;
    // 409
    VersionMismatch = "version_mismatch", 409;
    EmailTaken = "email_taken", 409;
    TenantSlugTaken = "tenant_slug_taken", 409;
    UserInUse = "user_in_use", 409;
    CannotChangeOwnAccount = "cannot_change_own_account", 409;
    /// Data-rights erasure is for the people the desk serves, not its staff.
    StaffNotErasable = "staff_not_erasable", 409;
    AlreadyExists = "already_exists", 409;
    /// A chat, ticket or answer already has its one rating.
    AlreadyRated = "already_rated", 409;
    /// The first-run page after a tenant exists.
    SetupClosed = "setup_closed", 409;
    /// A ticket rated before it is resolved or closed.
    TicketNotSolved = "ticket_not_solved", 409;
    /// A chat message sent while the previous one is still being answered.
    Busy = "busy", 409;
    // 413, 415, 422, 428
    BodyTooLarge = "body_too_large", 413;
    DocumentTooLarge = "document_too_large", 413;
    UnsupportedContentType = "unsupported_content_type", 415;
    UnsupportedDocumentType = "unsupported_document_type", 415;
    ValidationFailed = "validation_failed", 422;
    DocumentUnparseable = "document_unparseable", 422;
    /// A chat socket's JSON frame of an unknown type or shape.
    InvalidFrame = "invalid_frame", 422;
    /// A chat socket's frame over `chat.max_frame_bytes`.
    FrameTooLarge = "frame_too_large", 413;
    IfMatchRequired = "if_match_required", 428;
    // 429
    RateLimited = "rate_limited", 429;
    // 503
    ModelQueueFull = "model_queue_full", 503;
    ModelUnavailable = "model_unavailable", 503;
    IdentityProviderUnavailable = "identity_provider_unavailable", 503;
    VectorIndexMismatch = "vector_index_mismatch", 503;
    // 500
    Internal = "internal", 500;
}

/// In the OpenAPI document every code is listed, so generated clients get the closed set.
impl utoipa::PartialSchema for Code {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "What happened, in one stable word a client can branch on (docs/errors.md).",
            ))
            .enum_values(Some(Code::ALL.iter().map(|code| code.as_str())))
            .into()
    }
}

impl utoipa::ToSchema for Code {
    fn name() -> std::borrow::Cow<'static, str> {
        "ErrorCode".into()
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error that ends a request. The variant is the kind (it picks the status); the
/// [`Code`] says what happened.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{1}")]
    BadRequest(Code, String),
    #[error("authentication required: {1}")]
    Unauthorized(Code, String),
    #[error("forbidden: {1}")]
    Forbidden(Code, String),
    #[error("{1}")]
    NotFound(Code, String),
    /// A route asked with a method it does not serve; `allow` lists the ones it does.
    #[error("{detail}")]
    MethodNotAllowed { detail: String, allow: String },
    #[error("conflict: {1}")]
    Conflict(Code, String),
    #[error("precondition required: {1}")]
    PreconditionRequired(Code, String),
    #[error("request body too large: {1}")]
    PayloadTooLarge(Code, String),
    #[error("unsupported media type: {1}")]
    UnsupportedMediaType(Code, String),
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
    #[error("upstream unavailable: {1}")]
    Unavailable(Code, String, Option<u64>),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// An RFC 9457 problem body.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem<'a> {
    /// A link to this code's section of docs/errors.md.
    #[serde(rename = "type")]
    kind: String,
    title: &'static str,
    status: u16,
    detail: String,
    #[schema(value_type = Code)]
    code: &'static str,
    /// The id of the request, also in the `x-request-id` header and the server's logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
    /// The W3C trace id of the request (the caller's `traceparent`'s, or a new one), as in
    /// the server's log lines and exported traces.
    #[serde(skip_serializing_if = "Option::is_none")]
    trace_id: Option<String>,
    /// The fields that failed validation (`validation_failed`).
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    #[schema(value_type = Vec<FieldError>)]
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
            kind: format!("https://helpdesk.invalid/docs/errors#{}", self.code()),
            title: self.title(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            code: self.code().as_str(),
            request_id: current_request_id(),
            trace_id: current_trace_id(),
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
    pub fn code(&self) -> Code {
        match self {
            Self::BadRequest(code, _)
            | Self::Unauthorized(code, _)
            | Self::Forbidden(code, _)
            | Self::NotFound(code, _)
            | Self::Conflict(code, _)
            | Self::PreconditionRequired(code, _)
            | Self::PayloadTooLarge(code, _)
            | Self::UnsupportedMediaType(code, _)
            | Self::Unavailable(code, ..) => *code,
            Self::MethodNotAllowed { .. } => Code::MethodNotAllowed,
            Self::Validation { .. } => Code::ValidationFailed,
            Self::Unparseable { .. } => Code::DocumentUnparseable,
            Self::RateLimited { .. } => Code::RateLimited,
            Self::Internal(_) => Code::Internal,
        }
    }

    pub fn not_found(code: Code, detail: impl Into<String>) -> Self {
        Self::NotFound(code, detail.into())
    }

    pub fn conflict(code: Code, detail: impl Into<String>) -> Self {
        Self::Conflict(code, detail.into())
    }

    fn title(&self) -> &'static str {
        match self {
            Self::BadRequest(..) => "Bad request",
            Self::Unauthorized(..) => "Unauthorized",
            Self::Forbidden(..) => "Forbidden",
            Self::NotFound(..) => "Not found",
            Self::MethodNotAllowed { .. } => "Method not allowed",
            Self::Conflict(..) => "Conflict",
            Self::PreconditionRequired(..) => "Precondition required",
            Self::PayloadTooLarge(..) => "Payload too large",
            Self::UnsupportedMediaType(..) => "Unsupported media type",
            Self::Validation { .. } => "Validation failed",
            Self::Unparseable { .. } => "Document unparseable",
            Self::RateLimited { .. } => "Too many requests",
            Self::Unavailable(..) => "Service unavailable",
            Self::Internal(_) => "Internal server error",
        }
    }

    /// The code and detail told to a client outside HTTP (a WebSocket `error` frame). An
    /// internal cause is logged here, once, and not shown.
    pub fn client_view(&self) -> (Code, String) {
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
        // The code table says each code's status; the kind and the code never disagree
        // (tests run debug builds, where a mismatch fails them).
        let code = self.code();
        let kind = match self {
            Self::BadRequest(..) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(..) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(..) => StatusCode::FORBIDDEN,
            Self::NotFound(..) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(..) => StatusCode::CONFLICT,
            Self::PreconditionRequired(..) => StatusCode::PRECONDITION_REQUIRED,
            Self::PayloadTooLarge(..) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(..) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation { .. } | Self::Unparseable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(..) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        debug_assert_eq!(kind.as_u16(), code.status(), "{code} raised as {kind}");
        kind
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
            Self::Unavailable(_, _, retry) => *retry,
            _ => None,
        };
        if let Some(secs) = retry_after {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from(secs)));
        }
        if matches!(self, Self::Unauthorized(..)) {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        if let Self::MethodNotAllowed { allow, .. } = self {
            response.insert_header((header::ALLOW, allow.as_str()));
        }
        response.body(serde_json::to_string(&problem).unwrap_or_default())
    }
}

/// The message of a broken foreign key, if that is what `err` is. SQLite enforces
/// `ON DELETE RESTRICT` through its trigger machinery, so deleting a row that is still
/// referenced fails with SQLITE_CONSTRAINT_TRIGGER (1811), which SeaORM does not classify;
/// its message is SQLite's fixed "FOREIGN KEY constraint failed".
pub fn foreign_key_violation(err: &sea_orm::DbErr) -> Option<String> {
    match err.sql_err() {
        Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(detail)) => Some(detail),
        _ => {
            let text = err.to_string();
            text.contains("FOREIGN KEY constraint failed")
                .then_some(text)
        }
    }
}

/// Whether `err` is a broken uniqueness rule, on either backend.
pub fn unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

impl From<sea_orm::DbErr> for AppError {
    /// The database's own words stay in the log: a constraint's message names tables,
    /// columns and values, and is not the client's business.
    fn from(err: sea_orm::DbErr) -> Self {
        use sea_orm::{DbErr, SqlErr};
        if let Some(SqlErr::UniqueConstraintViolation(detail)) = err.sql_err() {
            tracing::info!(constraint = %detail, "unique violation");
            return Self::Conflict(Code::AlreadyExists, "the record already exists".into());
        }
        if let Some(detail) = foreign_key_violation(&err) {
            tracing::info!(constraint = %detail, "foreign key violation");
            return Self::Validation {
                detail: "a referenced record does not exist".into(),
                fields: vec![FieldError {
                    field: "reference".into(),
                    code: "foreign_key".into(),
                    message: "a referenced record does not exist".into(),
                }],
            };
        }
        match err {
            DbErr::RecordNotFound(what) => {
                tracing::info!(record = %what, "record not found");
                Self::NotFound(Code::RecordNotFound, "no such record".into())
            }
            other => Self::Internal(anyhow::Error::new(other).context("database error")),
        }
    }
}

/// JSON body errors: malformed → 400, wrong shape → 422, wrong type → 415, too big → 413.
pub fn json_error(err: actix_error::JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    use actix_error::JsonPayloadError as E;
    let app = match err {
        E::ContentType => AppError::UnsupportedMediaType(
            Code::UnsupportedContentType,
            "expected Content-Type: application/json".into(),
        ),
        E::Overflow { limit } | E::OverflowKnownLength { limit, .. } => AppError::PayloadTooLarge(
            Code::BodyTooLarge,
            format!("the body exceeds the limit of {limit} bytes"),
        ),
        E::Deserialize(inner) if inner.is_data() => AppError::Validation {
            detail: inner.to_string(),
            fields: vec![FieldError {
                field: "body".into(),
                code: "invalid_shape".into(),
                message: inner.to_string(),
            }],
        },
        E::Deserialize(inner) => {
            AppError::BadRequest(Code::MalformedJson, format!("malformed JSON: {inner}"))
        }
        E::Payload(actix_error::PayloadError::Overflow) => {
            AppError::PayloadTooLarge(Code::BodyTooLarge, "the body exceeds the limit".into())
        }
        other => AppError::BadRequest(Code::MalformedBody, other.to_string()),
    };
    app.into()
}

pub fn payload_error(err: actix_error::PayloadError, _req: &HttpRequest) -> actix_web::Error {
    match err {
        actix_error::PayloadError::Overflow => {
            AppError::PayloadTooLarge(Code::BodyTooLarge, "the body exceeds the limit".into())
                .into()
        }
        other => AppError::BadRequest(Code::MalformedBody, other.to_string()).into(),
    }
}

pub fn query_error(err: actix_error::QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    AppError::BadRequest(Code::InvalidQuery, format!("invalid query string: {err}")).into()
}

pub fn path_error(err: actix_error::PathError, _req: &HttpRequest) -> actix_web::Error {
    AppError::NotFound(Code::RouteNotFound, format!("no such resource: {err}")).into()
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
