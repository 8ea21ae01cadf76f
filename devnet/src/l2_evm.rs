//! L2 execution with revm: the sequencer's and builder's blocks run every
//! transaction through revm (Prague rules, the block's base fee, no tips)
//! over an in-memory copy of the parent state, and read the post-state back
//! into [`L2State`], from which the devnet computes the real state trie.
//! `eth_call` runs the same way with fee and balance checks off.
//!
//! ```text
//!  parent L2State ──► CacheDB<EmptyDB> ──► revm transact_commit per tx
//!        (invalid txs are left out of the block)      │
//!  post L2State ◄── accounts read back (empty accounts dropped, EIP-161)
//!        └──► state_root (accounts + storage tries)
//! ```
//!
//! The demo contract `Burner` (see the README for its assembly) lives at
//! [`BURNER_ADDRESS`] from genesis.

use std::collections::BTreeMap;

use alloy_primitives::{Address, B256, Bytes, KECCAK256_EMPTY, TxKind, U256, address, keccak256};
use preconf_light::execution::{Log, Receipt};
use revm::bytecode::Bytecode;
use revm::context::result::ExecutionResult;
use revm::context::{BlockEnv, CfgEnv, Context, TxEnv};
use revm::context_interface::block::BlobExcessGasAndPrice;
use revm::database::{CacheDB, EmptyDB};
use revm::handler::{ExecuteCommitEvm, ExecuteEvm, MainBuilder, MainContext};
use revm::primitives::hardfork::SpecId;
use revm::state::AccountInfo;

use crate::el::{encode_account, trie};

/// One L2 account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct L2Account {
    /// Nonce.
    pub nonce: u64,
    /// Balance.
    pub balance: U256,
    /// Code (empty for externally owned accounts).
    pub code: Bytes,
    /// Non-zero storage slots.
    pub storage: BTreeMap<B256, U256>,
}

impl L2Account {
    /// An externally owned account.
    pub fn eoa(nonce: u64, balance: U256) -> Self {
        Self {
            nonce,
            balance,
            ..Self::default()
        }
    }

    /// `keccak256(code)`.
    pub fn code_hash(&self) -> B256 {
        if self.code.is_empty() {
            KECCAK256_EMPTY
        } else {
            keccak256(&self.code)
        }
    }

    /// The storage trie root, with the proof of `slot` if given.
    pub fn storage_trie(&self, slot: Option<B256>) -> (B256, Vec<Bytes>) {
        let leaves = self
            .storage
            .iter()
            .map(|(k, v)| (keccak256(k), alloy_rlp::encode(v)))
            .collect();
        trie(leaves, slot.map(keccak256))
    }

    /// The account's RLP leaf in the state trie.
    pub fn leaf(&self) -> Vec<u8> {
        encode_account(
            self.nonce,
            self.balance,
            self.storage_trie(None).0,
            self.code_hash(),
        )
    }
}

/// The L2 world state.
pub type L2State = BTreeMap<Address, L2Account>;

/// The state root of `state`, with the account proof of `address` if given.
pub fn state_trie(state: &L2State, address: Option<Address>) -> (B256, Vec<Bytes>) {
    let leaves = state
        .iter()
        .map(|(a, acc)| (keccak256(a), acc.leaf()))
        .collect();
    trie(leaves, address.map(keccak256))
}

/// Address of the demo `Burner` contract on L2.
pub const BURNER_ADDRESS: Address = address!("00000000000000000000000000000000000b0001");

/// Calldata of the Burner's `burn(recipient)`: selector, then the recipient
/// left-padded to a word.
pub fn burn_calldata(recipient: Address) -> Bytes {
    let mut input = keccak256(b"burn(address)")[..4].to_vec();
    input.extend_from_slice(B256::left_padding_from(recipient.as_slice()).as_slice());
    input.into()
}

/// `Burned(address indexed recipient, uint256 amount)` event signature.
pub const BURNED_EVENT: &[u8] = b"Burned(address,uint256)";

/// Storage slot of the Burner's total burned amount.
pub const TOTAL_BURNED_SLOT: B256 = B256::ZERO;

/// The Burner's runtime code (assembly in the devnet README): a call with
/// value adds it to slot 0 and logs `Burned(calldata[4..36], value)`; a call
/// without value returns slot 0 (`totalBurned()`).
pub fn burner_code() -> Bytes {
    let mut code = hex::decode("34600f5760005460005260206000f35b346000540160005534600052600435")
        .unwrap_or_default();
    code.push(0x7f); // PUSH32 topic0
    code.extend_from_slice(keccak256(BURNED_EVENT).as_slice());
    code.extend_from_slice(&[0x60, 0x20, 0x60, 0x00, 0xa2, 0x00]); // LOG2 STOP
    code.into()
}

/// The block a transaction runs in.
#[derive(Debug, Clone, Copy)]
pub struct L2BlockEnv {
    /// Chain id.
    pub chain_id: u64,
    /// Number.
    pub number: u64,
    /// Timestamp.
    pub timestamp: u64,
    /// Gas limit.
    pub gas_limit: u64,
    /// Base fee.
    pub base_fee: u64,
}

fn evm_db(state: &L2State) -> CacheDB<EmptyDB> {
    let mut db = CacheDB::new(EmptyDB::default());
    for (a, acc) in state {
        let code = (!acc.code.is_empty()).then(|| Bytecode::new_raw(acc.code.clone()));
        db.insert_account_info(
            *a,
            AccountInfo {
                balance: acc.balance,
                nonce: acc.nonce,
                code_hash: acc.code_hash(),
                code,
                ..Default::default()
            },
        );
        for (k, v) in &acc.storage {
            // The accounts were just inserted: this cannot fail.
            let _ = db.insert_account_storage(*a, U256::from_be_bytes(k.0), *v);
        }
    }
    db
}

fn cfg_block(env: &L2BlockEnv, call: bool) -> (CfgEnv, BlockEnv) {
    let mut cfg = CfgEnv::new_with_spec(SpecId::PRAGUE);
    cfg.chain_id = env.chain_id;
    if call {
        cfg.disable_base_fee = true;
        cfg.disable_balance_check = true;
    }
    let block = BlockEnv {
        number: U256::from(env.number),
        beneficiary: Address::ZERO,
        timestamp: U256::from(env.timestamp),
        gas_limit: env.gas_limit,
        basefee: env.base_fee,
        difficulty: U256::ZERO,
        prevrandao: Some(B256::ZERO),
        blob_excess_gas_and_price: Some(BlobExcessGasAndPrice::new_with_spec(0, SpecId::PRAGUE)),
        ..Default::default()
    };
    (cfg, block)
}

fn tx_env(tx: &crate::el::Tx) -> TxEnv {
    TxEnv {
        tx_type: 2,
        caller: tx.from,
        gas_limit: tx.gas,
        gas_price: u128::from(tx.max_fee),
        kind: TxKind::Call(tx.to),
        value: tx.value,
        data: tx.input.clone(),
        nonce: tx.nonce,
        chain_id: Some(tx.chain_id),
        gas_priority_fee: Some(0),
        ..Default::default()
    }
}

fn convert_logs(logs: Vec<revm::primitives::Log>) -> Vec<Log> {
    logs.into_iter()
        .map(|l| Log {
            address: l.address,
            topics: l.data.topics().to_vec(),
            data: l.data.data,
        })
        .collect()
}

/// What executing a block's transactions produced.
#[derive(Debug, Clone, Default)]
pub struct Executed {
    /// Post-state.
    pub state: L2State,
    /// The transactions included (valid ones), in order.
    pub included: Vec<crate::el::Tx>,
    /// One receipt per included transaction.
    pub receipts: Vec<Receipt>,
    /// Total gas used.
    pub gas_used: u64,
}

/// Runs `txs` in order on `state`; transactions revm rejects as invalid
/// (nonce, balance, fee) are left out, reverted ones are included with
/// status 0. `must_succeed[i]` drops transaction `i` if it reverts (a
/// cross-domain leg whose post-assertion failed).
pub fn execute(state: &L2State, env: &L2BlockEnv, txs: &[(crate::el::Tx, bool)]) -> Executed {
    let (cfg, block) = cfg_block(env, false);
    let mut evm = Context::mainnet()
        .with_db(evm_db(state))
        .with_block(block)
        .with_cfg(cfg)
        .build_mainnet();
    let mut out = Executed::default();
    for (tx, must_succeed) in txs {
        if *must_succeed {
            // Dry run first: a failing leg leaves no trace.
            match evm.transact(tx_env(tx)) {
                Ok(r) if r.result.is_success() => {}
                _ => continue,
            }
        }
        let Ok(result) = evm.transact_commit(tx_env(tx)) else {
            continue;
        };
        let gas = result.tx_gas_used();
        out.gas_used += gas;
        let (success, logs) = match result {
            ExecutionResult::Success { logs, .. } => (true, logs),
            ExecutionResult::Revert { .. } | ExecutionResult::Halt { .. } => (false, Vec::new()),
        };
        out.receipts.push(Receipt {
            tx_type: 2,
            success,
            cumulative_gas_used: out.gas_used,
            logs: convert_logs(logs),
        });
        out.included.push(tx.clone());
    }
    let db = &evm.ctx.journaled_state.database;
    for (a, acc) in &db.cache.accounts {
        let Some(info) = acc.info() else { continue };
        let code = db
            .cache
            .contracts
            .get(&info.code_hash)
            .map(|c| c.original_bytes())
            .unwrap_or_default();
        let storage: BTreeMap<B256, U256> = acc
            .storage
            .iter()
            .filter(|(_, v)| !v.is_zero())
            .map(|(k, v)| (B256::from(*k), *v))
            .collect();
        let account = L2Account {
            nonce: info.nonce,
            balance: info.balance,
            code: if info.code_hash == KECCAK256_EMPTY {
                Bytes::new()
            } else {
                code
            },
            storage,
        };
        if account == L2Account::default() {
            continue;
        }
        out.state.insert(*a, account);
    }
    out
}

/// `eth_call`: runs a call from `from` to `to` on `state` without
/// committing; returns the output, or the revert/halt reason.
///
/// # Errors
/// A message for invalid calls, reverts and halts.
pub fn call(
    state: &L2State,
    env: &L2BlockEnv,
    from: Address,
    to: Address,
    data: Bytes,
    value: U256,
) -> Result<Bytes, String> {
    let (cfg, block) = cfg_block(env, true);
    let mut evm = Context::mainnet()
        .with_db(evm_db(state))
        .with_block(block)
        .with_cfg(cfg)
        .build_mainnet();
    let nonce = state.get(&from).map_or(0, |a| a.nonce);
    let tx = TxEnv {
        tx_type: 0,
        caller: from,
        gas_limit: env.gas_limit,
        gas_price: 0,
        kind: TxKind::Call(to),
        value,
        data,
        nonce,
        chain_id: Some(env.chain_id),
        ..Default::default()
    };
    match evm.transact(tx) {
        Ok(r) => match r.result {
            ExecutionResult::Success { output, .. } => Ok(output.into_data()),
            ExecutionResult::Revert { output, .. } => {
                Err(format!("execution reverted: 0x{}", hex::encode(output)))
            }
            ExecutionResult::Halt { reason, .. } => Err(format!("halt: {reason:?}")),
        },
        Err(e) => Err(e.to_string()),
    }
}
