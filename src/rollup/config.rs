//! Per-rollup configuration and L1 slot timing.

use alloy_primitives::{Address, B256, keccak256};
use alloy_rlp::RlpEncodable;

use super::RollupError;
use super::certificate::CommitteeKeys;
use crate::Verified;

/// Default number of L1 slots without a commitment before based mode.
pub const DEFAULT_STALL_LIMIT_SLOTS: u64 = 10;
/// `sequencerKind` of a single-key rollup in the config hash.
pub const SEQUENCER_KIND_KEY: u8 = 1;
/// `sequencerKind` of a committee rollup in the config hash.
pub const SEQUENCER_KIND_COMMITTEE: u8 = 2;

/// Who certifies sequenced blocks.
#[derive(Debug, Clone)]
pub enum SequencerAuth {
    /// One secp256k1 key, identified by its address.
    Key(Address),
    /// A weighted BLS committee (the initial one; rotations are ingested later).
    Committee(Verified<CommitteeKeys>),
}

/// How the slot-ending block of a slot is identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotEndingRule {
    /// The certified block with `kind = 1`.
    Marker,
    /// The N-th (1-based) certified block of the slot on a chain.
    NthBlock(u32),
}

/// L1 beacon-chain timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct L1Timing {
    /// Unix time of slot 0.
    pub genesis_time: u64,
    /// Seconds per slot (12 on mainnet).
    pub seconds_per_slot: u64,
    /// Slots per epoch (32 on mainnet).
    pub slots_per_epoch: u64,
}

impl L1Timing {
    /// Unix time at which `slot` starts (saturating).
    pub fn slot_start(&self, slot: u64) -> u64 {
        self.genesis_time
            .saturating_add(slot.saturating_mul(self.seconds_per_slot))
    }

    /// The slot in progress at `now` (0 before genesis).
    pub fn slot_at(&self, now: u64) -> u64 {
        now.saturating_sub(self.genesis_time)
            .checked_div(self.seconds_per_slot)
            .unwrap_or(0)
    }

    /// Epoch of a slot.
    pub fn epoch_of(&self, slot: u64) -> u64 {
        slot.checked_div(self.slots_per_epoch).unwrap_or(0)
    }

    /// When an L1 block of `slot` is expected to be finalized: the start of
    /// epoch `epoch(slot) + 3` (the checkpoint of `epoch + 1` finalizes at the
    /// end of `epoch + 2`).
    pub fn finality_eta(&self, slot: u64) -> u64 {
        let epoch = self.epoch_of(slot).saturating_add(3);
        self.slot_start(epoch.saturating_mul(self.slots_per_epoch))
    }
}

/// Everything the engine needs to know about one rollup.
#[derive(Debug, Clone)]
pub struct RollupConfig {
    /// L2 chain id.
    pub chain_id: u64,
    /// Sequencer key or committee.
    pub sequencer: SequencerAuth,
    /// Slot-ending rule.
    pub slot_ending: SlotEndingRule,
    /// K: slots without a commitment before based mode.
    pub stall_limit_slots: u64,
    /// Slots a forced-inclusion request may wait (informational; the log carries the deadline).
    pub forced_inclusion_window_slots: u64,
    /// The inbox contract on L1.
    pub inbox: Address,
    /// L1 timing.
    pub l1: L1Timing,
}

#[derive(RlpEncodable)]
struct ConfigRlp {
    chain_id: u64,
    sequencer_kind: u8,
    sequencer_id: alloy_primitives::Bytes,
    slot_ending_n: u32,
    stall_limit_slots: u64,
    forced_window: u64,
    inbox: Address,
    genesis_time: u64,
    seconds_per_slot: u64,
    slots_per_epoch: u64,
}

impl RollupConfig {
    /// Checks value ranges.
    ///
    /// # Errors
    /// [`RollupError::InvalidConfig`] for a zero slot length, epoch length or
    /// stall limit, or `NthBlock(0)`.
    pub fn validate(&self) -> Result<(), RollupError> {
        if self.l1.seconds_per_slot == 0 || self.l1.slots_per_epoch == 0 {
            return Err(RollupError::InvalidConfig("zero slot or epoch length"));
        }
        if self.stall_limit_slots == 0 {
            return Err(RollupError::InvalidConfig("zero stall limit"));
        }
        if self.slot_ending == SlotEndingRule::NthBlock(0) {
            return Err(RollupError::InvalidConfig("N-th block rule needs N >= 1"));
        }
        Ok(())
    }

    /// The config hash bound into SP1 public values (PROTOCOL.md section 8).
    pub fn config_hash(&self) -> B256 {
        match &self.sequencer {
            SequencerAuth::Key(a) => self.config_hash_with(SEQUENCER_KIND_KEY, a.as_slice()),
            SequencerAuth::Committee(c) => {
                self.config_hash_with(SEQUENCER_KIND_COMMITTEE, c.hash.as_slice())
            }
        }
    }

    /// The config hash with the sequencer given as its kind byte and id (the
    /// key's address, or the committee hash) instead of `self.sequencer`: for
    /// a rollup operator who has the committee's hash but no verified keys.
    pub fn config_hash_with(&self, sequencer_kind: u8, sequencer_id: &[u8]) -> B256 {
        let (kind, id) = (sequencer_kind, sequencer_id.to_vec());
        let n = match self.slot_ending {
            SlotEndingRule::Marker => 0,
            SlotEndingRule::NthBlock(n) => n,
        };
        keccak256(alloy_rlp::encode(ConfigRlp {
            chain_id: self.chain_id,
            sequencer_kind: kind,
            sequencer_id: id.into(),
            slot_ending_n: n,
            stall_limit_slots: self.stall_limit_slots,
            forced_window: self.forced_inclusion_window_slots,
            inbox: self.inbox,
            genesis_time: self.l1.genesis_time,
            seconds_per_slot: self.l1.seconds_per_slot,
            slots_per_epoch: self.l1.slots_per_epoch,
        }))
    }
}
