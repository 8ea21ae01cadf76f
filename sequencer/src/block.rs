//! Building L2 blocks and sealing them into feed messages (PROTOCOL.md
//! sections 1, 3, 4, 7).
//!
//! ```text
//!  execute the transactions on the parent's state (the operator's EVM)
//!      └─► Body { transactions, stateRoot, receiptsRoot, gasUsed, gasLimit, baseFee }
//!  Sequencer::certify_next(&parent, SlotContext, end_slot, body)
//!      kind from the slot rule ─► L2Header (section 1 links checked) ─► hash
//!      ─► Certifier (ECDSA key or BLS committee) ─► FeedMessage + Tip
//!  build_based(chain_id, &parent, BasedOn::.., SlotContext, body)
//!      section 4 parent rules checked ─► FeedMessage (no certificate) + Tip
//! ```

use alloy_primitives::{B256, Bytes};
use preconf_light::rollup::header::transactions_root;
use preconf_light::rollup::{
    BlockKind, Certificate, FeedMessage, L2Block, L2Header, SlotEndingRule,
};

use crate::slot::{SlotState, in_based_mode, next_certified};
use crate::{Certifier, SequencerError};

/// The L1 block a slot's L2 blocks build on: the head before the slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct L1Parent {
    /// Its beacon block root.
    pub beacon_root: B256,
    /// Its execution block hash.
    pub block_hash: B256,
}

/// The slot a block belongs to and its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotContext {
    /// L1 slot.
    pub l1_slot: u64,
    /// The L1 parent the L1 block of `l1_slot` must build on.
    pub l1_parent: L1Parent,
    /// Unix seconds (not before the parent's).
    pub timestamp: u64,
}

/// What executing the block's transactions produced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    /// EIP-2718 encoded transactions, in order.
    pub transactions: Vec<Bytes>,
    /// State root after the block.
    pub state_root: B256,
    /// Receipts root.
    pub receipts_root: B256,
    /// Gas used.
    pub gas_used: u64,
    /// Gas limit.
    pub gas_limit: u64,
    /// Base fee per gas.
    pub base_fee_per_gas: u64,
}

/// A block the SDK built, to build on: its header and where it stands in its slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tip {
    /// Header.
    pub header: L2Header,
    /// Its slot state.
    pub slot: SlotState,
}

impl Tip {
    /// An anchor to build on (genesis, or a committed head read from L1):
    /// `ended` says whether it ended its slot (slot-ending or based).
    pub fn anchor(header: L2Header, ended: bool) -> Self {
        let slot = SlotState::anchor(header.l1_slot, ended);
        Self { header, slot }
    }

    /// The block hash.
    pub fn hash(&self) -> B256 {
        self.header.hash()
    }
}

/// A built block: the feed message to publish, its hash, and the tip to build on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The feed message (section 7).
    pub message: FeedMessage,
    /// `keccak(rlp(header))`.
    pub hash: B256,
    /// The block as a parent for the next one.
    pub tip: Tip,
}

/// The header of a child of `parent` (section 1 structural rules checked).
///
/// # Errors
/// [`SequencerError::SlotBackwards`], [`SequencerError::TimestampBackwards`]
/// or [`SequencerError::GasAboveLimit`].
pub fn child_header(
    parent: &L2Header,
    kind: BlockKind,
    slot: &SlotContext,
    body: &Body,
) -> Result<L2Header, SequencerError> {
    if slot.l1_slot < parent.l1_slot {
        return Err(SequencerError::SlotBackwards {
            slot: slot.l1_slot,
            parent: parent.l1_slot,
        });
    }
    if slot.timestamp < parent.timestamp {
        return Err(SequencerError::TimestampBackwards {
            timestamp: slot.timestamp,
            parent: parent.timestamp,
        });
    }
    if body.gas_used > body.gas_limit {
        return Err(SequencerError::GasAboveLimit {
            used: body.gas_used,
            limit: body.gas_limit,
        });
    }
    Ok(L2Header {
        chain_id: parent.chain_id,
        number: parent.number.saturating_add(1),
        parent_hash: parent.hash(),
        kind: kind.to_byte(),
        l1_slot: slot.l1_slot,
        l1_parent_beacon_root: slot.l1_parent.beacon_root,
        l1_parent_block_hash: slot.l1_parent.block_hash,
        timestamp: slot.timestamp,
        state_root: body.state_root,
        transactions_root: transactions_root(&body.transactions),
        receipts_root: body.receipts_root,
        gas_limit: body.gas_limit,
        gas_used: body.gas_used,
        base_fee_per_gas: body.base_fee_per_gas,
    })
}

/// The sequencer: certifies the blocks it builds with its key or committee.
#[derive(Debug, Clone)]
pub struct Sequencer<C> {
    chain_id: u64,
    rule: SlotEndingRule,
    certifier: C,
}

impl<C: Certifier> Sequencer<C> {
    /// A sequencer for rollup `chain_id` with slot-ending rule `rule`.
    pub fn new(chain_id: u64, rule: SlotEndingRule, certifier: C) -> Self {
        Self {
            chain_id,
            rule,
            certifier,
        }
    }

    /// The rollup's chain id.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The slot-ending rule.
    pub fn rule(&self) -> SlotEndingRule {
        self.rule
    }

    /// The certifier (key or committee).
    pub fn certifier(&self) -> &C {
        &self.certifier
    }

    /// Builds and certifies the next block on `parent`; `end_slot` makes it
    /// the slot-ending block of `slot.l1_slot` (section 3).
    ///
    /// # Errors
    /// The slot rules of [`crate::slot::next_certified`], the structural rules
    /// of [`child_header`], or the certifier's error.
    pub fn certify_next(
        &self,
        parent: &Tip,
        slot: SlotContext,
        end_slot: bool,
        body: Body,
    ) -> Result<Sealed, SequencerError> {
        let (kind, state) = next_certified(self.rule, &parent.slot, slot.l1_slot, end_slot)?;
        let header = child_header(&parent.header, kind, &slot, &body)?;
        self.seal(
            L2Block {
                header,
                transactions: body.transactions,
            },
            state,
        )
    }

    /// Certifies a block built elsewhere (its header complete) whose slot
    /// state the caller computed with [`crate::slot::next_certified`].
    ///
    /// # Errors
    /// [`SequencerError::WrongKind`] for a based block (it carries no
    /// certificate), or the certifier's error.
    pub fn seal(&self, block: L2Block, state: SlotState) -> Result<Sealed, SequencerError> {
        match block.header.block_kind()? {
            BlockKind::Based => return Err(SequencerError::WrongKind),
            BlockKind::SlotEnding if self.rule != SlotEndingRule::Marker => {
                return Err(SequencerError::WrongKind);
            }
            _ => {}
        }
        let hash = block.header.hash();
        let certificate = self.certifier.certify(self.chain_id, hash)?;
        Ok(Sealed {
            tip: Tip {
                header: block.header.clone(),
                slot: state,
            },
            message: FeedMessage { block, certificate },
            hash,
        })
    }
}

/// What a based block builds on (section 4 rule 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BasedOn {
    /// The slot-ending block of the slot, or a based block of the slot, with
    /// the same L1 parent.
    SlotEnd,
    /// The committed head, in based mode (section 5): the L1 block of the
    /// slot comes more than `stall_limit_slots` after the last commitment.
    CommittedHead {
        /// Slot of the L1 block that carried the last commitment.
        last_commit_slot: u64,
        /// K.
        stall_limit_slots: u64,
    },
}

/// Builds a based block (kind 2, no certificate) on `parent`. Anyone may:
/// its authority is its inclusion by the L1 block of its slot.
///
/// # Errors
/// [`SequencerError::BasedParent`] or [`SequencerError::L1ParentMismatch`]
/// for a parent section 4 does not allow, [`SequencerError::NotBasedMode`]
/// for the committed head outside based mode, or [`child_header`]'s errors.
pub fn build_based(
    parent: &Tip,
    on: BasedOn,
    slot: SlotContext,
    body: Body,
) -> Result<Sealed, SequencerError> {
    match on {
        BasedOn::SlotEnd => {
            if !parent.slot.ended || parent.slot.l1_slot != slot.l1_slot {
                return Err(SequencerError::BasedParent {
                    slot: slot.l1_slot,
                    parent_slot: parent.slot.l1_slot,
                });
            }
            if parent.header.l1_parent_beacon_root != slot.l1_parent.beacon_root
                || parent.header.l1_parent_block_hash != slot.l1_parent.block_hash
            {
                return Err(SequencerError::L1ParentMismatch);
            }
        }
        BasedOn::CommittedHead {
            last_commit_slot,
            stall_limit_slots,
        } => {
            if !in_based_mode(slot.l1_slot, last_commit_slot, stall_limit_slots) {
                return Err(SequencerError::NotBasedMode {
                    slot: slot.l1_slot,
                    last_commit_slot,
                    stall_limit_slots,
                });
            }
        }
    }
    let header = child_header(&parent.header, BlockKind::Based, &slot, &body)?;
    let hash = header.hash();
    let state = SlotState {
        l1_slot: slot.l1_slot,
        certified_in_slot: if parent.slot.l1_slot == slot.l1_slot {
            parent.slot.certified_in_slot
        } else {
            0
        },
        ended: true,
    };
    Ok(Sealed {
        tip: Tip {
            header: header.clone(),
            slot: state,
        },
        message: FeedMessage {
            block: L2Block {
                header,
                transactions: body.transactions,
            },
            certificate: Certificate::None,
        },
        hash,
    })
}
