//! Simulation over proven state: real mainnet state (the deposit contract at
//! block 21925176, proven against its state root) and a world built here.
#![cfg(feature = "evm")]

mod evm_common;

use alloy_primitives::{Address, B256, Bytes, TxKind, U256, address, b256, bytes};
use evm_common::*;
use preconf_light::ErrorCode;
use preconf_light::evm::{
    Assertion, BlockContext, CallRequest, EvmError, EvmSpec, Leg, ProvenState, SimTx, simulate,
    simulate_cross_domain,
};
use preconf_light::execution::verify_account_proof;
use serde_json::Value;

const CANCUN_STATE_ROOT: B256 =
    b256!("0x7b3d5a01f69b7d2ea7479fd7ae35f4bac2700ab6d6d7b4807a7fedf53ced710e");
const DEPOSIT_CONTRACT: Address = address!("0x00000000219ab540356cbb839cbe05303d7705fa");
const MINER: Address = address!("0x4838b106fce9647bdf1e7877bf73ce8b0bad5f97");

fn load(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/mainnet/helios/el-cancun/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn mainnet_state() -> ProvenState {
    let mut state = ProvenState::new(CANCUN_STATE_ROOT);
    for f in [
        "getproof_deposit_contract_21925176.json",
        "getproof_miner_21925176.json",
    ] {
        let acc = verify_account_proof(CANCUN_STATE_ROOT, &load(f)).expect("real proof");
        state.add_account(&acc).unwrap();
    }
    state
}

fn mainnet_block() -> BlockContext {
    BlockContext {
        chain_id: 1,
        spec: EvmSpec::Cancun,
        number: 21_925_177,
        timestamp: 1_740_000_000,
        beneficiary: MINER,
        gas_limit: 36_000_000,
        base_fee: 1,
        prevrandao: B256::ZERO,
        excess_blob_gas: Some(0),
    }
}

fn deposit_root_value() -> U256 {
    U256::from_be_bytes(
        b256!("0x2394e3bc4086a9625ae88307145a40ff4a4bf2c9a6755435bff86b22d6175d5f").0,
    )
}

#[test]
fn mainnet_state_root_is_the_one_the_fixture_proves() {
    // The constant is the one the execution tests verify the block against.
    let block = load("block_21925176.json");
    let r = block.get("result").unwrap_or(&block);
    assert_eq!(
        r["stateRoot"].as_str().unwrap(),
        format!("{CANCUN_STATE_ROOT:#x}")
    );
}

#[test]
fn mainnet_verified_storage_and_balance_reads() {
    let state = mainnet_state();
    let assertions = [
        Assertion::StorageEquals {
            address: DEPOSIT_CONTRACT,
            slot: B256::with_last_byte(1),
            value: deposit_root_value(),
        },
        Assertion::StorageEquals {
            address: DEPOSIT_CONTRACT,
            slot: B256::with_last_byte(1),
            value: U256::from(1),
        },
        Assertion::BalanceAtLeast {
            address: DEPOSIT_CONTRACT,
            min: U256::from_str_radix("2fb161afe600a5b2605040", 16).unwrap(),
        },
        Assertion::BalanceAtLeast {
            address: DEPOSIT_CONTRACT,
            min: U256::from_str_radix("2fb161afe600a5b2605041", 16).unwrap(),
        },
    ];
    let r = simulate(&state, &mainnet_block(), &[], &assertions).expect("proven reads");
    assert_eq!(r.state_root, CANCUN_STATE_ROOT);
    let passed: Vec<bool> = r.assertions.iter().map(|a| a.passed).collect();
    assert_eq!(passed, [true, false, true, false]);
    assert_eq!(r.assertions[1].actual, deposit_root_value().to_string());
    assert!(!r.ok);
}

#[test]
fn mainnet_transfer_from_proven_miner() {
    // A plain value transfer from the real miner account to the deposit
    // contract... whose code revm must load: the fixture has none, so the
    // core asks for it instead of executing over a guess.
    let state = mainnet_state();
    let call = CallRequest {
        from: MINER,
        to: Some(DEPOSIT_CONTRACT),
        value: U256::from(1),
        data: Bytes::new(),
        gas_limit: Some(100_000),
    };
    match simulate(&state, &mainnet_block(), &[SimTx::Call(call)], &[]).unwrap_err() {
        EvmError::NeedsState(needs) => {
            assert_eq!(needs.codes, vec![DEPOSIT_CONTRACT]);
            assert!(needs.accounts.is_empty() && needs.slots.is_empty());
        }
        e => panic!("expected NeedsState, got {e:?}"),
    }
}

#[test]
fn mainnet_wrong_code_is_never_used() {
    let mut state = mainnet_state();
    state.add_code(&[0x60, 0x00, 0x54, 0x00]);
    let call = CallRequest {
        from: MINER,
        to: Some(DEPOSIT_CONTRACT),
        gas_limit: Some(100_000),
        ..Default::default()
    };
    let err = simulate(&state, &mainnet_block(), &[SimTx::Call(call)], &[]).unwrap_err();
    assert_eq!(err.code(), "NEEDS_STATE");
}

#[test]
fn mainnet_unproven_slot_and_account_are_requested() {
    let state = mainnet_state();
    let other = Address::repeat_byte(0x77);
    let assertions = [
        Assertion::StorageEquals {
            address: DEPOSIT_CONTRACT,
            slot: B256::with_last_byte(2),
            value: U256::ZERO,
        },
        Assertion::BalanceAtLeast {
            address: other,
            min: U256::ZERO,
        },
    ];
    match simulate(&state, &mainnet_block(), &[], &assertions).unwrap_err() {
        EvmError::NeedsState(needs) => {
            assert_eq!(
                needs.slots,
                vec![(DEPOSIT_CONTRACT, B256::with_last_byte(2))]
            );
            assert_eq!(needs.accounts, vec![other]);
        }
        e => panic!("expected NeedsState, got {e:?}"),
    }
}

#[test]
fn proof_against_another_root_is_refused() {
    let mut state = ProvenState::new(B256::repeat_byte(1));
    let acc = verify_account_proof(
        CANCUN_STATE_ROOT,
        &load("getproof_deposit_contract_21925176.json"),
    )
    .unwrap();
    assert_eq!(
        state.add_account(&acc).unwrap_err().code(),
        "STATE_ROOT_MISMATCH"
    );
}

// ---- a world built here, proven through eth_getProof-shaped proofs ----

/// Runtime: SSTORE(calldata[0], calldata[32]); with 32 bytes of calldata:
/// return SLOAD(calldata[0]).
const KV_CODE: Bytes = bytes!("36602014600f5760203560003555005b6000355460005260206000f3");
const KV: Address = Address::repeat_byte(0xc1);
/// Always reverts with Error("nope").
const REVERTER: Address = Address::repeat_byte(0xee);

fn reverter_code() -> Bytes {
    // mstore Error(string) "nope" and revert(0, 0x64)
    let mut c = Vec::new();
    // Write the ABI body byte by byte through MSTORE8.
    let mut body = vec![0x08, 0xc3, 0x79, 0xa0];
    body.extend_from_slice(&U256::from(0x20).to_be_bytes::<32>());
    body.extend_from_slice(&U256::from(4).to_be_bytes::<32>());
    let mut text = [0u8; 32];
    text[..4].copy_from_slice(b"nope");
    body.extend_from_slice(&text);
    for (i, b) in body.iter().enumerate() {
        if *b != 0 {
            c.extend_from_slice(&[0x60, *b, 0x60, u8::try_from(i).unwrap(), 0x53]);
        }
    }
    c.extend_from_slice(&[0x60, u8::try_from(body.len()).unwrap(), 0x60, 0x00, 0xfd]);
    c.into()
}

fn world() -> World {
    let mut w = World::new();
    w.insert(
        address_of(&key(1)),
        Acct {
            balance: U256::from(10u64).pow(U256::from(18)),
            ..Default::default()
        },
    );
    w.insert(
        KV,
        Acct {
            code: KV_CODE,
            nonce: 1,
            storage: [(B256::with_last_byte(7), U256::from(70))].into(),
            ..Default::default()
        },
    );
    w.insert(
        REVERTER,
        Acct {
            code: reverter_code(),
            nonce: 1,
            ..Default::default()
        },
    );
    w
}

fn proven(world: &World, items: &[(Address, Vec<B256>)], codes: &[Bytes]) -> ProvenState {
    let root = state_root(world);
    let mut state = ProvenState::new(root);
    for (a, slots) in items {
        let acc = verify_account_proof(root, &get_proof(world, *a, slots)).unwrap();
        state.add_account(&acc).unwrap();
    }
    for c in codes {
        state.add_code(c);
    }
    state
}

fn test_block() -> BlockContext {
    BlockContext {
        chain_id: CHAIN_ID,
        spec: EvmSpec::Cancun,
        number: 10,
        timestamp: 1_700_000_020,
        beneficiary: BENEFICIARY,
        gas_limit: GAS_LIMIT,
        base_fee: BASE_FEE,
        prevrandao: B256::ZERO,
        excess_blob_gas: Some(0),
    }
}

fn kv_set(slot: u8, value: u64) -> Bytes {
    let mut d = B256::with_last_byte(slot).to_vec();
    d.extend_from_slice(&U256::from(value).to_be_bytes::<32>());
    d.into()
}

#[test]
fn signed_bundle_with_assertions() {
    let w = world();
    let alice = address_of(&key(1));
    let state = proven(
        &w,
        &[
            (alice, vec![]),
            (KV, vec![B256::with_last_byte(7), B256::with_last_byte(8)]),
            (BENEFICIARY, vec![]),
        ],
        &[KV_CODE],
    );
    let txs = [
        SimTx::Signed(sign(
            &key(1),
            0,
            TxKind::Call(KV),
            U256::ZERO,
            kv_set(8, 88),
            100_000,
        )),
        SimTx::Signed(sign(
            &key(1),
            1,
            TxKind::Call(KV),
            U256::ZERO,
            kv_set(7, 0),
            100_000,
        )),
    ];
    let read8 = CallRequest {
        from: alice,
        to: Some(KV),
        data: B256::with_last_byte(8).to_vec().into(),
        ..Default::default()
    };
    let assertions = [
        Assertion::StorageEquals {
            address: KV,
            slot: B256::with_last_byte(8),
            value: U256::from(88),
        },
        Assertion::CallReturns {
            call: read8,
            output: U256::from(88).to_be_bytes::<32>().to_vec().into(),
        },
        Assertion::BalanceAtLeast {
            address: alice,
            min: U256::from(1),
        },
    ];
    let r = simulate(&state, &test_block(), &txs, &assertions).expect("simulates");
    assert!(r.ok, "{r:?}");
    assert!(r.outcomes.iter().all(|o| o.success));
    assert!(r.gas_used > 2 * 21_000);
    let kv = r.state_changes.iter().find(|c| c.address == KV).unwrap();
    let slots: Vec<(u8, u64, u64)> = kv
        .storage
        .iter()
        .map(|s| (s.slot[31], s.before.to::<u64>(), s.after.to::<u64>()))
        .collect();
    assert_eq!(slots, [(7, 70, 0), (8, 0, 88)]);
    let a = r.state_changes.iter().find(|c| c.address == alice).unwrap();
    assert_eq!(a.nonce, (0, 2));
    assert!(a.balance.1 < a.balance.0);
}

#[test]
fn revert_reason_is_decoded() {
    let w = world();
    let alice = address_of(&key(1));
    let state = proven(
        &w,
        &[(alice, vec![]), (REVERTER, vec![]), (BENEFICIARY, vec![])],
        &[reverter_code()],
    );
    let call = CallRequest {
        from: alice,
        to: Some(REVERTER),
        ..Default::default()
    };
    let r = simulate(&state, &test_block(), &[SimTx::Call(call)], &[]).unwrap();
    assert!(!r.ok);
    assert!(!r.outcomes[0].success);
    assert_eq!(r.outcomes[0].revert_reason.as_deref(), Some("nope"));
}

#[test]
fn deploy_then_call_in_one_bundle() {
    let w = world();
    let alice = address_of(&key(1));
    let created = alice.create(0);
    // init: SSTORE(9, 99); return KV_CODE
    let len = u8::try_from(KV_CODE.len()).unwrap();
    let mut init = vec![0x60, 99, 0x60, 9, 0x55];
    let off = u8::try_from(init.len() + 12).unwrap();
    init.extend_from_slice(&[
        0x60, len, 0x60, off, 0x60, 0, 0x39, 0x60, len, 0x60, 0, 0xf3,
    ]);
    init.extend_from_slice(&KV_CODE);
    let state = proven(
        &w,
        &[(alice, vec![]), (created, vec![]), (BENEFICIARY, vec![])],
        &[],
    );
    let deploy = SimTx::Signed(sign(
        &key(1),
        0,
        TxKind::Create,
        U256::ZERO,
        init.into(),
        300_000,
    ));
    let read9 = CallRequest {
        from: alice,
        to: Some(created),
        data: B256::with_last_byte(9).to_vec().into(),
        ..Default::default()
    };
    let assertions = [Assertion::CallReturns {
        call: read9,
        output: U256::from(99).to_be_bytes::<32>().to_vec().into(),
    }];
    let r = simulate(&state, &test_block(), &[deploy], &assertions).unwrap();
    assert_eq!(r.outcomes[0].created, Some(created));
    assert!(r.ok, "{r:?}");
}

#[test]
fn bad_signature_and_wrong_nonce_are_invalid_transactions() {
    let w = world();
    let alice = address_of(&key(1));
    let state = proven(
        &w,
        &[(alice, vec![]), (KV, vec![]), (BENEFICIARY, vec![])],
        &[KV_CODE],
    );
    let wrong_nonce = SimTx::Signed(sign(
        &key(1),
        5,
        TxKind::Call(KV),
        U256::ZERO,
        Bytes::new(),
        50_000,
    ));
    let err = simulate(&state, &test_block(), &[wrong_nonce], &[]).unwrap_err();
    assert_eq!(err.code(), "INVALID_TRANSACTION");
    let mut raw = sign(
        &key(1),
        0,
        TxKind::Call(KV),
        U256::ZERO,
        Bytes::new(),
        50_000,
    )
    .to_vec();
    let n = raw.len();
    raw[n - 40] ^= 0xff; // corrupt r
    let err = simulate(&state, &test_block(), &[SimTx::Signed(raw.into())], &[]).unwrap_err();
    assert!(
        matches!(
            err,
            EvmError::InvalidTransaction { .. } | EvmError::NeedsState(_)
        ),
        "{err:?}"
    );
}

#[test]
fn cross_domain_two_roots() {
    let l2 = world();
    let alice = address_of(&key(1));
    let l2_state = proven(
        &l2,
        &[(alice, vec![]), (KV, vec![B256::with_last_byte(7)])],
        &[KV_CODE],
    );
    let l1_state = mainnet_state();
    let l2_block = test_block();
    let l1_block = mainnet_block();
    let l2_asserts = [Assertion::StorageEquals {
        address: KV,
        slot: B256::with_last_byte(7),
        value: U256::from(70),
    }];
    let l1_asserts = [Assertion::StorageEquals {
        address: DEPOSIT_CONTRACT,
        slot: B256::with_last_byte(1),
        value: deposit_root_value(),
    }];
    let r = simulate_cross_domain(
        Leg {
            state: &l2_state,
            block: &l2_block,
            txs: &[],
            assertions: &l2_asserts,
        },
        Leg {
            state: &l1_state,
            block: &l1_block,
            txs: &[],
            assertions: &l1_asserts,
        },
    )
    .unwrap();
    assert!(r.ok);
    assert_eq!(r.l1.state_root, CANCUN_STATE_ROOT);
    assert_eq!(r.l2.state_root, state_root(&l2));
}

#[test]
fn signed_transactions_pay_for_gas_calls_do_not() {
    let mut w = world();
    let poor = address_of(&key(9));
    w.insert(
        poor,
        Acct {
            balance: U256::from(1),
            ..Default::default()
        },
    );
    let state = proven(
        &w,
        &[
            (poor, vec![]),
            (KV, vec![B256::with_last_byte(7)]),
            (BENEFICIARY, vec![]),
        ],
        &[KV_CODE],
    );
    let signed = SimTx::Signed(sign(
        &key(9),
        0,
        TxKind::Call(KV),
        U256::ZERO,
        B256::with_last_byte(7).to_vec().into(),
        60_000,
    ));
    let err = simulate(&state, &test_block(), &[signed], &[]).unwrap_err();
    assert_eq!(err.code(), "INVALID_TRANSACTION", "{err:?}");
    let call = SimTx::Call(CallRequest {
        from: poor,
        to: Some(KV),
        data: B256::with_last_byte(7).to_vec().into(),
        ..Default::default()
    });
    let r = simulate(&state, &test_block(), &[call], &[]).unwrap();
    assert_eq!(
        r.outcomes[0].output,
        Bytes::from(U256::from(70).to_be_bytes::<32>().to_vec())
    );
}
