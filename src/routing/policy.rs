//! A tenant's routing policy: which queue each category goes to, and below which
//! confidence a ticket waits in the triage queue for a person to classify it. Read from the
//! tenant's settings (`routing.triage_threshold`, `routing.categories`, `queues.triage`),
//! with defaults for whatever is not set.

use std::collections::BTreeMap;

use serde::Serialize;

use super::router::{Prediction, Router};

pub const DEFAULT_TRIAGE_THRESHOLD: f32 = 0.5;

const DEFAULT_QUEUES: &[(&str, &str)] = &[
    ("Access", "access"),
    ("Administrative rights", "admin-rights"),
    ("HR Support", "hr"),
    ("Hardware", "hardware"),
    ("Internal Project", "projects"),
    ("Miscellaneous", "general"),
    ("Purchase", "purchasing"),
    ("Storage", "storage"),
];

#[derive(Debug, Clone, PartialEq)]
pub struct RoutingPolicy {
    pub triage_threshold: f32,
    pub triage_queue: String,
    pub default_queue: String,
    pub category_queues: BTreeMap<String, String>,
}

/// The router's verdict on a ticket and where the policy sends it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    pub category: String,
    pub confidence: f32,
    pub queue: String,
}

impl RoutingPolicy {
    pub fn from_tenant_settings(settings: &serde_json::Value) -> Self {
        let text = |pointer: &str, default: &str| {
            settings
                .pointer(pointer)
                .and_then(|v| v.as_str())
                .filter(|s| !s.trim().is_empty())
                .unwrap_or(default)
                .to_owned()
        };
        let mut category_queues: BTreeMap<String, String> = DEFAULT_QUEUES
            .iter()
            .map(|(c, q)| ((*c).to_owned(), (*q).to_owned()))
            .collect();
        if let Some(custom) = settings
            .pointer("/routing/categories")
            .and_then(|v| v.as_object())
        {
            for (category, queue) in custom {
                if let Some(queue) = queue.as_str() {
                    category_queues.insert(category.clone(), queue.to_owned());
                }
            }
        }
        let triage_threshold = settings
            .pointer("/routing/triage_threshold")
            .and_then(|v| v.as_f64())
            .map_or(DEFAULT_TRIAGE_THRESHOLD, |t| t.clamp(0.0, 1.0) as f32);
        Self {
            triage_threshold,
            triage_queue: text("/queues/triage", "triage"),
            default_queue: text("/queues/default", "general"),
            category_queues,
        }
    }

    pub fn route(&self, prediction: Prediction) -> Classification {
        let queue = if prediction.confidence < self.triage_threshold {
            self.triage_queue.clone()
        } else {
            self.category_queues
                .get(&prediction.category)
                .cloned()
                .unwrap_or_else(|| self.default_queue.clone())
        };
        Classification {
            category: prediction.category,
            confidence: prediction.confidence,
            queue,
        }
    }

    /// Classifies a ticket by its subject and body.
    pub fn classify(&self, router: &Router, subject: &str, body: &str) -> Classification {
        self.route(router.predict(&format!("{subject} {body}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prediction(category: &str, confidence: f32) -> Prediction {
        Prediction {
            category: category.into(),
            confidence,
        }
    }

    #[test]
    fn defaults_map_categories_and_send_doubt_to_triage() {
        let policy = RoutingPolicy::from_tenant_settings(&serde_json::json!({}));
        assert_eq!(policy.route(prediction("Hardware", 0.9)).queue, "hardware");
        assert_eq!(policy.route(prediction("Hardware", 0.3)).queue, "triage");
        assert_eq!(policy.route(prediction("Unknown", 0.9)).queue, "general");
    }

    #[test]
    fn tenant_settings_override_the_defaults() {
        let policy = RoutingPolicy::from_tenant_settings(&serde_json::json!({
            "queues": {"triage": "inbox"},
            "routing": {"triage_threshold": 0.95, "categories": {"Hardware": "it-desk"}}
        }));
        assert_eq!(policy.route(prediction("Hardware", 0.97)).queue, "it-desk");
        assert_eq!(policy.route(prediction("Hardware", 0.9)).queue, "inbox");
        assert_eq!(policy.route(prediction("Storage", 0.99)).queue, "storage");
    }
}
