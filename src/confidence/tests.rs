//! Unit tests of the confidence engine: each rule, with the downgrade it causes.

use alloy_primitives::{B256, Bytes, keccak256};

use super::*;
use crate::Verified;
use crate::rollup::l1::{encode_commit_log, encode_forced_log};
use crate::rollup::testkit::*;
use crate::rollup::{
    BatchPublicValues, FinalizedCheckpoint, L1Block, L1Log, L1TxReceipt, L2Header, RejectReason,
    RollupError,
};

pub(super) struct H {
    pub(super) key: k256::ecdsa::SigningKey,
    pub(super) eng: Engine,
    pub(super) head: L1Block,
    pub(super) committed: B256,
    pub(super) events: Vec<Event>,
}

impl H {
    pub(super) fn new() -> Self {
        let key = signing_key(1);
        let eng = Engine::with_config(config(&key), anchor()).unwrap();
        Self {
            key,
            eng,
            head: l1_genesis(),
            committed: anchor_header().hash(),
            events: vec![],
        }
    }

    pub(super) fn cert(
        &mut self,
        parent: &L2Header,
        kind: u8,
        slot: u64,
        txs: Vec<Bytes>,
    ) -> L2Header {
        let b = l2_child(parent, kind, slot, &self.head, txs, 0);
        let h = b.header.clone();
        let ev = self
            .eng
            .ingest_feed_message(certified(&self.key, b))
            .unwrap();
        self.events.extend(ev);
        h
    }

    pub(super) fn based(&mut self, parent: &L2Header, slot: u64, l1_parent: &L1Block) -> L2Header {
        let b = l2_child(parent, BASED, slot, l1_parent, vec![], 7);
        let h = b.header.clone();
        let ev = self.eng.ingest_feed_message(based(b)).unwrap();
        self.events.extend(ev);
        h
    }

    pub(super) fn commit_log(&mut self, h: &L2Header) -> L1Log {
        let log = encode_commit_log(inbox(), h.hash(), h.number, self.committed);
        self.committed = h.hash();
        log
    }

    /// Adds an L1 block at `slot` on `parent` with `logs`, making it the head.
    pub(super) fn l1_on(
        &mut self,
        parent: L1Block,
        slot: u64,
        salt: u64,
        logs_: Vec<L1Log>,
    ) -> L1Block {
        let b = l1_child(&parent, slot, salt);
        let ev = self.eng.apply_l1_block(Verified::new_unchecked(b)).unwrap();
        self.events.extend(ev);
        let ev = self.eng.apply_inbox_logs(logs(&b, logs_)).unwrap();
        self.events.extend(ev);
        self.head = b;
        b
    }

    pub(super) fn l1(&mut self, slot: u64, logs_: Vec<L1Log>) -> L1Block {
        self.l1_on(self.head, slot, 0, logs_)
    }

    pub(super) fn level(&self, h: &L2Header) -> Level {
        self.eng.status_of_block(&h.hash()).unwrap().level
    }

    pub(super) fn reason(&self, h: &L2Header) -> Option<Reason> {
        self.eng.status_of_block(&h.hash()).unwrap().last_downgrade
    }

    pub(super) fn finalize(&mut self, b: &L1Block) {
        let ev = self
            .eng
            .apply_finalized(Verified::new_unchecked(FinalizedCheckpoint {
                slot: b.slot,
                beacon_root: b.beacon_root,
            }))
            .unwrap();
        self.events.extend(ev);
    }

    fn downgrades(&self, h: &L2Header) -> Vec<(Level, Level, Option<Reason>)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::LevelChanged {
                    subject: Subject::Block { hash: b },
                    from,
                    to,
                    reason,
                    ..
                } if *b == h.hash() && to.rank() < from.rank() => Some((*from, *to, *reason)),
                _ => None,
            })
            .collect()
    }
}

#[test]
fn levels_climb_sequenced_slot_ending_included_finalized_with_etas() {
    let mut t = H::new();
    let a = anchor_header();
    let l1_1 = t.l1(1, vec![]);
    let b = t.cert(&a, SEQUENCED, 2, vec![Bytes::from_static(b"\x02tx1")]);
    assert_eq!(t.level(&b), Level::Sequenced);
    let st = t.eng.status_of_block(&b.hash()).unwrap();
    assert_eq!(st.next_level, Some(Level::SlotEnding));
    assert_eq!(st.next_level_eta, Some(GENESIS + 3 * SPS));
    assert!(st.revert_risks.contains(&RevertRisk::Equivocation));
    let e = t.cert(&b, SLOT_ENDING, 2, vec![]);
    // E names L1 block of slot 1 as its parent, which is the latest block before slot 2.
    assert_eq!(t.level(&e), Level::SlotEnding);
    assert_eq!(t.level(&b), Level::SlotEnding);
    let log = t.commit_log(&e);
    let l1_2 = t.l1(2, vec![log]);
    assert_eq!(t.level(&b), Level::Included);
    let st = t.eng.status_of_block(&e.hash()).unwrap();
    assert_eq!(st.l1_inclusion.map(|i| i.slot), Some(2));
    assert_eq!(st.next_level_eta, Some(GENESIS + 3 * SPE * SPS));
    assert_eq!(st.revert_risks, vec![RevertRisk::L1Reorg]);
    let tx = t.eng.status_of_tx(&keccak256(b"\x02tx1")).unwrap();
    assert_eq!(tx.level, Level::Included);
    assert_eq!(tx.level.oasis_status(), "L2 Included, L1 Included");
    t.finalize(&l1_1);
    assert_eq!(t.level(&e), Level::Included);
    t.finalize(&l1_2);
    assert_eq!(t.level(&e), Level::Finalized);
    assert_eq!(t.level(&e).block_tag(), Some("finalized"));
    assert!(t.downgrades(&e).is_empty());
}

#[test]
fn l1_reorg_takes_commitments_with_it() {
    let mut t = H::new();
    let a = anchor_header();
    let l1_1 = t.l1(1, vec![]);
    let b = t.cert(&a, SEQUENCED, 2, vec![]);
    let log = t.commit_log(&b);
    t.l1(2, vec![log]);
    assert_eq!(t.level(&b), Level::Included);
    // Competing block at slot 2 without the commitment.
    t.l1_on(l1_1, 2, 1, vec![]);
    assert_eq!(t.level(&b), Level::Sequenced);
    assert_eq!(t.reason(&b), Some(Reason::L1Reorg));
    assert_eq!(
        t.downgrades(&b),
        vec![(Level::Included, Level::Sequenced, Some(Reason::L1Reorg))]
    );
    // Finality cannot be reorged.
    let fin = t.head;
    t.finalize(&fin);
    let err = t
        .eng
        .apply_l1_block(Verified::new_unchecked(l1_child(&l1_1, 3, 5)))
        .unwrap_err();
    assert_eq!(err, EngineError::Rollup(RollupError::FinalityViolation));
}

#[test]
fn based_block_included_in_its_slot_then_reverted_by_reorg() {
    let mut t = H::new();
    let a = anchor_header();
    let l1_1 = t.l1(1, vec![]);
    let e = t.cert(&a, SLOT_ENDING, 2, vec![]);
    let bb = t.based(&e, 2, &l1_1);
    assert_eq!(t.level(&bb), Level::Pending);
    let st = t.eng.status_of_block(&bb.hash()).unwrap();
    assert!(st.revert_risks.contains(&RevertRisk::MissedSlot));
    let log = t.commit_log(&bb);
    t.l1(2, vec![log]);
    assert_eq!(t.level(&bb), Level::Included);
    assert_eq!(t.level(&e), Level::Included);
    // The sequencer continues on the based block in slot 3.
    let s3 = t.cert(&bb, SEQUENCED, 3, vec![]);
    assert_eq!(t.level(&s3), Level::Sequenced);
    // Reorg: slot 2's block replaced by one without the based block.
    t.committed = e.hash();
    t.l1_on(l1_1, 2, 1, vec![]);
    assert_eq!(t.level(&bb), Level::Reverted);
    assert_eq!(t.reason(&bb), Some(Reason::L1Reorg));
    assert_eq!(t.level(&s3), Level::Reverted);
    assert_eq!(t.level(&e), Level::SlotEnding);
}

#[test]
fn based_block_missing_its_slot_is_reverted_visibly() {
    let mut t = H::new();
    let a = anchor_header();
    let l1_1 = t.l1(1, vec![]);
    let e = t.cert(&a, SLOT_ENDING, 2, vec![]);
    let bb = t.based(&e, 2, &l1_1);
    // Slot 2's L1 block does not carry it.
    t.l1(2, vec![]);
    assert_eq!(t.level(&bb), Level::Reverted);
    assert_eq!(t.reason(&bb), Some(Reason::MissedSlot));
    assert_eq!(
        t.downgrades(&bb),
        vec![(Level::Pending, Level::Reverted, Some(Reason::MissedSlot))]
    );
    // A commitment of it in slot 3 is refused (wrong slot).
    let log = t.commit_log(&bb);
    t.l1(3, vec![log]);
    assert!(
        t.events.iter().any(
            |e| matches!(e, Event::CommitmentRejected(r) if r.reason == RejectReason::BasedRule)
        )
    );
    assert_eq!(t.level(&bb), Level::Reverted);
    assert_eq!(t.level(&e), Level::SlotEnding);
}

#[test]
fn based_block_with_l1_parent_mismatch_is_reverted() {
    let mut t = H::new();
    let a = anchor_header();
    let l1_1 = t.l1(1, vec![]);
    let e = t.cert(&a, SLOT_ENDING, 3, vec![]);
    let bb = t.based(&e, 3, &l1_1);
    // Slot 2's L1 block may still come: whether E matches is not decided yet.
    assert_eq!(t.level(&e), Level::Sequenced);
    // The L1 block of slot 2 appears: slot 3's block will build on it, not on l1_1.
    t.l1(2, vec![]);
    assert_eq!(t.level(&e), Level::Sequenced);
    t.l1(3, vec![]);
    assert_eq!(t.level(&bb), Level::Reverted);
    assert_eq!(t.reason(&bb), Some(Reason::L1ParentMismatch));
}

#[test]
fn slot_ending_downgrades_when_l1_reorgs_its_parent() {
    let mut t = H::new();
    let a = anchor_header();
    let g = l1_genesis();
    t.l1(1, vec![]);
    let e = t.cert(&a, SLOT_ENDING, 2, vec![]);
    assert_eq!(t.level(&e), Level::SlotEnding);
    t.l1_on(g, 1, 9, vec![]);
    assert_eq!(t.level(&e), Level::Sequenced);
    assert_eq!(t.reason(&e), Some(Reason::L1Reorg));
}

#[test]
fn stall_rule_switches_to_based_mode_after_k_slots() {
    let mut t = H::new();
    let a = anchor_header();
    t.l1(1, vec![]);
    let b = t.cert(&a, SEQUENCED, 2, vec![]);
    // K = 10: slots 2..=10 without a commitment keep sequenced mode.
    for s in 2..=10 {
        t.l1(s, vec![]);
    }
    assert_eq!(t.level(&b), Level::Sequenced);
    let st = t.eng.status_of_block(&b.hash()).unwrap();
    assert_eq!(st.liveness.slots_until_based_mode, 1);
    assert!(!st.liveness.based_mode);
    t.l1(11, vec![]);
    assert_eq!(t.level(&b), Level::Reverted);
    assert_eq!(t.reason(&b), Some(Reason::BasedModeSwitch));
    assert!(t.events.contains(&Event::BasedMode { active: true }));
    // In based mode a based block on the committed head can be committed.
    let head = t.head;
    let bb = t.based(&a, 12, &head);
    let log = t.commit_log(&bb);
    t.l1(12, vec![log]);
    assert_eq!(t.level(&bb), Level::Included);
    assert!(t.events.contains(&Event::BasedMode { active: false }));
    assert_eq!(t.level(&b), Level::Reverted);
}

#[test]
fn certified_commitment_during_based_mode_is_rejected() {
    let mut t = H::new();
    let a = anchor_header();
    for s in 1..=11 {
        t.l1(s, vec![]);
    }
    assert!(t.eng.chain().based_mode());
    let b = t.cert(&a, SEQUENCED, 12, vec![]);
    assert_eq!(t.level(&b), Level::Reverted);
    let log = t.commit_log(&b);
    t.l1(12, vec![log]);
    assert!(
        t.events.iter().any(
            |e| matches!(e, Event::CommitmentRejected(r) if r.reason == RejectReason::BasedMode)
        )
    );
    assert_eq!(t.level(&b), Level::Reverted);
}

#[test]
fn forced_transaction_skipped_past_deadline_rejects_the_commitment() {
    let mut t = H::new();
    let a = anchor_header();
    let forced_tx = Bytes::from_static(b"\x02forced");
    let forced_hash = keccak256(&forced_tx);
    t.l1(1, vec![encode_forced_log(inbox(), forced_hash, 3)]);
    let st = t.eng.status_of_block(&a.hash()).unwrap();
    assert_eq!(st.liveness.forced_due.len(), 1);
    // Before the deadline a commitment without it is fine.
    let b = t.cert(&a, SEQUENCED, 2, vec![]);
    let log = t.commit_log(&b);
    t.l1(2, vec![log]);
    assert_eq!(t.level(&b), Level::Included);
    // Past the deadline (slot 4 > 3) it is refused.
    let c = t.cert(&b, SEQUENCED, 3, vec![]);
    let log = t.commit_log(&c);
    t.l1(4, vec![log]);
    assert!(t.events.iter().any(
        |e| matches!(e, Event::CommitmentRejected(r) if r.reason == RejectReason::ForcedInclusionSkipped)
    ));
    assert_eq!(t.level(&c), Level::Sequenced);
    // A block including it gets committed.
    t.committed = b.hash();
    let d = t.cert(&c, SEQUENCED, 5, vec![forced_tx]);
    let log = t.commit_log(&d);
    t.l1(5, vec![log]);
    assert_eq!(t.level(&c), Level::Included);
    assert_eq!(t.level(&d), Level::Included);
    assert!(
        t.eng
            .status_of_block(&d.hash())
            .unwrap()
            .liveness
            .forced_due
            .is_empty()
    );
}

#[test]
fn equivocation_keeps_both_certificates_and_downgrades() {
    let mut t = H::new();
    let a = anchor_header();
    t.l1(1, vec![]);
    let b = t.cert(&a, SEQUENCED, 2, vec![]);
    let c = t.cert(&b, SEQUENCED, 2, vec![]);
    assert_eq!(t.level(&c), Level::Sequenced);
    let head = t.head;
    let twin = l2_child(
        &b,
        SEQUENCED,
        2,
        &head,
        vec![Bytes::from_static(b"\x02other")],
        3,
    );
    let ev = t
        .eng
        .ingest_feed_message(certified(&t.key, twin.clone()))
        .unwrap();
    let evidence = ev.iter().find_map(|e| match e {
        Event::Equivocation { evidence, .. } => Some(evidence.clone()),
        _ => None,
    });
    t.events.extend(ev);
    let evidence = evidence.expect("equivocation evidence");
    assert_eq!(evidence.block_hashes(), (c.hash(), twin.header.hash()));
    assert!(evidence.encode().is_ok());
    assert_eq!(t.eng.chain().equivocations().len(), 1);
    assert_eq!(t.level(&c), Level::Pending);
    assert_eq!(t.reason(&c), Some(Reason::Equivocation));
    assert_eq!(t.level(&b), Level::Sequenced);
    // L1 commits the twin: c is reverted for equivocation.
    let log = t.commit_log(&twin.header);
    t.l1(2, vec![log]);
    assert_eq!(t.level(&twin.header), Level::Included);
    assert_eq!(t.level(&c), Level::Reverted);
    // Without a second certificate there is no evidence.
    assert_eq!(t.eng.chain().equivocations().len(), 1);
}

#[test]
fn derivation_waits_for_unknown_committed_header() {
    let mut t = H::new();
    let a = anchor_header();
    let head = t.l1(1, vec![]);
    let b = l2_child(&a, SEQUENCED, 2, &head, vec![], 0);
    let log = encode_commit_log(inbox(), b.header.hash(), 1, a.hash());
    t.l1(2, vec![log]);
    assert_eq!(t.eng.chain().awaiting_header(), Some(b.header.hash()));
    t.eng
        .ingest_feed_message(certified(&t.key, b.clone()))
        .unwrap();
    assert_eq!(t.eng.chain().awaiting_header(), None);
    assert_eq!(t.level(&b.header), Level::Included);
}

#[test]
fn l1_inputs_must_be_consistent() {
    let mut t = H::new();
    let g = l1_genesis();
    let orphan = l1_child(&l1_child(&g, 1, 0), 2, 0);
    assert!(matches!(
        t.eng.apply_l1_block(Verified::new_unchecked(orphan)),
        Err(EngineError::Rollup(RollupError::UnknownL1Parent(_)))
    ));
    let mut bad = l1_child(&g, 1, 0);
    bad.parent_block_hash = B256::ZERO;
    assert!(matches!(
        t.eng.apply_l1_block(Verified::new_unchecked(bad)),
        Err(EngineError::Rollup(RollupError::L1Inconsistent(_)))
    ));
    let b = t.l1(1, vec![]);
    let mut wrong = logs(&b, vec![]).into_inner();
    wrong.block_hash = B256::ZERO;
    assert!(matches!(
        t.eng.apply_inbox_logs(Verified::new_unchecked(wrong)),
        Err(EngineError::Rollup(RollupError::L1Inconsistent(_)))
    ));
}

#[test]
fn atomic_action_included_in_one_l1_block_or_reverted() {
    let mut t = H::new();
    let a = anchor_header();
    let l1_1 = t.l1(1, vec![]);
    let e = t.cert(&a, SLOT_ENDING, 2, vec![]);
    let tx = Bytes::from_static(b"\x02l2leg");
    let bb = l2_child(&e, BASED, 2, &l1_1, vec![tx.clone()], 1);
    t.eng.ingest_feed_message(based(bb.clone())).unwrap();
    let l1_tx = keccak256(b"l1leg");
    let ok = t.eng.track(ActionSpec {
        l2_txs: vec![keccak256(&tx)],
        l1_txs: vec![l1_tx],
        atomic_slot: Some(2),
    });
    assert_eq!(t.eng.status_of_action(ok).unwrap().level, Level::Pending);
    assert_eq!(t.eng.eip5792_status_of_action(ok), Some(EIP5792_PENDING));
    let log = t.commit_log(&bb.header);
    let b2 = t.l1(2, vec![log]);
    t.eng.apply_l1_receipt(Verified::new_unchecked(L1TxReceipt {
        tx_hash: l1_tx,
        beacon_root: b2.beacon_root,
        success: true,
    }));
    assert_eq!(t.eng.status_of_action(ok).unwrap().level, Level::Included);
    assert_eq!(t.eng.eip5792_status_of_action(ok), Some(EIP5792_CONFIRMED));
    // A second action whose based block misses slot 3.
    let e3 = t.cert(&bb.header, SLOT_ENDING, 3, vec![]);
    let tx3 = Bytes::from_static(b"\x02late");
    let bb3 = l2_child(&e3, BASED, 3, &b2, vec![tx3.clone()], 1);
    t.eng.ingest_feed_message(based(bb3)).unwrap();
    let late = t.eng.track(ActionSpec {
        l2_txs: vec![keccak256(&tx3)],
        l1_txs: vec![],
        atomic_slot: Some(3),
    });
    t.events.clear();
    t.l1(3, vec![]);
    assert_eq!(t.eng.status_of_action(late).unwrap().level, Level::Reverted);
    assert_eq!(
        t.eng.status_of_action(late).unwrap().last_downgrade,
        Some(Reason::MissedSlot)
    );
    assert!(t.events.iter().any(|e| matches!(e, Event::LevelChanged { subject: Subject::Action { id }, to: Level::Reverted, .. } if *id == late)));
    assert_eq!(
        t.eng.eip5792_status_of_action(late),
        Some(EIP5792_OFFCHAIN_FAILURE)
    );
    // An L1 leg that fails on chain.
    let failed = keccak256(b"failed");
    let f = t.eng.track(ActionSpec {
        l2_txs: vec![],
        l1_txs: vec![failed],
        atomic_slot: None,
    });
    t.eng.apply_l1_receipt(Verified::new_unchecked(L1TxReceipt {
        tx_hash: failed,
        beacon_root: t.head.beacon_root,
        success: false,
    }));
    assert_eq!(
        t.eng.eip5792_status_of_action(f),
        Some(EIP5792_CHAIN_RULES_FAILURE)
    );
}

#[test]
fn marks_execution_checked_and_proven() {
    let mut t = H::new();
    let a = anchor_header();
    t.l1(1, vec![]);
    let b = t.cert(&a, SEQUENCED, 2, vec![]);
    let c = t.cert(&b, SEQUENCED, 2, vec![]);
    t.eng
        .apply_execution_check(Verified::new_unchecked(ExecutionCheck {
            block_hash: c.hash(),
        }))
        .unwrap();
    assert!(t.eng.status_of_block(&c.hash()).unwrap().execution_checked);
    assert_eq!(
        t.eng
            .apply_execution_check(Verified::new_unchecked(ExecutionCheck {
                block_hash: B256::ZERO
            })),
        Err(EngineError::NotTracked)
    );
    let good = BatchPublicValues {
        l1_head: t.head.block_hash,
        l2_pre_root: a.state_root,
        l2_post_root: c.state_root,
        l2_block_number: c.number,
        l2_block_hash: c.hash(),
        config_hash: t.eng.chain().config().config_hash(),
    };
    let bad_cfg = BatchPublicValues {
        config_hash: B256::ZERO,
        ..good
    };
    assert_eq!(
        t.eng.apply_proven(Verified::new_unchecked(bad_cfg)),
        Err(EngineError::Rollup(RollupError::PublicValuesMismatch(
            "config hash"
        )))
    );
    let bad_root = BatchPublicValues {
        l2_post_root: B256::ZERO,
        ..good
    };
    assert_eq!(
        t.eng.apply_proven(Verified::new_unchecked(bad_root)),
        Err(EngineError::Rollup(RollupError::PublicValuesMismatch(
            "post-state root"
        )))
    );
    t.eng.apply_proven(Verified::new_unchecked(good)).unwrap();
    assert!(t.eng.status_of_block(&b.hash()).unwrap().proven);
    assert!(t.eng.status_of_block(&c.hash()).unwrap().proven);
}

#[test]
fn mappings() {
    assert_eq!(Level::Included.block_tag(), Some("safe"));
    assert_eq!(Level::SlotEnding.block_tag(), Some("latest"));
    assert_eq!(Level::Reverted.block_tag(), None);
    assert_eq!(Level::SlotEnding.eip5792_status(), 100);
    assert_eq!(Level::Finalized.eip5792_status(), 200);
    assert_eq!(Level::Reverted.eip5792_status(), 400);
    assert_eq!(Level::Sequenced.oasis_status(), "L2 Confirmed");
    assert_eq!(Level::Reverted.oasis_status(), "L2 Dropped");
    assert_eq!(Level::SlotEnding.as_str(), "slot-ending");
    assert!(Level::Reverted.rank() < Level::Pending.rank());
}
