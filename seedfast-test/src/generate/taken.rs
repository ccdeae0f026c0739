//! The values a unique column already holds, as 64-bit hashes of their
//! folded text: 8 bytes a value whatever its length, so a million emails
//! cost megabytes rather than the strings themselves. Two values with one
//! hash would make the second look taken and be drawn again, which costs
//! a draw, never a duplicate; the hash is stable across machines and Rust
//! versions, so even that redraw is deterministic.

use std::collections::HashSet;

use super::{fnv1a, splitmix};

#[derive(Debug, Default, Clone)]
pub struct Taken {
    hashes: HashSet<u64>,
}

impl Taken {
    /// Room for `n` more values up front: growing a large set keeps the
    /// old table and the new one at once, twice the memory at the peak.
    pub fn reserve(&mut self, n: usize) {
        self.hashes.reserve(n);
    }

    /// Marks `key` taken; false when it already was.
    pub fn insert(&mut self, key: &str) -> bool {
        // FNV alone clusters for keys that differ only at the end (`a.b1@`,
        // `a.b2@`); the mix spreads them over the whole word.
        self.hashes.insert(splitmix(fnv1a(key.bytes())))
    }
}

#[cfg(test)]
mod should {
    use super::*;

    #[test]
    fn refuse_a_key_twice() {
        let mut taken = Taken::default();
        assert!(taken.insert("ann.lee12@example.com"));
        assert!(taken.insert("ann.lee13@example.com"));
        assert!(!taken.insert("ann.lee12@example.com"));
    }
}
