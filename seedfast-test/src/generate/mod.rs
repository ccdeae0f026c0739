//! Values for every planned row, deterministically: each (table, column)
//! has its own random stream derived from the seed and the names, so adding
//! a column or a table does not reshuffle the others.

mod pattern;
mod realistic;
mod spec;
mod table;
mod taken;
mod types;
mod value;

use std::collections::{HashMap, HashSet};

use rand_pcg::Pcg64;

pub use table::{Chunks, Rejected, generate, generate_except, redraw, redraw_chunk, streamable};
pub use taken::Taken;
pub use value::encode_copy;
pub use value::{Value, format_decimal};

/// Rows generated for one table, column-major.
#[derive(Debug, Clone)]
pub struct GeneratedTable {
    /// Index into the schema's tables.
    pub table: usize,
    pub rows: usize,
    /// The table row the first of `rows` is: 0 for a whole table, the
    /// chunk's first row for a table generated and written in chunks.
    pub first_row: usize,
    /// One entry per schema column; `None` for columns Postgres computes
    /// (STORED generated columns), which are never written.
    pub columns: Vec<Option<Vec<Value>>>,
    /// Deliberate orphans, per column: the values written that the
    /// referenced set does not contain.
    pub orphans: Vec<(usize, Vec<Value>)>,
    /// Foreign keys inserted as NULL and set afterwards: (fk index, one
    /// tuple of key values per row).
    pub fixups: Vec<(usize, Vec<Vec<Value>>)>,
}

impl GeneratedTable {
    /// A table with no rows (yet).
    pub fn empty(table: usize, columns: usize) -> GeneratedTable {
        GeneratedTable { table, rows: 0, first_row: 0, columns: vec![None; columns], orphans: Vec::new(), fixups: Vec::new() }
    }

    pub fn column(&self, col: usize) -> &[Value] {
        self.columns[col].as_deref().unwrap_or(&[])
    }
}

/// What a live database already holds, so new rows fit beside it.
#[derive(Debug, Clone, Default)]
pub struct Existing {
    /// Largest existing value of each integer key the engine numbers, by
    /// (table, column): generated keys continue after it.
    pub key_offsets: HashMap<(usize, usize), i64>,
    /// Existing values of single-column unique columns (folded as their
    /// index folds them): generated values avoid them.
    pub unique_values: HashMap<(usize, usize), HashSet<String>>,
}

/// The random stream of one (table, column) under a seed. FNV-1a over the
/// names is stable across Rust versions and machines, unlike std's hasher.
pub fn stream(seed: u64, table: &str, column: &str) -> Pcg64 {
    let h = fnv1a(table.bytes().chain([0u8]).chain(column.bytes()));
    let state = ((splitmix(h ^ seed) as u128) << 64) | splitmix(h.rotate_left(32) ^ seed.wrapping_mul(0x9e3779b97f4a7c15)) as u128;
    Pcg64::new(state, 0xa02bdbf7bb3c0a7ac28fa16a64abf96)
}

/// FNV-1a: tiny and stable across Rust versions and machines (std's hasher
/// is neither), for stream seeds and template keys.
pub fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf29ce484222325, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e3779b97f4a7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d049bb133111eb);
    x ^ (x >> 31)
}
