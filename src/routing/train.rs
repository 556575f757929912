//! `helpdesk train-router`: split, fit, report, save.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use super::dataset::{read_csv, split};
use super::features::{Sparse, Vectorizer};
use super::linear::{Linear, TrainParams};
use super::router::Router;
use super::scores::Scores;

/// Share of each category held out for validation.
pub const VALIDATION_SHARE: f64 = 0.1;
/// Grams seen in fewer training tickets are not features.
pub const MIN_DF: u32 = 2;

pub fn train_router(data: &Path, out: &Path) -> anyhow::Result<()> {
    let rows = read_csv(data)?;
    let (train, validation) = split(rows, VALIDATION_SHARE);
    let categories: Vec<String> = train
        .iter()
        .map(|r| r.category.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    eprintln!(
        "train-router: {} training and {} validation tickets, {} categories",
        train.len(),
        validation.len(),
        categories.len()
    );
    let started = Instant::now();
    let vectorizer = Vectorizer::fit(train.iter().map(|r| r.text.as_str()), MIN_DF);
    let x: Vec<Sparse> = train
        .iter()
        .map(|r| vectorizer.transform(&r.text))
        .collect();
    let index = |c: &str| categories.iter().position(|k| k == c).unwrap_or(0);
    let y: Vec<usize> = train.iter().map(|r| index(&r.category)).collect();
    eprintln!(
        "train-router: {} features (word 1–2-grams in ≥ {MIN_DF} tickets) in {:.1} s",
        vectorizer.len(),
        started.elapsed().as_secs_f64()
    );
    let params = TrainParams::default();
    let bar = ProgressBar::new(params.epochs as u64).with_style(
        ProgressStyle::with_template("train-router: epoch {pos}/{len} {bar:30} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // Not on a terminal (CI, a pipe) the bar is not drawn: a line per epoch instead.
    let plain = !std::io::IsTerminal::is_terminal(&std::io::stderr());
    let model = Linear::train(
        &x,
        &y,
        vectorizer.len(),
        categories.len(),
        params,
        &mut |epoch, loss| {
            bar.inc(1);
            bar.set_message(format!("log-loss {loss:.4}"));
            if plain {
                eprintln!(
                    "train-router: epoch {epoch}/{} log-loss {loss:.4}",
                    params.epochs
                );
            }
        },
    );
    bar.finish();
    eprintln!(
        "train-router: trained in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let router = Router::new(categories.clone(), vectorizer, model);

    let timed = Instant::now();
    let predicted: Vec<usize> = validation
        .iter()
        .map(|r| index(&router.predict(&r.text).category))
        .collect();
    let per_sec = validation.len() as f64 / timed.elapsed().as_secs_f64().max(1e-9);
    let truth: Vec<usize> = validation.iter().map(|r| index(&r.category)).collect();
    let scores = Scores::compute(&categories, &truth, &predicted);
    println!(
        "validation ({} tickets held out, stratified, fixed split):",
        validation.len()
    );
    print!("{}", scores.report());
    println!("predictions/s on one core: {per_sec:.0}");
    router.save(out)?;
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "saved {} ({:.2} MiB)",
        out.display(),
        size as f64 / 1_048_576.0
    );
    Ok(())
}
