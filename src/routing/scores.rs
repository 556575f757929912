//! Accuracy, per-class and macro F1 and the confusion matrix of a set of predictions.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub rows: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    /// (category, F1, support), in the categories' order.
    pub per_class: Vec<(String, f64, usize)>,
    /// `confusion[truth][predicted]`.
    pub confusion: Vec<Vec<usize>>,
}

impl Scores {
    /// `truth` and `predicted` are indices into `categories`.
    pub fn compute(categories: &[String], truth: &[usize], predicted: &[usize]) -> Self {
        let n = categories.len();
        let mut confusion = vec![vec![0usize; n]; n];
        for (&t, &p) in truth.iter().zip(predicted) {
            confusion[t][p] += 1;
        }
        let correct: usize = (0..n).map(|i| confusion[i][i]).sum();
        let per_class: Vec<(String, f64, usize)> = (0..n)
            .map(|c| {
                let tp = confusion[c][c] as f64;
                let support: usize = confusion[c].iter().sum();
                let predicted: usize = confusion.iter().map(|row| row[c]).sum();
                let precision = if predicted == 0 {
                    0.0
                } else {
                    tp / predicted as f64
                };
                let recall = if support == 0 {
                    0.0
                } else {
                    tp / support as f64
                };
                let f1 = if precision + recall == 0.0 {
                    0.0
                } else {
                    2.0 * precision * recall / (precision + recall)
                };
                (categories[c].clone(), f1, support)
            })
            .collect();
        let present: Vec<f64> = per_class
            .iter()
            .filter(|(_, _, support)| *support > 0)
            .map(|(_, f1, _)| *f1)
            .collect();
        Self {
            rows: truth.len(),
            accuracy: if truth.is_empty() {
                0.0
            } else {
                correct as f64 / truth.len() as f64
            },
            macro_f1: if present.is_empty() {
                0.0
            } else {
                present.iter().sum::<f64>() / present.len() as f64
            },
            per_class,
            confusion,
        }
    }

    /// Per-class F1 and the confusion matrix as a plain-text table.
    pub fn report(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "accuracy {:.4}  macro-F1 {:.4}  ({} tickets)\n\nper class:\n",
            self.accuracy, self.macro_f1, self.rows
        ));
        for (name, f1, support) in &self.per_class {
            out.push_str(&format!("  {name:<24} F1 {f1:.4}  ({support})\n"));
        }
        out.push_str("\nconfusion (rows: truth, columns: predicted, in the order above):\n");
        for (i, row) in self.confusion.iter().enumerate() {
            let cells: Vec<String> = row.iter().map(|c| format!("{c:>6}")).collect();
            out.push_str(&format!(
                "  {:<24}{}\n",
                self.per_class[i].0,
                cells.join("")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_match_a_hand_count() {
        let cats = vec!["a".to_owned(), "b".to_owned()];
        // truth a a b b, predicted a b b b: a P=1 R=.5 F1=.667; b P=.667 R=1 F1=.8
        let s = Scores::compute(&cats, &[0, 0, 1, 1], &[0, 1, 1, 1]);
        assert!((s.accuracy - 0.75).abs() < 1e-9);
        assert!((s.per_class[0].1 - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.per_class[1].1 - 0.8).abs() < 1e-9);
        assert!((s.macro_f1 - (2.0 / 3.0 + 0.8) / 2.0).abs() < 1e-9);
        assert_eq!(s.confusion, vec![vec![1, 1], vec![0, 2]]);
    }
}
