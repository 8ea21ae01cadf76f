//! Simulation: a call, a signed transaction or a bundle over proven state,
//! then post-assertions.
//!
//! The bundle runs in order on one evolving state; each transaction's
//! outcome (success or revert reason, gas, logs) is kept. Then every
//! [`Assertion`] is checked against the post-state. If any read touched
//! state the caller did not prove, the whole result is replaced by
//! [`EvmError::NeedsState`]: a result computed over guessed state is never
//! returned.

use alloy_primitives::{Address, B256, Bytes, U256};
use revm::Database;

use super::env::{BlockContext, SimTx, call_env, decode_signed};
use super::error::EvmError;
use super::exec::{AccountChange, TxOutcome, build_evm, changes, nonce_of, run_tx};
use super::state::ProvenState;

/// A check on the state after the bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assertion {
    /// `address` holds at least `min` wei.
    BalanceAtLeast {
        /// The account.
        address: Address,
        /// Minimum balance in wei.
        min: U256,
    },
    /// Storage `slot` of `address` equals `value`.
    StorageEquals {
        /// The contract.
        address: Address,
        /// The slot.
        slot: B256,
        /// Expected value.
        value: U256,
    },
    /// A read-only call on the post-state succeeds and returns `output`.
    CallReturns {
        /// The call.
        call: super::env::CallRequest,
        /// Expected return data.
        output: Bytes,
    },
}

/// The outcome of one assertion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssertionResult {
    /// Whether it holds.
    pub passed: bool,
    /// What was found (balance, slot value or return data, as hex).
    pub actual: String,
}

/// The result of a simulation over proven state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulationResult {
    /// The state root everything was read from.
    pub state_root: B256,
    /// One outcome per transaction, in order.
    pub outcomes: Vec<TxOutcome>,
    /// Total gas used.
    pub gas_used: u64,
    /// Accounts whose state changed.
    pub state_changes: Vec<AccountChange>,
    /// One result per assertion, in order.
    pub assertions: Vec<AssertionResult>,
    /// Whether every transaction succeeded and every assertion passed.
    pub ok: bool,
}

/// Simulates `txs` in order over `state` in `block`, then checks `assertions`.
///
/// # Errors
/// [`EvmError::NeedsState`] if execution read anything not proven (retry with
/// those proofs added), [`EvmError::InvalidTransaction`] if a transaction
/// cannot be decoded or is invalid in that state, [`EvmError::Evm`] otherwise.
pub fn simulate(
    state: &ProvenState,
    block: &BlockContext,
    txs: &[SimTx],
    assertions: &[Assertion],
) -> Result<SimulationResult, EvmError> {
    let mut evm = build_evm(state, block, true);
    let mut outcomes = Vec::with_capacity(txs.len());
    let mut gas_used: u64 = 0;
    for (index, tx) in txs.iter().enumerate() {
        // Unsigned calls run like eth_call; signed transactions are held to
        // the block's rules (base fee, balance for gas).
        let is_call = matches!(tx, SimTx::Call(_));
        evm.ctx.cfg.disable_base_fee = is_call;
        evm.ctx.cfg.disable_balance_check = is_call;
        let env = match tx {
            SimTx::Call(call) => {
                let nonce = nonce_of(&mut evm, call.from);
                call_env(call, block, nonce)
            }
            SimTx::Signed(raw) => decode_signed(raw, index)?.env,
        };
        let result = run_tx(&mut evm, env)?;
        let outcome = match result {
            Ok(o) => o,
            Err(reason) => {
                // An invalid transaction over guessed state is not evidence.
                check_needs(&evm)?;
                return Err(EvmError::InvalidTransaction { index, reason });
            }
        };
        gas_used = gas_used.saturating_add(outcome.gas_used);
        outcomes.push(outcome);
    }
    let state_changes = changes(&evm, state);

    evm.ctx.cfg.disable_base_fee = true;
    evm.ctx.cfg.disable_balance_check = true;
    let mut results = Vec::with_capacity(assertions.len());
    for assertion in assertions {
        results.push(check(&mut evm, block, assertion)?);
    }
    check_needs(&evm)?;
    let ok = outcomes.iter().all(|o| o.success) && results.iter().all(|r| r.passed);
    Ok(SimulationResult {
        state_root: state.state_root(),
        outcomes,
        gas_used,
        state_changes,
        assertions: results,
        ok,
    })
}

fn check_needs(evm: &super::exec::Evm<'_>) -> Result<(), EvmError> {
    match evm.ctx.journaled_state.database.db.needs() {
        Some(needs) => Err(EvmError::NeedsState(needs)),
        None => Ok(()),
    }
}

fn db_err(_: impl core::fmt::Debug) -> EvmError {
    EvmError::Evm {
        reason: "proven state read failed".to_owned(),
    }
}

fn check(
    evm: &mut super::exec::Evm<'_>,
    block: &BlockContext,
    assertion: &Assertion,
) -> Result<AssertionResult, EvmError> {
    let db = &mut evm.ctx.journaled_state.database;
    Ok(match assertion {
        Assertion::BalanceAtLeast { address, min } => {
            let balance = db
                .basic(*address)
                .map_err(db_err)?
                .map_or(U256::ZERO, |a| a.balance);
            AssertionResult {
                passed: balance >= *min,
                actual: balance.to_string(),
            }
        }
        Assertion::StorageEquals {
            address,
            slot,
            value,
        } => {
            let got = db
                .storage(*address, U256::from_be_bytes(slot.0))
                .map_err(db_err)?;
            AssertionResult {
                passed: got == *value,
                actual: got.to_string(),
            }
        }
        Assertion::CallReturns { call, output } => {
            let nonce = nonce_of(evm, call.from);
            let env = call_env(call, block, nonce);
            // Run without committing: assertions must not change the state
            // later assertions see.
            use revm::handler::ExecuteEvm;
            let result = evm.transact(env);
            match result {
                Ok(r) => {
                    let success = r.result.is_success();
                    let out = r.result.into_output().unwrap_or_default();
                    AssertionResult {
                        passed: success && out == *output,
                        actual: format!("0x{}", hex::encode(&out)),
                    }
                }
                Err(e) => AssertionResult {
                    passed: false,
                    actual: format!("invalid call: {e}"),
                },
            }
        }
    })
}

/// The two legs of a cross-domain action, each over its own proven state:
/// the L2 leg against a certified L2 state root, the L1 leg against a
/// verified L1 state root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossDomainResult {
    /// The L2 leg.
    pub l2: SimulationResult,
    /// The L1 leg.
    pub l1: SimulationResult,
    /// Whether both legs are ok.
    pub ok: bool,
}

/// One leg of a cross-domain simulation.
#[derive(Debug, Clone, Copy)]
pub struct Leg<'a> {
    /// Proven state of that domain.
    pub state: &'a ProvenState,
    /// Block environment of that domain.
    pub block: &'a BlockContext,
    /// Transactions of that leg.
    pub txs: &'a [SimTx],
    /// Assertions on that leg's post-state.
    pub assertions: &'a [Assertion],
}

/// Simulates both legs of a cross-domain action.
///
/// # Errors
/// As [`simulate`], for whichever leg fails first (L2, then L1).
pub fn simulate_cross_domain(l2: Leg<'_>, l1: Leg<'_>) -> Result<CrossDomainResult, EvmError> {
    let l2 = simulate(l2.state, l2.block, l2.txs, l2.assertions)?;
    let l1 = simulate(l1.state, l1.block, l1.txs, l1.assertions)?;
    let ok = l2.ok && l1.ok;
    Ok(CrossDomainResult { l2, l1, ok })
}
