//! Running transactions with revm over a [`ProvenState`], and reading back
//! what changed.

use std::collections::BTreeMap;

use alloy_primitives::{Address, B256, Bytes, KECCAK256_EMPTY, U256};
use revm::context::result::{ExecutionResult, HaltReason};
use revm::context::{CfgEnv, Context, TxEnv};
use revm::database::{AccountState as DbAccountState, CacheDB};
use revm::handler::MainnetContext;
use revm::handler::{ExecuteCommitEvm, MainBuilder, MainContext, MainnetEvm};

use super::env::BlockContext;
use super::error::EvmError;
use super::state::{ProvenDb, ProvenState};
use crate::execution::Log;

pub(crate) type Db<'a> = CacheDB<ProvenDb<'a>>;
pub(crate) type Evm<'a> = MainnetEvm<MainnetContext<Db<'a>>>;

/// Solidity's `Error(string)` selector.
const ERROR_STRING_SELECTOR: [u8; 4] = [0x08, 0xc3, 0x79, 0xa0];
/// Solidity's `Panic(uint256)` selector.
const PANIC_SELECTOR: [u8; 4] = [0x4e, 0x48, 0x7b, 0x71];
/// Length of the selector that prefixes ABI-encoded revert data.
const SELECTOR_LEN: usize = 4;
/// One ABI word.
const ABI_WORD: usize = 32;
/// Where the string length sits in `Error(string)` data (after its offset word),
/// as the low 8 bytes of the second word.
const ERROR_STRING_LEN_BYTES: core::ops::Range<usize> = (2 * ABI_WORD - 8)..(2 * ABI_WORD);

/// The outcome of one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxOutcome {
    /// Whether it succeeded (status 1).
    pub success: bool,
    /// Return data (or revert data).
    pub output: Bytes,
    /// Decoded revert reason (`Error(string)`, `Panic(uint256)`) or halt reason.
    pub revert_reason: Option<String>,
    /// Gas used (after refunds).
    pub gas_used: u64,
    /// Logs emitted.
    pub logs: Vec<Log>,
    /// Address of the contract created, if any.
    pub created: Option<Address>,
}

/// A changed storage slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotChange {
    /// The slot.
    pub slot: B256,
    /// Value before.
    pub before: U256,
    /// Value after.
    pub after: U256,
}

/// How one account changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountChange {
    /// The account.
    pub address: Address,
    /// Balance before and after.
    pub balance: (U256, U256),
    /// Nonce before and after.
    pub nonce: (u64, u64),
    /// Code hash before and after.
    pub code_hash: (B256, B256),
    /// Whether the account exists afterwards.
    pub exists_after: bool,
    /// Changed storage slots, sorted.
    pub storage: Vec<SlotChange>,
}

/// Builds an EVM over the proven state.
pub(crate) fn build_evm<'a>(
    state: &'a ProvenState,
    block: &BlockContext,
    call_mode: bool,
) -> Evm<'a> {
    let mut cfg = CfgEnv::new_with_spec(block.spec.spec_id());
    cfg.chain_id = block.chain_id;
    if call_mode {
        cfg.disable_base_fee = true;
        cfg.disable_balance_check = true;
    }
    Context::mainnet()
        .with_db(CacheDB::new(ProvenDb::new(state)))
        .with_block(block.block_env())
        .with_cfg(cfg)
        .build_mainnet()
}

/// Executes and commits one transaction. `Ok(Err(reason))` means the
/// transaction is invalid in this state (nonce, balance, gas...).
pub(crate) fn run_tx(evm: &mut Evm<'_>, tx: TxEnv) -> Result<Result<TxOutcome, String>, EvmError> {
    match evm.transact_commit(tx) {
        Ok(result) => Ok(Ok(outcome(result))),
        Err(revm::context::result::EVMError::Transaction(e)) => Ok(Err(e.to_string())),
        Err(revm::context::result::EVMError::Header(e)) => Ok(Err(e.to_string())),
        Err(e) => Err(EvmError::Evm {
            reason: e.to_string(),
        }),
    }
}

/// The sender's nonce in the current state (for unsigned calls).
pub(crate) fn nonce_of(evm: &mut Evm<'_>, address: Address) -> u64 {
    use revm::Database;
    evm.ctx
        .journaled_state
        .database
        .basic(address)
        .ok()
        .flatten()
        .map_or(0, |a| a.nonce)
}

fn outcome(result: ExecutionResult<HaltReason>) -> TxOutcome {
    let gas_used = result.tx_gas_used();
    let created = result.created_address();
    match result {
        ExecutionResult::Success { logs, output, .. } => TxOutcome {
            success: true,
            output: output.into_data(),
            revert_reason: None,
            gas_used,
            logs: logs.into_iter().map(convert_log).collect(),
            created,
        },
        ExecutionResult::Revert { logs, output, .. } => TxOutcome {
            success: false,
            revert_reason: Some(revert_reason(&output)),
            output,
            gas_used,
            logs: logs.into_iter().map(convert_log).collect(),
            created: None,
        },
        ExecutionResult::Halt { reason, logs, .. } => TxOutcome {
            success: false,
            output: Bytes::new(),
            revert_reason: Some(format!("halt: {reason:?}")),
            gas_used,
            logs: logs.into_iter().map(convert_log).collect(),
            created: None,
        },
    }
}

fn convert_log(log: revm::primitives::Log) -> Log {
    Log {
        address: log.address,
        topics: log.data.topics().to_vec(),
        data: log.data.data,
    }
}

/// Decodes revert data: `Error(string)`, `Panic(uint256)`, or hex.
pub(crate) fn revert_reason(output: &[u8]) -> String {
    if let (Some(sel), Some(body)) = (output.get(..SELECTOR_LEN), output.get(SELECTOR_LEN..)) {
        if sel == ERROR_STRING_SELECTOR {
            // ABI: offset (32) | length (32) | bytes
            let len = body
                .get(ERROR_STRING_LEN_BYTES)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map(u64::from_be_bytes)
                .and_then(|l| usize::try_from(l).ok());
            if let Some(text) =
                len.and_then(|l| body.get(2 * ABI_WORD..(2 * ABI_WORD).checked_add(l)?))
            {
                return String::from_utf8_lossy(text).into_owned();
            }
        } else if sel == PANIC_SELECTOR
            && let Some(code) = body.get(..ABI_WORD)
        {
            return format!("panic 0x{:x}", U256::from_be_slice(code));
        }
    }
    if output.is_empty() {
        "reverted without data".to_owned()
    } else {
        format!("0x{}", hex::encode(output))
    }
}

/// The final state of an account after execution, as the cache holds it.
pub(crate) struct FinalAccount {
    /// `None` if the account does not exist afterwards.
    pub(crate) info: Option<(u64, U256, B256)>,
    /// Whether its storage was wiped (creation, self-destruct).
    pub(crate) storage_cleared: bool,
    /// Slots written or read (absolute values).
    pub(crate) storage: BTreeMap<B256, U256>,
}

/// Reads back every account the execution loaded, with EIP-161 applied
/// (touched empty accounts are removed).
pub(crate) fn final_accounts(evm: &Evm<'_>) -> BTreeMap<Address, FinalAccount> {
    let cache = &evm.ctx.journaled_state.database.cache;
    let mut out = BTreeMap::new();
    for (address, acc) in &cache.accounts {
        let deleted = match acc.account_state {
            DbAccountState::NotExisting => true,
            DbAccountState::Touched | DbAccountState::StorageCleared => acc.info.is_empty(),
            DbAccountState::None => false,
        };
        let info = (!deleted).then(|| {
            let code_hash = if acc.info.code_hash == B256::ZERO {
                KECCAK256_EMPTY
            } else {
                acc.info.code_hash
            };
            (acc.info.nonce, acc.info.balance, code_hash)
        });
        out.insert(
            *address,
            FinalAccount {
                info,
                storage_cleared: acc.account_state == DbAccountState::StorageCleared,
                storage: acc
                    .storage
                    .iter()
                    .map(|(k, v)| (B256::from(*k), *v))
                    .collect(),
            },
        );
    }
    out
}

/// What changed relative to the proven pre-state (accounts never loaded are unchanged).
pub(crate) fn changes(evm: &Evm<'_>, pre: &ProvenState) -> Vec<AccountChange> {
    let mut out = Vec::new();
    for (address, fin) in final_accounts(evm) {
        let before = pre.accounts.get(&address);
        let (b_nonce, b_bal, b_code, b_exists) = before
            .map_or((0, U256::ZERO, KECCAK256_EMPTY, false), |a| {
                (a.nonce, a.balance, a.code_hash, a.exists)
            });
        let (a_nonce, a_bal, a_code) = fin.info.unwrap_or((0, U256::ZERO, KECCAK256_EMPTY));
        let mut storage = Vec::new();
        for (slot, after) in &fin.storage {
            let before_v = before
                .and_then(|a| a.storage.get(slot).copied())
                .unwrap_or(U256::ZERO);
            if before_v != *after {
                storage.push(SlotChange {
                    slot: *slot,
                    before: before_v,
                    after: *after,
                });
            }
        }
        let changed = b_nonce != a_nonce
            || b_bal != a_bal
            || b_code != a_code
            || b_exists != fin.info.is_some()
            || !storage.is_empty();
        if changed {
            out.push(AccountChange {
                address,
                balance: (b_bal, a_bal),
                nonce: (b_nonce, a_nonce),
                code_hash: (b_code, a_code),
                exists_after: fin.info.is_some(),
                storage,
            });
        }
    }
    out
}
