//! The engine's one way out: [`Engine::query`] over a [`Query`]. Statuses
//! carry the level, what can still revert it, the next level with its ETA,
//! and the rollup's liveness; all of it is decided here.

use alloy_primitives::B256;
use serde::Serialize;

use super::action::ActionSpec;
use super::engine::{Engine, TrackedAction};
use super::level::{EIP5792_CHAIN_RULES_FAILURE, EIP5792_PARTIAL_CHAIN_RULES_FAILURE};
use super::level::{Level, Reason, RevertRisk};
use super::status::{ConfidenceStatus, L1Inclusion, Liveness};
use crate::rollup::BlockKind;

/// PROTOCOL.md section 9: an ETA that waits for an L1 block is `null` while
/// the verified L1 head is more than this many slots behind the clock.
pub const STALE_HEAD_SLOTS: u64 = 4;

/// PROTOCOL.md section 9: the `included -> finalized` ETA is `null` while the
/// finalized checkpoint is more than this many epochs behind the clock.
pub const FINALITY_STALL_EPOCHS: u64 = 3;

/// What the engine can still predict from the clock (section 9, ETAs).
#[derive(Debug, Clone, Copy)]
struct Predictable {
    /// The verified L1 head keeps up with the clock.
    l1_head: bool,
    /// The finalized checkpoint keeps up with the clock.
    finality: bool,
}

/// A question to the engine. In the npm package an object with one key
/// (`{ block: "0x…" }`, `{ number: 12 }`, `{ tx: "0x…" }`, `{ action: 0 }`)
/// or the string `"liveness"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Query {
    /// The status of an L2 block by hash.
    Block(B256),
    /// The status of the L2 block at a height on the best chain (committed,
    /// then the preferred uncommitted chain; none past both or at a fork).
    Number(u64),
    /// The status of an L2 transaction (its best block).
    Tx(B256),
    /// The status of a tracked action.
    Action(u64),
    /// The rollup's liveness.
    Liveness,
    /// The L2 heights a block at this height, whose parent is not held, waits
    /// for (`ChainView::missing_below`): what to fetch as a range.
    Missing(u64),
}

/// A range of L2 heights, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HeightRange {
    /// The lowest height.
    pub from: u64,
    /// The highest height.
    pub to: u64,
}

/// The answer to a [`Query`]: a status (`null` for an unknown item) or the liveness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// For block, number, tx and action queries.
    Status(Option<Box<ConfidenceStatus>>),
    /// For the liveness query.
    Liveness(Liveness),
    /// For the missing-heights query (`null`: nothing to fetch by height).
    Missing(Option<HeightRange>),
}

impl Answer {
    /// The status, if the answer is one.
    pub fn into_status(self) -> Option<ConfidenceStatus> {
        match self {
            Self::Status(s) => s.map(|b| *b),
            Self::Liveness(_) | Self::Missing(_) => None,
        }
    }
}

impl Engine {
    /// Answers a query. Never changes anything.
    pub fn query(&self, query: &Query) -> Answer {
        let status = match *query {
            Query::Block(hash) => self.status_of_block(&hash),
            Query::Number(n) => self
                .chain
                .best_hash_at(n)
                .and_then(|h| self.status_of_block(&h)),
            Query::Tx(hash) => self.status_of_tx(&hash),
            Query::Action(id) => self.status_of_action(id),
            Query::Liveness => return Answer::Liveness(self.liveness()),
            Query::Missing(n) => {
                return Answer::Missing(
                    self.chain
                        .missing_below(n)
                        .map(|(from, to)| HeightRange { from, to }),
                );
            }
        };
        Answer::Status(status.map(Box::new))
    }

    fn liveness(&self) -> Liveness {
        let chain = &self.chain;
        let head_slot = chain.l1_head().map_or(0, |b| b.slot);
        let current_slot = chain.config().l1.slot_at(self.now).max(head_slot);
        let k = chain.config().stall_limit_slots;
        let last = chain.last_commit_slot();
        Liveness {
            current_slot,
            slots_since_last_commitment: current_slot.saturating_sub(last),
            slots_until_based_mode: if chain.based_mode() {
                0
            } else {
                last.saturating_add(k)
                    .saturating_add(1)
                    .saturating_sub(current_slot)
            },
            based_mode: chain.based_mode(),
            forced_due: chain.forced_due().to_vec(),
            awaiting_header: chain.awaiting_header(),
        }
    }

    /// The level of an L2 block held by the engine (`None` if unknown).
    #[cfg(test)]
    pub(crate) fn level_of_block(&self, hash: &B256) -> Option<Level> {
        self.chain.node(hash)?;
        Some(
            self.states
                .get(hash)
                .and_then(|s| s.level)
                .unwrap_or(Level::Pending),
        )
    }

    /// Which ETAs the clock can still give (section 9).
    fn predictable(&self) -> Predictable {
        let timing = self.chain.config().l1;
        let now_slot = timing.slot_at(self.now);
        let head_slot = self.chain.l1_head().map_or(0, |b| b.slot);
        let finalized_epoch = timing.epoch_of(self.chain.finalized_slot());
        Predictable {
            l1_head: now_slot.saturating_sub(head_slot) <= STALE_HEAD_SLOTS,
            finality: timing.epoch_of(now_slot).saturating_sub(finalized_epoch)
                <= FINALITY_STALL_EPOCHS,
        }
    }

    /// The status of an L2 block, or `None` if unknown.
    pub(crate) fn status_of_block(&self, hash: &B256) -> Option<ConfidenceStatus> {
        let node = self.chain.node(hash)?;
        let header = node.header();
        let state = self.states.get(hash).copied().unwrap_or_default();
        let level = state.level.unwrap_or(Level::Pending);
        let timing = self.chain.config().l1;
        let slot = header.l1_slot;
        let now_slot = timing
            .slot_at(self.now)
            .max(self.chain.l1_head().map_or(0, |b| b.slot));
        let l1_inclusion = if self.chain.committed_hash_at(header.number) == Some(*hash) {
            self.chain
                .committing_l1_block(header.number)
                .map(|b| L1Inclusion {
                    beacon_root: b.beacon_root,
                    slot: b.slot,
                })
        } else {
            None
        };
        let ancestors_unfinal = self.chain.committed_number() > self.finalized_number;
        let can = self.predictable();
        let (revert_risks, next_level, next_level_eta) = match level {
            Level::Reverted => (vec![], None, None),
            Level::Pending if node.kind() == BlockKind::Based => (
                vec![
                    RevertRisk::MissedSlot,
                    RevertRisk::L1ParentMismatch,
                    RevertRisk::L1Reorg,
                ],
                Some(Level::Included),
                can.l1_head
                    .then(|| timing.slot_start(slot.saturating_add(1))),
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
                        can.l1_head
                            .then(|| timing.slot_start(slot.max(now_slot).saturating_add(2))),
                    )
                }
            }
            Level::Included => (
                vec![RevertRisk::L1Reorg],
                Some(Level::Finalized),
                l1_inclusion
                    .filter(|_| can.finality)
                    .map(|i| timing.finality_eta(i.slot)),
            ),
            Level::Finalized => (vec![RevertRisk::L1FinalityFailure], None, None),
        };
        Some(ConfidenceStatus {
            level,
            block_hash: Some(*hash),
            block_number: Some(header.number),
            revert_risks,
            reason: state.reason,
            last_downgrade: state.last_downgrade,
            next_level,
            next_level_eta,
            l1_inclusion,
            execution_checked: state.execution_checked,
            proven: state.proven,
            liveness: self.liveness(),
            block_tag: level.block_tag(),
            eip5792_status: level.eip5792_status(),
            oasis_status: level.oasis_status(),
        })
    }

    /// The status of an L2 transaction: that of the best block containing it.
    pub(crate) fn status_of_tx(&self, tx_hash: &B256) -> Option<ConfidenceStatus> {
        self.tx_index
            .get(tx_hash)?
            .iter()
            .filter_map(|b| self.status_of_block(b))
            .max_by_key(|s| s.level.rank())
    }

    /// One L1 leg: its level, the reason, and where it was included.
    fn l1_leg(&self, tx: &B256, can: Predictable) -> Leg {
        let Some(r) = self.l1_receipts.get(tx) else {
            return Leg::waiting(Level::Pending, None, Some(Level::Included));
        };
        let Some(slot) = self.chain.canonical_slot_of(&r.beacon_root) else {
            return Leg::waiting(Level::Pending, Some(Reason::L1Reorg), Some(Level::Included));
        };
        let inclusion = Some(L1Inclusion {
            beacon_root: r.beacon_root,
            slot,
        });
        if !r.success {
            return Leg {
                inclusion,
                ..Leg::waiting(Level::Reverted, Some(Reason::L1LegFailed), None)
            };
        }
        if self.chain.is_finalized_root(&r.beacon_root) {
            Leg {
                inclusion,
                ..Leg::waiting(Level::Finalized, None, None)
            }
        } else {
            let timing = self.chain.config().l1;
            Leg {
                level: Level::Included,
                reason: None,
                next_level: Some(Level::Finalized),
                eta: can.finality.then(|| timing.finality_eta(slot)),
                inclusion,
            }
        }
    }

    /// Every leg of an action, L2 legs first.
    fn legs(&self, spec: &ActionSpec) -> Vec<Leg> {
        let can = self.predictable();
        let l2 = spec.l2_txs.iter().map(|tx| match self.status_of_tx(tx) {
            Some(st) => Leg {
                level: st.level,
                reason: st.reason,
                next_level: st.next_level,
                eta: st.next_level_eta,
                inclusion: st.l1_inclusion,
            },
            None => Leg::waiting(Level::Pending, None, None),
        });
        let l1 = spec.l1_txs.iter().map(|tx| self.l1_leg(tx, can));
        l2.chain(l1).collect()
    }

    /// The level of an action: the lowest of its legs, with the atomic rule.
    pub(super) fn action_level(&self, id: u64) -> (Level, Option<Reason>) {
        let Some(a) = usize::try_from(id).ok().and_then(|i| self.actions.get(i)) else {
            return (Level::Pending, None);
        };
        let legs = self.legs(&a.spec);
        let mut level = Level::Finalized;
        let mut reason = None;
        for leg in &legs {
            if leg.level.rank() < level.rank() {
                level = leg.level;
                reason = leg.reason;
            }
        }
        if let Some(s) = a.spec.atomic_slot {
            let all_in_slot = legs.iter().all(|l| l.inclusion.map(|i| i.slot) == Some(s));
            if self.chain.derived_slot() >= s && !all_in_slot && level != Level::Reverted {
                return (Level::Reverted, Some(Reason::MissedSlot));
            }
        }
        (level, reason)
    }

    /// An action's next level, its ETA and L1 inclusion (section 9, Actions).
    fn action_outlook(
        &self,
        a: &TrackedAction,
    ) -> (Option<Level>, Option<u64>, Option<L1Inclusion>) {
        if matches!(a.level, Level::Reverted | Level::Finalized) {
            let legs = self.legs(&a.spec);
            let last = legs
                .iter()
                .filter_map(|l| l.inclusion)
                .max_by_key(|i| i.slot);
            return (None, None, last.filter(|_| a.level == Level::Finalized));
        }
        if let (Some(s), true) = (a.spec.atomic_slot, a.level.rank() < Level::Included.rank()) {
            let eta = self
                .predictable()
                .l1_head
                .then(|| self.chain.config().l1.slot_start(s.saturating_add(1)));
            return (Some(Level::Included), eta, None);
        }
        let legs = self.legs(&a.spec);
        let lowest: Vec<&Leg> = legs.iter().filter(|l| l.level == a.level).collect();
        let next_level = lowest
            .iter()
            .filter_map(|l| l.next_level)
            .min_by_key(|l| l.rank())
            .or(match a.level {
                Level::Included => Some(Level::Finalized),
                _ => Some(Level::Included),
            });
        let eta = if lowest.is_empty() {
            None
        } else {
            lowest
                .iter()
                .map(|l| l.eta)
                .collect::<Option<Vec<u64>>>()
                .and_then(|v| v.into_iter().max())
        };
        let inclusion = if a.level.rank() >= Level::Included.rank() {
            legs.iter()
                .filter_map(|l| l.inclusion)
                .max_by_key(|i| i.slot)
        } else {
            None
        };
        (next_level, eta, inclusion)
    }

    /// The status of a tracked action (with its EIP-5792 code), or `None` for an unknown id.
    pub(crate) fn status_of_action(&self, id: u64) -> Option<ConfidenceStatus> {
        let a = usize::try_from(id).ok().and_then(|i| self.actions.get(i))?;
        let (next_level, next_level_eta, l1_inclusion) = self.action_outlook(a);
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
        let mut status = ConfidenceStatus {
            level: a.level,
            block_hash: None,
            block_number: None,
            revert_risks,
            reason: a.reason,
            last_downgrade: a.last_downgrade,
            next_level,
            next_level_eta,
            l1_inclusion,
            execution_checked: false,
            proven: false,
            liveness: self.liveness(),
            block_tag: a.level.block_tag(),
            eip5792_status: a.level.eip5792_status(),
            oasis_status: a.level.oasis_status(),
        };
        if a.reason == Some(Reason::L1LegFailed) && a.level == Level::Reverted {
            let any_ok = a
                .spec
                .l1_txs
                .iter()
                .any(|t| self.l1_receipts.get(t).is_some_and(|r| r.success));
            status.eip5792_status = if any_ok {
                EIP5792_PARTIAL_CHAIN_RULES_FAILURE
            } else {
                EIP5792_CHAIN_RULES_FAILURE
            };
        }
        Some(status)
    }
}

/// One leg of an action as the action's outlook reads it.
#[derive(Debug, Clone, Copy)]
struct Leg {
    level: Level,
    reason: Option<Reason>,
    next_level: Option<Level>,
    eta: Option<u64>,
    inclusion: Option<L1Inclusion>,
}

impl Leg {
    /// A leg without an ETA or an L1 inclusion.
    fn waiting(level: Level, reason: Option<Reason>, next_level: Option<Level>) -> Self {
        Self {
            level,
            reason,
            next_level,
            eta: None,
            inclusion: None,
        }
    }
}
