//! Account and storage proofs (`eth_getProof`, EIP-1186) and code (`eth_getCode`).
//!
//! The account proof is walked from the state root along
//! `keccak256(address)`; what it proves (an account `[nonce, balance,
//! storageRoot, codeHash]`, or absence) is then compared with every field the
//! response states. Each storage proof is walked from the *proven* storage
//! root along `keccak256(slot)`; absence proves the value zero. Any stated
//! field that disagrees with the proof is a lie and the whole response is
//! rejected with [`ExecutionError::ProofValueMismatch`]; nothing is corrected.

use alloy_primitives::{Address, B256, Bytes, KECCAK256_EMPTY, U256, keccak256};
use alloy_trie::EMPTY_ROOT_HASH;
use serde_json::Value;

use super::error::ExecutionError;
use super::json::{self, array, field, get};
use super::mpt::prove;
use super::rlp_util::{list_payload, take};
use crate::Verified;

/// RLP context name for account leaves.
const ACCOUNT_CONTEXT: &str = "account leaf";
/// RLP context name for storage leaves.
const STORAGE_CONTEXT: &str = "storage leaf";

/// A storage slot and the value a proof proves it holds (zero if absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageSlot {
    /// The slot (the key passed to `eth_getProof`, before hashing).
    pub key: B256,
    /// The proven value.
    pub value: U256,
}

/// An account state proven against a state root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    /// The state root the proof was checked against.
    pub state_root: B256,
    /// The account address.
    pub address: Address,
    /// Whether the account exists in the state trie.
    pub exists: bool,
    /// Balance in wei (zero if absent).
    pub balance: U256,
    /// Nonce (zero if absent).
    pub nonce: u64,
    /// Code hash (`keccak256("")` if absent or code-less).
    pub code_hash: B256,
    /// Storage root (the empty root if absent or storage-less).
    pub storage_hash: B256,
    /// Proven storage slots, in the order of the response.
    pub storage: Vec<StorageSlot>,
}

/// The fields of an account leaf.
struct ProvenAccount {
    nonce: u64,
    balance: U256,
    storage_root: B256,
    code_hash: B256,
}

fn decode_account(leaf: &[u8]) -> Result<ProvenAccount, ExecutionError> {
    let mut p = list_payload(leaf, ACCOUNT_CONTEXT)?;
    let buf = &mut p;
    let account = ProvenAccount {
        nonce: take(buf, ACCOUNT_CONTEXT)?,
        balance: take(buf, ACCOUNT_CONTEXT)?,
        storage_root: take(buf, ACCOUNT_CONTEXT)?,
        code_hash: take(buf, ACCOUNT_CONTEXT)?,
    };
    if !buf.is_empty() {
        return Err(ExecutionError::InvalidRlp {
            context: ACCOUNT_CONTEXT,
            reason: "extra fields".to_owned(),
        });
    }
    Ok(account)
}

fn decode_storage_value(leaf: &[u8]) -> Result<U256, ExecutionError> {
    let mut buf = leaf;
    let value: U256 = take(&mut buf, STORAGE_CONTEXT)?;
    if !buf.is_empty() {
        return Err(ExecutionError::InvalidRlp {
            context: STORAGE_CONTEXT,
            reason: "trailing bytes".to_owned(),
        });
    }
    Ok(value)
}

/// Reads a proof array of `0x` node strings.
fn proof_nodes(obj: &Value, key: &str) -> Result<Vec<Bytes>, ExecutionError> {
    array(field(obj, key)?, key)?
        .iter()
        .map(|n| json::data(n, key))
        .collect()
}

fn lie(field: impl Into<String>) -> ExecutionError {
    ExecutionError::ProofValueMismatch {
        field: field.into(),
    }
}

/// Verifies an `eth_getProof` result (or a full JSON-RPC response around one)
/// against a verified state root.
///
/// # Errors
/// [`ExecutionError::InvalidProof`] if a proof does not chain to its root,
/// [`ExecutionError::ProofValueMismatch`] if a stated field (balance, nonce,
/// codeHash, storageHash, a storage value) disagrees with what the proof
/// proves, or a decoding error.
pub fn verify_account_proof(
    state_root: B256,
    response: &Value,
) -> Result<Verified<AccountState>, ExecutionError> {
    let r = json::rpc_result(response)?;
    let address = get(r, "address", json::address)?;
    let stated_balance = get(r, "balance", json::quantity_u256)?;
    let stated_nonce = get(r, "nonce", json::quantity_u64)?;
    let stated_code_hash = get(r, "codeHash", json::b256)?;
    let stated_storage_hash = get(r, "storageHash", json::b256)?;

    let account_proof = proof_nodes(r, "accountProof")?;
    let proven = prove(state_root, keccak256(address).as_slice(), &account_proof).map_err(|e| {
        ExecutionError::InvalidProof {
            subject: format!("account {address}"),
            reason: e.reason(),
        }
    })?;
    let (exists, account) = match proven {
        Some(leaf) => (true, decode_account(&leaf)?),
        None => (
            false,
            ProvenAccount {
                nonce: 0,
                balance: U256::ZERO,
                storage_root: EMPTY_ROOT_HASH,
                code_hash: KECCAK256_EMPTY,
            },
        ),
    };
    if stated_balance != account.balance {
        return Err(lie("balance"));
    }
    if stated_nonce != account.nonce {
        return Err(lie("nonce"));
    }
    // Geth reports a zero code hash for an absent account; nothing else may differ.
    let code_hash_ok =
        stated_code_hash == account.code_hash || (!exists && stated_code_hash == B256::ZERO);
    if !code_hash_ok {
        return Err(lie("codeHash"));
    }
    let storage_hash_ok = stated_storage_hash == account.storage_root
        || (!exists && stated_storage_hash == B256::ZERO);
    if !storage_hash_ok {
        return Err(lie("storageHash"));
    }

    let mut storage = Vec::new();
    for (i, slot) in array(field(r, "storageProof")?, "storageProof")?
        .iter()
        .enumerate()
    {
        let key = get(slot, "key", json::word)?;
        let stated_value = get(slot, "value", json::quantity_u256)?;
        let nodes = proof_nodes(slot, "proof")?;
        let proven =
            prove(account.storage_root, keccak256(key).as_slice(), &nodes).map_err(|e| {
                ExecutionError::InvalidProof {
                    subject: format!("storage slot {key} of {address}"),
                    reason: e.reason(),
                }
            })?;
        let value = match proven {
            Some(leaf) => decode_storage_value(&leaf)?,
            None => U256::ZERO,
        };
        if value != stated_value {
            return Err(lie(format!("storageProof[{i}].value")));
        }
        storage.push(StorageSlot { key, value });
    }

    Ok(Verified::new_unchecked(AccountState {
        state_root,
        address,
        exists,
        balance: account.balance,
        nonce: account.nonce,
        code_hash: account.code_hash,
        storage_hash: account.storage_root,
        storage,
    }))
}

/// Like [`verify_account_proof`], and also checks that the response answers
/// for `address` and exactly the storage `keys` requested, in order.
///
/// # Errors
/// As [`verify_account_proof`], plus [`ExecutionError::ProofSubjectMismatch`].
pub fn verify_account_proof_for(
    state_root: B256,
    address: Address,
    keys: &[B256],
    response: &Value,
) -> Result<Verified<AccountState>, ExecutionError> {
    let state = verify_account_proof(state_root, response)?;
    if state.address != address {
        return Err(ExecutionError::ProofSubjectMismatch { what: "address" });
    }
    let answered = state.storage.iter().map(|s| s.key);
    if state.storage.len() != keys.len() || !answered.eq(keys.iter().copied()) {
        return Err(ExecutionError::ProofSubjectMismatch {
            what: "storage key",
        });
    }
    Ok(state)
}

/// Checks code (from `eth_getCode`) against a proven account's code hash.
///
/// # Errors
/// [`ExecutionError::CodeHashMismatch`].
pub fn verify_code(
    account: &Verified<AccountState>,
    code: &[u8],
) -> Result<Verified<Bytes>, ExecutionError> {
    let computed = keccak256(code);
    if computed != account.code_hash {
        return Err(ExecutionError::CodeHashMismatch {
            computed,
            expected: account.code_hash,
        });
    }
    Ok(Verified::new_unchecked(Bytes::copy_from_slice(code)))
}

/// Checks an `eth_getCode` result (a `0x` string, or a full JSON-RPC response
/// around one) against a proven account's code hash.
///
/// # Errors
/// [`ExecutionError::CodeHashMismatch`] or a decoding error.
pub fn verify_code_json(
    account: &Verified<AccountState>,
    response: &Value,
) -> Result<Verified<Bytes>, ExecutionError> {
    let code = json::data(json::rpc_result(response)?, "code")?;
    verify_code(account, &code)
}
