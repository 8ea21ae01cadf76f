//! A sparse Merkle-Patricia trie built from witness nodes.
//!
//! The trie starts as a single hash (the pre-state root). Nodes are
//! resolved on demand from the witness, a map from keccak256(node) to node:
//! a node that is not there is a [`EvmError::MissingWitness`], never a guess.
//! Updates, insertions and deletions rewrite the path in memory; a deletion
//! that leaves a branch with one child collapses it onto that child, which
//! must then be resolved (the sibling's node must be in the witness).
//! [`SparseTrie::root`] re-hashes the modified paths; untouched subtrees keep
//! their hashes.

use std::collections::HashMap;

use alloy_primitives::{B256, Bytes, keccak256};
use alloy_rlp::{Encodable, Header};
use alloy_trie::EMPTY_ROOT_HASH;

use super::error::EvmError;

/// Children of a branch node.
const BRANCH_WIDTH: usize = 16;
/// Items in an RLP-encoded branch node (16 children and a value).
const BRANCH_ITEMS: usize = 17;
/// Hex-prefix flag bit: the node is a leaf.
const HP_LEAF_FLAG: u8 = 2;
/// Hex-prefix flag bit: the path has an odd number of nibbles.
const HP_ODD_FLAG: u8 = 1;
/// Embedded nodes are those whose RLP is shorter than a hash.
const MAX_EMBEDDED_LEN: usize = 32;

/// A witness: trie nodes keyed by their keccak256.
pub(crate) type NodeMap = HashMap<B256, Bytes>;

#[derive(Debug, Clone, Default)]
enum Node {
    #[default]
    Empty,
    Leaf {
        key: Vec<u8>,
        value: Vec<u8>,
    },
    Extension {
        key: Vec<u8>,
        child: Box<Node>,
    },
    Branch {
        children: Box<[Node; BRANCH_WIDTH]>,
    },
    Hash(B256),
}

fn invalid(reason: impl Into<String>) -> EvmError {
    EvmError::InvalidWitness {
        reason: reason.into(),
    }
}

/// Splits one RLP item off `buf`: (header, payload, whole item).
fn take_item<'a>(buf: &mut &'a [u8]) -> Result<(bool, &'a [u8], &'a [u8]), EvmError> {
    let start = *buf;
    let header = Header::decode(buf).map_err(|e| invalid(format!("rlp: {e}")))?;
    let payload = buf
        .get(..header.payload_length)
        .ok_or_else(|| invalid("rlp item overruns node"))?;
    *buf = buf
        .get(header.payload_length..)
        .ok_or_else(|| invalid("rlp item overruns node"))?;
    let consumed = start.len().saturating_sub(buf.len());
    let whole = start.get(..consumed).ok_or_else(|| invalid("rlp length"))?;
    Ok((header.list, payload, whole))
}

fn nibbles(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().flat_map(|b| [b >> 4, b & 0x0f]).collect()
}

/// Decodes a hex-prefix path: (is_leaf, nibbles).
fn decode_hp(bytes: &[u8]) -> Result<(bool, Vec<u8>), EvmError> {
    let first = *bytes
        .first()
        .ok_or_else(|| invalid("empty hex-prefix path"))?;
    let flag = first >> 4;
    if flag > (HP_LEAF_FLAG | HP_ODD_FLAG) {
        return Err(invalid("bad hex-prefix flag"));
    }
    let mut path = Vec::with_capacity(bytes.len().saturating_mul(2));
    if flag & HP_ODD_FLAG != 0 {
        path.push(first & 0x0f);
    } else if first & 0x0f != 0 {
        return Err(invalid("non-zero hex-prefix padding"));
    }
    path.extend(nibbles(bytes.get(1..).unwrap_or_default()));
    Ok((flag & HP_LEAF_FLAG != 0, path))
}

fn encode_hp(path: &[u8], leaf: bool) -> Vec<u8> {
    let odd = path.len() % 2 == 1;
    let flag = if leaf { HP_LEAF_FLAG } else { 0 } | if odd { HP_ODD_FLAG } else { 0 };
    let mut out = Vec::with_capacity(path.len() / 2 + 1);
    let rest = if odd {
        out.push((flag << 4) | path.first().copied().unwrap_or(0));
        path.get(1..).unwrap_or_default()
    } else {
        out.push(flag << 4);
        path
    };
    for pair in rest.chunks(2) {
        let hi = pair.first().copied().unwrap_or(0);
        let lo = pair.get(1).copied().unwrap_or(0);
        out.push((hi << 4) | lo);
    }
    out
}

/// Decodes a child reference inside a node.
fn decode_ref(is_list: bool, payload: &[u8], whole: &[u8]) -> Result<Node, EvmError> {
    if is_list {
        return decode_node(whole);
    }
    match payload.len() {
        0 => Ok(Node::Empty),
        32 => Ok(Node::Hash(B256::from_slice(payload))),
        _ => Err(invalid("child reference is neither a hash nor a node")),
    }
}

fn decode_node(bytes: &[u8]) -> Result<Node, EvmError> {
    let mut outer = bytes;
    let (is_list, mut payload, _) = take_item(&mut outer)?;
    if !is_list || !outer.is_empty() {
        return Err(invalid("node is not a single RLP list"));
    }
    let mut items = Vec::with_capacity(BRANCH_ITEMS);
    while !payload.is_empty() {
        items.push(take_item(&mut payload)?);
    }
    match items.len() {
        BRANCH_ITEMS => {
            let mut children: [Node; BRANCH_WIDTH] = Default::default();
            for (slot, (l, p, w)) in children.iter_mut().zip(items.iter()) {
                *slot = decode_ref(*l, p, w)?;
            }
            if items
                .get(BRANCH_WIDTH)
                .is_some_and(|(_, p, _)| !p.is_empty())
            {
                return Err(invalid("branch value in a state trie"));
            }
            Ok(Node::Branch {
                children: Box::new(children),
            })
        }
        2 => {
            let (l0, p0, _) = items.first().ok_or_else(|| invalid("short node"))?;
            let (l1, p1, w1) = items.get(1).ok_or_else(|| invalid("short node"))?;
            if *l0 {
                return Err(invalid("node path is a list"));
            }
            let (leaf, key) = decode_hp(p0)?;
            if leaf {
                if *l1 {
                    return Err(invalid("leaf value is a list"));
                }
                Ok(Node::Leaf {
                    key,
                    value: p1.to_vec(),
                })
            } else {
                if key.is_empty() {
                    return Err(invalid("extension with an empty path"));
                }
                Ok(Node::Extension {
                    key,
                    child: Box::new(decode_ref(*l1, p1, w1)?),
                })
            }
        }
        _ => Err(invalid("node has neither 2 nor 17 items")),
    }
}

fn rlp_list(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len().saturating_add(9));
    Header {
        list: true,
        payload_length: payload.len(),
    }
    .encode(&mut out);
    out.extend_from_slice(payload);
    out
}

fn encode_node(node: &Node, out: &mut Vec<u8>) {
    match node {
        Node::Empty => out.push(alloy_rlp::EMPTY_STRING_CODE),
        Node::Hash(h) => h.encode(out),
        Node::Leaf { key, value } => {
            let mut p = Vec::new();
            encode_hp(key, true).as_slice().encode(&mut p);
            value.as_slice().encode(&mut p);
            out.extend(rlp_list(&p));
        }
        Node::Extension { key, child } => {
            let mut p = Vec::new();
            encode_hp(key, false).as_slice().encode(&mut p);
            encode_ref(child, &mut p);
            out.extend(rlp_list(&p));
        }
        Node::Branch { children } => {
            let mut p = Vec::new();
            for c in children.iter() {
                encode_ref(c, &mut p);
            }
            p.push(alloy_rlp::EMPTY_STRING_CODE);
            out.extend(rlp_list(&p));
        }
    }
}

fn encode_ref(node: &Node, out: &mut Vec<u8>) {
    match node {
        Node::Empty | Node::Hash(_) => encode_node(node, out),
        _ => {
            let mut enc = Vec::new();
            encode_node(node, &mut enc);
            if enc.len() < MAX_EMBEDDED_LEN {
                out.extend(enc);
            } else {
                keccak256(&enc).encode(out);
            }
        }
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// A Merkle-Patricia trie whose unresolved parts are hashes.
#[derive(Debug, Clone)]
pub(crate) struct SparseTrie {
    root: Node,
}

impl SparseTrie {
    /// A trie known only by its root hash.
    pub(crate) fn from_root(root: B256) -> Self {
        let root = if root == EMPTY_ROOT_HASH {
            Node::Empty
        } else {
            Node::Hash(root)
        };
        Self { root }
    }

    /// Sets `key` (a 32-byte hashed key) to `value` (the leaf's RLP value).
    pub(crate) fn insert(
        &mut self,
        nodes: &NodeMap,
        key: &B256,
        value: Vec<u8>,
    ) -> Result<(), EvmError> {
        let root = core::mem::take(&mut self.root);
        self.root = insert(nodes, root, &nibbles(key.as_slice()), value)?;
        Ok(())
    }

    /// Removes `key`; absent keys are fine as long as their path is in the witness.
    pub(crate) fn remove(&mut self, nodes: &NodeMap, key: &B256) -> Result<(), EvmError> {
        let root = core::mem::take(&mut self.root);
        self.root = remove(nodes, root, &nibbles(key.as_slice()))?;
        Ok(())
    }

    /// The root hash.
    pub(crate) fn root(&self) -> B256 {
        match &self.root {
            Node::Empty => EMPTY_ROOT_HASH,
            Node::Hash(h) => *h,
            node => {
                let mut enc = Vec::new();
                encode_node(node, &mut enc);
                keccak256(&enc)
            }
        }
    }
}

fn resolve(nodes: &NodeMap, node: Node, what: &str) -> Result<Node, EvmError> {
    match node {
        Node::Hash(hash) => {
            let bytes = nodes.get(&hash).ok_or_else(|| EvmError::MissingWitness {
                hash,
                what: what.to_owned(),
            })?;
            decode_node(bytes)
        }
        other => Ok(other),
    }
}

fn leaf(key: &[u8], value: Vec<u8>) -> Node {
    Node::Leaf {
        key: key.to_vec(),
        value,
    }
}

fn wrap_ext(prefix: &[u8], node: Node) -> Node {
    if prefix.is_empty() {
        node
    } else {
        Node::Extension {
            key: prefix.to_vec(),
            child: Box::new(node),
        }
    }
}

fn nibble_at(path: &[u8], i: usize) -> Result<usize, EvmError> {
    path.get(i)
        .map(|n| usize::from(*n))
        .ok_or_else(|| invalid("trie path ends inside a node"))
}

fn tail(path: &[u8], from: usize) -> Result<&[u8], EvmError> {
    path.get(from..)
        .ok_or_else(|| invalid("trie path ends inside a node"))
}

fn insert(nodes: &NodeMap, node: Node, path: &[u8], value: Vec<u8>) -> Result<Node, EvmError> {
    match resolve(nodes, node, "an insertion")? {
        Node::Empty => Ok(leaf(path, value)),
        Node::Leaf { key, value: old } => {
            if key == path {
                return Ok(leaf(path, value));
            }
            if key.len() != path.len() {
                return Err(invalid("leaf path length does not match its depth"));
            }
            let c = common_prefix(&key, path);
            let mut children: [Node; BRANCH_WIDTH] = Default::default();
            *children
                .get_mut(nibble_at(&key, c)?)
                .ok_or_else(|| invalid("nibble"))? = leaf(tail(&key, c + 1)?, old);
            *children
                .get_mut(nibble_at(path, c)?)
                .ok_or_else(|| invalid("nibble"))? = leaf(tail(path, c + 1)?, value);
            let branch = Node::Branch {
                children: Box::new(children),
            };
            Ok(wrap_ext(&path[..c], branch))
        }
        Node::Extension { key, child } => {
            let c = common_prefix(&key, path);
            if c == key.len() {
                let child = insert(nodes, *child, tail(path, c)?, value)?;
                return Ok(Node::Extension {
                    key,
                    child: Box::new(child),
                });
            }
            let mut children: [Node; BRANCH_WIDTH] = Default::default();
            let rest = tail(&key, c + 1)?;
            *children
                .get_mut(nibble_at(&key, c)?)
                .ok_or_else(|| invalid("nibble"))? = wrap_ext(rest, *child);
            *children
                .get_mut(nibble_at(path, c)?)
                .ok_or_else(|| invalid("nibble"))? = leaf(tail(path, c + 1)?, value);
            let branch = Node::Branch {
                children: Box::new(children),
            };
            Ok(wrap_ext(&key[..c], branch))
        }
        Node::Branch { mut children } => {
            let i = nibble_at(path, 0)?;
            let slot = children.get_mut(i).ok_or_else(|| invalid("nibble"))?;
            let child = core::mem::take(slot);
            *slot = insert(nodes, child, tail(path, 1)?, value)?;
            Ok(Node::Branch { children })
        }
        Node::Hash(_) => Err(invalid("unresolved node")),
    }
}

/// Prepends `prefix` to a node that replaces a collapsed branch or extension.
fn prepend(nodes: &NodeMap, prefix: &[u8], node: Node) -> Result<Node, EvmError> {
    Ok(
        match resolve(nodes, node, "collapsing a branch onto its last child")? {
            Node::Leaf { key, value } => Node::Leaf {
                key: [prefix, &key].concat(),
                value,
            },
            Node::Extension { key, child } => Node::Extension {
                key: [prefix, &key].concat(),
                child,
            },
            branch @ Node::Branch { .. } => wrap_ext(prefix, branch),
            Node::Empty => Node::Empty,
            Node::Hash(_) => return Err(invalid("unresolved node")),
        },
    )
}

fn remove(nodes: &NodeMap, node: Node, path: &[u8]) -> Result<Node, EvmError> {
    match resolve(nodes, node, "a deletion")? {
        Node::Empty => Ok(Node::Empty),
        Node::Leaf { key, value } => {
            if key == path {
                Ok(Node::Empty)
            } else {
                Ok(Node::Leaf { key, value })
            }
        }
        Node::Extension { key, child } => {
            if !path.starts_with(&key) {
                return Ok(Node::Extension { key, child });
            }
            let child = remove(nodes, *child, tail(path, key.len())?)?;
            prepend(nodes, &key, child)
        }
        Node::Branch { mut children } => {
            let i = nibble_at(path, 0)?;
            let slot = children.get_mut(i).ok_or_else(|| invalid("nibble"))?;
            let child = core::mem::take(slot);
            *slot = remove(nodes, child, tail(path, 1)?)?;
            let mut live = children
                .iter()
                .enumerate()
                .filter(|(_, c)| !matches!(c, Node::Empty));
            let first = live.next().map(|(j, _)| j);
            let more = live.next().is_some();
            match (first, more) {
                (None, _) => Ok(Node::Empty),
                (Some(_), true) => Ok(Node::Branch { children }),
                (Some(j), false) => {
                    let only = children
                        .get_mut(j)
                        .map(core::mem::take)
                        .ok_or_else(|| invalid("nibble"))?;
                    let prefix = [u8::try_from(j).map_err(|_| invalid("nibble"))?];
                    prepend(nodes, &prefix, only)
                }
            }
        }
        Node::Hash(_) => Err(invalid("unresolved node")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_trie::{HashBuilder, Nibbles};

    fn key(i: u8) -> B256 {
        keccak256([i])
    }

    fn reference_root(entries: &std::collections::BTreeMap<B256, Vec<u8>>) -> B256 {
        let mut hb = HashBuilder::default();
        for (k, v) in entries {
            hb.add_leaf(Nibbles::unpack(k), v);
        }
        hb.root()
    }

    #[test]
    fn matches_hash_builder_through_inserts_and_deletes() {
        let nodes = NodeMap::new();
        let mut trie = SparseTrie::from_root(EMPTY_ROOT_HASH);
        let mut reference = std::collections::BTreeMap::new();
        for i in 0..60u8 {
            let v = alloy_rlp::encode(u64::from(i) + 1);
            trie.insert(&nodes, &key(i), v.clone()).unwrap();
            reference.insert(key(i), v);
            assert_eq!(trie.root(), reference_root(&reference));
        }
        for i in (0..60u8).step_by(3) {
            trie.remove(&nodes, &key(i)).unwrap();
            reference.remove(&key(i));
            assert_eq!(trie.root(), reference_root(&reference));
        }
        for i in 0..60u8 {
            trie.remove(&nodes, &key(i)).unwrap();
        }
        assert_eq!(trie.root(), EMPTY_ROOT_HASH);
    }

    #[test]
    fn unknown_root_is_missing_witness() {
        let mut trie = SparseTrie::from_root(B256::repeat_byte(7));
        let err = trie.insert(&NodeMap::new(), &key(1), vec![1]).unwrap_err();
        assert!(matches!(err, EvmError::MissingWitness { .. }));
    }

    #[test]
    fn garbage_node_is_invalid_witness() {
        let bad = Bytes::from_static(&[0xc3, 0x01, 0x02, 0x03]);
        let h = keccak256(&bad);
        let nodes = NodeMap::from([(h, bad)]);
        let mut trie = SparseTrie::from_root(h);
        let err = trie.insert(&nodes, &key(1), vec![1]).unwrap_err();
        assert!(matches!(err, EvmError::InvalidWitness { .. }));
    }

    #[test]
    fn random_and_mutated_nodes_never_panic() {
        // Real nodes from a small trie, then every single-byte mutation and
        // truncation of each, each served as the root of a witness.
        let nodes = NodeMap::new();
        let mut trie = SparseTrie::from_root(EMPTY_ROOT_HASH);
        for i in 0..20u8 {
            trie.insert(&nodes, &key(i), vec![0x80 + i; 40]).unwrap();
        }
        let mut enc = Vec::new();
        encode_node(&trie.root, &mut enc);
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut cases = Vec::new();
        for i in 0..enc.len() {
            let mut m = enc.clone();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            m[i] = m[i].wrapping_add(u8::try_from(seed % 255).unwrap() + 1);
            cases.push(m);
            cases.push(enc[..i].to_vec());
        }
        for case in cases {
            let bytes = Bytes::from(case);
            let h = keccak256(&bytes);
            let nodes = NodeMap::from([(h, bytes)]);
            for k in 0..4u8 {
                let mut t = SparseTrie::from_root(h);
                let _ = t.insert(&nodes, &key(k), vec![1; 33]);
                let mut t = SparseTrie::from_root(h);
                let _ = t.remove(&nodes, &key(k));
                let _ = t.root();
            }
        }
    }
}
