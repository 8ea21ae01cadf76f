//! The chain view: the tree of L2 blocks, the canonical L1 chain the light
//! client follows, and the committed L2 chain derived from the inbox logs of
//! that L1 chain.
//!
//! Derivation is a fold over canonical L1 blocks (PROTOCOL.md section 5): the
//! state after each L1 block is kept, so an L1 reorg truncates to the fork
//! point and re-folds only the new blocks. The fold stops at the first L1
//! block whose logs, or whose committed L2 headers, are not known yet: the
//! view never claims an inclusion it cannot check.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use alloy_primitives::B256;

use super::RollupError;
use super::certificate::{
    Certificate, CommitteeKeys, verify_committee_certificate, verify_ecdsa_certificate,
};
use super::config::{RollupConfig, SequencerAuth, SlotEndingRule};
use super::feed::{EquivocationEvidence, EquivocationKind, FeedMessage};
use super::header::{BlockKind, L2Header};
use super::l1::{InboxEvent, InboxLogs, L1Block, decode_inbox_log};
use crate::Verified;

/// The trusted starting point: an L2 block committed by a finalized L1 block.
///
/// Built by [`super::l1_verify::anchor_from_storage`] from the inbox's
/// committed-head storage word proven at a finalized L1 block, or by
/// [`super::l1_verify::anchor_from_genesis`].
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ForcedRequest {
    /// L2 transaction hash.
    pub tx_hash: B256,
    /// It must be committed by an L1 block of a slot `<= deadline_slot`.
    pub deadline_slot: u64,
    /// Slot of the L1 block that carried the request.
    pub requested_slot: u64,
}

/// Why a commitment log was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// A commitment log the derivation rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RejectedCommitment {
    /// Beacon root of the L1 block carrying the log.
    pub l1_beacon_root: B256,
    /// The committed L2 hash.
    pub l2_hash: B256,
    /// Why.
    pub reason: RejectReason,
}

#[derive(Debug, Clone)]
pub(crate) struct L2Node {
    pub(crate) header: L2Header,
    pub(crate) kind: BlockKind,
    pub(crate) certificate: Certificate,
    /// Effective slot-ending block (marker or N-th rule).
    pub(crate) slot_ending: bool,
    pub(crate) nth_in_slot: u32,
    pub(crate) children: Vec<B256>,
    pub(crate) tx_hashes: Vec<B256>,
}

impl L2Node {
    pub(crate) fn certified(&self) -> bool {
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
pub(crate) struct Derived {
    pub(crate) committed_hash: B256,
    pub(crate) committed_number: u64,
    pub(crate) last_commit_slot: u64,
    pub(crate) based_mode_since: Option<u64>,
    pub(crate) forced: Vec<ForcedRequest>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct CommitEntry {
    pub(crate) hash: B256,
    /// Position in the canonical L1 chain of the committing block.
    pub(crate) l1_pos: usize,
}

/// What changed since the engine last drained the view.
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
    pub(crate) config: RollupConfig,
    pub(crate) anchor_number: u64,
    pub(crate) blocks: HashMap<B256, L2Node>,
    pub(crate) by_number: HashMap<u64, Vec<B256>>,
    l1: HashMap<B256, L1Node>,
    canon: Vec<B256>,
    canon_pos: HashMap<B256, usize>,
    canon_by_slot: BTreeMap<u64, usize>,
    pub(crate) derived: Vec<Derived>,
    pub(crate) committed: Vec<CommitEntry>,
    pub(crate) finalized_pos: usize,
    committees: Vec<Verified<CommitteeKeys>>,
    pub(crate) evidence: Vec<EquivocationEvidence>,
    certified_at: HashMap<u64, B256>,
    slot_ending_at: HashMap<u64, B256>,
    pub(crate) equivocation_heights: BTreeSet<u64>,
    awaiting: Option<B256>,
    pub(crate) delta: Delta,
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

    pub(crate) fn node(&self, hash: &B256) -> Option<&L2Node> {
        self.blocks.get(hash)
    }

    /// The current derivation state (after the last derivable canonical L1 block).
    pub(crate) fn tip(&self) -> &Derived {
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
    pub(crate) fn derived_slot(&self) -> u64 {
        self.canon_block(self.derived.len().saturating_sub(1))
            .map_or(0, |b| b.slot)
    }

    /// The canonical L1 block at exactly `slot`.
    pub(crate) fn l1_at_slot(&self, slot: u64) -> Option<&L1Block> {
        self.canon_by_slot
            .get(&slot)
            .and_then(|p| self.canon_block(*p))
    }

    /// The latest canonical L1 block with a slot strictly below `slot`.
    pub(crate) fn l1_before_slot(&self, slot: u64) -> Option<&L1Block> {
        self.canon_by_slot
            .range(..slot)
            .next_back()
            .and_then(|(_, p)| self.canon_block(*p))
    }

    /// Canonical L1 block slot at a canon position.
    pub(crate) fn slot_at_pos(&self, pos: usize) -> u64 {
        self.canon_block(pos).map_or(0, |b| b.slot)
    }

    /// Slot of an L1 block if it is on the canonical chain.
    pub(crate) fn canonical_slot_of(&self, root: &B256) -> Option<u64> {
        self.canon_pos.get(root).map(|p| self.slot_at_pos(*p))
    }

    /// Whether an L1 block is canonical and at or before the finalized checkpoint.
    pub(crate) fn is_finalized_root(&self, root: &B256) -> bool {
        self.canon_pos
            .get(root)
            .is_some_and(|p| *p <= self.finalized_pos)
    }

    /// The committed entry at an L2 number, if any.
    pub(crate) fn committed_at(&self, number: u64) -> Option<&CommitEntry> {
        let i = usize::try_from(number.checked_sub(self.anchor_number)?).ok()?;
        self.committed.get(i)
    }

    /// The committed number as of the finalized L1 checkpoint.
    pub(crate) fn finalized_number(&self) -> u64 {
        let pos = self.finalized_pos.min(self.derived.len().saturating_sub(1));
        self.derived
            .get(pos)
            .map_or(self.anchor_number, |d| d.committed_number)
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

    /// Verifies a feed message against the config and the known parent.
    /// Never mutates.
    ///
    /// # Errors
    /// Any [`RollupError`] describing the first rule broken: chain id, kind,
    /// body, certificate, parent link, slot-ending or based-block rules.
    pub fn verify_block(&self, msg: FeedMessage) -> Result<Verified<CheckedBlock>, RollupError> {
        let FeedMessage { block, certificate } = msg;
        let header = &block.header;
        if header.chain_id != self.config.chain_id {
            return Err(RollupError::WrongChainId {
                expected: self.config.chain_id,
                got: header.chain_id,
            });
        }
        let kind = header.block_kind()?;
        block.check_body()?;
        let hash = header.hash();
        if self.blocks.contains_key(&hash) {
            return Err(RollupError::Duplicate(hash));
        }
        let parent = self
            .blocks
            .get(&header.parent_hash)
            .ok_or(RollupError::UnknownParent(header.parent_hash))?;
        if parent.header.number.checked_add(1) != Some(header.number) {
            return Err(RollupError::BadParentLink("number is not parent + 1"));
        }
        if header.l1_slot < parent.header.l1_slot {
            return Err(RollupError::BadParentLink("L1 slot goes backwards"));
        }
        if header.timestamp < parent.header.timestamp {
            return Err(RollupError::BadParentLink("timestamp goes backwards"));
        }
        if header.gas_used > header.gas_limit {
            return Err(RollupError::BadParentLink("gas used above gas limit"));
        }
        match kind {
            BlockKind::Based => {
                if certificate != Certificate::None {
                    return Err(RollupError::UnexpectedCertificate);
                }
                self.check_based_parent(header, &header.parent_hash, parent)?;
            }
            BlockKind::Sequenced | BlockKind::SlotEnding => {
                if kind == BlockKind::SlotEnding
                    && matches!(self.config.slot_ending, SlotEndingRule::NthBlock(_))
                {
                    return Err(RollupError::MarkerNotAllowed);
                }
                if (parent.slot_ending || parent.kind == BlockKind::Based)
                    && header.l1_slot <= parent.header.l1_slot
                {
                    return Err(RollupError::BadParentLink(
                        "a certified child of a slot-ending or based block must start a later slot",
                    ));
                }
                self.check_certificate(&certificate, header, hash)?;
            }
        }
        Ok(Verified::new_unchecked(CheckedBlock {
            tx_hashes: block.tx_hashes(),
            header: block.header,
            hash,
            kind,
            certificate,
        }))
    }

    fn check_based_parent(
        &self,
        header: &L2Header,
        parent_hash: &B256,
        parent: &L2Node,
    ) -> Result<(), RollupError> {
        // In based mode (or when this block's slot will start it: no
        // commitment can land before slot `l1_slot`), based blocks may extend
        // the committed head, whatever its kind.
        let tip = self.tip();
        let based_mode_at_slot = tip.based_mode_since.is_some()
            || header.l1_slot
                > tip
                    .last_commit_slot
                    .saturating_add(self.config.stall_limit_slots);
        if based_mode_at_slot && tip.committed_hash == *parent_hash {
            return Ok(());
        }
        let same_l1_parent = parent.header.l1_parent_beacon_root == header.l1_parent_beacon_root
            && parent.header.l1_parent_block_hash == header.l1_parent_block_hash;
        if parent.kind == BlockKind::Based || parent.slot_ending {
            if parent.header.l1_slot != header.l1_slot {
                return Err(RollupError::BasedWrongSlot {
                    block_slot: header.l1_slot,
                    parent_slot: parent.header.l1_slot,
                });
            }
            if !same_l1_parent {
                return Err(RollupError::L1ParentMismatch);
            }
            return Ok(());
        }
        Err(RollupError::BasedWrongParent)
    }

    fn check_certificate(
        &self,
        certificate: &Certificate,
        header: &L2Header,
        hash: B256,
    ) -> Result<(), RollupError> {
        match (&self.config.sequencer, certificate) {
            (_, Certificate::None) => Err(RollupError::MissingCertificate),
            (SequencerAuth::Key(addr), Certificate::Ecdsa(sig)) => {
                verify_ecdsa_certificate(sig, self.config.chain_id, hash, *addr)
            }
            (SequencerAuth::Committee(_), Certificate::Committee(cert)) => {
                let committee =
                    self.committee_for(header.l1_slot)
                        .ok_or(RollupError::WrongCommittee {
                            got: cert.committee_id,
                            slot: header.l1_slot,
                        })?;
                verify_committee_certificate(
                    committee,
                    cert,
                    self.config.chain_id,
                    hash,
                    header.l1_slot,
                )
            }
            _ => Err(RollupError::WrongCertificateKind),
        }
    }

    /// Adds a verified block to the tree; records equivocation evidence.
    pub(crate) fn insert_block(&mut self, block: Verified<CheckedBlock>) {
        let b = block.into_inner();
        let Some(parent) = self.blocks.get_mut(&b.header.parent_hash) else {
            return;
        };
        parent.children.push(b.hash);
        let certified = b.kind != BlockKind::Based;
        let nth = if certified && parent.certified() && parent.header.l1_slot == b.header.l1_slot {
            parent.nth_in_slot.saturating_add(1)
        } else if certified {
            1
        } else {
            0
        };
        let slot_ending = certified
            && match self.config.slot_ending {
                SlotEndingRule::Marker => b.kind == BlockKind::SlotEnding,
                SlotEndingRule::NthBlock(n) => nth == n,
            };
        let number = b.header.number;
        if certified {
            match self.certified_at.get(&number).copied() {
                Some(other) if self.is_live(other) => {
                    self.record_equivocation(EquivocationKind::SameHeight, other, &b);
                }
                _ => {
                    self.certified_at.insert(number, b.hash);
                }
            }
        }
        if slot_ending {
            match self.slot_ending_at.get(&b.header.l1_slot).copied() {
                Some(other) if self.is_live(other) => {
                    self.record_equivocation(EquivocationKind::SameSlotEnding, other, &b);
                }
                _ => {
                    self.slot_ending_at.insert(b.header.l1_slot, b.hash);
                }
            }
        }
        self.by_number.entry(number).or_default().push(b.hash);
        self.delta.new_blocks.push(b.hash);
        let hash = b.hash;
        self.blocks.insert(
            hash,
            L2Node {
                header: b.header,
                kind: b.kind,
                certificate: b.certificate,
                slot_ending,
                nth_in_slot: nth,
                children: Vec::new(),
                tx_hashes: b.tx_hashes,
            },
        );
        if self.awaiting == Some(hash) {
            self.derive_forward();
        }
    }

    /// Whether a block still extends (or is on) the committed chain, and is
    /// not a certified block invalidated by based mode. A re-certification
    /// at the height of a dead block is not equivocation.
    fn is_live(&self, hash: B256) -> bool {
        let tip = self.tip();
        let mut cur = hash;
        loop {
            let Some(n) = self.blocks.get(&cur) else {
                return false;
            };
            if n.header.number <= tip.committed_number {
                let on_chain = self
                    .committed_at(n.header.number)
                    .is_some_and(|e| e.hash == cur);
                return on_chain && (cur == hash || tip.based_mode_since.is_none());
            }
            if n.kind == BlockKind::Based {
                return false;
            }
            cur = n.header.parent_hash;
        }
    }

    fn record_equivocation(&mut self, kind: EquivocationKind, other: B256, b: &CheckedBlock) {
        let Some(a) = self.blocks.get(&other) else {
            return;
        };
        let ev = EquivocationEvidence {
            kind,
            header_a: a.header.clone(),
            certificate_a: a.certificate.clone(),
            header_b: b.header.clone(),
            certificate_b: b.certificate.clone(),
        };
        self.equivocation_heights
            .insert(a.header.number.min(b.header.number));
        self.evidence.push(ev.clone());
        self.delta.equivocations.push(ev);
    }

    /// Makes `block` the canonical L1 head (the light client's new head).
    ///
    /// # Errors
    /// [`RollupError::UnknownL1Parent`] if its parent is unknown;
    /// [`RollupError::L1Inconsistent`] if slot or execution parent disagree;
    /// [`RollupError::FinalityViolation`] if it reorgs the finalized block.
    pub(crate) fn ingest_l1_block(&mut self, block: Verified<L1Block>) -> Result<(), RollupError> {
        let block = block.into_inner();
        let root = block.beacon_root;
        if !self.l1.contains_key(&root) {
            let parent = self
                .l1
                .get(&block.parent_beacon_root)
                .ok_or(RollupError::UnknownL1Parent(block.parent_beacon_root))?;
            if block.slot <= parent.block.slot {
                return Err(RollupError::L1Inconsistent("slot not above parent slot"));
            }
            if block.parent_block_hash != parent.block.block_hash {
                return Err(RollupError::L1Inconsistent("execution parent hash"));
            }
        }
        // Find the fork point before mutating anything.
        let mut path = Vec::new();
        let mut cur = root;
        let mut next_block = Some(block);
        let fork = loop {
            if let Some(p) = self.canon_pos.get(&cur) {
                break *p;
            }
            let parent = match next_block.take() {
                Some(b) => b.parent_beacon_root,
                None => self
                    .l1
                    .get(&cur)
                    .map(|n| n.block.parent_beacon_root)
                    .ok_or(RollupError::UnknownL1Parent(cur))?,
            };
            path.push(cur);
            cur = parent;
        };
        if fork < self.finalized_pos {
            return Err(RollupError::FinalityViolation);
        }
        if path.is_empty() && fork.saturating_add(1) == self.canon.len() {
            return Ok(()); // already the head
        }
        self.l1.entry(root).or_insert(L1Node {
            block,
            events: None,
        });
        self.truncate_canon(fork);
        for r in path.into_iter().rev() {
            let slot = self.l1.get(&r).map_or(0, |n| n.block.slot);
            let pos = self.canon.len();
            self.canon.push(r);
            self.canon_pos.insert(r, pos);
            self.canon_by_slot.insert(slot, pos);
        }
        self.derive_forward();
        Ok(())
    }

    fn truncate_canon(&mut self, fork: usize) {
        if fork.saturating_add(1) < self.canon.len() {
            self.delta.reorg = true;
        }
        while self.canon.len() > fork.saturating_add(1) {
            if let Some(r) = self.canon.pop() {
                self.canon_pos.remove(&r);
                if let Some(n) = self.l1.get(&r) {
                    self.canon_by_slot.remove(&n.block.slot);
                }
            }
        }
        self.derived.truncate(fork.saturating_add(1));
        while self.committed.last().is_some_and(|e| e.l1_pos > fork) {
            if let Some(e) = self.committed.pop() {
                self.delta.commit_changed.push(e.hash);
            }
        }
    }

    /// Records the complete inbox logs of a known L1 block.
    ///
    /// # Errors
    /// [`RollupError::UnknownL1Block`] if the block is unknown;
    /// [`RollupError::L1Inconsistent`] if the execution hash differs;
    /// [`RollupError::Malformed`] for a malformed inbox event.
    pub(crate) fn ingest_logs(&mut self, logs: Verified<InboxLogs>) -> Result<(), RollupError> {
        let logs = logs.into_inner();
        let node = self
            .l1
            .get(&logs.beacon_root)
            .ok_or(RollupError::UnknownL1Block(logs.beacon_root))?;
        if node.block.block_hash != logs.block_hash {
            return Err(RollupError::L1Inconsistent(
                "logs of another execution block",
            ));
        }
        let mut events = Vec::new();
        for log in &logs.logs {
            if let Some(ev) = decode_inbox_log(log, self.config.inbox)? {
                events.push(ev);
            }
        }
        if let Some(node) = self.l1.get_mut(&logs.beacon_root) {
            if node.events.is_some() {
                return Ok(());
            }
            node.events = Some(events);
        }
        self.derive_forward();
        Ok(())
    }

    /// Applies the finalized checkpoint (its beacon root).
    ///
    /// # Errors
    /// [`RollupError::UnknownL1Block`] if the block is unknown;
    /// [`RollupError::FinalityViolation`] if it is not on the canonical chain.
    pub(crate) fn ingest_finalized(&mut self, root: Verified<B256>) -> Result<(), RollupError> {
        let root = root.into_inner();
        let pos = match self.canon_pos.get(&root) {
            Some(p) => *p,
            None if self.l1.contains_key(&root) => {
                return Err(RollupError::FinalityViolation);
            }
            None => return Err(RollupError::UnknownL1Block(root)),
        };
        self.finalized_pos = self.finalized_pos.max(pos);
        Ok(())
    }

    pub(crate) fn derive_forward(&mut self) {
        self.awaiting = None;
        while self.derived.len() < self.canon.len() {
            let pos = self.derived.len();
            let Some(node) = self.canon.get(pos).and_then(|r| self.l1.get(r)) else {
                break;
            };
            let Some(events) = node.events.clone() else {
                break;
            };
            let block = node.block;
            let prev = self.tip().clone();
            match self.step(prev, &block, &events, pos) {
                Ok(st) => self.derived.push(st),
                Err(hash) => {
                    self.awaiting = Some(hash);
                    break;
                }
            }
        }
    }

    /// Folds one L1 block's inbox events; `Err(hash)` halts on an unknown L2 header.
    fn step(
        &mut self,
        mut st: Derived,
        block: &L1Block,
        events: &[InboxEvent],
        pos: usize,
    ) -> Result<Derived, B256> {
        if st.based_mode_since.is_none()
            && block.slot
                > st.last_commit_slot
                    .saturating_add(self.config.stall_limit_slots)
        {
            st.based_mode_since = Some(block.slot);
        }
        // Check every commitment's header is known before mutating anything.
        for ev in events {
            if let InboxEvent::Commit { block_hash, .. } = ev
                && !self.blocks.contains_key(block_hash)
            {
                return Err(*block_hash);
            }
        }
        for ev in events {
            match *ev {
                InboxEvent::Forced {
                    tx_hash,
                    deadline_slot,
                } => st.forced.push(ForcedRequest {
                    tx_hash,
                    deadline_slot,
                    requested_slot: block.slot,
                }),
                InboxEvent::Commit {
                    block_hash,
                    number,
                    prev_committed,
                } => match self.check_commit(&st, block, block_hash, number, prev_committed) {
                    Ok(segment) => {
                        let txs: HashSet<B256> = segment
                            .iter()
                            .filter_map(|h| self.blocks.get(h))
                            .flat_map(|n| n.tx_hashes.iter().copied())
                            .collect();
                        st.forced.retain(|r| !txs.contains(&r.tx_hash));
                        st.committed_hash = block_hash;
                        st.committed_number = number;
                        st.last_commit_slot = block.slot;
                        st.based_mode_since = None;
                        for h in segment {
                            self.committed.push(CommitEntry {
                                hash: h,
                                l1_pos: pos,
                            });
                            self.delta.commit_changed.push(h);
                        }
                    }
                    Err(reason) => self.delta.rejected.push(RejectedCommitment {
                        l1_beacon_root: block.beacon_root,
                        l2_hash: block_hash,
                        reason,
                    }),
                },
            }
        }
        Ok(st)
    }

    /// The newly committed segment (ascending), or why the commitment is rejected.
    fn check_commit(
        &self,
        st: &Derived,
        l1: &L1Block,
        hash: B256,
        number: u64,
        prev: B256,
    ) -> Result<Vec<B256>, RejectReason> {
        if prev != st.committed_hash {
            return Err(RejectReason::PrevMismatch);
        }
        let c = self.blocks.get(&hash).ok_or(RejectReason::NotDescendant)?;
        if c.header.number != number || number <= st.committed_number {
            return Err(RejectReason::NotDescendant);
        }
        let mut segment = Vec::new();
        let mut cur = hash;
        loop {
            let n = self.blocks.get(&cur).ok_or(RejectReason::NotDescendant)?;
            if n.header.number <= st.committed_number {
                if cur == st.committed_hash {
                    break;
                }
                return Err(RejectReason::NotDescendant);
            }
            segment.push(cur);
            cur = n.header.parent_hash;
        }
        segment.reverse();
        let mut parent_hash = st.committed_hash;
        for h in &segment {
            let n = self.blocks.get(h).ok_or(RejectReason::NotDescendant)?;
            if n.kind == BlockKind::Based {
                let slot_ok = n.header.l1_slot == l1.slot
                    && n.header.l1_parent_beacon_root == l1.parent_beacon_root
                    && n.header.l1_parent_block_hash == l1.parent_block_hash;
                let parent = self
                    .blocks
                    .get(&parent_hash)
                    .ok_or(RejectReason::NotDescendant)?;
                let parent_ok = parent.kind == BlockKind::Based
                    || (parent.slot_ending && parent.header.l1_slot == l1.slot)
                    || (st.based_mode_since.is_some() && parent_hash == st.committed_hash);
                if !slot_ok || !parent_ok {
                    return Err(RejectReason::BasedRule);
                }
            } else {
                if st.based_mode_since.is_some() {
                    return Err(RejectReason::BasedMode);
                }
                if n.header.l1_slot > l1.slot {
                    return Err(RejectReason::FutureSlot);
                }
            }
            parent_hash = *h;
        }
        let due: Vec<B256> = st
            .forced
            .iter()
            .filter(|r| r.requested_slot < l1.slot && r.deadline_slot < l1.slot)
            .map(|r| r.tx_hash)
            .collect();
        if !due.is_empty() {
            let txs: HashSet<B256> = segment
                .iter()
                .filter_map(|h| self.blocks.get(h))
                .flat_map(|n| n.tx_hashes.iter().copied())
                .collect();
            if due.iter().any(|t| !txs.contains(t)) {
                return Err(RejectReason::ForcedInclusionSkipped);
            }
        }
        Ok(segment)
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
    pub(crate) fn preferred_suffix(&self) -> Vec<B256> {
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
