//! EVM benchmarks: a ~100k-gas contract call simulated over proven state,
//! and the stateless re-execution of a block of 100 transfers.
//! Gas per second = gas used / the reported time.

#[path = "../tests/evm_common/mod.rs"]
mod evm_common;

use std::hint::black_box;

use alloy_primitives::{Address, B256, Bytes, TxKind, U256, bytes};
use criterion::{Criterion, criterion_group, criterion_main};
use evm_common::*;
use preconf_light::evm::{
    BlockContext, BlockInput, CallRequest, EvmSpec, ProvenState, SimTx, Witness, reexecute_block,
    reexecute_json, simulate, simulate_json,
};
use preconf_light::execution::verify_account_proof;

/// Counts down from 3000 in a loop (about 80k gas of execution).
const LOOP_CODE: Bytes = bytes!("610bb85b600190038060035700");
const LOOP: Address = Address::repeat_byte(0x10);
const TRANSFERS: u64 = 100;

fn sim_setup() -> (ProvenState, BlockContext, Vec<SimTx>) {
    let mut world = World::new();
    let alice = address_of(&key(1));
    world.insert(
        alice,
        Acct {
            balance: U256::from(10u64).pow(U256::from(18)),
            ..Default::default()
        },
    );
    world.insert(
        LOOP,
        Acct {
            code: LOOP_CODE,
            nonce: 1,
            ..Default::default()
        },
    );
    let root = state_root(&world);
    let mut state = ProvenState::new(root);
    for a in [alice, LOOP, BENEFICIARY] {
        state
            .add_account(&verify_account_proof(root, &get_proof(&world, a, &[])).unwrap())
            .unwrap();
    }
    state.add_code(&LOOP_CODE);
    let block = BlockContext {
        chain_id: CHAIN_ID,
        spec: EvmSpec::Cancun,
        number: 1,
        timestamp: 1_700_000_000,
        beneficiary: BENEFICIARY,
        gas_limit: GAS_LIMIT,
        base_fee: BASE_FEE,
        prevrandao: B256::ZERO,
        excess_blob_gas: Some(0),
    };
    let call = CallRequest {
        from: alice,
        to: Some(LOOP),
        gas_limit: Some(200_000),
        ..Default::default()
    };
    (state, block, vec![SimTx::Call(call)])
}

fn transfers_setup() -> (World, Produced, Witness) {
    let mut world = World::new();
    let alice = address_of(&key(1));
    world.insert(
        alice,
        Acct {
            balance: U256::from(10u64).pow(U256::from(18)),
            ..Default::default()
        },
    );
    let recipients: Vec<Address> = (0..TRANSFERS)
        .map(|i| Address::left_padding_from(&(i + 0x1000).to_be_bytes()))
        .collect();
    let txs: Vec<PlainTx> = recipients
        .iter()
        .enumerate()
        .map(|(i, to)| PlainTx {
            key: key(1),
            nonce: i as u64,
            to: TxKind::Call(*to),
            value: U256::from(1_000),
            input: Bytes::new(),
            gas_limit: 21_000,
        })
        .collect();
    let produced = produce(&world, 1, &txs);
    let beacon_roots = Address::from(alloy_primitives::hex!(
        "000F3df6D732807Ef1319fB7B8bB8522d0Beac02"
    ));
    let mut proofs = vec![
        get_proof(&world, alice, &[]),
        get_proof(&world, BENEFICIARY, &[]),
        get_proof(&world, beacon_roots, &[]),
    ];
    proofs.extend(recipients.iter().map(|r| get_proof(&world, *r, &[])));
    (
        world,
        produced,
        Witness {
            proofs,
            ..Default::default()
        },
    )
}

/// Writes the two workloads as JSON requests for the wasm API (`simulate`,
/// `reexecuteBlock`) into `$EVM_BENCH_DUMP/`, so the same work can be timed in node.
fn dump_requests(dir: &str) {
    use serde_json::json;
    let hex = |b: &Bytes| format!("0x{}", hex::encode(b));
    let mut world = World::new();
    let alice = address_of(&key(1));
    world.insert(
        alice,
        Acct {
            balance: U256::from(10u64).pow(U256::from(18)),
            ..Default::default()
        },
    );
    world.insert(
        LOOP,
        Acct {
            code: LOOP_CODE,
            nonce: 1,
            ..Default::default()
        },
    );
    let proofs: Vec<_> = [alice, LOOP, BENEFICIARY]
        .iter()
        .map(|a| get_proof(&world, *a, &[]))
        .collect();
    let sim = json!({
        "stateRoot": format!("{:#x}", state_root(&world)),
        "proofs": proofs,
        "codes": [hex(&LOOP_CODE)],
        "block": { "chainId": CHAIN_ID, "number": 1, "timestamp": 1_700_000_000u64, "beneficiary": format!("{BENEFICIARY:#x}"), "gasLimit": GAS_LIMIT, "baseFee": BASE_FEE },
        "txs": [{ "from": format!("{alice:#x}"), "to": format!("{LOOP:#x}"), "gas": 200_000 }],
    });
    let (world, produced, witness) = transfers_setup();
    let re = json!({
        "preStateRoot": format!("{:#x}", state_root(&world)),
        "header": header_json(&produced.header),
        "transactions": produced.raw_txs.iter().map(hex).collect::<Vec<_>>(),
        "chainId": CHAIN_ID,
        "witness": { "proofs": witness.proofs },
    });
    std::fs::write(format!("{dir}/evm_simulate.json"), sim.to_string()).unwrap();
    std::fs::write(format!("{dir}/evm_reexecute.json"), re.to_string()).unwrap();
}

fn bench(c: &mut Criterion) {
    if let Ok(dir) = std::env::var("EVM_BENCH_DUMP") {
        dump_requests(&dir);
    }
    let (state, block, txs) = sim_setup();
    let r = simulate(&state, &block, &txs, &[]).unwrap();
    eprintln!("simulate: {} gas per call", r.gas_used);
    c.bench_function("evm/simulate_loop_call", |b| {
        b.iter(|| simulate(black_box(&state), &block, &txs, &[]).unwrap())
    });

    // The same call through the JSON request the wasm API takes (proofs
    // verified on every run), for a like-for-like wasm/native ratio.
    let dir = std::env::temp_dir().join("preconf-evm-bench");
    std::fs::create_dir_all(&dir).unwrap();
    dump_requests(dir.to_str().unwrap());
    let read = |n: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(n)).unwrap()).unwrap()
    };
    let sim_req = read("evm_simulate.json");
    let re_req = read("evm_reexecute.json");
    c.bench_function("evm/simulate_json_with_proofs", |b| {
        b.iter(|| simulate_json(black_box(&sim_req)).unwrap())
    });
    c.bench_function("evm/reexecute_json_100_transfers", |b| {
        b.iter(|| reexecute_json(black_box(&re_req)).unwrap())
    });

    let (world, produced, witness) = transfers_setup();
    let pre = state_root(&world);
    let input = BlockInput {
        header: &produced.header,
        transactions: &produced.raw_txs,
        withdrawals: &[],
        chain_id: CHAIN_ID,
        spec: EvmSpec::Cancun,
    };
    let v = reexecute_block(pre, &input, &witness).unwrap();
    eprintln!(
        "reexecute: {} transfers, {} gas per block",
        v.transactions, v.gas_used
    );
    c.bench_function("evm/reexecute_100_transfers", |b| {
        b.iter(|| reexecute_block(black_box(pre), &input, &witness).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
