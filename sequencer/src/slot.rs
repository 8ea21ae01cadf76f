//! Where a block stands in its L1 slot, and the slot-ending rules
//! (PROTOCOL.md section 3).
//!
//! The header does not say whether a block ended its slot under the N-th
//! block rule, nor how many certified blocks of the slot precede it, so the
//! SDK carries that with each block it builds: a [`SlotState`]. The next
//! block's kind and state follow from its parent's state alone, which keeps
//! forks (reorgs, twins) as easy as a straight chain.

use preconf_light::rollup::{BlockKind, SlotEndingRule};

use crate::SequencerError;

/// Where a block stands in its slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotState {
    /// The block's L1 slot.
    pub l1_slot: u64,
    /// Consecutive certified blocks of `l1_slot` up to and including this block.
    pub certified_in_slot: u32,
    /// This block ended its slot: it is slot-ending (marker or N-th rule) or
    /// based. A certified child must start a later slot.
    pub ended: bool,
}

impl SlotState {
    /// The state of an anchor (genesis or the committed head) of kind `kind`
    /// at `l1_slot`. An anchor whose slot-ending status the caller does not
    /// know should be passed as ended: certified children then start a later slot.
    pub fn anchor(l1_slot: u64, ended: bool) -> Self {
        Self {
            l1_slot,
            certified_in_slot: 0,
            ended,
        }
    }
}

/// The kind and slot state of the next certified block on `parent`, in
/// `l1_slot`, asked to end the slot or not.
///
/// Marker rule: `end_slot` gives `kind = 1`. N-th block rule: `kind` is
/// always 0 and the N-th certified block of the slot ends it, so `end_slot`
/// must be true exactly for that block.
///
/// # Errors
/// [`SequencerError::SlotBackwards`]; [`SequencerError::SlotEnded`] for a
/// certified block on a parent that ended this same slot;
/// [`SequencerError::NthRule`] for an `end_slot` the N-th rule contradicts.
pub fn next_certified(
    rule: SlotEndingRule,
    parent: &SlotState,
    l1_slot: u64,
    end_slot: bool,
) -> Result<(BlockKind, SlotState), SequencerError> {
    if l1_slot < parent.l1_slot {
        return Err(SequencerError::SlotBackwards {
            slot: l1_slot,
            parent: parent.l1_slot,
        });
    }
    let same_slot = l1_slot == parent.l1_slot;
    if same_slot && parent.ended {
        return Err(SequencerError::SlotEnded(l1_slot));
    }
    let position = if same_slot {
        parent.certified_in_slot.saturating_add(1)
    } else {
        1
    };
    let kind = match rule {
        SlotEndingRule::Marker if end_slot => BlockKind::SlotEnding,
        SlotEndingRule::Marker => BlockKind::Sequenced,
        SlotEndingRule::NthBlock(n) => {
            if end_slot != (position == n) {
                return Err(SequencerError::NthRule {
                    n,
                    position,
                    what: if end_slot {
                        "end the slot"
                    } else {
                        "continue the slot"
                    },
                });
            }
            BlockKind::Sequenced
        }
    };
    Ok((
        kind,
        SlotState {
            l1_slot,
            certified_in_slot: position,
            ended: end_slot,
        },
    ))
}

/// Section 5's stall rule: the L1 block of `l1_slot` finds the rollup in based
/// mode when more than `stall_limit_slots` slots passed since the L1 block
/// that carried the last commitment.
pub fn in_based_mode(l1_slot: u64, last_commit_slot: u64, stall_limit_slots: u64) -> bool {
    l1_slot > last_commit_slot.saturating_add(stall_limit_slots)
}
