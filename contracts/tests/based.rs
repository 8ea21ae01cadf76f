//! Based blocks (docs/PROTOCOL.md section 4) and the stall rule / based
//! mode (section 5.4) as the inbox enforces them, each refusal by name.

mod common;

use common::*;

/// Commits `blocks` and asserts the named refusal and unchanged storage.
#[track_caller]
fn refused(r: &mut Rollup, blocks: Vec<preconf_inbox::CommitBlock>, error: &str) {
    let before = snapshot(r);
    r.commit(blocks).expect_err(error);
    assert_eq!(snapshot(r), before, "a refused commitment changed storage");
}

fn rollup_at(slot: u64) -> Rollup {
    let mut r = Rollup::ecdsa(0);
    r.l1.enter_slot(slot);
    r
}

#[test]
fn based_blocks_on_the_slot_ending_block_of_their_slot() {
    // Section 4 rule 1: on the slot-ending block E of slot S with the same L1
    // parent, or on a based block of S; rule 3: committed by the L1 block of S.
    let s = DEPLOY_SLOT + 1;
    let mut r = rollup_at(s);
    let g = genesis();
    let e = child(&g, END, s);
    let b1 = child(&e, BASED, s);
    let b2 = child(&b1, BASED, s);
    let blocks = vec![r.block(e), r.block(b1), r.block(b2.clone())];
    r.commit(blocks).expect_ok();
    assert_eq!(r.committed_head(), b2.hash());
    assert_eq!(r.state().head_nth, 0, "a based head counts 0");
}

#[test]
fn based_block_on_a_slot_ending_head_committed_earlier_in_the_same_l1_block() {
    // Section 4: E committed by one transaction, a based block on it by a
    // later one of the same L1 block (10(9): L1 execution order).
    let s = DEPLOY_SLOT + 1;
    let mut r = rollup_at(s);
    let e = child(&genesis(), END, s);
    let b = r.block(e.clone());
    r.commit(vec![b]).expect_ok();
    let based = child(&e, BASED, s);
    let b = r.block(based.clone());
    r.commit(vec![b]).expect_ok();
    assert_eq!(r.committed_head(), based.hash());
}

#[test]
fn based_block_refusals() {
    let s = DEPLOY_SLOT + 1;
    let g = genesis();
    // Rule 1: a sequenced (not slot-ending) parent, outside based mode.
    let mut r = rollup_at(s);
    let a = child(&g, SEQ, s);
    let b = child(&a, BASED, s);
    let blocks = vec![r.block(a), r.block(b)];
    refused(&mut r, blocks, "BasedWrongParent");

    // Rule 2: the slot-ending block of an earlier slot (outside based mode).
    let mut r = rollup_at(s);
    let e = child(&g, END, s - 1);
    let b = child(&e, BASED, s);
    let blocks = vec![r.block(e), r.block(b)];
    refused(&mut r, blocks, "BasedWrongSlot");

    // Rule 1: another L1 parent than the slot-ending block's.
    let mut r = rollup_at(s);
    let mut e = child(&g, END, s);
    e.l1_parent_block_hash = alloy_primitives::B256::repeat_byte(9);
    let b = child(&e, BASED, s);
    let blocks = vec![r.block(e), r.block(b)];
    refused(&mut r, blocks, "L1ParentMismatch");

    // Rule 3: committed by the L1 block of a later slot.
    let mut r = rollup_at(s);
    let e = child(&g, END, s - 1);
    let b = child(&e, BASED, s - 1);
    let blocks = vec![r.block(e), r.block(b)];
    refused(&mut r, blocks, "BasedNotInItsSlot");

    // Rule 3: the committing L1 block has another parent than the one named.
    let mut r = Rollup::ecdsa(0);
    r.l1.enter_slot_with_parent(s, (alloy_primitives::B256::repeat_byte(1), l1_parent(s).1));
    let e = child(&g, END, s);
    let b = child(&e, BASED, s);
    let blocks = vec![r.block(e.clone()), r.block(b.clone())];
    refused(&mut r, blocks, "BasedL1ParentMismatch");
    let mut r = Rollup::ecdsa(0);
    r.l1.enter_slot_with_parent(s, (l1_parent(s).0, alloy_primitives::B256::repeat_byte(1)));
    let blocks = vec![r.block(e.clone()), r.block(b.clone())];
    refused(&mut r, blocks, "BasedL1ParentMismatch");

    // Based blocks carry no certificate (section 2).
    let mut r = rollup_at(s);
    let mut blk = r.block(b.clone());
    blk.certificate = r.signer.certify(&b);
    let blocks = vec![r.block(e.clone()), blk];
    refused(&mut r, blocks, "UnexpectedCertificate");

    // The L1 parent is unknowable without EIP-4788: refused, not guessed.
    let mut r = rollup_at(s);
    r.l1.drop_beacon_root();
    let blocks = vec![r.block(e), r.block(b)];
    refused(&mut r, blocks, "BeaconRootUnavailable");
}

#[test]
fn the_stall_rule_starts_based_mode_after_k_slots() {
    // Section 5.4: based mode in slot s iff s > lastCommitSlot + K.
    let g = genesis();
    let edge = DEPLOY_SLOT + K;
    let mut r = rollup_at(edge);
    let inb = r.inbox;
    let view = |r: &mut Rollup| {
        let out = r.l1.call(
            inb,
            alloy_primitives::Bytes::from(
                alloy_primitives::keccak256("inBasedMode()")[..4].to_vec(),
            ),
        );
        out.output.last().copied() == Some(1)
    };
    assert!(!view(&mut r));
    let a = child(&g, SEQ, edge);
    let b = r.block(a);
    r.commit(vec![b]).expect_ok();

    let mut r = rollup_at(edge + 1);
    assert!(view(&mut r));
    let a = child(&g, SEQ, edge + 1);
    let b = r.block(a);
    refused(&mut r, vec![b], "CertifiedInBasedMode");
    // A based block on the committed head (a sequenced genesis) ends based mode.
    let b = child(&g, BASED, edge + 1);
    let blk = r.block(b.clone());
    r.commit(vec![blk]).expect_ok();
    assert_eq!(r.state().last_commit_slot, edge + 1);
    assert!(!view(&mut r));
    // The sequencer resumes on top of it, in a later slot.
    r.l1.enter_slot(edge + 2);
    let c = child(&b, SEQ, edge + 2);
    let blk = r.block(c);
    r.commit(vec![blk]).expect_ok();
}

#[test]
fn based_mode_segments_hold_based_blocks_only() {
    // Section 5.4: in based mode only based blocks on the committed head.
    let g = genesis();
    let s = DEPLOY_SLOT + K + 1;
    let mut r = rollup_at(s);
    let b = child(&g, BASED, s);
    let c = child(&b, SEQ, s + 1);
    let blocks = vec![r.block(b.clone()), r.block(c)];
    refused(&mut r, blocks, "CertifiedInBasedMode");
    let b2 = child(&b, BASED, s);
    let blocks = vec![r.block(b), r.block(b2)];
    r.commit(blocks).expect_ok();
}

#[test]
fn based_mode_on_a_slot_ending_head_of_an_earlier_slot() {
    // Section 10(2): in based mode rule 1(c) admits the committed head
    // whatever its kind and slot; rule 2 applies to rule 1(a) only.
    let g = genesis();
    let s = DEPLOY_SLOT + 1;
    let mut r = rollup_at(s);
    let e = child(&g, END, s);
    let blk = r.block(e.clone());
    r.commit(vec![blk]).expect_ok();
    // Outside based mode, a based block of a later slot on E is refused ...
    r.l1.enter_slot(s + 1);
    let early = child(&e, BASED, s + 1);
    let blk = r.block(early);
    refused(&mut r, vec![blk], "BasedWrongSlot");
    // ... in based mode it is the way forward.
    r.l1.enter_slot(s + K + 1);
    let b = child(&e, BASED, s + K + 1);
    let blk = r.block(b.clone());
    r.commit(vec![blk]).expect_ok();
    assert_eq!(r.committed_head(), b.hash());
}

#[test]
fn a_certified_block_built_on_a_based_block_during_based_mode() {
    // Section 10(3), the example: K = 4, E committed at slot 5 (here
    // DEPLOY_SLOT + 1), based mode from slot 10, a based block on E at 11, a
    // certified block on it at 12: the based commitment ends based mode and
    // the certified block is then committable (so it is never `reverted`).
    let g = genesis();
    let e_slot = DEPLOY_SLOT + 1;
    let mut r = rollup_at(e_slot);
    let e = child(&g, END, e_slot);
    let blk = r.block(e.clone());
    r.commit(vec![blk]).expect_ok();
    let b_slot = e_slot + K + 2;
    r.l1.enter_slot(b_slot);
    let b = child(&e, BASED, b_slot);
    let c = child(&b, SEQ, b_slot + 1);
    let blk = r.block(b);
    r.commit(vec![blk]).expect_ok();
    r.l1.enter_slot(b_slot + 1);
    let blk = r.block(c.clone());
    r.commit(vec![blk]).expect_ok();
    assert_eq!(r.committed_head(), c.hash());
}

#[test]
fn a_certified_child_of_a_based_block_starts_a_later_slot() {
    // Section 10(8) / section 3.
    let s = DEPLOY_SLOT + 1;
    let mut r = rollup_at(s);
    let e = child(&genesis(), END, s);
    let b = child(&e, BASED, s);
    let c = child(&b, SEQ, s);
    let blocks = vec![r.block(e), r.block(b), r.block(c)];
    refused(&mut r, blocks, "CertifiedChildSameSlot");
}
