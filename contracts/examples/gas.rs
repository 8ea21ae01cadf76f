//! Gas of the inbox's calls on revm (deterministic: one run is exact).
//!
//! `cargo run -p preconf-inbox --example gas` prints the table recorded in
//! docs/BENCHMARKS.md: commitments of 1, 10 and 30 certified blocks (ECDSA,
//! and a committee of 16 equal-weight members of which 11 sign), a based
//! block, a forced-inclusion request and its discharge, and committee
//! announcements, under the Prague and Osaka rules. Figures are the whole
//! transaction's gas (intrinsic and calldata included).

#[path = "../tests/common/mod.rs"]
mod common;

use alloy_primitives::Bytes;
use common::*;
use preconf_inbox::{
    CommitBlock, ForcedInclusion, announce_calldata, forced_request_calldata, rotation_message,
};
use preconf_light::rollup::header::transactions_root;
use revm::primitives::hardfork::SpecId;

const MEMBERS: usize = 16;
const SIGNERS: usize = 11;

fn rollup(spec: SpecId, committee: bool) -> Rollup {
    let mut r = if committee {
        let mut r = Rollup::committee(&[1; MEMBERS], 0);
        r.l1.spec = spec;
        r
    } else {
        Rollup::ecdsa_on(spec, 0)
    };
    r.l1.enter_slot(DEPLOY_SLOT + 1);
    r
}

fn certify(r: &Rollup, h: &preconf_light::rollup::L2Header) -> CommitBlock {
    let certificate = match &r.signer {
        Signer::Committee(c) => c.sign_block(h.hash(), &(0..SIGNERS).collect::<Vec<_>>()),
        Signer::Key(_) => r.signer.certify(h),
    };
    CommitBlock {
        header: h.clone(),
        certificate,
    }
}

fn commit_gas(spec: SpecId, committee: bool, blocks: usize) -> u64 {
    let mut r = rollup(spec, committee);
    let s = DEPLOY_SLOT + 1;
    let mut tip = genesis();
    let mut segment = Vec::new();
    for _ in 0..blocks {
        tip = child(&tip, SEQ, s);
        segment.push(certify(&r, &tip));
    }
    let out = r.commit(segment);
    out.expect_ok();
    out.gas_used
}

fn based_gas(spec: SpecId) -> u64 {
    let mut r = Rollup::ecdsa_on(spec, 0);
    let s = DEPLOY_SLOT + K + 1;
    r.l1.enter_slot(s);
    let b = child(&genesis(), BASED, s);
    let blk = r.block(b);
    let out = r.commit(vec![blk]);
    out.expect_ok();
    out.gas_used
}

fn forced_gas(spec: SpecId) -> (u64, u64) {
    let mut r = Rollup::ecdsa_on(spec, 0);
    let s = DEPLOY_SLOT + 1;
    r.l1.enter_slot(s);
    let txs: Vec<Bytes> = (0..100u8).map(|i| Bytes::from(vec![i; 110])).collect();
    let inbox = r.inbox;
    let req = r.l1.call(inbox, forced_request_calldata(&txs[42]));
    req.expect_ok();
    r.l1.enter_slot(s + 1);
    let mut h = child(&genesis(), SEQ, s + 1);
    h.transactions_root = transactions_root(&txs);
    let blk = certify(&r, &h);
    let plain = {
        let mut r2 = Rollup::ecdsa_on(spec, 0);
        r2.l1.enter_slot(s + 1);
        let b = certify(&r2, &h);
        let out = r2.commit(vec![b]);
        out.expect_ok();
        out.gas_used
    };
    let (_, nodes) = preconf_inbox::forced::transaction_proof(&txs, 42).expect("proof");
    let out = r.commit_with(
        vec![blk],
        vec![ForcedInclusion {
            block_index: 0,
            tx_index: 42,
            nodes,
        }],
    );
    out.expect_ok();
    (req.gas_used, out.gas_used - plain)
}

fn announce_gas(spec: SpecId, members: usize) -> u64 {
    let mut r = rollup(spec, true);
    let c0 = r.committees[0].clone();
    let next = Committee::new(1, 21, &vec![1; members]);
    let activation = DEPLOY_SLOT + 1 + 2 * SPE;
    let msg = rotation_message(CHAIN_ID, 1, activation, next.hash());
    let auth = c0.sign_message(msg, &(0..SIGNERS).collect::<Vec<_>>());
    let inbox = r.inbox;
    let out = r.l1.call(
        inbox,
        announce_calldata(activation, &next.members, &c0.input(), &auth).expect("calldata"),
    );
    out.expect_ok();
    out.gas_used
}

fn main() {
    for (name, spec) in [("Prague", SpecId::PRAGUE), ("Osaka", SpecId::OSAKA)] {
        println!("\n{name}");
        println!("| call | gas | per block |");
        println!("|---|---:|---:|");
        for committee in [false, true] {
            let label = if committee {
                format!("committee ({SIGNERS} of {MEMBERS})")
            } else {
                "ECDSA".to_owned()
            };
            for n in [1usize, 10, 30] {
                let g = commit_gas(spec, committee, n);
                println!("| commit {n} block(s), {label} | {g} | {} |", g / n as u64);
            }
        }
        println!(
            "| commit 1 based block (based mode) | {} | |",
            based_gas(spec)
        );
        let (req, discharge) = forced_gas(spec);
        println!("| requestForcedInclusion (110-byte tx) | {req} | |");
        println!("| discharging it in a commit (proof in a 100-tx block), extra | {discharge} | |");
        for m in [4usize, 16, 64] {
            println!(
                "| announceCommittee, {m} members | {} | |",
                announce_gas(spec, m)
            );
        }
    }
}
