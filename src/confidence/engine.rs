//! [`Engine`]: the one door of the confidence engine. Every fact enters as an
//! [`Input`] through [`Engine::step`], which answers with a [`Step`]; every
//! question is a [`Query`](super::Query) to [`Engine::query`].
//!
//! The struct is split by role over this module's siblings: `ingest`
//! (raw inputs through the L1 adapter, the L1 header bookkeeping), `levels`
//! (verified facts into the chain view, incremental re-evaluation) and
//! `query` (statuses, liveness, actions).

use std::collections::{BTreeSet, HashMap, HashSet};

use alloy_primitives::B256;
use serde::Serialize;
use serde_json::Value;

use super::action::ActionSpec;
use super::error::EngineError;
use super::l1_adapter::{L1Header, batch_public_values};
use super::level::{Level, Reason};
use super::status::Event;
use crate::Verified;
use crate::proof::{ProgramVkey, verify_sp1_proof};
use crate::rollup::certificate::CommitteeMember;
use crate::rollup::{
    BatchPublicValues, ChainView, FeedMessage, L1TxReceipt, L2Header, RollupAnchor, RollupSetup,
};

/// A local re-execution (revm) of a block over proven state matched its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExecutionCheck {
    /// The block re-executed.
    pub block_hash: B256,
}

/// One fact for the engine. Raw data (RPC answers, feed messages) is verified
/// inside [`Engine::step`]; the two variants that carry [`Verified`] values
/// come from other verifiers (the light client, the SP1 proof check) and
/// cannot be deserialized.
///
/// In the npm package (`engine.step`) an input is an object with one key,
/// the variant's camelCase name: `{ l1Receipts: { blockHash, receipts } }`,
/// `{ tick: 1700000000 }` (read by `src/wasm/engine.rs`).
#[derive(Debug, Clone)]
pub enum Input {
    /// A sequencer feed message (certified or based L2 block with its body).
    L2Block(FeedMessage),
    /// The light client's verified optimistic head and finalized header.
    L1Heads {
        /// The optimistic head: joins the L1 chain after its missing ancestors.
        head: Verified<L1Header>,
        /// The finalized header: becomes the checkpoint once the chain holds it.
        finalized: Verified<L1Header>,
    },
    /// `eth_getBlockByHash(needs.l1Block, false)`: a requested L1 parent.
    L1Block(Value),
    /// `eth_getBlockReceipts` of a held L1 block: its inbox logs.
    L1Receipts {
        /// The block's execution hash.
        block_hash: B256,
        /// The RPC answer.
        receipts: Value,
    },
    /// The receipt of an action's L1 leg: its block with full transactions
    /// (`eth_getBlockByHash(hash, true)`) and the block's receipts.
    L1TxReceipt {
        /// The block.
        block: Value,
        /// Its `eth_getBlockReceipts`.
        receipts: Value,
        /// The leg's transaction hash.
        tx_hash: B256,
    },
    /// A committee announced in the inbox: `eth_getProof` of its two storage
    /// keys at a held L1 block, and its member list.
    Committee {
        /// The L1 block the proof is for.
        block_hash: B256,
        /// The `eth_getProof` answer.
        proof: Value,
        /// The committee id.
        committee_id: u64,
        /// Its members.
        members: Vec<CommitteeMember>,
    },
    /// The claim of a verified batch proof ([`Engine::verify_batch_proof`]).
    BatchProof(Verified<BatchPublicValues>),
    /// A block re-executed locally over proven state.
    ExecutionChecked(Verified<ExecutionCheck>),
    /// Start tracking a cross-domain action ([`Added::Action`] names its id).
    TrackAction(ActionSpec),
    /// The clock: unix seconds.
    Tick(u64),
}

/// What the engine needs next, as of the end of a step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Needs {
    /// Execution block hash to fetch (`eth_getBlockByHash(hash, false)`) as an [`Input::L1Block`].
    pub l1_block: Option<B256>,
    /// Held L1 blocks whose receipts (`eth_getBlockReceipts`) the engine
    /// still needs as [`Input::L1Receipts`], oldest first.
    pub l1_receipts: Vec<B256>,
    /// A committed L2 block the derivation waits for, as an [`Input::L2Block`].
    pub l2_block: Option<B256>,
}

/// An item an input added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Added {
    /// An L2 block, with its hash and header.
    L2Block {
        /// `keccak(rlp(header))`.
        hash: B256,
        /// The header.
        header: Box<L2Header>,
    },
    /// A tracked action.
    Action {
        /// Its id, for [`super::Query::Action`].
        id: u64,
    },
}

/// The answer to every input: what it added, the level changes and other
/// events it caused, and what the engine needs next.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// The item the input added, if any.
    pub added: Option<Added>,
    /// Events, in order.
    pub events: Vec<Event>,
    /// What to fetch next.
    pub needs: Needs,
}

#[derive(Debug, Clone, Copy, Default)]
pub(super) struct BlockState {
    pub(super) level: Option<Level>,
    /// The reason of the current level (section 9: set when it was entered
    /// by a downgrade, cleared when the block goes up).
    pub(super) reason: Option<Reason>,
    /// The reason of the most recent downgrade, kept after a recovery.
    pub(super) last_downgrade: Option<Reason>,
    pub(super) execution_checked: bool,
    pub(super) proven: bool,
}

#[derive(Debug, Clone)]
pub(super) struct TrackedAction {
    pub(super) spec: ActionSpec,
    pub(super) level: Level,
    /// The reason of the current level (as [`BlockState::reason`]).
    pub(super) reason: Option<Reason>,
    /// The reason of the most recent downgrade.
    pub(super) last_downgrade: Option<Reason>,
}

/// The confidence engine of one rollup: verified L1 headers, the chain view
/// and the level of every block and action. I/O-free: time and data are
/// inputs.
#[derive(Debug, Clone)]
pub struct Engine {
    pub(super) setup: RollupSetup,
    pub(super) chain: ChainView,
    // L1 bookkeeping (`ingest`).
    pub(super) ingested: HashMap<B256, Verified<L1Header>>,
    pub(super) pending: HashMap<B256, Verified<L1Header>>,
    pub(super) awaiting_receipts: BTreeSet<(u64, B256)>,
    pub(super) pending_checkpoint: Option<Verified<L1Header>>,
    // Levels (`levels`, `query`).
    pub(super) states: HashMap<B256, BlockState>,
    pub(super) unsettled: HashSet<B256>,
    pub(super) tx_index: HashMap<B256, Vec<B256>>,
    pub(super) l1_receipts: HashMap<B256, L1TxReceipt>,
    pub(super) actions: Vec<TrackedAction>,
    pub(super) finalized_number: u64,
    pub(super) based_mode: bool,
    pub(super) now: u64,
}

impl Engine {
    /// Starts at `anchor`, whose L1 block is `anchor_l1`.
    ///
    /// # Errors
    /// [`EngineError::Rollup`] for a bad config or anchor;
    /// [`super::L1VerifyError::BlockMismatch`] if `anchor_l1` is not the anchor's block.
    pub fn new(
        setup: RollupSetup,
        anchor_l1: Verified<L1Header>,
        anchor: Verified<RollupAnchor>,
    ) -> Result<Self, EngineError> {
        if anchor.l1_block != anchor_l1.block {
            return Err(super::l1_adapter::L1VerifyError::BlockMismatch {
                expected: anchor.l1_block.block_hash,
                got: anchor_l1.block.block_hash,
            }
            .into());
        }
        let anchor_hash = anchor.l2_header.hash();
        let anchor_number = anchor.l2_header.number;
        let chain = ChainView::new(setup.config.clone(), anchor)?;
        let states = HashMap::from([(
            anchor_hash,
            BlockState {
                level: Some(Level::Finalized),
                ..Default::default()
            },
        )]);
        Ok(Self {
            setup,
            chain,
            ingested: HashMap::from([(anchor_l1.block.block_hash, anchor_l1)]),
            pending: HashMap::new(),
            awaiting_receipts: BTreeSet::new(),
            pending_checkpoint: None,
            states,
            unsettled: HashSet::new(),
            tx_index: HashMap::new(),
            l1_receipts: HashMap::new(),
            actions: Vec::new(),
            finalized_number: anchor_number,
            based_mode: false,
            now: 0,
        })
    }

    /// An engine over `config` anchored at `anchor`, its L1 block taken as a
    /// finalized header with zero roots (tests and benchmark fixtures only).
    #[cfg(any(test, feature = "bench-support"))]
    pub(crate) fn with_config(
        config: crate::rollup::RollupConfig,
        anchor: Verified<RollupAnchor>,
    ) -> Result<Self, EngineError> {
        let l1 = Verified::new_unchecked(L1Header {
            block: anchor.l1_block,
            state_root: B256::ZERO,
            receipts_root: B256::ZERO,
            finalized: true,
        });
        let setup = RollupSetup {
            config,
            genesis: None,
            batch_program_vkey: None,
        };
        Self::new(setup, l1, anchor)
    }

    /// The rollup setup.
    pub fn setup(&self) -> &RollupSetup {
        &self.setup
    }

    /// The chain view (read-only).
    pub fn chain(&self) -> &ChainView {
        &self.chain
    }

    /// A verified L1 header the engine holds, by execution block hash.
    pub fn l1_header(&self, block_hash: &B256) -> Option<&Verified<L1Header>> {
        self.ingested
            .get(block_hash)
            .or_else(|| self.pending.get(block_hash))
    }

    /// Verifies a feed message without changing anything; returns the checked block.
    ///
    /// # Errors
    /// The [`crate::rollup::RollupError`] of the first rule the block breaks.
    pub fn verify_l2_block(
        &self,
        msg: FeedMessage,
    ) -> Result<Verified<crate::rollup::CheckedBlock>, EngineError> {
        Ok(self.chain.verify_block(msg)?)
    }

    /// Verifies an SP1 proof of the configured batch program and returns its
    /// batch claim, for [`Input::BatchProof`]. Changes nothing.
    ///
    /// # Errors
    /// [`EngineError::NoBatchProgram`], the proof's [`crate::proof::ProofError`],
    /// or [`super::L1VerifyError`] for a claim of another program or a malformed one.
    pub fn verify_batch_proof(
        &self,
        proof: &[u8],
        public_values: &[u8],
    ) -> Result<Verified<BatchPublicValues>, EngineError> {
        let vkey = self
            .setup
            .batch_program_vkey
            .ok_or(EngineError::NoBatchProgram)?;
        let vkey = ProgramVkey::from_bytes(vkey.0)?;
        let receipt = verify_sp1_proof(proof, public_values, &vkey)?;
        Ok(batch_public_values(&receipt, &vkey)?)
    }

    /// Takes one input: verifies it, applies it, re-evaluates the levels it
    /// can change. On an error nothing changed.
    ///
    /// # Errors
    /// The [`EngineError`] of the first check the input fails.
    pub fn step(&mut self, input: Input) -> Result<Step, EngineError> {
        let mut added = None;
        let events = match input {
            Input::L2Block(msg) => {
                let block = self.chain.verify_block(msg)?;
                added = Some(Added::L2Block {
                    hash: block.hash,
                    header: Box::new(block.header.clone()),
                });
                self.apply_l2_block(block)
            }
            Input::L1Heads { head, finalized } => self.ingest_l1_heads(head, finalized)?,
            Input::L1Block(block) => self.ingest_parent_block(&block)?,
            Input::L1Receipts {
                block_hash,
                receipts,
            } => self.ingest_receipts(block_hash, &receipts)?,
            Input::L1TxReceipt {
                block,
                receipts,
                tx_hash,
            } => self.ingest_l1_tx_receipt(&block, &receipts, tx_hash)?,
            Input::Committee {
                block_hash,
                proof,
                committee_id,
                members,
            } => self.ingest_committee(block_hash, &proof, committee_id, &members)?,
            Input::BatchProof(values) => {
                self.apply_proven(values)?;
                Vec::new()
            }
            Input::ExecutionChecked(check) => {
                self.apply_execution_check(check)?;
                Vec::new()
            }
            Input::TrackAction(spec) => {
                added = Some(Added::Action {
                    id: self.track(spec),
                });
                Vec::new()
            }
            Input::Tick(now) => self.advance_clock(now),
        };
        Ok(Step {
            added,
            events,
            needs: self.needs(),
        })
    }

    /// What the engine needs next.
    pub fn needs(&self) -> Needs {
        let l1_block = self
            .pending
            .values()
            .filter(|h| {
                let p = h.block.parent_block_hash;
                !self.ingested.contains_key(&p) && !self.pending.contains_key(&p)
            })
            .min_by_key(|h| h.block.slot)
            .map(|h| h.block.parent_block_hash);
        Needs {
            l1_block,
            l1_receipts: self.awaiting_receipts.iter().map(|(_, h)| *h).collect(),
            l2_block: self.chain.awaiting_header(),
        }
    }
}
