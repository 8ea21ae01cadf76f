//! The rollup config hash an operator publishes (PROTOCOL.md section 8).

use alloy_primitives::{Address, B256, Bytes, keccak256};
use alloy_rlp::RlpEncodable;
use preconf_light::rollup::config::SEQUENCER_KIND_COMMITTEE;
use preconf_light::rollup::{RollupConfig, SlotEndingRule};

/// The section 8 field list, in RLP order.
#[derive(RlpEncodable)]
struct ConfigRlp {
    chain_id: u64,
    sequencer_kind: u8,
    sequencer_id: Bytes,
    slot_ending_n: u32,
    stall_limit_slots: u64,
    forced_window: u64,
    inbox: Address,
    genesis_time: u64,
    seconds_per_slot: u64,
    slots_per_epoch: u64,
}

/// `rollupConfigHash` of a committee rollup whose initial committee hashes
/// to `committee_hash`; `config.sequencer` is ignored. (The core computes it
/// from a verified committee; an operator publishes it before any client
/// verified anything.) A single-key rollup uses `RollupConfig::config_hash`.
pub fn committee_config_hash(config: &RollupConfig, committee_hash: B256) -> B256 {
    keccak256(alloy_rlp::encode(ConfigRlp {
        chain_id: config.chain_id,
        sequencer_kind: SEQUENCER_KIND_COMMITTEE,
        sequencer_id: Bytes::copy_from_slice(committee_hash.as_slice()),
        slot_ending_n: match config.slot_ending {
            SlotEndingRule::Marker => 0,
            SlotEndingRule::NthBlock(n) => n,
        },
        stall_limit_slots: config.stall_limit_slots,
        forced_window: config.forced_inclusion_window_slots,
        inbox: config.inbox,
        genesis_time: config.l1.genesis_time,
        seconds_per_slot: config.l1.seconds_per_slot,
        slots_per_epoch: config.l1.slots_per_epoch,
    }))
}
