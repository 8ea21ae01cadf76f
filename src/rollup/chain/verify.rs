//! Verification of a feed message against the chain view: body, certificate
//! (or based-block rules) and the link to a known parent. Never mutates.

use alloy_primitives::B256;

use super::{ChainView, CheckedBlock, L2Node};
use crate::Verified;
use crate::rollup::RollupError;
use crate::rollup::certificate::{
    Certificate, verify_committee_certificate, verify_ecdsa_certificate,
};
use crate::rollup::config::{SequencerAuth, SlotEndingRule};
use crate::rollup::feed::FeedMessage;
use crate::rollup::header::{BlockKind, L2Header};

impl ChainView {
    /// Verifies a feed message against the config and the known parent.
    /// Never mutates. Order: chain id, kind, body, duplicate, certificate
    /// (certified kinds), height above the anchor, then the parent link and
    /// the rules relative to the parent.
    ///
    /// # Errors
    /// Any [`RollupError`] describing the first rule broken: chain id, kind,
    /// body, certificate, parent link, slot-ending or based-block rules.
    pub fn verify_block(&self, msg: FeedMessage) -> Result<Verified<CheckedBlock>, RollupError> {
        let FeedMessage { block, certificate } = msg;
        let header = &block.header;
        if header.chain_id != self.config.chain_id {
            return Err(RollupError::WrongChainId {
                expected: self.config.chain_id,
                got: header.chain_id,
            });
        }
        let kind = header.block_kind()?;
        block.check_body()?;
        let hash = header.hash();
        if self.blocks.contains_key(&hash) {
            return Err(RollupError::Duplicate(hash));
        }
        // A certified block's certificate binds it without its parent: a
        // block no sequencer certified is refused (a lie, whatever its
        // height) before its parent is asked for, so a lying feed cannot make
        // the client walk its chain.
        if kind != BlockKind::Based {
            if kind == BlockKind::SlotEnding
                && matches!(self.config.slot_ending, SlotEndingRule::NthBlock(_))
            {
                return Err(RollupError::MarkerNotAllowed);
            }
            self.check_certificate(&certificate, header, hash)?;
        }
        if header.number <= self.anchor_number {
            return Err(RollupError::BehindAnchor {
                number: header.number,
                anchor: self.anchor_number,
            });
        }
        let parent = self
            .blocks
            .get(&header.parent_hash)
            .ok_or(RollupError::UnknownParent(header.parent_hash))?;
        if parent.header.number.checked_add(1) != Some(header.number) {
            return Err(RollupError::BadParentLink("number is not parent + 1"));
        }
        if header.l1_slot < parent.header.l1_slot {
            return Err(RollupError::BadParentLink("L1 slot goes backwards"));
        }
        if header.timestamp < parent.header.timestamp {
            return Err(RollupError::BadParentLink("timestamp goes backwards"));
        }
        if header.gas_used > header.gas_limit {
            return Err(RollupError::BadParentLink("gas used above gas limit"));
        }
        match kind {
            BlockKind::Based => {
                if certificate != Certificate::None {
                    return Err(RollupError::UnexpectedCertificate);
                }
                self.check_based_parent(header, &header.parent_hash, parent)?;
            }
            BlockKind::Sequenced | BlockKind::SlotEnding => {
                if (parent.slot_ending || parent.kind == BlockKind::Based)
                    && header.l1_slot <= parent.header.l1_slot
                {
                    return Err(RollupError::BadParentLink(
                        "a certified child of a slot-ending or based block must start a later slot",
                    ));
                }
            }
        }
        Ok(Verified::new_unchecked(CheckedBlock {
            tx_hashes: block.tx_hashes(),
            header: block.header,
            hash,
            kind,
            certificate,
        }))
    }

    fn check_based_parent(
        &self,
        header: &L2Header,
        parent_hash: &B256,
        parent: &L2Node,
    ) -> Result<(), RollupError> {
        // In based mode (or when this block's slot will start it: no
        // commitment can land before slot `l1_slot`), based blocks may extend
        // the committed head, whatever its kind.
        let tip = self.tip();
        let based_mode_at_slot = tip.based_mode_since.is_some()
            || header.l1_slot
                > tip
                    .last_commit_slot
                    .saturating_add(self.config.stall_limit_slots);
        if based_mode_at_slot && tip.committed_hash == *parent_hash {
            return Ok(());
        }
        let same_l1_parent = parent.header.l1_parent_beacon_root == header.l1_parent_beacon_root
            && parent.header.l1_parent_block_hash == header.l1_parent_block_hash;
        if parent.kind == BlockKind::Based || parent.slot_ending {
            if parent.header.l1_slot != header.l1_slot {
                return Err(RollupError::BasedWrongSlot {
                    block_slot: header.l1_slot,
                    parent_slot: parent.header.l1_slot,
                });
            }
            if !same_l1_parent {
                return Err(RollupError::L1ParentMismatch);
            }
            return Ok(());
        }
        Err(RollupError::BasedWrongParent)
    }

    fn check_certificate(
        &self,
        certificate: &Certificate,
        header: &L2Header,
        hash: B256,
    ) -> Result<(), RollupError> {
        match (&self.config.sequencer, certificate) {
            (_, Certificate::None) => Err(RollupError::MissingCertificate),
            (SequencerAuth::Key(addr), Certificate::Ecdsa(sig)) => {
                verify_ecdsa_certificate(sig, self.config.chain_id, hash, *addr)
            }
            (SequencerAuth::Committee(_), Certificate::Committee(cert)) => {
                let committee =
                    self.committee_for(header.l1_slot)
                        .ok_or(RollupError::WrongCommittee {
                            got: cert.committee_id,
                            slot: header.l1_slot,
                        })?;
                verify_committee_certificate(
                    committee,
                    cert,
                    self.config.chain_id,
                    hash,
                    header.l1_slot,
                )
            }
            _ => Err(RollupError::WrongCertificateKind),
        }
    }
}
