//! Execution-layer verification for JS: blocks, receipts and logs, account
//! and storage proofs, code, and full beacon blocks against the light
//! client's verified headers (`BeaconLightClient.verifyBlock`).
//!
//! RPC objects are taken exactly as nodes return them (the bare `result` or
//! the whole JSON-RPC response). Outputs use 0x-hex strings for hashes and
//! quantities and JS numbers for indices and block numbers.

use alloy_primitives::{Address, B256, Bloom};
use js_sys::JSON;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

use super::beacon::BeaconLightClient;
use super::convert::{Payload, b256_arg, bytes_arg, json_value, payload, to_js_value};
use super::error::{invalid_argument, js_error, to_js};
use crate::beacon::{BeaconError, beacon_block_header_from_value};
use crate::execution::{
    AccountState, ExecutionBlock, LogFilter, VerifiedReceipts, verify_account_proof, verify_block,
    verify_block_receipts_text_with_blooms, verify_code, verify_receipts_text_with_blooms,
};

/// Verifies an `eth_getBlockBy*` result: keccak(rlp(header)) must equal its
/// hash (and `expectedHash` when given); with full transaction objects the
/// transactions root is rebuilt too.
///
/// # Errors
/// `HEADER_HASH_MISMATCH`, `TRANSACTIONS_ROOT_MISMATCH`, `DECODE_ERROR`, …
#[wasm_bindgen(js_name = verifyExecutionBlock)]
pub fn verify_execution_block(
    rpc_block: JsValue,
    expected_hash: Option<String>,
) -> Result<JsValue, JsValue> {
    let expected = expected_hash.as_deref().map(parse_b256).transpose()?;
    let block = verify_block(&json_value(&rpc_block)?, expected).map_err(to_js)?;
    Ok(to_js_value(&block_json(&block)))
}

/// Rebuilds the receipts trie from `eth_getBlockReceipts` and compares it with
/// a verified receipts root; returns the verified logs, optionally filtered
/// (`{ address?: string | string[], topics?: (string | string[] | null)[] }`).
/// `rpcReceipts` may be the JSON text as fetched (fast path: read directly
/// into typed receipts) or the parsed object (stringified first).
///
/// # Errors
/// `RECEIPTS_ROOT_MISMATCH`, `BLOOM_MISMATCH`, `DECODE_ERROR`, …
#[wasm_bindgen(js_name = verifyReceipts)]
pub fn verify_receipts_js(
    receipts_root: &str,
    rpc_receipts: JsValue,
    filter: JsValue,
) -> Result<JsValue, JsValue> {
    let root = parse_b256(receipts_root)?;
    let (receipts, blooms) =
        verify_receipts_text_with_blooms(root, &json_text(&rpc_receipts)?).map_err(to_js)?;
    receipts_json(&receipts, &blooms, &parse_filter(&filter)?)
}

/// Like `verifyReceipts`, but against a block verified in the same call
/// (`expectedHash` anchors it), so logs also carry their transaction hash.
///
/// # Errors
/// As `verifyExecutionBlock` and `verifyReceipts`.
#[wasm_bindgen(js_name = verifyBlockReceipts)]
pub fn verify_block_receipts_js(
    rpc_block: JsValue,
    rpc_receipts: JsValue,
    expected_hash: Option<String>,
    filter: JsValue,
) -> Result<JsValue, JsValue> {
    let expected = expected_hash.as_deref().map(parse_b256).transpose()?;
    let block = verify_block(&json_value(&rpc_block)?, expected).map_err(to_js)?;
    let (receipts, blooms) =
        verify_block_receipts_text_with_blooms(&block, &json_text(&rpc_receipts)?)
            .map_err(to_js)?;
    receipts_json(&receipts, &blooms, &parse_filter(&filter)?)
}

/// Verifies an `eth_getProof` response against a state root. Stated fields
/// that disagree with what the proof proves are rejected, never corrected.
///
/// # Errors
/// `INVALID_PROOF`, `PROOF_VALUE_MISMATCH`, `PROOF_SUBJECT_MISMATCH`, `DECODE_ERROR`.
#[wasm_bindgen(js_name = verifyAccountProof)]
pub fn verify_account_proof_js(state_root: &str, response: JsValue) -> Result<JsValue, JsValue> {
    let root = parse_b256(state_root)?;
    let account = verify_account_proof(root, &json_value(&response)?).map_err(to_js)?;
    Ok(to_js_value(&account_json(&account)))
}

/// Verifies contract code (bytes or 0x-hex) against the code hash proven by
/// an `eth_getProof` response; returns the code hash.
///
/// # Errors
/// `CODE_HASH_MISMATCH`, plus the errors of `verifyAccountProof`.
#[wasm_bindgen(js_name = verifyCode)]
pub fn verify_code_js(
    state_root: &str,
    response: JsValue,
    code: JsValue,
) -> Result<String, JsValue> {
    let root = parse_b256(state_root)?;
    let account = verify_account_proof(root, &json_value(&response)?).map_err(to_js)?;
    let bytes = bytes_arg(&code, "code")?;
    verify_code(&account, &bytes).map_err(to_js)?;
    Ok(format!("{:#x}", account.code_hash))
}

/// The JSON text of a JS argument: UTF-8 bytes (the fastest path: the
/// response body, or a string the TS layer encoded with `TextEncoder`), a
/// string, or an object through `JSON.stringify`.
fn json_text(value: &JsValue) -> Result<String, JsValue> {
    match payload(value)? {
        Payload::Json(text) => Ok(text),
        Payload::Ssz(bytes) => String::from_utf8(bytes)
            .map_err(|_| js_error("DECODE_ERROR", "JSON bytes are not valid UTF-8")),
    }
}

fn parse_b256(text: &str) -> Result<B256, JsValue> {
    b256_arg(text, "the hash")
}

fn parse_address(v: &Value) -> Result<Address, JsValue> {
    v.as_str()
        .and_then(|s| s.parse::<Address>().ok())
        .ok_or_else(|| invalid_argument("filter address must be a 0x-prefixed 20-byte hex string"))
}

fn parse_topic(v: &Value) -> Result<B256, JsValue> {
    v.as_str()
        .ok_or_else(|| invalid_argument("filter topic must be a hex string"))
        .and_then(parse_b256)
}

/// An `eth_getLogs`-style filter; `undefined`/`null` match everything.
fn parse_filter(filter: &JsValue) -> Result<LogFilter, JsValue> {
    if filter.is_undefined() || filter.is_null() {
        return Ok(LogFilter::default());
    }
    let v = json_value(filter)?;
    let addresses = match v.get("address") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().map(parse_address).collect::<Result<_, _>>()?,
        Some(one) => vec![parse_address(one)?],
    };
    let topics = match v.get("topics") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(positions)) => positions
            .iter()
            .map(|p| match p {
                Value::Null => Ok(None),
                Value::Array(any) => any
                    .iter()
                    .map(parse_topic)
                    .collect::<Result<_, _>>()
                    .map(Some),
                one => parse_topic(one).map(|t| Some(vec![t])),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(invalid_argument("filter topics must be an array")),
    };
    Ok(LogFilter { addresses, topics })
}

fn block_json(block: &ExecutionBlock) -> Value {
    let h = &block.header;
    json!({
        "hash": format!("{:#x}", block.hash),
        "number": h.number,
        "parentHash": format!("{:#x}", h.parent_hash),
        "stateRoot": format!("{:#x}", h.state_root),
        "receiptsRoot": format!("{:#x}", h.receipts_root),
        "transactionsRoot": format!("{:#x}", h.transactions_root),
        "timestamp": h.timestamp,
        "transactionsChecked": block.transaction_hashes.is_some(),
        "transactionHashes": block.transaction_hashes.as_ref().map(|hs| hs.iter().map(|t| format!("{t:#x}")).collect::<Vec<_>>()),
        "withdrawalsChecked": block.withdrawals_checked,
        "header": header_json(h),
    })
}

/// Every header field, in `eth_getBlockBy*` shape (quantities as 0x-hex).
fn header_json(h: &crate::execution::ExecutionHeader) -> Value {
    let q = |n: u64| format!("{n:#x}");
    let mut out = json!({
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
    let optional = [
        ("baseFeePerGas", h.base_fee_per_gas.map(q)),
        (
            "withdrawalsRoot",
            h.withdrawals_root.map(|v| format!("{v:#x}")),
        ),
        ("blobGasUsed", h.blob_gas_used.map(q)),
        ("excessBlobGas", h.excess_blob_gas.map(q)),
        (
            "parentBeaconBlockRoot",
            h.parent_beacon_block_root.map(|v| format!("{v:#x}")),
        ),
        ("requestsHash", h.requests_hash.map(|v| format!("{v:#x}"))),
    ];
    if let Value::Object(map) = &mut out {
        for (key, value) in optional {
            if let Some(v) = value {
                map.insert(key.to_owned(), Value::String(v));
            }
        }
    }
    out
}

/// The `verifyReceipts` result, written straight as JSON text and handed to
/// `JSON.parse` (building a `serde_json::Value` tree of ~1,000 strings first
/// cost more than the rebuild itself in wasm). Keys are in the alphabetical
/// order the former `Value` output had; every string is hex, so nothing needs
/// escaping. `blooms` are the receipts' checked blooms, in order.
fn receipts_json(
    receipts: &VerifiedReceipts,
    blooms: &[Bloom],
    filter: &LogFilter,
) -> Result<JsValue, JsValue> {
    let mut out = Vec::with_capacity(1024 + receipts.receipts.len() * 640);
    out.extend_from_slice(b"{\"logs\":[");
    for (i, log) in receipts.filter_logs(filter).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"address\":");
        push_hex(&mut out, log.address.as_slice());
        out.extend_from_slice(b",\"data\":");
        push_hex(&mut out, &log.data);
        out.extend_from_slice(b",\"logIndex\":");
        push_decimal(&mut out, log.log_index);
        out.extend_from_slice(b",\"topics\":[");
        for (j, topic) in log.topics.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            push_hex(&mut out, topic.as_slice());
        }
        out.extend_from_slice(b"],\"transactionHash\":");
        match &log.transaction_hash {
            Some(h) => push_hex(&mut out, h.as_slice()),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"transactionIndex\":");
        push_decimal(&mut out, log.transaction_index);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"receiptCount\":");
    push_decimal(&mut out, receipts.receipts.len() as u64);
    out.extend_from_slice(b",\"receipts\":[");
    for (i, (r, bloom)) in receipts.receipts.iter().zip(blooms).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"cumulativeGasUsed\":");
        push_quantity(&mut out, r.cumulative_gas_used);
        out.extend_from_slice(b",\"logCount\":");
        push_decimal(&mut out, r.logs.len() as u64);
        out.extend_from_slice(b",\"logsBloom\":");
        push_hex(&mut out, bloom.as_slice());
        out.extend_from_slice(b",\"status\":");
        out.extend_from_slice(if r.success { b"\"0x1\"" } else { b"\"0x0\"" });
        out.extend_from_slice(b",\"type\":");
        push_quantity(&mut out, u64::from(r.tx_type));
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"receiptsRoot\":");
    push_hex(&mut out, receipts.receipts_root.as_slice());
    out.push(b'}');
    // The text above is ASCII JSON by construction: neither step can fail.
    let text = String::from_utf8(out).unwrap_or_default();
    Ok(JSON::parse(&text).unwrap_or(JsValue::NULL))
}

/// Lowercase hex digits.
const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Bytes hex-encoded per step of [`push_hex`].
const HEX_CHUNK: usize = 32;

/// Appends `"0x…"`: the bytes in lowercase hex, quoted. Encodes through a
/// fixed stack buffer, 32 bytes at a time: the size-optimized core does not
/// inline iterator adapters, and a per-byte call was a visible cost.
fn push_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(3 + 2 * bytes.len());
    out.extend_from_slice(b"\"0x");
    let mut buf = [0u8; 2 * HEX_CHUNK];
    for chunk in bytes.chunks(HEX_CHUNK) {
        let n = chunk.len().min(HEX_CHUNK);
        for i in 0..n {
            let b = chunk[i];
            buf[2 * i] = HEX_DIGITS[usize::from(b >> 4)];
            buf[2 * i + 1] = HEX_DIGITS[usize::from(b & 0x0f)];
        }
        out.extend_from_slice(&buf[..2 * n]);
    }
    out.push(b'"');
}

/// Appends a quoted JSON-RPC quantity (`"0x0"`, `"0x1a"`: no leading zeros).
fn push_quantity(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(b"\"0x");
    let digits = (64 - n.leading_zeros()).div_ceil(4).max(1);
    for i in (0..digits).rev() {
        let nibble = (n >> (4 * i)) & 0x0f;
        out.push(HEX_DIGITS[nibble as usize]);
    }
    out.push(b'"');
}

/// Appends `n` as a JSON number.
fn push_decimal(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = n;
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[..len].iter().rev());
}

fn account_json(a: &AccountState) -> Value {
    json!({
        "address": format!("{:#x}", a.address),
        "exists": a.exists,
        "balance": format!("{:#x}", a.balance),
        "nonce": format!("{:#x}", a.nonce),
        "codeHash": format!("{:#x}", a.code_hash),
        "storageHash": format!("{:#x}", a.storage_hash),
        "storage": a.storage.iter().map(|s| json!({
            "key": format!("{:#x}", s.key),
            "value": format!("{:#x}", s.value),
        })).collect::<Vec<_>>(),
    })
}

#[wasm_bindgen]
impl BeaconLightClient {
    /// Verifies a full beacon block (`/eth/v2/beacon/blocks/{id}`) against a
    /// header this client verified, and returns its verified execution
    /// payload fields.
    ///
    /// `block` is the SSZ bytes (`Uint8Array`; `fork` is then required, from
    /// the `Eth-Consensus-Version` response header) or the JSON envelope
    /// `{ version, data }` (object or text; `fork`, if given, must agree).
    /// The verified header is the client's finalized or optimistic header at
    /// the block's slot or, when `headers` is given, `headers[0]` proven by
    /// the chain `headers` (oldest first, `headers[0]` the block's own
    /// header, the last one the finalized or optimistic header), as in
    /// `verifyAncestor`. The check is never against a header passed in from
    /// JS on trust.
    ///
    /// The block decoder lives in the package's blocks module (`wasm-blocks`,
    /// loaded on first use): in the core this hands the block, the network
    /// and the headers verified here to it (`super::blocks`).
    ///
    /// # Errors
    /// `BODY_ROOT_MISMATCH`, `BEACON_HEADER_MISMATCH`, `HEADER_HASH_MISMATCH`,
    /// `WRONG_FORK`, `DECODE_ERROR`, `INVALID_HEADER_CHAIN`, `WRONG_PRESET`,
    /// `BLOCKS_MODULE_NOT_LOADED` (core: the blocks module is not loaded).
    #[wasm_bindgen(js_name = verifyBlock)]
    pub fn verify_block(
        &self,
        block: JsValue,
        fork: Option<String>,
        headers: JsValue,
    ) -> Result<JsValue, JsValue> {
        let client = self.mainnet_client()?;
        // The verified candidates: the store's finalized and optimistic
        // headers (the one at the block's slot is used), or headers[0] of a
        // chain verified here.
        let (candidates, by_slot) = if headers.is_undefined() || headers.is_null() {
            let store = client.store();
            let candidates = [store.finalized_header(), store.optimistic_header()]
                .into_iter()
                .map(|h| client.verify_ancestor(std::slice::from_ref(&h.beacon)))
                .collect::<Result<Vec<_>, BeaconError>>()
                .map_err(to_js)?;
            (candidates, true)
        } else {
            let v = json_value(&headers)?;
            let items = v
                .as_array()
                .ok_or_else(|| invalid_argument("headers must be an array"))?;
            let chain = items
                .iter()
                .map(|h| beacon_block_header_from_value(h.get("message").unwrap_or(h)))
                .collect::<Result<Vec<_>, BeaconError>>()
                .map_err(to_js)?;
            (vec![client.verify_ancestor(&chain).map_err(to_js)?], false)
        };
        super::blocks::verify_block_against(client.network(), &candidates, by_slot, &block, fork)
    }
}
