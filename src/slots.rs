//! Counted places per key (a tenant's running jobs, a visitor's open sockets): a place is
//! taken while a cap allows and given back when its guard drops, however the holder ends.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Places taken per key, and in all (kept, not summed on every take).
struct Counted<K> {
    per_key: HashMap<K, usize>,
    all: usize,
}

type Counts<K> = Arc<Mutex<Counted<K>>>;

pub struct Slots<K: Eq + Hash + Clone> {
    counts: Counts<K>,
    per_key: usize,
    total: usize,
}

/// One taken place; dropping it gives the place back.
pub struct Slot<K: Eq + Hash + Clone> {
    counts: Counts<K>,
    key: K,
}

fn lock<K>(counts: &Mutex<Counted<K>>) -> MutexGuard<'_, Counted<K>> {
    counts.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<K: Eq + Hash + Clone> Slots<K> {
    /// At most `per_key` places for one key and `total` for all keys together (each at
    /// least one).
    pub fn new(per_key: usize, total: usize) -> Self {
        Self {
            counts: Arc::new(Mutex::new(Counted {
                per_key: HashMap::new(),
                all: 0,
            })),
            per_key: per_key.max(1),
            total: total.max(1),
        }
    }

    /// A place for `key`, unless the key or the whole is at its cap.
    pub fn take(&self, key: &K) -> Option<Slot<K>> {
        let mut counts = lock(&self.counts);
        let mine = counts.per_key.get(key).copied().unwrap_or(0);
        if counts.all >= self.total || mine >= self.per_key {
            return None;
        }
        *counts.per_key.entry(key.clone()).or_default() += 1;
        counts.all += 1;
        Some(Slot {
            counts: self.counts.clone(),
            key: key.clone(),
        })
    }
}

impl<K: Eq + Hash + Clone> Drop for Slot<K> {
    fn drop(&mut self) {
        let mut counts = lock(&self.counts);
        if let Some(count) = counts.per_key.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                counts.per_key.remove(&self.key);
            }
            counts.all -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_capped_per_key_and_in_all_and_given_back() {
        let slots = Slots::new(2, 3);
        let first = slots.take(&"a").expect("one");
        let _second = slots.take(&"a").expect("two");
        assert!(slots.take(&"a").is_none(), "a third for one key");
        let _other = slots.take(&"b").expect("another key");
        assert!(slots.take(&"c").is_none(), "a fourth in all");
        drop(first);
        slots.take(&"a").expect("a place came back");
    }
}
