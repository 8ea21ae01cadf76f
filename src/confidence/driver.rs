//! [`EngineDriver`]: the engine together with the L1 bookkeeping a client
//! needs to feed it from raw data, I/O-free.
//!
//! ```text
//!  light client heads ──► ingest_l1_heads ──┐ pending verified L1 headers
//!  eth_getBlockByHash(needBlock) ──► ingest_parent_block (parent path)
//!                                           └► ingested oldest-first into the engine
//!  eth_getBlockReceipts(needReceipts[i]) ──► ingest_receipts ──► inbox logs
//!  eth_getBlockByHash(full) + receipts ──► ingest_l1_tx_receipt
//!  eth_getProof(inbox, committee keys) ──► ingest_committee
//!  SP1 proof + public values ──► ingest_batch_proof
//! ```
//!
//! The engine needs a contiguous L1 chain from its anchor. A new light-client
//! head whose parent the engine lacks waits in `pending`; the driver asks for
//! the missing execution block by hash ([`L1Progress::need_block`]) and
//! derives its L1 header from the pending child (see
//! [`crate::rollup::l1_verify::parent_header`]). Every L1 fact goes through
//! the adapter; the driver stores only `Verified` headers.

use std::collections::{BTreeSet, HashMap};

use alloy_primitives::B256;
use serde_json::Value;

use super::engine::PreconfEngine;
use super::error::ConfidenceError;
use super::status::Event;
use crate::execution::{ExecutionBlock, ExecutionError, verify_block_receipts, verify_receipts};
use crate::proof::{ProgramVkey, ProofError, verify_sp1_proof};
use crate::rollup::certificate::{CommitteeMember, verify_committee};
use crate::rollup::l1_verify::{
    L1Header, L1VerifyError, batch_public_values, checkpoint_of, committee_announcement,
    inbox_logs, l1_tx_receipt, parent_header,
};
use crate::rollup::{RollupAnchor, RollupError, RollupSetup};
use crate::{ErrorCode, Verified};

/// Most verified L1 headers that may wait for their parents.
pub const MAX_PENDING_L1_HEADERS: usize = 4096;

/// Why a driver call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DriverError {
    /// The adapter rejected an L1 input.
    #[error(transparent)]
    L1(#[from] L1VerifyError),
    /// The engine rejected an input.
    #[error(transparent)]
    Engine(#[from] ConfidenceError),
    /// An execution response did not verify.
    #[error(transparent)]
    Execution(#[from] ExecutionError),
    /// An SP1 proof did not verify.
    #[error(transparent)]
    Proof(#[from] ProofError),
    /// No pending L1 header has this block as its parent.
    #[error("L1 block {0} was not requested")]
    NotRequested(B256),
    /// The L1 block is not among the verified headers the driver holds.
    #[error("unknown L1 block {0}")]
    UnknownL1Block(B256),
    /// The rollup configuration names no batch program.
    #[error("the rollup config has no batchProgramVkey")]
    NoBatchProgram,
    /// Too many L1 headers wait for their parents.
    #[error("more than {MAX_PENDING_L1_HEADERS} L1 headers wait for their parents")]
    TooManyPending,
}

impl ErrorCode for DriverError {
    fn code(&self) -> &'static str {
        match self {
            Self::L1(e) => e.code(),
            Self::Engine(e) => e.code(),
            Self::Execution(e) => e.code(),
            Self::Proof(e) => e.code(),
            Self::NotRequested(_) => "L1_BLOCK_NOT_REQUESTED",
            Self::UnknownL1Block(_) => "UNKNOWN_L1_BLOCK",
            Self::NoBatchProgram => "NO_BATCH_PROGRAM",
            Self::TooManyPending => "TOO_MANY_PENDING",
        }
    }
}

impl From<RollupError> for DriverError {
    fn from(e: RollupError) -> Self {
        Self::Engine(e.into())
    }
}

/// What an L1 ingest did and what the driver needs next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct L1Progress {
    /// Events the engine emitted.
    pub events: Vec<Event>,
    /// Execution block hash to fetch (`eth_getBlockByHash`) and pass to
    /// [`EngineDriver::ingest_parent_block`].
    pub need_block: Option<B256>,
    /// Ingested L1 blocks whose receipts (`eth_getBlockReceipts`) the engine
    /// still needs, oldest first.
    pub need_receipts: Vec<B256>,
}

/// The engine plus its verified L1 headers.
#[derive(Debug, Clone)]
pub struct EngineDriver {
    engine: PreconfEngine,
    setup: RollupSetup,
    ingested: HashMap<B256, Verified<L1Header>>,
    pending: HashMap<B256, Verified<L1Header>>,
    awaiting_receipts: BTreeSet<(u64, B256)>,
    pending_checkpoint: Option<Verified<L1Header>>,
}

impl EngineDriver {
    /// Starts at `anchor`, whose L1 block is `anchor_l1`.
    ///
    /// # Errors
    /// [`DriverError::Engine`] for a bad config or anchor;
    /// [`L1VerifyError::BlockMismatch`] if `anchor_l1` is not the anchor's block.
    pub fn new(
        setup: RollupSetup,
        anchor_l1: Verified<L1Header>,
        anchor: Verified<RollupAnchor>,
    ) -> Result<Self, DriverError> {
        if anchor.l1_block != anchor_l1.block {
            return Err(L1VerifyError::BlockMismatch {
                expected: anchor.l1_block.block_hash,
                got: anchor_l1.block.block_hash,
            }
            .into());
        }
        let engine = PreconfEngine::new(setup.config.clone(), anchor)?;
        let ingested = HashMap::from([(anchor_l1.block.block_hash, anchor_l1)]);
        Ok(Self {
            engine,
            setup,
            ingested,
            pending: HashMap::new(),
            awaiting_receipts: BTreeSet::new(),
            pending_checkpoint: None,
        })
    }

    /// The engine (read-only).
    pub fn engine(&self) -> &PreconfEngine {
        &self.engine
    }

    /// The engine, for L2 ingests, ticks and actions.
    pub fn engine_mut(&mut self) -> &mut PreconfEngine {
        &mut self.engine
    }

    /// The rollup setup.
    pub fn setup(&self) -> &RollupSetup {
        &self.setup
    }

    /// A verified L1 header the driver holds, by execution block hash.
    pub fn l1_header(&self, block_hash: &B256) -> Option<&Verified<L1Header>> {
        self.ingested
            .get(block_hash)
            .or_else(|| self.pending.get(block_hash))
    }

    /// Takes the light client's current heads: `head` (optimistic) joins the
    /// L1 chain (after its missing ancestors), `finalized` becomes the
    /// checkpoint once the chain holds it.
    ///
    /// # Errors
    /// [`DriverError::TooManyPending`], or the engine's rejection of a block.
    pub fn ingest_l1_heads(
        &mut self,
        head: Verified<L1Header>,
        finalized: Verified<L1Header>,
    ) -> Result<L1Progress, DriverError> {
        checkpoint_of(&finalized)?;
        self.add_pending(finalized.clone())?;
        self.add_pending(head)?;
        self.pending_checkpoint = Some(finalized);
        self.drive()
    }

    /// Takes the execution block a previous call asked for (`need_block`).
    ///
    /// # Errors
    /// [`DriverError::NotRequested`] if no pending header is its child, or
    /// the parent-path rule it breaks.
    pub fn ingest_parent_block(
        &mut self,
        block: &Verified<ExecutionBlock>,
    ) -> Result<L1Progress, DriverError> {
        let child = self
            .pending
            .values()
            .find(|h| h.block.parent_block_hash == block.hash)
            .cloned()
            .ok_or(DriverError::NotRequested(block.hash))?;
        let parent = parent_header(&child, block, &self.setup.config.l1)?;
        self.add_pending(parent)?;
        self.drive()
    }

    /// Takes a block's `eth_getBlockReceipts` answer: its inbox logs go to the engine.
    ///
    /// # Errors
    /// [`DriverError::UnknownL1Block`], the receipts' [`ExecutionError`]
    /// (e.g. `RECEIPTS_ROOT_MISMATCH`), or the engine's rejection.
    pub fn ingest_receipts(
        &mut self,
        block_hash: B256,
        receipts: &Value,
    ) -> Result<L1Progress, DriverError> {
        let header = self
            .ingested
            .get(&block_hash)
            .cloned()
            .ok_or(DriverError::UnknownL1Block(block_hash))?;
        let verified = verify_receipts(header.receipts_root, receipts)?;
        let logs = inbox_logs(&header, &verified, self.setup.config.inbox)?;
        let mut events = self.engine.ingest_inbox_logs(logs)?;
        self.awaiting_receipts
            .remove(&(header.block.slot, block_hash));
        events.extend(self.try_checkpoint()?);
        Ok(self.progress(events))
    }

    /// Records the receipt of an action's L1 leg from the block (with full
    /// transactions) and its receipts.
    ///
    /// # Errors
    /// [`DriverError::UnknownL1Block`], the responses' [`ExecutionError`], or
    /// the adapter's rule ([`L1VerifyError::TransactionNotInBlock`], …).
    pub fn ingest_l1_tx_receipt(
        &mut self,
        block: &Verified<ExecutionBlock>,
        receipts: &Value,
        tx_hash: B256,
    ) -> Result<Vec<Event>, DriverError> {
        let header = self
            .l1_header(&block.hash)
            .cloned()
            .ok_or(DriverError::UnknownL1Block(block.hash))?;
        let verified = verify_block_receipts(block, receipts)?;
        let receipt = l1_tx_receipt(&header, block, &verified, tx_hash)?;
        Ok(self.engine.ingest_l1_receipt(receipt))
    }

    /// Adds a committee proven from the inbox storage at a held L1 block.
    ///
    /// # Errors
    /// [`DriverError::UnknownL1Block`], the proof's error, or the member list's.
    pub fn ingest_committee(
        &mut self,
        block_hash: B256,
        proof: &Value,
        committee_id: u64,
        members: &Vec<CommitteeMember>,
    ) -> Result<(), DriverError> {
        let header = self
            .l1_header(&block_hash)
            .cloned()
            .ok_or(DriverError::UnknownL1Block(block_hash))?;
        let ann = committee_announcement(&self.setup.config, &header, proof, committee_id)?;
        let keys = verify_committee(members, &ann)?;
        self.engine.ingest_committee(keys);
        Ok(())
    }

    /// Verifies an SP1 batch proof of the configured program and marks its blocks proven.
    ///
    /// # Errors
    /// [`DriverError::NoBatchProgram`], the proof's [`ProofError`], or the
    /// engine's `PUBLIC_VALUES_MISMATCH` / `NOT_TRACKED`.
    pub fn ingest_batch_proof(
        &mut self,
        proof: &[u8],
        public_values: &[u8],
    ) -> Result<(), DriverError> {
        let vkey = self
            .setup
            .batch_program_vkey
            .ok_or(DriverError::NoBatchProgram)?;
        let vkey = ProgramVkey::from_bytes(vkey.0)?;
        let receipt = verify_sp1_proof(proof, public_values, &vkey)?;
        let values = batch_public_values(&receipt, &vkey)?;
        Ok(self.engine.mark_proven(values)?)
    }

    fn add_pending(&mut self, header: Verified<L1Header>) -> Result<(), DriverError> {
        let hash = header.block.block_hash;
        if self.ingested.contains_key(&hash) || self.pending.contains_key(&hash) {
            return Ok(());
        }
        if self.pending.len() >= MAX_PENDING_L1_HEADERS {
            return Err(DriverError::TooManyPending);
        }
        self.pending.insert(hash, header);
        Ok(())
    }

    /// Ingests every pending header whose parent is held, lowest slot first.
    fn drive(&mut self) -> Result<L1Progress, DriverError> {
        let mut events = Vec::new();
        loop {
            let ready = self
                .pending
                .values()
                .filter(|h| self.ingested.contains_key(&h.block.parent_block_hash))
                .min_by_key(|h| h.block.slot)
                .map(|h| h.block.block_hash);
            let Some(hash) = ready else { break };
            let Some(header) = self.pending.remove(&hash) else {
                break;
            };
            events.extend(self.engine.ingest_l1_block(header.l1_block())?);
            self.awaiting_receipts.insert((header.block.slot, hash));
            self.ingested.insert(hash, header);
        }
        events.extend(self.try_checkpoint()?);
        Ok(self.progress(events))
    }

    fn try_checkpoint(&mut self) -> Result<Vec<Event>, DriverError> {
        let Some(cp) = self.pending_checkpoint.clone() else {
            return Ok(Vec::new());
        };
        if !self.ingested.contains_key(&cp.block.block_hash) {
            return Ok(Vec::new());
        }
        let checkpoint = checkpoint_of(&cp)?;
        match self.engine.ingest_finalized(checkpoint) {
            Ok(ev) => {
                self.pending_checkpoint = None;
                Ok(ev)
            }
            // Finality applies once the derivation reaches it; retry later.
            Err(ConfidenceError::Rollup(RollupError::UnknownL1Block(_))) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }

    fn progress(&self, events: Vec<Event>) -> L1Progress {
        let need_block = self
            .pending
            .values()
            .filter(|h| {
                let p = h.block.parent_block_hash;
                !self.ingested.contains_key(&p) && !self.pending.contains_key(&p)
            })
            .min_by_key(|h| h.block.slot)
            .map(|h| h.block.parent_block_hash);
        L1Progress {
            events,
            need_block,
            need_receipts: self.awaiting_receipts.iter().map(|(_, h)| *h).collect(),
        }
    }
}
