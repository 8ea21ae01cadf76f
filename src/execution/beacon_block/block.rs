//! [`SignedBeaconBlock`]: a full beacon block of one fork, from SSZ (fork
//! named by the caller) or from the Beacon-API JSON envelope (fork from its
//! `version`), with its body root and the payload fields it carries.

use alloy_primitives::{B256, Bloom, Bytes};
use serde_json::Value;

use super::codec::{FromBeaconJson, SszFailure, SszLocate, member, nest, offset_in};
use super::types::{
    BeaconBlockBodyBellatrix, BeaconBlockBodyCapella, BeaconBlockBodyDeneb, BeaconBlockBodyElectra,
    ExecutionPayloadBellatrix, ExecutionPayloadCapella, ExecutionPayloadDeneb, ExecutionRequests,
    KzgCommitment, PayloadWithdrawal,
};
use crate::beacon::{BeaconBlockHeader, BlsSignature, Fork};
use crate::execution::error::ExecutionError;
use crate::execution::json::{field, invalid};
use crate::execution::payload::PayloadFields;
use crate::execution::transaction::Withdrawal;
use crate::ssz::{FieldLen, SszDecode, SszEncode, TreeHash, sha256, split_container};

/// `DEPOSIT_REQUEST_TYPE` (EIP-6110).
pub const DEPOSIT_REQUEST_TYPE: u8 = 0x00;
/// `WITHDRAWAL_REQUEST_TYPE` (EIP-7002).
pub const WITHDRAWAL_REQUEST_TYPE: u8 = 0x01;
/// `CONSOLIDATION_REQUEST_TYPE` (EIP-7251).
pub const CONSOLIDATION_REQUEST_TYPE: u8 = 0x02;

/// A beacon block body of one fork.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BeaconBlockBody {
    /// Bellatrix.
    Bellatrix(BeaconBlockBodyBellatrix),
    /// Capella.
    Capella(BeaconBlockBodyCapella),
    /// Deneb.
    Deneb(BeaconBlockBodyDeneb),
    /// Electra and Fulu (same container).
    Electra(BeaconBlockBodyElectra),
}

/// Runs `$body` with `$b` bound to the body of whichever fork.
macro_rules! with_body {
    ($body:expr, $b:ident => $e:expr) => {
        match $body {
            BeaconBlockBody::Bellatrix($b) => $e,
            BeaconBlockBody::Capella($b) => $e,
            BeaconBlockBody::Deneb($b) => $e,
            BeaconBlockBody::Electra($b) => $e,
        }
    };
}

/// The forks with an execution payload; others are [`ExecutionError::WrongFork`].
fn require_payload_fork(fork: Fork) -> Result<Fork, ExecutionError> {
    if fork < Fork::Bellatrix {
        return Err(ExecutionError::WrongFork(format!(
            "{} blocks carry no execution payload",
            fork.name()
        )));
    }
    Ok(fork)
}

/// Parses a Beacon-API fork name.
///
/// # Errors
/// [`ExecutionError::WrongFork`] for an unknown name or a fork without payload.
pub fn payload_fork(name: &str) -> Result<Fork, ExecutionError> {
    let fork = Fork::from_name(name)
        .map_err(|_| ExecutionError::WrongFork(name.chars().take(32).collect()))?;
    require_payload_fork(fork)
}

impl BeaconBlockBody {
    fn from_ssz_fork(bytes: &[u8], fork: Fork) -> Result<Self, SszFailure> {
        fn decode<T: SszLocate>(bytes: &[u8]) -> Result<T, SszFailure> {
            T::from_ssz(bytes).map_err(|e| T::locate(bytes).unwrap_or(SszFailure::here(e)))
        }
        Ok(match fork {
            Fork::Phase0 | Fork::Altair | Fork::Bellatrix => Self::Bellatrix(decode(bytes)?),
            Fork::Capella => Self::Capella(decode(bytes)?),
            Fork::Deneb => Self::Deneb(decode(bytes)?),
            Fork::Electra | Fork::Fulu => Self::Electra(decode(bytes)?),
        })
    }

    fn from_json_fork(value: &Value, fork: Fork) -> Result<Self, ExecutionError> {
        Ok(match fork {
            Fork::Phase0 | Fork::Altair | Fork::Bellatrix => {
                Self::Bellatrix(FromBeaconJson::from_json(value)?)
            }
            Fork::Capella => Self::Capella(FromBeaconJson::from_json(value)?),
            Fork::Deneb => Self::Deneb(FromBeaconJson::from_json(value)?),
            Fork::Electra | Fork::Fulu => Self::Electra(FromBeaconJson::from_json(value)?),
        })
    }

    /// `hash_tree_root(body)`.
    pub fn tree_hash_root(&self) -> B256 {
        with_body!(self, b => b.tree_hash_root())
    }

    /// The SSZ encoding.
    pub fn to_ssz(&self) -> Vec<u8> {
        with_body!(self, b => b.to_ssz())
    }

    /// Blob KZG commitments (empty before Deneb).
    pub fn blob_kzg_commitments(&self) -> &[KzgCommitment] {
        match self {
            Self::Bellatrix(_) | Self::Capella(_) => &[],
            Self::Deneb(b) => b.blob_kzg_commitments.as_slice(),
            Self::Electra(b) => b.blob_kzg_commitments.as_slice(),
        }
    }

    /// Execution requests (Electra on).
    pub fn execution_requests(&self) -> Option<&ExecutionRequests> {
        match self {
            Self::Electra(b) => Some(&b.execution_requests),
            _ => None,
        }
    }

    /// The payload's fields in the form the block-hash check takes.
    pub(crate) fn payload_fields(&self) -> PayloadFields {
        match self {
            Self::Bellatrix(b) => bellatrix_fields(&b.execution_payload),
            Self::Capella(b) => capella_fields(&b.execution_payload),
            Self::Deneb(b) => deneb_fields(&b.execution_payload),
            Self::Electra(b) => deneb_fields(&b.execution_payload),
        }
    }
}

fn withdrawals(list: &[PayloadWithdrawal]) -> Vec<Withdrawal> {
    list.iter()
        .map(|w| Withdrawal {
            index: w.index,
            validator_index: w.validator_index,
            address: w.address,
            amount_gwei: w.amount,
        })
        .collect()
}

/// Builds [`PayloadFields`] from any payload container (same field names).
macro_rules! common_fields {
    ($p:expr, $withdrawals:expr, $blob_gas_used:expr, $excess_blob_gas:expr) => {
        PayloadFields {
            parent_hash: $p.parent_hash,
            fee_recipient: $p.fee_recipient,
            state_root: $p.state_root,
            receipts_root: $p.receipts_root,
            logs_bloom: Bloom::from($p.logs_bloom.0),
            prev_randao: $p.prev_randao,
            block_number: $p.block_number,
            gas_limit: $p.gas_limit,
            gas_used: $p.gas_used,
            timestamp: $p.timestamp,
            extra_data: Bytes::copy_from_slice($p.extra_data.as_slice()),
            base_fee_per_gas: $p.base_fee_per_gas,
            block_hash: $p.block_hash,
            transactions: $p
                .transactions
                .as_slice()
                .iter()
                .map(|t| Bytes::copy_from_slice(t.as_slice()))
                .collect(),
            withdrawals: $withdrawals,
            blob_gas_used: $blob_gas_used,
            excess_blob_gas: $excess_blob_gas,
        }
    };
}

fn bellatrix_fields(p: &ExecutionPayloadBellatrix) -> PayloadFields {
    common_fields!(p, None, None, None)
}

fn capella_fields(p: &ExecutionPayloadCapella) -> PayloadFields {
    common_fields!(p, Some(withdrawals(p.withdrawals.as_slice())), None, None)
}

fn deneb_fields(p: &ExecutionPayloadDeneb) -> PayloadFields {
    common_fields!(
        p,
        Some(withdrawals(p.withdrawals.as_slice())),
        Some(p.blob_gas_used),
        Some(p.excess_blob_gas)
    )
}

/// The EIP-7685 `requests_hash` of Electra execution requests:
/// `sha256(sha256(type ++ ssz(list)) for each non-empty list, in type order)`
/// (the spec's `get_execution_requests_list`, hashed as the EL header does).
pub fn requests_hash(requests: &ExecutionRequests) -> B256 {
    let lists = [
        (DEPOSIT_REQUEST_TYPE, requests.deposits.to_ssz()),
        (WITHDRAWAL_REQUEST_TYPE, requests.withdrawals.to_ssz()),
        (CONSOLIDATION_REQUEST_TYPE, requests.consolidations.to_ssz()),
    ];
    let mut outer = Vec::with_capacity(32 * lists.len());
    for (ty, data) in lists {
        if data.is_empty() {
            continue;
        }
        let mut typed = Vec::with_capacity(1 + data.len());
        typed.push(ty);
        typed.extend_from_slice(&data);
        outer.extend_from_slice(sha256(&typed).as_slice());
    }
    sha256(&outer)
}

/// A `SignedBeaconBlock` of `fork` (mainnet preset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedBeaconBlock {
    /// The fork whose containers the block uses.
    pub fork: Fork,
    /// Slot.
    pub slot: u64,
    /// Proposer index.
    pub proposer_index: u64,
    /// Parent block root.
    pub parent_root: B256,
    /// State root after the block.
    pub state_root: B256,
    /// The body.
    pub body: BeaconBlockBody,
    /// Proposer signature (not checked: the block is authenticated by its
    /// root against a verified header instead).
    pub signature: BlsSignature,
}

/// SSZ length of the fixed part of `BeaconBlock`: slot, proposer, two roots, body offset.
const BLOCK_FIXED_LEN: usize = 8 + 8 + 32 + 32;

impl SignedBeaconBlock {
    /// Decodes the SSZ bytes of `/eth/v2/beacon/blocks/{id}`
    /// (`application/octet-stream`); `fork` comes from the response's
    /// `Eth-Consensus-Version` header, never from the bytes.
    ///
    /// # Errors
    /// [`ExecutionError::WrongFork`] for a fork without payload;
    /// [`ExecutionError::BeaconSsz`] naming the failing field and its byte position.
    pub fn from_ssz(bytes: &[u8], fork: Fork) -> Result<Self, ExecutionError> {
        let fork = require_payload_fork(fork)?;
        Self::decode_ssz(bytes, fork).map_err(SszFailure::into_error)
    }

    fn decode_ssz(bytes: &[u8], fork: Fork) -> Result<Self, SszFailure> {
        let signed = split_container(bytes, &[FieldLen::Variable, FieldLen::Fixed(96)])
            .map_err(SszFailure::here)?;
        let [message, signature] = signed.as_slice() else {
            return Err(SszFailure::here(crate::ssz::SszError::TooShort {
                need: 100,
                got: bytes.len(),
            }));
        };
        let base = offset_in(bytes, message);
        let at = |f: SszFailure| f.within("message", base);
        let layout = [
            FieldLen::Fixed(8),
            FieldLen::Fixed(8),
            FieldLen::Fixed(32),
            FieldLen::Fixed(32),
            FieldLen::Variable,
        ];
        let parts = split_container(message, &layout).map_err(|e| at(SszFailure::here(e)))?;
        let [slot, proposer, parent, state, body] = parts.as_slice() else {
            return Err(at(SszFailure::here(crate::ssz::SszError::TooShort {
                need: BLOCK_FIXED_LEN + 4,
                got: message.len(),
            })));
        };
        let fixed = |name: &'static str, part: &[u8]| {
            let pos = base.saturating_add(offset_in(message, part));
            move |e| SszFailure::here(e).within(name, 0).within("message", pos)
        };
        Ok(Self {
            fork,
            slot: u64::from_ssz(slot).map_err(fixed("slot", slot))?,
            proposer_index: u64::from_ssz(proposer).map_err(fixed("proposer_index", proposer))?,
            parent_root: B256::from_ssz(parent).map_err(fixed("parent_root", parent))?,
            state_root: B256::from_ssz(state).map_err(fixed("state_root", state))?,
            body: BeaconBlockBody::from_ssz_fork(body, fork)
                .map_err(|f| at(f.within("body", offset_in(message, body))))?,
            signature: BlsSignature::from_ssz(signature).map_err(|e| {
                SszFailure::here(e).within("signature", offset_in(bytes, signature))
            })?,
        })
    }

    /// Reads the Beacon-API JSON of `/eth/v2/beacon/blocks/{id}`: the
    /// envelope `{ version, data: { message, signature } }`, or a bare
    /// `{ message, signature }` when `fork` is given. If both a `version`
    /// and `fork` are present they must agree.
    ///
    /// # Errors
    /// [`ExecutionError::WrongFork`]; [`ExecutionError::InvalidJson`] naming the field path.
    pub fn from_json(value: &Value, fork: Option<Fork>) -> Result<Self, ExecutionError> {
        let version = value.get("version").and_then(Value::as_str);
        let fork = match (version.map(payload_fork).transpose()?, fork) {
            (Some(v), Some(f)) if v != f => {
                return Err(ExecutionError::WrongFork(format!(
                    "block version {} but {} expected",
                    v.name(),
                    f.name()
                )));
            }
            (Some(v), _) => v,
            (None, Some(f)) => require_payload_fork(f)?,
            (None, None) => return Err(invalid("version", "missing; name the fork")),
        };
        let signed = value.get("data").unwrap_or(value);
        let message = field(signed, "message")?;
        let body = field(message, "body")?;
        Ok(Self {
            fork,
            slot: member(message, "slot").map_err(|e| nest(e, "message"))?,
            proposer_index: member(message, "proposer_index").map_err(|e| nest(e, "message"))?,
            parent_root: member(message, "parent_root").map_err(|e| nest(e, "message"))?,
            state_root: member(message, "state_root").map_err(|e| nest(e, "message"))?,
            body: BeaconBlockBody::from_json_fork(body, fork)
                .map_err(|e| nest(nest(e, "body"), "message"))?,
            signature: member(signed, "signature")?,
        })
    }

    /// The SSZ encoding of the block (the `application/octet-stream` form).
    pub fn to_ssz(&self) -> Vec<u8> {
        let body = self.body.to_ssz();
        let message_len = BLOCK_FIXED_LEN + 4 + body.len();
        let mut out = Vec::with_capacity(4 + 96 + message_len);
        out.extend_from_slice(&(4u32 + 96).to_le_bytes());
        out.extend_from_slice(self.signature.as_slice());
        self.slot.ssz_append(&mut out);
        self.proposer_index.ssz_append(&mut out);
        out.extend_from_slice(self.parent_root.as_slice());
        out.extend_from_slice(self.state_root.as_slice());
        out.extend_from_slice(&((BLOCK_FIXED_LEN + 4) as u32).to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    /// `hash_tree_root(body)`.
    pub fn body_root(&self) -> B256 {
        self.body.tree_hash_root()
    }

    /// The block's header (body root computed from the body).
    pub fn header(&self) -> BeaconBlockHeader {
        BeaconBlockHeader {
            slot: self.slot,
            proposer_index: self.proposer_index,
            parent_root: self.parent_root,
            state_root: self.state_root,
            body_root: self.body_root(),
        }
    }

    /// The block root (`hash_tree_root(message)` = root of its header).
    pub fn block_root(&self) -> B256 {
        self.header().tree_hash_root()
    }
}
