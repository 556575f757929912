//! A tenant's SLA policy: per priority, how long the first response and the resolution of
//! a ticket may take, optionally counted in business hours only. Read from the tenant's
//! settings:
//!
//! ```json
//! "sla_minutes": {"normal": {"first_response": 60, "resolution": 1440}},
//! "business_hours": {"days": ["mon","tue","wed","thu","fri"],
//!                    "start": "09:00", "end": "17:00", "utc_offset": "+01:00"}
//! ```
//!
//! A priority without a target has no timer; malformed business hours are ignored (the
//! clock then runs around the clock) rather than leaving tickets without deadlines.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::tenancy::{BusinessHours, SlaMinutes, TenantSettings};
use crate::tickets::Breach;

/// When a ticket's first response and resolution are due; `None` where the policy sets no
/// target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deadlines {
    pub first_response: Option<DateTime<Utc>>,
    pub resolution: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SlaPolicy {
    targets: BTreeMap<String, SlaMinutes>,
    hours: Option<BusinessHours>,
}

impl SlaPolicy {
    pub fn from_tenant_settings(settings: &TenantSettings) -> Self {
        let hours = settings
            .business_hours
            .as_ref()
            .filter(|v| !v.is_null())
            .and_then(|v| match BusinessHours::parse(v) {
                Ok(hours) => Some(hours),
                Err(e) => {
                    tracing::warn!(error = %e, "ignoring the tenant's business hours");
                    None
                }
            });
        Self {
            targets: settings.sla_minutes.clone(),
            hours,
        }
    }

    /// The deadlines of a ticket of `priority` opened at `opened`.
    pub fn deadlines(&self, priority: &str, opened: DateTime<Utc>) -> Deadlines {
        Deadlines {
            first_response: self.due(priority, Breach::FirstResponse, opened),
            resolution: self.due(priority, Breach::Resolution, opened),
        }
    }

    fn due(&self, priority: &str, kind: Breach, opened: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let targets = self.targets.get(priority)?;
        let minutes = match kind {
            Breach::FirstResponse => targets.first_response,
            Breach::Resolution => targets.resolution,
        }
        .filter(|m| m.is_finite() && *m > 0.0 && *m < 1e8)?;
        let target = Duration::milliseconds((minutes * 60_000.0) as i64);
        match &self.hours {
            Some(hours) => hours.add(opened, target),
            None => Some(opened + target),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike as _, FixedOffset, NaiveTime};
    use serde_json::json;

    use super::*;

    fn at(raw: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(raw)
            .expect("timestamp")
            .with_timezone(&Utc)
    }

    fn office() -> BusinessHours {
        BusinessHours::parse(&json!({
            "days": ["mon", "tue", "wed", "thu", "fri"],
            "start": "09:00", "end": "17:00", "utc_offset": "+02:00"
        }))
        .expect("hours")
    }

    #[test]
    fn deadlines_follow_the_priority_targets() {
        let policy = SlaPolicy::from_tenant_settings(&TenantSettings::of(&json!({
            "sla_minutes": {"normal": {"first_response": 0.5, "resolution": 60}}
        })));
        let now = at("2026-11-25T10:00:00Z");
        let due = policy.deadlines("normal", now);
        assert_eq!(due.first_response, Some(now + Duration::seconds(30)));
        assert_eq!(due.resolution, Some(now + Duration::hours(1)));
        assert_eq!(policy.deadlines("urgent", now), Deadlines::default());
        let bad = SlaPolicy::from_tenant_settings(&TenantSettings::of(&json!({
            "sla_minutes": {"normal": {"first_response": -1, "resolution": "soon"}}
        })));
        assert_eq!(bad.deadlines("normal", now), Deadlines::default());
    }

    #[test]
    fn inside_the_window_the_clock_runs_normally() {
        // Wednesday 10:00 local (08:00 UTC) + 2 h = 12:00 local.
        let due = office().add(at("2026-11-25T08:00:00Z"), Duration::hours(2));
        assert_eq!(due, Some(at("2026-11-25T10:00:00Z")));
    }

    #[test]
    fn the_clock_stops_overnight_and_over_the_weekend() {
        // Friday 16:00 local + 2 h → 1 h on Friday, 1 h on Monday: Monday 10:00 local.
        let due = office().add(at("2026-11-27T14:00:00Z"), Duration::hours(2));
        assert_eq!(due, Some(at("2026-11-30T08:00:00Z")));
        // Saturday: the clock starts on Monday at 09:00 local.
        let due = office().add(at("2026-11-28T12:00:00Z"), Duration::minutes(30));
        assert_eq!(due, Some(at("2026-11-30T07:30:00Z")));
        // Before opening on a weekday: starts at opening.
        let due = office().add(at("2026-11-25T05:00:00Z"), Duration::hours(8));
        assert_eq!(due, Some(at("2026-11-25T15:00:00Z")));
    }

    #[test]
    fn malformed_hours_are_rejected_with_a_reason() {
        for bad in [
            json!({"days": [], "start": "09:00", "end": "17:00"}),
            json!({"days": ["funday"], "start": "09:00", "end": "17:00"}),
            json!({"days": ["mon"], "start": "17:00", "end": "09:00"}),
            json!({"days": ["mon"], "start": "9", "end": "17:00"}),
            json!({"days": ["mon"], "start": "09:00", "end": "17:00", "utc_offset": "CET"}),
        ] {
            assert!(BusinessHours::parse(&bad).is_err(), "{bad}");
        }
        // A policy with malformed hours still has deadlines, counted around the clock.
        let policy = SlaPolicy::from_tenant_settings(&TenantSettings::of(&json!({
            "sla_minutes": {"high": {"first_response": 10}},
            "business_hours": {"days": []}
        })));
        let now = at("2026-11-28T12:00:00Z");
        assert_eq!(
            policy.deadlines("high", now).first_response,
            Some(now + Duration::minutes(10))
        );
    }

    proptest::proptest! {
        #[test]
        fn business_deadlines_are_never_earlier_than_wall_clock_ones(
            start in 0i64..(400 * 86_400),
            minutes in 1i64..(5 * 24 * 60),
        ) {
            let from = at("2026-01-01T00:00:00Z") + Duration::seconds(start);
            let target = Duration::minutes(minutes);
            let due = office().add(from, target).expect("a deadline");
            proptest::prop_assert!(due >= from + target);
            let local = due.with_timezone(&FixedOffset::east_opt(7200).expect("offset"));
            let time = local.time();
            proptest::prop_assert!(time > NaiveTime::from_hms_opt(9, 0, 0).expect("t")
                && time <= NaiveTime::from_hms_opt(17, 0, 0).expect("t"));
            proptest::prop_assert!(local.weekday().num_days_from_monday() < 5);
        }
    }
}
