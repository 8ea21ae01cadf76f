//! Fixed-shape SSZ containers as leaf arrays: root and single-leaf branches.

use alloy_primitives::B256;
use preconf_light::ssz::hash_pair;

/// Root of a tree over `leaves` (length a power of two).
pub fn root(leaves: &[B256]) -> B256 {
    let mut layer = leaves.to_vec();
    while layer.len() > 1 {
        layer = layer
            .chunks(2)
            .map(|p| match p {
                [a, b] => hash_pair(a, b),
                [a] => *a,
                _ => B256::ZERO,
            })
            .collect();
    }
    layer.first().copied().unwrap_or_default()
}

/// Branch (bottom-up sibling list) of leaf `index` in a tree over `leaves`
/// (length a power of two).
pub fn branch(leaves: &[B256], mut index: usize) -> Vec<B256> {
    let mut out = Vec::new();
    let mut layer = leaves.to_vec();
    while layer.len() > 1 {
        out.push(layer.get(index ^ 1).copied().unwrap_or_default());
        layer = layer
            .chunks(2)
            .map(|p| match p {
                [a, b] => hash_pair(a, b),
                [a] => *a,
                _ => B256::ZERO,
            })
            .collect();
        index /= 2;
    }
    out
}

/// A `uint64` as a chunk.
pub fn u64_chunk(v: u64) -> B256 {
    let mut b = B256::ZERO;
    b[..8].copy_from_slice(&v.to_le_bytes());
    b
}
