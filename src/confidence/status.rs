//! The engine's output format: the status a query returns and the events a
//! step reports. These serde types are the JSON the npm package hands to
//! JavaScript, field for field (`pkg/src/engine.ts` is checked against them).

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

/// The answer to a block, number, tx or action query.
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
    #[serde(rename = "mayRevertIf")]
    pub revert_risks: Vec<RevertRisk>,
    /// Why it is at this level, when the level was entered by a downgrade
    /// (PROTOCOL.md section 9; `None` once it went up again).
    pub reason: Option<Reason>,
    /// Reason of the most recent downgrade, kept after a recovery.
    pub last_downgrade: Option<Reason>,
    /// The next level it can reach.
    pub next_level: Option<Level>,
    /// Unix seconds at which the next level is expected.
    #[serde(rename = "eta")]
    pub next_level_eta: Option<u64>,
    /// The L1 block that committed it.
    pub l1_inclusion: Option<L1Inclusion>,
    /// Re-executed or simulated locally over proven state.
    pub execution_checked: bool,
    /// Covered by a verified validity proof.
    pub proven: bool,
    /// Liveness picture.
    pub liveness: Liveness,
    /// The JSON-RPC block tag of the level ([`Level::block_tag`]).
    pub block_tag: Option<&'static str>,
    /// EIP-5792 call-status code (for an action, 500/600 when an L1 leg failed).
    pub eip5792_status: u16,
    /// OASIS L2 transaction status ([`Level::oasis_status`]).
    pub oasis_status: &'static str,
}

/// An item whose level can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Subject {
    /// An L2 block by hash.
    Block {
        /// Its hash.
        hash: B256,
    },
    /// A tracked cross-domain action by id.
    Action {
        /// Its id.
        id: u64,
    },
}

/// What a step reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Event {
    /// A level changed; `reason` is set when it went down.
    LevelChanged {
        /// Whose level.
        subject: Subject,
        /// Previous level.
        from: Level,
        /// New level.
        to: Level,
        /// Whether it went down.
        downgrade: bool,
        /// Why it went down (`None` on the way up).
        reason: Option<Reason>,
    },
    /// The sequencer equivocated; both certificates are kept.
    Equivocation {
        /// The two blocks' hashes.
        blocks: [B256; 2],
        /// Both headers and certificates.
        #[serde(skip)]
        evidence: Box<EquivocationEvidence>,
    },
    /// A commitment log was rejected.
    CommitmentRejected(RejectedCommitment),
    /// Based mode started or ended.
    BasedMode {
        /// Whether it is now active.
        active: bool,
    },
}

impl Event {
    /// A level change from `from` to `to` (`downgrade` set from their order).
    pub fn level_changed(subject: Subject, from: Level, to: Level, reason: Option<Reason>) -> Self {
        Self::LevelChanged {
            subject,
            from,
            to,
            downgrade: to.rank() < from.rank(),
            reason,
        }
    }
}
