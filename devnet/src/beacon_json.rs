//! Beacon API JSON and SSZ forms of the light-client objects the devnet serves.
//!
//! JSON: numbers as decimal strings, bytes as `0x` hex, bitvectors as the hex
//! of their SSZ bytes. SSZ: the Electra/Fulu containers.

use alloy_primitives::B256;
use preconf_light::beacon::{
    BeaconBlockHeader, ExecutionPayloadHeader, Fork, LightClientBootstrap,
    LightClientFinalityUpdate, LightClientHeader, LightClientOptimisticUpdate, LightClientUpdate,
    SyncAggregate, SyncCommittee,
};
use preconf_light::ssz::SszEncode;
use serde_json::{Value, json};

fn hex0x(b: &[u8]) -> String {
    format!("0x{}", hex::encode(b))
}

fn roots(r: &[B256]) -> Value {
    Value::Array(r.iter().map(|x| json!(format!("{x:#x}"))).collect())
}

/// `BeaconBlockHeader` JSON.
pub fn beacon_header(h: &BeaconBlockHeader) -> Value {
    json!({
        "slot": h.slot.to_string(),
        "proposer_index": h.proposer_index.to_string(),
        "parent_root": format!("{:#x}", h.parent_root),
        "state_root": format!("{:#x}", h.state_root),
        "body_root": format!("{:#x}", h.body_root),
    })
}

/// `LightClientHeader` JSON (Deneb and later shape).
pub fn lc_header(h: &LightClientHeader) -> Value {
    let e = &h.execution;
    json!({
        "beacon": beacon_header(&h.beacon),
        "execution": {
            "parent_hash": format!("{:#x}", e.parent_hash),
            "fee_recipient": format!("{:#x}", e.fee_recipient),
            "state_root": format!("{:#x}", e.state_root),
            "receipts_root": format!("{:#x}", e.receipts_root),
            "logs_bloom": hex0x(e.logs_bloom.as_slice()),
            "prev_randao": format!("{:#x}", e.prev_randao),
            "block_number": e.block_number.to_string(),
            "gas_limit": e.gas_limit.to_string(),
            "gas_used": e.gas_used.to_string(),
            "timestamp": e.timestamp.to_string(),
            "extra_data": hex0x(e.extra_data.as_slice()),
            "base_fee_per_gas": e.base_fee_per_gas.to_string(),
            "block_hash": format!("{:#x}", e.block_hash),
            "transactions_root": format!("{:#x}", e.transactions_root),
            "withdrawals_root": format!("{:#x}", e.withdrawals_root),
            "blob_gas_used": e.blob_gas_used.to_string(),
            "excess_blob_gas": e.excess_blob_gas.to_string(),
        },
        "execution_branch": roots(h.execution_branch.as_slice()),
    })
}

fn committee<const S: usize>(c: &SyncCommittee<S>) -> Value {
    json!({
        "pubkeys": c.pubkeys.as_slice().iter().map(|k| hex0x(k.as_slice())).collect::<Vec<_>>(),
        "aggregate_pubkey": hex0x(c.aggregate_pubkey.as_slice()),
    })
}

fn aggregate<const S: usize>(a: &SyncAggregate<S>) -> Value {
    json!({
        "sync_committee_bits": hex0x(&a.sync_committee_bits.to_ssz()),
        "sync_committee_signature": hex0x(a.sync_committee_signature.as_slice()),
    })
}

/// `{version, data}` envelope.
pub fn envelope(fork: Fork, data: Value) -> Value {
    json!({ "version": fork.name(), "data": data })
}

/// Bootstrap JSON data.
pub fn bootstrap<const S: usize>(b: &LightClientBootstrap<S>) -> Value {
    json!({
        "header": lc_header(&b.header),
        "current_sync_committee": committee(&b.current_sync_committee),
        "current_sync_committee_branch": roots(&b.current_sync_committee_branch),
    })
}

/// Update JSON data.
pub fn update<const S: usize>(u: &LightClientUpdate<S>) -> Value {
    json!({
        "attested_header": lc_header(&u.attested_header),
        "next_sync_committee": committee(&u.next_sync_committee),
        "next_sync_committee_branch": roots(&u.next_sync_committee_branch),
        "finalized_header": lc_header(&u.finalized_header),
        "finality_branch": roots(&u.finality_branch),
        "sync_aggregate": aggregate(&u.sync_aggregate),
        "signature_slot": u.signature_slot.to_string(),
    })
}

/// Finality update JSON data.
pub fn finality_update<const S: usize>(u: &LightClientFinalityUpdate<S>) -> Value {
    json!({
        "attested_header": lc_header(&u.attested_header),
        "finalized_header": lc_header(&u.finalized_header),
        "finality_branch": roots(&u.finality_branch),
        "sync_aggregate": aggregate(&u.sync_aggregate),
        "signature_slot": u.signature_slot.to_string(),
    })
}

/// Optimistic update JSON data.
pub fn optimistic_update<const S: usize>(u: &LightClientOptimisticUpdate<S>) -> Value {
    json!({
        "attested_header": lc_header(&u.attested_header),
        "sync_aggregate": aggregate(&u.sync_aggregate),
        "signature_slot": u.signature_slot.to_string(),
    })
}

fn branch_bytes(b: &[B256], out: &mut Vec<u8>) {
    for r in b {
        out.extend_from_slice(r.as_slice());
    }
}

/// SSZ of a bootstrap (Deneb and later: header is variable-size).
pub fn bootstrap_ssz<const S: usize>(b: &LightClientBootstrap<S>, fork: Fork) -> Vec<u8> {
    let header = b.header.to_ssz_fork(fork);
    let committee = b.current_sync_committee.to_ssz();
    let fixed = 4 + committee.len() + 32 * b.current_sync_committee_branch.len();
    let mut out = Vec::new();
    out.extend_from_slice(&(fixed as u32).to_le_bytes());
    out.extend_from_slice(&committee);
    branch_bytes(&b.current_sync_committee_branch, &mut out);
    out.extend_from_slice(&header);
    out
}

/// SSZ of a finality update.
pub fn finality_update_ssz<const S: usize>(
    u: &LightClientFinalityUpdate<S>,
    fork: Fork,
) -> Vec<u8> {
    let attested = u.attested_header.to_ssz_fork(fork);
    let finalized = u.finalized_header.to_ssz_fork(fork);
    let aggregate = u.sync_aggregate.to_ssz();
    let fixed = 4 + 4 + 32 * u.finality_branch.len() + aggregate.len() + 8;
    let mut out = Vec::new();
    out.extend_from_slice(&(fixed as u32).to_le_bytes());
    out.extend_from_slice(&((fixed + attested.len()) as u32).to_le_bytes());
    branch_bytes(&u.finality_branch, &mut out);
    out.extend_from_slice(&aggregate);
    out.extend_from_slice(&u.signature_slot.to_le_bytes());
    out.extend_from_slice(&attested);
    out.extend_from_slice(&finalized);
    out
}

/// SSZ of an optimistic update.
pub fn optimistic_update_ssz<const S: usize>(
    u: &LightClientOptimisticUpdate<S>,
    fork: Fork,
) -> Vec<u8> {
    let attested = u.attested_header.to_ssz_fork(fork);
    let aggregate = u.sync_aggregate.to_ssz();
    let fixed = 4 + aggregate.len() + 8;
    let mut out = Vec::new();
    out.extend_from_slice(&(fixed as u32).to_le_bytes());
    out.extend_from_slice(&aggregate);
    out.extend_from_slice(&u.signature_slot.to_le_bytes());
    out.extend_from_slice(&attested);
    out
}

/// A full `SignedBeaconBlock` message body's JSON (Electra/Fulu shape).
pub fn block_body<const S: usize>(
    randao_reveal: &[u8],
    graffiti: B256,
    sync_aggregate: &SyncAggregate<S>,
    payload: &ExecutionPayloadHeader,
    transactions: &[Vec<u8>],
) -> Value {
    let e = payload;
    json!({
        "randao_reveal": hex0x(randao_reveal),
        "eth1_data": {
            "deposit_root": format!("{:#x}", B256::ZERO),
            "deposit_count": "0",
            "block_hash": format!("{:#x}", B256::ZERO),
        },
        "graffiti": format!("{graffiti:#x}"),
        "proposer_slashings": [], "attester_slashings": [], "attestations": [],
        "deposits": [], "voluntary_exits": [],
        "sync_aggregate": aggregate(sync_aggregate),
        "execution_payload": {
            "parent_hash": format!("{:#x}", e.parent_hash),
            "fee_recipient": format!("{:#x}", e.fee_recipient),
            "state_root": format!("{:#x}", e.state_root),
            "receipts_root": format!("{:#x}", e.receipts_root),
            "logs_bloom": hex0x(e.logs_bloom.as_slice()),
            "prev_randao": format!("{:#x}", e.prev_randao),
            "block_number": e.block_number.to_string(),
            "gas_limit": e.gas_limit.to_string(),
            "gas_used": e.gas_used.to_string(),
            "timestamp": e.timestamp.to_string(),
            "extra_data": hex0x(e.extra_data.as_slice()),
            "base_fee_per_gas": e.base_fee_per_gas.to_string(),
            "block_hash": format!("{:#x}", e.block_hash),
            "transactions": transactions.iter().map(|t| hex0x(t)).collect::<Vec<_>>(),
            "withdrawals": [],
            "blob_gas_used": e.blob_gas_used.to_string(),
            "excess_blob_gas": e.excess_blob_gas.to_string(),
        },
        "bls_to_execution_changes": [],
        "blob_kzg_commitments": [],
        "execution_requests": { "deposits": [], "withdrawals": [], "consolidations": [] },
    })
}
