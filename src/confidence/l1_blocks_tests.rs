//! L1-block levels on a synthetic hash-linked chain: each rule of
//! `L1Blocks::status` and the walk's bounds.

use alloy_primitives::{B64, B256, Bloom, Bytes, U256, keccak256};

use super::l1_blocks::*;
use crate::Verified;
use crate::execution::{ExecutionBlock, ExecutionHeader};
use crate::rollup::testkit;

/// Blocks 0..=n, each the parent of the next; `salt` makes a rival chain.
fn chain(n: u64, salt: u8) -> Vec<Verified<ExecutionBlock>> {
    let mut out: Vec<Verified<ExecutionBlock>> = Vec::new();
    let mut parent = B256::ZERO;
    for number in 0..=n {
        let header = ExecutionHeader {
            parent_hash: parent,
            ommers_hash: keccak256([0xc0u8]),
            beneficiary: Default::default(),
            state_root: B256::repeat_byte(salt),
            transactions_root: alloy_trie::EMPTY_ROOT_HASH,
            receipts_root: alloy_trie::EMPTY_ROOT_HASH,
            logs_bloom: Bloom::ZERO,
            difficulty: U256::ZERO,
            number,
            gas_limit: 30_000_000,
            gas_used: 0,
            timestamp: testkit::GENESIS + number * testkit::SPS,
            extra_data: Bytes::new(),
            mix_hash: B256::ZERO,
            nonce: B64::ZERO,
            base_fee_per_gas: Some(7),
            withdrawals_root: None,
            blob_gas_used: None,
            excess_blob_gas: None,
            parent_beacon_block_root: None,
            requests_hash: None,
        };
        parent = header.hash_slow();
        out.push(Verified::new_unchecked(ExecutionBlock {
            hash: parent,
            header,
            transaction_hashes: None,
            withdrawals_checked: false,
        }));
    }
    out
}

fn head(b: &ExecutionBlock) -> ExecutionHead {
    ExecutionHead {
        hash: b.hash,
        number: b.header.number,
        timestamp: b.header.timestamp,
    }
}

fn decided(a: L1Answer) -> L1BlockStatus {
    match a {
        L1Answer::Status(s) => s,
        L1Answer::Need { need, .. } => panic!("still needs {need}"),
    }
}

/// Answers a question as the client does: fetch what it needs, insert, ask again.
fn ask(
    blocks: &mut L1Blocks,
    all: &[Verified<ExecutionBlock>],
    target: L1Target,
    heads: &L1Heads,
    max_walk: u64,
) -> (L1BlockStatus, u64) {
    let timing = testkit::timing();
    for fetched in 0.. {
        match blocks.status(
            target,
            heads,
            &timing,
            testkit::GENESIS,
            (max_walk, fetched),
        ) {
            L1Answer::Status(s) => return (s, fetched),
            L1Answer::Need { need, .. } => {
                let b = all
                    .iter()
                    .find(|b| b.hash == need)
                    .expect("a block of the chain");
                blocks.insert(b);
            }
        }
    }
    unreachable!()
}

#[test]
fn levels_of_l1_blocks_below_the_verified_heads() {
    let c = chain(20, 1);
    let heads = L1Heads {
        finalized: head(&c[10]),
        optimistic: head(&c[20]),
    };
    let mut blocks = L1Blocks::new();
    let (s, fetched) = ask(&mut blocks, &c, L1Target::Number(15), &heads, 256);
    assert_eq!(s.level, L1Level::Included);
    assert_eq!(s.reason_code, "ON_VERIFIED_CHAIN");
    assert_eq!(s.may_revert_if, vec!["L1_REORG"]);
    assert_eq!(
        fetched, 5,
        "blocks 20..16 are fetched; 15's hash comes from 16"
    );
    assert_eq!(s.l1.map(|r| r.hash), Some(c[15].hash));
    assert_eq!(s.l1.and_then(|r| r.timestamp), None);
    let eta = s.eta.expect("eta");
    assert_eq!(eta.level, L1Level::Finalized);
    // Block 15 is estimated one slot before its child 16 (slot 15 by the
    // synthetic timing), epoch 3 (4 slots per epoch): finalized at epoch 6.
    assert_eq!(eta.at, testkit::GENESIS + 6 * 4 * testkit::SPS);
    // Asked again: nothing to fetch.
    let (again, fetched) = ask(&mut blocks, &c, L1Target::Hash(c[15].hash), &heads, 256);
    assert_eq!((again.level, fetched), (L1Level::Included, 0));
    let (fin, _) = ask(&mut blocks, &c, L1Target::Number(3), &heads, 256);
    assert_eq!(fin.level, L1Level::Finalized);
    assert_eq!(fin.reason_code, "AT_OR_BELOW_FINALIZED");
    assert!(fin.eta.is_none());
    let (head_fin, fetched) = ask(&mut blocks, &c, L1Target::Hash(c[10].hash), &heads, 256);
    assert_eq!((head_fin.level, fetched), (L1Level::Finalized, 0));
}

#[test]
fn above_the_head_is_unknown_with_an_eta_and_a_rival_block_is_reverted() {
    let c = chain(20, 1);
    let rival = chain(20, 2);
    let heads = L1Heads {
        finalized: head(&c[10]),
        optimistic: head(&c[20]),
    };
    let mut blocks = L1Blocks::new();
    let (above, _) = ask(&mut blocks, &c, L1Target::Number(22), &heads, 256);
    assert_eq!(above.level, L1Level::Unknown);
    assert_eq!(above.reason_code, "ABOVE_VERIFIED_HEAD");
    assert_eq!(
        above.eta,
        Some(L1Eta {
            level: L1Level::Included,
            at: c[20].header.timestamp + 2 * testkit::SPS
        })
    );
    // A rival block by hash: fetched (the target), then its height's canonical block differs.
    let mut all = c.clone();
    all.extend(rival.iter().cloned());
    let (r, _) = ask(
        &mut blocks,
        &all,
        L1Target::Hash(rival[15].hash),
        &heads,
        256,
    );
    assert_eq!(r.level, L1Level::Reverted);
    assert_eq!(r.reason_code, "L1_REORG");
    let (r, _) = ask(
        &mut blocks,
        &all,
        L1Target::Hash(rival[5].hash),
        &heads,
        256,
    );
    assert_eq!(
        (r.level, r.reason_code),
        (L1Level::Reverted, "NOT_CANONICAL")
    );
    // An unknown hash is the target itself to fetch.
    let unknown = B256::repeat_byte(9);
    assert_eq!(
        blocks.status(
            L1Target::Hash(unknown),
            &heads,
            &testkit::timing(),
            0,
            (256, 0)
        ),
        L1Answer::Need {
            need: unknown,
            target: true
        }
    );
}

#[test]
fn walks_are_bounded() {
    let c = chain(40, 1);
    let heads = L1Heads {
        finalized: head(&c[0]),
        optimistic: head(&c[40]),
    };
    let mut blocks = L1Blocks::new();
    // Deeper than 16 x max_walk: refused without a fetch.
    let s = decided(blocks.status(L1Target::Number(1), &heads, &testkit::timing(), 0, (2, 0)));
    assert_eq!(s.reason_code, "CHAIN_WALK_TOO_DEEP");
    // Within the depth bound, but more unverified blocks than max_walk.
    let (s, fetched) = ask(&mut blocks, &c, L1Target::Number(30), &heads, 4);
    assert_eq!((s.reason_code, fetched), ("CHAIN_WALK_TOO_DEEP", 4));
    // The blocks fetched so far are reused: the next question goes further.
    let (s, _) = ask(&mut blocks, &c, L1Target::Number(30), &heads, 8);
    assert_eq!(s.level, L1Level::Included);
    assert!(matches!(
        blocks.canonical_at(35, (c[40].hash, 40), 4, 0),
        Walk::Found { hash, .. } if hash == c[35].hash
    ));
}

#[test]
fn the_cache_is_bounded() {
    let c = chain(3, 1);
    let mut blocks = L1Blocks::new();
    for b in &c {
        blocks.insert(b);
    }
    assert_eq!(blocks.known_height(&c[0].hash), Some(0));
    for i in 0..L1_BLOCK_CACHE as u64 {
        let mut b = c[3].clone().into_inner();
        b.header.number = 10 + i;
        b.hash = keccak256(i.to_be_bytes());
        blocks.insert(&Verified::new_unchecked(b));
    }
    assert!(
        blocks.get(&c[0].hash).is_none(),
        "the oldest block was dropped"
    );
}

/// PROTOCOL.md section 9, ETAs: an L1 block's ETA also stops when the
/// verified head (above the head) or the finalized checkpoint (included)
/// lags the clock.
#[test]
fn l1_etas_stop_when_the_heads_lag_the_clock() {
    use crate::confidence::query::{FINALITY_STALL_EPOCHS, STALE_HEAD_SLOTS};
    let c = chain(20, 1);
    let heads = L1Heads {
        finalized: head(&c[10]),
        optimistic: head(&c[20]),
    };
    let timing = testkit::timing();
    let at_slot = |s: u64| testkit::GENESIS + s * testkit::SPS;
    let mut blocks = L1Blocks::new();
    let mut status_at = |target: L1Target, now: u64| {
        for fetched in 0.. {
            match blocks.status(target, &heads, &timing, now, (256, fetched)) {
                L1Answer::Status(s) => return s,
                L1Answer::Need { need, .. } => {
                    let b = c
                        .iter()
                        .find(|b| b.hash == need)
                        .expect("a block of the chain");
                    blocks.insert(b);
                }
            }
        }
        unreachable!()
    };
    let head_slot = timing.slot_at(c[20].header.timestamp);
    let above = status_at(L1Target::Number(22), at_slot(head_slot + STALE_HEAD_SLOTS));
    assert_eq!(above.reason_code, "ABOVE_VERIFIED_HEAD");
    assert!(above.eta.is_some());
    let above = status_at(
        L1Target::Number(22),
        at_slot(head_slot + STALE_HEAD_SLOTS + 1),
    );
    assert_eq!((above.level, above.eta), (L1Level::Unknown, None));
    // Finalized checkpoint at slot 10, epoch 10 / SPE.
    let fin_epoch = timing.slot_at(c[10].header.timestamp) / testkit::SPE;
    let last_live = (fin_epoch + FINALITY_STALL_EPOCHS + 1) * testkit::SPE - 1;
    let inc = status_at(L1Target::Number(15), at_slot(last_live));
    assert_eq!(inc.level, L1Level::Included);
    assert!(inc.eta.is_some());
    let inc = status_at(L1Target::Number(15), at_slot(last_live + 1));
    assert_eq!((inc.level, inc.eta), (L1Level::Included, None));
}
