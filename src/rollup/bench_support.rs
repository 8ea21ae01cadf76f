//! Fixture builders for the criterion benchmarks (feature `bench-support`).
//!
//! Benchmarks live outside the crate and cannot construct [`Verified`]
//! values, so the fixtures are built here from deterministic test keys.

use alloy_primitives::{B256, FixedBytes, keccak256};

use super::certificate::{CommitteeCertificate, CommitteeKeys, ECDSA_SIGNATURE_LEN};
use super::l1::encode_commit_log;
use super::testkit;
use super::{Certificate, InboxLogs, L1Block, L2Header};
use crate::Verified;
use crate::confidence::PreconfEngine;

/// A signed block hash for ECDSA verification.
#[derive(Debug, Clone)]
pub struct EcdsaFixture {
    /// Chain id.
    pub chain_id: u64,
    /// Block hash signed.
    pub block_hash: B256,
    /// Signature.
    pub signature: FixedBytes<ECDSA_SIGNATURE_LEN>,
    /// The sequencer address.
    pub sequencer: alloy_primitives::Address,
}

/// An ECDSA certificate fixture.
pub fn ecdsa_fixture() -> EcdsaFixture {
    let key = testkit::signing_key(1);
    let block_hash = keccak256(b"bench block");
    let Certificate::Ecdsa(signature) = testkit::sign_block(&key, testkit::CHAIN_ID, block_hash)
    else {
        unreachable!("sign_block returns an ECDSA certificate")
    };
    EcdsaFixture {
        chain_id: testkit::CHAIN_ID,
        block_hash,
        signature,
        sequencer: testkit::address_of(&key),
    }
}

/// A committee of `n` equal-weight members and a certificate signed by
/// `ceil(2n/3)` of them over a block hash.
pub fn committee_fixture(n: usize) -> (Verified<CommitteeKeys>, CommitteeCertificate, B256) {
    let c = testkit::committee(1, &vec![1; n]);
    let signers: Vec<usize> = (0..(2 * n).div_ceil(3)).collect();
    let hash = keccak256(b"bench block");
    let cert = testkit::committee_sign(&c, testkit::CHAIN_ID, hash, &signers);
    (c.keys, cert, hash)
}

/// An engine tracking `blocks` L2 blocks and the next L1 head with its logs.
#[derive(Debug, Clone)]
pub struct EngineFixture {
    /// The engine.
    pub engine: PreconfEngine,
    /// The next L1 head.
    pub next_head: Verified<L1Block>,
    /// Its inbox logs (committing the last uncommitted blocks).
    pub next_logs: Verified<InboxLogs>,
}

/// Builds an engine with `blocks` tracked L2 blocks (four per slot, the last
/// slot-ending, each slot committing the previous slot's blocks, finality two
/// epochs behind) plus an L1 head that commits the newest blocks.
pub fn engine_fixture(blocks: usize) -> EngineFixture {
    let key = testkit::signing_key(1);
    let mut engine = PreconfEngine::new(testkit::config(&key), testkit::anchor())
        .unwrap_or_else(|_| unreachable!("valid test config"));
    let mut head = testkit::l1_genesis();
    let mut tip: L2Header = testkit::anchor_header();
    let mut committed = tip.hash();
    let mut made = 0usize;
    let mut slot = 0u64;
    let mut l1_by_slot = vec![head];
    while made < blocks {
        slot += 1;
        // Commit the current tip in this slot's L1 block.
        let log = encode_commit_log(testkit::inbox(), tip.hash(), tip.number, committed);
        committed = tip.hash();
        let next = testkit::l1_child(&head, slot, 0);
        apply_l1(&mut engine, next, vec![log]);
        head = next;
        l1_by_slot.push(head);
        if let Some(f) = l1_by_slot.get(slot.saturating_sub(2 * testkit::SPE) as usize) {
            let cp = super::FinalizedCheckpoint {
                slot: f.slot,
                beacon_root: f.beacon_root,
            };
            let _ = engine.ingest_finalized(Verified::new_unchecked(cp));
        }
        for i in 0..4 {
            let kind = if i == 3 {
                testkit::SLOT_ENDING
            } else {
                testkit::SEQUENCED
            };
            let b = testkit::l2_child(&tip, kind, slot + 1, &head, vec![], 0);
            tip = b.header.clone();
            let _ = engine.ingest_feed_message(testkit::certified(&key, b));
            made += 1;
        }
    }
    let log = encode_commit_log(testkit::inbox(), tip.hash(), tip.number, committed);
    let next = testkit::l1_child(&head, slot + 1, 0);
    EngineFixture {
        engine,
        next_head: Verified::new_unchecked(next),
        next_logs: testkit::logs(&next, vec![log]),
    }
}

fn apply_l1(engine: &mut PreconfEngine, block: L1Block, logs: Vec<super::L1Log>) {
    let _ = engine.ingest_l1_block(Verified::new_unchecked(block));
    let _ = engine.ingest_inbox_logs(testkit::logs(&block, logs));
}

/// A rollup anchor taken on trust, for tests outside the crate that compare
/// another implementation of the protocol (the inbox contract) with this one.
pub fn trusted_anchor(
    l1_block: L1Block,
    l2_header: L2Header,
    last_commit_slot: u64,
) -> Verified<super::RollupAnchor> {
    Verified::new_unchecked(super::RollupAnchor {
        l1_block,
        l2_header,
        last_commit_slot,
    })
}

/// An L1 block taken on trust (see [`trusted_anchor`]).
pub fn trusted_l1_block(block: L1Block) -> Verified<L1Block> {
    Verified::new_unchecked(block)
}

/// Inbox logs taken on trust (see [`trusted_anchor`]).
pub fn trusted_logs(logs: InboxLogs) -> Verified<InboxLogs> {
    Verified::new_unchecked(logs)
}

/// A committee announced (on trust) with `activation` and checked as
/// [`super::certificate::verify_committee`] checks it.
///
/// # Errors
/// The [`super::RollupError`] of `verify_committee`.
pub fn trusted_committee(
    id: u64,
    activation: u64,
    members: &Vec<super::CommitteeMember>,
) -> Result<Verified<CommitteeKeys>, super::RollupError> {
    let announcement = Verified::new_unchecked(super::CommitteeAnnouncement {
        committee_id: id,
        committee_hash: super::certificate::committee_hash(id, members),
        activation_l1_slot: activation,
    });
    super::certificate::verify_committee(members, &announcement)
}
