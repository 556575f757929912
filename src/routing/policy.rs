//! A tenant's routing policy: which queue each category goes to, and below which
//! confidence a ticket waits in the triage queue for a person to classify it. Read from the
//! tenant's settings (`routing.triage_threshold`, `routing.categories`, `queues.triage`),
//! with defaults for whatever is not set.

use std::collections::BTreeMap;

use serde::Serialize;

use super::router::{Prediction, Router};
use crate::tenancy::{QueueNames, TenantSettings};
use crate::tickets::Workload;

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
    /// Agents serving a queue (`routing.queue_agents`); a queue not listed is served by
    /// every agent of the tenant.
    pub queue_agents: BTreeMap<String, Vec<uuid::Uuid>>,
}

/// The router's verdict on a ticket and where the policy sends it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    pub category: String,
    pub confidence: f32,
    pub queue: String,
}

impl RoutingPolicy {
    pub fn from_tenant_settings(settings: &TenantSettings) -> Self {
        let mut category_queues: BTreeMap<String, String> = DEFAULT_QUEUES
            .iter()
            .map(|(c, q)| ((*c).to_owned(), (*q).to_owned()))
            .collect();
        category_queues.extend(settings.routing.categories.clone());
        let triage_threshold = settings
            .routing
            .triage_threshold
            .map_or(DEFAULT_TRIAGE_THRESHOLD, |t| t.clamp(0.0, 1.0) as f32);
        let queue = |name: &Option<String>, default: &str| {
            QueueNames::chosen(name).unwrap_or(default).to_owned()
        };
        Self {
            queue_agents: settings.routing.queue_agents.clone(),
            triage_threshold,
            triage_queue: queue(&settings.queues.triage, "triage"),
            default_queue: queue(&settings.queues.default, "general"),
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

/// The least-loaded of `candidates` (open tickets), and on a tie the one given a ticket
/// longest ago (never first): consecutive tickets go round the agents in turn.
pub fn pick_agent(
    candidates: &[uuid::Uuid],
    workload: &std::collections::HashMap<uuid::Uuid, Workload>,
) -> Option<uuid::Uuid> {
    candidates.iter().copied().min_by(|a, b| {
        let x = workload.get(a).copied().unwrap_or_default();
        let y = workload.get(b).copied().unwrap_or_default();
        x.open
            .cmp(&y.open)
            .then_with(|| x.last_assigned.cmp(&y.last_assigned))
            .then_with(|| a.cmp(b))
    })
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
        let policy =
            RoutingPolicy::from_tenant_settings(&TenantSettings::of(&serde_json::json!({})));
        assert_eq!(policy.route(prediction("Hardware", 0.9)).queue, "hardware");
        assert_eq!(policy.route(prediction("Hardware", 0.3)).queue, "triage");
        assert_eq!(policy.route(prediction("Unknown", 0.9)).queue, "general");
    }

    #[test]
    fn the_least_loaded_agent_wins_and_ties_go_round() {
        use chrono::{TimeZone as _, Utc};
        let (a, b, c) = (
            uuid::Uuid::from_u128(1),
            uuid::Uuid::from_u128(2),
            uuid::Uuid::from_u128(3),
        );
        let at = |s| Some(Utc.timestamp_opt(s, 0).single().expect("time"));
        let mut load = std::collections::HashMap::new();
        load.insert(
            a,
            Workload {
                open: 2,
                last_assigned: at(10),
            },
        );
        load.insert(
            b,
            Workload {
                open: 1,
                last_assigned: at(30),
            },
        );
        load.insert(
            c,
            Workload {
                open: 1,
                last_assigned: at(20),
            },
        );
        assert_eq!(
            pick_agent(&[a, b, c], &load),
            Some(c),
            "c: as loaded as b, waited longer"
        );
        load.insert(
            c,
            Workload {
                open: 1,
                last_assigned: at(40),
            },
        );
        assert_eq!(pick_agent(&[a, b, c], &load), Some(b));
        let never = uuid::Uuid::from_u128(4);
        assert_eq!(pick_agent(&[a, b, c, never], &load), Some(never));
        assert_eq!(pick_agent(&[], &load), None);
    }

    #[test]
    fn tenant_settings_override_the_defaults() {
        let policy = RoutingPolicy::from_tenant_settings(&TenantSettings::of(&serde_json::json!({
            "queues": {"triage": "inbox"},
            "routing": {"triage_threshold": 0.95, "categories": {"Hardware": "it-desk"}}
        })));
        assert_eq!(policy.route(prediction("Hardware", 0.97)).queue, "it-desk");
        assert_eq!(policy.route(prediction("Hardware", 0.9)).queue, "inbox");
        assert_eq!(policy.route(prediction("Storage", 0.99)).queue, "storage");
    }
}
