//! The SDK's typed errors.

use alloy_primitives::B256;
use preconf_light::rollup::RollupError;

/// Why the SDK refused to sign or build something.
///
/// Every refusal names the protocol rule (docs/PROTOCOL.md) that the result
/// would have broken: the SDK never produces a message the core's verifier
/// would reject for a reason the SDK can see locally.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SequencerError {
    /// A secret key that is not a valid scalar (zero, or not below the curve order).
    #[error("invalid secret key")]
    InvalidKey,
    /// The committee cannot be announced: no members, a zero weight or a bad public key.
    #[error("invalid committee: {0}")]
    InvalidCommittee(&'static str),
    /// A member index outside the committee.
    #[error("member {0} is not in the committee")]
    UnknownMember(usize),
    /// A member's signature does not verify over the block's committee message.
    #[error("member {0} signed something else")]
    BadMemberSignature(usize),
    /// A member's signature was already added.
    #[error("member {0} already signed")]
    DuplicateMember(usize),
    /// The signers hold less than 2/3 of the weight (section 2.2).
    #[error("signed weight {signed} of {total} is below 2/3")]
    BelowThreshold {
        /// Weight of the members that signed.
        signed: u128,
        /// Total weight.
        total: u128,
    },
    /// The block's L1 slot is before its parent's (section 1).
    #[error("L1 slot {slot} is before the parent's {parent}")]
    SlotBackwards {
        /// The block's slot.
        slot: u64,
        /// The parent's slot.
        parent: u64,
    },
    /// The block's timestamp is before its parent's (section 1).
    #[error("timestamp {timestamp} is before the parent's {parent}")]
    TimestampBackwards {
        /// The block's timestamp.
        timestamp: u64,
        /// The parent's timestamp.
        parent: u64,
    },
    /// Gas used above the gas limit (section 1).
    #[error("gas used {used} above the gas limit {limit}")]
    GasAboveLimit {
        /// Gas used.
        used: u64,
        /// Gas limit.
        limit: u64,
    },
    /// A certified block on a slot-ending or based parent of the same slot (section 3).
    #[error("slot {0} has ended on this chain: a certified child must start a later slot")]
    SlotEnded(u64),
    /// Under the N-th block rule only the N-th certified block ends the slot (section 3).
    #[error("under the N-th block rule (N = {n}) block {position} of the slot cannot {what}")]
    NthRule {
        /// N.
        n: u32,
        /// 1-based position of the block in its slot.
        position: u32,
        /// "end the slot" or "continue the slot".
        what: &'static str,
    },
    /// A based block's parent is neither the slot-ending block nor a based
    /// block of its slot (section 4 rules 1-2).
    #[error(
        "a based block of slot {slot} needs a slot-ending or based parent of that slot (parent slot {parent_slot})"
    )]
    BasedParent {
        /// The based block's slot.
        slot: u64,
        /// The parent's slot.
        parent_slot: u64,
    },
    /// A based block's L1 parent differs from its slot-ending parent's (section 4 rule 1).
    #[error("the based block names another L1 parent than its parent")]
    L1ParentMismatch,
    /// A based block on the committed head outside based mode (section 5).
    #[error(
        "slot {slot} is not in based mode (last commitment at slot {last_commit_slot}, K = {stall_limit_slots})"
    )]
    NotBasedMode {
        /// The based block's slot.
        slot: u64,
        /// Slot of the last commitment.
        last_commit_slot: u64,
        /// K.
        stall_limit_slots: u64,
    },
    /// A based-block kind passed to a certifier, or a certified kind to the based builder.
    #[error("wrong block kind for this builder")]
    WrongKind,
    /// The block's parent hash is not the given parent.
    #[error("parent mismatch: block names {0}")]
    ParentMismatch(B256),
    /// An encoding the core refused (for example a bitfield over `u16::MAX` bytes).
    #[error("encoding: {0}")]
    Encoding(#[from] RollupError),
}
