//! `helpdesk eval router --csv FILE`: the router's accuracy, macro-F1, per-class F1 and
//! speed on labelled tickets, ending with one JSON line
//! `{"rows":N,"accuracy":…,"macro_f1":…,"per_sec":…}`.

use std::path::Path;
use std::time::Instant;

use crate::routing::{Router, Scores, read_csv};

pub fn run(csv: &Path, model: &Path) -> anyhow::Result<()> {
    let router = Router::load(model)?;
    let rows = read_csv(csv)?;
    let categories = router.categories().to_vec();
    let mut truth = Vec::with_capacity(rows.len());
    for row in &rows {
        let index = categories
            .iter()
            .position(|c| *c == row.category)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "{}: line {}: unknown category {:?} (the router knows {})",
                    csv.display(),
                    row.line,
                    row.category,
                    categories.join(", ")
                )
            })?;
        truth.push(index);
    }
    let started = Instant::now();
    let predicted: Vec<usize> = rows
        .iter()
        .map(|row| {
            let category = router.predict(&row.text).category;
            categories.iter().position(|c| *c == category).unwrap_or(0)
        })
        .collect();
    let per_sec = rows.len() as f64 / started.elapsed().as_secs_f64().max(1e-9);
    let scores = Scores::compute(&categories, &truth, &predicted);
    print!("{}", scores.report());
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    println!(
        "{{\"rows\":{},\"accuracy\":{},\"macro_f1\":{},\"per_sec\":{}}}",
        rows.len(),
        round(scores.accuracy),
        round(scores.macro_f1),
        per_sec.round()
    );
    Ok(())
}
