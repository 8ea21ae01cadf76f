//! Execution-layer verification against real mainnet data (see
//! tests/fixtures/mainnet/PROVENANCE.md), with a negative test for every rule.

use alloy_primitives::{Address, B256, Bytes, U256, address, b256, keccak256};
use preconf_light::ErrorCode;
use preconf_light::execution::{
    ExecutionError, ExecutionHeader, LogFilter, Receipt, verify_account_proof,
    verify_account_proof_for, verify_block, verify_block_receipts, verify_code, verify_header_rlp,
    verify_raw_transactions, verify_receipts,
};
use serde_json::Value;

const CANCUN_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/mainnet/helios/el-cancun"
);
const PRAGUE_YAML: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/mainnet/portal-spec-tests/prague-el/block-data-22431084.yaml"
);
const DENEB_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/mainnet/zk-light-clients/deneb-inclusion"
);

const CANCUN_HASH: B256 =
    b256!("0x92dabfa3f61ff1c349d12f5fd0dd4c99760a0a41b77dee8f0a80f83efdcb307a");
const CANCUN_RECEIPTS_ROOT: B256 =
    b256!("0xf883e1a2fb8df9d1d988dec80f13c8aca724590ac357e45e30e0d48b1fbd64ee");
const CANCUN_STATE_ROOT: B256 =
    b256!("0x7b3d5a01f69b7d2ea7479fd7ae35f4bac2700ab6d6d7b4807a7fedf53ced710e");
const PRAGUE_HASH: B256 =
    b256!("0x50c8cab760b2948349c590461b166773c45d8f4858cccf5a43025ab2960152e8");
const DEPOSIT_CONTRACT: Address = address!("0x00000000219ab540356cbb839cbe05303d7705fa");

fn load(dir: &str, name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{dir}/{name}")).expect("fixture readable");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn cancun_block() -> Value {
    load(CANCUN_DIR, "block_21925176.json")
}

fn cancun_receipts() -> Value {
    load(CANCUN_DIR, "receipts_21925176.json")
}

fn deposit_proof() -> Value {
    load(CANCUN_DIR, "getproof_deposit_contract_21925176.json")
}

fn miner_proof() -> Value {
    load(CANCUN_DIR, "getproof_miner_21925176.json")
}

/// The three RLP blobs of the Portal block-data YAML, as bytes.
fn prague_parts() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let text = std::fs::read_to_string(PRAGUE_YAML).expect("fixture readable");
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("fixture is YAML");
    let hex_of = |key: &str| -> Vec<u8> {
        let s = doc[key].as_str().expect("hex string field");
        hex::decode(s.trim_start_matches("0x")).expect("hex")
    };
    (hex_of("header"), hex_of("body"), hex_of("receipts"))
}

fn set(v: &mut Value, pointer: &str, new: Value) {
    *v.pointer_mut(pointer).expect("pointer exists") = new;
}

fn code_of<T>(r: Result<T, ExecutionError>) -> &'static str {
    match r {
        Ok(_) => "OK",
        Err(e) => e.code(),
    }
}

// ---------------------------------------------------------------- headers

#[test]
fn cancun_block_hash_recomputed() {
    let block = verify_block(&cancun_block(), Some(CANCUN_HASH)).expect("real block verifies");
    assert_eq!(block.hash, CANCUN_HASH);
    assert_eq!(block.header.number, 21_925_176);
    assert_eq!(block.header.state_root, CANCUN_STATE_ROOT);
    assert_eq!(block.header.receipts_root, CANCUN_RECEIPTS_ROOT);
    assert_eq!(block.header.excess_blob_gas, Some(0x478_0000));
    assert!(block.header.requests_hash.is_none());
    assert!(block.withdrawals_checked, "16 withdrawals rebuilt");
    assert!(
        block.transaction_hashes.is_none(),
        "hash-only transactions are not verified"
    );
    let rlp = block.header.encode_rlp();
    assert_eq!(keccak256(&rlp), CANCUN_HASH);
    assert_eq!(
        ExecutionHeader::decode_rlp(&rlp).expect("round trip"),
        block.header
    );
}

#[test]
fn cancun_block_without_expected_hash_binds_stated_hash() {
    let block = verify_block(&cancun_block(), None).expect("self-consistent block");
    assert_eq!(block.hash, CANCUN_HASH);
}

#[test]
fn block_inside_full_jsonrpc_response_is_accepted() {
    let wrapped = serde_json::json!({"jsonrpc": "2.0", "id": 1, "result": cancun_block()});
    assert_eq!(code_of(verify_block(&wrapped, Some(CANCUN_HASH))), "OK");
    let error = serde_json::json!({"jsonrpc": "2.0", "id": 1, "error": {"code": -1}});
    assert_eq!(code_of(verify_block(&error, None)), "DECODE_ERROR");
}

#[test]
fn wrong_expected_hash_is_rejected() {
    let mut wrong = CANCUN_HASH;
    wrong.0[31] ^= 1;
    let err = verify_block(&cancun_block(), Some(wrong)).unwrap_err();
    assert!(
        matches!(err, ExecutionError::HeaderHashMismatch { computed, .. } if computed == CANCUN_HASH)
    );
    assert_eq!(err.code(), "HEADER_HASH_MISMATCH");
}

#[test]
fn every_changed_header_field_changes_the_hash() {
    let changes: &[(&str, Value)] = &[
        (
            "/parentHash",
            Value::from(format!("{:#x}", B256::repeat_byte(1))),
        ),
        (
            "/stateRoot",
            Value::from(format!("{:#x}", B256::repeat_byte(2))),
        ),
        (
            "/receiptsRoot",
            Value::from(format!("{:#x}", B256::repeat_byte(3))),
        ),
        ("/gasUsed", Value::from("0xf8e2f1")),
        ("/timestamp", Value::from("0x67be0db4")),
        ("/baseFeePerGas", Value::from("0x65d7fcc7")),
        (
            "/withdrawalsRoot",
            Value::from(format!("{:#x}", B256::repeat_byte(4))),
        ),
        ("/blobGasUsed", Value::from("0x20000")),
        ("/excessBlobGas", Value::from("0x0")),
        (
            "/parentBeaconBlockRoot",
            Value::from(format!("{:#x}", B256::repeat_byte(5))),
        ),
        ("/extraData", Value::from("0x")),
    ];
    for (pointer, new) in changes {
        let mut block = cancun_block();
        // Withdrawals are checked after the hash; keep them out of the way.
        block.as_object_mut().unwrap().remove("withdrawals");
        set(&mut block, pointer, new.clone());
        let err = verify_block(&block, Some(CANCUN_HASH)).unwrap_err();
        assert_eq!(err.code(), "HEADER_HASH_MISMATCH", "field {pointer}");
        // Without an anchor the response's own `hash` still catches it.
        assert_eq!(code_of(verify_block(&block, None)), "HEADER_HASH_MISMATCH");
    }
}

#[test]
fn adding_a_fork_field_changes_the_hash() {
    let mut block = cancun_block();
    block["requestsHash"] = Value::from(format!("{:#x}", B256::ZERO));
    assert_eq!(
        code_of(verify_block(&block, Some(CANCUN_HASH))),
        "HEADER_HASH_MISMATCH"
    );
}

#[test]
fn fork_fields_out_of_order_are_rejected() {
    let mut block = cancun_block();
    block.as_object_mut().unwrap().remove("withdrawalsRoot");
    let err = verify_block(&block, Some(CANCUN_HASH)).unwrap_err();
    assert!(
        matches!(
            err,
            ExecutionError::HeaderFieldGap {
                field: "blobGasUsed"
            }
        ),
        "{err}"
    );
    let mut block = cancun_block();
    block.as_object_mut().unwrap().remove("excessBlobGas");
    let err = verify_block(&block, Some(CANCUN_HASH)).unwrap_err();
    assert!(
        matches!(err, ExecutionError::HeaderFieldGap { .. }),
        "{err}"
    );
}

#[test]
fn malformed_header_json_is_a_decode_error() {
    for (pointer, bad) in [
        ("/number", Value::from("14e8d38")),
        ("/number", Value::from("0x")),
        ("/gasLimit", Value::from("0x1ffffffffffffffff")),
        ("/stateRoot", Value::from("0x7b3d")),
        ("/logsBloom", Value::from(7)),
        ("/extraData", Value::from("0x123")),
        ("/miner", Value::Null),
    ] {
        let mut block = cancun_block();
        set(&mut block, pointer, bad);
        let err = verify_block(&block, Some(CANCUN_HASH)).unwrap_err();
        assert!(
            matches!(err, ExecutionError::InvalidJson { .. }),
            "{pointer}: {err}"
        );
        assert_eq!(err.code(), "DECODE_ERROR");
    }
}

#[test]
fn changed_withdrawal_is_rejected() {
    let mut block = cancun_block();
    set(&mut block, "/withdrawals/3/amount", Value::from("0x1"));
    let err = verify_block(&block, Some(CANCUN_HASH)).unwrap_err();
    assert!(
        matches!(err, ExecutionError::WithdrawalsRootMismatch { .. }),
        "{err}"
    );
    assert_eq!(err.code(), "WITHDRAWALS_ROOT_MISMATCH");
    let mut block = cancun_block();
    block["withdrawals"].as_array_mut().unwrap().pop();
    assert_eq!(
        code_of(verify_block(&block, Some(CANCUN_HASH))),
        "WITHDRAWALS_ROOT_MISMATCH"
    );
}

#[test]
fn prague_header_rlp_hash_recomputed() {
    let (header_rlp, _, _) = prague_parts();
    let block = verify_header_rlp(&header_rlp, Some(PRAGUE_HASH)).expect("real header");
    assert_eq!(block.header.number, 22_431_084);
    assert_eq!(block.header.timestamp, 1_746_612_311);
    // requestsHash of a block without requests: sha256 of the empty string.
    assert_eq!(
        block.header.requests_hash,
        Some(b256!(
            "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        ))
    );
    assert_eq!(
        block.header.encode_rlp(),
        header_rlp,
        "canonical re-encoding"
    );
}

#[test]
fn prague_header_as_json_verifies() {
    // The same real header rendered the way eth_getBlockByHash prints it.
    let (header_rlp, _, _) = prague_parts();
    let h = ExecutionHeader::decode_rlp(&header_rlp).unwrap();
    let q = |v: u64| Value::from(format!("{v:#x}"));
    let json = serde_json::json!({
        "hash": format!("{PRAGUE_HASH:#x}"),
        "parentHash": format!("{:#x}", h.parent_hash),
        "sha3Uncles": format!("{:#x}", h.ommers_hash),
        "miner": format!("{:#x}", h.beneficiary),
        "stateRoot": format!("{:#x}", h.state_root),
        "transactionsRoot": format!("{:#x}", h.transactions_root),
        "receiptsRoot": format!("{:#x}", h.receipts_root),
        "logsBloom": format!("{:#x}", h.logs_bloom),
        "difficulty": format!("{:#x}", h.difficulty),
        "number": q(h.number),
        "gasLimit": q(h.gas_limit),
        "gasUsed": q(h.gas_used),
        "timestamp": q(h.timestamp),
        "extraData": format!("{:#x}", h.extra_data),
        "mixHash": format!("{:#x}", h.mix_hash),
        "nonce": format!("{:#x}", h.nonce),
        "baseFeePerGas": q(h.base_fee_per_gas.unwrap()),
        "withdrawalsRoot": format!("{:#x}", h.withdrawals_root.unwrap()),
        "blobGasUsed": q(h.blob_gas_used.unwrap()),
        "excessBlobGas": q(h.excess_blob_gas.unwrap()),
        "parentBeaconBlockRoot": format!("{:#x}", h.parent_beacon_block_root.unwrap()),
        "requestsHash": format!("{:#x}", h.requests_hash.unwrap()),
        "transactions": [],
    });
    // `transactions: []` claims an empty block, which the root refutes.
    assert_eq!(
        code_of(verify_block(&json, Some(PRAGUE_HASH))),
        "TRANSACTIONS_ROOT_MISMATCH"
    );
    let mut json = json;
    json.as_object_mut().unwrap().remove("transactions");
    let block = verify_block(&json, Some(PRAGUE_HASH)).expect("Prague JSON header");
    assert_eq!(block.header, h);
    json.as_object_mut().unwrap().remove("requestsHash");
    assert_eq!(
        code_of(verify_block(&json, Some(PRAGUE_HASH))),
        "HEADER_HASH_MISMATCH"
    );
}

#[test]
fn header_rlp_truncated_or_changed_is_rejected() {
    let (header_rlp, _, _) = prague_parts();
    for cut in [0, 1, 3, 100, header_rlp.len() - 1] {
        let err = verify_header_rlp(&header_rlp[..cut], None).unwrap_err();
        assert_eq!(err.code(), "DECODE_ERROR", "cut at {cut}");
    }
    let mut extended = header_rlp.clone();
    extended.push(0x80);
    assert_eq!(code_of(verify_header_rlp(&extended, None)), "DECODE_ERROR");
    // Flip one byte of the gas limit region; still decodes, wrong hash.
    let mut changed = header_rlp.clone();
    let last = changed.len() - 1;
    changed[last] ^= 0x01;
    assert_eq!(
        code_of(verify_header_rlp(&changed, Some(PRAGUE_HASH))),
        "HEADER_HASH_MISMATCH"
    );
}

// ----------------------------------------------------------- transactions

/// Splits a block body `[transactions, ommers, withdrawals]` into raw
/// transaction envelopes: typed ones are RLP strings, legacy ones lists.
fn body_transactions(body: &[u8]) -> Vec<Bytes> {
    use alloy_rlp::Header;
    let mut buf = body;
    let outer = Header::decode(&mut buf).unwrap();
    assert!(outer.list);
    let txs_header = Header::decode(&mut buf).unwrap();
    assert!(txs_header.list);
    let mut txs = &buf[..txs_header.payload_length];
    let mut out = Vec::new();
    while !txs.is_empty() {
        let start = txs;
        let h = Header::decode(&mut txs).unwrap();
        let header_len = start.len() - txs.len();
        if h.list {
            out.push(Bytes::copy_from_slice(
                &start[..header_len + h.payload_length],
            ));
        } else {
            out.push(Bytes::copy_from_slice(&txs[..h.payload_length]));
        }
        txs = &txs[h.payload_length..];
    }
    out
}

#[test]
fn prague_raw_transactions_match_transactions_root() {
    let (header_rlp, body, _) = prague_parts();
    let block = verify_header_rlp(&header_rlp, Some(PRAGUE_HASH)).unwrap();
    let txs = body_transactions(&body);
    assert_eq!(txs.len(), 95);
    let hashes = verify_raw_transactions(&block, &txs).expect("real body");
    assert_eq!(hashes.len(), 95);

    let mut changed = txs.clone();
    let mut tx = changed[40].to_vec();
    let mid = tx.len() / 2;
    tx[mid] ^= 0x01;
    changed[40] = tx.into();
    let err = verify_raw_transactions(&block, &changed).unwrap_err();
    assert_eq!(err.code(), "TRANSACTIONS_ROOT_MISMATCH");
    let mut dropped = txs.clone();
    dropped.pop();
    assert_eq!(
        code_of(verify_raw_transactions(&block, &dropped)),
        "TRANSACTIONS_ROOT_MISMATCH"
    );
    let mut swapped = txs;
    swapped.swap(0, 1);
    assert_eq!(
        code_of(verify_raw_transactions(&block, &swapped)),
        "TRANSACTIONS_ROOT_MISMATCH"
    );
}

// --------------------------------------------------------------- receipts

const WETH: Address = address!("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2");
const TRANSFER_TOPIC: B256 =
    b256!("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");

#[test]
fn cancun_202_receipts_rebuild_the_root() {
    let receipts = cancun_receipts();
    let verified = verify_receipts(CANCUN_RECEIPTS_ROOT, &receipts).expect("real receipts");
    assert_eq!(verified.receipts.len(), 202);
    let stated_logs: usize = receipts
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["logs"].as_array().unwrap().len())
        .sum();
    assert_eq!(verified.logs.len(), stated_logs);
    for (i, log) in verified.logs.iter().enumerate() {
        assert_eq!(log.log_index, i as u64);
        assert!(log.transaction_hash.is_none(), "not bound to a block");
    }
    let first = &verified.logs[0];
    assert_eq!(first.address, WETH);
    assert_eq!(first.transaction_index, 0);
    assert_eq!(verified.receipts[0].tx_type, 2);
    assert!(verified.receipts.iter().any(|r| r.tx_type == 0));
    assert!(
        verified.receipts.iter().any(|r| !r.success),
        "a failed tx is in the block"
    );
}

#[test]
fn cancun_receipts_bound_to_the_verified_block() {
    let block = verify_block(&cancun_block(), Some(CANCUN_HASH)).unwrap();
    let verified = verify_block_receipts(&block, &cancun_receipts()).expect("real receipts");
    assert_eq!(verified.receipts_root, CANCUN_RECEIPTS_ROOT);

    // The header's logsBloom is the OR of the receipts' blooms.
    let mut block_other_bloom = block.clone().into_inner();
    block_other_bloom.header.logs_bloom.0[0] ^= 0x80;
    let lying_block = verify_block(&header_json(&block_other_bloom.header), None).unwrap();
    let mut no_block_hash = cancun_receipts();
    for r in no_block_hash.as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("blockHash");
        for l in r["logs"].as_array_mut().unwrap() {
            l.as_object_mut().unwrap().remove("blockHash");
        }
    }
    assert_eq!(
        code_of(verify_block_receipts(&lying_block, &no_block_hash)),
        "BLOOM_MISMATCH"
    );

    let mut receipts = cancun_receipts();
    set(
        &mut receipts,
        "/7/blockHash",
        Value::from(format!("{:#x}", B256::repeat_byte(9))),
    );
    let err = verify_block_receipts(&block, &receipts).unwrap_err();
    assert!(
        matches!(
            err,
            ExecutionError::ReceiptMetadataMismatch { index: 7, .. }
        ),
        "{err}"
    );
    // A log (not the receipt) naming another block is caught as well.
    let mut receipts = no_block_hash.clone();
    receipts[0]["logs"][0]["blockHash"] = Value::from(format!("{:#x}", B256::repeat_byte(9)));
    assert_eq!(
        code_of(verify_block_receipts(&block, &receipts)),
        "RECEIPT_METADATA_MISMATCH"
    );
    let mut receipts = cancun_receipts();
    set(&mut receipts, "/7/blockNumber", Value::from("0x1"));
    assert_eq!(
        code_of(verify_block_receipts(&block, &receipts)),
        "RECEIPT_METADATA_MISMATCH"
    );
}

/// Renders a header as eth_getBlockByHash JSON without `hash` (so the
/// computed hash is accepted as is).
fn header_json(h: &ExecutionHeader) -> Value {
    let q = |v: u64| Value::from(format!("{v:#x}"));
    let mut json = serde_json::json!({
        "parentHash": format!("{:#x}", h.parent_hash),
        "sha3Uncles": format!("{:#x}", h.ommers_hash),
        "miner": format!("{:#x}", h.beneficiary),
        "stateRoot": format!("{:#x}", h.state_root),
        "transactionsRoot": format!("{:#x}", h.transactions_root),
        "receiptsRoot": format!("{:#x}", h.receipts_root),
        "logsBloom": format!("{:#x}", h.logs_bloom),
        "difficulty": format!("{:#x}", h.difficulty),
        "number": q(h.number),
        "gasLimit": q(h.gas_limit),
        "gasUsed": q(h.gas_used),
        "timestamp": q(h.timestamp),
        "extraData": format!("{:#x}", h.extra_data),
        "mixHash": format!("{:#x}", h.mix_hash),
        "nonce": format!("{:#x}", h.nonce),
    });
    let obj = json.as_object_mut().unwrap();
    if let Some(v) = h.base_fee_per_gas {
        obj.insert("baseFeePerGas".into(), q(v));
    }
    if let Some(v) = h.withdrawals_root {
        obj.insert("withdrawalsRoot".into(), format!("{v:#x}").into());
    }
    if let Some(v) = h.blob_gas_used {
        obj.insert("blobGasUsed".into(), q(v));
    }
    if let Some(v) = h.excess_blob_gas {
        obj.insert("excessBlobGas".into(), q(v));
    }
    if let Some(v) = h.parent_beacon_block_root {
        obj.insert("parentBeaconBlockRoot".into(), format!("{v:#x}").into());
    }
    if let Some(v) = h.requests_hash {
        obj.insert("requestsHash".into(), format!("{v:#x}").into());
    }
    json
}

#[test]
fn log_filter_by_address_and_topics() {
    let verified = verify_receipts(CANCUN_RECEIPTS_ROOT, &cancun_receipts()).unwrap();
    let weth_transfers = LogFilter {
        addresses: vec![WETH],
        topics: vec![Some(vec![TRANSFER_TOPIC])],
    };
    let hits: Vec<_> = verified.filter_logs(&weth_transfers).collect();
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|l| l.address == WETH && l.topics[0] == TRANSFER_TOPIC)
    );
    let expected = verified
        .logs
        .iter()
        .filter(|l| l.address == WETH && l.topics.first() == Some(&TRANSFER_TOPIC))
        .count();
    assert_eq!(hits.len(), expected);

    // Wildcard first topic, constrained second topic.
    let to_second: B256 = hits[0].topics[1];
    let by_sender = LogFilter {
        addresses: vec![],
        topics: vec![None, Some(vec![to_second])],
    };
    assert!(
        verified
            .filter_logs(&by_sender)
            .all(|l| l.topics.get(1) == Some(&to_second))
    );
    assert!(verified.filter_logs(&by_sender).count() >= 1);

    // A constraint on a position beyond a log's topics never matches it.
    let five_topics = LogFilter {
        addresses: vec![],
        topics: vec![None, None, None, None, Some(vec![TRANSFER_TOPIC])],
    };
    assert_eq!(verified.filter_logs(&five_topics).count(), 0);
    let empty_set_is_wildcard = LogFilter {
        addresses: vec![WETH],
        topics: vec![Some(vec![])],
    };
    assert_eq!(
        verified.filter_logs(&empty_set_is_wildcard).count(),
        verified.logs.iter().filter(|l| l.address == WETH).count()
    );
    assert_eq!(
        verified.filter_logs(&LogFilter::default()).count(),
        verified.logs.len()
    );

    let only = preconf_light::execution::matching_logs(verified, &weth_transfers);
    assert_eq!(only.len(), expected);
}

#[test]
fn changed_receipt_fields_are_rejected() {
    // (pointer, new value, expected error code)
    let cases: &[(&str, Value, &str)] = &[
        (
            "/10/cumulativeGasUsed",
            Value::from("0x1"),
            "RECEIPTS_ROOT_MISMATCH",
        ),
        ("/10/status", Value::from("0x0"), "RECEIPTS_ROOT_MISMATCH"),
        ("/10/type", Value::from("0x1"), "RECEIPTS_ROOT_MISMATCH"),
        (
            "/0/logs/1/data",
            Value::from("0x01"),
            "RECEIPTS_ROOT_MISMATCH",
        ),
        // A changed address or topic no longer matches the stated bloom.
        (
            "/0/logs/1/address",
            Value::from("0x0000000000000000000000000000000000000001"),
            "BLOOM_MISMATCH",
        ),
        (
            "/0/logs/1/topics/0",
            Value::from(format!("{:#x}", B256::repeat_byte(7))),
            "BLOOM_MISMATCH",
        ),
        (
            "/0/logsBloom",
            Value::from(format!("0x{}", "00".repeat(256))),
            "BLOOM_MISMATCH",
        ),
        (
            "/0/logs/1/logIndex",
            Value::from("0x5"),
            "RECEIPT_METADATA_MISMATCH",
        ),
        (
            "/3/transactionIndex",
            Value::from("0x4"),
            "RECEIPT_METADATA_MISMATCH",
        ),
        (
            "/0/logs/1/removed",
            Value::from(true),
            "RECEIPT_METADATA_MISMATCH",
        ),
        ("/0/type", Value::from("0x7e"), "UNSUPPORTED_TX_TYPE"),
        ("/0/status", Value::from("0x2"), "DECODE_ERROR"),
        (
            "/0/cumulativeGasUsed",
            Value::from("0x10000000000000000"),
            "DECODE_ERROR",
        ),
    ];
    for (pointer, new, code) in cases {
        let mut receipts = cancun_receipts();
        set(&mut receipts, pointer, new.clone());
        let got = code_of(verify_receipts(CANCUN_RECEIPTS_ROOT, &receipts));
        assert_eq!(got, *code, "{pointer} -> {new}");
    }
}

#[test]
fn changed_log_with_consistent_bloom_is_rejected_by_the_root() {
    // A liar who also fixes the bloom is still caught by the receipts root.
    let mut receipts = cancun_receipts();
    set(
        &mut receipts,
        "/0/logs/1/topics/2",
        Value::from(format!("{:#x}", B256::repeat_byte(7))),
    );
    let r = &receipts[0];
    let logs = r["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| preconf_light::execution::Log {
            address: l["address"].as_str().unwrap().parse().unwrap(),
            topics: l["topics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().parse().unwrap())
                .collect(),
            data: l["data"].as_str().unwrap().parse().unwrap(),
        })
        .collect();
    let bloom = Receipt {
        tx_type: 2,
        success: true,
        cumulative_gas_used: 0,
        logs,
    }
    .bloom();
    set(
        &mut receipts,
        "/0/logsBloom",
        Value::from(format!("{bloom:#x}")),
    );
    let err = verify_receipts(CANCUN_RECEIPTS_ROOT, &receipts).unwrap_err();
    assert!(
        matches!(err, ExecutionError::ReceiptsRootMismatch { .. }),
        "{err}"
    );
}

#[test]
fn wrong_root_missing_or_reordered_receipts_are_rejected() {
    let mut wrong = CANCUN_RECEIPTS_ROOT;
    wrong.0[0] ^= 1;
    assert_eq!(
        code_of(verify_receipts(wrong, &cancun_receipts())),
        "RECEIPTS_ROOT_MISMATCH"
    );
    let mut fewer = cancun_receipts();
    fewer.as_array_mut().unwrap().pop();
    assert_eq!(
        code_of(verify_receipts(CANCUN_RECEIPTS_ROOT, &fewer)),
        "RECEIPTS_ROOT_MISMATCH"
    );
    // Reordered without fixing the indices: the metadata lies.
    let mut swapped = cancun_receipts();
    swapped.as_array_mut().unwrap().swap(5, 6);
    assert_eq!(
        code_of(verify_receipts(CANCUN_RECEIPTS_ROOT, &swapped)),
        "RECEIPT_METADATA_MISMATCH"
    );
    // Reordered with all metadata stripped: the root catches it.
    let mut bare = cancun_receipts();
    for r in bare.as_array_mut().unwrap() {
        let obj = r.as_object_mut().unwrap();
        obj.remove("transactionIndex");
        for l in obj["logs"].as_array_mut().unwrap() {
            l.as_object_mut().unwrap().remove("logIndex");
            l.as_object_mut().unwrap().remove("transactionIndex");
        }
    }
    assert_eq!(code_of(verify_receipts(CANCUN_RECEIPTS_ROOT, &bare)), "OK");
    bare.as_array_mut().unwrap().swap(5, 6);
    assert_eq!(
        code_of(verify_receipts(CANCUN_RECEIPTS_ROOT, &bare)),
        "RECEIPTS_ROOT_MISMATCH"
    );
    assert_eq!(
        code_of(verify_receipts(CANCUN_RECEIPTS_ROOT, &Value::from("nope"))),
        "DECODE_ERROR"
    );
}

/// Decodes the Portal "receipts without bloom" list
/// `[[type, status, cumulativeGasUsed, [[address, [topics], data]]]]`.
fn portal_receipts(rlp: &[u8]) -> Vec<Receipt> {
    use alloy_rlp::{Decodable, Header};
    let mut buf = rlp;
    let outer = Header::decode(&mut buf).unwrap();
    assert!(outer.list);
    let mut out = Vec::new();
    while !buf.is_empty() {
        let h = Header::decode(&mut buf).unwrap();
        assert!(h.list);
        let tx_type = u8::decode(&mut buf).unwrap();
        let success = bool::decode(&mut buf).unwrap();
        let cumulative_gas_used = u64::decode(&mut buf).unwrap();
        let logs_header = Header::decode(&mut buf).unwrap();
        let (mut logs_buf, rest) = buf.split_at(logs_header.payload_length);
        let mut logs = Vec::new();
        while !logs_buf.is_empty() {
            Header::decode(&mut logs_buf).unwrap();
            logs.push(preconf_light::execution::Log {
                address: Address::decode(&mut logs_buf).unwrap(),
                topics: Vec::<B256>::decode(&mut logs_buf).unwrap(),
                data: Bytes::decode(&mut logs_buf).unwrap(),
            });
        }
        buf = rest;
        out.push(Receipt {
            tx_type,
            success,
            cumulative_gas_used,
            logs,
        });
    }
    out
}

/// Renders receipts in eth_getBlockReceipts form (what a node would return).
fn receipts_json(receipts: &[Receipt]) -> Value {
    Value::Array(
        receipts
            .iter()
            .map(|r| {
                serde_json::json!({
                    "type": format!("{:#x}", r.tx_type),
                    "status": if r.success { "0x1" } else { "0x0" },
                    "cumulativeGasUsed": format!("{:#x}", r.cumulative_gas_used),
                    "logsBloom": format!("{:#x}", r.bloom()),
                    "logs": r.logs.iter().map(|l| serde_json::json!({
                        "address": format!("{:#x}", l.address),
                        "topics": l.topics.iter().map(|t| format!("{t:#x}")).collect::<Vec<_>>(),
                        "data": format!("{:#x}", l.data),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

#[test]
fn prague_receipts_of_every_type_rebuild_the_root() {
    let (header_rlp, _, receipts_rlp) = prague_parts();
    let block = verify_header_rlp(&header_rlp, Some(PRAGUE_HASH)).unwrap();
    let receipts = portal_receipts(&receipts_rlp);
    assert_eq!(receipts.len(), 95);
    let types: std::collections::BTreeSet<u8> = receipts.iter().map(|r| r.tx_type).collect();
    eprintln!("Prague receipt types: {types:?}");
    assert_eq!(
        preconf_light::execution::receipts_root(&receipts),
        block.header.receipts_root
    );
    let json = receipts_json(&receipts);
    let verified = verify_block_receipts(&block, &json).expect("Prague receipts as JSON");
    assert_eq!(verified.receipts, receipts);
    // Flip one receipt's type: the envelope changes, so does the root.
    let mut changed = json.clone();
    let t = receipts[20].tx_type;
    set(
        &mut changed,
        "/20/type",
        Value::from(format!("{:#x}", if t == 2 { 1 } else { 2 })),
    );
    assert_eq!(
        code_of(verify_block_receipts(&block, &changed)),
        "RECEIPTS_ROOT_MISMATCH"
    );
}

// ----------------------------------------------------------------- proofs

const DEPOSIT_SLOT_1: B256 =
    b256!("0x0000000000000000000000000000000000000000000000000000000000000001");

#[test]
fn deposit_contract_account_and_storage_proof() {
    let state = verify_account_proof(CANCUN_STATE_ROOT, &deposit_proof()).expect("real proof");
    assert!(state.exists);
    assert_eq!(state.address, DEPOSIT_CONTRACT);
    assert_eq!(state.nonce, 1);
    assert_eq!(
        state.balance,
        U256::from_str_radix("2fb161afe600a5b2605040", 16).unwrap()
    );
    assert_eq!(
        state.code_hash,
        b256!("0x6c029a231254fadb724d63be769f75eedd66362df034a3e663252b49d062a666")
    );
    assert_eq!(state.storage.len(), 1);
    assert_eq!(state.storage[0].key, DEPOSIT_SLOT_1);
    assert_eq!(
        state.storage[0].value,
        U256::from_be_bytes(
            b256!("0x2394e3bc4086a9625ae88307145a40ff4a4bf2c9a6755435bff86b22d6175d5f").0
        )
    );
    let same = verify_account_proof_for(
        CANCUN_STATE_ROOT,
        DEPOSIT_CONTRACT,
        &[DEPOSIT_SLOT_1],
        &deposit_proof(),
    );
    assert_eq!(code_of(same), "OK");
}

#[test]
fn miner_account_proof_without_storage() {
    let state = verify_account_proof(CANCUN_STATE_ROOT, &miner_proof()).expect("real proof");
    assert!(state.exists);
    assert_eq!(state.nonce, 0x13e79e);
    assert!(state.storage.is_empty());
    assert_eq!(state.code_hash, alloy_primitives::KECCAK256_EMPTY);
    assert_eq!(code_of(verify_code(&state, &[])), "OK");
    let err = verify_code(&state, &[0x00]).unwrap_err();
    assert_eq!(err.code(), "CODE_HASH_MISMATCH");
}

#[test]
fn deneb_proof_against_finalized_execution_state_root() {
    // The state root comes from the finality update's finalized execution
    // header (the beacon module verifies that header; here it is read as data).
    let finality = load(DENEB_DIR, "FinalityUpdateDeneb.json");
    let root_hex = finality["data"]["finalized_header"]["execution"]["state_root"]
        .as_str()
        .unwrap();
    let state_root: B256 = root_hex.parse().unwrap();
    assert_eq!(
        state_root,
        b256!("0xc51ad191ded785644e792e03583a54dcd4329d605560734c93f6cd9b5eaa9315")
    );
    let response = load(DENEB_DIR, "EthGetProof.json");
    let state = verify_account_proof(state_root, &response).expect("real Deneb proof");
    assert_eq!(
        state.address,
        address!("0x5c69bee701ef814a2b6a3edd4b1652cb9cc5aa6f")
    );
    assert_eq!(state.nonce, 0x54835);
    assert_eq!(state.balance, U256::ZERO);
    // The slot is absent (the proof ends in a leaf for another key): value zero.
    assert_eq!(state.storage.len(), 1);
    assert_eq!(state.storage[0].value, U256::ZERO);

    // Stating a non-zero value for the absent slot is a lie.
    let mut lying = response.clone();
    set(
        &mut lying,
        "/result/storageProof/0/value",
        Value::from("0x1"),
    );
    let err = verify_account_proof(state_root, &lying).unwrap_err();
    assert!(
        matches!(err, ExecutionError::ProofValueMismatch { ref field } if field == "storageProof[0].value"),
        "{err}"
    );
    // A wrong state root (the Cancun one) is an invalid proof.
    assert_eq!(
        code_of(verify_account_proof(CANCUN_STATE_ROOT, &response)),
        "INVALID_PROOF"
    );
}

#[test]
fn stated_fields_disagreeing_with_the_proof_are_lies() {
    let cases: &[(&str, Value, &str)] = &[
        (
            "/balance",
            Value::from("0x2fb161afe600a5b2605041"),
            "balance",
        ),
        ("/balance", Value::from("0x0"), "balance"),
        ("/nonce", Value::from("0x2"), "nonce"),
        (
            "/codeHash",
            Value::from(format!("{:#x}", alloy_primitives::KECCAK256_EMPTY)),
            "codeHash",
        ),
        (
            "/storageHash",
            Value::from(format!("{:#x}", B256::ZERO)),
            "storageHash",
        ),
        (
            "/storageProof/0/value",
            Value::from("0x2394e3bc4086a9625ae88307145a40ff4a4bf2c9a6755435bff86b22d6175d5e"),
            "storageProof[0].value",
        ),
        (
            "/storageProof/0/value",
            Value::from("0x0"),
            "storageProof[0].value",
        ),
    ];
    for (pointer, new, field_name) in cases {
        let mut response = deposit_proof();
        set(&mut response, pointer, new.clone());
        let err = verify_account_proof(CANCUN_STATE_ROOT, &response).unwrap_err();
        assert_eq!(err.code(), "PROOF_VALUE_MISMATCH", "{pointer}");
        assert!(
            matches!(&err, ExecutionError::ProofValueMismatch { field } if field == field_name),
            "{pointer}: {err}"
        );
    }
}

#[test]
fn changed_or_cut_proof_nodes_are_invalid() {
    let n_account = deposit_proof()["accountProof"].as_array().unwrap().len();
    for i in 0..n_account {
        let mut response = deposit_proof();
        let node = response["accountProof"][i].as_str().unwrap().to_owned();
        // Flip one hex digit in the middle of the node.
        let mid = node.len() / 2;
        let flipped = if &node[mid..=mid] == "0" { "1" } else { "0" };
        let changed = format!("{}{}{}", &node[..mid], flipped, &node[mid + 1..]);
        response["accountProof"][i] = Value::from(changed);
        let err = verify_account_proof(CANCUN_STATE_ROOT, &response).unwrap_err();
        assert!(
            matches!(err, ExecutionError::InvalidProof { .. }),
            "node {i}: {err}"
        );
    }
    // Truncated: the last node dropped.
    let mut response = deposit_proof();
    response["accountProof"].as_array_mut().unwrap().pop();
    assert_eq!(
        code_of(verify_account_proof(CANCUN_STATE_ROOT, &response)),
        "INVALID_PROOF"
    );
    // A node cut short (truncated RLP) no longer hashes to its reference.
    let mut response = deposit_proof();
    let node = response["storageProof"][0]["proof"][2]
        .as_str()
        .unwrap()
        .to_owned();
    response["storageProof"][0]["proof"][2] = Value::from(node[..node.len() - 2].to_owned());
    assert_eq!(
        code_of(verify_account_proof(CANCUN_STATE_ROOT, &response)),
        "INVALID_PROOF"
    );
    // Extra node after the leaf.
    let mut response = deposit_proof();
    let first = response["accountProof"][0].clone();
    response["accountProof"].as_array_mut().unwrap().push(first);
    assert_eq!(
        code_of(verify_account_proof(CANCUN_STATE_ROOT, &response)),
        "INVALID_PROOF"
    );
    // Empty proof against a non-empty root.
    let mut response = deposit_proof();
    response["accountProof"] = Value::Array(vec![]);
    assert_eq!(
        code_of(verify_account_proof(CANCUN_STATE_ROOT, &response)),
        "INVALID_PROOF"
    );
    // Not hex.
    let mut response = deposit_proof();
    response["accountProof"][0] = Value::from("0xzz");
    assert_eq!(
        code_of(verify_account_proof(CANCUN_STATE_ROOT, &response)),
        "DECODE_ERROR"
    );
}

#[test]
fn proof_for_a_different_key_is_rejected() {
    // The deposit contract's proof presented as the miner's account.
    let mut response = deposit_proof();
    set(
        &mut response,
        "/address",
        Value::from("0x4838b106fce9647bdf1e7877bf73ce8b0bad5f97"),
    );
    let err = verify_account_proof(CANCUN_STATE_ROOT, &response).unwrap_err();
    assert!(matches!(err, ExecutionError::InvalidProof { .. }), "{err}");
    // The slot-1 storage proof presented for slot 2.
    let mut response = deposit_proof();
    set(&mut response, "/storageProof/0/key", Value::from("0x2"));
    let err = verify_account_proof(CANCUN_STATE_ROOT, &response).unwrap_err();
    assert!(matches!(err, ExecutionError::InvalidProof { .. }), "{err}");
    // A correct proof, but not for what was asked.
    assert_eq!(
        code_of(verify_account_proof_for(
            CANCUN_STATE_ROOT,
            address!("0x4838b106fce9647bdf1e7877bf73ce8b0bad5f97"),
            &[DEPOSIT_SLOT_1],
            &deposit_proof(),
        )),
        "PROOF_SUBJECT_MISMATCH"
    );
    assert_eq!(
        code_of(verify_account_proof_for(
            CANCUN_STATE_ROOT,
            DEPOSIT_CONTRACT,
            &[B256::with_last_byte(2)],
            &deposit_proof(),
        )),
        "PROOF_SUBJECT_MISMATCH"
    );
    assert_eq!(
        code_of(verify_account_proof_for(
            CANCUN_STATE_ROOT,
            DEPOSIT_CONTRACT,
            &[],
            &deposit_proof(),
        )),
        "PROOF_SUBJECT_MISMATCH"
    );
}

/// An address whose `keccak256` shares the deposit contract's first six
/// nibbles (`6fae96`) and whose seventh nibble (`5`) is an empty slot of the
/// seventh node of the real account proof; found once by brute force.
const ABSENT_ADDRESS: &str = "0xdead00000000000000000000000000000216e6b3";
/// Slot 0x62: `keccak256` begins `b9`; the real storage proof's second node
/// (a branch under nibble `b`) has no child at nibble `9`.
const ABSENT_SLOT: &str = "0x62";

#[test]
fn proof_of_absence_for_account_and_storage() {
    let absent: Address = ABSENT_ADDRESS.parse().unwrap();
    assert!(keccak256(absent).to_string().starts_with("0x6fae965"));
    // The first seven nodes of the real proof prove the address is absent.
    let nodes: Vec<Value> = deposit_proof()["accountProof"].as_array().unwrap()[..7].to_vec();
    let mut response = serde_json::json!({
        "address": ABSENT_ADDRESS,
        "balance": "0x0",
        "nonce": "0x0",
        "codeHash": format!("{:#x}", alloy_primitives::KECCAK256_EMPTY),
        "storageHash": format!("{:#x}", alloy_trie::EMPTY_ROOT_HASH),
        "accountProof": nodes,
        "storageProof": [{"key": "0x1", "value": "0x0", "proof": []}],
    });
    let state = verify_account_proof(CANCUN_STATE_ROOT, &response).expect("absence proven");
    assert!(!state.exists);
    assert_eq!(state.storage[0].value, U256::ZERO);
    assert_eq!(code_of(verify_code(&state, &[])), "OK");
    assert_eq!(code_of(verify_code(&state, &[0x60])), "CODE_HASH_MISMATCH");

    // Geth prints a zero code hash for a missing account; that is accepted.
    set(
        &mut response,
        "/codeHash",
        Value::from(format!("{:#x}", B256::ZERO)),
    );
    assert_eq!(
        code_of(verify_account_proof(CANCUN_STATE_ROOT, &response)),
        "OK"
    );
    // Claiming a balance for the absent account is a lie.
    let mut lying = response.clone();
    set(&mut lying, "/balance", Value::from("0x1"));
    assert_eq!(
        code_of(verify_account_proof(CANCUN_STATE_ROOT, &lying)),
        "PROOF_VALUE_MISMATCH"
    );
    // Claiming a storage value under the empty storage root is a lie.
    let mut lying = response.clone();
    set(&mut lying, "/storageProof/0/value", Value::from("0x5"));
    assert_eq!(
        code_of(verify_account_proof(CANCUN_STATE_ROOT, &lying)),
        "PROOF_VALUE_MISMATCH"
    );
    // All eight nodes (the deposit contract's leaf follows) are too many.
    let mut too_long = response.clone();
    too_long["accountProof"] = deposit_proof()["accountProof"].clone();
    assert_eq!(
        code_of(verify_account_proof(CANCUN_STATE_ROOT, &too_long)),
        "INVALID_PROOF"
    );

    // Storage: slot 0x62 is absent from the deposit contract's storage.
    let mut response = deposit_proof();
    let nodes: Vec<Value> = response["storageProof"][0]["proof"].as_array().unwrap()[..2].to_vec();
    response["storageProof"][0] = serde_json::json!({
        "key": ABSENT_SLOT, "value": "0x0", "proof": nodes,
    });
    let state = verify_account_proof(CANCUN_STATE_ROOT, &response).expect("zero slot proven");
    assert_eq!(state.storage[0].value, U256::ZERO);
    assert_eq!(state.storage[0].key, B256::with_last_byte(0x62));
    set(&mut response, "/storageProof/0/value", Value::from("0x62"));
    assert_eq!(
        code_of(verify_account_proof(CANCUN_STATE_ROOT, &response)),
        "PROOF_VALUE_MISMATCH"
    );
}

#[test]
fn code_checked_against_the_code_hash() {
    let state = verify_account_proof(CANCUN_STATE_ROOT, &deposit_proof()).unwrap();
    let err = verify_code(&state, b"\x60\x80\x60\x40").unwrap_err();
    assert!(
        matches!(err, ExecutionError::CodeHashMismatch { expected, .. } if expected == state.code_hash)
    );
    let json_err = preconf_light::execution::verify_code_json(&state, &Value::from("0x6080"));
    assert_eq!(code_of(json_err), "CODE_HASH_MISMATCH");
}
