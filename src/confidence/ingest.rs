//! Raw inputs into verified facts: the engine's L1 bookkeeping.
//!
//! ```text
//!  light client heads ──► ingest_l1_heads ──┐ pending verified L1 headers
//!  eth_getBlockByHash(needs.l1Block) ──► ingest_parent_block (parent path)
//!                                           └► applied oldest-first (levels)
//!  eth_getBlockReceipts(needs.l1Receipts[i]) ──► ingest_receipts ──► inbox logs
//!  eth_getBlockByHash(full) + receipts ──► ingest_l1_tx_receipt
//!  eth_getProof(inbox, committee keys) ──► ingest_committee
//! ```
//!
//! The engine needs a contiguous L1 chain from its anchor. A new light-client
//! head whose parent the engine lacks waits in `pending`; the engine asks for
//! the missing execution block by hash ([`super::Needs::l1_block`]) and
//! derives its L1 header from the pending child (see
//! [`super::l1_adapter::parent_header`]). Every L1 fact goes through the
//! adapter; only `Verified` headers are stored.

use alloy_primitives::B256;
use serde_json::Value;

use super::engine::Engine;
use super::error::{EngineError, MAX_PENDING_L1_HEADERS};
use super::l1_adapter::{
    L1Header, checkpoint_of, committee_announcement, inbox_logs, l1_tx_receipt, parent_header,
};
use super::status::Event;
use crate::Verified;
use crate::execution::{verify_block, verify_block_receipts, verify_receipts};
use crate::rollup::RollupError;
use crate::rollup::certificate::{CommitteeMember, verify_committee};

impl Engine {
    /// Takes the light client's current heads: `head` (optimistic) joins the
    /// L1 chain (after its missing ancestors), `finalized` becomes the
    /// checkpoint once the chain holds it.
    #[inline(never)]
    pub(super) fn ingest_l1_heads(
        &mut self,
        head: Verified<L1Header>,
        finalized: Verified<L1Header>,
    ) -> Result<Vec<Event>, EngineError> {
        checkpoint_of(&finalized)?;
        self.add_pending(finalized.clone())?;
        self.add_pending(head)?;
        self.pending_checkpoint = Some(finalized);
        self.drive()
    }

    /// Takes the execution block a previous step asked for (`needs.l1Block`).
    #[inline(never)]
    pub(super) fn ingest_parent_block(&mut self, block: &Value) -> Result<Vec<Event>, EngineError> {
        let block = verify_block(block, None)?;
        let child = self
            .pending
            .values()
            .find(|h| h.block.parent_block_hash == block.hash)
            .cloned()
            .ok_or(EngineError::NotRequested(block.hash))?;
        let parent = parent_header(&child, &block, &self.setup.config.l1)?;
        self.add_pending(parent)?;
        self.drive()
    }

    /// Takes a block's `eth_getBlockReceipts` answer: its inbox logs.
    #[inline(never)]
    pub(super) fn ingest_receipts(
        &mut self,
        block_hash: B256,
        receipts: &Value,
    ) -> Result<Vec<Event>, EngineError> {
        let header = self
            .ingested
            .get(&block_hash)
            .cloned()
            .ok_or(EngineError::UnknownL1Block(block_hash))?;
        let verified = verify_receipts(header.receipts_root, receipts)?;
        let logs = inbox_logs(&header, &verified, self.setup.config.inbox)?;
        let mut events = self.apply_inbox_logs(logs)?;
        self.awaiting_receipts
            .remove(&(header.block.slot, block_hash));
        events.extend(self.try_checkpoint()?);
        Ok(events)
    }

    /// Records the receipt of an action's L1 leg from the block (with full
    /// transactions) and its receipts.
    #[inline(never)]
    pub(super) fn ingest_l1_tx_receipt(
        &mut self,
        block: &Value,
        receipts: &Value,
        tx_hash: B256,
    ) -> Result<Vec<Event>, EngineError> {
        let block = verify_block(block, None)?;
        let header = self
            .l1_header(&block.hash)
            .cloned()
            .ok_or(EngineError::UnknownL1Block(block.hash))?;
        let verified = verify_block_receipts(&block, receipts)?;
        let receipt = l1_tx_receipt(&header, &block, &verified, tx_hash)?;
        Ok(self.apply_l1_receipt(receipt))
    }

    /// Adds a committee proven from the inbox storage at a held L1 block.
    #[inline(never)]
    pub(super) fn ingest_committee(
        &mut self,
        block_hash: B256,
        proof: &Value,
        committee_id: u64,
        members: &Vec<CommitteeMember>,
    ) -> Result<Vec<Event>, EngineError> {
        let header = self
            .l1_header(&block_hash)
            .cloned()
            .ok_or(EngineError::UnknownL1Block(block_hash))?;
        let ann = committee_announcement(&self.setup.config, &header, proof, committee_id)?;
        let keys = verify_committee(members, &ann)?;
        self.chain.add_committee(keys);
        Ok(Vec::new())
    }

    fn add_pending(&mut self, header: Verified<L1Header>) -> Result<(), EngineError> {
        let hash = header.block.block_hash;
        if self.ingested.contains_key(&hash) || self.pending.contains_key(&hash) {
            return Ok(());
        }
        if self.pending.len() >= MAX_PENDING_L1_HEADERS {
            return Err(EngineError::TooManyPending);
        }
        self.pending.insert(hash, header);
        Ok(())
    }

    /// Applies every pending header whose parent is held, lowest slot first.
    fn drive(&mut self) -> Result<Vec<Event>, EngineError> {
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
            events.extend(self.apply_l1_block(header.l1_block())?);
            self.awaiting_receipts.insert((header.block.slot, hash));
            self.ingested.insert(hash, header);
        }
        events.extend(self.try_checkpoint()?);
        Ok(events)
    }

    fn try_checkpoint(&mut self) -> Result<Vec<Event>, EngineError> {
        let Some(cp) = self.pending_checkpoint.clone() else {
            return Ok(Vec::new());
        };
        if !self.ingested.contains_key(&cp.block.block_hash) {
            return Ok(Vec::new());
        }
        let checkpoint = checkpoint_of(&cp)?;
        match self.apply_finalized(checkpoint) {
            Ok(ev) => {
                self.pending_checkpoint = None;
                Ok(ev)
            }
            // Finality applies once the derivation reaches it; retry later.
            Err(EngineError::Rollup(RollupError::UnknownL1Block(_))) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }
}
