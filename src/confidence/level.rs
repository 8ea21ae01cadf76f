//! Confidence levels, downgrade reasons, revert risks, and their mappings to
//! block tags, EIP-5792 call-status codes and OASIS L2 transaction statuses.

use serde::Serialize;

/// How far along a block, transaction or action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Ended: it will not happen on this chain.
    Reverted,
    /// Known, not (yet) certified into the preferred chain or included.
    Pending,
    /// Certified by the sequencer, on the preferred chain.
    Sequenced,
    /// Ancestor-or-self of a slot-ending block whose L1 parent matches L1.
    SlotEnding,
    /// Committed by the inbox in a canonical L1 block.
    Included,
    /// Committed by an L1 block at or before the finalized checkpoint.
    Finalized,
}

impl Level {
    /// Every level, lowest first (the order of [`Self::rank`]).
    pub const ALL: [Self; 6] = [
        Self::Reverted,
        Self::Pending,
        Self::Sequenced,
        Self::SlotEnding,
        Self::Included,
        Self::Finalized,
    ];

    /// Order used for "up" and "down": reverted 0 .. finalized 5.
    pub fn rank(self) -> u8 {
        match self {
            Self::Reverted => 0,
            Self::Pending => 1,
            Self::Sequenced => 2,
            Self::SlotEnding => 3,
            Self::Included => 4,
            Self::Finalized => 5,
        }
    }

    /// The stable string name (`"slot-ending"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reverted => "reverted",
            Self::Pending => "pending",
            Self::Sequenced => "sequenced",
            Self::SlotEnding => "slot-ending",
            Self::Included => "included",
            Self::Finalized => "finalized",
        }
    }

    /// The client's reason code of a status at this level that never went down.
    pub fn code(self) -> &'static str {
        match self {
            Self::Reverted => "REVERTED",
            Self::Pending => "NOT_CERTIFIED",
            Self::Sequenced => "SEQUENCER_CERTIFIED",
            Self::SlotEnding => "SLOT_ENDING",
            Self::Included => "COMMITTED_ON_L1",
            Self::Finalized => "L1_FINALIZED",
        }
    }

    /// What the level means, in words (the client's `reason` text).
    pub fn description(self) -> &'static str {
        match self {
            Self::Reverted => "reverted",
            Self::Pending => "known but not certified into the preferred chain (yet)",
            Self::Sequenced => "certified by the sequencer, on the preferred chain",
            Self::SlotEnding => "ancestor-or-self of a slot-ending block that matches L1",
            Self::Included => "on the committed chain of the verified L1 chain",
            Self::Finalized => "committed at or before the verified L1 finalized checkpoint",
        }
    }

    /// The JSON-RPC block tag this level corresponds to, if any.
    pub fn block_tag(self) -> Option<&'static str> {
        match self {
            Self::Finalized => Some("finalized"),
            Self::Included => Some("safe"),
            Self::Sequenced | Self::SlotEnding => Some("latest"),
            Self::Pending => Some("pending"),
            Self::Reverted => None,
        }
    }

    /// EIP-5792 `wallet_getCallsStatus` code for a call batch at this level.
    pub fn eip5792_status(self) -> u16 {
        match self {
            Self::Pending | Self::Sequenced | Self::SlotEnding => EIP5792_PENDING,
            Self::Included | Self::Finalized => EIP5792_CONFIRMED,
            Self::Reverted => EIP5792_OFFCHAIN_FAILURE,
        }
    }

    /// OASIS L2 transaction status name.
    pub fn oasis_status(self) -> &'static str {
        match self {
            Self::Pending => "L2 Pending",
            Self::Sequenced => "L2 Confirmed",
            Self::SlotEnding => "L2 Included, L1 Pending",
            Self::Included => "L2 Included, L1 Included",
            Self::Finalized => "L2 Finalized, L1 Finalized",
            Self::Reverted => "L2 Dropped",
        }
    }
}

/// EIP-5792: batch received, not completed on chain.
pub const EIP5792_PENDING: u16 = 100;
/// EIP-5792: included on chain without reverts.
pub const EIP5792_CONFIRMED: u16 = 200;
/// EIP-5792: not included on chain, will not be retried.
pub const EIP5792_OFFCHAIN_FAILURE: u16 = 400;
/// EIP-5792: reverted completely on chain.
pub const EIP5792_CHAIN_RULES_FAILURE: u16 = 500;
/// EIP-5792: reverted partially on chain.
pub const EIP5792_PARTIAL_CHAIN_RULES_FAILURE: u16 = 600;

/// Why a level went down. New reasons are new variants (serialized in camelCase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Reason {
    /// An L1 block carrying (an ancestor's) commitment left the canonical chain.
    L1Reorg,
    /// A based block's slot passed without its inclusion.
    MissedSlot,
    /// The L1 block of the slot does not build on the L1 parent the block named.
    L1ParentMismatch,
    /// Based mode invalidated uncommitted certified blocks.
    BasedModeSwitch,
    /// The sequencer certified a competing block.
    Equivocation,
    /// A competing block at this height was committed.
    Superseded,
    /// An L1 leg of an action failed on chain.
    L1LegFailed,
}

impl Reason {
    /// The client's reason code (`L1_REORG`, …).
    pub fn code(self) -> &'static str {
        match self {
            Self::L1Reorg => "L1_REORG",
            Self::MissedSlot => "MISSED_SLOT",
            Self::L1ParentMismatch => "L1_PARENT_MISMATCH",
            Self::BasedModeSwitch => "BASED_MODE_SWITCH",
            Self::Equivocation => "EQUIVOCATION",
            Self::Superseded => "SUPERSEDED",
            Self::L1LegFailed => "L1_LEG_FAILED",
        }
    }

    /// Every reason.
    pub const ALL: [Self; 7] = [
        Self::L1Reorg,
        Self::MissedSlot,
        Self::L1ParentMismatch,
        Self::BasedModeSwitch,
        Self::Equivocation,
        Self::Superseded,
        Self::L1LegFailed,
    ];
}

/// Something that can still revert an item at its current level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RevertRisk {
    /// The sequencer certifies a competing block.
    Equivocation,
    /// An L1 reorg removes the commitment of this block or of an ancestor.
    L1Reorg,
    /// Based mode starts before this block is committed.
    BasedModeSwitch,
    /// A based block's slot passes without inclusion.
    MissedSlot,
    /// The L1 block of the slot builds on another parent.
    L1ParentMismatch,
    /// Only an L1 finality failure.
    L1FinalityFailure,
}

impl RevertRisk {
    /// The client's code of the risk (`L1_REORG`, …).
    pub fn code(self) -> &'static str {
        match self {
            Self::Equivocation => "EQUIVOCATION",
            Self::L1Reorg => "L1_REORG",
            Self::BasedModeSwitch => "BASED_MODE_SWITCH",
            Self::MissedSlot => "MISSED_SLOT",
            Self::L1ParentMismatch => "L1_PARENT_MISMATCH",
            Self::L1FinalityFailure => "L1_FINALITY_FAILURE",
        }
    }

    /// Every risk.
    pub const ALL: [Self; 6] = [
        Self::Equivocation,
        Self::L1Reorg,
        Self::BasedModeSwitch,
        Self::MissedSlot,
        Self::L1ParentMismatch,
        Self::L1FinalityFailure,
    ];
}
