//! Fuzzing entry points: feed arbitrary bytes to every decoder of this module.
//! Each function must return normally for any input; a panic is a bug.

use alloy_primitives::{B256, keccak256};
use serde_json::Value;

use super::{
    ExecutionHeader, verify_account_proof, verify_block, verify_header_rlp, verify_receipts,
    verify_receipts_text,
};

/// Decodes `data` as a block header (RLP) and re-encodes whatever decodes.
pub fn header_rlp(data: &[u8]) {
    if let Ok(header) = ExecutionHeader::decode_rlp(data) {
        let _ = header.encode_rlp();
        let _ = header.hash_slow();
    }
    let _ = verify_header_rlp(data, Some(keccak256(data)));
}

/// Splits `data` into a 32-byte key and proof nodes (each prefixed by a one-byte
/// length) and walks the proof from the hash of its first node, so the walk
/// gets past the root check and into the node decoder.
pub fn proof_walk(data: &[u8]) {
    let Some((key, mut rest)) = data.split_first_chunk::<32>() else {
        return;
    };
    let mut nodes: Vec<&[u8]> = Vec::new();
    while let Some((&len, tail)) = rest.split_first() {
        let len = usize::from(len).min(tail.len());
        let (node, after) = tail.split_at(len);
        nodes.push(node);
        rest = after;
    }
    let root = nodes.first().map_or(B256::ZERO, keccak256);
    let _ = super::mpt::prove(root, key, &nodes);
}

/// Parses `data` as JSON and gives it to every JSON verifier (receipts also
/// through the text fast path, which parses `data` itself).
pub fn rpc_json(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = verify_receipts_text(keccak256(data), text);
    }
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let root = keccak256(data);
    let _ = verify_block(&value, None);
    let _ = verify_receipts(root, &value);
    let _ = verify_account_proof(root, &value);
    let _ = super::envelope_from_json(&value);
}

/// Decodes `data` as an SSZ `SignedBeaconBlock` of the fork picked by its
/// first byte, and re-encodes, hashes and verifies whatever decodes (against
/// a header built from the block itself, so the payload check runs too).
pub fn beacon_block_ssz(data: &[u8]) {
    use crate::beacon::{Fork, Network};
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let fork = Fork::ALL[usize::from(selector) % Fork::ALL.len()];
    let Ok(block) = super::SignedBeaconBlock::from_ssz(rest, fork) else {
        return;
    };
    let _ = block.to_ssz();
    let header = crate::Verified::new_unchecked(block.header());
    let _ = super::verify_beacon_block(&Network::mainnet(), &header, &block);
}

/// Parses `data` as JSON and reads it as a Beacon-API beacon block.
pub fn beacon_block_json(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if let Ok(block) = super::SignedBeaconBlock::from_json(&value, None) {
        let _ = block.body_root();
    }
}
