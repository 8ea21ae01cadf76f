//! The status a query returns, and the events ingest calls emit.

use alloy_primitives::B256;
use serde::Serialize;

use super::level::{Level, Reason, RevertRisk};
use crate::rollup::{EquivocationEvidence, ForcedRequest, RejectedCommitment};

/// The rollup's liveness as of the last L1 head and tick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Liveness {
    /// Current L1 slot (from `tick`, or the L1 head when no tick came yet).
    pub current_slot: u64,
    /// Slots since the L1 block of the last accepted commitment.
    pub slots_since_last_commitment: u64,
    /// Slots left before based mode (0 when active).
    pub slots_until_based_mode: u64,
    /// Whether based mode is active.
    pub based_mode: bool,
    /// Forced-inclusion requests not yet committed.
    #[serde(skip)]
    pub forced_due: Vec<ForcedRequest>,
    /// A committed L2 header the derivation waits for, if any.
    pub awaiting_header: Option<B256>,
}

/// Where an item was committed on L1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct L1Inclusion {
    /// Beacon root of the committing L1 block.
    pub beacon_root: B256,
    /// Its slot.
    pub slot: u64,
}

/// The answer to `statusOfBlock` / `statusOfTx` / `statusOfAction`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfidenceStatus {
    /// Level.
    pub level: Level,
    /// The L2 block concerned (the best one for a transaction; none for an action).
    pub block_hash: Option<B256>,
    /// Its number.
    pub block_number: Option<u64>,
    /// What can still revert it at this level.
    pub revert_risks: Vec<RevertRisk>,
    /// Reason of the last downgrade, if it ever went down.
    pub last_downgrade: Option<Reason>,
    /// The next level it can reach.
    pub next_level: Option<Level>,
    /// Unix seconds at which the next level is expected.
    pub next_level_eta: Option<u64>,
    /// The L1 block that committed it.
    pub l1_inclusion: Option<L1Inclusion>,
    /// Re-executed or simulated locally over proven state.
    pub execution_checked: bool,
    /// Covered by a verified validity proof.
    pub proven: bool,
    /// Liveness picture.
    pub liveness: Liveness,
}

/// An item whose level can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// An L2 block by hash.
    Block(B256),
    /// A tracked cross-domain action by id.
    Action(u64),
}

/// What an ingest call reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A level changed; `reason` is set when it went down.
    LevelChanged {
        /// Whose level.
        subject: Subject,
        /// Previous level.
        from: Level,
        /// New level.
        to: Level,
        /// Why it went down (`None` on the way up).
        reason: Option<Reason>,
    },
    /// The sequencer equivocated; both certificates are kept.
    Equivocation(Box<EquivocationEvidence>),
    /// A commitment log was rejected.
    CommitmentRejected(RejectedCommitment),
    /// Based mode started or ended.
    BasedMode {
        /// Whether it is now active.
        active: bool,
    },
}
