//! Mutation of the chain view: inserting verified L2 blocks (with
//! equivocation evidence), following the canonical L1 chain, and the
//! derivation fold over its inbox events (PROTOCOL.md section 5).

use std::collections::HashSet;

use alloy_primitives::B256;

use super::{
    ChainView, CheckedBlock, CommitEntry, Derived, ForcedRequest, L1Node, L2Node, RejectReason,
    RejectedCommitment,
};
use crate::Verified;
use crate::rollup::RollupError;
use crate::rollup::config::SlotEndingRule;
use crate::rollup::feed::{EquivocationEvidence, EquivocationKind};
use crate::rollup::header::BlockKind;
use crate::rollup::l1::{InboxEvent, InboxLogs, L1Block, decode_inbox_log};

impl ChainView {
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
        self.highest_number = self.highest_number.max(number);
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
}
