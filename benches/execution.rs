//! Execution-layer benchmarks on real mainnet data (block 21925176).
//!
//! Run: `cargo bench --bench execution`.

use std::hint::black_box;

use alloy_primitives::{B256, b256};
use criterion::{Criterion, criterion_group, criterion_main};
use preconf_light::beacon::Fork;
use preconf_light::execution::{
    SignedBeaconBlock, receipts_root, verify_account_proof, verify_block, verify_receipts,
    verify_receipts_text,
};
use serde_json::Value;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/mainnet/helios/el-cancun"
);
const RECEIPTS_ROOT: B256 =
    b256!("0xf883e1a2fb8df9d1d988dec80f13c8aca724590ac357e45e30e0d48b1fbd64ee");
const STATE_ROOT: B256 =
    b256!("0x7b3d5a01f69b7d2ea7479fd7ae35f4bac2700ab6d6d7b4807a7fedf53ced710e");
const BLOCK_HASH: B256 =
    b256!("0x92dabfa3f61ff1c349d12f5fd0dd4c99760a0a41b77dee8f0a80f83efdcb307a");

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{DIR}/{name}")).expect("fixture");
    serde_json::from_str(&text).expect("json")
}

fn benches(c: &mut Criterion) {
    let receipts = load("receipts_21925176.json");
    let proof = load("getproof_deposit_contract_21925176.json");
    let block = load("block_21925176.json");

    c.bench_function("verify_receipts_202_from_json", |b| {
        b.iter(|| verify_receipts(black_box(RECEIPTS_ROOT), black_box(&receipts)).expect("ok"))
    });
    // What JS hands over: JSON text (the wasm API used to parse it into a `Value` first).
    let text = std::fs::read_to_string(format!("{DIR}/receipts_21925176.json")).expect("fixture");
    c.bench_function("verify_receipts_202_text_via_value", |b| {
        b.iter(|| {
            let v: Value = serde_json::from_str(black_box(&text)).expect("json");
            verify_receipts(black_box(RECEIPTS_ROOT), &v).expect("ok")
        })
    });
    c.bench_function("verify_receipts_202_from_text", |b| {
        b.iter(|| verify_receipts_text(black_box(RECEIPTS_ROOT), black_box(&text)).expect("ok"))
    });
    let parsed = verify_receipts(RECEIPTS_ROOT, &receipts)
        .expect("ok")
        .into_inner()
        .receipts;
    c.bench_function("receipts_root_202_parsed", |b| {
        b.iter(|| receipts_root(black_box(&parsed)))
    });
    c.bench_function("verify_account_and_storage_proof", |b| {
        b.iter(|| verify_account_proof(black_box(STATE_ROOT), black_box(&proof)).expect("ok"))
    });
    c.bench_function("verify_block_header_and_withdrawals", |b| {
        b.iter(|| verify_block(black_box(&block), Some(BLOCK_HASH)).expect("ok"))
    });

    // Capella beacon block 7109344 (167 transactions), SSZ form.
    let ssz = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mainnet/helios/capella-lc/beacon_block_7109344.ssz"
    ))
    .expect("fixture");
    c.bench_function("beacon_block_167tx_ssz_decode_and_body_root", |b| {
        b.iter(|| {
            SignedBeaconBlock::from_ssz(black_box(&ssz), Fork::Capella)
                .expect("ok")
                .body_root()
        })
    });
}

criterion_group!(execution, benches);
criterion_main!(execution);
