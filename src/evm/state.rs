//! Proven state: the only state revm may read.
//!
//! [`ProvenState`] holds accounts and storage slots from
//! [`crate::execution::verify_account_proof`] results, all against one state
//! root, code keyed by its own keccak256 (so it can only be the code of an
//! account whose proven code hash matches), and block hashes the caller
//! verified. [`ProvenDb`] serves it to revm: a read of anything not supplied
//! is answered with a neutral value and *recorded*; after the run the caller
//! gets [`NeedsState`] listing every missing item instead of a result, fetches
//! the proofs and retries. No read ever goes to the network.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use alloy_primitives::{Address, B256, Bytes, KECCAK256_EMPTY, U256, keccak256};
use alloy_trie::EMPTY_ROOT_HASH;
use revm::bytecode::Bytecode;
use revm::database_interface::{DBErrorMarker, DatabaseRef};
use revm::state::AccountInfo;

use super::error::EvmError;
use crate::Verified;
use crate::execution::{AccountState, ExecutionBlock};

/// State an execution touched that the caller did not supply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeedsState {
    /// Accounts to prove (`eth_getProof(address, [])`).
    pub accounts: Vec<Address>,
    /// Storage slots to prove (`eth_getProof(address, [slot])`).
    pub slots: Vec<(Address, B256)>,
    /// Accounts whose code is needed (`eth_getCode`).
    pub codes: Vec<Address>,
    /// Block numbers whose hash is needed (BLOCKHASH).
    pub block_hashes: Vec<u64>,
}

impl NeedsState {
    /// Whether nothing is missing.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
            && self.slots.is_empty()
            && self.codes.is_empty()
            && self.block_hashes.is_empty()
    }
}

impl fmt::Display for NeedsState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} accounts, {} storage slots, {} codes, {} block hashes",
            self.accounts.len(),
            self.slots.len(),
            self.codes.len(),
            self.block_hashes.len()
        )
    }
}

/// One proven account and its proven slots.
#[derive(Debug, Clone)]
pub(crate) struct ProvenAccount {
    pub(crate) exists: bool,
    pub(crate) balance: U256,
    pub(crate) nonce: u64,
    pub(crate) code_hash: B256,
    pub(crate) storage_hash: B256,
    pub(crate) storage: HashMap<B256, U256>,
}

/// Accounts, slots, codes and block hashes proven against one state root.
#[derive(Debug, Clone)]
pub struct ProvenState {
    state_root: B256,
    pub(crate) accounts: HashMap<Address, ProvenAccount>,
    codes: HashMap<B256, Bytecode>,
    block_hashes: BTreeMap<u64, B256>,
}

impl ProvenState {
    /// An empty proven state for `state_root` (a verified L1 state root or a
    /// certified L2 block's state root).
    pub fn new(state_root: B256) -> Self {
        Self {
            state_root,
            accounts: HashMap::new(),
            codes: HashMap::new(),
            block_hashes: BTreeMap::new(),
        }
    }

    /// The state root every account was proven against.
    pub fn state_root(&self) -> B256 {
        self.state_root
    }

    /// Adds a proven account and its proven slots (merged with earlier ones).
    ///
    /// # Errors
    /// [`EvmError::StateRootMismatch`] if it was proven against another root.
    pub fn add_account(&mut self, account: &Verified<AccountState>) -> Result<(), EvmError> {
        if account.state_root != self.state_root {
            return Err(EvmError::StateRootMismatch {
                address: account.address,
                got: account.state_root,
                expected: self.state_root,
            });
        }
        let entry = self
            .accounts
            .entry(account.address)
            .or_insert_with(|| ProvenAccount {
                exists: account.exists,
                balance: account.balance,
                nonce: account.nonce,
                code_hash: account.code_hash,
                storage_hash: account.storage_hash,
                storage: HashMap::new(),
            });
        for slot in &account.storage {
            entry.storage.insert(slot.key, slot.value);
        }
        Ok(())
    }

    /// Adds contract code. It is stored under its own keccak256, so revm can
    /// only ever see it as the code of an account whose proven code hash is
    /// that hash: a wrong code is simply never used (and reported missing).
    pub fn add_code(&mut self, code: &[u8]) {
        let hash = keccak256(code);
        if hash != KECCAK256_EMPTY {
            self.codes
                .insert(hash, Bytecode::new_raw(Bytes::copy_from_slice(code)));
        }
    }

    /// Adds the hash of a verified block (for BLOCKHASH).
    pub fn add_verified_block(&mut self, block: &Verified<ExecutionBlock>) {
        self.block_hashes.insert(block.header.number, block.hash);
    }

    /// Adds a block hash the caller trusts from elsewhere (e.g. a certified
    /// L2 chain, or an L1 header verified by the beacon light client).
    pub fn add_trusted_block_hash(&mut self, number: u64, hash: B256) {
        self.block_hashes.insert(number, hash);
    }

    /// The proven code hash of `address`, if its account was supplied.
    pub(crate) fn code_of(&self, address: &Address) -> Option<&Bytecode> {
        let acc = self.accounts.get(address)?;
        self.codes.get(&acc.code_hash)
    }
}

/// revm's view of a [`ProvenState`], recording what is missing.
#[derive(Debug)]
pub(crate) struct ProvenDb<'a> {
    state: &'a ProvenState,
    missing: RefCell<Missing>,
}

#[derive(Debug, Default)]
struct Missing {
    accounts: BTreeSet<Address>,
    slots: BTreeSet<(Address, B256)>,
    codes: BTreeSet<Address>,
    block_hashes: BTreeSet<u64>,
}

/// The error type of [`ProvenDb`]; it never occurs (missing state is recorded instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("proven state database error")]
pub(crate) struct ProvenDbError;

impl DBErrorMarker for ProvenDbError {}

impl<'a> ProvenDb<'a> {
    pub(crate) fn new(state: &'a ProvenState) -> Self {
        Self {
            state,
            missing: RefCell::new(Missing::default()),
        }
    }

    /// Everything read but not supplied, or `None` if nothing is missing.
    pub(crate) fn needs(&self) -> Option<NeedsState> {
        let m = self.missing.borrow();
        let needs = NeedsState {
            accounts: m.accounts.iter().copied().collect(),
            slots: m.slots.iter().copied().collect(),
            codes: m.codes.iter().copied().collect(),
            block_hashes: m.block_hashes.iter().copied().collect(),
        };
        (!needs.is_empty()).then_some(needs)
    }
}

impl DatabaseRef for ProvenDb<'_> {
    type Error = ProvenDbError;

    fn basic_ref(&self, address: Address) -> Result<Option<AccountInfo>, Self::Error> {
        let Some(acc) = self.state.accounts.get(&address) else {
            self.missing.borrow_mut().accounts.insert(address);
            return Ok(None);
        };
        if !acc.exists {
            return Ok(None);
        }
        // Unsupplied code is left out here; revm asks `code_by_hash_ref` for
        // it only when it actually needs the code, and that records it.
        let code = if acc.code_hash == KECCAK256_EMPTY {
            Some(Bytecode::default())
        } else {
            self.state.code_of(&address).cloned()
        };
        Ok(Some(AccountInfo {
            balance: acc.balance,
            nonce: acc.nonce,
            code_hash: acc.code_hash,
            code,
            ..Default::default()
        }))
    }

    fn code_by_hash_ref(&self, code_hash: B256) -> Result<Bytecode, Self::Error> {
        if code_hash == KECCAK256_EMPTY {
            return Ok(Bytecode::default());
        }
        if let Some(code) = self.state.codes.get(&code_hash) {
            return Ok(code.clone());
        }
        let mut m = self.missing.borrow_mut();
        for (address, acc) in &self.state.accounts {
            if acc.code_hash == code_hash {
                m.codes.insert(*address);
            }
        }
        Ok(Bytecode::default())
    }

    fn storage_ref(&self, address: Address, index: U256) -> Result<U256, Self::Error> {
        let key = B256::from(index);
        let Some(acc) = self.state.accounts.get(&address) else {
            self.missing.borrow_mut().accounts.insert(address);
            return Ok(U256::ZERO);
        };
        if !acc.exists || acc.storage_hash == EMPTY_ROOT_HASH {
            // Proven empty storage: every slot is zero, no proof needed.
            return Ok(U256::ZERO);
        }
        if let Some(v) = acc.storage.get(&key) {
            return Ok(*v);
        }
        self.missing.borrow_mut().slots.insert((address, key));
        Ok(U256::ZERO)
    }

    fn block_hash_ref(&self, number: u64) -> Result<B256, Self::Error> {
        if let Some(h) = self.state.block_hashes.get(&number) {
            return Ok(*h);
        }
        self.missing.borrow_mut().block_hashes.insert(number);
        Ok(B256::ZERO)
    }
}
