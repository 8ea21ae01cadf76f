//! Fixture builders for the criterion benchmarks (feature `bench-support`).
//!
//! Benchmarks live outside the crate and cannot construct [`Verified`]
//! values, so the fixtures are built here from deterministic test keys.

use alloy_primitives::{B256, FixedBytes, keccak256};

use super::{Engine, Event};
use crate::Verified;
use crate::rollup::certificate::{CommitteeCertificate, CommitteeKeys, ECDSA_SIGNATURE_LEN};
use crate::rollup::l1::encode_commit_log;
use crate::rollup::testkit;
use crate::rollup::{Certificate, FinalizedCheckpoint, InboxLogs, L1Block, L1Log, L2Header};

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
    pub engine: Engine,
    /// The next L1 head.
    pub next_head: Verified<L1Block>,
    /// Its inbox logs (committing the last uncommitted blocks).
    pub next_logs: Verified<InboxLogs>,
}

impl EngineFixture {
    /// Applies the next L1 head and its logs (what the engine does after the
    /// adapter verified them); returns the events.
    pub fn apply_next_head(&mut self) -> Vec<Event> {
        let mut events = self
            .engine
            .apply_l1_block(self.next_head.clone())
            .unwrap_or_default();
        events.extend(
            self.engine
                .apply_inbox_logs(self.next_logs.clone())
                .unwrap_or_default(),
        );
        events
    }
}

/// Builds an engine with `blocks` tracked L2 blocks (four per slot, the last
/// slot-ending, each slot committing the previous slot's blocks, finality two
/// epochs behind) plus an L1 head that commits the newest blocks.
pub fn engine_fixture(blocks: usize) -> EngineFixture {
    let key = testkit::signing_key(1);
    let mut engine = Engine::with_config(testkit::config(&key), testkit::anchor())
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
            let cp = FinalizedCheckpoint {
                slot: f.slot,
                beacon_root: f.beacon_root,
            };
            let _ = engine.apply_finalized(Verified::new_unchecked(cp));
        }
        for i in 0..4 {
            let kind = if i == 3 {
                testkit::SLOT_ENDING
            } else {
                testkit::SEQUENCED
            };
            let b = testkit::l2_child(&tip, kind, slot + 1, &head, vec![], 0);
            tip = b.header.clone();
            if let Ok(checked) = engine.verify_l2_block(testkit::certified(&key, b)) {
                engine.apply_l2_block(checked);
            }
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

fn apply_l1(engine: &mut Engine, block: L1Block, logs: Vec<L1Log>) {
    let _ = engine.apply_l1_block(Verified::new_unchecked(block));
    let _ = engine.apply_inbox_logs(testkit::logs(&block, logs));
}

/// An engine over `config` anchored at a trusted anchor (tests outside the
/// crate, e.g. the inbox contract's differential test; the anchor's L1 block
/// is taken as a finalized header).
///
/// # Errors
/// As [`Engine::new`].
pub fn trusted_engine(
    config: crate::rollup::RollupConfig,
    anchor: Verified<crate::rollup::RollupAnchor>,
) -> Result<Engine, super::EngineError> {
    Engine::with_config(config, anchor)
}

/// Applies a trusted L1 block and then its inbox logs, as the engine does
/// once the L1 adapter verified them (`Input::L1Heads`, `Input::L1Receipts`).
///
/// # Errors
/// The engine's rejection of the block or the logs.
pub fn apply_l1_block(
    engine: &mut Engine,
    block: Verified<L1Block>,
    logs: Verified<InboxLogs>,
) -> Result<Vec<Event>, super::EngineError> {
    let mut events = engine.apply_l1_block(block)?;
    events.extend(engine.apply_inbox_logs(logs)?);
    Ok(events)
}
