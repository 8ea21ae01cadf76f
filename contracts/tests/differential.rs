//! Differential check (docs/PROTOCOL.md section 5.7, point 1): the inbox
//! refuses exactly the commitments the Rust core refuses.
//!
//! Each case builds a segment (a few blocks on the genesis head), mutates
//! one block's header fields and/or certificate at random (seeded, so a
//! failure reproduces), then asks both implementations:
//! - the Rust core (`src/rollup`): an `Engine` anchored at the same
//!   genesis ingests the segment as feed messages and an L1 block of slot
//!   `s` whose inbox log commits the segment's last block; the commitment
//!   counts as accepted iff that block becomes `included`;
//! - the contract: the committed bytecode on revm, `commit` in the L1 block
//!   of slot `s`; accepted iff it does not revert.
//!
//! Both must agree on every case. The header/certificate rules (sections
//! 1-3), the based-block rules (section 4), based mode (5.4) and the
//! certified-slot bound (5.1) are exercised; forced inclusion has its own
//! tests (the core's version 1 rule differs, section 11).

mod common;

use std::collections::BTreeMap;

use alloy_primitives::{Address, B256, FixedBytes, keccak256};
use common::*;
use preconf_inbox::{CommitBlock, Commitment, commit_calldata};
use preconf_light::confidence::bench_support::{apply_l1_block, trusted_engine};
use preconf_light::confidence::{Input, Level, Query};
use preconf_light::rollup::bench_support::{
    trusted_anchor, trusted_committee, trusted_l1_block, trusted_logs,
};
use preconf_light::rollup::l1::encode_commit_log;
use preconf_light::rollup::{
    Certificate, FeedMessage, InboxLogs, L1Block, L1Timing, L2Block, L2Header, RollupConfig,
    SequencerAuth, SlotEndingRule,
};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }
}

const INBOX_V1: Address = Address::repeat_byte(0x11);

fn rollup_config(signer: &Signer, n: u32) -> RollupConfig {
    RollupConfig {
        chain_id: CHAIN_ID,
        sequencer: match signer {
            Signer::Key(k) => SequencerAuth::Key(address_of(k)),
            Signer::Committee(c) => {
                SequencerAuth::Committee(trusted_committee(0, 0, &c.members).expect("committee"))
            }
        },
        slot_ending: if n == 0 {
            SlotEndingRule::Marker
        } else {
            SlotEndingRule::NthBlock(n)
        },
        stall_limit_slots: K,
        forced_inclusion_window_slots: FORCED_WINDOW,
        inbox: INBOX_V1,
        l1: L1Timing {
            genesis_time: GENESIS_TIME,
            seconds_per_slot: SPS,
            slots_per_epoch: SPE,
        },
    }
}

/// The Rust core's verdict on committing `blocks` (ascending, on genesis) at slot `s`.
fn core_accepts(signer: &Signer, n: u32, s: u64, blocks: &[CommitBlock]) -> bool {
    let (root, hash) = l1_parent(s);
    let anchor_l1 = L1Block {
        slot: s - 1,
        beacon_root: root,
        parent_beacon_root: keccak256(b"grandparent"),
        block_hash: hash,
        parent_block_hash: keccak256(b"grandparent exec"),
        block_number: 100,
        timestamp: GENESIS_TIME + (s - 1) * SPS,
    };
    let g = genesis();
    let anchor = trusted_anchor(anchor_l1, g.clone(), DEPLOY_SLOT);
    let mut engine = trusted_engine(rollup_config(signer, n), anchor).expect("engine");
    for b in blocks {
        let msg = FeedMessage {
            block: L2Block {
                header: b.header.clone(),
                transactions: Vec::new(),
            },
            certificate: b.certificate.clone(),
        };
        if engine.step(Input::L2Block(msg)).is_err() {
            return false;
        }
    }
    let Some(last) = blocks.last() else {
        return false;
    };
    let l1 = L1Block {
        slot: s,
        beacon_root: keccak256([b"l1".as_slice(), &s.to_be_bytes()].concat()),
        parent_beacon_root: root,
        block_hash: keccak256([b"l1 exec".as_slice(), &s.to_be_bytes()].concat()),
        parent_block_hash: hash,
        block_number: 101,
        timestamp: GENESIS_TIME + s * SPS,
    };
    let logs = InboxLogs {
        beacon_root: l1.beacon_root,
        block_hash: l1.block_hash,
        logs: vec![encode_commit_log(
            INBOX_V1,
            last.header.hash(),
            last.header.number,
            g.hash(),
        )],
    };
    apply_l1_block(&mut engine, trusted_l1_block(l1), trusted_logs(logs)).expect("L1 block");
    engine
        .query(&Query::Block(last.header.hash()))
        .into_status()
        .map(|s| s.level)
        == Some(Level::Included)
}

/// The contract's verdict, and its error name.
fn contract_accepts(r: &mut Rollup, blocks: &[CommitBlock]) -> (bool, &'static str) {
    let c = Commitment {
        head: r.head.clone(),
        blocks: blocks.to_vec(),
        committees: r.committee_inputs(),
        forced: Vec::new(),
    };
    let data = match commit_calldata(&c) {
        Ok(d) => d,
        Err(_) => {
            // A committee signature that is not a curve point: supply the
            // uncompressed form of a valid signature instead (the contract
            // must see that the two encodings differ).
            let mut repaired = c.clone();
            for b in &mut repaired.blocks {
                if let Certificate::Committee(cc) = &b.certificate
                    && preconf_inbox::points::g2_uncompressed(&cc.signature.0).is_err()
                {
                    b.certificate = r.signer.certify(&b.header);
                }
            }
            let good = commit_calldata(&repaired).expect("repaired calldata");
            let mut call = <preconf_inbox::abi::PreconfInbox::commitCall as alloy_sol_types::SolCall>::abi_decode(&good)
                .expect("decode");
            for (i, b) in blocks.iter().enumerate() {
                call.certificates[i] = b.certificate.encode().expect("cert").into();
            }
            alloy_sol_types::SolCall::abi_encode(&call).into()
        }
    };
    let out = r.call(data);
    (out.success, out.error())
}

/// The segment of a scenario, all valid, committed at slot `s`. Under the
/// N-th rule (N = 2) a slot ends with its second certified block.
fn scenario(kind: u64, n: u32) -> (u64, Vec<L2Header>) {
    let g = genesis();
    let s = DEPLOY_SLOT + 2;
    // The slot-ending block of `slot` on `parent`, and the blocks before it.
    let ending = |parent: &L2Header, slot: u64| -> Vec<L2Header> {
        if n == 0 {
            vec![child(parent, END, slot)]
        } else {
            let a = child(parent, SEQ, slot);
            let e = child(&a, SEQ, slot);
            vec![a, e]
        }
    };
    match kind {
        0 => (s, vec![child(&g, SEQ, s)]),
        1 => {
            let mut v = ending(&g, s);
            let b = child(v.last().expect("block"), BASED, s);
            v.push(b);
            (s, v)
        }
        2 => {
            let mut v = ending(&g, s - 1);
            let c = child(v.last().expect("block"), SEQ, s);
            v.push(c);
            (s, v)
        }
        _ => {
            // Based mode: a based block on the committed head.
            let late = DEPLOY_SLOT + K + 1;
            (late, vec![child(&g, BASED, late)])
        }
    }
}

/// Mutates the last header (and relinks nothing: a changed block breaks its children).
fn mutate_header(rng: &mut Rng, h: &mut L2Header, parent: &L2Header, s: u64) {
    match rng.below(12) {
        0 => h.chain_id = h.chain_id.wrapping_add(1 + rng.below(2)),
        1 => {
            h.number = if rng.chance(2) {
                h.number + 1
            } else {
                h.number - 1
            }
        }
        2 => h.parent_hash = keccak256(rng.next().to_be_bytes()),
        3 => h.kind = [SEQ, END, BASED, 3, 255][rng.below(5) as usize],
        4 => {
            h.l1_slot = [
                parent.l1_slot.saturating_sub(1),
                parent.l1_slot,
                s - 1,
                s,
                s + 1,
            ][rng.below(5) as usize]
        }
        5 => h.timestamp = parent.timestamp.saturating_sub(rng.below(2)),
        6 => h.gas_used = h.gas_limit + rng.below(2),
        7 => h.l1_parent_beacon_root = l1_parent(s + 1 - rng.below(3)).0,
        8 => h.l1_parent_block_hash = l1_parent(s + 1 - rng.below(3)).1,
        9 => {
            let (r0, h0) = l1_parent(s - 1);
            h.l1_parent_beacon_root = r0;
            h.l1_parent_block_hash = h0;
        }
        10 => h.state_root = keccak256(rng.next().to_be_bytes()),
        _ => h.timestamp += 1,
    }
}

fn mutate_certificate(rng: &mut Rng, signer: &Signer, b: &mut CommitBlock) {
    let h = b.header.clone();
    b.certificate = match rng.below(9) {
        0 => Certificate::None,
        1 => signer.certify(&h),
        2 => match signer {
            Signer::Key(_) => ecdsa_cert(&ecdsa_key(9), h.hash()),
            Signer::Committee(c) => {
                Committee::new(0, 99, &vec![1; c.members.len()]).sign_all(h.hash())
            }
        },
        3 => match signer.certify(&h) {
            Certificate::Ecdsa(mut sig) => {
                sig.0[64] = rng.below(256) as u8;
                Certificate::Ecdsa(sig)
            }
            Certificate::Committee(mut cc) => {
                let i = rng.below(cc.bitfield.len() as u64) as usize;
                cc.bitfield[i] ^= 1 << rng.below(8);
                Certificate::Committee(cc)
            }
            Certificate::None => Certificate::None,
        },
        4 => match signer.certify(&h) {
            Certificate::Ecdsa(mut sig) => {
                let i = rng.below(65) as usize;
                sig.0[i] ^= 1 << rng.below(8);
                Certificate::Ecdsa(sig)
            }
            Certificate::Committee(mut cc) => {
                let i = rng.below(96) as usize;
                cc.signature.0[i] ^= 1 << rng.below(8);
                Certificate::Committee(cc)
            }
            Certificate::None => Certificate::None,
        },
        5 => match signer {
            Signer::Key(_) => Committee::new(0, 7, &[1, 1]).sign_all(h.hash()),
            Signer::Committee(_) => Certificate::Ecdsa(FixedBytes([1u8; 65])),
        },
        6 => match signer.certify(&h) {
            Certificate::Committee(mut cc) => {
                cc.committee_id = rng.below(3);
                Certificate::Committee(cc)
            }
            other => other,
        },
        7 => match signer {
            // The high-s twin of a valid signature.
            Signer::Key(k) => {
                let digest = preconf_light::rollup::certificate::ecdsa_digest(CHAIN_ID, h.hash());
                let mut raw = ecdsa_raw(k, digest);
                let n = alloy_primitives::U256::from_str_radix(
                    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141",
                    16,
                )
                .expect("n");
                let s = alloy_primitives::U256::from_be_slice(&raw[32..64]);
                raw[32..64].copy_from_slice(&(n - s).to_be_bytes::<32>());
                raw[64] ^= 1;
                Certificate::Ecdsa(FixedBytes(raw))
            }
            // Too few signers.
            Signer::Committee(c) => {
                c.sign_block(h.hash(), &[rng.below(c.members.len() as u64) as usize])
            }
        },
        _ => b.certificate.clone(),
    };
}

/// Runs `cases` random cases; returns how often each contract verdict came.
fn run(signer_of: impl Fn() -> Rollup, cases: u64, seed: u64) -> BTreeMap<&'static str, u64> {
    let mut rng = Rng(seed);
    let mut verdicts = BTreeMap::new();
    for case in 0..cases {
        let mut r = signer_of();
        let n = r.config.slot_ending_n;
        let (s, mut headers) = scenario(rng.below(4), n);
        r.l1.enter_slot(s);
        // Mutate one block's header (most cases) and/or its certificate.
        let i = rng.below(headers.len() as u64) as usize;
        let header_mutated = !rng.chance(4);
        if header_mutated {
            let parent = if i == 0 {
                genesis()
            } else {
                headers[i - 1].clone()
            };
            mutate_header(&mut rng, &mut headers[i], &parent, s);
        }
        let mut blocks: Vec<CommitBlock> = headers.iter().map(|h| r.block(h.clone())).collect();
        if !header_mutated || rng.chance(3) {
            let signer = r.signer.clone();
            mutate_certificate(&mut rng, &signer, &mut blocks[i]);
        }
        let core = core_accepts(&r.signer, n, s, &blocks);
        let (contract, error) = contract_accepts(&mut r, &blocks);
        assert_eq!(
            core, contract,
            "case {case} (seed {seed}): core {core}, contract {contract} ({error}); blocks {blocks:#?}"
        );
        *verdicts.entry(error).or_insert(0) += 1;
    }
    eprintln!("verdicts: {verdicts:?}");
    verdicts
}

/// At least `accepted` acceptances and `errors` distinct refusals.
#[track_caller]
fn assert_spread(v: &BTreeMap<&'static str, u64>, accepted: u64, errors: usize) {
    assert!(v.get("<ok>").copied().unwrap_or(0) >= accepted, "{v:?}");
    assert!(
        v.keys().filter(|k| **k != "<ok>").count() >= errors,
        "{v:?}"
    );
}

#[test]
fn ecdsa_rollup_contract_and_core_agree() {
    let v = run(|| Rollup::ecdsa(0), 300, 0x5eed_0001);
    assert_spread(&v, 30, 15);
}

#[test]
fn nth_rule_rollup_contract_and_core_agree() {
    let v = run(|| Rollup::ecdsa(2), 150, 0x5eed_0002);
    assert_spread(&v, 10, 10);
}

#[test]
fn committee_rollup_contract_and_core_agree() {
    let v = run(|| Rollup::committee(&[2, 1, 1, 1], 0), 120, 0x5eed_0003);
    assert_spread(&v, 10, 10);
}

#[test]
fn ecdsa_v_values_agree() {
    // Section 2.1: v in {0, 1, 27, 28} only; every other byte is refused by both.
    let g = genesis();
    let s = DEPLOY_SLOT + 2;
    let key = ecdsa_key(1);
    let a = child(&g, SEQ, s);
    let raw = ecdsa_raw(
        &key,
        preconf_light::rollup::certificate::ecdsa_digest(CHAIN_ID, a.hash()),
    );
    let parity = raw[64];
    for v in 0u8..=255 {
        let mut sig = raw;
        sig[64] = v;
        let blk = CommitBlock {
            header: a.clone(),
            certificate: Certificate::Ecdsa(FixedBytes(sig)),
        };
        let mut r = Rollup::ecdsa(0);
        r.l1.enter_slot(s);
        let core = core_accepts(&r.signer, 0, s, std::slice::from_ref(&blk));
        let (contract, _) = contract_accepts(&mut r, std::slice::from_ref(&blk));
        assert_eq!(core, contract, "v = {v}");
        let expected = v == parity || v == parity + 27;
        assert_eq!(contract, expected, "v = {v}");
    }
    let _ = B256::ZERO;
}
