//! Merkle-Patricia trie proof walking.
//!
//! [`prove`] walks a proof (the list of RLP trie nodes on the path from the
//! root to a key, as `eth_getProof` returns it) and returns what the proof
//! *proves*: `Some(value)` if the key is in the trie, `None` if the proof
//! shows the key is absent. It never takes a claimed value as input, so the
//! caller can compare the proven value with what a response states and reject
//! a disagreement as a lie rather than as a malformed proof.
//!
//! Rules: the first node must hash to the root; each hashed child reference
//! must be met by the next node; children shorter than 32 bytes are embedded
//! in their parent and are walked in place (a copy of such a node listed in
//! the proof, as some clients do, is skipped). A proof that stops at a hashed
//! reference is incomplete, and a proof with nodes after its end is rejected.

use alloy_primitives::{B256, keccak256};
use alloy_rlp::{EMPTY_STRING_CODE, Header};
use alloy_trie::EMPTY_ROOT_HASH;

use super::rlp_util::take_raw;

/// Number of items in a branch node (16 children and a value).
const BRANCH_ITEMS: usize = 17;
/// Index of the value slot of a branch node.
const BRANCH_VALUE_INDEX: usize = 16;
/// Hex-prefix flag of a leaf node (the high bit of the flag nibble).
const HP_LEAF_FLAG: u8 = 2;
/// Hex-prefix flag of an odd-length path (the low bit of the flag nibble).
const HP_ODD_FLAG: u8 = 1;
/// Length of a hashed node reference.
const HASH_LEN: usize = 32;

/// Why a proof was rejected (the caller adds what it was for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProofError {
    /// A node does not hash to the reference its parent (or the root) holds.
    HashMismatch,
    /// The proof ends while the path still points to a hashed node.
    Incomplete,
    /// Nodes follow the end of the path.
    TrailingNodes,
    /// A node is not valid trie RLP.
    MalformedNode,
}

impl ProofError {
    /// A short stable description.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Self::HashMismatch => "a node does not match the hash its parent commits to",
            Self::Incomplete => "the proof stops before the end of the path",
            Self::TrailingNodes => "the proof has nodes after the end of the path",
            Self::MalformedNode => "a node is not a valid trie node",
        }
    }
}

/// Where the walk goes next.
enum NodeRef<'a> {
    /// A child stored by hash: the next proof node must hash to it.
    Hash(B256),
    /// A child embedded in its parent (its raw RLP).
    Inline(&'a [u8]),
    /// An empty slot: the key is absent.
    Empty,
}

/// What one node says about the key.
enum Step<'a> {
    /// Continue with this child.
    Next(NodeRef<'a>),
    /// The key holds this value.
    Value(Vec<u8>),
    /// The key is not in the trie.
    Absent,
}

/// Splits a node into its raw items.
fn node_items(node: &[u8]) -> Result<Vec<&[u8]>, ProofError> {
    let mut rest = node;
    let header = Header::decode(&mut rest).map_err(|_| ProofError::MalformedNode)?;
    if !header.list || rest.len() != header.payload_length {
        return Err(ProofError::MalformedNode);
    }
    let mut items = Vec::with_capacity(BRANCH_ITEMS);
    while !rest.is_empty() {
        if items.len() >= BRANCH_ITEMS {
            return Err(ProofError::MalformedNode);
        }
        items.push(take_raw(&mut rest, "trie node").map_err(|_| ProofError::MalformedNode)?);
    }
    Ok(items)
}

/// The payload of a raw item that must be an RLP string.
fn string_payload(item: &[u8]) -> Result<&[u8], ProofError> {
    let mut rest = item;
    let header = Header::decode(&mut rest).map_err(|_| ProofError::MalformedNode)?;
    if header.list || rest.len() != header.payload_length {
        return Err(ProofError::MalformedNode);
    }
    Ok(rest)
}

/// Reads a child reference: empty, a 32-byte hash, or an embedded node.
fn child_ref(item: &[u8]) -> Result<NodeRef<'_>, ProofError> {
    match item.first() {
        Some(&EMPTY_STRING_CODE) if item.len() == 1 => Ok(NodeRef::Empty),
        Some(&b) if b >= alloy_rlp::EMPTY_LIST_CODE => {
            if item.len() < HASH_LEN {
                Ok(NodeRef::Inline(item))
            } else {
                Err(ProofError::MalformedNode)
            }
        }
        _ => {
            let payload = string_payload(item)?;
            B256::try_from(payload)
                .map(NodeRef::Hash)
                .map_err(|_| ProofError::MalformedNode)
        }
    }
}

/// Decodes a hex-prefix path into (is_leaf, nibbles).
fn hex_prefix(encoded: &[u8]) -> Result<(bool, Vec<u8>), ProofError> {
    let (&first, rest) = encoded.split_first().ok_or(ProofError::MalformedNode)?;
    let flag = first >> 4;
    if flag > (HP_LEAF_FLAG | HP_ODD_FLAG) {
        return Err(ProofError::MalformedNode);
    }
    let mut nibbles = Vec::with_capacity(rest.len().saturating_mul(2).saturating_add(1));
    if flag & HP_ODD_FLAG != 0 {
        nibbles.push(first & 0x0f);
    } else if first & 0x0f != 0 {
        return Err(ProofError::MalformedNode);
    }
    for b in rest {
        nibbles.push(b >> 4);
        nibbles.push(b & 0x0f);
    }
    Ok((flag & HP_LEAF_FLAG != 0, nibbles))
}

/// Applies one node to the walk at nibble position `pos`.
fn step<'a>(node: &'a [u8], key: &[u8], pos: &mut usize) -> Result<Step<'a>, ProofError> {
    let items = node_items(node)?;
    let remaining = key.get(*pos..).ok_or(ProofError::MalformedNode)?;
    match items.as_slice() {
        branch if branch.len() == BRANCH_ITEMS => match remaining.first() {
            None => {
                let slot = branch
                    .get(BRANCH_VALUE_INDEX)
                    .ok_or(ProofError::MalformedNode)?;
                let value = string_payload(slot)?;
                Ok(if value.is_empty() {
                    Step::Absent
                } else {
                    Step::Value(value.to_vec())
                })
            }
            Some(&nibble) => {
                let child = branch
                    .get(usize::from(nibble))
                    .ok_or(ProofError::MalformedNode)?;
                *pos = pos.checked_add(1).ok_or(ProofError::MalformedNode)?;
                Ok(Step::Next(child_ref(child)?))
            }
        },
        [path, second] => {
            let (is_leaf, nibbles) = hex_prefix(string_payload(path)?)?;
            if is_leaf {
                let value = string_payload(second)?;
                if value.is_empty() {
                    return Err(ProofError::MalformedNode);
                }
                Ok(if remaining == nibbles.as_slice() {
                    Step::Value(value.to_vec())
                } else {
                    Step::Absent
                })
            } else {
                if nibbles.is_empty() {
                    return Err(ProofError::MalformedNode);
                }
                if !remaining.starts_with(&nibbles) {
                    return Ok(Step::Absent);
                }
                *pos = pos
                    .checked_add(nibbles.len())
                    .ok_or(ProofError::MalformedNode)?;
                match child_ref(second)? {
                    NodeRef::Empty => Err(ProofError::MalformedNode),
                    next => Ok(Step::Next(next)),
                }
            }
        }
        _ => Err(ProofError::MalformedNode),
    }
}

/// Walks `proof` from `root` along `key` and returns the proven value, or
/// `None` for a proven absence.
///
/// # Errors
/// A [`ProofError`] if the proof does not chain to `root` or is malformed.
pub(crate) fn prove<N: AsRef<[u8]>>(
    root: B256,
    key: &[u8],
    proof: &[N],
) -> Result<Option<Vec<u8>>, ProofError> {
    if root == EMPTY_ROOT_HASH {
        // An empty trie holds nothing; nodes may list the empty node itself.
        return match proof {
            [] => Ok(None),
            [only] if only.as_ref() == [EMPTY_STRING_CODE] => Ok(None),
            _ => Err(ProofError::TrailingNodes),
        };
    }
    let path: Vec<u8> = key.iter().flat_map(|b| [b >> 4, b & 0x0f]).collect();
    let mut nodes = proof.iter().peekable();
    let mut pos = 0usize;
    let mut next = NodeRef::Hash(root);
    let outcome = loop {
        let node: &[u8] = match next {
            NodeRef::Hash(hash) => {
                let node = nodes.next().ok_or(ProofError::Incomplete)?.as_ref();
                if keccak256(node) != hash {
                    return Err(ProofError::HashMismatch);
                }
                node
            }
            NodeRef::Inline(node) => {
                // Geth leaves embedded nodes out of proofs; other clients list
                // them too. A listed copy adds nothing, so skip it if present.
                if nodes.peek().is_some_and(|next| next.as_ref() == node) {
                    nodes.next();
                }
                node
            }
            NodeRef::Empty => break None,
        };
        match step(node, &path, &mut pos)? {
            Step::Next(child) => next = child,
            Step::Value(value) => break Some(value),
            Step::Absent => break None,
        }
    };
    if nodes.next().is_some() {
        return Err(ProofError::TrailingNodes);
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{B256, keccak256};
    use alloy_trie::{HashBuilder, Nibbles, proof::ProofRetainer};

    use super::{ProofError, prove};

    /// Builds a trie with alloy-trie (an independent implementation) over
    /// `keys` (sorted) with short values, so that many nodes are embedded,
    /// and returns the root and the proof nodes alloy-trie retains for `target`.
    fn alloy_proof(keys: &[Vec<u8>], target: &[u8]) -> (B256, Vec<Vec<u8>>) {
        let target_nibbles = Nibbles::unpack(target);
        let mut hb =
            HashBuilder::default().with_proof_retainer(ProofRetainer::new(vec![target_nibbles]));
        for key in keys {
            hb.add_leaf(Nibbles::unpack(key), &key[key.len() - 1..]);
        }
        let root = hb.root();
        let nodes = hb
            .take_proof_nodes()
            .matching_nodes_sorted(&target_nibbles)
            .into_iter()
            .map(|(_, node)| node.to_vec())
            .collect();
        (root, nodes)
    }

    fn keys(n: u8) -> Vec<Vec<u8>> {
        let mut keys: Vec<Vec<u8>> = (0..n).map(|i| vec![0x10, i / 7, i]).collect();
        keys.sort();
        keys
    }

    #[test]
    fn agrees_with_alloy_trie_on_embedded_nodes() {
        let keys = keys(40);
        let mut embedded = 0;
        for key in &keys {
            let (root, nodes) = alloy_proof(&keys, key);
            embedded += nodes.iter().skip(1).filter(|n| n.len() < 32).count();
            let last = key.last().copied().unwrap_or_default();
            assert_eq!(prove(root, key, &nodes), Ok(Some(vec![last])), "{key:?}");
            // The same proof without embedded nodes (geth's form).
            let hashed_only: Vec<Vec<u8>> = nodes
                .iter()
                .enumerate()
                .filter(|(i, n)| *i == 0 || n.len() >= 32)
                .map(|(_, n)| n.clone())
                .collect();
            assert_eq!(
                prove(root, key, &hashed_only),
                Ok(Some(vec![last])),
                "{key:?}"
            );
        }
        assert!(embedded > 0, "the trie must exercise embedded nodes");
    }

    #[test]
    fn absent_keys_are_proven_absent() {
        let keys = keys(40);
        for absent in [vec![0x10, 0, 0x50], vec![0x10, 9, 0], vec![0x20, 0, 0]] {
            let (root, nodes) = alloy_proof(&keys, &absent);
            assert_eq!(prove(root, &absent, &nodes), Ok(None), "{absent:?}");
        }
    }

    #[test]
    fn wrong_root_or_missing_node_is_rejected() {
        let keys = keys(40);
        let key = &keys[17];
        let (root, nodes) = alloy_proof(&keys, key);
        let other_root = keccak256(root);
        assert_eq!(
            prove(other_root, key, &nodes),
            Err(ProofError::HashMismatch)
        );
        assert_eq!(prove(root, key, &nodes[..0]), Err(ProofError::Incomplete));
        let mut extra = nodes.clone();
        extra.push(vec![0xc0]);
        assert_eq!(prove(root, key, &extra), Err(ProofError::TrailingNodes));
    }

    #[test]
    fn empty_trie_proves_absence_only() {
        let empty = alloy_trie::EMPTY_ROOT_HASH;
        assert_eq!(prove::<Vec<u8>>(empty, &[1, 2], &[]), Ok(None));
        assert_eq!(prove(empty, &[1, 2], &[vec![0x80]]), Ok(None));
        assert_eq!(
            prove(empty, &[1, 2], &[vec![0xc0]]),
            Err(ProofError::TrailingNodes)
        );
    }

    #[test]
    fn malformed_nodes_are_rejected() {
        // Root node that is a list of three items: neither branch nor leaf.
        let node = vec![0xc3, 0x80, 0x80, 0x80];
        assert_eq!(
            prove(keccak256(&node), &[0], &[node]),
            Err(ProofError::MalformedNode)
        );
        // Leaf with an invalid hex-prefix flag (4).
        let node = vec![0xc4, 0x82, 0x40, 0x00, 0x01];
        assert_eq!(
            prove(keccak256(&node), &[0], &[node]),
            Err(ProofError::MalformedNode)
        );
        // Leaf for key 0x00: even flag with a non-zero padding nibble.
        let node = vec![0xc4, 0x82, 0x21, 0x00, 0x01];
        assert_eq!(
            prove(keccak256(&node), &[0], &[node]),
            Err(ProofError::MalformedNode)
        );
        // Well-formed leaf for key 0x00 holding 0x01.
        let node = vec![0xc4, 0x82, 0x20, 0x00, 0x01];
        assert_eq!(prove(keccak256(&node), &[0], &[node]), Ok(Some(vec![1])));
    }
}
