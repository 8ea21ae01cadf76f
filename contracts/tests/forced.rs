//! Forced inclusion (docs/PROTOCOL.md section 5.5): requests, their queue
//! in storage, and commitments that must discharge due requests with
//! inclusion proofs against a committed block's `transactionsRoot`.

mod common;

use alloy_primitives::{B256, Bytes, U256, keccak256};
use common::*;
use preconf_inbox::forced::transaction_proof;
use preconf_inbox::storage::{COUNTS_SLOT, Counts, ForcedEntry, forced_entry_keys, slot_key};
use preconf_inbox::{ForcedInclusion, InboxEvent, forced_request_calldata};
use preconf_light::rollup::L2Header;
use preconf_light::rollup::header::transactions_root;

/// A fake EIP-2718 transaction of `len` bytes, distinct per `seed`.
fn tx(seed: u64, len: usize) -> Bytes {
    let mut out = vec![0x02];
    let mut x = keccak256(seed.to_be_bytes()).to_vec();
    while out.len() < len {
        out.extend_from_slice(&x);
        x = keccak256(&x).to_vec();
    }
    out.truncate(len);
    out.into()
}

fn with_txs(mut h: L2Header, txs: &[Bytes]) -> L2Header {
    h.transactions_root = transactions_root(txs);
    h
}

fn request(r: &mut Rollup, t: &Bytes) -> common::Outcome {
    let inbox = r.inbox;
    r.l1.call(inbox, forced_request_calldata(t))
}

fn entry(r: &Rollup, i: u64) -> ForcedEntry {
    let (a, b) = forced_entry_keys(i);
    ForcedEntry::decode(r.sload(a), r.sload(b))
}

fn proof(txs: &[Bytes], block_index: u64, tx_index: usize) -> ForcedInclusion {
    let (_, nodes) = transaction_proof(txs, tx_index).expect("proof");
    ForcedInclusion {
        block_index,
        tx_index: tx_index as u64,
        nodes,
    }
}

#[test]
fn a_request_is_queued_with_its_deadline() {
    let s = DEPLOY_SLOT + 1;
    let mut r = Rollup::ecdsa(0);
    r.l1.enter_slot(s);
    let t = tx(1, 120);
    let out = request(&mut r, &t);
    out.expect_ok();
    let e = entry(&r, 0);
    assert_eq!(e.tx_hash, keccak256(&t));
    assert_eq!(e.deadline_slot, s + FORCED_WINDOW);
    assert_eq!(e.request_slot, s);
    assert_eq!(
        Counts::decode(r.sload(slot_key(COUNTS_SLOT))).forced_tail,
        1
    );
    let log = &out.logs[0];
    let ev = preconf_inbox::decode_log(log.topics(), &log.data.data).expect("log");
    assert_eq!(
        ev,
        Some(InboxEvent::ForcedRequested {
            tx_hash: keccak256(&t),
            index: 0,
            deadline_slot: s + FORCED_WINDOW,
            transaction: t,
        })
    );
}

#[test]
fn request_size_limits() {
    let mut r = Rollup::ecdsa(0);
    r.l1.enter_slot(DEPLOY_SLOT + 1);
    request(&mut r, &tx(1, 31)).expect_err("ForcedTxSize");
    request(&mut r, &tx(1, 32_769)).expect_err("ForcedTxSize");
    request(&mut r, &tx(1, 32)).expect_ok();
    request(&mut r, &tx(2, 32_768)).expect_ok();
}

#[test]
fn due_requests_must_be_discharged() {
    let s = DEPLOY_SLOT + 1;
    let g = genesis();
    let mut r = Rollup::ecdsa(0);
    r.l1.enter_slot(s);
    let t = tx(7, 150);
    request(&mut r, &t).expect_ok();
    // Not due until a commitment in a slot after the deadline: commitments
    // in slots up to s + W need no proof.
    let mut tip = g.clone();
    for slot in s + 1..=s + FORCED_WINDOW {
        r.l1.enter_slot(slot);
        tip = child(&tip, SEQ, slot);
        let blk = r.block(tip.clone());
        r.commit(vec![blk]).expect_ok();
    }
    let due = s + FORCED_WINDOW + 1;
    r.l1.enter_slot(due);
    let plain = child(&tip, SEQ, due);
    let blk = r.block(plain);
    let before = snapshot(&r);
    r.commit(vec![blk]).expect_err("ForcedInclusionMissing");
    assert_eq!(snapshot(&r), before);
    // A block carrying the transaction, with its proof, discharges it.
    let txs = vec![tx(100, 90), t.clone(), tx(101, 200)];
    let carrying = with_txs(child(&tip, SEQ, due), &txs);
    let blk = r.block(carrying.clone());
    let out = r.commit_with(vec![blk], vec![proof(&txs, 0, 1)]);
    out.expect_ok();
    assert_eq!(r.state().forced_head, 1);
    assert_eq!(
        entry(&r, 0),
        ForcedEntry::default(),
        "discharged entries are deleted"
    );
    let log = &out.logs[0];
    match preconf_inbox::decode_log(log.topics(), &log.data.data).expect("log") {
        Some(InboxEvent::Committed { forced_head, .. }) => assert_eq!(forced_head, 1),
        other => panic!("{other:?}"),
    }
}

#[test]
fn proof_refusals() {
    let s = DEPLOY_SLOT + 1;
    let g = genesis();
    let t = tx(7, 150);
    let txs = vec![tx(100, 90), t.clone(), tx(101, 200)];
    let setup = || {
        let mut r = Rollup::ecdsa(0);
        r.l1.enter_slot(s);
        request(&mut r, &t).expect_ok();
        r.l1.enter_slot(s + 1);
        r
    };
    let carrying = with_txs(child(&g, SEQ, s + 1), &txs);
    let cases: Vec<(Vec<ForcedInclusion>, &str)> = vec![
        (vec![proof(&txs, 0, 0)], "ForcedProofInvalid"),
        (vec![proof(&txs, 1, 1)], "ForcedProofBadBlock"),
        (
            vec![proof(&txs, 0, 1), proof(&txs, 0, 1)],
            "ForcedProofBeyondQueue",
        ),
        (
            vec![ForcedInclusion {
                tx_index: 2,
                ..proof(&txs, 0, 1)
            }],
            "ForcedProofInvalid",
        ),
        (
            vec![{
                let mut p = proof(&txs, 0, 1);
                let last = p.nodes.len() - 1;
                let mut node = p.nodes[last].to_vec();
                let n = node.len();
                node[n - 1] ^= 1;
                p.nodes[last] = node.into();
                p
            }],
            "ForcedProofInvalid",
        ),
        (
            vec![ForcedInclusion {
                nodes: Vec::new(),
                ..proof(&txs, 0, 1)
            }],
            "ForcedProofInvalid",
        ),
        (vec![proof(&txs, 0, 1)], "<ok>"),
    ];
    for (forced, error) in cases {
        let mut r = setup();
        let blk = r.block(carrying.clone());
        let before = snapshot(&r);
        let out = r.commit_with(vec![blk], forced);
        assert_eq!(out.error(), error);
        if !out.success {
            assert_eq!(snapshot(&r), before);
        }
    }
}

#[test]
fn proofs_in_blocks_of_many_sizes() {
    // Keys rlp(0) = 0x80, rlp(1..=127) one byte, rlp(128..) two bytes.
    for (n, index) in [
        (1usize, 0usize),
        (2, 1),
        (3, 0),
        (130, 0),
        (130, 127),
        (130, 128),
        (130, 129),
        (300, 255),
    ] {
        let s = DEPLOY_SLOT + 1;
        let mut r = Rollup::ecdsa(0);
        r.l1.enter_slot(s);
        let txs: Vec<Bytes> = (0..n as u64)
            .map(|i| tx(i, 40 + (i as usize % 50)))
            .collect();
        request(&mut r, &txs[index]).expect_ok();
        r.l1.enter_slot(s + 1);
        let h = with_txs(child(&genesis(), SEQ, s + 1), &txs);
        let (root, _) = transaction_proof(&txs, index).expect("proof");
        assert_eq!(root, h.transactions_root);
        let blk = r.block(h);
        r.commit_with(vec![blk], vec![proof(&txs, 0, index)])
            .expect_ok();
        assert_eq!(r.state().forced_head, 1, "{n} transactions, index {index}");
    }
}

#[test]
fn request_and_commitment_in_one_l1_block_follow_execution_order() {
    // Section 10(9): a request made by an earlier transaction of the same L1
    // block is in the queue (not yet due; the commitment may discharge it);
    // one made after the commitment is not touched by it.
    let s = DEPLOY_SLOT + 1;
    let g = genesis();
    let t = tx(9, 100);
    let mut r = Rollup::ecdsa(0);
    r.l1.enter_slot(s);
    request(&mut r, &t).expect_ok();
    let txs = vec![t.clone()];
    let h = with_txs(child(&g, SEQ, s), &txs);
    let blk = r.block(h.clone());
    r.commit_with(vec![blk], vec![proof(&txs, 0, 0)])
        .expect_ok();
    assert_eq!(r.state().forced_head, 1);
    // The other order: the commitment runs first and cannot see the request.
    let h2 = with_txs(child(&h, SEQ, s), &txs);
    let blk = r.block(h2.clone());
    r.commit_with(vec![blk], vec![proof(&txs, 0, 0)])
        .expect_err("ForcedProofBeyondQueue");
    let blk = r.block(h2);
    r.commit(vec![blk]).expect_ok();
    request(&mut r, &t).expect_ok();
    assert_eq!(r.state().forced_head, 1);
    assert_eq!(entry(&r, 1).request_slot, s);
}

#[test]
fn a_commitment_discharges_at_most_the_limit_of_due_requests() {
    // Section 5.5: due requests are discharged in queue order, at least
    // min(due, 16) per commitment, so a flood cannot make every commitment
    // too large for an L1 block.
    let s = DEPLOY_SLOT + 1;
    let g = genesis();
    let mut r = Rollup::ecdsa(0);
    r.l1.enter_slot(s);
    let txs: Vec<Bytes> = (0..20u64).map(|i| tx(1000 + i, 64)).collect();
    for t in &txs {
        request(&mut r, t).expect_ok();
    }
    // A commitment in between keeps based mode away (K = 4).
    r.l1.enter_slot(s + 1);
    let x = child(&g, SEQ, s + 1);
    let blk = r.block(x.clone());
    r.commit(vec![blk]).expect_ok();
    let due = s + FORCED_WINDOW + 1;
    r.l1.enter_slot(due);
    let h = with_txs(child(&x, SEQ, due), &txs);
    let fifteen: Vec<ForcedInclusion> = (0..15).map(|i| proof(&txs, 0, i)).collect();
    let blk = r.block(h.clone());
    r.commit_with(vec![blk], fifteen)
        .expect_err("ForcedInclusionMissing");
    let sixteen: Vec<ForcedInclusion> = (0..16).map(|i| proof(&txs, 0, i)).collect();
    let blk = r.block(h.clone());
    r.commit_with(vec![blk], sixteen).expect_ok();
    assert_eq!(r.state().forced_head, 16);
    // The next commitment must go on with the rest (in another block here).
    let h2 = with_txs(child(&h, SEQ, due), &txs[16..]);
    let blk = r.block(h2.clone());
    r.commit(vec![blk]).expect_err("ForcedInclusionMissing");
    let rest: Vec<ForcedInclusion> = (0..4).map(|i| proof(&txs[16..], 0, i)).collect();
    let blk = r.block(h2);
    r.commit_with(vec![blk], rest).expect_ok();
    assert_eq!(r.state().forced_head, 20);
    let _ = (B256::ZERO, U256::ZERO);
}

#[test]
fn based_blocks_discharge_forced_requests_too() {
    // Section 5.5 with 5.4: in based mode anyone includes the due transaction.
    let s = DEPLOY_SLOT + 1;
    let g = genesis();
    let t = tx(5, 77);
    let mut r = Rollup::ecdsa(0);
    r.l1.enter_slot(s);
    request(&mut r, &t).expect_ok();
    let late = DEPLOY_SLOT + K + 1;
    assert!(late > s + FORCED_WINDOW);
    r.l1.enter_slot(late);
    let txs = vec![t];
    let b = with_txs(child(&g, BASED, late), &txs);
    let blk = r.block(b.clone());
    r.commit(vec![blk]).expect_err("ForcedInclusionMissing");
    let blk = r.block(b);
    r.commit_with(vec![blk], vec![proof(&txs, 0, 0)])
        .expect_ok();
}
