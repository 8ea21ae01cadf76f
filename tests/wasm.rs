//! Tests that run inside WebAssembly: under node and in headless Chromium.
//!
//! `make test` runs this target twice with `wasm-bindgen-test-runner`: once
//! in node and once with `WASM_BINDGEN_USE_BROWSER=1` in Chromium. Fixtures
//! are compiled in (`include_str!`), since wasm has no file system.
#![cfg(target_arch = "wasm32")]

use preconf_light::bls::{KeyCheck, SyncCommitteeKeys};
use serde_json::Value;
use sha2::{Digest, Sha256};
use wasm_bindgen_test::wasm_bindgen_test;

const BOOTSTRAP: &str = include_str!("fixtures/mainnet/helios/capella-lc/bootstrap.json");
const UPDATES: &str = include_str!("fixtures/mainnet/helios/capella-lc/updates.json");
const MAINNET_GVR: &str = "4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95";
const CAPELLA_FORK_VERSION: [u8; 4] = [3, 0, 0, 0];
const DOMAIN_SYNC_COMMITTEE: [u8; 4] = [7, 0, 0, 0];

fn hex32(v: &Value) -> [u8; 32] {
    let bytes = hex::decode(v.as_str().unwrap().trim_start_matches("0x")).unwrap();
    bytes.try_into().unwrap()
}

fn hash_pair(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(a);
    h.update(b);
    h.finalize().into()
}

fn uint_leaf(v: &Value) -> [u8; 32] {
    let n: u64 = v.as_str().unwrap().parse().unwrap();
    let mut leaf = [0u8; 32];
    leaf[..8].copy_from_slice(&n.to_le_bytes());
    leaf
}

/// hash_tree_root(BeaconBlockHeader), by hand: five fields padded to eight leaves.
fn header_root(h: &Value) -> [u8; 32] {
    let zero = [0u8; 32];
    let leaves = [
        uint_leaf(&h["slot"]),
        uint_leaf(&h["proposer_index"]),
        hex32(&h["parent_root"]),
        hex32(&h["state_root"]),
        hex32(&h["body_root"]),
        zero,
        zero,
        zero,
    ];
    let l1: Vec<[u8; 32]> = leaves.chunks(2).map(|c| hash_pair(&c[0], &c[1])).collect();
    let l2: Vec<[u8; 32]> = l1.chunks(2).map(|c| hash_pair(&c[0], &c[1])).collect();
    hash_pair(&l2[0], &l2[1])
}

fn signing_root(header: &Value) -> [u8; 32] {
    let mut version_leaf = [0u8; 32];
    version_leaf[..4].copy_from_slice(&CAPELLA_FORK_VERSION);
    let gvr: [u8; 32] = hex::decode(MAINNET_GVR).unwrap().try_into().unwrap();
    let fork_data_root = hash_pair(&version_leaf, &gvr);
    let mut domain = [0u8; 32];
    domain[..4].copy_from_slice(&DOMAIN_SYNC_COMMITTEE);
    domain[4..].copy_from_slice(&fork_data_root[..28]);
    hash_pair(&header_root(header), &domain)
}

fn committee() -> SyncCommitteeKeys {
    let bootstrap: Value = serde_json::from_str(BOOTSTRAP).unwrap();
    let keys: Vec<[u8; 48]> = bootstrap["data"]["current_sync_committee"]["pubkeys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            hex::decode(k.as_str().unwrap().trim_start_matches("0x"))
                .unwrap()
                .try_into()
                .unwrap()
        })
        .collect();
    SyncCommitteeKeys::decode(&keys, KeyCheck::Full).unwrap()
}

fn first_update() -> (Vec<bool>, [u8; 32], [u8; 96]) {
    let updates: Value = serde_json::from_str(UPDATES).unwrap();
    let data = &updates[0]["data"];
    let bits_hex = data["sync_aggregate"]["sync_committee_bits"]
        .as_str()
        .unwrap();
    let bits_bytes = hex::decode(bits_hex.trim_start_matches("0x")).unwrap();
    let bits = (0..512)
        .map(|i| (bits_bytes[i / 8] >> (i % 8)) & 1 == 1)
        .collect();
    let sig_hex = data["sync_aggregate"]["sync_committee_signature"]
        .as_str()
        .unwrap();
    let sig: [u8; 96] = hex::decode(sig_hex.trim_start_matches("0x"))
        .unwrap()
        .try_into()
        .unwrap();
    (bits, signing_root(&data["attested_header"]["beacon"]), sig)
}

#[wasm_bindgen_test]
fn real_mainnet_sync_aggregate_verifies_in_wasm() {
    let (bits, root, sig) = first_update();
    committee()
        .fast_aggregate_verify(&bits, &root, &sig)
        .unwrap();
}

#[wasm_bindgen_test]
fn tampered_signing_root_is_rejected_in_wasm() {
    let (bits, mut root, sig) = first_update();
    root[0] ^= 1;
    assert!(
        committee()
            .fast_aggregate_verify(&bits, &root, &sig)
            .is_err()
    );
}
