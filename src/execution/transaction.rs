//! Transactions and withdrawals of a block body, and their trie roots.
//!
//! `eth_getBlockBy*(…, true)` returns transactions as JSON objects, not raw
//! bytes, so each one is re-encoded into its EIP-2718 envelope from its fields
//! (signature included). The envelope must hash to the object's own `hash`,
//! and the ordered trie of all envelopes must give the header's
//! `transactionsRoot`. Supported types: legacy (0), EIP-2930 (1),
//! EIP-1559 (2), EIP-4844 (3, without blob sidecar) and EIP-7702 (4).

use alloy_primitives::{Address, B256, Bytes, U256, keccak256};
use alloy_rlp::Encodable;
use alloy_trie::root::{ordered_trie_root_encoded, ordered_trie_root_with_encoder};
use serde_json::Value;

use super::error::ExecutionError;
use super::json::{self, array, field, get, get_opt, invalid, opt_field};
use super::rlp_util::encode_list;

/// Legacy (pre-EIP-2718) transaction type.
pub const TX_TYPE_LEGACY: u8 = 0;
/// EIP-2930 access-list transaction type.
pub const TX_TYPE_EIP2930: u8 = 1;
/// EIP-1559 dynamic-fee transaction type.
pub const TX_TYPE_EIP1559: u8 = 2;
/// EIP-4844 blob transaction type.
pub const TX_TYPE_EIP4844: u8 = 3;
/// EIP-7702 set-code transaction type.
pub const TX_TYPE_EIP7702: u8 = 4;

/// A beacon-chain withdrawal as it appears in an execution block (EIP-4895).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Withdrawal {
    /// Monotonic withdrawal index.
    pub index: u64,
    /// Validator index.
    pub validator_index: u64,
    /// Recipient.
    pub address: Address,
    /// Amount in gwei.
    pub amount_gwei: u64,
}

impl Withdrawal {
    /// Reads one entry of a block's `withdrawals` array.
    ///
    /// # Errors
    /// [`ExecutionError::InvalidJson`] for a missing or malformed field.
    pub fn from_json(w: &Value) -> Result<Self, ExecutionError> {
        Ok(Self {
            index: get(w, "index", json::quantity_u64)?,
            validator_index: get(w, "validatorIndex", json::quantity_u64)?,
            address: get(w, "address", json::address)?,
            amount_gwei: get(w, "amount", json::quantity_u64)?,
        })
    }

    fn encode(&self, out: &mut Vec<u8>) {
        encode_list(out, |p| {
            self.index.encode(p);
            self.validator_index.encode(p);
            self.address.encode(p);
            self.amount_gwei.encode(p);
        });
    }
}

/// The withdrawals root of a list of withdrawals.
pub fn withdrawals_root(withdrawals: &[Withdrawal]) -> B256 {
    ordered_trie_root_with_encoder(withdrawals, Withdrawal::encode)
}

/// The transactions root of raw EIP-2718 envelopes (legacy transactions as
/// their RLP list, typed ones as `type || rlp(fields)`).
pub fn transactions_root(envelopes: &[Bytes]) -> B256 {
    ordered_trie_root_encoded(envelopes)
}

/// Reads `key` as a quantity and RLP-encodes it.
fn put_quantity(p: &mut Vec<u8>, tx: &Value, key: &str) -> Result<(), ExecutionError> {
    get(tx, key, json::quantity_u256)?.encode(p);
    Ok(())
}

/// Encodes `to`, where `null` or absent means contract creation (empty string).
fn put_to(p: &mut Vec<u8>, tx: &Value, required: bool) -> Result<(), ExecutionError> {
    match get_opt(tx, "to", json::address)? {
        Some(to) => to.encode(p),
        None if required => return Err(invalid("to", "required for this transaction type")),
        None => Bytes::new().encode(p),
    }
    Ok(())
}

/// Encodes the call data (`input`, or `data` on some older nodes).
fn put_input(p: &mut Vec<u8>, tx: &Value) -> Result<(), ExecutionError> {
    let input = match opt_field(tx, "input") {
        Some(v) => json::data(v, "input")?,
        None => get(tx, "data", json::data)?,
    };
    input.encode(p);
    Ok(())
}

/// Encodes an EIP-2930 access list.
fn put_access_list(p: &mut Vec<u8>, tx: &Value) -> Result<(), ExecutionError> {
    let items = array(field(tx, "accessList")?, "accessList")?;
    let mut encoded = Vec::new();
    for item in items {
        let address = get(item, "address", json::address)?;
        let keys = array(field(item, "storageKeys")?, "storageKeys")?
            .iter()
            .map(|k| json::b256(k, "storageKeys"))
            .collect::<Result<Vec<_>, _>>()?;
        encode_list(&mut encoded, |e| {
            address.encode(e);
            keys.encode(e);
        });
    }
    alloy_rlp::Header {
        list: true,
        payload_length: encoded.len(),
    }
    .encode(p);
    p.extend_from_slice(&encoded);
    Ok(())
}

/// Encodes an EIP-7702 authorization list.
fn put_authorization_list(p: &mut Vec<u8>, tx: &Value) -> Result<(), ExecutionError> {
    let items = array(field(tx, "authorizationList")?, "authorizationList")?;
    let mut encoded = Vec::new();
    for item in items {
        let mut one = Vec::new();
        put_quantity(&mut one, item, "chainId")?;
        get(item, "address", json::address)?.encode(&mut one);
        put_quantity(&mut one, item, "nonce")?;
        put_y_parity(&mut one, item)?;
        put_quantity(&mut one, item, "r")?;
        put_quantity(&mut one, item, "s")?;
        encode_list(&mut encoded, |e| e.extend_from_slice(&one));
    }
    alloy_rlp::Header {
        list: true,
        payload_length: encoded.len(),
    }
    .encode(p);
    p.extend_from_slice(&encoded);
    Ok(())
}

/// Encodes the signature parity of a typed transaction (`yParity`, or `v` on
/// nodes that only give `v`).
fn put_y_parity(p: &mut Vec<u8>, obj: &Value) -> Result<(), ExecutionError> {
    let parity = match opt_field(obj, "yParity") {
        Some(v) => json::quantity_u256(v, "yParity")?,
        None => get(obj, "v", json::quantity_u256)?,
    };
    if parity > U256::from(1u8) {
        return Err(invalid("yParity", "not 0 or 1"));
    }
    parity.encode(p);
    Ok(())
}

/// Rebuilds the EIP-2718 envelope of one transaction object.
///
/// # Errors
/// [`ExecutionError::InvalidJson`] for a missing or malformed field,
/// [`ExecutionError::UnsupportedTxType`] for a type outside 0..=4.
pub fn envelope_from_json(tx: &Value) -> Result<Bytes, ExecutionError> {
    let tx_type = get_opt(tx, "type", json::quantity_u64)?.unwrap_or(0);
    let tx_type = u8::try_from(tx_type).map_err(|_| ExecutionError::UnsupportedTxType(tx_type))?;
    let mut body = Vec::new();
    match tx_type {
        TX_TYPE_LEGACY => {
            put_quantity(&mut body, tx, "nonce")?;
            put_quantity(&mut body, tx, "gasPrice")?;
            put_quantity(&mut body, tx, "gas")?;
            put_to(&mut body, tx, false)?;
            put_quantity(&mut body, tx, "value")?;
            put_input(&mut body, tx)?;
            put_quantity(&mut body, tx, "v")?;
        }
        TX_TYPE_EIP2930 => {
            put_quantity(&mut body, tx, "chainId")?;
            put_quantity(&mut body, tx, "nonce")?;
            put_quantity(&mut body, tx, "gasPrice")?;
            put_quantity(&mut body, tx, "gas")?;
            put_to(&mut body, tx, false)?;
            put_quantity(&mut body, tx, "value")?;
            put_input(&mut body, tx)?;
            put_access_list(&mut body, tx)?;
            put_y_parity(&mut body, tx)?;
        }
        TX_TYPE_EIP1559 | TX_TYPE_EIP4844 | TX_TYPE_EIP7702 => {
            let needs_to = tx_type != TX_TYPE_EIP1559;
            put_quantity(&mut body, tx, "chainId")?;
            put_quantity(&mut body, tx, "nonce")?;
            put_quantity(&mut body, tx, "maxPriorityFeePerGas")?;
            put_quantity(&mut body, tx, "maxFeePerGas")?;
            put_quantity(&mut body, tx, "gas")?;
            put_to(&mut body, tx, needs_to)?;
            put_quantity(&mut body, tx, "value")?;
            put_input(&mut body, tx)?;
            put_access_list(&mut body, tx)?;
            if tx_type == TX_TYPE_EIP4844 {
                put_quantity(&mut body, tx, "maxFeePerBlobGas")?;
                let hashes = array(field(tx, "blobVersionedHashes")?, "blobVersionedHashes")?
                    .iter()
                    .map(|h| json::b256(h, "blobVersionedHashes"))
                    .collect::<Result<Vec<_>, _>>()?;
                hashes.encode(&mut body);
            }
            if tx_type == TX_TYPE_EIP7702 {
                put_authorization_list(&mut body, tx)?;
            }
            put_y_parity(&mut body, tx)?;
        }
        other => return Err(ExecutionError::UnsupportedTxType(u64::from(other))),
    }
    put_quantity(&mut body, tx, "r")?;
    put_quantity(&mut body, tx, "s")?;
    let mut out = Vec::with_capacity(body.len().saturating_add(8));
    if tx_type != TX_TYPE_LEGACY {
        out.push(tx_type);
    }
    encode_list(&mut out, |p| p.extend_from_slice(&body));
    Ok(Bytes::from(out))
}

/// Rebuilds every transaction object's envelope and checks each against the
/// object's stated `hash` (when present). Returns envelopes and hashes in order.
///
/// # Errors
/// As [`envelope_from_json`], plus [`ExecutionError::TransactionHashMismatch`].
pub(crate) fn envelopes_from_json(
    txs: &[Value],
) -> Result<(Vec<Bytes>, Vec<B256>), ExecutionError> {
    let mut envelopes = Vec::with_capacity(txs.len());
    let mut hashes = Vec::with_capacity(txs.len());
    for (index, tx) in txs.iter().enumerate() {
        let envelope = envelope_from_json(tx)?;
        let computed = keccak256(&envelope);
        if let Some(stated) = get_opt(tx, "hash", json::b256)?
            && stated != computed
        {
            return Err(ExecutionError::TransactionHashMismatch {
                index,
                computed,
                stated,
            });
        }
        envelopes.push(envelope);
        hashes.push(computed);
    }
    Ok((envelopes, hashes))
}
