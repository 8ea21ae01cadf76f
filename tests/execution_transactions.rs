//! Rebuilding transaction envelopes from `eth_getBlockBy*(…, true)` objects.
//!
//! The objects below are real mainnet transactions exactly as nodes print
//! them; each envelope rebuilt from the JSON fields must hash to the node's
//! `hash`. Sources (data only):
//! * type 2: mainnet block 26050794, transaction index 1, from a16z/helios
//!   `tests/testdata/rpc/bpo2/block.json` (commit e996eedf, fetched by that
//!   project from a public node with `eth_getBlockByHash(hash, true)`).
//! * legacy (EIP-155, `v` = 0x25): transaction 0x88df0164…944b, the example
//!   object of the Ethereum JSON-RPC documentation (`eth_getTransactionByHash`),
//!   as quoted in a public test; only its transaction fields are kept.

use alloy_primitives::{B256, b256, keccak256};
use preconf_light::ErrorCode;
use preconf_light::execution::{ExecutionError, envelope_from_json};
use serde_json::{Value, json};

const TYPE2_HASH: B256 =
    b256!("0x86803577bcc2e7779d237b9d09268c7d062e33d75a3e9e3a8ba815faa78a6372");
const LEGACY_HASH: B256 =
    b256!("0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b");

fn type2() -> Value {
    json!({"type":"0x2","chainId":"0x1","nonce":"0x330","gas":"0x35b60","maxFeePerGas":"0x1f13eae6","maxPriorityFeePerGas":"0x0","to":"0xb4723899a492330fedaccf22ec12f53a06e3b659","value":"0x0","accessList":[],"input":"0x000000004e68ccd3e89f51c3074ca5072bbac773960dfa3600dac17f958d2ee523a2206206994597c13d831ec700000000000000000000000000000000000000000000000000000023905069850000000000000000000000000000000000000000000366058c0c2231a00000000000000000000000000000000000000000000000000365ebee9bb0388000000000000000018d80ea00000000000000000000000000000000000000000000000000211383ce57676a","r":"0xdcffebca9f3d71ffa13a9c3317910298edb0fa9a055e916715028a6a1d6e5c50","s":"0x7f55eed85b4db072f558e16da43a2a36796cf4b36ca67f24db319341cdad350e","yParity":"0x0","v":"0x0","hash":"0x86803577bcc2e7779d237b9d09268c7d062e33d75a3e9e3a8ba815faa78a6372","blockHash":"0x0c376582eb04b8dd46f1bf950715e0fd3e6a57a49e670df60fb36862968e69ce","blockNumber":"0x18d80ea","transactionIndex":"0x1","from":"0xf6860bb3956ace3a00fa4d43b5d7e8c4c94fd946","gasPrice":"0xff85cb6","blockTimestamp":"0x6ab5bbbf"})
}

fn legacy() -> Value {
    json!({"from":"0xa7d9ddbe1f17865597fbd27ec712455208b6b76d","gas":"0xc350","gasPrice":"0x4a817c800","hash":"0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b","input":"0x68656c6c6f21","nonce":"0x15","to":"0xf02c1c8e6114b1dbe8937a39260b5b0a374432bb","value":"0xf3dbb76162000","v":"0x25","r":"0x1b5e176d927f8e9ab405058b2d2457392da3e20f328b16ddabcebc33eaac5fea","s":"0x4ba69724e8f69de52f0125ad8b3c5c2cef33019bac3249e2c0a2192766d1721c"})
}

#[test]
fn real_transactions_rebuild_to_their_hash() {
    assert_eq!(keccak256(envelope_from_json(&type2()).unwrap()), TYPE2_HASH);
    let envelope = envelope_from_json(&legacy()).unwrap();
    assert_eq!(keccak256(&envelope), LEGACY_HASH);
    assert!(envelope[0] >= 0xc0, "legacy envelope is a bare RLP list");
}

#[test]
fn changed_transaction_fields_change_the_hash() {
    for (make, field, new) in [
        (type2 as fn() -> Value, "nonce", json!("0x331")),
        (type2, "maxFeePerGas", json!("0x1f13eae7")),
        (type2, "yParity", json!("0x1")),
        (type2, "input", json!("0x")),
        (
            type2,
            "accessList",
            json!([{"address": "0xb4723899a492330fedaccf22ec12f53a06e3b659", "storageKeys": []}]),
        ),
        (legacy, "v", json!("0x26")),
        (legacy, "to", Value::Null),
        (legacy, "s", json!("0x1")),
    ] {
        let mut tx = make();
        let before = keccak256(envelope_from_json(&tx).unwrap());
        tx[field] = new;
        let after = keccak256(envelope_from_json(&tx).unwrap());
        assert_ne!(before, after, "{field}");
    }
}

#[test]
fn malformed_or_unknown_transactions_are_rejected() {
    let mut tx = type2();
    tx["type"] = json!("0x7e");
    assert_eq!(
        envelope_from_json(&tx).unwrap_err().code(),
        "UNSUPPORTED_TX_TYPE"
    );
    let mut tx = type2();
    tx["type"] = json!("0x100000000");
    assert!(matches!(
        envelope_from_json(&tx),
        Err(ExecutionError::UnsupportedTxType(_))
    ));
    let mut tx = type2();
    tx["yParity"] = json!("0x2");
    assert_eq!(envelope_from_json(&tx).unwrap_err().code(), "DECODE_ERROR");
    let mut tx = type2();
    tx.as_object_mut().unwrap().remove("accessList");
    assert_eq!(envelope_from_json(&tx).unwrap_err().code(), "DECODE_ERROR");
    let mut tx = type2();
    tx["type"] = json!("0x3");
    // A blob transaction needs maxFeePerBlobGas and blobVersionedHashes.
    assert_eq!(envelope_from_json(&tx).unwrap_err().code(), "DECODE_ERROR");
    let mut tx = type2();
    tx["type"] = json!("0x4");
    tx["to"] = Value::Null;
    assert_eq!(envelope_from_json(&tx).unwrap_err().code(), "DECODE_ERROR");
}

const CANCUN_BLOCK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/mainnet/helios/el-cancun/block_21925176.json"
);

#[test]
fn full_transaction_objects_are_checked_in_a_block() {
    let text = std::fs::read_to_string(CANCUN_BLOCK).unwrap();
    let block: Value = serde_json::from_str(&text).unwrap();
    let verify = |b: &Value| preconf_light::execution::verify_block(b, None).map(|_| ());

    // Objects that are valid transactions but not this block's.
    let mut wrong_body = block.clone();
    wrong_body["transactions"] = json!([type2(), legacy()]);
    assert_eq!(
        verify(&wrong_body).unwrap_err().code(),
        "TRANSACTIONS_ROOT_MISMATCH"
    );

    // An object whose stated hash is not the hash of its fields.
    let mut lying = type2();
    lying["value"] = json!("0x1");
    let mut lying_body = block.clone();
    lying_body["transactions"] = json!([lying]);
    let err = verify(&lying_body).unwrap_err();
    assert!(
        matches!(err, ExecutionError::TransactionHashMismatch { index: 0, stated, .. } if stated == TYPE2_HASH)
    );

    let mut mixed = block;
    mixed["transactions"] = json!([type2(), format!("{TYPE2_HASH:#x}")]);
    assert_eq!(verify(&mixed).unwrap_err().code(), "DECODE_ERROR");
}
