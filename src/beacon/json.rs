//! Decoding the Beacon API JSON forms (`{version, data}` envelopes) of
//! `/eth/v1/beacon/light_client/{bootstrap,updates,finality_update,optimistic_update}`.
//!
//! The fork is taken from `version`, never guessed from the data's shape.
//! Numbers are decimal strings, byte strings `0x`-hex, bitvectors `0x`-hex
//! of their SSZ bytes, as the Beacon API serves them.

use alloy_primitives::{Address, B256, FixedBytes, U256};
use serde_json::Value;

use super::config::Fork;
use super::error::BeaconError;
use super::types::{
    BeaconBlockHeader, ExecutionPayloadHeader, LightClientBootstrap, LightClientFinalityUpdate,
    LightClientHeader, LightClientOptimisticUpdate, LightClientUpdate, SyncAggregate,
    SyncCommittee, finality_branch_depth, sync_committee_branch_depth,
};
use crate::ssz::{Bitvector, ByteList, FixedVector};

fn err(msg: impl Into<String>) -> BeaconError {
    BeaconError::Json(msg.into())
}

fn field<'a>(v: &'a Value, name: &str) -> Result<&'a Value, BeaconError> {
    v.get(name)
        .ok_or_else(|| err(format!("missing field `{name}`")))
}

fn string<'a>(v: &'a Value, name: &str) -> Result<&'a str, BeaconError> {
    field(v, name)?
        .as_str()
        .ok_or_else(|| err(format!("field `{name}` is not a string")))
}

fn uint(v: &Value, name: &str) -> Result<u64, BeaconError> {
    match field(v, name)? {
        Value::String(s) => s
            .parse::<u64>()
            .map_err(|_| err(format!("field `{name}` is not a u64"))),
        Value::Number(n) => n
            .as_u64()
            .ok_or_else(|| err(format!("field `{name}` is not a u64"))),
        _ => Err(err(format!("field `{name}` is not a number"))),
    }
}

fn hex_bytes(s: &str, name: &str) -> Result<Vec<u8>, BeaconError> {
    let s = s
        .strip_prefix("0x")
        .ok_or_else(|| err(format!("field `{name}` lacks 0x prefix")))?;
    hex::decode(s).map_err(|_| err(format!("field `{name}` is not hex")))
}

fn fixed<const N: usize>(s: &str, name: &str) -> Result<[u8; N], BeaconError> {
    let bytes = hex_bytes(s, name)?;
    <[u8; N]>::try_from(bytes.as_slice())
        .map_err(|_| err(format!("field `{name}` must be {N} bytes")))
}

fn b256(v: &Value, name: &str) -> Result<B256, BeaconError> {
    Ok(B256::from(fixed::<32>(string(v, name)?, name)?))
}

fn roots(v: &Value, name: &str, depth: usize) -> Result<Vec<B256>, BeaconError> {
    let arr = field(v, name)?
        .as_array()
        .ok_or_else(|| err(format!("field `{name}` is not an array")))?;
    if arr.len() != depth {
        return Err(err(format!(
            "field `{name}` must have {depth} elements, has {}",
            arr.len()
        )));
    }
    arr.iter()
        .map(|r| {
            r.as_str()
                .ok_or_else(|| err(format!("`{name}` item is not a string")))
                .and_then(|s| fixed::<32>(s, name))
                .map(B256::from)
        })
        .collect()
}

fn beacon_header(v: &Value) -> Result<BeaconBlockHeader, BeaconError> {
    Ok(BeaconBlockHeader {
        slot: uint(v, "slot")?,
        proposer_index: uint(v, "proposer_index")?,
        parent_root: b256(v, "parent_root")?,
        state_root: b256(v, "state_root")?,
        body_root: b256(v, "body_root")?,
    })
}

/// Decodes a `BeaconBlockHeader` JSON object (e.g. `/eth/v1/beacon/headers/{id}`'s
/// `data.header.message`).
///
/// # Errors
/// [`BeaconError::Json`] if malformed.
pub fn beacon_block_header_from_value(v: &Value) -> Result<BeaconBlockHeader, BeaconError> {
    beacon_header(v)
}

fn execution(v: &Value, fork: Fork) -> Result<ExecutionPayloadHeader, BeaconError> {
    let base_fee = string(v, "base_fee_per_gas")?;
    let extra = hex_bytes(string(v, "extra_data")?, "extra_data")?;
    let deneb = fork >= Fork::Deneb;
    Ok(ExecutionPayloadHeader {
        parent_hash: b256(v, "parent_hash")?,
        fee_recipient: Address::from(fixed::<20>(string(v, "fee_recipient")?, "fee_recipient")?),
        state_root: b256(v, "state_root")?,
        receipts_root: b256(v, "receipts_root")?,
        logs_bloom: FixedBytes(fixed::<256>(string(v, "logs_bloom")?, "logs_bloom")?),
        prev_randao: b256(v, "prev_randao")?,
        block_number: uint(v, "block_number")?,
        gas_limit: uint(v, "gas_limit")?,
        gas_used: uint(v, "gas_used")?,
        timestamp: uint(v, "timestamp")?,
        extra_data: ByteList::new(extra).map_err(|_| err("extra_data longer than 32 bytes"))?,
        base_fee_per_gas: U256::from_str_radix(base_fee, 10)
            .map_err(|_| err("base_fee_per_gas is not a u256"))?,
        block_hash: b256(v, "block_hash")?,
        transactions_root: b256(v, "transactions_root")?,
        withdrawals_root: b256(v, "withdrawals_root")?,
        blob_gas_used: if deneb { uint(v, "blob_gas_used")? } else { 0 },
        excess_blob_gas: if deneb {
            uint(v, "excess_blob_gas")?
        } else {
            0
        },
    })
}

fn header(v: &Value, fork: Fork) -> Result<LightClientHeader, BeaconError> {
    let beacon = beacon_header(field(v, "beacon")?)?;
    if fork < Fork::Capella {
        return Ok(LightClientHeader {
            beacon,
            ..LightClientHeader::default()
        });
    }
    let branch = roots(v, "execution_branch", super::types::EXECUTION_BRANCH_DEPTH)?;
    Ok(LightClientHeader {
        beacon,
        execution: execution(field(v, "execution")?, fork)?,
        execution_branch: FixedVector::new(branch).map_err(|_| err("execution_branch length"))?,
    })
}

fn committee<const S: usize>(v: &Value) -> Result<SyncCommittee<S>, BeaconError> {
    let arr = field(v, "pubkeys")?
        .as_array()
        .ok_or_else(|| err("pubkeys is not an array"))?;
    if arr.len() != S {
        return Err(err(format!(
            "pubkeys must have {S} elements, has {}",
            arr.len()
        )));
    }
    let keys = arr
        .iter()
        .map(|k| {
            k.as_str()
                .ok_or_else(|| err("pubkey is not a string"))
                .and_then(|s| fixed::<48>(s, "pubkeys"))
                .map(FixedBytes)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SyncCommittee {
        pubkeys: FixedVector::new(keys).map_err(|_| err("pubkeys length"))?,
        aggregate_pubkey: FixedBytes(fixed::<48>(
            string(v, "aggregate_pubkey")?,
            "aggregate_pubkey",
        )?),
    })
}

fn aggregate<const S: usize>(v: &Value) -> Result<SyncAggregate<S>, BeaconError> {
    let bits = hex_bytes(string(v, "sync_committee_bits")?, "sync_committee_bits")?;
    Ok(SyncAggregate {
        sync_committee_bits: Bitvector::from_bytes(&bits)
            .map_err(|e| err(format!("sync_committee_bits: {e}")))?,
        sync_committee_signature: FixedBytes(fixed::<96>(
            string(v, "sync_committee_signature")?,
            "sync_committee_signature",
        )?),
    })
}

/// Splits a `{version, data}` envelope into its fork and data.
///
/// # Errors
/// [`BeaconError::Json`] if not an envelope; [`BeaconError::UnknownFork`].
pub fn envelope(v: &Value) -> Result<(Fork, &Value), BeaconError> {
    let fork = Fork::from_name(string(v, "version")?)?.require_light_client()?;
    Ok((fork, field(v, "data")?))
}

/// Parses JSON text.
///
/// # Errors
/// [`BeaconError::Json`] if the text is not JSON.
pub fn parse_text(text: &str) -> Result<Value, BeaconError> {
    serde_json::from_str(text).map_err(|e| err(format!("invalid JSON: {e}")))
}

/// Decodes the `data` of a bootstrap of `fork`.
///
/// # Errors
/// [`BeaconError::Json`] if malformed.
pub fn bootstrap_from_data<const S: usize>(
    v: &Value,
    fork: Fork,
) -> Result<LightClientBootstrap<S>, BeaconError> {
    Ok(LightClientBootstrap {
        header: header(field(v, "header")?, fork)?,
        current_sync_committee: committee(field(v, "current_sync_committee")?)?,
        current_sync_committee_branch: roots(
            v,
            "current_sync_committee_branch",
            sync_committee_branch_depth(fork),
        )?,
    })
}

/// Decodes the `data` of an update of `fork`.
///
/// # Errors
/// [`BeaconError::Json`] if malformed.
pub fn update_from_data<const S: usize>(
    v: &Value,
    fork: Fork,
) -> Result<LightClientUpdate<S>, BeaconError> {
    Ok(LightClientUpdate {
        attested_header: header(field(v, "attested_header")?, fork)?,
        next_sync_committee: committee(field(v, "next_sync_committee")?)?,
        next_sync_committee_branch: roots(
            v,
            "next_sync_committee_branch",
            sync_committee_branch_depth(fork),
        )?,
        finalized_header: header(field(v, "finalized_header")?, fork)?,
        finality_branch: roots(v, "finality_branch", finality_branch_depth(fork))?,
        sync_aggregate: aggregate(field(v, "sync_aggregate")?)?,
        signature_slot: uint(v, "signature_slot")?,
    })
}

/// Decodes the `data` of a finality update of `fork`.
///
/// # Errors
/// [`BeaconError::Json`] if malformed.
pub fn finality_update_from_data<const S: usize>(
    v: &Value,
    fork: Fork,
) -> Result<LightClientFinalityUpdate<S>, BeaconError> {
    Ok(LightClientFinalityUpdate {
        attested_header: header(field(v, "attested_header")?, fork)?,
        finalized_header: header(field(v, "finalized_header")?, fork)?,
        finality_branch: roots(v, "finality_branch", finality_branch_depth(fork))?,
        sync_aggregate: aggregate(field(v, "sync_aggregate")?)?,
        signature_slot: uint(v, "signature_slot")?,
    })
}

/// Decodes the `data` of an optimistic update of `fork`.
///
/// # Errors
/// [`BeaconError::Json`] if malformed.
pub fn optimistic_update_from_data<const S: usize>(
    v: &Value,
    fork: Fork,
) -> Result<LightClientOptimisticUpdate<S>, BeaconError> {
    Ok(LightClientOptimisticUpdate {
        attested_header: header(field(v, "attested_header")?, fork)?,
        sync_aggregate: aggregate(field(v, "sync_aggregate")?)?,
        signature_slot: uint(v, "signature_slot")?,
    })
}

/// Decodes a header's `data` given its fork (e.g. a stored finalized header).
///
/// # Errors
/// [`BeaconError::Json`] if malformed.
pub fn header_from_data(v: &Value, fork: Fork) -> Result<LightClientHeader, BeaconError> {
    header(v, fork)
}

/// Decodes a `SyncCommittee` JSON object.
///
/// # Errors
/// [`BeaconError::Json`] if malformed.
pub fn sync_committee_from_data<const S: usize>(
    v: &Value,
) -> Result<SyncCommittee<S>, BeaconError> {
    committee(v)
}
