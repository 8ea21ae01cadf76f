//! The L1 JSON-RPC subset: `eth_chainId`, `eth_blockNumber`,
//! `eth_getBlockByHash/ByNumber`, `eth_getBlockReceipts`,
//! `eth_getTransactionByHash`, `eth_getTransactionReceipt`, `eth_getProof`,
//! `eth_getCode`, `eth_getLogs`, all over the canonical chain.

use alloy_primitives::{Address, B256, U256};
use serde_json::{Value, json};

use crate::chain::{Block, Chain, Forgery};
use crate::el::{COMMIT_GAS, L1_CHAIN_ID};

fn q(n: u64) -> String {
    format!("{n:#x}")
}

fn hex0x(b: &[u8]) -> String {
    format!("0x{}", hex::encode(b))
}

/// A JSON-RPC error.
pub struct RpcError {
    code: i64,
    message: String,
}

impl RpcError {
    /// Invalid parameters.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            code: -32602,
            message: message.into(),
        }
    }
    /// Unknown method.
    pub fn unsupported(method: &str) -> Self {
        Self {
            code: -32601,
            message: format!("method {method} not supported by the devnet"),
        }
    }
}

fn bad(message: impl Into<String>) -> RpcError {
    RpcError::invalid(message)
}

/// One transaction of `b` (index `i`) as `eth_getTransactionByHash` and
/// full `eth_getBlockBy*` return it; `null` past the end.
pub fn tx_json(b: &Block, i: usize) -> Value {
    let h = &b.el.header;
    let Some(t) = b.el.txs.get(i) else {
        return Value::Null;
    };
    json!({
        "type": "0x2", "chainId": q(L1_CHAIN_ID), "nonce": q(t.nonce),
        "maxPriorityFeePerGas": "0x0", "maxFeePerGas": q(crate::el::BASE_FEE),
        "gasPrice": q(crate::el::BASE_FEE), "gas": q(COMMIT_GAS),
        "to": format!("{:#x}", t.to), "from": format!("{:#x}", t.from), "value": "0x0",
        "input": hex0x(&t.input), "accessList": [],
        "yParity": if t.signature.0 { "0x1" } else { "0x0" },
        "v": if t.signature.0 { "0x1" } else { "0x0" },
        "r": format!("{:#x}", U256::from_be_bytes(t.signature.1.0)),
        "s": format!("{:#x}", U256::from_be_bytes(t.signature.2.0)),
        "hash": format!("{:#x}", t.hash), "blockHash": format!("{:#x}", b.el.hash),
        "blockNumber": q(h.number), "transactionIndex": q(i as u64),
    })
}

/// The canonical block carrying the transaction `hash`, and its index there.
pub fn find_tx(chain: &Chain, hash: B256) -> Option<(&Block, usize)> {
    chain
        .blocks
        .iter()
        .find_map(|b| b.el.txs.iter().position(|t| t.hash == hash).map(|i| (b, i)))
}

/// `eth_getBlockBy*` result.
pub fn block_json(b: &Block, full: bool) -> Value {
    let h = &b.el.header;
    let txs: Vec<Value> =
        b.el.txs
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if full {
                    tx_json(b, i)
                } else {
                    json!(format!("{:#x}", t.hash))
                }
            })
            .collect();
    json!({
        "number": q(h.number), "hash": format!("{:#x}", b.el.hash),
        "parentHash": format!("{:#x}", h.parent_hash), "sha3Uncles": format!("{:#x}", h.ommers_hash),
        "miner": format!("{:#x}", h.beneficiary), "stateRoot": format!("{:#x}", h.state_root),
        "transactionsRoot": format!("{:#x}", h.transactions_root),
        "receiptsRoot": format!("{:#x}", h.receipts_root), "logsBloom": hex0x(h.logs_bloom.as_slice()),
        "difficulty": "0x0", "gasLimit": q(h.gas_limit), "gasUsed": q(h.gas_used),
        "timestamp": q(h.timestamp), "extraData": hex0x(&h.extra_data),
        "mixHash": format!("{:#x}", h.mix_hash), "nonce": "0x0000000000000000",
        "baseFeePerGas": q(h.base_fee_per_gas.unwrap_or(0)),
        "withdrawalsRoot": format!("{:#x}", h.withdrawals_root.unwrap_or_default()),
        "blobGasUsed": q(h.blob_gas_used.unwrap_or(0)), "excessBlobGas": q(h.excess_blob_gas.unwrap_or(0)),
        "parentBeaconBlockRoot": format!("{:#x}", h.parent_beacon_block_root.unwrap_or_default()),
        "requestsHash": format!("{:#x}", h.requests_hash.unwrap_or_default()),
        "uncles": [], "withdrawals": [], "transactions": txs,
        "size": q(h.encode_rlp().len() as u64),
    })
}

fn logs_json(b: &Block, tx_index: usize, first_log: u64) -> Vec<Value> {
    let Some(r) = b.el.receipts.get(tx_index) else {
        return Vec::new();
    };
    let tx_hash = b.el.txs.get(tx_index).map(|t| t.hash).unwrap_or_default();
    r.logs
        .iter()
        .enumerate()
        .map(|(i, l)| {
            json!({
                "address": format!("{:#x}", l.address),
                "topics": l.topics.iter().map(|t| format!("{t:#x}")).collect::<Vec<_>>(),
                "data": hex0x(&l.data),
                "blockNumber": q(b.el.header.number), "blockHash": format!("{:#x}", b.el.hash),
                "transactionHash": format!("{tx_hash:#x}"), "transactionIndex": q(tx_index as u64),
                "logIndex": q(first_log + i as u64), "removed": false,
            })
        })
        .collect()
}

/// `eth_getBlockReceipts` result.
pub fn receipts_json(b: &Block) -> Value {
    let mut first_log = 0u64;
    let mut prev_gas = 0u64;
    let out: Vec<Value> = b
        .el
        .receipts
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let tx = b.el.txs.get(i);
            let v = json!({
                "type": q(u64::from(r.tx_type)), "status": if r.success { "0x1" } else { "0x0" },
                "cumulativeGasUsed": q(r.cumulative_gas_used),
                "gasUsed": q(r.cumulative_gas_used - prev_gas),
                "effectiveGasPrice": q(crate::el::BASE_FEE),
                "logsBloom": hex0x(r.bloom().as_slice()),
                "logs": logs_json(b, i, first_log),
                "transactionHash": format!("{:#x}", tx.map(|t| t.hash).unwrap_or_default()),
                "transactionIndex": q(i as u64),
                "blockHash": format!("{:#x}", b.el.hash), "blockNumber": q(b.el.header.number),
                "from": format!("{:#x}", tx.map(|t| t.from).unwrap_or_default()),
                "to": format!("{:#x}", tx.map(|t| t.to).unwrap_or_default()),
                "contractAddress": null,
            });
            first_log += r.logs.len() as u64;
            prev_gas = r.cumulative_gas_used;
            v
        })
        .collect();
    Value::Array(out)
}

fn param(params: &Value, i: usize) -> Result<&Value, RpcError> {
    params
        .get(i)
        .ok_or_else(|| bad(format!("missing param {i}")))
}

fn parse_b256(v: &Value) -> Result<B256, RpcError> {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("expected a 32-byte hex string"))
}

fn parse_quantity(s: &str) -> Option<u64> {
    u64::from_str_radix(s.strip_prefix("0x")?, 16).ok()
}

/// Resolves a block tag or number to a canonical block index.
fn block_index(chain: &Chain, v: &Value) -> Result<Option<usize>, RpcError> {
    if let Some(obj) = v.as_object() {
        if let Some(h) = obj.get("blockHash") {
            let h = parse_b256(h)?;
            return Ok(chain.blocks.iter().position(|b| b.el.hash == h));
        }
        if let Some(n) = obj.get("blockNumber") {
            return block_index(chain, n);
        }
    }
    let s = v.as_str().ok_or_else(|| bad("block tag"))?;
    let last = chain.blocks.len() - 1;
    let finalized = chain.finalized_max.1;
    Ok(match s {
        "latest" | "pending" => Some(last),
        "earliest" => Some(0),
        "safe" | "finalized" => chain.index_of(finalized).or(Some(0)),
        _ if s.len() == 66 => {
            let h = parse_b256(v)?;
            chain.blocks.iter().position(|b| b.el.hash == h)
        }
        _ => {
            let n = parse_quantity(s).ok_or_else(|| bad("block number"))?;
            chain.blocks.iter().position(|b| b.el.header.number == n)
        }
    })
}

/// Handles one JSON-RPC call; `forge` is the active forgery for this method.
pub fn call(
    chain: &Chain,
    method: &str,
    params: &Value,
    forge: Option<Forgery>,
) -> Result<Value, RpcError> {
    match method {
        "eth_chainId" => Ok(json!(q(L1_CHAIN_ID))),
        "net_version" => Ok(json!(L1_CHAIN_ID.to_string())),
        "eth_blockNumber" => Ok(json!(q(chain.head().el.header.number))),
        "eth_getBlockByHash" => {
            let h = parse_b256(param(params, 0)?)?;
            let full = params.get(1).and_then(Value::as_bool).unwrap_or(false);
            Ok(chain
                .by_el_hash(h)
                .map(|b| block_json(b, full))
                .unwrap_or(Value::Null))
        }
        "eth_getBlockByNumber" => {
            let full = params.get(1).and_then(Value::as_bool).unwrap_or(false);
            Ok(block_index(chain, param(params, 0)?)?
                .and_then(|i| chain.blocks.get(i))
                .map(|b| block_json(b, full))
                .unwrap_or(Value::Null))
        }
        "eth_getTransactionByHash" => {
            let h = parse_b256(param(params, 0)?)?;
            Ok(find_tx(chain, h)
                .map(|(b, i)| tx_json(b, i))
                .unwrap_or(Value::Null))
        }
        "eth_getTransactionReceipt" => {
            let h = parse_b256(param(params, 0)?)?;
            Ok(find_tx(chain, h)
                .and_then(|(b, i)| receipts_json(b).get(i).cloned())
                .unwrap_or(Value::Null))
        }
        "eth_getBlockReceipts" => {
            let Some(b) = block_index(chain, param(params, 0)?)?.and_then(|i| chain.blocks.get(i))
            else {
                return Ok(Value::Null);
            };
            let mut r = receipts_json(b);
            if forge == Some(Forgery::WrongReceipt)
                && let Some(log) = r.pointer_mut("/0/logs/0/data")
            {
                *log = json!(format!("{:#x}", chain.wrong_root()));
            }
            Ok(r)
        }
        "eth_getCode" => {
            let address: Address = param(params, 0)?
                .as_str()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| bad("address"))?;
            let block = params.get(1).cloned().unwrap_or(json!("latest"));
            let index = block_index(chain, &block)?.ok_or_else(|| bad("unknown block"))?;
            Ok(json!(hex0x(&chain.l1_state(index).code(address))))
        }
        "eth_getProof" => {
            let address: Address = param(params, 0)?
                .as_str()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| bad("address"))?;
            let keys = param(params, 1)?
                .as_array()
                .ok_or_else(|| bad("storage keys"))?
                .iter()
                .map(parse_b256)
                .collect::<Result<Vec<_>, _>>()?;
            let index =
                block_index(chain, param(params, 2)?)?.ok_or_else(|| bad("unknown block"))?;
            let state = chain.l1_state(index);
            let (_, p) = state.prove(chain.committer.address, address, &keys);
            let mut account_proof: Vec<String> = p.account_proof.iter().map(|n| hex0x(n)).collect();
            if forge == Some(Forgery::BadBranch)
                && let Some(first) = account_proof.last_mut()
            {
                // Change the last hex digit of the leaf node.
                let last = if first.ends_with('0') { '1' } else { '0' };
                first.pop();
                first.push(last);
            }
            Ok(json!({
                "address": format!("{address:#x}"),
                "balance": format!("{:#x}", p.balance),
                "nonce": q(p.nonce),
                "codeHash": format!("{:#x}", p.code_hash),
                "storageHash": format!("{:#x}", p.storage_hash),
                "accountProof": account_proof,
                "storageProof": p.storage.iter().map(|(k, v, pr)| json!({
                    "key": format!("{k:#x}"), "value": format!("{v:#x}"),
                    "proof": pr.iter().map(|n| hex0x(n)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            }))
        }
        "eth_getLogs" => {
            let filter = param(params, 0)?;
            let from = match filter.get("fromBlock") {
                Some(v) => block_index(chain, v)?.unwrap_or(0),
                None => chain.blocks.len() - 1,
            };
            let to = match filter.get("toBlock") {
                Some(v) => block_index(chain, v)?.unwrap_or(chain.blocks.len() - 1),
                None => chain.blocks.len() - 1,
            };
            let addresses: Vec<String> = match filter.get("address") {
                Some(Value::String(s)) => vec![s.to_lowercase()],
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_lowercase)
                    .collect(),
                _ => Vec::new(),
            };
            let topic0: Option<String> = filter
                .pointer("/topics/0")
                .and_then(Value::as_str)
                .map(str::to_lowercase);
            let range: Vec<&Block> = match filter.get("blockHash") {
                Some(h) => chain.by_el_hash(parse_b256(h)?).into_iter().collect(),
                None => chain
                    .blocks
                    .get(from..=to.max(from))
                    .unwrap_or_default()
                    .iter()
                    .collect(),
            };
            let mut out = Vec::new();
            for b in range {
                let mut first = 0u64;
                for (i, r) in b.el.receipts.iter().enumerate() {
                    for l in logs_json(b, i, first) {
                        let addr_ok = addresses.is_empty()
                            || l["address"]
                                .as_str()
                                .is_some_and(|a| addresses.iter().any(|x| x == a));
                        let topic_ok = topic0.as_ref().is_none_or(|t| {
                            l.pointer("/topics/0").and_then(Value::as_str) == Some(t)
                        });
                        if addr_ok && topic_ok {
                            out.push(l);
                        }
                    }
                    first += r.logs.len() as u64;
                }
            }
            Ok(Value::Array(out))
        }
        _ => Err(RpcError {
            code: -32601,
            message: format!("method {method} not supported by the devnet"),
        }),
    }
}

/// Wraps a result or error in a JSON-RPC response.
pub fn response(id: &Value, r: Result<Value, RpcError>) -> Value {
    match r {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err(e) => {
            json!({"jsonrpc": "2.0", "id": id, "error": {"code": e.code, "message": e.message}})
        }
    }
}
