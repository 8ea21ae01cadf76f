//! Stateless re-execution of a block from a witness.
//!
//! ```text
//!  parent state root (trusted) + witness (eth_getProof results, codes, extra nodes)
//!        │ verify every proof ──► ProvenState + witness node map
//!  header + raw transactions (+ withdrawals)
//!        │ transactions root checked against the header
//!        │ revm executes every transaction over the ProvenState
//!        │ (anything unproven ──► NeedsState; an invalid tx ──► InvalidTransaction)
//!        │ receipts root and gas used recomputed ──► compared with the header
//!        │ post-state applied to a sparse trie built from the witness nodes
//!        │ (storage tries, then the account trie; a collapse onto a sibling
//!        │  that is not in the witness ──► MissingWitness)
//!        └► post-state root == header.stateRoot ──► Verified<ReexecutedBlock>
//! ```
//!
//! Pre-block system calls (EIP-4788 beacon roots, EIP-2935 block hashes) and
//! Prague execution requests are not run. So that this can never produce a
//! false verdict, the witness must prove that the system contracts of the
//! block's fork are absent (they are requested through `NeedsState`); if one
//! is deployed the answer is [`EvmError::UnsupportedSystemContract`].

use alloy_primitives::{Address, B256, Bytes, U256, address, keccak256};
use alloy_trie::{EMPTY_ROOT_HASH, TrieAccount};
use serde_json::Value;

use super::env::{BlockContext, EvmSpec, decode_signed};
use super::error::EvmError;
use super::exec::{Evm, build_evm, final_accounts, run_tx};
use super::state::ProvenState;
use super::trie::{NodeMap, SparseTrie};
use crate::Verified;
use crate::execution::{
    ExecutionHeader, Receipt, Withdrawal, receipts_root, transactions_root, verify_account_proof,
    withdrawals_root,
};

/// EIP-4788 beacon roots contract (Cancun).
const BEACON_ROOTS_ADDRESS: Address = address!("0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02");
/// EIP-2935 block hash history contract (Prague).
const HISTORY_STORAGE_ADDRESS: Address = address!("0x0000F90827F1C53a10cb7A02335B175320002935");
/// EIP-7002 withdrawal request contract (Prague).
const WITHDRAWAL_REQUEST_ADDRESS: Address = address!("0x00000961Ef480Eb55e80D19ad83579A64c007002");
/// EIP-7251 consolidation request contract (Prague).
const CONSOLIDATION_REQUEST_ADDRESS: Address =
    address!("0x0000BBdDc7CE488642fb579F8B00f3a590007251");

/// Wei per gwei (withdrawal amounts are in gwei).
const WEI_PER_GWEI: u64 = 1_000_000_000;

/// Pre-state for re-executing one block.
#[derive(Debug, Clone, Default)]
pub struct Witness {
    /// `eth_getProof` results against the parent state root, for every
    /// account (and slot) the block touches.
    pub proofs: Vec<Value>,
    /// Code of every contract executed.
    pub codes: Vec<Bytes>,
    /// Further trie nodes (e.g. siblings needed when a deletion collapses a branch).
    pub extra_nodes: Vec<Bytes>,
    /// Block hashes for BLOCKHASH, trusted by the caller (e.g. certified ancestors).
    pub block_hashes: Vec<(u64, B256)>,
}

/// A block whose post-state root and receipts root re-execution reproduced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReexecutedBlock {
    /// Block number.
    pub number: u64,
    /// Block hash (of the header that was checked).
    pub block_hash: B256,
    /// The parent state root execution started from.
    pub pre_state_root: B256,
    /// The recomputed post-state root (equal to the header's).
    pub state_root: B256,
    /// The recomputed receipts root (equal to the header's).
    pub receipts_root: B256,
    /// Gas used (equal to the header's).
    pub gas_used: u64,
    /// Number of transactions executed.
    pub transactions: usize,
}

/// The block to re-execute.
#[derive(Debug, Clone)]
pub struct BlockInput<'a> {
    /// The header claimed for the block (e.g. a certified L2 header).
    pub header: &'a ExecutionHeader,
    /// Raw EIP-2718 transactions, in order.
    pub transactions: &'a [Bytes],
    /// Withdrawals (Shanghai and later), in order.
    pub withdrawals: &'a [Withdrawal],
    /// Chain id.
    pub chain_id: u64,
    /// Rules.
    pub spec: EvmSpec,
}

fn json_err(field: &str, reason: &str) -> EvmError {
    EvmError::InvalidInput {
        field: field.to_owned(),
        reason: reason.to_owned(),
    }
}

fn hex_bytes(v: &Value, field: &str) -> Result<Bytes, EvmError> {
    let s = v.as_str().ok_or_else(|| json_err(field, "not a string"))?;
    let s = s.strip_prefix("0x").unwrap_or(s);
    hex::decode(s)
        .map(Bytes::from)
        .map_err(|_| json_err(field, "bad hex"))
}

fn collect_nodes(list: Option<&Value>, field: &str, into: &mut NodeMap) -> Result<(), EvmError> {
    let arr = list
        .and_then(Value::as_array)
        .ok_or_else(|| json_err(field, "missing proof array"))?;
    for n in arr {
        let node = hex_bytes(n, field)?;
        into.insert(keccak256(&node), node);
    }
    Ok(())
}

/// Verifies the witness against `pre_state_root`: the proven state and the node map.
fn load_witness(
    pre_state_root: B256,
    witness: &Witness,
) -> Result<(ProvenState, NodeMap), EvmError> {
    let mut state = ProvenState::new(pre_state_root);
    let mut nodes = NodeMap::new();
    for proof in &witness.proofs {
        let account = verify_account_proof(pre_state_root, proof)?;
        state.add_account(&account)?;
        let r = proof.get("result").unwrap_or(proof);
        collect_nodes(r.get("accountProof"), "accountProof", &mut nodes)?;
        for slot in r
            .get("storageProof")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            collect_nodes(slot.get("proof"), "storageProof.proof", &mut nodes)?;
        }
    }
    for node in &witness.extra_nodes {
        nodes.insert(keccak256(node), node.clone());
    }
    for code in &witness.codes {
        state.add_code(code);
    }
    for (number, hash) in &witness.block_hashes {
        state.add_trusted_block_hash(*number, *hash);
    }
    Ok((state, nodes))
}

fn check_needs(evm: &Evm<'_>) -> Result<(), EvmError> {
    match evm.ctx.journaled_state.database.db.needs() {
        Some(needs) => Err(EvmError::NeedsState(needs)),
        None => Ok(()),
    }
}

/// The system contracts whose calls the block's fork would make.
fn system_contracts(spec: EvmSpec, header: &ExecutionHeader) -> Vec<Address> {
    let mut out = Vec::new();
    if spec != EvmSpec::Shanghai && header.parent_beacon_block_root.is_some() {
        out.push(BEACON_ROOTS_ADDRESS);
    }
    if spec == EvmSpec::Prague {
        out.extend([
            HISTORY_STORAGE_ADDRESS,
            WITHDRAWAL_REQUEST_ADDRESS,
            CONSOLIDATION_REQUEST_ADDRESS,
        ]);
    }
    out
}

/// Requires the witness to prove every system contract absent.
fn check_system_contracts(
    state: &ProvenState,
    spec: EvmSpec,
    header: &ExecutionHeader,
) -> Result<(), EvmError> {
    let mut missing = Vec::new();
    for address in system_contracts(spec, header) {
        match state.accounts.get(&address) {
            None => missing.push(address),
            Some(acc) if acc.exists => {
                return Err(EvmError::UnsupportedSystemContract { address });
            }
            Some(_) => {}
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(EvmError::NeedsState(super::state::NeedsState {
            accounts: missing,
            ..Default::default()
        }))
    }
}

/// Credits withdrawals (in gwei) to their recipients.
fn apply_withdrawals(evm: &mut Evm<'_>, withdrawals: &[Withdrawal]) -> Result<(), EvmError> {
    use revm::database::AccountState as DbAccountState;
    let db = &mut evm.ctx.journaled_state.database;
    for w in withdrawals {
        if w.amount_gwei == 0 {
            continue;
        }
        let wei = U256::from(w.amount_gwei)
            .checked_mul(U256::from(WEI_PER_GWEI))
            .ok_or_else(|| json_err("withdrawals", "amount overflows"))?;
        let acc = db.load_account(w.address).map_err(|_| EvmError::Evm {
            reason: "proven state read failed".to_owned(),
        })?;
        acc.info.balance = acc
            .info
            .balance
            .checked_add(wei)
            .ok_or_else(|| json_err("withdrawals", "balance overflows"))?;
        if matches!(
            acc.account_state,
            DbAccountState::NotExisting | DbAccountState::None
        ) {
            acc.account_state = DbAccountState::Touched;
        }
    }
    Ok(())
}

/// Re-executes `block` from `witness` over `pre_state_root` (the parent's
/// state root, which the caller trusts) and checks the header's gas used,
/// receipts root and post-state root.
///
/// # Errors
/// [`EvmError::NeedsState`] if the witness lacks an account, slot or code,
/// [`EvmError::MissingWitness`] if a trie update needs a node the witness lacks,
/// a proof error ([`EvmError::Execution`]) if a witness proof is forged or
/// against another root; evidence of an invalid block:
/// [`EvmError::TransactionsRootMismatch`], [`EvmError::InvalidTransaction`],
/// [`EvmError::GasUsedMismatch`], [`EvmError::ReceiptsRootMismatch`],
/// [`EvmError::PostStateRootMismatch`].
pub fn reexecute_block(
    pre_state_root: B256,
    block: &BlockInput<'_>,
    witness: &Witness,
) -> Result<Verified<ReexecutedBlock>, EvmError> {
    let header = block.header;
    let tx_root = transactions_root(block.transactions);
    if tx_root != header.transactions_root {
        return Err(EvmError::TransactionsRootMismatch {
            computed: tx_root,
            expected: header.transactions_root,
        });
    }
    if let Some(expected) = header.withdrawals_root {
        let computed = withdrawals_root(block.withdrawals);
        if computed != expected {
            return Err(json_err(
                "withdrawals",
                "do not match the header's withdrawals root",
            ));
        }
    }

    let (state, nodes) = load_witness(pre_state_root, witness)?;
    check_system_contracts(&state, block.spec, header)?;
    let ctx = BlockContext::from_header(header, block.chain_id, block.spec);
    let mut evm = build_evm(&state, &ctx, false);

    let mut receipts = Vec::with_capacity(block.transactions.len());
    let mut cumulative: u64 = 0;
    for (index, raw) in block.transactions.iter().enumerate() {
        let decoded = decode_signed(raw, index)?;
        let outcome = match run_tx(&mut evm, decoded.env)? {
            Ok(o) => o,
            Err(reason) => {
                check_needs(&evm)?;
                return Err(EvmError::InvalidTransaction { index, reason });
            }
        };
        cumulative = cumulative
            .checked_add(outcome.gas_used)
            .ok_or_else(|| json_err("gasUsed", "overflow"))?;
        receipts.push(Receipt {
            tx_type: decoded.tx_type,
            success: outcome.success,
            cumulative_gas_used: cumulative,
            logs: outcome.logs,
        });
    }
    apply_withdrawals(&mut evm, block.withdrawals)?;
    check_needs(&evm)?;

    if cumulative != header.gas_used {
        return Err(EvmError::GasUsedMismatch {
            computed: cumulative,
            expected: header.gas_used,
        });
    }
    let receipts_root = receipts_root(&receipts);
    if receipts_root != header.receipts_root {
        return Err(EvmError::ReceiptsRootMismatch {
            computed: receipts_root,
            expected: header.receipts_root,
        });
    }

    let state_root = post_state_root(&evm, &state, &nodes)?;
    if state_root != header.state_root {
        return Err(EvmError::PostStateRootMismatch {
            computed: state_root,
            expected: header.state_root,
        });
    }
    Ok(Verified::new_unchecked(ReexecutedBlock {
        number: header.number,
        block_hash: header.hash_slow(),
        pre_state_root,
        state_root,
        receipts_root,
        gas_used: cumulative,
        transactions: block.transactions.len(),
    }))
}

/// Applies the execution's final state to the witness tries.
fn post_state_root(evm: &Evm<'_>, pre: &ProvenState, nodes: &NodeMap) -> Result<B256, EvmError> {
    let mut accounts = SparseTrie::from_root(pre.state_root());
    for (address, fin) in final_accounts(evm) {
        let before = pre.accounts.get(&address);
        let key = keccak256(address);
        let Some((nonce, balance, code_hash)) = fin.info else {
            if before.is_some_and(|b| b.exists) {
                accounts.remove(nodes, &key)?;
            }
            continue;
        };
        let pre_storage_root = before.map_or(EMPTY_ROOT_HASH, |b| b.storage_hash);
        let start = if fin.storage_cleared {
            EMPTY_ROOT_HASH
        } else {
            pre_storage_root
        };
        let mut storage = SparseTrie::from_root(start);
        let mut storage_changed = start != pre_storage_root;
        for (slot, value) in &fin.storage {
            let old = if fin.storage_cleared {
                U256::ZERO
            } else {
                before
                    .and_then(|b| b.storage.get(slot).copied())
                    .unwrap_or(U256::ZERO)
            };
            if old == *value {
                continue;
            }
            storage_changed = true;
            let hashed = keccak256(slot);
            if value.is_zero() {
                storage.remove(nodes, &hashed)?;
            } else {
                storage.insert(nodes, &hashed, alloy_rlp::encode(value))?;
            }
        }
        let unchanged = before.is_some_and(|b| {
            b.exists && b.nonce == nonce && b.balance == balance && b.code_hash == code_hash
        }) && !storage_changed;
        if unchanged {
            continue;
        }
        let leaf = TrieAccount {
            nonce,
            balance,
            storage_root: storage.root(),
            code_hash,
        };
        accounts.insert(nodes, &key, alloy_rlp::encode(leaf))?;
    }
    Ok(accounts.root())
}
