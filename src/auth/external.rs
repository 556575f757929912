//! Tokens from external identity providers listed in `auth.trusted_issuers`: verified
//! against the issuer's JWKS (cached; fetched again when a token names an unknown `kid`,
//! at most once per `jwks_min_refetch_secs`), then mapped to a tenant and a role through
//! the claims the settings name.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use sea_orm::DatabaseConnection;
use tokio::sync::Mutex;

use super::tokens::{Claims, TokenRole};
use crate::config::TrustedIssuer;
use crate::database::TenantTx;
use crate::error::{AppError, Code};
use crate::tenancy::{self, TenantId, TenantSlug};

/// Signature algorithms accepted from external issuers (never `none`, never HMAC: a shared
/// secret would let anyone who can read the JWKS mint tokens).
const ACCEPTED: &[Algorithm] = &[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

struct Cached {
    keys: JwkSet,
    fetched_at: Instant,
}

pub struct ExternalIssuers {
    issuers: Vec<TrustedIssuer>,
    cache: Mutex<HashMap<String, Cached>>,
    client: reqwest::Client,
    max_age: Duration,
    min_refetch: Duration,
}

fn unauthorized(why: &str) -> AppError {
    AppError::Unauthorized(Code::InvalidToken, why.into())
}

impl ExternalIssuers {
    pub fn new(
        issuers: Vec<TrustedIssuer>,
        max_age: Duration,
        min_refetch: Duration,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            issuers,
            cache: Mutex::new(HashMap::new()),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()?,
            max_age,
            min_refetch,
        })
    }

    pub fn trusts(&self, issuer: &str) -> Option<&TrustedIssuer> {
        self.issuers.iter().find(|i| i.issuer == issuer)
    }

    async fn fetch(&self, issuer: &TrustedIssuer) -> Result<JwkSet, AppError> {
        let response = self
            .client
            .get(&issuer.jwks_url)
            .send()
            .await
            .map_err(|e| {
                AppError::Unavailable(
                    Code::IdentityProviderUnavailable,
                    format!("JWKS of {}: {e}", issuer.issuer),
                    None,
                )
            })?;
        if !response.status().is_success() {
            return Err(AppError::Unavailable(
                Code::IdentityProviderUnavailable,
                format!("JWKS of {} answered {}", issuer.issuer, response.status()),
                None,
            ));
        }
        response.json::<JwkSet>().await.map_err(|e| {
            AppError::Unavailable(
                Code::IdentityProviderUnavailable,
                format!("JWKS of {}: {e}", issuer.issuer),
                None,
            )
        })
    }

    /// The issuer's key `kid`: from the cache while it is fresh, fetched again when it is
    /// stale or lacks `kid` (not more often than `min_refetch`, so forged kids cannot make
    /// us hammer the provider).
    async fn key(&self, issuer: &TrustedIssuer, kid: &str) -> Result<Jwk, AppError> {
        let mut cache = self.cache.lock().await;
        let entry = cache.get(&issuer.issuer);
        let known = entry.and_then(|c| c.keys.find(kid).cloned());
        let age = entry.map(|c| c.fetched_at.elapsed());
        let may_refetch = age.is_none_or(|age| age >= self.min_refetch);
        let stale = age.is_none_or(|age| age >= self.max_age);
        if let Some(jwk) = &known
            && !stale
        {
            return Ok(jwk.clone());
        }
        if !may_refetch {
            return known.ok_or_else(|| unauthorized("token signed by an unknown key"));
        }
        let keys = self.fetch(issuer).await?;
        let found = keys.find(kid).cloned();
        cache.insert(
            issuer.issuer.clone(),
            Cached {
                keys,
                fetched_at: Instant::now(),
            },
        );
        found.ok_or_else(|| unauthorized("token signed by an unknown key"))
    }

    /// Verifies an external token and maps it to the claims of a tenant user.
    pub async fn verify(
        &self,
        db: &DatabaseConnection,
        issuer: &TrustedIssuer,
        token: &str,
    ) -> Result<Claims, AppError> {
        let header =
            jsonwebtoken::decode_header(token).map_err(|_| unauthorized("malformed token"))?;
        if !ACCEPTED.contains(&header.alg) {
            return Err(unauthorized("unsupported token algorithm"));
        }
        let kid = header
            .kid
            .ok_or_else(|| unauthorized("token has no key id"))?;
        let jwk = self.key(issuer, &kid).await?;
        let key_fits = matches!(
            (&jwk.algorithm, header.alg),
            (
                AlgorithmParameters::RSA(_),
                Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 | Algorithm::PS256
            ) | (
                AlgorithmParameters::EllipticCurve(_),
                Algorithm::ES256 | Algorithm::ES384
            ) | (AlgorithmParameters::OctetKeyPair(_), Algorithm::EdDSA)
        );
        if !key_fits {
            return Err(unauthorized("token algorithm does not match its key"));
        }
        let key = DecodingKey::from_jwk(&jwk).map_err(|_| unauthorized("unusable issuer key"))?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&issuer.issuer]);
        validation.set_audience(&[&issuer.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 30;
        let data = jsonwebtoken::decode::<serde_json::Value>(token, &key, &validation)
            .map_err(|_| unauthorized("invalid token"))?;
        let claims = data.claims;
        let text = |name: &str| claims.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        let subject = text("sub").ok_or_else(|| unauthorized("token has no subject"))?;
        let tenant_value = text(&issuer.tenant_claim)
            .ok_or_else(|| unauthorized("token does not name a tenant"))?;
        let tenant = match uuid::Uuid::parse_str(&tenant_value) {
            Ok(id) => TenantTx::run(db, TenantId(id), async |tx| tenancy::get_tenant(tx).await)
                .await
                .ok(),
            Err(_) => match TenantSlug::parse(&tenant_value) {
                Ok(slug) => tenancy::find_tenant_by_slug(db, &slug).await?,
                Err(_) => None,
            },
        }
        .ok_or_else(|| unauthorized("token names an unknown tenant"))?;
        // An issuer signs people into the tenants the operator listed for it, no other.
        if !issuer.tenants.iter().any(|t| t == tenant.slug.as_str()) {
            return Err(unauthorized("this issuer may not sign into that tenant"));
        }
        let tenant = tenant.id.0;
        let role = match text(&issuer.role_claim).as_deref() {
            Some("admin") => TokenRole::Admin,
            Some("agent") => TokenRole::Agent,
            Some("customer") => TokenRole::Customer,
            _ => return Err(unauthorized("token carries no helpdesk role")),
        };
        let user = external_user_id(&issuer.issuer, &subject);
        let number = |name: &str| claims.get(name).and_then(serde_json::Value::as_i64);
        Ok(Claims {
            iss: issuer.issuer.clone(),
            aud: issuer.audience.clone(),
            sub: user.to_string(),
            tenant_id: Some(tenant),
            role,
            exp: number("exp").unwrap_or_default(),
            iat: number("iat").unwrap_or_default(),
            jti: text("jti").unwrap_or_default(),
        })
    }
}

/// The identity of an external subject: a name-based UUID of issuer and subject, always —
/// a subject that happens to be a UUID (a local user's id, say) is an external identity
/// like any other, so an issuer can never act as a local user.
pub fn external_user_id(issuer: &str, subject: &str) -> uuid::Uuid {
    uuid::Uuid::new_v5(
        &EXTERNAL_IDENTITIES,
        format!("{issuer}#{subject}").as_bytes(),
    )
}

/// The namespace of external identities' ids (a random v4, fixed forever).
const EXTERNAL_IDENTITIES: uuid::Uuid =
    uuid::Uuid::from_u128(0x5d1e_9a3c_4b2f_4e71_9c0d_7a6b_3f28_e104);

/// The `iss` of a token, read without verifying it (only to pick the verifier).
pub fn unverified_issuer(token: &str) -> Option<String> {
    use base64::Engine as _;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value.get("iss")?.as_str().map(str::to_owned)
}
