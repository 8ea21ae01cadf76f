//! The JSON-text fast path for receipts (`verify_receipts_text`,
//! `verify_block_receipts_text`) on the real Cancun block 21925176 (see
//! tests/fixtures/mainnet/PROVENANCE.md): it must agree with the
//! `serde_json::Value` path on real data, apply every rule the object path
//! applies, and turn malformed text into a decode error, never a panic.

use alloy_primitives::{B256, b256};
use preconf_light::ErrorCode;
use preconf_light::execution::{
    ExecutionError, verify_block, verify_block_receipts, verify_block_receipts_text,
    verify_receipts, verify_receipts_text,
};
use serde_json::{Value, json};

const CANCUN_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/mainnet/helios/el-cancun"
);
const CANCUN_HASH: B256 =
    b256!("0x92dabfa3f61ff1c349d12f5fd0dd4c99760a0a41b77dee8f0a80f83efdcb307a");
const CANCUN_RECEIPTS_ROOT: B256 =
    b256!("0xf883e1a2fb8df9d1d988dec80f13c8aca724590ac357e45e30e0d48b1fbd64ee");

fn text(name: &str) -> String {
    std::fs::read_to_string(format!("{CANCUN_DIR}/{name}")).expect("fixture readable")
}

fn receipts_value() -> Value {
    serde_json::from_str(&text("receipts_21925176.json")).expect("fixture is JSON")
}

fn code_of<T>(r: Result<T, ExecutionError>) -> &'static str {
    match r {
        Ok(_) => "OK",
        Err(e) => e.code(),
    }
}

#[test]
fn text_path_agrees_with_the_value_path() {
    let raw = text("receipts_21925176.json");
    let from_text = verify_receipts_text(CANCUN_RECEIPTS_ROOT, &raw).expect("real receipts");
    let from_value = verify_receipts(CANCUN_RECEIPTS_ROOT, &receipts_value()).expect("same");
    assert_eq!(from_text.receipts.len(), 202);
    assert_eq!(*from_text, *from_value);

    let block: Value = serde_json::from_str(&text("block_21925176.json")).unwrap();
    let block = verify_block(&block, Some(CANCUN_HASH)).unwrap();
    let bound_text = verify_block_receipts_text(&block, &raw).expect("bound");
    let bound_value = verify_block_receipts(&block, &receipts_value()).expect("bound");
    assert_eq!(*bound_text, *bound_value);
}

#[test]
fn full_jsonrpc_response_text_is_accepted_and_errors_are_refused() {
    let envelope = json!({ "jsonrpc": "2.0", "id": 1, "result": receipts_value() }).to_string();
    assert_eq!(
        code_of(verify_receipts_text(CANCUN_RECEIPTS_ROOT, &envelope)),
        "OK"
    );
    let cases = [
        r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"x"}}"#,
        r#"{"jsonrpc":"2.0","id":1}"#,
        r#"{"id":1,"result":[]}"#,
        r#"{"jsonrpc":"2.0","id":1,"result":null}"#,
        r#"{"jsonrpc":"2.0","id":1,"result":[],"result":[]}"#,
    ];
    for case in cases {
        assert_eq!(
            code_of(verify_receipts_text(CANCUN_RECEIPTS_ROOT, case)),
            "DECODE_ERROR",
            "{case}"
        );
    }
}

#[test]
fn malformed_text_is_a_decode_error() {
    let raw = text("receipts_21925176.json");
    let truncated = raw.get(..raw.len() / 2).unwrap().to_owned();
    let trailing = format!("{raw} x");
    let mut cases: Vec<String> = vec![
        String::new(),
        "nope".into(),
        "\"nope\"".into(),
        "42".into(),
        "null".into(),
        "[1]".into(),
        "[{}]".into(),
        "{".into(),
        "[\u{feff}]".into(),
        truncated,
        trailing,
    ];
    // Wrong types where nodes put hex strings, an unpaired surrogate escape,
    // a duplicated member, and a non-boolean `removed`.
    let mutations: [(&str, Value); 4] = [
        ("/0/cumulativeGasUsed", json!(21000)),
        ("/0/logs", json!("0x")),
        ("/0/logs/0/topics", json!({})),
        ("/0/logs/0/removed", json!("false")),
    ];
    for (pointer, new) in mutations {
        let mut v = receipts_value();
        *v.pointer_mut(pointer).unwrap() = new;
        cases.push(v.to_string());
    }
    cases.push(r#"[{"status":"0x1","status":"0x1"}]"#.into());
    cases.push(r#"[{"status":"\ud800"}]"#.into());
    for case in &cases {
        let got = code_of(verify_receipts_text(CANCUN_RECEIPTS_ROOT, case));
        assert_eq!(got, "DECODE_ERROR", "{}", case.get(..80).unwrap_or(case));
    }
}

#[test]
fn escaped_hex_strings_are_read_like_plain_ones() {
    // JSON allows `\u0030` for `0`; the owned-string fallback must read it.
    let raw = text("receipts_21925176.json");
    let escaped = raw.replacen("\"0x", "\"\\u0030x", 50);
    assert_ne!(escaped, raw);
    assert_eq!(
        code_of(verify_receipts_text(CANCUN_RECEIPTS_ROOT, &escaped)),
        "OK"
    );
}

#[test]
fn every_receipt_rule_bites_on_the_text_path() {
    // (pointer, new value, expected error code), as the object path's table.
    let cases: &[(&str, Value, &str)] = &[
        (
            "/10/cumulativeGasUsed",
            json!("0x1"),
            "RECEIPTS_ROOT_MISMATCH",
        ),
        ("/10/status", json!("0x0"), "RECEIPTS_ROOT_MISMATCH"),
        ("/10/type", json!("0x1"), "RECEIPTS_ROOT_MISMATCH"),
        ("/0/logs/1/data", json!("0x01"), "RECEIPTS_ROOT_MISMATCH"),
        (
            "/0/logs/1/address",
            json!("0x0000000000000000000000000000000000000001"),
            "BLOOM_MISMATCH",
        ),
        (
            "/0/logs/1/topics/0",
            json!(format!("{:#x}", B256::repeat_byte(7))),
            "BLOOM_MISMATCH",
        ),
        (
            "/0/logsBloom",
            json!(format!("0x{}", "00".repeat(256))),
            "BLOOM_MISMATCH",
        ),
        (
            "/0/logs/1/logIndex",
            json!("0x5"),
            "RECEIPT_METADATA_MISMATCH",
        ),
        (
            "/3/transactionIndex",
            json!("0x4"),
            "RECEIPT_METADATA_MISMATCH",
        ),
        (
            "/0/logs/1/removed",
            json!(true),
            "RECEIPT_METADATA_MISMATCH",
        ),
        (
            "/0/logs/1/transactionHash",
            json!(format!("{:#x}", B256::repeat_byte(9))),
            "RECEIPT_METADATA_MISMATCH",
        ),
        (
            "/0/logs/1/blockHash",
            json!(format!("{:#x}", B256::repeat_byte(9))),
            "RECEIPT_METADATA_MISMATCH",
        ),
        ("/0/type", json!("0x7e"), "UNSUPPORTED_TX_TYPE"),
        ("/0/status", json!("0x2"), "DECODE_ERROR"),
        ("/0/status", Value::Null, "DECODE_ERROR"),
        (
            "/0/cumulativeGasUsed",
            json!("0x10000000000000000"),
            "DECODE_ERROR",
        ),
        ("/0/logs/1/address", json!("0x00"), "DECODE_ERROR"),
        ("/0/logs/1/topics/0", json!("0xzz"), "DECODE_ERROR"),
        ("/0/logs/1/data", json!("0x0"), "DECODE_ERROR"),
        ("/0/logsBloom", json!("00"), "DECODE_ERROR"),
    ];
    for (pointer, new, code) in cases {
        let mut v = receipts_value();
        *v.pointer_mut(pointer).expect("pointer exists") = new.clone();
        let got = code_of(verify_receipts_text(CANCUN_RECEIPTS_ROOT, &v.to_string()));
        assert_eq!(got, *code, "{pointer} -> {new}");
        // The object path gives the same answer.
        assert_eq!(code_of(verify_receipts(CANCUN_RECEIPTS_ROOT, &v)), *code);
    }
    let mut wrong = CANCUN_RECEIPTS_ROOT;
    wrong.0[0] ^= 1;
    assert_eq!(
        code_of(verify_receipts_text(wrong, &text("receipts_21925176.json"))),
        "RECEIPTS_ROOT_MISMATCH"
    );
}

#[test]
fn block_metadata_rules_bite_on_the_text_path() {
    let block: Value = serde_json::from_str(&text("block_21925176.json")).unwrap();
    let block = verify_block(&block, Some(CANCUN_HASH)).unwrap();
    let cases: &[(&str, Value)] = &[
        (
            "/4/blockHash",
            json!(format!("{:#x}", B256::repeat_byte(1))),
        ),
        ("/4/blockNumber", json!("0x1")),
        (
            "/4/transactionHash",
            json!(format!("{:#x}", B256::repeat_byte(1))),
        ),
    ];
    for (pointer, new) in cases {
        let mut v = receipts_value();
        *v.pointer_mut(pointer).expect("pointer exists") = new.clone();
        let got = code_of(verify_block_receipts_text(&block, &v.to_string()));
        assert_eq!(got, "RECEIPT_METADATA_MISMATCH", "{pointer}");
    }
}
