//! Merkleization (`hash_tree_root` building blocks) and Merkle branch checks.

use std::sync::OnceLock;

use alloy_primitives::B256;
use sha2::{Digest, Sha256};

/// Bytes in one SSZ chunk.
pub const BYTES_PER_CHUNK: usize = 32;
/// Deepest tree the zero-hash cache covers (2^64 leaves).
const MAX_DEPTH: usize = 64;

/// `sha256(a ++ b)`.
pub fn hash_pair(a: &B256, b: &B256) -> B256 {
    let mut h = Sha256::new();
    h.update(a.as_slice());
    h.update(b.as_slice());
    B256::from_slice(&h.finalize())
}

fn zero_hashes() -> &'static [B256; MAX_DEPTH + 1] {
    static CACHE: OnceLock<[B256; MAX_DEPTH + 1]> = OnceLock::new();
    CACHE.get_or_init(|| {
        let mut z = [B256::ZERO; MAX_DEPTH + 1];
        for i in 1..=MAX_DEPTH {
            z[i] = hash_pair(&z[i - 1], &z[i - 1]);
        }
        z
    })
}

/// Root of a tree of `2^depth` zero chunks (depth capped at 64).
pub fn zero_hash(depth: usize) -> B256 {
    zero_hashes()[depth.min(MAX_DEPTH)]
}

/// Depth of the smallest power-of-two tree holding `n` leaves.
fn depth_for(n: usize) -> usize {
    if n <= 1 {
        0
    } else {
        (usize::BITS - (n - 1).leading_zeros()) as usize
    }
}

/// Merkleizes `chunks` into a tree sized for `limit` chunks (padding with
/// zero chunks). If `chunks.len() > limit`, the tree is sized for the chunks.
pub fn merkleize(chunks: &[B256], limit: usize) -> B256 {
    let depth = depth_for(limit.max(chunks.len()));
    if chunks.is_empty() {
        return zero_hash(depth);
    }
    let mut layer: Vec<B256> = chunks.to_vec();
    for level in 0..depth {
        let mut next = Vec::with_capacity(layer.len().div_ceil(2));
        for pair in layer.chunks(2) {
            match pair {
                [a, b] => next.push(hash_pair(a, b)),
                [a] => next.push(hash_pair(a, &zero_hash(level))),
                _ => {}
            }
        }
        layer = next;
    }
    layer.first().copied().unwrap_or_default()
}

/// `sha256(bytes)`.
pub fn sha256(bytes: &[u8]) -> B256 {
    B256::from_slice(&Sha256::digest(bytes))
}

/// `mix_in_length`: hashes a root with a list length.
pub fn mix_in_length(root: &B256, length: usize) -> B256 {
    let mut len = B256::ZERO;
    len.0[..8].copy_from_slice(&(length as u64).to_le_bytes());
    hash_pair(root, &len)
}

/// Splits bytes into 32-byte chunks, zero-padding the last.
pub(crate) fn pack_bytes(bytes: &[u8]) -> Vec<B256> {
    bytes
        .chunks(BYTES_PER_CHUNK)
        .map(|c| {
            let mut chunk = B256::ZERO;
            chunk.0[..c.len()].copy_from_slice(c);
            chunk
        })
        .collect()
}

/// Position of a generalized index within its depth: `gindex % 2^floorlog2(gindex)`.
pub fn get_subtree_index(gindex: u64) -> u64 {
    if gindex == 0 {
        return 0;
    }
    let depth = 63 - gindex.leading_zeros();
    gindex % (1u64 << depth)
}

/// The spec's `is_valid_merkle_branch`: does `leaf` at `index` of a
/// `depth`-deep tree hash up through `branch` to `root`?
///
/// A branch shorter than `depth` is invalid; extra elements are ignored, as
/// in the spec.
pub fn is_valid_merkle_branch(
    leaf: &B256,
    branch: &[B256],
    depth: usize,
    index: u64,
    root: &B256,
) -> bool {
    if branch.len() < depth || depth > 63 {
        return false;
    }
    let mut value = *leaf;
    for (i, sibling) in branch.iter().take(depth).enumerate() {
        value = if (index >> i) & 1 == 1 {
            hash_pair(sibling, &value)
        } else {
            hash_pair(&value, sibling)
        };
    }
    value == *root
}

/// The spec's `is_valid_normalized_merkle_branch` (Electra): the branch may be
/// longer than the depth of `gindex`; the extra leading elements must be zero.
pub fn is_valid_normalized_merkle_branch(
    leaf: &B256,
    branch: &[B256],
    gindex: u64,
    root: &B256,
) -> bool {
    if gindex == 0 {
        return false;
    }
    let depth = (63 - gindex.leading_zeros()) as usize;
    let Some(extra) = branch.len().checked_sub(depth) else {
        return false;
    };
    let (padding, rest) = branch.split_at(extra);
    padding.iter().all(|b| b.is_zero())
        && is_valid_merkle_branch(leaf, rest, depth, get_subtree_index(gindex), root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_hash_levels_chain() {
        assert_eq!(zero_hash(1), hash_pair(&B256::ZERO, &B256::ZERO));
        assert_eq!(merkleize(&[], 4), zero_hash(2));
        assert_eq!(merkleize(&[B256::ZERO; 3], 4), zero_hash(2));
    }

    #[test]
    fn branch_roundtrip_and_mutation() {
        let leaves: Vec<B256> = (0u8..8).map(|i| B256::repeat_byte(i + 1)).collect();
        let root = merkleize(&leaves, 8);
        // branch for leaf 5 (depth 3)
        let l01 = hash_pair(&leaves[4], &leaves[5]);
        let _ = l01;
        let n45 = hash_pair(&leaves[4], &leaves[5]);
        let n67 = hash_pair(&leaves[6], &leaves[7]);
        let n0123 = merkleize(&leaves[..4], 4);
        let _ = n45;
        let branch = [leaves[4], n67, n0123];
        assert!(is_valid_merkle_branch(&leaves[5], &branch, 3, 5, &root));
        assert!(!is_valid_merkle_branch(&leaves[5], &branch, 3, 4, &root));
        assert!(!is_valid_merkle_branch(&leaves[4], &branch, 3, 5, &root));
        // gindex of leaf 5 at depth 3 is 8 + 5 = 13
        assert!(is_valid_normalized_merkle_branch(
            &leaves[5], &branch, 13, &root
        ));
        let padded = [B256::ZERO, leaves[4], n67, n0123];
        assert!(is_valid_normalized_merkle_branch(
            &leaves[5], &padded, 13, &root
        ));
        let bad_pad = [B256::repeat_byte(9), leaves[4], n67, n0123];
        assert!(!is_valid_normalized_merkle_branch(
            &leaves[5], &bad_pad, 13, &root
        ));
        assert!(!is_valid_normalized_merkle_branch(
            &leaves[5],
            &branch[..2],
            13,
            &root
        ));
    }
}
