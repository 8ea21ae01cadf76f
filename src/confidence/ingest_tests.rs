//! Ingest tests on synthetic L1 data: hash-linked execution headers, receipts
//! JSON rebuilt into their roots, a parent chase and a commitment, all
//! through the one door (`Engine::step`).

use alloy_primitives::{B64, B256, Bloom, Bytes, U256, keccak256};
use serde_json::{Value, json};

use super::l1_adapter::{L1Header, L1VerifyError, anchor_from_genesis};
use super::{Engine, EngineError, Input, Level};
use crate::Verified;
use crate::execution::{ExecutionBlock, ExecutionHeader, Log, Receipt, receipts_root};
use crate::rollup::l1::{L1Block, L1Log, encode_commit_log};
use crate::rollup::{RollupSetup, testkit};

fn receipt_of(logs: &[L1Log]) -> Receipt {
    Receipt {
        tx_type: 2,
        success: true,
        cumulative_gas_used: 60_000,
        logs: logs
            .iter()
            .map(|l| Log {
                address: l.address,
                topics: l.topics.clone(),
                data: l.data.clone(),
            })
            .collect(),
    }
}

fn receipts_json(receipts: &[Receipt]) -> Value {
    Value::Array(
        receipts
            .iter()
            .map(|r| {
                json!({
                    "type": format!("{:#x}", r.tx_type),
                    "status": if r.success { "0x1" } else { "0x0" },
                    "cumulativeGasUsed": format!("{:#x}", r.cumulative_gas_used),
                    "logsBloom": format!("{}", r.bloom()),
                    "logs": r.logs.iter().map(|l| json!({
                        "address": format!("{}", l.address),
                        "topics": l.topics.iter().map(|t| format!("{t}")).collect::<Vec<_>>(),
                        "data": format!("{}", l.data),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

fn exec(
    parent: B256,
    number: u64,
    slot: u64,
    parent_beacon: B256,
    receipts: &[Receipt],
) -> Verified<ExecutionBlock> {
    let header = ExecutionHeader {
        parent_hash: parent,
        ommers_hash: keccak256([0xc0u8]),
        beneficiary: Default::default(),
        state_root: B256::repeat_byte(number as u8),
        transactions_root: alloy_trie::EMPTY_ROOT_HASH,
        receipts_root: if receipts.is_empty() {
            alloy_trie::EMPTY_ROOT_HASH
        } else {
            receipts_root(receipts)
        },
        logs_bloom: Bloom::ZERO,
        difficulty: U256::ZERO,
        number,
        gas_limit: 30_000_000,
        gas_used: 0,
        timestamp: testkit::GENESIS + slot * testkit::SPS,
        extra_data: Bytes::new(),
        mix_hash: B256::ZERO,
        nonce: B64::ZERO,
        base_fee_per_gas: Some(7),
        withdrawals_root: Some(alloy_trie::EMPTY_ROOT_HASH),
        blob_gas_used: Some(0),
        excess_blob_gas: Some(0),
        parent_beacon_block_root: Some(parent_beacon),
        requests_hash: None,
    };
    Verified::new_unchecked(ExecutionBlock {
        hash: header.hash_slow(),
        header,
        transaction_hashes: None,
        withdrawals_checked: false,
    })
}

/// The `eth_getBlockByHash(hash, false)` answer of a synthetic block.
fn block_json(e: &ExecutionBlock) -> Value {
    let h = &e.header;
    let q = |n: u64| format!("{n:#x}");
    json!({
        "hash": format!("{}", e.hash),
        "parentHash": format!("{}", h.parent_hash),
        "sha3Uncles": format!("{}", h.ommers_hash),
        "miner": format!("{}", h.beneficiary),
        "stateRoot": format!("{}", h.state_root),
        "transactionsRoot": format!("{}", h.transactions_root),
        "receiptsRoot": format!("{}", h.receipts_root),
        "logsBloom": format!("{}", h.logs_bloom),
        "difficulty": "0x0",
        "number": q(h.number),
        "gasLimit": q(h.gas_limit),
        "gasUsed": q(h.gas_used),
        "timestamp": q(h.timestamp),
        "extraData": "0x",
        "mixHash": format!("{}", h.mix_hash),
        "nonce": format!("{}", h.nonce),
        "baseFeePerGas": q(h.base_fee_per_gas.unwrap_or_default()),
        "withdrawalsRoot": format!("{}", h.withdrawals_root.unwrap_or_default()),
        "blobGasUsed": q(h.blob_gas_used.unwrap_or_default()),
        "excessBlobGas": q(h.excess_blob_gas.unwrap_or_default()),
        "parentBeaconBlockRoot": format!("{}", h.parent_beacon_block_root.unwrap_or_default()),
        "transactions": [],
    })
}

fn beacon(slot: u64) -> B256 {
    keccak256(slot.to_be_bytes())
}

fn l1_header(e: &ExecutionBlock, slot: u64, finalized: bool) -> Verified<L1Header> {
    Verified::new_unchecked(L1Header {
        block: L1Block {
            slot,
            beacon_root: beacon(slot),
            parent_beacon_root: e.header.parent_beacon_block_root.unwrap_or_default(),
            block_hash: e.hash,
            parent_block_hash: e.header.parent_hash,
            block_number: e.header.number,
            timestamp: e.header.timestamp,
        },
        state_root: e.header.state_root,
        receipts_root: e.header.receipts_root,
        finalized,
    })
}

#[test]
fn engine_chases_parents_ingests_receipts_and_finalizes() {
    let key = testkit::signing_key(1);
    let config = testkit::config(&key);
    let setup = RollupSetup {
        config: config.clone(),
        genesis: Some(testkit::anchor_header()),
        batch_program_vkey: None,
    };
    let e0 = exec(B256::ZERO, 0, 0, B256::ZERO, &[]);
    let a0 = l1_header(&e0, 0, true);
    let anchor = anchor_from_genesis(&config, &a0, testkit::anchor_header()).expect("anchor");
    let mut d = Engine::new(setup, a0.clone(), anchor).expect("engine");

    // An L2 slot-ending block of slot 1 on L1 block 0, committed by the L1 block of slot 1.
    let l2 = testkit::l2_child(
        &testkit::anchor_header(),
        testkit::SLOT_ENDING,
        1,
        &a0.block,
        vec![],
        0,
    );
    let l2_hash = l2.header.hash();
    let step = d
        .step(Input::L2Block(testkit::certified(&key, l2)))
        .expect("l2");
    assert!(matches!(step.added, Some(super::Added::L2Block { hash, .. }) if hash == l2_hash));
    assert_eq!(d.level_of_block(&l2_hash), Some(Level::SlotEnding));
    let commit = encode_commit_log(config.inbox, l2_hash, 1, testkit::anchor_header().hash());
    let r1 = vec![receipt_of(&[commit])];
    let e1 = exec(e0.hash, 1, 1, beacon(0), &r1);
    let e2 = exec(e1.hash, 2, 3, beacon(1), &[]);
    let head = l1_header(&e2, 3, false);

    let heads = |head: &Verified<L1Header>, finalized: &Verified<L1Header>| Input::L1Heads {
        head: head.clone(),
        finalized: finalized.clone(),
    };
    let receipts = |block_hash: B256, receipts: &[Receipt]| Input::L1Receipts {
        block_hash,
        receipts: receipts_json(receipts),
    };
    let p = d.step(heads(&head, &a0)).expect("heads");
    assert_eq!(p.needs.l1_block, Some(e1.hash));
    let unrelated = exec(B256::repeat_byte(1), 5, 5, beacon(4), &[]);
    assert!(matches!(
        d.step(Input::L1Block(block_json(&unrelated))),
        Err(EngineError::NotRequested(_))
    ));
    let mut forged = block_json(&e1);
    forged["gasUsed"] = json!("0x1");
    assert_eq!(
        crate::ErrorCode::code(&d.step(Input::L1Block(forged)).expect_err("forged")),
        "HEADER_HASH_MISMATCH"
    );
    let p = d.step(Input::L1Block(block_json(&e1))).expect("parent");
    assert_eq!(p.needs.l1_block, None);
    assert_eq!(p.needs.l1_receipts, vec![e1.hash, e2.hash]);
    assert_eq!(d.chain().l1_head().map(|b| b.block_hash), Some(e2.hash));

    // Receipts of another block (another root) are rejected.
    let err = d.step(receipts(e1.hash, &[])).expect_err("wrong root");
    assert_eq!(crate::ErrorCode::code(&err), "RECEIPTS_ROOT_MISMATCH");
    let p = d.step(receipts(e1.hash, &r1)).expect("receipts");
    assert_eq!(p.needs.l1_receipts, vec![e2.hash]);
    assert_eq!(d.level_of_block(&l2_hash), Some(Level::Included));
    d.step(receipts(e2.hash, &[])).expect("receipts 2");

    // The head becomes finalized.
    let fin = l1_header(&e2, 3, true);
    d.step(heads(&head, &fin)).expect("finalized");
    assert_eq!(d.level_of_block(&l2_hash), Some(Level::Finalized));
}

#[test]
fn engine_rejects_a_non_finalized_checkpoint_and_a_wrong_anchor_block() {
    let key = testkit::signing_key(1);
    let config = testkit::config(&key);
    let setup = RollupSetup {
        config: config.clone(),
        genesis: None,
        batch_program_vkey: None,
    };
    let e0 = exec(B256::ZERO, 0, 0, B256::ZERO, &[]);
    let a0 = l1_header(&e0, 0, true);
    let anchor = anchor_from_genesis(&config, &a0, testkit::anchor_header()).expect("anchor");
    let other = l1_header(&exec(B256::ZERO, 0, 0, B256::repeat_byte(1), &[]), 0, true);
    assert!(matches!(
        Engine::new(setup.clone(), other, anchor.clone()),
        Err(EngineError::L1(L1VerifyError::BlockMismatch { .. }))
    ));
    let mut d = Engine::new(setup, a0.clone(), anchor).expect("engine");
    let e1 = exec(e0.hash, 1, 1, beacon(0), &[]);
    let h1 = l1_header(&e1, 1, false);
    assert!(matches!(
        d.step(Input::L1Heads {
            head: h1.clone(),
            finalized: h1
        }),
        Err(EngineError::L1(L1VerifyError::NotFinalized(_)))
    ));
}
