//! A tenant's business hours: the weekdays and daily window its SLA clock runs in, at a
//! fixed UTC offset. Part of the tenant's settings (validated when an admin saves them);
//! the SLA policy counts deadlines in them.

use chrono::{DateTime, Datelike as _, Duration, FixedOffset, NaiveDateTime, NaiveTime, Utc};

/// The hours a tenant's clock runs: a daily window on some weekdays, at a fixed UTC offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessHours {
    /// Monday = 0.
    days: [bool; 7],
    start: NaiveTime,
    end: NaiveTime,
    offset: FixedOffset,
}

impl BusinessHours {
    pub fn parse(value: &serde_json::Value) -> Result<Self, String> {
        const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let mut days = [false; 7];
        let listed = value
            .get("days")
            .and_then(|d| d.as_array())
            .ok_or("business_hours.days must be a list of weekdays (mon … sun)")?;
        for day in listed {
            let name = day.as_str().unwrap_or_default().to_ascii_lowercase();
            let index = NAMES
                .iter()
                .position(|n| name.starts_with(n))
                .ok_or_else(|| format!("unknown weekday {day}"))?;
            days[index] = true;
        }
        if !days.contains(&true) {
            return Err("business_hours.days is empty".into());
        }
        let time = |key: &str| -> Result<NaiveTime, String> {
            let raw = value.get(key).and_then(|v| v.as_str()).unwrap_or_default();
            NaiveTime::parse_from_str(raw, "%H:%M")
                .map_err(|_| format!("business_hours.{key} must be HH:MM, got {raw:?}"))
        };
        let (start, end) = (time("start")?, time("end")?);
        if start >= end {
            return Err("business_hours.start must be before its end".into());
        }
        let offset = match value.get("utc_offset").and_then(|v| v.as_str()) {
            None => FixedOffset::east_opt(0).ok_or("offset")?,
            Some(raw) => raw.parse::<FixedOffset>().map_err(|_| {
                format!("business_hours.utc_offset must be like +01:00, got {raw:?}")
            })?,
        };
        Ok(Self {
            days,
            start,
            end,
            offset,
        })
    }

    /// `from` plus `target` of business time: the clock stops outside the window.
    pub fn add(&self, from: DateTime<Utc>, target: Duration) -> Option<DateTime<Utc>> {
        let mut local = from.with_timezone(&self.offset).naive_local();
        let mut left = target;
        // One window per iteration; a year of windows is far beyond any sane target.
        for _ in 0..3700 {
            local = self.next_open(local)?;
            let closes = local.date().and_time(self.end);
            let open_for = closes - local;
            if left <= open_for {
                let due = local + left;
                return due
                    .and_local_timezone(self.offset)
                    .single()
                    .map(|d| d.with_timezone(&Utc));
            }
            left -= open_for;
            local = closes;
        }
        None
    }

    /// Business time between `from` and `to` (zero when `to` is not after `from`): the
    /// length of every window's overlap with the span.
    pub fn elapsed(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        let start = from.with_timezone(&self.offset).naive_local();
        let stop = to.with_timezone(&self.offset).naive_local();
        let mut total = Duration::zero();
        let mut day = start.date();
        while day <= stop.date() {
            if self.days[day.weekday().num_days_from_monday() as usize] {
                let opens = day.and_time(self.start).max(start);
                let closes = day.and_time(self.end).min(stop);
                if closes > opens {
                    total += closes - opens;
                }
            }
            let Some(next) = day.succ_opt() else { break };
            day = next;
        }
        total
    }

    /// `at` itself when the clock runs then, else the start of the next window.
    fn next_open(&self, at: NaiveDateTime) -> Option<NaiveDateTime> {
        let mut day = at.date();
        for _ in 0..8 {
            let open_day = self.days[day.weekday().num_days_from_monday() as usize];
            if open_day {
                let opens = day.and_time(self.start);
                let closes = day.and_time(self.end);
                if at < opens {
                    return Some(opens);
                }
                if at < closes {
                    return Some(at);
                }
            }
            day = day.succ_opt()?;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("timestamp")
    }

    #[test]
    fn elapsed_counts_only_open_hours() {
        let hours = BusinessHours::parse(&serde_json::json!({
            "days": ["mon", "tue", "wed", "thu", "fri"],
            "start": "09:00",
            "end": "17:00",
        }))
        .expect("hours");
        // Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday.
        let span = hours.elapsed(at("2026-11-27T16:00:00Z"), at("2026-11-30T10:00:00Z"));
        assert_eq!(span, Duration::hours(2));
        // Entirely at night: nothing.
        assert_eq!(
            hours.elapsed(at("2026-11-24T18:00:00Z"), at("2026-11-25T08:00:00Z")),
            Duration::zero()
        );
        // `add` and `elapsed` agree.
        let from = at("2026-11-26T15:30:00Z");
        let due = hours.add(from, Duration::minutes(240)).expect("due");
        assert_eq!(hours.elapsed(from, due), Duration::minutes(240));
    }
}
