//! The L2 JSON-RPC subset: `eth_chainId`, `eth_blockNumber`,
//! `eth_getBlockByHash/ByNumber` (the PROTOCOL.md header plus hash and
//! transactions), `eth_getTransactionReceipt`, `eth_getProof` (accounts of
//! the L2 state trie).

use alloy_primitives::{Address, B256, keccak256};
use serde_json::{Value, json};

use crate::el::{encode_account, trie};
use crate::l2::{L2_CHAIN_ID, L2Entry, Sequencer};
use crate::rpc::RpcError;

fn q(n: u64) -> String {
    format!("{n:#x}")
}

fn block_json(e: &L2Entry) -> Value {
    let h = &e.msg.block.header;
    let mut v = serde_json::to_value(h).unwrap_or(Value::Null);
    if let Some(m) = v.as_object_mut() {
        m.insert("hash".into(), json!(format!("{:#x}", e.hash)));
        m.insert(
            "transactions".into(),
            json!(
                e.msg
                    .block
                    .tx_hashes()
                    .iter()
                    .map(|t| format!("{t:#x}"))
                    .collect::<Vec<_>>()
            ),
        );
        m.insert(
            "rawTransactions".into(),
            json!(
                e.msg
                    .block
                    .transactions
                    .iter()
                    .map(|t| format!("0x{}", hex::encode(t)))
                    .collect::<Vec<_>>()
            ),
        );
    }
    v
}

/// The sequencer chain's block at `number` (its current chain).
fn by_number(seq: &Sequencer, number: u64) -> Option<&L2Entry> {
    let mut cur = seq.blocks.get(&seq.tip)?;
    while cur.msg.block.header.number > number {
        cur = seq.blocks.get(&cur.msg.block.header.parent_hash)?;
    }
    (cur.msg.block.header.number == number).then_some(cur)
}

fn param_b256(params: &Value, i: usize) -> Result<B256, RpcError> {
    params
        .get(i)
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| RpcError::invalid(format!("param {i}: expected a 32-byte hex string")))
}

fn block_ref<'a>(seq: &'a Sequencer, v: Option<&Value>) -> Result<Option<&'a L2Entry>, RpcError> {
    let s = v.and_then(Value::as_str).unwrap_or("latest");
    Ok(match s {
        "latest" | "pending" => seq.blocks.get(&seq.tip),
        "earliest" => seq.blocks.get(&seq.genesis),
        _ if s.len() == 66 => seq.blocks.get(
            &s.parse::<B256>()
                .map_err(|_| RpcError::invalid("block hash"))?,
        ),
        _ => {
            let n = s
                .strip_prefix("0x")
                .and_then(|h| u64::from_str_radix(h, 16).ok())
                .ok_or_else(|| RpcError::invalid("block number"))?;
            by_number(seq, n)
        }
    })
}

/// Handles one L2 JSON-RPC call.
///
/// # Errors
/// An [`RpcError`] for unknown methods or bad parameters.
pub fn call(seq: &mut Sequencer, method: &str, params: &Value) -> Result<Value, RpcError> {
    match method {
        "eth_sendRawTransaction" => {
            let raw = params
                .get(0)
                .and_then(Value::as_str)
                .and_then(|s| hex::decode(s.strip_prefix("0x").unwrap_or(s)).ok())
                .ok_or_else(|| RpcError::invalid("expected a 0x-hex signed transaction"))?;
            let hash = seq.submit_raw(&raw).map_err(RpcError::invalid)?;
            Ok(json!(format!("{hash:#x}")))
        }
        "eth_getTransactionCount" => {
            let address: Address = params
                .get(0)
                .and_then(Value::as_str)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| RpcError::invalid("address"))?;
            let e =
                block_ref(seq, params.get(1))?.ok_or_else(|| RpcError::invalid("unknown block"))?;
            Ok(json!(q(e
                .state
                .get(&address)
                .map(|(n, _)| *n)
                .unwrap_or(0))))
        }
        "eth_getBalance" => {
            let address: Address = params
                .get(0)
                .and_then(Value::as_str)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| RpcError::invalid("address"))?;
            let e =
                block_ref(seq, params.get(1))?.ok_or_else(|| RpcError::invalid("unknown block"))?;
            Ok(json!(format!(
                "{:#x}",
                e.state.get(&address).map(|(_, b)| *b).unwrap_or_default()
            )))
        }
        "eth_chainId" => Ok(json!(q(L2_CHAIN_ID))),
        "eth_blockNumber" => Ok(json!(q(seq
            .blocks
            .get(&seq.tip)
            .map(|e| e.msg.block.header.number)
            .unwrap_or(0)))),
        "eth_getBlockByHash" => Ok(seq
            .blocks
            .get(&param_b256(params, 0)?)
            .map(block_json)
            .unwrap_or(Value::Null)),
        "eth_getBlockByNumber" => Ok(block_ref(seq, params.get(0))?
            .map(block_json)
            .unwrap_or(Value::Null)),
        "eth_getTransactionReceipt" => {
            let tx = param_b256(params, 0)?;
            for h in seq.order.iter().rev() {
                let Some(e) = seq.blocks.get(h) else { continue };
                if let Some(i) = e.msg.block.tx_hashes().iter().position(|t| *t == tx) {
                    let r = e.receipts.get(i);
                    return Ok(json!({
                        "transactionHash": format!("{tx:#x}"), "transactionIndex": q(i as u64),
                        "blockHash": format!("{:#x}", e.hash), "blockNumber": q(e.msg.block.header.number),
                        "type": "0x2", "status": if r.is_some_and(|r| r.success) { "0x1" } else { "0x0" },
                        "cumulativeGasUsed": q(r.map(|r| r.cumulative_gas_used).unwrap_or(0)),
                        "logs": [], "logsBloom": format!("0x{}", "00".repeat(256)),
                    }));
                }
            }
            Ok(Value::Null)
        }
        "eth_getProof" => {
            let address: Address = params
                .get(0)
                .and_then(Value::as_str)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| RpcError::invalid("address"))?;
            let e =
                block_ref(seq, params.get(2))?.ok_or_else(|| RpcError::invalid("unknown block"))?;
            Ok(account_proof(e, address))
        }
        "eth_getCode" => {
            // Every L2 account is an externally owned account.
            block_ref(seq, params.get(1))?.ok_or_else(|| RpcError::invalid("unknown block"))?;
            Ok(json!("0x"))
        }
        _ => Err(RpcError::unsupported(method)),
    }
}

/// `eth_getProof` of `address` in the state after block `e`.
fn account_proof(e: &L2Entry, address: Address) -> Value {
    let leaves = e
        .state
        .iter()
        .map(|(a, (n, b))| {
            (
                keccak256(a),
                encode_account(
                    *n,
                    *b,
                    alloy_trie::EMPTY_ROOT_HASH,
                    alloy_primitives::KECCAK256_EMPTY,
                ),
            )
        })
        .collect();
    let (_, proof) = trie(leaves, Some(keccak256(address)));
    let (nonce, balance) = e.state.get(&address).copied().unwrap_or_default();
    json!({
        "address": format!("{address:#x}"),
        "balance": format!("{balance:#x}"),
        "nonce": q(nonce),
        "codeHash": format!("{:#x}", alloy_primitives::KECCAK256_EMPTY),
        "storageHash": format!("{:#x}", alloy_trie::EMPTY_ROOT_HASH),
        "accountProof": proof.iter().map(|n| format!("0x{}", hex::encode(n))).collect::<Vec<_>>(),
        "storageProof": [],
    })
}

/// The re-execution witness of block `hash`: its parent's state root, the
/// `eth_getProof` of every account its transactions touch against that
/// root (senders and recipients; no contract code or storage exists), and
/// the raw transactions.
pub fn witness(seq: &Sequencer, hash: B256) -> Option<Value> {
    let e = seq.blocks.get(&hash)?;
    let header = &e.msg.block.header;
    let parent = seq.blocks.get(&header.parent_hash)?;
    let mut touched = std::collections::BTreeSet::new();
    for raw in &e.msg.block.transactions {
        if let Ok(tx) = crate::l2::decode_eip1559(raw) {
            touched.insert(tx.from);
            touched.insert(tx.to);
        }
    }
    Some(json!({
        "blockHash": format!("{hash:#x}"),
        "number": header.number,
        "parentHash": format!("{:#x}", header.parent_hash),
        "preStateRoot": format!("{:#x}", parent.msg.block.header.state_root),
        "proofs": touched.iter().map(|a| account_proof(parent, *a)).collect::<Vec<_>>(),
        "codes": [],
        "transactions": e.msg.block.transactions.iter()
            .map(|t| format!("0x{}", hex::encode(t))).collect::<Vec<_>>(),
    }))
}
