//! Verified facts into levels: each `apply_*` changes the chain view (or the
//! engine's own records) and re-evaluates the blocks and actions whose level
//! can change, returning an [`Event`] per change.
//!
//! Re-evaluation is incremental: after each fact only these blocks are
//! recomputed: blocks that joined or left the committed chain, blocks newly
//! under the finalized checkpoint, and the "unsettled" set (known blocks that
//! are not committed and not dead below finality: the preferred uncommitted
//! chain, forks, based blocks awaiting their slot). Each recomputation is
//! O(1) lookups against the derived frontiers.

use std::collections::HashSet;

use alloy_primitives::B256;

use super::action::ActionSpec;
use super::engine::{Engine, ExecutionCheck, TrackedAction};
use super::error::EngineError;
use super::level::{Level, Reason};
use super::status::{Event, Subject};
use crate::Verified;
use crate::rollup::{
    BatchPublicValues, BlockKind, ChainView, CheckedBlock, FinalizedCheckpoint, InboxLogs, L1Block,
    L1TxReceipt, L2Header, RollupError,
};

/// Frontiers computed once per re-evaluation.
struct Frontiers {
    suffix: HashSet<B256>,
    slot_ending_number: Option<u64>,
    finalized_number: u64,
    derived_slot: u64,
    based_mode: bool,
    reorg: bool,
}

impl Engine {
    /// Adds a verified L2 block (certified, or based).
    pub(crate) fn apply_l2_block(&mut self, block: Verified<CheckedBlock>) -> Vec<Event> {
        let hash = block.hash;
        for tx in &block.tx_hashes {
            self.tx_index.entry(*tx).or_default().push(hash);
        }
        self.chain.insert_block(block);
        self.unsettled.insert(hash);
        self.refresh()
    }

    /// Makes a verified L1 block the canonical head (reorging if needed).
    pub(crate) fn apply_l1_block(
        &mut self,
        block: Verified<L1Block>,
    ) -> Result<Vec<Event>, EngineError> {
        self.chain.ingest_l1_block(block)?;
        Ok(self.refresh())
    }

    /// Records the complete inbox logs of a known L1 block.
    pub(crate) fn apply_inbox_logs(
        &mut self,
        logs: Verified<InboxLogs>,
    ) -> Result<Vec<Event>, EngineError> {
        self.chain.ingest_logs(logs)?;
        Ok(self.refresh())
    }

    /// Applies the L1 finalized checkpoint.
    pub(crate) fn apply_finalized(
        &mut self,
        checkpoint: Verified<FinalizedCheckpoint>,
    ) -> Result<Vec<Event>, EngineError> {
        self.chain
            .ingest_finalized(checkpoint.map(|c| c.beacon_root))?;
        Ok(self.refresh())
    }

    /// Records a verified L1 receipt of an action's L1 leg.
    pub(crate) fn apply_l1_receipt(&mut self, receipt: Verified<L1TxReceipt>) -> Vec<Event> {
        let r = receipt.into_inner();
        self.l1_receipts.insert(r.tx_hash, r);
        self.refresh()
    }

    /// Advances the engine's clock (unix seconds).
    pub(crate) fn advance_clock(&mut self, now_sec: u64) -> Vec<Event> {
        self.now = self.now.max(now_sec);
        self.refresh()
    }

    /// Starts tracking a cross-domain action; returns its id.
    pub(crate) fn track(&mut self, spec: ActionSpec) -> u64 {
        let id = self.actions.len() as u64;
        self.actions.push(TrackedAction {
            spec,
            level: Level::Pending,
            reason: None,
            last_downgrade: None,
        });
        let (level, reason) = self.action_level(id);
        if let Some(a) = self.actions.last_mut() {
            a.level = level;
            a.reason = reason;
            a.last_downgrade = reason;
        }
        id
    }

    /// Marks a block re-executed over proven state.
    pub(crate) fn apply_execution_check(
        &mut self,
        check: Verified<ExecutionCheck>,
    ) -> Result<(), EngineError> {
        let s = self
            .states
            .get_mut(&check.block_hash)
            .ok_or(EngineError::NotTracked)?;
        s.execution_checked = true;
        Ok(())
    }

    /// Marks the block a verified validity proof ends at, and its ancestors, proven.
    pub(crate) fn apply_proven(
        &mut self,
        values: Verified<BatchPublicValues>,
    ) -> Result<(), EngineError> {
        if values.config_hash != self.chain.config().config_hash() {
            return Err(RollupError::PublicValuesMismatch("config hash").into());
        }
        let node = self
            .chain
            .node(&values.l2_block_hash)
            .ok_or(EngineError::NotTracked)?;
        if node.header().number != values.l2_block_number {
            return Err(RollupError::PublicValuesMismatch("block number").into());
        }
        if node.header().state_root != values.l2_post_root {
            return Err(RollupError::PublicValuesMismatch("post-state root").into());
        }
        let mut cur = values.l2_block_hash;
        while let Some(s) = self.states.get_mut(&cur) {
            if s.proven {
                break;
            }
            s.proven = true;
            match self.chain.node(&cur) {
                Some(n) => cur = n.header().parent_hash,
                None => break,
            }
        }
        Ok(())
    }

    fn frontiers(&self, reorg: bool) -> Frontiers {
        let suffix_vec = self.chain.preferred_suffix();
        let mut slot_ending_number = None;
        for h in &suffix_vec {
            if let Some(n) = self.chain.node(h)
                && n.is_slot_ending()
                && self.slot_ending_matches(n.header())
            {
                slot_ending_number = Some(n.header().number);
            }
        }
        Frontiers {
            suffix: suffix_vec.into_iter().collect(),
            slot_ending_number,
            finalized_number: self.chain.finalized_number(),
            derived_slot: self.chain.derived_slot(),
            based_mode: self.chain.based_mode(),
            reorg,
        }
    }

    /// PROTOCOL.md section 3: the latest canonical L1 block before slot `S` is
    /// the named L1 parent, once that block is determined.
    fn slot_ending_matches(&self, h: &L2Header) -> bool {
        let s = h.l1_slot;
        let head_slot = self.chain.l1_head().map_or(0, |b| b.slot);
        let now_slot = self.chain.config().l1.slot_at(self.now);
        if head_slot.saturating_add(1) < s && now_slot < s {
            return false;
        }
        self.chain.l1_before_slot(s).is_some_and(|b| {
            b.beacon_root == h.l1_parent_beacon_root && b.block_hash == h.l1_parent_block_hash
        })
    }

    fn refresh(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        let delta = self.chain.take_delta();
        for evidence in delta.equivocations {
            let (a, b) = evidence.block_hashes();
            events.push(Event::Equivocation {
                blocks: [a, b],
                evidence: Box::new(evidence),
            });
        }
        for r in delta.rejected {
            events.push(Event::CommitmentRejected(r));
        }
        let fr = self.frontiers(delta.reorg);
        if fr.based_mode != self.based_mode {
            self.based_mode = fr.based_mode;
            events.push(Event::BasedMode {
                active: fr.based_mode,
            });
        }
        let mut dirty: Vec<(u64, B256)> = Vec::new();
        let mut seen = HashSet::new();
        let mut push = |h: B256, chain: &ChainView, dirty: &mut Vec<(u64, B256)>| {
            if seen.insert(h)
                && let Some(n) = chain.node(&h)
            {
                dirty.push((n.header().number, h));
            }
        };
        for h in self
            .unsettled
            .iter()
            .chain(&delta.commit_changed)
            .chain(&delta.new_blocks)
        {
            push(*h, &self.chain, &mut dirty);
        }
        let mut n = self.finalized_number.saturating_add(1);
        while n <= fr.finalized_number {
            if let Some(h) = self.chain.committed_hash_at(n) {
                push(h, &self.chain, &mut dirty);
            }
            n = n.saturating_add(1);
        }
        self.finalized_number = self.finalized_number.max(fr.finalized_number);
        dirty.sort_unstable();
        for (number, h) in dirty {
            let prev = self.states.get(&h).copied().unwrap_or_default();
            let (level, cause) = self.compute(&h, prev.level, prev.reason, &fr);
            let settled = matches!(level, Level::Included | Level::Finalized)
                || (level == Level::Reverted && number <= fr.finalized_number);
            if settled {
                self.unsettled.remove(&h);
            } else {
                self.unsettled.insert(h);
            }
            let state = self.states.entry(h).or_default();
            if state.level == Some(level) {
                continue;
            }
            let down = state.level.is_some_and(|old| level.rank() < old.rank());
            // Section 9: the reason of a level entered by a downgrade (or of
            // a block first seen reverted) is fixed while it stays there; one
            // entered on the way up has none. The last downgrade is kept.
            let reason = if down || level == Level::Reverted {
                cause
            } else {
                None
            };
            state.reason = reason;
            if down {
                state.last_downgrade = reason;
            }
            if let Some(from) = state.level {
                events.push(Event::level_changed(
                    Subject::Block { hash: h },
                    from,
                    level,
                    reason,
                ));
            }
            state.level = Some(level);
        }
        for id in 0..self.actions.len() {
            let (level, cause) = self.action_level(id as u64);
            if let Some(a) = self.actions.get_mut(id)
                && a.level != level
            {
                let down = level.rank() < a.level.rank();
                let reason = if down { cause } else { None };
                a.reason = reason;
                if down {
                    a.last_downgrade = reason;
                }
                events.push(Event::level_changed(
                    Subject::Action { id: id as u64 },
                    a.level,
                    level,
                    reason,
                ));
                a.level = level;
            }
        }
        events
    }

    /// The level of one block and, if it went down, why.
    fn compute(
        &self,
        h: &B256,
        prev: Option<Level>,
        prev_reason: Option<Reason>,
        fr: &Frontiers,
    ) -> (Level, Option<Reason>) {
        let Some(node) = self.chain.node(h) else {
            return (Level::Pending, None);
        };
        let header = node.header();
        let number = header.number;
        let was_included = matches!(prev, Some(Level::Included | Level::Finalized));
        // A block that dropped to pending because of a reorg and then
        // reverts keeps the reorg as its cause.
        let reorged =
            was_included || (prev == Some(Level::Pending) && prev_reason == Some(Reason::L1Reorg));
        if let Some(committed) = self.chain.committed_hash_at(number) {
            if committed == *h {
                let level = if number <= fr.finalized_number {
                    Level::Finalized
                } else {
                    Level::Included
                };
                return (level, None);
            }
            let cause = if was_included {
                Reason::L1Reorg
            } else if self.chain.is_equivocation_height(number) {
                Reason::Equivocation
            } else if let Some(r) = self.parent_reverted(header.parent_hash) {
                r
            } else {
                Reason::Superseded
            };
            return (Level::Reverted, Some(cause));
        }
        if fr.suffix.contains(h) {
            let level = if fr.slot_ending_number.is_some_and(|s| number <= s) {
                Level::SlotEnding
            } else {
                Level::Sequenced
            };
            let cause = if was_included || fr.reorg {
                Reason::L1Reorg
            } else {
                Reason::L1ParentMismatch
            };
            return (level, Some(cause));
        }
        if let Some(r) = self.parent_reverted(header.parent_hash) {
            return (
                Level::Reverted,
                Some(if was_included { Reason::L1Reorg } else { r }),
            );
        }
        if node.kind() == BlockKind::Based {
            let slot = header.l1_slot;
            if fr.derived_slot >= slot {
                let cause = if reorged {
                    Reason::L1Reorg
                } else if self.chain.l1_at_slot(slot).is_some_and(|b| {
                    b.parent_beacon_root != header.l1_parent_beacon_root
                        || b.parent_block_hash != header.l1_parent_block_hash
                }) {
                    Reason::L1ParentMismatch
                } else {
                    Reason::MissedSlot
                };
                return (Level::Reverted, Some(cause));
            }
            return (Level::Pending, Some(Reason::L1Reorg));
        }
        if fr.based_mode {
            let cause = if was_included {
                Reason::L1Reorg
            } else {
                Reason::BasedModeSwitch
            };
            return (Level::Reverted, Some(cause));
        }
        let cause = if was_included || fr.reorg {
            Reason::L1Reorg
        } else {
            Reason::Equivocation
        };
        (Level::Pending, Some(cause))
    }

    fn parent_reverted(&self, parent: B256) -> Option<Reason> {
        let s = self.states.get(&parent)?;
        if s.level == Some(Level::Reverted) {
            Some(s.reason.unwrap_or(Reason::Superseded))
        } else {
            None
        }
    }
}
