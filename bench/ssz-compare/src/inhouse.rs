//! The three containers with the in-house `src/ssz` (the client's own types).

use preconf_light::beacon::{ExecutionPayloadHeaderCapella, Fork, LightClientUpdate};
use preconf_light::execution::beacon_block::types::BeaconBlockBodyCapella;
use preconf_light::ssz::{SszDecode, TreeHash};

/// Decode + `hash_tree_root` of a Capella light-client update.
pub fn update(bytes: &[u8]) -> Option<[u8; 32]> {
    let v = LightClientUpdate::<512>::from_ssz_fork(bytes, Fork::Capella).ok()?;
    Some(v.tree_hash_root_fork(Fork::Capella).0)
}
/// Decode + root of a Capella execution payload header.
pub fn header(bytes: &[u8]) -> Option<[u8; 32]> {
    Some(
        ExecutionPayloadHeaderCapella::from_ssz(bytes)
            .ok()?
            .tree_hash_root()
            .0,
    )
}
/// Decode + root of a Capella beacon block body.
pub fn body(bytes: &[u8]) -> Option<[u8; 32]> {
    Some(
        BeaconBlockBodyCapella::from_ssz(bytes)
            .ok()?
            .tree_hash_root()
            .0,
    )
}
