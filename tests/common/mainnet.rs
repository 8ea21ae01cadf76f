//! Loading the real mainnet fixtures in `tests/fixtures/mainnet`.

use alloy_primitives::B256;
use preconf_light::beacon::{
    self, Fork, LightClient, LightClientBootstrap, LightClientFinalityUpdate, LightClientHeader,
    LightClientOptimisticUpdate, LightClientUpdate, Network, SyncCommittee, Versioned,
};

pub const MAINNET_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mainnet");

pub fn text(rel: &str) -> String {
    std::fs::read_to_string(format!("{MAINNET_DIR}/{rel}")).unwrap()
}

pub fn root(s: &str) -> B256 {
    s.parse().unwrap()
}

pub fn bootstrap(rel: &str) -> Versioned<LightClientBootstrap<512>> {
    beacon::bootstrap_from_json(&text(rel)).unwrap()
}

pub fn updates(rel: &str) -> Vec<Versioned<LightClientUpdate<512>>> {
    beacon::updates_from_json(&text(rel)).unwrap()
}

pub fn finality(rel: &str) -> Versioned<LightClientFinalityUpdate<512>> {
    beacon::finality_update_from_json(&text(rel)).unwrap()
}

pub fn optimistic(rel: &str) -> Versioned<LightClientOptimisticUpdate<512>> {
    beacon::optimistic_update_from_json(&text(rel)).unwrap()
}

/// Unix time of the start of `slot` on mainnet.
pub fn at(slot: u64) -> u64 {
    Network::mainnet().time_at_slot(slot)
}

pub const CAPELLA_ROOT: &str = "0x5afc212a7924789b2bc86acad3ab3a6ffb1f6e97253ea50bee7f4f51422c9275";

/// A client bootstrapped from the Capella checkpoint (period 862).
pub fn capella_client() -> LightClient {
    let b = bootstrap("helios/capella-lc/bootstrap.json");
    assert_eq!(b.fork, Fork::Capella);
    LightClient::from_bootstrap(Network::mainnet(), root(CAPELLA_ROOT), &b.data).unwrap()
}

/// The Fulu trusted store (finalized header + current committee).
pub fn fulu_client() -> (LightClient, u64) {
    let v = beacon::parse_text(&text("sp1-helios/fulu-lc/trusted_store.json")).unwrap();
    let header: LightClientHeader =
        beacon::header_from_data(&v["finalized_header"], Fork::Fulu).unwrap();
    assert_eq!(
        header.beacon_root(),
        root(v["finalized_block_root"].as_str().unwrap())
    );
    let committee: SyncCommittee<512> =
        beacon::sync_committee_from_data(&v["current_sync_committee"]).unwrap();
    let slot: u64 = v["expected_current_slot"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    (
        LightClient::from_trusted_committee(Network::mainnet(), header, committee).unwrap(),
        slot,
    )
}

/// Decodes `content_value` hex of a Portal yaml file.
pub fn portal_value(rel: &str) -> Vec<u8> {
    let t = text(rel);
    let start = t.find("content_value:").unwrap();
    let hexstr: String = t[start..]
        .chars()
        .skip("content_value:".len())
        .filter(|c| c.is_ascii_hexdigit() || *c == 'x')
        .collect();
    hex::decode(hexstr.trim_start_matches("0x")).unwrap()
}
