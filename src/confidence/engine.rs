//! [`PreconfEngine`]: the I/O-free engine that turns verified inputs into
//! confidence statuses and events.
//!
//! Re-evaluation is incremental: after each input only the blocks whose level
//! can change are recomputed: blocks that joined or left the committed chain,
//! blocks newly under the finalized checkpoint, and the "unsettled" set
//! (known blocks that are not committed and not dead below finality: the
//! preferred uncommitted chain, forks, based blocks awaiting their slot).
//! Each recomputation is O(1) lookups against the derived frontiers.

use std::collections::{HashMap, HashSet};

use alloy_primitives::B256;

use super::action::ActionSpec;
use super::error::ConfidenceError;
use super::level::{Level, Reason, RevertRisk};
use super::status::{ConfidenceStatus, Event, L1Inclusion, Liveness, Subject};
use crate::Verified;
use crate::rollup::certificate::CommitteeKeys;
use crate::rollup::chain::ChainView;
use crate::rollup::{
    BatchPublicValues, BlockKind, CheckedBlock, FeedMessage, FinalizedCheckpoint, InboxLogs,
    L1Block, L1TxReceipt, RollupAnchor, RollupConfig, RollupError,
};

/// A local re-execution (revm) of a block over proven state matched its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExecutionCheck {
    /// The block re-executed.
    pub block_hash: B256,
}

#[derive(Debug, Clone, Copy, Default)]
struct BlockState {
    level: Option<Level>,
    reason: Option<Reason>,
    execution_checked: bool,
    proven: bool,
}

#[derive(Debug, Clone)]
struct TrackedAction {
    spec: ActionSpec,
    level: Level,
    reason: Option<Reason>,
}

/// The confidence engine. Feed it verified inputs; query statuses.
#[derive(Debug, Clone)]
pub struct PreconfEngine {
    chain: ChainView,
    states: HashMap<B256, BlockState>,
    unsettled: HashSet<B256>,
    tx_index: HashMap<B256, Vec<B256>>,
    l1_receipts: HashMap<B256, L1TxReceipt>,
    actions: Vec<TrackedAction>,
    finalized_number: u64,
    based_mode: bool,
    now: u64,
}

/// Frontiers computed once per re-evaluation.
struct Frontiers {
    suffix: HashSet<B256>,
    slot_ending_number: Option<u64>,
    finalized_number: u64,
    derived_slot: u64,
    based_mode: bool,
    reorg: bool,
}

impl PreconfEngine {
    /// Starts an engine at a trusted anchor.
    ///
    /// # Errors
    /// [`ConfidenceError::Rollup`] for a bad config or anchor.
    pub fn new(
        config: RollupConfig,
        anchor: Verified<RollupAnchor>,
    ) -> Result<Self, ConfidenceError> {
        let anchor_hash = anchor.l2_header.hash();
        let anchor_number = anchor.l2_header.number;
        let chain = ChainView::new(config, anchor)?;
        let mut states = HashMap::new();
        states.insert(
            anchor_hash,
            BlockState {
                level: Some(Level::Finalized),
                ..Default::default()
            },
        );
        Ok(Self {
            chain,
            states,
            unsettled: HashSet::new(),
            tx_index: HashMap::new(),
            l1_receipts: HashMap::new(),
            actions: Vec::new(),
            finalized_number: anchor_number,
            based_mode: false,
            now: 0,
        })
    }

    /// The chain view (read-only).
    pub fn chain(&self) -> &ChainView {
        &self.chain
    }

    /// Verifies a feed message without changing anything.
    ///
    /// # Errors
    /// The [`RollupError`] of the first rule the block breaks.
    pub fn verify_l2_block(&self, msg: FeedMessage) -> Result<Verified<CheckedBlock>, RollupError> {
        self.chain.verify_block(msg)
    }

    /// Adds a verified L2 block (certified, or based).
    pub fn ingest_l2_block(&mut self, block: Verified<CheckedBlock>) -> Vec<Event> {
        let hash = block.hash;
        for tx in &block.tx_hashes {
            self.tx_index.entry(*tx).or_default().push(hash);
        }
        self.chain.insert_block(block);
        self.unsettled.insert(hash);
        self.refresh()
    }

    /// Verifies then adds a feed message.
    ///
    /// # Errors
    /// As [`Self::verify_l2_block`].
    pub fn ingest_feed_message(&mut self, msg: FeedMessage) -> Result<Vec<Event>, ConfidenceError> {
        let block = self.chain.verify_block(msg)?;
        Ok(self.ingest_l2_block(block))
    }

    /// Makes a verified L1 block the canonical head (reorging if needed).
    ///
    /// # Errors
    /// [`RollupError::UnknownL1Parent`], [`RollupError::L1Inconsistent`] or
    /// [`RollupError::FinalityViolation`] (wrapped).
    pub fn ingest_l1_block(
        &mut self,
        block: Verified<L1Block>,
    ) -> Result<Vec<Event>, ConfidenceError> {
        self.chain.ingest_l1_block(block)?;
        Ok(self.refresh())
    }

    /// Records the complete inbox logs of a known L1 block.
    ///
    /// # Errors
    /// [`RollupError::UnknownL1Block`], [`RollupError::L1Inconsistent`] or
    /// [`RollupError::Malformed`] (wrapped).
    pub fn ingest_inbox_logs(
        &mut self,
        logs: Verified<InboxLogs>,
    ) -> Result<Vec<Event>, ConfidenceError> {
        self.chain.ingest_logs(logs)?;
        Ok(self.refresh())
    }

    /// Applies the L1 finalized checkpoint.
    ///
    /// # Errors
    /// [`RollupError::UnknownL1Block`] or [`RollupError::FinalityViolation`] (wrapped).
    pub fn ingest_finalized(
        &mut self,
        checkpoint: Verified<FinalizedCheckpoint>,
    ) -> Result<Vec<Event>, ConfidenceError> {
        self.chain
            .ingest_finalized(checkpoint.map(|c| c.beacon_root))?;
        Ok(self.refresh())
    }

    /// Adds a committee announced and proven on L1 (rotation).
    pub fn ingest_committee(&mut self, committee: Verified<CommitteeKeys>) {
        self.chain.add_committee(committee);
    }

    /// Records a verified L1 receipt of an action's L1 leg.
    pub fn ingest_l1_receipt(&mut self, receipt: Verified<L1TxReceipt>) -> Vec<Event> {
        let r = receipt.into_inner();
        self.l1_receipts.insert(r.tx_hash, r);
        self.refresh()
    }

    /// Advances the engine's clock (unix seconds).
    pub fn tick(&mut self, now_sec: u64) -> Vec<Event> {
        self.now = self.now.max(now_sec);
        self.refresh()
    }

    /// Starts tracking a cross-domain action; returns its id.
    pub fn track_action(&mut self, spec: ActionSpec) -> u64 {
        let id = self.actions.len() as u64;
        self.actions.push(TrackedAction {
            spec,
            level: Level::Pending,
            reason: None,
        });
        let (level, reason) = self.action_level(id);
        if let Some(a) = self.actions.last_mut() {
            a.level = level;
            a.reason = reason;
        }
        id
    }

    /// Marks a block re-executed over proven state.
    ///
    /// # Errors
    /// [`ConfidenceError::NotTracked`] for an unknown block.
    pub fn mark_execution_checked(
        &mut self,
        check: Verified<ExecutionCheck>,
    ) -> Result<(), ConfidenceError> {
        let s = self
            .states
            .get_mut(&check.block_hash)
            .ok_or(ConfidenceError::NotTracked)?;
        s.execution_checked = true;
        Ok(())
    }

    /// Marks the block a verified validity proof ends at, and its ancestors, proven.
    ///
    /// # Errors
    /// [`RollupError::PublicValuesMismatch`] if the config hash, block number
    /// or post-state root does not match; [`ConfidenceError::NotTracked`] for
    /// an unknown block.
    pub fn mark_proven(
        &mut self,
        values: Verified<BatchPublicValues>,
    ) -> Result<(), ConfidenceError> {
        if values.config_hash != self.chain.config().config_hash() {
            return Err(RollupError::PublicValuesMismatch("config hash").into());
        }
        let node = self
            .chain
            .node(&values.l2_block_hash)
            .ok_or(ConfidenceError::NotTracked)?;
        if node.header.number != values.l2_block_number {
            return Err(RollupError::PublicValuesMismatch("block number").into());
        }
        if node.header.state_root != values.l2_post_root {
            return Err(RollupError::PublicValuesMismatch("post-state root").into());
        }
        let mut cur = values.l2_block_hash;
        while let Some(s) = self.states.get_mut(&cur) {
            if s.proven {
                break;
            }
            s.proven = true;
            match self.chain.node(&cur) {
                Some(n) => cur = n.header.parent_hash,
                None => break,
            }
        }
        Ok(())
    }

    fn frontiers(&self) -> Frontiers {
        let suffix_vec = self.chain.preferred_suffix();
        let mut slot_ending_number = None;
        for h in &suffix_vec {
            if let Some(n) = self.chain.node(h)
                && n.slot_ending
                && self.slot_ending_matches(&n.header)
            {
                slot_ending_number = Some(n.header.number);
            }
        }
        Frontiers {
            suffix: suffix_vec.into_iter().collect(),
            slot_ending_number,
            finalized_number: self.chain.finalized_number(),
            derived_slot: self.chain.derived_slot(),
            based_mode: self.chain.based_mode(),
            reorg: self.chain.delta.reorg,
        }
    }

    /// PROTOCOL.md section 3: the latest canonical L1 block before slot `S` is
    /// the named L1 parent, once that block is determined.
    fn slot_ending_matches(&self, h: &crate::rollup::L2Header) -> bool {
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
        let delta = core::mem::take(&mut self.chain.delta);
        for ev in delta.equivocations {
            events.push(Event::Equivocation(Box::new(ev)));
        }
        for r in delta.rejected {
            events.push(Event::CommitmentRejected(r));
        }
        let mut fr = self.frontiers();
        fr.reorg = delta.reorg;
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
                dirty.push((n.header.number, h));
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
            if let Some(e) = self.chain.committed_at(n) {
                push(e.hash, &self.chain, &mut dirty);
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
            let reason = if down { cause } else { None };
            if down {
                state.reason = reason;
            }
            if let Some(from) = state.level {
                events.push(Event::LevelChanged {
                    subject: Subject::Block(h),
                    from,
                    to: level,
                    reason,
                });
            }
            state.level = Some(level);
        }
        for id in 0..self.actions.len() {
            let (level, cause) = self.action_level(id as u64);
            if let Some(a) = self.actions.get_mut(id)
                && a.level != level
            {
                {
                    let down = level.rank() < a.level.rank();
                    let reason = if down { cause } else { None };
                    if down {
                        a.reason = reason;
                    }
                    events.push(Event::LevelChanged {
                        subject: Subject::Action(id as u64),
                        from: a.level,
                        to: level,
                        reason,
                    });
                    a.level = level;
                }
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
        let number = node.header.number;
        let was_included = matches!(prev, Some(Level::Included | Level::Finalized));
        // A block that dropped to pending because of a reorg and then
        // reverts keeps the reorg as its cause.
        let reorged =
            was_included || (prev == Some(Level::Pending) && prev_reason == Some(Reason::L1Reorg));
        if let Some(e) = self.chain.committed_at(number) {
            if e.hash == *h {
                let level = if number <= fr.finalized_number {
                    Level::Finalized
                } else {
                    Level::Included
                };
                return (level, None);
            }
            let cause = if was_included {
                Reason::L1Reorg
            } else if self.chain.equivocation_heights.contains(&number) {
                Reason::Equivocation
            } else if let Some(r) = self.parent_reverted(node.header.parent_hash) {
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
        if let Some(r) = self.parent_reverted(node.header.parent_hash) {
            return (
                Level::Reverted,
                Some(if was_included { Reason::L1Reorg } else { r }),
            );
        }
        if node.kind == BlockKind::Based {
            let slot = node.header.l1_slot;
            if fr.derived_slot >= slot {
                let cause = if reorged {
                    Reason::L1Reorg
                } else if self.chain.l1_at_slot(slot).is_some_and(|b| {
                    b.parent_beacon_root != node.header.l1_parent_beacon_root
                        || b.parent_block_hash != node.header.l1_parent_block_hash
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

    fn liveness(&self) -> Liveness {
        let tip = self.chain.tip();
        let head_slot = self.chain.l1_head().map_or(0, |b| b.slot);
        let current_slot = self.chain.config().l1.slot_at(self.now).max(head_slot);
        let k = self.chain.config().stall_limit_slots;
        Liveness {
            current_slot,
            slots_since_last_commitment: current_slot.saturating_sub(tip.last_commit_slot),
            slots_until_based_mode: if tip.based_mode_since.is_some() {
                0
            } else {
                tip.last_commit_slot
                    .saturating_add(k)
                    .saturating_add(1)
                    .saturating_sub(current_slot)
            },
            based_mode: tip.based_mode_since.is_some(),
            forced_due: tip.forced.clone(),
            awaiting_header: self.chain.awaiting_header(),
        }
    }

    /// Just the level of an L2 block, or `None` if unknown (cheaper than a status).
    pub fn level_of_block(&self, hash: &B256) -> Option<Level> {
        self.chain.node(hash)?;
        Some(
            self.states
                .get(hash)
                .and_then(|s| s.level)
                .unwrap_or(Level::Pending),
        )
    }

    /// The status of an L2 block, or `None` if unknown.
    pub fn status_of_block(&self, hash: &B256) -> Option<ConfidenceStatus> {
        let node = self.chain.node(hash)?;
        let state = self.states.get(hash).copied().unwrap_or_default();
        let level = state.level.unwrap_or(Level::Pending);
        let timing = self.chain.config().l1;
        let slot = node.header.l1_slot;
        let now_slot = timing
            .slot_at(self.now)
            .max(self.chain.l1_head().map_or(0, |b| b.slot));
        let l1_inclusion = self.chain.committed_at(node.header.number).and_then(|e| {
            if e.hash != *hash {
                return None;
            }
            let slot = self.chain.slot_at_pos(e.l1_pos);
            let root = self.chain.l1_at_slot(slot).map(|b| b.beacon_root)?;
            Some(L1Inclusion {
                beacon_root: root,
                slot,
            })
        });
        let ancestors_unfinal = self.chain.tip().committed_number > self.finalized_number;
        let (revert_risks, next_level, next_level_eta) = match level {
            Level::Reverted => (vec![], None, None),
            Level::Pending if node.kind == BlockKind::Based => (
                vec![
                    RevertRisk::MissedSlot,
                    RevertRisk::L1ParentMismatch,
                    RevertRisk::L1Reorg,
                ],
                Some(Level::Included),
                Some(timing.slot_start(slot.saturating_add(1))),
            ),
            Level::Pending => (
                vec![RevertRisk::Equivocation, RevertRisk::BasedModeSwitch],
                Some(Level::Included),
                None,
            ),
            Level::Sequenced | Level::SlotEnding => {
                let mut risks = vec![RevertRisk::Equivocation, RevertRisk::BasedModeSwitch];
                if ancestors_unfinal {
                    risks.push(RevertRisk::L1Reorg);
                }
                if level == Level::Sequenced {
                    (
                        risks,
                        Some(Level::SlotEnding),
                        Some(timing.slot_start(slot.saturating_add(1))),
                    )
                } else {
                    (
                        risks,
                        Some(Level::Included),
                        Some(timing.slot_start(slot.max(now_slot).saturating_add(2))),
                    )
                }
            }
            Level::Included => (
                vec![RevertRisk::L1Reorg],
                Some(Level::Finalized),
                l1_inclusion.map(|i| timing.finality_eta(i.slot)),
            ),
            Level::Finalized => (vec![RevertRisk::L1FinalityFailure], None, None),
        };
        Some(ConfidenceStatus {
            level,
            block_hash: Some(*hash),
            block_number: Some(node.header.number),
            revert_risks,
            last_downgrade: state.reason,
            next_level,
            next_level_eta,
            l1_inclusion,
            execution_checked: state.execution_checked,
            proven: state.proven,
            liveness: self.liveness(),
        })
    }

    /// The status of an L2 transaction: that of the best block containing it.
    pub fn status_of_tx(&self, tx_hash: &B256) -> Option<ConfidenceStatus> {
        self.tx_index
            .get(tx_hash)?
            .iter()
            .filter_map(|b| self.status_of_block(b))
            .max_by_key(|s| s.level.rank())
    }

    fn l1_leg_level(&self, tx: &B256) -> (Level, Option<Reason>, Option<u64>) {
        let Some(r) = self.l1_receipts.get(tx) else {
            return (Level::Pending, None, None);
        };
        let Some(slot) = self.chain.canonical_slot_of(&r.beacon_root) else {
            return (Level::Pending, Some(Reason::L1Reorg), None);
        };
        if !r.success {
            return (Level::Reverted, Some(Reason::L1LegFailed), Some(slot));
        }
        if self.chain.is_finalized_root(&r.beacon_root) {
            (Level::Finalized, None, Some(slot))
        } else {
            (Level::Included, None, Some(slot))
        }
    }

    /// The level of an action: the lowest of its legs, with the atomic rule.
    fn action_level(&self, id: u64) -> (Level, Option<Reason>) {
        let Some(a) = usize::try_from(id).ok().and_then(|i| self.actions.get(i)) else {
            return (Level::Pending, None);
        };
        let mut level = Level::Finalized;
        let mut reason = None;
        let mut slots = Vec::new();
        for tx in &a.spec.l2_txs {
            let (l, r, s) = match self.status_of_tx(tx) {
                Some(st) => (st.level, st.last_downgrade, st.l1_inclusion.map(|i| i.slot)),
                None => (Level::Pending, None, None),
            };
            if l.rank() < level.rank() {
                level = l;
                reason = r;
            }
            slots.push(s);
        }
        for tx in &a.spec.l1_txs {
            let (l, r, s) = self.l1_leg_level(tx);
            if l.rank() < level.rank() {
                level = l;
                reason = r;
            }
            slots.push(s);
        }
        if let Some(s) = a.spec.atomic_slot {
            let all_in_slot = slots.iter().all(|x| *x == Some(s));
            if self.chain.derived_slot() >= s && !all_in_slot && level != Level::Reverted {
                return (Level::Reverted, Some(Reason::MissedSlot));
            }
        }
        (level, reason)
    }

    /// The status of a tracked action, or `None` for an unknown id.
    pub fn status_of_action(&self, id: u64) -> Option<ConfidenceStatus> {
        let a = usize::try_from(id).ok().and_then(|i| self.actions.get(i))?;
        let timing = self.chain.config().l1;
        let next_level_eta = match (a.level, a.spec.atomic_slot) {
            (Level::Pending | Level::Sequenced | Level::SlotEnding, Some(s)) => {
                Some(timing.slot_start(s.saturating_add(1)))
            }
            _ => None,
        };
        let revert_risks = match a.level {
            Level::Reverted => vec![],
            Level::Finalized => vec![RevertRisk::L1FinalityFailure],
            Level::Included => vec![RevertRisk::L1Reorg],
            _ if a.spec.atomic_slot.is_some() => {
                vec![
                    RevertRisk::MissedSlot,
                    RevertRisk::L1ParentMismatch,
                    RevertRisk::L1Reorg,
                ]
            }
            _ => vec![
                RevertRisk::Equivocation,
                RevertRisk::BasedModeSwitch,
                RevertRisk::L1Reorg,
            ],
        };
        let next_level = match a.level {
            Level::Reverted | Level::Finalized => None,
            Level::Included => Some(Level::Finalized),
            _ => Some(Level::Included),
        };
        Some(ConfidenceStatus {
            level: a.level,
            block_hash: None,
            block_number: None,
            revert_risks,
            last_downgrade: a.reason,
            next_level,
            next_level_eta,
            l1_inclusion: None,
            execution_checked: false,
            proven: false,
            liveness: self.liveness(),
        })
    }

    /// The EIP-5792 call-status code of a tracked action.
    pub fn eip5792_status_of_action(&self, id: u64) -> Option<u16> {
        let a = usize::try_from(id).ok().and_then(|i| self.actions.get(i))?;
        if a.reason == Some(Reason::L1LegFailed) && a.level == Level::Reverted {
            let any_ok = a
                .spec
                .l1_txs
                .iter()
                .any(|t| self.l1_receipts.get(t).is_some_and(|r| r.success));
            return Some(if any_ok {
                super::level::EIP5792_PARTIAL_CHAIN_RULES_FAILURE
            } else {
                super::level::EIP5792_CHAIN_RULES_FAILURE
            });
        }
        Some(a.level.eip5792_status())
    }
}
