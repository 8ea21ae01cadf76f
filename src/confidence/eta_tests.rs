//! PROTOCOL.md section 9, "ETAs", "Actions" and "Reason and last downgrade":
//! an ETA never outlives the L1 progress it predicts, an action's outlook
//! comes from its lowest legs, and a level that came back up carries no
//! reason while the last downgrade stays visible. Expected values are
//! computed from the section's formulas, not read from the engine.

use alloy_primitives::{Bytes, keccak256};

use super::query::{FINALITY_STALL_EPOCHS, STALE_HEAD_SLOTS};
use super::tests::H;
use super::*;
use crate::rollup::testkit::*;

/// `slotStart(s)` of the testkit's L1 timing.
fn slot_start(slot: u64) -> u64 {
    GENESIS + slot * SPS
}

#[test]
fn slot_ending_eta_is_null_once_the_verified_head_lags_the_clock() {
    let mut t = H::new();
    let a = anchor_header();
    t.l1(1, vec![]);
    let e = t.cert(&a, SLOT_ENDING, 2, vec![]);
    let head_slot = t.head.slot;
    // Clock STALE_HEAD_SLOTS slots past the head: still predictable,
    // slotStart(max(S, now) + 2).
    let now_slot = head_slot + STALE_HEAD_SLOTS;
    t.eng.advance_clock(slot_start(now_slot));
    let st = t.eng.status_of_block(&e.hash()).unwrap();
    assert_eq!(st.level, Level::SlotEnding);
    assert_eq!(st.next_level, Some(Level::Included));
    assert_eq!(st.next_level_eta, Some(slot_start(now_slot + 2)));
    // One slot more: the client cannot see L1 advance; no ETA, next level kept.
    t.eng.advance_clock(slot_start(now_slot + 1));
    let st = t.eng.status_of_block(&e.hash()).unwrap();
    assert_eq!(st.next_level, Some(Level::Included));
    assert_eq!(st.next_level_eta, None);
    // The head catches up: the ETA is back.
    t.l1(now_slot + 1, vec![]);
    let st = t.eng.status_of_block(&e.hash()).unwrap();
    assert_eq!(st.next_level_eta, Some(slot_start(now_slot + 1 + 2)));
}

#[test]
fn based_block_eta_is_null_once_the_verified_head_lags_the_clock() {
    let mut t = H::new();
    let a = anchor_header();
    let l1_1 = t.l1(1, vec![]);
    let e = t.cert(&a, SLOT_ENDING, 2, vec![]);
    let bb = t.based(&e, 2, &l1_1);
    let st = t.eng.status_of_block(&bb.hash()).unwrap();
    assert_eq!(st.next_level_eta, Some(slot_start(2 + 1)));
    t.eng.advance_clock(slot_start(1 + STALE_HEAD_SLOTS + 1));
    let st = t.eng.status_of_block(&bb.hash()).unwrap();
    assert_eq!(
        (st.next_level, st.next_level_eta),
        (Some(Level::Included), None)
    );
}

#[test]
fn finality_eta_is_null_while_finality_stalls() {
    let mut t = H::new();
    let a = anchor_header();
    t.l1(1, vec![]);
    let b = t.cert(&a, SEQUENCED, 2, vec![]);
    let log = t.commit_log(&b);
    t.l1(2, vec![log]);
    // The checkpoint is the anchor's L1 block (slot 0, epoch 0). The ETA:
    // slotStart((epoch(2) + 3) * slotsPerEpoch).
    let expected = slot_start((2 / SPE + 3) * SPE);
    let last_live_slot = (FINALITY_STALL_EPOCHS + 1) * SPE - 1;
    t.eng.advance_clock(slot_start(last_live_slot));
    let st = t.eng.status_of_block(&b.hash()).unwrap();
    assert_eq!(st.level, Level::Included);
    assert_eq!(st.next_level_eta, Some(expected));
    // First slot of epoch FINALITY_STALL_EPOCHS + 1: finality stalls.
    t.eng.advance_clock(slot_start(last_live_slot + 1));
    let st = t.eng.status_of_block(&b.hash()).unwrap();
    assert_eq!(
        (st.next_level, st.next_level_eta),
        (Some(Level::Finalized), None)
    );
    // A checkpoint at the including block: predictable again.
    let fin = t.head;
    t.finalize(&fin);
    assert_eq!(t.level(&b), Level::Finalized);
}

#[test]
fn a_level_that_came_back_has_no_reason_but_keeps_its_last_downgrade() {
    let mut t = H::new();
    let a = anchor_header();
    let l1_1 = t.l1(1, vec![]);
    let b = t.cert(&a, SEQUENCED, 2, vec![]);
    let log = t.commit_log(&b);
    t.l1(2, vec![log]);
    assert_eq!(t.level(&b), Level::Included);
    // A reorg drops the commitment: down with `l1Reorg`.
    t.l1_on(l1_1, 2, 1, vec![]);
    let st = t.eng.status_of_block(&b.hash()).unwrap();
    assert_eq!(st.level, Level::Sequenced);
    assert_eq!(
        (st.reason, st.last_downgrade),
        (Some(Reason::L1Reorg), Some(Reason::L1Reorg))
    );
    // Committed again on the new chain: up, no reason; the downgrade stays known.
    t.committed = a.hash();
    let log = t.commit_log(&b);
    t.l1(3, vec![log]);
    let st = t.eng.status_of_block(&b.hash()).unwrap();
    assert_eq!(st.level, Level::Included);
    assert_eq!(st.reason, None);
    assert_eq!(st.last_downgrade, Some(Reason::L1Reorg));
}

#[test]
fn an_action_takes_the_next_level_and_latest_eta_of_its_lowest_legs() {
    let mut t = H::new();
    let a = anchor_header();
    t.l1(1, vec![]);
    let b2 = t.cert(&a, SEQUENCED, 2, vec![Bytes::from_static(b"\x02one")]);
    let b3 = t.cert(&b2, SEQUENCED, 3, vec![Bytes::from_static(b"\x02two")]);
    let id = t.eng.track(ActionSpec {
        l2_txs: vec![keccak256(b"\x02one"), keccak256(b"\x02two")],
        l1_txs: vec![],
        atomic_slot: None,
    });
    let st = t.eng.status_of_action(id).unwrap();
    assert_eq!(st.level, Level::Sequenced);
    // Legs: sequenced in slots 2 and 3 -> slot-ending at slotStart(3) and
    // slotStart(4); the action: the later one.
    assert_eq!(st.next_level, Some(Level::SlotEnding));
    assert_eq!(st.next_level_eta, Some(slot_start(4)));
    assert_eq!(st.l1_inclusion, None);
    // Both committed in L1 slot 4: included, finality ETA of slot 4, and the
    // action's L1 inclusion is that commitment.
    let log = t.commit_log(&b3);
    t.l1(4, vec![log]);
    let st = t.eng.status_of_action(id).unwrap();
    assert_eq!(st.level, Level::Included);
    assert_eq!(st.next_level, Some(Level::Finalized));
    assert_eq!(st.next_level_eta, Some(slot_start((4 / SPE + 3) * SPE)));
    assert_eq!(
        st.l1_inclusion.map(|i| (i.slot, i.beacon_root)),
        Some((4, t.head.beacon_root))
    );
}

#[test]
fn an_action_waiting_for_an_unseen_l1_leg_has_no_eta() {
    let mut t = H::new();
    let a = anchor_header();
    t.l1(1, vec![]);
    let b = t.cert(&a, SEQUENCED, 2, vec![Bytes::from_static(b"\x02l2")]);
    let log = t.commit_log(&b);
    t.l1(2, vec![log]);
    let id = t.eng.track(ActionSpec {
        l2_txs: vec![keccak256(b"\x02l2")],
        l1_txs: vec![keccak256(b"an L1 tx nobody has seen")],
        atomic_slot: None,
    });
    let st = t.eng.status_of_action(id).unwrap();
    assert_eq!(st.level, Level::Pending);
    assert_eq!(
        (st.next_level, st.next_level_eta),
        (Some(Level::Included), None)
    );
}
