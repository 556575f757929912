//! Outbound events: a tenant that sets `webhooks.url` gets a JSON POST for each SLA
//! escalation, signed with `webhooks.secret` when it has one
//! (`X-Helpdesk-Signature: sha256=<hex HMAC-SHA256 of the body>`, the scheme GitHub and
//! Stripe receivers already verify). Delivery is a durable job: a receiver that is down or
//! answers non-2xx is retried with back-off; its `id` lets it drop duplicates.

use hmac::{Hmac, Mac as _};
use sha2::Sha256;

use crate::egress::EgressPolicy;
use crate::error::AppError;
use crate::tenancy::TenantSettings;

pub const SIGNATURE_HEADER: &str = "X-Helpdesk-Signature";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    url: url::Url,
    secret: Option<String>,
}

impl WebhookTarget {
    /// The tenant's webhook, if it set a valid http(s) URL.
    pub fn of_tenant(settings: &TenantSettings) -> Option<Self> {
        let hook = settings.webhooks.as_ref()?;
        let url = url::Url::parse(&hook.url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))?;
        let secret = hook.secret.clone().filter(|s| !s.is_empty());
        Some(Self { url, secret })
    }
}

/// The signature header value of `body` under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = <Hmac<Sha256>>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Posts `event` to the target. Errors name neither the URL nor the secret: they are
/// logged and stored on the job's row.
pub async fn deliver(
    http: &reqwest::Client,
    egress: &EgressPolicy,
    target: &WebhookTarget,
    event: &serde_json::Value,
) -> Result<(), AppError> {
    // The resolver checks names; an address written in the URL is checked here.
    egress
        .check_static(&target.url)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("webhook refused: {e}")))?;
    let body = serde_json::to_vec(event).map_err(|e| AppError::Internal(e.into()))?;
    let mut request = http
        .post(target.url.clone())
        .header(reqwest::header::CONTENT_TYPE, "application/json");
    if let Some(secret) = &target.secret {
        request = request.header(SIGNATURE_HEADER, sign(secret, &body));
    }
    let response = request.body(body).send().await.map_err(|e| {
        let cause = std::error::Error::source(&e)
            .map(|c| format!(": {c}"))
            .unwrap_or_default();
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "could not connect"
        } else {
            "failed"
        };
        AppError::Internal(anyhow::anyhow!("webhook delivery {kind}{}", redact(&cause)))
    })?;
    if !response.status().is_success() {
        return Err(AppError::Internal(anyhow::anyhow!(
            "webhook receiver answered {}",
            response.status()
        )));
    }
    Ok(())
}

/// A transport error's cause may quote the URL (with credentials or a token in its query):
/// only causes that hold none of it are kept.
fn redact(cause: &str) -> &str {
    if cause.contains("://") { "" } else { cause }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_make_a_target() {
        let of = |v| WebhookTarget::of_tenant(&TenantSettings::of(&v));
        assert!(
            of(serde_json::json!({"webhooks": {"url": "https://hooks.example/sla"}})).is_some()
        );
        assert!(of(serde_json::json!({"webhooks": {"url": "file:///etc/passwd"}})).is_none());
        assert!(of(serde_json::json!({"webhooks": {"url": "not a url"}})).is_none());
        assert!(of(serde_json::json!({})).is_none());
    }

    #[test]
    fn the_signature_is_the_rfc_4231_hmac() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
