//! `helpdesk eval pii --set FILE.jsonl`: the redaction's precision and recall per type on
//! labelled texts (`{"id","text","entities":[{"type","start","end"}]}`, offsets in Unicode
//! code points, `"entities": []` for a hard negative). A detected span counts when it
//! overlaps a labelled span of the same type. Prints the misses and false positives, then
//! one JSON line `{"cases":N,"precision":…,"recall":…,"f1":…,"per_type":{…},"per_sec":…}`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use serde::Deserialize;

use crate::redaction::{Detected, detect};

#[derive(Debug, Deserialize)]
struct Case {
    id: serde_json::Value,
    text: String,
    entities: Vec<Entity>,
}

#[derive(Debug, Deserialize)]
struct Entity {
    #[serde(rename = "type")]
    kind: String,
    start: usize,
    end: usize,
}

/// Per type: detections, detections that count, labels, labels found.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    detected: usize,
    correct: usize,
    labelled: usize,
    found: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        ratio(self.correct, self.detected)
    }

    fn recall(&self) -> f64 {
        ratio(self.found, self.labelled)
    }
}

/// `part / whole`, 1 for nothing asked of it.
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn read_set(path: &Path) -> anyhow::Result<Vec<Case>> {
    let mut cases = Vec::new();
    for (line, case) in super::read_jsonl::<Case>(path, "case")? {
        let chars = case.text.chars().count();
        if let Some(bad) = case
            .entities
            .iter()
            .find(|e| e.start >= e.end || e.end > chars)
        {
            anyhow::bail!(
                "{}: line {line}: entity {}..{} is not a span of the text ({chars} code points)",
                path.display(),
                bad.start,
                bad.end
            );
        }
        cases.push(case);
    }
    anyhow::ensure!(!cases.is_empty(), "{} holds no case", path.display());
    Ok(cases)
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn excerpt(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

pub fn run(set: &Path) -> anyhow::Result<()> {
    let cases = read_set(set)?;
    // The speed of a running service, not of its first texts: the patterns compile, their
    // lazy automata fill and the phone metadata loads on first use, so one untimed pass
    // comes first. The timed pass runs on this one thread.
    for case in &cases {
        detect(&case.text);
    }
    let started = Instant::now();
    let detections: Vec<Vec<Detected>> = cases.iter().map(|c| detect(&c.text)).collect();
    let per_sec = cases.len() as f64 / started.elapsed().as_secs_f64().max(1e-9);

    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for (case, found) in cases.iter().zip(&detections) {
        for label in &case.entities {
            let tally = tallies.entry(label.kind.clone()).or_default();
            tally.labelled += 1;
            let hit = found.iter().any(|d| {
                d.kind.as_str() == label.kind
                    && overlaps((d.start, d.end), (label.start, label.end))
            });
            if hit {
                tally.found += 1;
            } else {
                println!(
                    "miss {} {} {:?}",
                    case.id,
                    label.kind,
                    excerpt(&case.text, label.start, label.end)
                );
            }
        }
        for detection in found {
            let tally = tallies
                .entry(detection.kind.as_str().to_owned())
                .or_default();
            tally.detected += 1;
            let counts = case.entities.iter().any(|l| {
                l.kind == detection.kind.as_str()
                    && overlaps((detection.start, detection.end), (l.start, l.end))
            });
            if counts {
                tally.correct += 1;
            } else {
                println!(
                    "false positive {} {} {:?}",
                    case.id,
                    detection.kind.as_str(),
                    excerpt(&case.text, detection.start, detection.end)
                );
            }
        }
    }
    let total = tallies.values().fold(Tally::default(), |acc, t| Tally {
        detected: acc.detected + t.detected,
        correct: acc.correct + t.correct,
        labelled: acc.labelled + t.labelled,
        found: acc.found + t.found,
    });
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    let (precision, recall) = (total.precision(), total.recall());
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    let per_type: serde_json::Map<String, serde_json::Value> = tallies
        .iter()
        .map(|(kind, t)| {
            (
                kind.clone(),
                serde_json::json!({"precision": round(t.precision()), "recall": round(t.recall())}),
            )
        })
        .collect();
    // Written out so the keys keep the documented order.
    println!(
        "{{\"cases\":{},\"precision\":{},\"recall\":{},\"f1\":{},\"per_type\":{},\"per_sec\":{}}}",
        cases.len(),
        round(precision),
        round(recall),
        round(f1),
        serde_json::Value::Object(per_type),
        per_sec.round()
    );
    Ok(())
}
