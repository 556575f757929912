//! A tenant's settings as the code reads them: one typed struct, read from the stored JSON
//! in one place ([`TenantSettings::of`]). Writes are checked field by field when an admin
//! saves them (`SettingsPatch`); reading is lenient, so a value that is missing or not of
//! the expected shape (older rows, a hand edit) falls back to its default instead of
//! failing the request that needed the settings.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct TenantSettings {
    #[serde(default, deserialize_with = "lenient")]
    pub theme: ThemeSettings,
    /// Targets per priority (`low`, `normal`, `high`, `urgent`).
    #[serde(default, deserialize_with = "lenient")]
    pub sla_minutes: BTreeMap<String, SlaMinutes>,
    /// The raw business-hours object; `BusinessHours::parse` reads it.
    #[serde(default, deserialize_with = "lenient")]
    pub business_hours: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "lenient")]
    pub queues: QueueNames,
    #[serde(default, deserialize_with = "lenient")]
    pub routing: RoutingChoices,
    #[serde(default, deserialize_with = "lenient")]
    pub webhooks: Option<WebhookSettings>,
    /// As stored; [`super::allowed_origins`] keeps the canonical ones.
    #[serde(default, deserialize_with = "lenient_strings")]
    pub allowed_origins: Vec<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub privacy: PrivacySettings,
    #[serde(default, deserialize_with = "lenient")]
    pub csat: CsatSettings,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CsatSettings {
    /// A bad rating of a solved ticket opens it again. Off by default.
    #[serde(default, deserialize_with = "lenient")]
    pub reopen_on_bad: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PrivacySettings {
    /// Tickets and comments are stored redacted. Off by default: agents need what the
    /// customer wrote (an order's address, a callback number).
    #[serde(default, deserialize_with = "lenient")]
    pub store_redacted: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ThemeSettings {
    #[serde(default, deserialize_with = "lenient")]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub logo_url: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub primary_color: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub accent_color: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
pub struct SlaMinutes {
    #[serde(default, deserialize_with = "lenient")]
    pub first_response: Option<f64>,
    #[serde(default, deserialize_with = "lenient")]
    pub resolution: Option<f64>,
}

/// The tenant's own names for its special queues; `None` where it keeps the default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct QueueNames {
    #[serde(default, deserialize_with = "lenient")]
    pub default: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub triage: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub escalation: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct RoutingChoices {
    /// Category → queue, over the built-in mapping.
    #[serde(default, deserialize_with = "lenient_string_map")]
    pub categories: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "lenient")]
    pub triage_threshold: Option<f64>,
    /// Queue → the agents serving it; a queue not listed is served by every agent.
    #[serde(default, deserialize_with = "lenient_agents")]
    pub queue_agents: BTreeMap<String, Vec<uuid::Uuid>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WebhookSettings {
    pub url: String,
    #[serde(default, deserialize_with = "lenient")]
    pub secret: Option<String>,
}

impl TenantSettings {
    /// Reads stored settings; never fails (see the module's note).
    pub fn of(stored: &serde_json::Value) -> Self {
        Self::deserialize(stored).unwrap_or_default()
    }
}

impl QueueNames {
    /// `name`, unless it is blank.
    pub fn chosen(name: &Option<String>) -> Option<&str> {
        name.as_deref().filter(|n| !n.trim().is_empty())
    }
}

/// The value if it has the expected shape, else the default.
fn lenient<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(T::deserialize(value).unwrap_or_default())
}

/// The strings of a list; other entries are dropped.
fn lenient_strings<'de, D>(deserializer: D) -> Result<Vec<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(value
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// The string values of an object; other entries are dropped.
fn lenient_string_map<'de, D>(deserializer: D) -> Result<BTreeMap<String, String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(value
        .as_object()
        .map(|map| {
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default())
}

/// Queue → agent ids; ids that are not UUIDs are dropped.
fn lenient_agents<'de, D>(deserializer: D) -> Result<BTreeMap<String, Vec<uuid::Uuid>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(value
        .as_object()
        .map(|map| {
            map.iter()
                .map(|(queue, agents)| {
                    let ids = agents
                        .as_array()
                        .map(|list| {
                            list.iter()
                                .filter_map(|a| a.as_str()?.parse().ok())
                                .collect()
                        })
                        .unwrap_or_default();
                    (queue.clone(), ids)
                })
                .collect()
        })
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn stored_settings_are_read_with_defaults() {
        let settings = TenantSettings::of(&json!({
            "theme": {"display_name": "Acme", "primary_color": 7},
            "sla_minutes": {"urgent": {"first_response": 30}},
            "queues": {"escalation": "escalations"},
            "routing": {"categories": {"Hardware": "hw", "Bad": 1},
                        "queue_agents": {"hw": ["not-a-uuid", "0b6f3c54-1f0e-4d7b-9a55-1f1a2b3c4d5e"]}},
            "webhooks": {"url": "https://hooks.example/x"},
            "allowed_origins": ["https://a.example", 3],
            "unknown": true
        }));
        assert_eq!(settings.theme.display_name.as_deref(), Some("Acme"));
        assert_eq!(settings.theme.primary_color, None, "a number is no colour");
        assert_eq!(settings.sla_minutes["urgent"].first_response, Some(30.0));
        assert_eq!(settings.sla_minutes["urgent"].resolution, None);
        assert_eq!(settings.queues.escalation.as_deref(), Some("escalations"));
        assert_eq!(settings.routing.categories.len(), 1);
        assert_eq!(settings.routing.queue_agents["hw"].len(), 1);
        assert_eq!(
            settings.webhooks.map(|w| w.url).as_deref(),
            Some("https://hooks.example/x")
        );
        assert_eq!(settings.allowed_origins, ["https://a.example"]);
    }

    #[test]
    fn anything_else_reads_as_the_defaults() {
        assert_eq!(TenantSettings::of(&json!(null)), TenantSettings::default());
        assert_eq!(
            TenantSettings::of(&json!([1, 2])),
            TenantSettings::default()
        );
        assert_eq!(
            TenantSettings::of(&json!({"webhooks": {"secret": "x"}})).webhooks,
            None
        );
    }
}
