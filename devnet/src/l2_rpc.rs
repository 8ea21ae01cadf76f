//! The L2 JSON-RPC subset: `eth_chainId`, `eth_blockNumber`,
//! `eth_getBlockByHash/ByNumber` (the PROTOCOL.md header plus hash and
//! transactions), `eth_getTransactionReceipt`, `eth_getProof` (accounts of
//! the L2 state trie).

use alloy_primitives::{Address, B256, U256};
use serde_json::{Value, json};

use crate::l2::{L2_CHAIN_ID, L2Entry, Sequencer};
use crate::l2_evm::{L2BlockEnv, state_trie};
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

fn param_address(params: &Value, i: usize) -> Result<Address, RpcError> {
    params
        .get(i)
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| RpcError::invalid(format!("param {i}: expected an address")))
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
                .map(|a| a.nonce)
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
                e.state.get(&address).map(|a| a.balance).unwrap_or_default()
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
                // Reverted blocks (reorged, invalidated, equivocation twins)
                // hold no receipts, as on a node that dropped them.
                let Some(e) = seq.blocks.get(h).filter(|e| !e.reverted) else {
                    continue;
                };
                if let Some(i) = e.msg.block.tx_hashes().iter().position(|t| *t == tx) {
                    let r = e.receipts.get(i);
                    return Ok(json!({
                        "transactionHash": format!("{tx:#x}"), "transactionIndex": q(i as u64),
                        "blockHash": format!("{:#x}", e.hash), "blockNumber": q(e.msg.block.header.number),
                        "type": "0x2", "status": if r.is_some_and(|r| r.success) { "0x1" } else { "0x0" },
                        "cumulativeGasUsed": q(r.map(|r| r.cumulative_gas_used).unwrap_or(0)),
                        "logs": r.map(|r| r.logs.iter().enumerate().map(|(j, l)| json!({
                            "address": format!("{:#x}", l.address),
                            "topics": l.topics.iter().map(|t| format!("{t:#x}")).collect::<Vec<_>>(),
                            "data": format!("0x{}", hex::encode(&l.data)),
                            "logIndex": q(j as u64),
                            "transactionHash": format!("{tx:#x}"),
                            "blockHash": format!("{:#x}", e.hash),
                        })).collect::<Vec<_>>()).unwrap_or_default(),
                        "logsBloom": format!("{:#x}", r.map(|r| r.bloom()).unwrap_or_default()),
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
            let slots: Vec<B256> = params
                .get(1)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .filter_map(|k| k.parse::<U256>().ok())
                        .map(B256::from)
                        .collect()
                })
                .unwrap_or_default();
            Ok(account_proof(e, address, &slots))
        }
        "eth_getCode" => {
            let address = param_address(params, 0)?;
            let e =
                block_ref(seq, params.get(1))?.ok_or_else(|| RpcError::invalid("unknown block"))?;
            let code = e
                .state
                .get(&address)
                .map(|a| a.code.clone())
                .unwrap_or_default();
            Ok(json!(format!("0x{}", hex::encode(code))))
        }
        "eth_call" => {
            let c = params
                .get(0)
                .ok_or_else(|| RpcError::invalid("param 0: call object"))?;
            let addr = |k: &str| -> Result<Option<Address>, RpcError> {
                c.get(k)
                    .and_then(Value::as_str)
                    .map(|s| {
                        s.parse()
                            .map_err(|_| RpcError::invalid(format!("{k}: address")))
                    })
                    .transpose()
            };
            let to = addr("to")?.ok_or_else(|| RpcError::invalid("to: required"))?;
            let from = addr("from")?.unwrap_or(Address::ZERO);
            let data = c
                .get("data")
                .or_else(|| c.get("input"))
                .and_then(Value::as_str)
                .map(|s| hex::decode(s.strip_prefix("0x").unwrap_or(s)))
                .transpose()
                .map_err(|_| RpcError::invalid("data: hex"))?
                .unwrap_or_default();
            let value = c
                .get("value")
                .and_then(Value::as_str)
                .map(|s| s.parse::<U256>())
                .transpose()
                .map_err(|_| RpcError::invalid("value: quantity"))?
                .unwrap_or_default();
            let e =
                block_ref(seq, params.get(1))?.ok_or_else(|| RpcError::invalid("unknown block"))?;
            let h = &e.msg.block.header;
            let env = L2BlockEnv {
                chain_id: L2_CHAIN_ID,
                number: h.number + 1,
                timestamp: h.timestamp + 1,
                gas_limit: h.gas_limit,
                base_fee: h.base_fee_per_gas,
            };
            let out = crate::l2_evm::call(&e.state, &env, from, to, data.into(), value)
                .map_err(RpcError::invalid)?;
            Ok(json!(format!("0x{}", hex::encode(out))))
        }
        _ => Err(RpcError::unsupported(method)),
    }
}

/// `eth_getProof` of `address` and `slots` in the state after block `e`.
fn account_proof(e: &L2Entry, address: Address, slots: &[B256]) -> Value {
    let (_, proof) = state_trie(&e.state, Some(address));
    let acc = e.state.get(&address).cloned().unwrap_or_default();
    let storage: Vec<Value> = slots
        .iter()
        .map(|k| {
            let (_, p) = acc.storage_trie(Some(*k));
            json!({
                "key": format!("{k:#x}"),
                "value": format!("{:#x}", acc.storage.get(k).copied().unwrap_or_default()),
                "proof": p.iter().map(|n| format!("0x{}", hex::encode(n))).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "address": format!("{address:#x}"),
        "balance": format!("{:#x}", acc.balance),
        "nonce": q(acc.nonce),
        "codeHash": format!("{:#x}", acc.code_hash()),
        "storageHash": format!("{:#x}", acc.storage_trie(None).0),
        "accountProof": proof.iter().map(|n| format!("0x{}", hex::encode(n))).collect::<Vec<_>>(),
        "storageProof": storage,
    })
}

/// The re-execution witness of block `hash`: its parent's state root, the
/// `eth_getProof` of every account its transactions touch against that
/// root (senders, recipients with all their storage, the beneficiary and
/// the absent Prague system contracts), the code of touched contracts, and
/// the raw transactions.
pub fn witness(seq: &Sequencer, hash: B256) -> Option<Value> {
    let e = seq.blocks.get(&hash)?;
    let header = &e.msg.block.header;
    let parent = seq.blocks.get(&header.parent_hash)?;
    // The block's beneficiary (the zero address: no tips are paid) and the
    // Prague system contracts, absent on L2, proven absent so that a
    // stateless re-execution (the library's `reexecute_block`) needs no
    // further round.
    let mut touched: std::collections::BTreeSet<Address> = [
        Address::ZERO,
        alloy_primitives::address!("0000F90827F1C53a10cb7A02335B175320002935"),
        alloy_primitives::address!("00000961Ef480Eb55e80D19ad83579A64c007002"),
        alloy_primitives::address!("0000BBdDc7CE488642fb579F8B00f3a590007251"),
    ]
    .into_iter()
    .collect();
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
        "proofs": touched.iter().map(|a| {
            let slots: Vec<B256> = parent.state.get(a).map(|acc| acc.storage.keys().copied().collect()).unwrap_or_default();
            account_proof(parent, *a, &slots)
        }).collect::<Vec<_>>(),
        "codes": touched.iter()
            .filter_map(|a| parent.state.get(a))
            .filter(|acc| !acc.code.is_empty())
            .map(|acc| format!("0x{}", hex::encode(&acc.code))).collect::<Vec<_>>(),
        "transactions": e.msg.block.transactions.iter()
            .map(|t| format!("0x{}", hex::encode(t))).collect::<Vec<_>>(),
    }))
}
