//! The parts of a tenant's `settings` its admins edit — theme, SLA policy, business hours,
//! webhook — validated field by field, merged into the stored JSON (keys nobody sent stay),
//! and the public theme the chat widget reads without signing in.

use std::collections::BTreeMap;

use sea_orm::{ActiveModelTrait as _, DatabaseConnection, EntityTrait as _, Set};
use serde::{Deserialize, Serialize};

use super::model::{TenantId, TenantView};
use super::tenant_settings::TenantSettings;
use crate::audit::{self, Action, Event};
use crate::database::begin_tenant;
use crate::egress::EgressPolicy;
use crate::entity::tenant;
use crate::error::{AppError, Code};
use crate::ids::Actor;
use crate::validation::{Fields, Invalid, ItemsRule, TextRule, has_control_characters};

const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];
const DEFAULT_PRIMARY: &str = "#1f4e8c";
const DEFAULT_ACCENT: &str = "#e07a1f";

/// What the public sees of a tenant: enough to brand its chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Theme {
    pub name: String,
    pub logo_url: Option<String>,
    pub primary_color: String,
    pub accent_color: String,
}

impl Theme {
    pub fn of(tenant: &TenantView) -> Self {
        let theme = TenantSettings::of(&tenant.settings).theme;
        let text = |value: Option<String>| value.filter(|s| !s.trim().is_empty());
        let color = |value: Option<String>, default: &str| {
            text(value)
                .filter(|c| is_color(c))
                .unwrap_or_else(|| default.to_owned())
        };
        Self {
            name: text(theme.display_name).unwrap_or_else(|| tenant.name.clone()),
            logo_url: text(theme.logo_url).filter(|u| is_web_url(u)),
            primary_color: color(theme.primary_color, DEFAULT_PRIMARY),
            accent_color: color(theme.accent_color, DEFAULT_ACCENT),
        }
    }
}

/// The longest name a theme shows.
const MAX_THEME_NAME_CHARS: usize = 80;
pub const THEME_NAME_RULE: TextRule = TextRule::text(MAX_THEME_NAME_CHARS);
/// Any text but control characters (the settings are JSON, which PostgreSQL cannot store a
/// NUL in).
pub const SECRET_RULE: TextRule = TextRule::plain();
pub const COLOR_RULE: TextRule = TextRule::pattern(7, 7, "^#[0-9a-fA-F]{6}$");

fn is_theme_name(raw: &str) -> bool {
    !raw.trim().is_empty()
        && raw.chars().count() <= MAX_THEME_NAME_CHARS
        && !has_control_characters(raw)
}

fn is_secret(raw: &str) -> bool {
    !has_control_characters(raw)
}

fn is_color(raw: &str) -> bool {
    raw.len() == 7 && raw.starts_with('#') && raw[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// The origins a tenant lets frame its chat and call its public endpoints
/// (`allowed_origins`, each `scheme://host[:port]`).
pub fn allowed_origins(settings: &TenantSettings) -> Vec<String> {
    settings
        .allowed_origins
        .iter()
        .filter(|o| as_origin(o).as_deref() == Some(o.as_str()))
        .cloned()
        .collect()
}

/// `raw` as a web origin in its canonical spelling; `None` when it is anything else (a
/// path, a wildcard, another scheme).
fn as_origin(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw).ok()?;
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    let plain = url.username().is_empty() && url.password().is_none();
    (matches!(url.scheme(), "http" | "https") && url.host().is_some() && bare && plain)
        .then(|| url.origin().ascii_serialization())
}

/// Origins a tenant may list.
const MAX_ORIGINS: usize = 20;
pub const ORIGINS_ITEMS: ItemsRule = ItemsRule::between(0, MAX_ORIGINS);

fn is_web_url(raw: &str) -> bool {
    url::Url::parse(raw).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemePatch {
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub logo_url: Option<Option<String>>,
    pub primary_color: Option<String>,
    pub accent_color: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaTargets {
    pub first_response: Option<f64>,
    pub resolution: Option<f64>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    pub url: String,
    /// Absent: the current secret stays; `null`: no signature from now on.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub secret: Option<Option<String>>,
}

/// A change to a tenant's settings; absent keys stay as they are, `null` clears the
/// optional ones.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    pub theme: Option<ThemePatch>,
    pub sla_minutes: Option<BTreeMap<String, SlaTargets>>,
    /// `{"timezone": "Europe/Berlin", "days": {"mon": ["09:00", "17:00"], …}}`.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Object>)]
    pub business_hours: Option<Option<serde_json::Value>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<WebhookPatch>)]
    pub webhooks: Option<Option<WebhookPatch>>,
    /// Replaces the list; `[]` clears it.
    pub allowed_origins: Option<Vec<String>>,
    pub privacy: Option<PrivacyPatch>,
    pub csat: Option<CsatPatch>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CsatPatch {
    /// A bad rating of a solved ticket opens it again.
    pub reopen_on_bad: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrivacyPatch {
    /// Store tickets and comments redacted instead of as written.
    pub store_redacted: Option<bool>,
}

/// `Some(None)` for an explicit `null`, `None` (by `default`) when the key is absent.
fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

impl SettingsPatch {
    /// Checks every field, then writes them into `settings`.
    fn apply(self, settings: &mut serde_json::Value) -> Result<(), AppError> {
        let mut fields = Fields::new();
        if let Some(theme) = &self.theme {
            if let Some(name) = &theme.display_name
                && !is_theme_name(name)
            {
                fields.add(
                    "theme.display_name",
                    Invalid::new(
                        "invalid_name",
                        format!(
                            "1 to {MAX_THEME_NAME_CHARS} characters, not all blank, no control \
                             characters"
                        ),
                    ),
                );
            }
            if let Some(Some(url)) = &theme.logo_url
                && !is_web_url(url)
            {
                fields.add(
                    "theme.logo_url",
                    Invalid::new("invalid_url", "an http(s) URL"),
                );
            }
            for (key, value) in [
                ("primary_color", &theme.primary_color),
                ("accent_color", &theme.accent_color),
            ] {
                if let Some(color) = value
                    && !is_color(color)
                {
                    fields.add(
                        &format!("theme.{key}"),
                        Invalid::new("invalid_color", "a colour like #1f4e8c"),
                    );
                }
            }
        }
        if let Some(sla) = &self.sla_minutes {
            for (priority, targets) in sla {
                if !PRIORITIES.contains(&priority.as_str()) {
                    fields.add(
                        &format!("sla_minutes.{priority}"),
                        Invalid::new("invalid_priority", "one of low, normal, high, urgent"),
                    );
                }
                for (name, minutes) in [
                    ("first_response", targets.first_response),
                    ("resolution", targets.resolution),
                ] {
                    if let Some(m) = minutes
                        && !(m.is_finite() && m > 0.0 && m <= 525_600.0)
                    {
                        fields.add(
                            &format!("sla_minutes.{priority}.{name}"),
                            Invalid::new("out_of_range", "minutes above 0, at most a year"),
                        );
                    }
                }
            }
        }
        if let Some(Some(hours)) = &self.business_hours
            && let Err(e) = super::BusinessHours::parse(hours)
        {
            fields.add("business_hours", Invalid::new("invalid_business_hours", e));
        }
        if let Some(Some(hook)) = &self.webhooks
            && !is_web_url(&hook.url)
        {
            fields.add(
                "webhooks.url",
                Invalid::new("invalid_url", "an http(s) URL"),
            );
        }
        if let Some(Some(hook)) = &self.webhooks
            && let Some(Some(secret)) = &hook.secret
            && !is_secret(secret)
        {
            fields.add(
                "webhooks.secret",
                Invalid::new(
                    "control_characters",
                    "the secret cannot hold control characters",
                ),
            );
        }
        let origins = self.allowed_origins.as_ref().map(|list| {
            if !ORIGINS_ITEMS.contains(list.len()) {
                fields.add(
                    "allowed_origins",
                    Invalid::new("too_many", format!("at most {MAX_ORIGINS} origins")),
                );
            }
            let mut canonical = Vec::new();
            for (i, raw) in list.iter().enumerate() {
                match as_origin(raw.trim()) {
                    Some(origin) => canonical.push(origin),
                    None => fields.add(
                        &format!("allowed_origins.{i}"),
                        Invalid::new("invalid_origin", "an origin like https://www.example.com"),
                    ),
                }
            }
            canonical.dedup();
            canonical
        });
        fields.finish()?;

        let object = settings.as_object_mut().ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!("tenant settings are not an object"))
        })?;
        if let Some(theme) = self.theme {
            let entry = object
                .entry("theme")
                .or_insert_with(|| serde_json::json!({}));
            if !entry.is_object() {
                *entry = serde_json::json!({});
            }
            if let Some(stored) = entry.as_object_mut() {
                if let Some(name) = theme.display_name {
                    stored.insert("display_name".into(), name.trim().into());
                }
                if let Some(url) = theme.logo_url {
                    stored.insert("logo_url".into(), url.into());
                }
                if let Some(color) = theme.primary_color {
                    stored.insert("primary_color".into(), color.to_ascii_lowercase().into());
                }
                if let Some(color) = theme.accent_color {
                    stored.insert("accent_color".into(), color.to_ascii_lowercase().into());
                }
            }
        }
        if let Some(sla) = self.sla_minutes {
            let entry = object
                .entry("sla_minutes")
                .or_insert_with(|| serde_json::json!({}));
            if !entry.is_object() {
                *entry = serde_json::json!({});
            }
            for (priority, targets) in sla {
                let slot = &mut entry[priority.as_str()];
                if !slot.is_object() {
                    *slot = serde_json::json!({});
                }
                if let Some(m) = targets.first_response {
                    slot["first_response"] = m.into();
                }
                if let Some(m) = targets.resolution {
                    slot["resolution"] = m.into();
                }
            }
        }
        if let Some(hours) = self.business_hours {
            object.insert(
                "business_hours".into(),
                hours.unwrap_or(serde_json::Value::Null),
            );
        }
        if let Some(origins) = origins {
            object.insert("allowed_origins".into(), origins.into());
        }
        if let Some(store_redacted) = self.privacy.and_then(|p| p.store_redacted) {
            object.insert(
                "privacy".into(),
                serde_json::json!({ "store_redacted": store_redacted }),
            );
        }
        if let Some(reopen) = self.csat.and_then(|c| c.reopen_on_bad) {
            object.insert(
                "csat".into(),
                serde_json::json!({ "reopen_on_bad": reopen }),
            );
        }
        if let Some(hook) = self.webhooks {
            let current = object
                .get("webhooks")
                .and_then(|w| w.get("secret"))
                .cloned()
                .unwrap_or(serde_json::Value::Null);
            let value = hook.map_or(serde_json::Value::Null, |h| {
                let secret = match h.secret {
                    None => current,
                    Some(secret) => secret.map_or(serde_json::Value::Null, Into::into),
                };
                serde_json::json!({"url": h.url, "secret": secret})
            });
            object.insert("webhooks".into(), value);
        }
        Ok(())
    }
}

/// Applies `patch` to the tenant's settings in one transaction; the tenant as stored.
pub async fn update_settings(
    db: &DatabaseConnection,
    actor: Actor,
    tenant: TenantId,
    patch: SettingsPatch,
    egress: &EgressPolicy,
) -> Result<TenantView, AppError> {
    // Checked when saved, and again at every delivery (an address can change).
    if let Some(Some(hook)) = &patch.webhooks
        && let Ok(url) = url::Url::parse(&hook.url)
        && let Err(refused) = egress.check_url(&url).await
    {
        return Err(AppError::validation(
            "webhooks.url",
            "destination_refused",
            refused.to_string(),
        ));
    }
    let txn = begin_tenant(db, tenant.0).await?;
    let found = tenant::Entity::find_by_id(tenant.0)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound(Code::TenantNotFound, "no such tenant".into()))?;
    let mut settings = found.settings.clone();
    patch.apply(&mut settings)?;
    // Which sections changed, not their values: a webhook's secret stays out of the log.
    let changed: Vec<&String> = settings
        .as_object()
        .map(|now| {
            now.iter()
                .filter(|(key, value)| found.settings.get(key.as_str()) != Some(value))
                .map(|(key, _)| key)
                .collect()
        })
        .unwrap_or_default();
    if !changed.is_empty() {
        let event = Event::new(Action::SettingsChanged)
            .on("tenant", tenant.0)
            .detail(serde_json::json!({ "changed": changed }));
        audit::append(&txn, tenant, &actor, event).await?;
    }
    let mut active: tenant::ActiveModel = found.into();
    active.settings = Set(settings);
    let stored = active.update(&txn).await?;
    txn.commit().await?;
    Ok(stored.into())
}

/// What admins read: the tenant with its settings, the webhook secret masked.
pub fn for_admins(mut tenant: TenantView) -> TenantView {
    if let Some(secret) = tenant.settings.pointer_mut("/webhooks/secret")
        && secret.is_string()
    {
        *secret = "********".into();
    }
    tenant
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_documented_rules_hold() {
        use crate::validation::assert_rule_accepts;
        assert_rule_accepts(THEME_NAME_RULE, is_theme_name);
        assert_rule_accepts(SECRET_RULE, is_secret);
        assert_rule_accepts(COLOR_RULE, is_color);
    }

    fn patch(value: serde_json::Value) -> SettingsPatch {
        serde_json::from_value(value).expect("patch")
    }

    #[test]
    fn a_patch_merges_and_keeps_what_it_does_not_name() {
        let mut settings = json!({
            "theme": {"display_name": "Acme", "primary_color": "#2563eb"},
            "sla_minutes": {"normal": {"first_response": 480, "resolution": 4320}},
            "queues": {"triage": "triage"}
        });
        patch(json!({
            "theme": {"accent_color": "#FFAA00"},
            "sla_minutes": {"normal": {"first_response": 60}},
            "business_hours": {"days": ["mon"], "start": "09:00", "end": "17:00"}
        }))
        .apply(&mut settings)
        .expect("valid");
        assert_eq!(settings["theme"]["display_name"], "Acme");
        assert_eq!(settings["theme"]["accent_color"], "#ffaa00");
        assert_eq!(settings["sla_minutes"]["normal"]["first_response"], 60.0);
        assert_eq!(settings["sla_minutes"]["normal"]["resolution"], 4320);
        assert_eq!(settings["queues"]["triage"], "triage");
        patch(json!({"business_hours": null}))
            .apply(&mut settings)
            .expect("valid");
        assert!(settings["business_hours"].is_null());
    }

    #[test]
    fn allowed_origins_are_stored_canonical_and_checked() {
        let mut settings = json!({});
        patch(json!({"allowed_origins": ["https://WWW.Acme.com", "http://localhost:3000"]}))
            .apply(&mut settings)
            .expect("valid");
        assert_eq!(
            allowed_origins(&TenantSettings::of(&settings)),
            vec!["https://www.acme.com", "http://localhost:3000"]
        );
        for bad in [
            "*",
            "https://acme.com/path",
            "javascript:alert(1)",
            "https://u:p@acme.com",
        ] {
            let err = patch(json!({"allowed_origins": [bad]}))
                .apply(&mut settings)
                .expect_err(bad);
            assert!(
                format!("{err:?}").contains("invalid_origin"),
                "{bad}: {err:?}"
            );
        }
    }

    #[test]
    fn a_webhook_patch_without_a_secret_keeps_the_current_one() {
        let mut settings = json!({"webhooks": {"url": "https://a.example/h", "secret": "s3cret"}});
        patch(json!({"webhooks": {"url": "https://b.example/h"}}))
            .apply(&mut settings)
            .expect("valid");
        assert_eq!(
            settings["webhooks"],
            json!({"url": "https://b.example/h", "secret": "s3cret"})
        );
        patch(json!({"webhooks": {"url": "https://b.example/h", "secret": null}}))
            .apply(&mut settings)
            .expect("valid");
        assert!(settings["webhooks"]["secret"].is_null());
        patch(json!({"webhooks": {"url": "https://b.example/h", "secret": "new"}}))
            .apply(&mut settings)
            .expect("valid");
        assert_eq!(settings["webhooks"]["secret"], "new");
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut settings = json!({});
        let err = patch(json!({
            "theme": {
                "primary_color": "blue",
                "logo_url": "javascript:alert(1)",
                "display_name": "Acme\u{0}"
            },
            "sla_minutes": {"someday": {"first_response": 5}, "high": {"resolution": -1}},
            "business_hours": {"days": []},
            "webhooks": {"url": "ftp://x", "secret": "s\u{0}"}
        }))
        .apply(&mut settings)
        .expect_err("invalid");
        let text = format!("{err:?}");
        for field in [
            "theme.primary_color",
            "theme.logo_url",
            "sla_minutes.someday",
            "sla_minutes.high.resolution",
            "business_hours",
            "webhooks.url",
            "theme.display_name",
            "webhooks.secret",
        ] {
            assert!(text.contains(field), "{field} in {text}");
        }
        assert_eq!(settings, json!({}), "nothing written");
    }

    #[test]
    fn the_public_theme_falls_back_to_defaults() {
        let tenant = TenantView {
            id: TenantId(uuid::Uuid::nil()),
            slug: "acme".into(),
            name: "Acme Corp".into(),
            plan: "free".into(),
            settings: json!({"theme": {"primary_color": "red", "logo_url": "file:///x"}}),
            created_at: chrono::Utc::now(),
        };
        let theme = Theme::of(&tenant);
        assert_eq!(theme.name, "Acme Corp");
        assert_eq!(theme.primary_color, DEFAULT_PRIMARY);
        assert_eq!(theme.logo_url, None);
    }
}
