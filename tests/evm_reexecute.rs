//! Stateless re-execution: blocks built here (transfers, a deployment,
//! storage writes that delete slots, a self-call) are executed by a producer
//! over the full state; their post-state roots come from HashBuilder over the
//! full sorted state. The crate re-executes them from a witness only.
#![cfg(feature = "evm")]

mod evm_common;

use alloy_primitives::{Address, B256, Bytes, TxKind, U256, address, b256, bytes};
use evm_common::*;
use preconf_light::ErrorCode;
use preconf_light::evm::{BlockInput, EvmError, EvmSpec, Witness, reexecute_block};
use preconf_light::execution::ExecutionError;

/// SSTORE(calldata[0..32], calldata[32..64]).
const STORE_CODE: Bytes = bytes!("6020356000355500");
/// Without calldata: MSTORE8(0,1); CALL(self, data=0x01); SSTORE(2,2).
/// With calldata: SSTORE(1,1).
const SELF_CALL_CODE: Bytes =
    bytes!("3615600b576001600155005b600160005360006000600160006000305af150600260025500");
const STORE: Address = Address::repeat_byte(0xc0);
const SELF_CALLER: Address = Address::repeat_byte(0x5e);
const BOB: Address = Address::repeat_byte(0xb0);
const FRESH: Address = Address::repeat_byte(0xf1);
/// EIP-4788 beacon roots contract: must be proven absent for a Cancun block.
const BEACON_ROOTS: Address = address!("0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02");

fn word(n: u8) -> B256 {
    B256::with_last_byte(n)
}

fn big(n: u8) -> U256 {
    // 32-byte values keep storage leaves hashed (not embedded) in the trie.
    U256::from_be_bytes([n; 32])
}

fn genesis() -> World {
    let mut w = World::new();
    let ether = U256::from(10u64).pow(U256::from(18));
    w.insert(
        address_of(&key(1)),
        Acct {
            balance: ether,
            ..Default::default()
        },
    );
    w.insert(
        address_of(&key(2)),
        Acct {
            balance: ether,
            ..Default::default()
        },
    );
    w.insert(
        BOB,
        Acct {
            balance: U256::from(5),
            ..Default::default()
        },
    );
    w.insert(
        STORE,
        Acct {
            code: STORE_CODE,
            storage: [(word(1), big(0x11)), (word(2), big(0x22))].into(),
            nonce: 1,
            ..Default::default()
        },
    );
    w.insert(
        SELF_CALLER,
        Acct {
            code: SELF_CALL_CODE,
            nonce: 1,
            ..Default::default()
        },
    );
    w
}

fn store_call(slot: u8, value: U256) -> Bytes {
    let mut d = word(slot).to_vec();
    d.extend_from_slice(&value.to_be_bytes::<32>());
    d.into()
}

/// Init code: SSTORE(0, 5), then return STORE_CODE as the runtime.
fn deploy_code() -> Bytes {
    let runtime = STORE_CODE;
    let len = u8::try_from(runtime.len()).unwrap();
    let mut init = vec![0x60, 0x05, 0x60, 0x00, 0x55];
    // PUSH1 len PUSH1 off PUSH1 0 CODECOPY PUSH1 len PUSH1 0 RETURN
    let off = u8::try_from(init.len() + 12).unwrap();
    init.extend_from_slice(&[
        0x60, len, 0x60, off, 0x60, 0x00, 0x39, 0x60, len, 0x60, 0x00, 0xf3,
    ]);
    init.extend_from_slice(&runtime);
    init.into()
}

fn txs() -> Vec<PlainTx> {
    let tx = |k: u8, nonce: u64, to: TxKind, value: u64, input: Bytes| PlainTx {
        key: key(k),
        nonce,
        to,
        value: U256::from(value),
        input,
        gas_limit: 200_000,
    };
    vec![
        tx(1, 0, TxKind::Call(BOB), 1_000, Bytes::new()),
        tx(1, 1, TxKind::Call(FRESH), 77, Bytes::new()),
        tx(2, 0, TxKind::Create, 0, deploy_code()),
        tx(2, 1, TxKind::Call(STORE), 0, store_call(3, big(0x33))),
        // Deletes slot 1: the storage trie's branch collapses onto slot 2's leaf.
        tx(2, 2, TxKind::Call(STORE), 0, store_call(1, U256::ZERO)),
        tx(1, 2, TxKind::Call(SELF_CALLER), 0, Bytes::new()),
    ]
}

fn touched() -> Vec<(Address, Vec<B256>)> {
    let created = address_of(&key(2)).create(0);
    vec![
        (address_of(&key(1)), vec![]),
        (address_of(&key(2)), vec![]),
        (BOB, vec![]),
        (FRESH, vec![]),
        (created, vec![]),
        (STORE, vec![word(1), word(3)]),
        (SELF_CALLER, vec![word(1), word(2)]),
        (BENEFICIARY, vec![]),
        (BEACON_ROOTS, vec![]),
    ]
}

fn witness(world: &World, with_collapse_sibling: bool) -> Witness {
    let mut w = Witness {
        proofs: touched()
            .iter()
            .map(|(a, s)| get_proof(world, *a, s))
            .collect(),
        codes: vec![STORE_CODE, SELF_CALL_CODE],
        ..Default::default()
    };
    if with_collapse_sibling {
        w.extra_nodes = all_storage_nodes(world, STORE);
    }
    w
}

fn run(world: &World, produced: &Produced, witness: &Witness) -> Result<B256, EvmError> {
    let input = BlockInput {
        header: &produced.header,
        transactions: &produced.raw_txs,
        withdrawals: &[],
        chain_id: CHAIN_ID,
        spec: EvmSpec::Cancun,
    };
    reexecute_block(state_root(world), &input, witness).map(|v| v.state_root)
}

#[test]
fn reexecution_matches_full_state_root() {
    let world = genesis();
    let produced = produce(&world, 1, &txs());
    assert!(
        produced.successes.iter().all(|s| *s),
        "{:?}",
        produced.successes
    );
    // The block did what it says: slot 1 deleted, slot 3 written, self-call wrote both slots.
    let store = &produced.post[&STORE];
    assert_eq!(store.storage.get(&word(1)), None);
    assert_eq!(store.storage.get(&word(3)), Some(&big(0x33)));
    assert_eq!(produced.post[&SELF_CALLER].storage.len(), 2);
    let created = address_of(&key(2)).create(0);
    assert_eq!(produced.post[&created].code, STORE_CODE);
    assert_eq!(produced.post[&FRESH].balance, U256::from(77));
    assert_ne!(state_root(&world), produced.header.state_root);

    let root = run(&world, &produced, &witness(&world, true)).expect("re-executes");
    assert_eq!(root, state_root(&produced.post));
}

#[test]
fn consecutive_blocks_chain() {
    let world = genesis();
    let b1 = produce(&world, 1, &txs());
    run(&world, &b1, &witness(&world, true)).expect("block 1");
    // Block 2 on block 1's post-state: empty slot 3 again (collapse), more transfers.
    let t2 = vec![
        PlainTx {
            key: key(2),
            nonce: 3,
            to: TxKind::Call(STORE),
            value: U256::ZERO,
            input: store_call(3, U256::ZERO),
            gas_limit: 100_000,
        },
        PlainTx {
            key: key(1),
            nonce: 3,
            to: TxKind::Call(BOB),
            value: U256::from(9),
            input: Bytes::new(),
            gas_limit: 21_000,
        },
    ];
    let b2 = produce(&b1.post, 2, &t2);
    let w2 = Witness {
        proofs: vec![
            get_proof(&b1.post, address_of(&key(1)), &[]),
            get_proof(&b1.post, address_of(&key(2)), &[]),
            get_proof(&b1.post, BOB, &[]),
            get_proof(&b1.post, STORE, &[word(3)]),
            get_proof(&b1.post, BENEFICIARY, &[]),
            get_proof(&b1.post, BEACON_ROOTS, &[]),
        ],
        codes: vec![STORE_CODE],
        extra_nodes: all_storage_nodes(&b1.post, STORE),
        ..Default::default()
    };
    let root = run(&b1.post, &b2, &w2).expect("block 2");
    assert_eq!(root, state_root(&b2.post));
}

#[test]
fn collapse_onto_unwitnessed_sibling_is_missing_witness() {
    let world = genesis();
    let produced = produce(&world, 1, &txs());
    let err = run(&world, &produced, &witness(&world, false)).unwrap_err();
    assert!(
        matches!(&err, EvmError::MissingWitness { what, .. } if what.contains("collapsing")),
        "{err:?}"
    );
    assert_eq!(err.code(), "MISSING_WITNESS");
}

#[test]
fn missing_account_proof_asks_for_it() {
    let world = genesis();
    let produced = produce(&world, 1, &txs());
    let mut w = witness(&world, true);
    w.proofs.retain(|p| p["address"] != format!("{STORE:#x}"));
    match run(&world, &produced, &w).unwrap_err() {
        EvmError::NeedsState(needs) => assert_eq!(needs.accounts, vec![STORE]),
        e => panic!("expected NeedsState, got {e:?}"),
    }
}

#[test]
fn missing_code_and_slot_are_reported() {
    let world = genesis();
    let produced = produce(&world, 1, &txs());
    let mut w = witness(&world, true);
    w.codes.retain(|c| *c != SELF_CALL_CODE);
    for p in &mut w.proofs {
        if p["address"] == format!("{STORE:#x}") {
            *p = get_proof(&world, STORE, &[word(1)]);
        }
    }
    match run(&world, &produced, &w).unwrap_err() {
        EvmError::NeedsState(needs) => {
            assert_eq!(needs.codes, vec![SELF_CALLER]);
            assert_eq!(needs.slots, vec![(STORE, word(3))]);
        }
        e => panic!("expected NeedsState, got {e:?}"),
    }
}

#[test]
fn forged_proof_node_is_rejected() {
    let world = genesis();
    let produced = produce(&world, 1, &txs());
    let mut w = witness(&world, true);
    let node = w.proofs[5]["accountProof"][0].as_str().unwrap().to_owned();
    let mut forged = node.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == '0' { '1' } else { '0' });
    w.proofs[5]["accountProof"][0] = forged.into();
    let err = run(&world, &produced, &w).unwrap_err();
    assert!(
        matches!(
            err,
            EvmError::Execution(ExecutionError::InvalidProof { .. })
        ),
        "{err:?}"
    );
}

#[test]
fn wrong_pre_state_root_is_rejected() {
    let world = genesis();
    let produced = produce(&world, 1, &txs());
    let input = BlockInput {
        header: &produced.header,
        transactions: &produced.raw_txs,
        withdrawals: &[],
        chain_id: CHAIN_ID,
        spec: EvmSpec::Cancun,
    };
    let wrong = b256!("0x1111111111111111111111111111111111111111111111111111111111111111");
    let err = reexecute_block(wrong, &input, &witness(&world, true)).unwrap_err();
    assert!(
        matches!(
            err,
            EvmError::Execution(ExecutionError::InvalidProof { .. })
        ),
        "{err:?}"
    );
}

#[test]
fn tampered_post_state_root_is_evidence() {
    let world = genesis();
    let mut produced = produce(&world, 1, &txs());
    let honest = produced.header.state_root;
    produced.header.state_root = B256::repeat_byte(0xee);
    match run(&world, &produced, &witness(&world, true)).unwrap_err() {
        EvmError::PostStateRootMismatch { computed, expected } => {
            assert_eq!(computed, honest);
            assert_eq!(expected, B256::repeat_byte(0xee));
        }
        e => panic!("expected PostStateRootMismatch, got {e:?}"),
    }
}

#[test]
fn tampered_receipts_root_and_gas_are_evidence() {
    let world = genesis();
    let mut produced = produce(&world, 1, &txs());
    produced.header.receipts_root = B256::repeat_byte(0xdd);
    let err = run(&world, &produced, &witness(&world, true)).unwrap_err();
    assert_eq!(err.code(), "RECEIPTS_ROOT_MISMATCH");
    let mut produced = produce(&world, 1, &txs());
    produced.header.gas_used += 1;
    let err = run(&world, &produced, &witness(&world, true)).unwrap_err();
    assert_eq!(err.code(), "GAS_USED_MISMATCH");
}

#[test]
fn transactions_must_match_the_header() {
    let world = genesis();
    let mut produced = produce(&world, 1, &txs());
    produced.raw_txs.pop();
    let err = run(&world, &produced, &witness(&world, true)).unwrap_err();
    assert_eq!(err.code(), "TRANSACTIONS_ROOT_MISMATCH");
}

#[test]
fn garbage_transactions_do_not_panic() {
    let world = genesis();
    let mut produced = produce(&world, 1, &txs());
    for junk in [&[][..], &[0x02], &[0xff; 40], &[0x02, 0xc0]] {
        produced.raw_txs = vec![Bytes::copy_from_slice(junk)];
        produced.header.transactions_root =
            preconf_light::execution::transactions_root(&produced.raw_txs);
        let err = run(&world, &produced, &witness(&world, true)).unwrap_err();
        assert_eq!(err.code(), "INVALID_TRANSACTION", "{err:?}");
    }
}

#[test]
fn json_request_round_trip() {
    use preconf_light::evm::reexecute_json;
    use serde_json::json;
    let world = genesis();
    let produced = produce(&world, 1, &txs());
    let w = witness(&world, true);
    let hex = |b: &Bytes| format!("0x{}", hex::encode(b));
    let mut request = json!({
        "preStateRoot": format!("{:#x}", state_root(&world)),
        "header": header_json(&produced.header),
        "transactions": produced.raw_txs.iter().map(hex).collect::<Vec<_>>(),
        "chainId": CHAIN_ID,
        "spec": "cancun",
        "witness": {
            "proofs": w.proofs,
            "codes": w.codes.iter().map(hex).collect::<Vec<_>>(),
            "extraNodes": w.extra_nodes.iter().map(hex).collect::<Vec<_>>(),
        },
    });
    let out = reexecute_json(&request).expect("verified");
    assert_eq!(out["status"], "verified");
    assert_eq!(
        out["stateRoot"],
        format!("{:#x}", state_root(&produced.post))
    );
    assert_eq!(
        out["blockHash"],
        format!("{:#x}", produced.header.hash_slow())
    );
    // Without the STORE proof: a result asking for it, not an error.
    request["witness"]["proofs"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["address"] != format!("{STORE:#x}"));
    let out = reexecute_json(&request).expect("needs state");
    assert_eq!(out["status"], "needsState");
    assert_eq!(out["needs"]["accounts"], json!([format!("{STORE:#x}")]));
}

#[test]
fn system_contract_must_be_proven_absent() {
    let world = genesis();
    let produced = produce(&world, 1, &txs());
    let mut w = witness(&world, true);
    w.proofs
        .retain(|p| p["address"] != format!("{BEACON_ROOTS:#x}"));
    match run(&world, &produced, &w).unwrap_err() {
        EvmError::NeedsState(needs) => assert_eq!(needs.accounts, vec![BEACON_ROOTS]),
        e => panic!("expected NeedsState, got {e:?}"),
    }
    // Deployed: no verdict rather than a false state-root mismatch.
    let mut deployed = genesis();
    deployed.insert(
        BEACON_ROOTS,
        Acct {
            code: bytes!("00"),
            nonce: 1,
            ..Default::default()
        },
    );
    let produced = produce(&deployed, 1, &txs());
    let err = run(&deployed, &produced, &witness(&deployed, true)).unwrap_err();
    assert_eq!(err.code(), "UNSUPPORTED_SYSTEM_CONTRACT");
}
