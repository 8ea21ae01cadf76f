//! Local EVM checks with revm over proven state.
//!
//! ## Pipeline
//!
//! ```text
//!  trusted state root (L1: beacon light client; L2: certified block)
//!        │
//!  eth_getProof ──► execution::verify_account_proof ──► Verified<AccountState>
//!  eth_getCode  ──► keyed by keccak256, so only usable as its account's code
//!        └──► ProvenState ──► ProvenDb (revm Database; no I/O)
//!                   │  a read of anything unproven is recorded, and the run
//!                   │  ends in NeedsState { accounts, slots, codes, block_hashes }
//!                   │  (the caller fetches those proofs and retries)
//!                   ├──► simulate: call / signed tx / bundle + assertions
//!                   └──► reexecute_block: txs from a witness, sparse-trie
//!                        post-state root + receipts root == header
//!                        ──► Verified<ReexecutedBlock> (`executionChecked`)
//! ```
//!
//! revm runs with its default features off and pure-Rust precompiles
//! (k256, arkworks BN254/BLS12-381/KZG, aurora modexp), so the module builds
//! for `wasm32-unknown-unknown`. The whole module sits behind the `evm`
//! cargo feature.

mod env;
mod error;
mod exec;
mod json;
mod reexecute;
mod simulate;
mod state;
mod trie;

pub use env::{BlockContext, CallRequest, EvmSpec, SimTx};
pub use error::EvmError;
pub use exec::{AccountChange, SlotChange, TxOutcome};
pub use json::{reexecute_json, simulate_json};
pub use reexecute::{BlockInput, ReexecutedBlock, Witness, reexecute_block};
pub use simulate::{
    Assertion, AssertionResult, CrossDomainResult, Leg, SimulationResult, simulate,
    simulate_cross_domain,
};
pub use state::{NeedsState, ProvenState};
