//! The chain view: the tree of L2 blocks, the canonical L1 chain the light
//! client follows, and the committed L2 chain derived from the inbox logs of
//! that L1 chain.
//!
//! Derivation is a fold over canonical L1 blocks (PROTOCOL.md section 5): the
//! state after each L1 block is kept, so an L1 reorg truncates to the fork
//! point and re-folds only the new blocks. The fold stops at the first L1
//! block whose logs, or whose committed L2 headers, are not known yet: the
//! view never claims an inclusion it cannot check.

mod derive;
mod verify;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use alloy_primitives::B256;
use serde::Serialize;

use super::RollupError;
use super::certificate::{Certificate, CommitteeKeys};
use super::config::{RollupConfig, SequencerAuth};
use super::feed::EquivocationEvidence;
use super::header::{BlockKind, L2Header};
use super::l1::{InboxEvent, L1Block};
use crate::Verified;

/// The trusted starting point: an L2 block committed by a finalized L1 block.
///
/// Built by the L1 adapter (`crate::confidence::l1_adapter`) from the
/// inbox's committed-head storage word proven at a finalized L1 block, or at
/// the rollup's genesis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupAnchor {
    /// The finalized L1 block.
    pub l1_block: L1Block,
    /// The L2 header committed as of that block.
    pub l2_header: L2Header,
    /// Slot of the L1 block that carried the last commitment (for the stall rule).
    pub last_commit_slot: u64,
}

/// A block whose certificate (or based-block rules) and body were checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedBlock {
    /// Header.
    pub header: L2Header,
    /// `keccak(rlp(header))`.
    pub hash: B256,
    /// Decoded kind.
    pub kind: BlockKind,
    /// Certificate as received.
    pub certificate: Certificate,
    /// Transaction hashes, in order.
    pub tx_hashes: Vec<B256>,
}

/// A pending forced-inclusion request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForcedRequest {
    /// L2 transaction hash.
    pub tx_hash: B256,
    /// It must be committed by an L1 block of a slot `<= deadline_slot`.
    pub deadline_slot: u64,
    /// Slot of the L1 block that carried the request.
    pub requested_slot: u64,
}

/// Why a commitment log was not accepted (serialized by variant name, e.g.
/// `"PrevMismatch"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RejectReason {
    /// `prevCommitted` is not the committed head.
    PrevMismatch,
    /// The logged number is wrong or the block does not extend the committed head.
    NotDescendant,
    /// A based block in the segment breaks the based-block rules for this slot.
    BasedRule,
    /// A certified block was committed during based mode.
    BasedMode,
    /// A certified block of a later slot than the committing L1 block.
    FutureSlot,
    /// A forced transaction past its deadline is missing.
    ForcedInclusionSkipped,
}

impl RejectReason {
    /// Every reason.
    pub const ALL: [Self; 6] = [
        Self::PrevMismatch,
        Self::NotDescendant,
        Self::BasedRule,
        Self::BasedMode,
        Self::FutureSlot,
        Self::ForcedInclusionSkipped,
    ];
}

/// A commitment log the derivation rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedCommitment {
    /// Beacon root of the L1 block carrying the log.
    pub l1_beacon_root: B256,
    /// The committed L2 hash.
    pub l2_hash: B256,
    /// Why.
    pub reason: RejectReason,
}

/// An L2 block held by the view.
#[derive(Debug, Clone)]
pub struct L2Node {
    header: L2Header,
    kind: BlockKind,
    certificate: Certificate,
    /// Effective slot-ending block (marker or N-th rule).
    slot_ending: bool,
    nth_in_slot: u32,
    children: Vec<B256>,
    tx_hashes: Vec<B256>,
}

impl L2Node {
    /// Its header.
    pub fn header(&self) -> &L2Header {
        &self.header
    }

    /// Its kind.
    pub fn kind(&self) -> BlockKind {
        self.kind
    }

    /// Whether it is a slot-ending block (by marker or by the N-th block rule).
    pub fn is_slot_ending(&self) -> bool {
        self.slot_ending
    }

    /// Its transaction hashes, in order.
    pub fn tx_hashes(&self) -> &[B256] {
        &self.tx_hashes
    }

    fn certified(&self) -> bool {
        self.kind != BlockKind::Based
    }
}

#[derive(Debug, Clone)]
struct L1Node {
    block: L1Block,
    events: Option<Vec<InboxEvent>>,
}

/// Derivation state after one canonical L1 block.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Derived {
    committed_hash: B256,
    committed_number: u64,
    last_commit_slot: u64,
    based_mode_since: Option<u64>,
    forced: Vec<ForcedRequest>,
}

#[derive(Debug, Clone, Copy)]
struct CommitEntry {
    hash: B256,
    /// Position in the canonical L1 chain of the committing block.
    l1_pos: usize,
}

/// What changed since the engine last drained the view ([`ChainView::take_delta`]).
#[derive(Debug, Default, Clone)]
pub(crate) struct Delta {
    /// Hashes that joined or left the committed chain.
    pub(crate) commit_changed: Vec<B256>,
    /// An L1 reorg happened.
    pub(crate) reorg: bool,
    /// Newly ingested L2 blocks.
    pub(crate) new_blocks: Vec<B256>,
    /// Rejected commitments seen while deriving.
    pub(crate) rejected: Vec<RejectedCommitment>,
    /// New equivocation evidence.
    pub(crate) equivocations: Vec<EquivocationEvidence>,
}

/// The tree of L2 blocks, the canonical L1 chain and the derived committed chain.
#[derive(Debug, Clone)]
pub struct ChainView {
    config: RollupConfig,
    anchor_number: u64,
    /// The highest height held (heights are held contiguously from the
    /// anchor: a block is only added after its parent).
    highest_number: u64,
    blocks: HashMap<B256, L2Node>,
    by_number: HashMap<u64, Vec<B256>>,
    l1: HashMap<B256, L1Node>,
    canon: Vec<B256>,
    canon_pos: HashMap<B256, usize>,
    canon_by_slot: BTreeMap<u64, usize>,
    derived: Vec<Derived>,
    committed: Vec<CommitEntry>,
    finalized_pos: usize,
    committees: Vec<Verified<CommitteeKeys>>,
    evidence: Vec<EquivocationEvidence>,
    certified_at: HashMap<u64, B256>,
    slot_ending_at: HashMap<u64, B256>,
    equivocation_heights: BTreeSet<u64>,
    awaiting: Option<B256>,
    delta: Delta,
}

impl ChainView {
    /// Starts from a trusted anchor.
    ///
    /// # Errors
    /// [`RollupError::InvalidConfig`] for a bad config;
    /// [`RollupError::WrongChainId`] if the anchor is of another chain.
    pub fn new(config: RollupConfig, anchor: Verified<RollupAnchor>) -> Result<Self, RollupError> {
        config.validate()?;
        let anchor = anchor.into_inner();
        if anchor.l2_header.chain_id != config.chain_id {
            return Err(RollupError::WrongChainId {
                expected: config.chain_id,
                got: anchor.l2_header.chain_id,
            });
        }
        let kind = anchor.l2_header.block_kind()?;
        let hash = anchor.l2_header.hash();
        let number = anchor.l2_header.number;
        let mut committees = Vec::new();
        if let SequencerAuth::Committee(c) = &config.sequencer {
            committees.push(c.clone());
        }
        let root = anchor.l1_block.beacon_root;
        let mut view = Self {
            anchor_number: number,
            highest_number: number,
            blocks: HashMap::new(),
            by_number: HashMap::new(),
            l1: HashMap::new(),
            canon: vec![root],
            canon_pos: HashMap::from([(root, 0)]),
            canon_by_slot: BTreeMap::from([(anchor.l1_block.slot, 0)]),
            derived: vec![Derived {
                committed_hash: hash,
                committed_number: number,
                last_commit_slot: anchor.last_commit_slot,
                based_mode_since: None,
                forced: Vec::new(),
            }],
            committed: vec![CommitEntry { hash, l1_pos: 0 }],
            finalized_pos: 0,
            committees,
            evidence: Vec::new(),
            certified_at: HashMap::new(),
            slot_ending_at: HashMap::new(),
            equivocation_heights: BTreeSet::new(),
            awaiting: None,
            delta: Delta::default(),
            config,
        };
        view.l1.insert(
            root,
            L1Node {
                block: anchor.l1_block,
                events: Some(Vec::new()),
            },
        );
        view.blocks.insert(
            hash,
            L2Node {
                header: anchor.l2_header,
                kind,
                certificate: Certificate::None,
                slot_ending: kind == BlockKind::SlotEnding,
                nth_in_slot: 0,
                children: Vec::new(),
                tx_hashes: Vec::new(),
            },
        );
        view.by_number.insert(number, vec![hash]);
        Ok(view)
    }

    /// The config.
    pub fn config(&self) -> &RollupConfig {
        &self.config
    }

    /// Adds a committee announced (and proven) on L1.
    pub fn add_committee(&mut self, committee: Verified<CommitteeKeys>) {
        self.committees.retain(|c| c.id != committee.id);
        self.committees.push(committee);
    }

    fn committee_for(&self, slot: u64) -> Option<&CommitteeKeys> {
        self.committees
            .iter()
            .filter(|c| c.activation_l1_slot <= slot)
            .max_by_key(|c| c.activation_l1_slot)
            .map(|c| &**c)
    }

    /// An L2 block the view holds.
    pub fn node(&self, hash: &B256) -> Option<&L2Node> {
        self.blocks.get(hash)
    }

    /// Takes what changed since the last call (the engine re-evaluates from it).
    pub(crate) fn take_delta(&mut self) -> Delta {
        core::mem::take(&mut self.delta)
    }

    /// Whether two certified blocks were seen at height `number`.
    pub fn is_equivocation_height(&self, number: u64) -> bool {
        self.equivocation_heights.contains(&number)
    }

    /// The committed L2 head's number at the derivation tip.
    pub fn committed_number(&self) -> u64 {
        self.tip().committed_number
    }

    /// Slot of the L1 block that carried the last accepted commitment.
    pub fn last_commit_slot(&self) -> u64 {
        self.tip().last_commit_slot
    }

    /// Forced-inclusion requests not yet committed, at the derivation tip.
    pub fn forced_due(&self) -> &[ForcedRequest] {
        &self.tip().forced
    }

    /// The current derivation state (after the last derivable canonical L1 block).
    fn tip(&self) -> &Derived {
        // `derived` always holds the anchor state.
        self.derived
            .last()
            .unwrap_or_else(|| unreachable!("derived never empty"))
    }

    /// Canonical L1 block at a position.
    fn canon_block(&self, pos: usize) -> Option<&L1Block> {
        self.canon
            .get(pos)
            .and_then(|r| self.l1.get(r))
            .map(|n| &n.block)
    }

    /// The canonical L1 head.
    pub fn l1_head(&self) -> Option<&L1Block> {
        self.canon_block(self.canon.len().saturating_sub(1))
    }

    /// Slot of the last canonical L1 block the derivation has processed.
    pub fn derived_slot(&self) -> u64 {
        self.canon_block(self.derived.len().saturating_sub(1))
            .map_or(0, |b| b.slot)
    }

    /// The canonical L1 block at exactly `slot`.
    pub fn l1_at_slot(&self, slot: u64) -> Option<&L1Block> {
        self.canon_by_slot
            .get(&slot)
            .and_then(|p| self.canon_block(*p))
    }

    /// The latest canonical L1 block with a slot strictly below `slot`.
    pub fn l1_before_slot(&self, slot: u64) -> Option<&L1Block> {
        self.canon_by_slot
            .range(..slot)
            .next_back()
            .and_then(|(_, p)| self.canon_block(*p))
    }

    /// Canonical L1 block slot at a canon position.
    fn slot_at_pos(&self, pos: usize) -> u64 {
        self.canon_block(pos).map_or(0, |b| b.slot)
    }

    /// Slot of an L1 block if it is on the canonical chain.
    pub fn canonical_slot_of(&self, root: &B256) -> Option<u64> {
        self.canon_pos.get(root).map(|p| self.slot_at_pos(*p))
    }

    /// Slot of the finalized checkpoint block (the anchor's before any).
    pub fn finalized_slot(&self) -> u64 {
        self.slot_at_pos(self.finalized_pos)
    }

    /// Whether an L1 block is canonical and at or before the finalized checkpoint.
    pub fn is_finalized_root(&self, root: &B256) -> bool {
        self.canon_pos
            .get(root)
            .is_some_and(|p| *p <= self.finalized_pos)
    }

    /// The committed entry at an L2 number, if any.
    fn committed_at(&self, number: u64) -> Option<&CommitEntry> {
        let i = usize::try_from(number.checked_sub(self.anchor_number)?).ok()?;
        self.committed.get(i)
    }

    /// The hash committed at L2 height `number`, if any.
    pub fn committed_hash_at(&self, number: u64) -> Option<B256> {
        self.committed_at(number).map(|e| e.hash)
    }

    /// The canonical L1 block that committed L2 height `number`, if any.
    pub fn committing_l1_block(&self, number: u64) -> Option<&L1Block> {
        self.committed_at(number)
            .and_then(|e| self.canon_block(e.l1_pos))
    }

    /// The committed number as of the finalized L1 checkpoint.
    pub fn finalized_number(&self) -> u64 {
        let pos = self.finalized_pos.min(self.derived.len().saturating_sub(1));
        self.derived
            .get(pos)
            .map_or(self.anchor_number, |d| d.committed_number)
    }

    /// The heights `(from, to)` a block at height `number` whose parent is
    /// not held waits for: those above the highest held height. `None` when
    /// a block at `number - 1` is held (the parent is another block at that
    /// height: fetch it by hash) or `number` is at or below the anchor (it
    /// can never connect). Heights are held contiguously from the anchor, so
    /// nothing the anchor proves, or the view holds, is asked for again.
    pub fn missing_below(&self, number: u64) -> Option<(u64, u64)> {
        let from = self.highest_number.checked_add(1)?;
        let to = number.checked_sub(1)?;
        (from <= to).then_some((from, to))
    }

    /// The anchor's height.
    pub fn anchor_number(&self) -> u64 {
        self.anchor_number
    }

    /// An L2 header the derivation waits for (a committed hash not yet known).
    pub fn awaiting_header(&self) -> Option<B256> {
        self.awaiting
    }

    /// All equivocation evidence seen.
    pub fn equivocations(&self) -> &[EquivocationEvidence] {
        &self.evidence
    }

    /// Whether based mode is active at the derivation tip.
    pub fn based_mode(&self) -> bool {
        self.tip().based_mode_since.is_some()
    }

    /// The hash at L2 height `number` on the best chain: the committed chain,
    /// then the preferred uncommitted suffix; `None` past both or at a fork.
    pub fn best_hash_at(&self, number: u64) -> Option<B256> {
        if let Some(entry) = self.committed_at(number) {
            return Some(entry.hash);
        }
        self.preferred_suffix().into_iter().find(|h| {
            self.blocks
                .get(h)
                .is_some_and(|n| n.header.number == number)
        })
    }

    /// The preferred uncommitted chain: the unique certified extension of the
    /// committed head, stopping at a fork (equivocation) or in based mode.
    pub fn preferred_suffix(&self) -> Vec<B256> {
        let tip = self.tip();
        let mut out = Vec::new();
        if tip.based_mode_since.is_some() {
            return out;
        }
        let mut cur = tip.committed_hash;
        while let Some(node) = self.blocks.get(&cur) {
            let mut certified = node
                .children
                .iter()
                .filter(|c| self.blocks.get(*c).is_some_and(L2Node::certified));
            let (Some(only), None) = (certified.next(), certified.next()) else {
                break;
            };
            out.push(*only);
            cur = *only;
        }
        out
    }
}
