//! Multinomial logistic regression over sparse features, trained by stochastic gradient
//! descent with L2 regularisation (Bottou's schedule `η / (1 + ηλt)`; the L2 shrink is a
//! running scale, so a step touches only the ticket's own features). No maintained Rust
//! crate trains linear models on sparse input: linfa and smartcore take dense matrices
//! (34,000 tickets × 100,000+ features), the liblinear bindings are unmaintained since
//! 2019. The loop is short and deterministic (a seeded shuffle).

use serde::{Deserialize, Serialize};

use super::features::Sparse;

#[derive(Debug, Clone, Copy)]
pub struct TrainParams {
    pub epochs: usize,
    pub l2: f32,
    pub learning_rate: f32,
    pub seed: u64,
}

impl Default for TrainParams {
    fn default() -> Self {
        Self {
            epochs: 12,
            l2: 1e-5,
            learning_rate: 0.5,
            seed: 20_261_125,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Linear {
    classes: usize,
    /// Feature-major: the weights of feature f are `weights[f * classes..][..classes]`.
    weights: Vec<f32>,
    bias: Vec<f32>,
}

/// splitmix64: a fixed, portable sequence for the shuffle.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn shuffle(&mut self, items: &mut [usize]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

fn softmax_in_place(logits: &mut [f32]) {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for l in logits.iter_mut() {
        *l = (*l - max).exp();
        sum += *l;
    }
    for l in logits.iter_mut() {
        *l /= sum;
    }
}

impl Linear {
    /// Trains on `x` with labels `y` (class indices below `classes`); `progress` hears each
    /// finished epoch and its mean log-loss.
    pub fn train(
        x: &[Sparse],
        y: &[usize],
        features: usize,
        classes: usize,
        params: TrainParams,
        progress: &mut dyn FnMut(usize, f32),
    ) -> Self {
        let mut v = vec![0.0f32; features * classes];
        let mut bias = vec![0.0f32; classes];
        let mut scale = 1.0f32;
        let mut order: Vec<usize> = (0..x.len()).collect();
        let mut rng = Mix(params.seed);
        let mut step = 0f32;
        let mut probs = vec![0.0f32; classes];
        for epoch in 0..params.epochs {
            rng.shuffle(&mut order);
            let mut loss = 0.0f64;
            for &i in &order {
                let eta = params.learning_rate / (1.0 + params.learning_rate * params.l2 * step);
                step += 1.0;
                probs.copy_from_slice(&bias);
                for &(f, value) in &x[i] {
                    let row = &v[f as usize * classes..][..classes];
                    for (p, w) in probs.iter_mut().zip(row) {
                        *p += scale * w * value;
                    }
                }
                softmax_in_place(&mut probs);
                loss -= f64::from(probs[y[i]].max(1e-12).ln());
                probs[y[i]] -= 1.0;
                scale *= 1.0 - eta * params.l2;
                for &(f, value) in &x[i] {
                    let row = &mut v[f as usize * classes..][..classes];
                    for (w, g) in row.iter_mut().zip(&probs) {
                        *w -= eta * g * value / scale;
                    }
                }
                for (b, g) in bias.iter_mut().zip(&probs) {
                    *b -= eta * g;
                }
                if scale < 1e-6 {
                    for w in &mut v {
                        *w *= scale;
                    }
                    scale = 1.0;
                }
            }
            progress(epoch + 1, (loss / x.len().max(1) as f64) as f32);
        }
        for w in &mut v {
            *w *= scale;
        }
        Self {
            classes,
            weights: v,
            bias,
        }
    }

    /// Class probabilities of one ticket.
    pub fn probabilities(&self, x: &Sparse) -> Vec<f32> {
        let mut logits = self.bias.clone();
        for &(f, value) in x {
            let start = f as usize * self.classes;
            let Some(row) = self.weights.get(start..start + self.classes) else {
                continue;
            };
            for (l, w) in logits.iter_mut().zip(row) {
                *l += w * value;
            }
        }
        softmax_in_place(&mut logits);
        logits
    }

    pub fn classes(&self) -> usize {
        self.classes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_deterministically() {
        let x: Vec<Sparse> = vec![
            vec![(0, 1.0)],
            vec![(1, 1.0)],
            vec![(0, 0.8), (2, 0.6)],
            vec![(1, 0.8), (2, 0.6)],
        ];
        let y = vec![0, 1, 0, 1];
        let train = || {
            Linear::train(
                &x,
                &y,
                3,
                2,
                TrainParams {
                    epochs: 30,
                    ..TrainParams::default()
                },
                &mut |_, _| {},
            )
        };
        let model = train();
        assert!(model.probabilities(&vec![(0, 1.0)])[0] > 0.8);
        assert!(model.probabilities(&vec![(1, 1.0)])[1] > 0.8);
        assert_eq!(model.weights, train().weights, "same data, same model");
        // Unknown feature indices are ignored, not a panic.
        let p = model.probabilities(&vec![(99, 1.0)]);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }
}
