//! The real mainnet sync-committee aggregate used by the BLS tests and
//! benches: the Capella bootstrap committee (period 862) and the first
//! update it signed. The small SSZ roots are computed here by hand with
//! SHA-256 so the BLS tests depend on nothing but the BLS module.
#![allow(dead_code, unreachable_pub)]

use serde_json::Value;
use sha2::{Digest, Sha256};

pub const CAPELLA_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/mainnet/helios/capella-lc"
);
/// Mainnet genesis validators root.
pub const MAINNET_GVR: &str = "4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95";
/// Mainnet Capella fork version.
pub const CAPELLA_FORK_VERSION: [u8; 4] = [0x03, 0, 0, 0];
/// `DOMAIN_SYNC_COMMITTEE`.
pub const DOMAIN_SYNC_COMMITTEE: [u8; 4] = [0x07, 0, 0, 0];

pub fn hex32(v: &Value) -> [u8; 32] {
    let s = v.as_str().expect("hex string");
    hex::decode(s.trim_start_matches("0x"))
        .expect("hex")
        .try_into()
        .expect("32 bytes")
}

pub fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{CAPELLA_DIR}/{name}")).expect("fixture");
    serde_json::from_str(&text).expect("json")
}

fn sha256_pair(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(a);
    h.update(b);
    h.finalize().into()
}

fn uint64_leaf(v: &Value) -> [u8; 32] {
    let n: u64 = v.as_str().expect("decimal string").parse().expect("u64");
    let mut leaf = [0u8; 32];
    leaf[..8].copy_from_slice(&n.to_le_bytes());
    leaf
}

/// `hash_tree_root(BeaconBlockHeader)`: five 32-byte leaves padded to eight.
pub fn beacon_header_root(h: &Value) -> [u8; 32] {
    let mut leaves = [[0u8; 32]; 8];
    leaves[0] = uint64_leaf(&h["slot"]);
    leaves[1] = uint64_leaf(&h["proposer_index"]);
    leaves[2] = hex32(&h["parent_root"]);
    leaves[3] = hex32(&h["state_root"]);
    leaves[4] = hex32(&h["body_root"]);
    let l1: Vec<[u8; 32]> = leaves
        .chunks(2)
        .map(|c| sha256_pair(&c[0], &c[1]))
        .collect();
    let l2: Vec<[u8; 32]> = l1.chunks(2).map(|c| sha256_pair(&c[0], &c[1])).collect();
    sha256_pair(&l2[0], &l2[1])
}

/// `compute_signing_root(header, compute_domain(DOMAIN_SYNC_COMMITTEE, version, gvr))`.
pub fn sync_committee_signing_root(
    header_root: &[u8; 32],
    version: [u8; 4],
    gvr: &[u8; 32],
) -> [u8; 32] {
    let mut version_leaf = [0u8; 32];
    version_leaf[..4].copy_from_slice(&version);
    let fork_data_root = sha256_pair(&version_leaf, gvr);
    let mut domain = [0u8; 32];
    domain[..4].copy_from_slice(&DOMAIN_SYNC_COMMITTEE);
    domain[4..].copy_from_slice(&fork_data_root[..28]);
    sha256_pair(header_root, &domain)
}

/// The real mainnet case: the bootstrap's committee (period 862) signed the
/// first update (attested slot 7061719, signature slot 7061720, Capella).
pub struct MainnetCase {
    pub keys: Vec<[u8; 48]>,
    /// The committee's `aggregate_pubkey` as the state holds it.
    pub aggregate: [u8; 48],
    pub participation: Vec<bool>,
    pub message: [u8; 32],
    pub signature: [u8; 96],
}

pub fn mainnet_case() -> MainnetCase {
    let bootstrap = load("bootstrap.json");
    let keys = bootstrap["data"]["current_sync_committee"]["pubkeys"]
        .as_array()
        .expect("pubkeys")
        .iter()
        .map(|k| {
            let s = k.as_str().expect("hex");
            hex::decode(s.trim_start_matches("0x"))
                .expect("hex")
                .try_into()
                .expect("48 bytes")
        })
        .collect();
    let committee_aggregate = hex::decode(
        bootstrap["data"]["current_sync_committee"]["aggregate_pubkey"]
            .as_str()
            .expect("aggregate_pubkey")
            .trim_start_matches("0x"),
    )
    .expect("hex")
    .try_into()
    .expect("48 bytes");
    let updates = load("updates.json");
    let update = &updates[0]["data"];
    let aggregate = &update["sync_aggregate"];
    let bits = hex::decode(
        aggregate["sync_committee_bits"]
            .as_str()
            .expect("bits")
            .trim_start_matches("0x"),
    )
    .expect("hex");
    let participation = (0..bits.len() * 8)
        .map(|i| (bits[i / 8] >> (i % 8)) & 1 == 1)
        .collect();
    let signature = hex::decode(
        aggregate["sync_committee_signature"]
            .as_str()
            .expect("sig")
            .trim_start_matches("0x"),
    )
    .expect("hex")
    .try_into()
    .expect("96 bytes");
    let gvr: [u8; 32] = hex::decode(MAINNET_GVR)
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    let header_root = beacon_header_root(&update["attested_header"]["beacon"]);
    let message = sync_committee_signing_root(&header_root, CAPELLA_FORK_VERSION, &gvr);
    MainnetCase {
        keys,
        aggregate: committee_aggregate,
        participation,
        message,
        signature,
    }
}
