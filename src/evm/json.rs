//! JSON requests and results for [`simulate`](super::simulate) and
//! [`reexecute_block`](super::reexecute_block), as the JS package sends and
//! reads them. Hashes, addresses, byte strings and wei amounts are 0x-hex
//! strings; numbers (block number, gas, chain id) may be JSON numbers or
//! 0x-hex quantities. [`EvmError::NeedsState`] is not an error here: it comes
//! back as `{ "status": "needsState", "needs": ... }` so the caller can fetch
//! the proofs and retry.

use alloy_primitives::{B256, Bytes, U256};
use serde_json::{Value, json};

use super::env::{BlockContext, CallRequest, EvmSpec, SimTx};
use super::error::EvmError;
use super::exec::{AccountChange, TxOutcome};
use super::reexecute::{BlockInput, Witness, reexecute_block};
use super::simulate::{Assertion, SimulationResult, simulate};
use super::state::{NeedsState, ProvenState};
use crate::execution::{ExecutionHeader, Withdrawal, verify_account_proof};

fn bad(field: &str, reason: &str) -> EvmError {
    EvmError::InvalidInput {
        field: field.to_owned(),
        reason: reason.to_owned(),
    }
}

fn field<'a>(v: &'a Value, name: &str) -> Result<&'a Value, EvmError> {
    v.get(name).ok_or_else(|| bad(name, "missing"))
}

fn str_of<'a>(v: &'a Value, name: &str) -> Result<&'a str, EvmError> {
    v.as_str().ok_or_else(|| bad(name, "expected a string"))
}

fn parse<T: core::str::FromStr>(v: &Value, name: &str) -> Result<T, EvmError> {
    str_of(v, name)?
        .parse()
        .map_err(|_| bad(name, "malformed hex"))
}

fn bytes(v: &Value, name: &str) -> Result<Bytes, EvmError> {
    let s = str_of(v, name)?;
    hex::decode(s.strip_prefix("0x").unwrap_or(s))
        .map(Bytes::from)
        .map_err(|_| bad(name, "malformed hex"))
}

fn u64_of(v: &Value, name: &str) -> Result<u64, EvmError> {
    if let Some(n) = v.as_u64() {
        return Ok(n);
    }
    let s = str_of(v, name)?;
    let digits = s
        .strip_prefix("0x")
        .ok_or_else(|| bad(name, "expected a number"))?;
    u64::from_str_radix(digits, 16).map_err(|_| bad(name, "malformed quantity"))
}

fn u256_of(v: &Value, name: &str) -> Result<U256, EvmError> {
    if let Some(n) = v.as_u64() {
        return Ok(U256::from(n));
    }
    parse(v, name)
}

fn opt<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    v.get(name).filter(|x| !x.is_null())
}

fn array<'a>(v: &'a Value, name: &str) -> Result<&'a [Value], EvmError> {
    match opt(v, name) {
        None => Ok(&[]),
        Some(a) => a
            .as_array()
            .map(Vec::as_slice)
            .ok_or_else(|| bad(name, "expected an array")),
    }
}

fn spec_of(v: &Value) -> Result<EvmSpec, EvmError> {
    opt(v, "spec").map_or(Ok(EvmSpec::default()), |s| {
        EvmSpec::parse(str_of(s, "spec")?)
    })
}

fn block_of(v: &Value) -> Result<BlockContext, EvmError> {
    Ok(BlockContext {
        chain_id: u64_of(field(v, "chainId")?, "block.chainId")?,
        spec: spec_of(v)?,
        number: u64_of(field(v, "number")?, "block.number")?,
        timestamp: u64_of(field(v, "timestamp")?, "block.timestamp")?,
        beneficiary: parse(field(v, "beneficiary")?, "block.beneficiary")?,
        gas_limit: u64_of(field(v, "gasLimit")?, "block.gasLimit")?,
        base_fee: opt(v, "baseFee").map_or(Ok(0), |x| u64_of(x, "block.baseFee"))?,
        prevrandao: opt(v, "prevRandao")
            .map_or(Ok(B256::ZERO), |x| parse(x, "block.prevRandao"))?,
        excess_blob_gas: opt(v, "excessBlobGas")
            .map(|x| u64_of(x, "block.excessBlobGas"))
            .transpose()?,
    })
}

fn call_of(v: &Value) -> Result<CallRequest, EvmError> {
    Ok(CallRequest {
        from: parse(field(v, "from")?, "call.from")?,
        to: opt(v, "to").map(|x| parse(x, "call.to")).transpose()?,
        value: opt(v, "value").map_or(Ok(U256::ZERO), |x| u256_of(x, "call.value"))?,
        data: opt(v, "data").map_or(Ok(Bytes::new()), |x| bytes(x, "call.data"))?,
        gas_limit: opt(v, "gas").map(|x| u64_of(x, "call.gas")).transpose()?,
    })
}

fn assertion_of(v: &Value) -> Result<Assertion, EvmError> {
    match str_of(field(v, "type")?, "assertion.type")? {
        "balanceAtLeast" => Ok(Assertion::BalanceAtLeast {
            address: parse(field(v, "address")?, "assertion.address")?,
            min: u256_of(field(v, "min")?, "assertion.min")?,
        }),
        "storageEquals" => Ok(Assertion::StorageEquals {
            address: parse(field(v, "address")?, "assertion.address")?,
            slot: parse(field(v, "slot")?, "assertion.slot")?,
            value: u256_of(field(v, "value")?, "assertion.value")?,
        }),
        "callReturns" => Ok(Assertion::CallReturns {
            call: call_of(field(v, "call")?)?,
            output: bytes(field(v, "output")?, "assertion.output")?,
        }),
        _ => Err(bad("assertion.type", "unknown assertion type")),
    }
}

fn block_hashes(v: &Value, into: &mut Vec<(u64, B256)>) -> Result<(), EvmError> {
    for entry in array(v, "blockHashes")? {
        into.push((
            u64_of(field(entry, "number")?, "blockHashes.number")?,
            parse(field(entry, "hash")?, "blockHashes.hash")?,
        ));
    }
    Ok(())
}

fn hex_u256(v: U256) -> String {
    format!("{v:#x}")
}

fn needs_json(needs: &NeedsState) -> Value {
    json!({
        "status": "needsState",
        "needs": {
            "accounts": needs.accounts.iter().map(|a| format!("{a:#x}")).collect::<Vec<_>>(),
            "slots": needs.slots.iter().map(|(a, s)| json!({"address": format!("{a:#x}"), "slot": format!("{s:#x}")})).collect::<Vec<_>>(),
            "codes": needs.codes.iter().map(|a| format!("{a:#x}")).collect::<Vec<_>>(),
            "blockHashes": needs.block_hashes,
        }
    })
}

fn outcome_json(o: &TxOutcome) -> Value {
    json!({
        "success": o.success,
        "output": format!("0x{}", hex::encode(&o.output)),
        "revertReason": o.revert_reason,
        "gasUsed": o.gas_used,
        "created": o.created.map(|a| format!("{a:#x}")),
        "logs": o.logs.iter().map(|l| json!({
            "address": format!("{:#x}", l.address),
            "topics": l.topics.iter().map(|t| format!("{t:#x}")).collect::<Vec<_>>(),
            "data": format!("0x{}", hex::encode(&l.data)),
        })).collect::<Vec<_>>(),
    })
}

fn change_json(c: &AccountChange) -> Value {
    json!({
        "address": format!("{:#x}", c.address),
        "balance": [hex_u256(c.balance.0), hex_u256(c.balance.1)],
        "nonce": [c.nonce.0, c.nonce.1],
        "codeHash": [format!("{:#x}", c.code_hash.0), format!("{:#x}", c.code_hash.1)],
        "existsAfter": c.exists_after,
        "storage": c.storage.iter().map(|s| json!({
            "slot": format!("{:#x}", s.slot),
            "before": hex_u256(s.before),
            "after": hex_u256(s.after),
        })).collect::<Vec<_>>(),
    })
}

fn simulation_json(r: &SimulationResult) -> Value {
    json!({
        "status": "ok",
        "ok": r.ok,
        "stateRoot": format!("{:#x}", r.state_root),
        "gasUsed": r.gas_used,
        "outcomes": r.outcomes.iter().map(outcome_json).collect::<Vec<_>>(),
        "stateChanges": r.state_changes.iter().map(change_json).collect::<Vec<_>>(),
        "assertions": r.assertions.iter().map(|a| json!({"passed": a.passed, "actual": a.actual})).collect::<Vec<_>>(),
    })
}

/// Runs a simulation request (see the module docs and `pkg/src/evm.ts`).
///
/// # Errors
/// [`EvmError::InvalidInput`] for a malformed request, proof errors, or the
/// errors of [`simulate`] other than `NeedsState`.
pub fn simulate_json(request: &Value) -> Result<Value, EvmError> {
    let root: B256 = parse(field(request, "stateRoot")?, "stateRoot")?;
    let mut state = ProvenState::new(root);
    for proof in array(request, "proofs")? {
        state.add_account(&verify_account_proof(root, proof)?)?;
    }
    for code in array(request, "codes")? {
        state.add_code(&bytes(code, "codes")?);
    }
    let mut hashes = Vec::new();
    block_hashes(request, &mut hashes)?;
    for (n, h) in hashes {
        state.add_trusted_block_hash(n, h);
    }
    let block = block_of(field(request, "block")?)?;
    let txs = array(request, "txs")?
        .iter()
        .map(|t| {
            if t.is_string() {
                bytes(t, "txs").map(SimTx::Signed)
            } else {
                call_of(t).map(SimTx::Call)
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let assertions = array(request, "assertions")?
        .iter()
        .map(assertion_of)
        .collect::<Result<Vec<_>, _>>()?;
    match simulate(&state, &block, &txs, &assertions) {
        Ok(r) => Ok(simulation_json(&r)),
        Err(EvmError::NeedsState(needs)) => Ok(needs_json(&needs)),
        Err(e) => Err(e),
    }
}

/// Runs a re-execution request (see the module docs and `pkg/src/evm.ts`).
///
/// # Errors
/// [`EvmError::InvalidInput`] for a malformed request, or the errors of
/// [`reexecute_block`] other than `NeedsState` (which is a result).
pub fn reexecute_json(request: &Value) -> Result<Value, EvmError> {
    let pre: B256 = parse(field(request, "preStateRoot")?, "preStateRoot")?;
    let header = ExecutionHeader::from_json(field(request, "header")?)?;
    let transactions = array(request, "transactions")?
        .iter()
        .map(|t| bytes(t, "transactions"))
        .collect::<Result<Vec<_>, _>>()?;
    let withdrawals = array(request, "withdrawals")?
        .iter()
        .map(Withdrawal::from_json)
        .collect::<Result<Vec<_>, _>>()?;
    let w = field(request, "witness")?;
    let mut witness = Witness {
        proofs: array(w, "proofs")?.to_vec(),
        codes: array(w, "codes")?
            .iter()
            .map(|c| bytes(c, "witness.codes"))
            .collect::<Result<_, _>>()?,
        extra_nodes: array(w, "extraNodes")?
            .iter()
            .map(|c| bytes(c, "witness.extraNodes"))
            .collect::<Result<_, _>>()?,
        block_hashes: Vec::new(),
    };
    block_hashes(w, &mut witness.block_hashes)?;
    let input = BlockInput {
        header: &header,
        transactions: &transactions,
        withdrawals: &withdrawals,
        chain_id: u64_of(field(request, "chainId")?, "chainId")?,
        spec: spec_of(request)?,
    };
    match reexecute_block(pre, &input, &witness) {
        Ok(v) => Ok(json!({
            "status": "verified",
            "executionChecked": true,
            "number": v.number,
            "blockHash": format!("{:#x}", v.block_hash),
            "preStateRoot": format!("{:#x}", v.pre_state_root),
            "stateRoot": format!("{:#x}", v.state_root),
            "receiptsRoot": format!("{:#x}", v.receipts_root),
            "gasUsed": v.gas_used,
            "transactions": v.transactions,
        })),
        Err(EvmError::NeedsState(needs)) => Ok(needs_json(&needs)),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_requests_are_typed_errors() {
        for bad_req in [
            json!({}),
            json!({"stateRoot": "0x12"}),
            json!({"stateRoot": format!("{:#x}", B256::ZERO), "block": {}}),
            json!({"stateRoot": format!("{:#x}", B256::ZERO), "proofs": 5}),
        ] {
            let err = simulate_json(&bad_req).unwrap_err();
            assert_eq!(crate::ErrorCode::code(&err), "INVALID_INPUT", "{err}");
        }
        let err = reexecute_json(&json!({"preStateRoot": 1})).unwrap_err();
        assert_eq!(crate::ErrorCode::code(&err), "INVALID_INPUT");
    }
}
