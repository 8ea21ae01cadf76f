//! Execution payloads from the Beacon API: the block hash rebuilt from a
//! full payload (Capella beacon blocks) must equal the payload's `block_hash`. Real mainnet data; see
//! tests/fixtures/mainnet/PROVENANCE.md.

use alloy_primitives::{B256, b256};
use preconf_light::ErrorCode;
use preconf_light::execution::{ExecutionError, PayloadContext, verify_payload};
use serde_json::Value;

const MAINNET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mainnet");

fn load(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{MAINNET}/{path}")).unwrap()).unwrap()
}

fn capella_payload(slot: u64) -> Value {
    let block = load(&format!("helios/capella-lc/beacon_block_{slot}.json"));
    block["data"]["message"]["body"]["execution_payload"].clone()
}

fn code_of<T>(r: Result<T, ExecutionError>) -> &'static str {
    r.map_or_else(|e| e.code(), |_| "OK")
}

#[test]
fn capella_full_payloads_hash_to_their_block_hash() {
    let block = verify_payload(&capella_payload(7109344), PayloadContext::default())
        .expect("real Capella payload");
    assert_eq!(block.header.number, 17_923_026);
    assert_eq!(
        block.hash,
        b256!("0xbc8499537876e5406c7a65e25f99063f1cd85a17014a3aa5ade38271b1fbf64f")
    );
    assert_eq!(block.transaction_hashes.as_ref().map(Vec::len), Some(167));
    assert!(block.withdrawals_checked);

    let attested = verify_payload(&capella_payload(7109430), PayloadContext::default())
        .expect("real Capella payload");
    assert_eq!(attested.header.number, 17_923_112);
}

#[test]
fn changed_payload_contents_break_the_block_hash() {
    let cases: &[(&str, Value)] = &[
        ("/gas_used", Value::from("14262674")),
        ("/transactions/3", Value::from("0x00")),
        ("/withdrawals/0/amount", Value::from("1")),
        ("/extra_data", Value::from("0x")),
    ];
    for (pointer, new) in cases {
        let mut payload = capella_payload(7109344);
        *payload.pointer_mut(pointer).unwrap() = new.clone();
        let err = verify_payload(&payload, PayloadContext::default()).unwrap_err();
        assert!(
            matches!(err, ExecutionError::HeaderHashMismatch { .. }),
            "{pointer}: {err}"
        );
    }
    let mut dropped = capella_payload(7109344);
    dropped["transactions"].as_array_mut().unwrap().pop();
    assert_eq!(
        code_of(verify_payload(&dropped, PayloadContext::default())),
        "HEADER_HASH_MISMATCH"
    );
    // A Capella payload has no blob fields, so no parent beacon root may be given.
    let ctx = PayloadContext {
        parent_beacon_block_root: Some(B256::ZERO),
        requests_hash: None,
    };
    assert_eq!(
        code_of(verify_payload(&capella_payload(7109344), ctx)),
        "DECODE_ERROR"
    );
    let mut bad = capella_payload(7109344);
    bad["block_number"] = Value::from("0x1");
    assert_eq!(
        code_of(verify_payload(&bad, PayloadContext::default())),
        "DECODE_ERROR"
    );
}
