//! `preconf-sequencer`: the signer side of the preconf-light rollup protocol
//! (docs/PROTOCOL.md), for rollup operators and devnets.
//!
//! The core crate (`preconf-light`) verifies; this crate writes what it
//! verifies, with the core's own types ([`L2Header`], [`FeedMessage`],
//! [`Certificate`], ...) and hashing, so the two cannot drift apart.
//!
//! ```text
//!  keys      EcdsaSigner (section 2.1)          MemberSigner ─► Aggregator (section 2.2)
//!               │ Certifier                           │ LocalCommittee: Certifier
//!               ▼                                     ▼
//!  blocks    Sequencer::certify_next(&tip, SlotContext, end_slot, Body)
//!               slot rule (marker / N-th, section 3) ─► L2Header ─► certificate
//!            build_based(&tip, BasedOn::SlotEnd | CommittedHead, ..)  (section 4-5)
//!               ─► Sealed { message: FeedMessage, hash, tip }   ─► publish on the feed (section 7)
//!  L1        inbox::commit_calldata(&Commitment)  ─► the committer's L1 transaction (section 5)
//!            inbox::force_include_calldata(tx)    ─► a user's forced-inclusion request
//! ```
//!
//! Executing transactions is the operator's business (its EVM): the SDK takes
//! the resulting roots and gas in a [`Body`]. Everything the SDK refuses
//! ([`SequencerError`]) is a message the core's verifier would reject.
//!
//! # Example
//!
//! ```
//! use preconf_light::rollup::{L2Header, SlotEndingRule};
//! use preconf_sequencer::{Body, EcdsaSigner, L1Parent, Sequencer, SlotContext, Tip};
//!
//! let key = EcdsaSigner::from_bytes(&[7u8; 32]).unwrap();
//! let sequencer = Sequencer::new(690_420, SlotEndingRule::Marker, key);
//! let genesis = L2Header {
//!     chain_id: 690_420, number: 0, parent_hash: Default::default(), kind: 0, l1_slot: 0,
//!     l1_parent_beacon_root: Default::default(), l1_parent_block_hash: Default::default(),
//!     timestamp: 1_700_000_000, state_root: Default::default(),
//!     transactions_root: preconf_light::rollup::header::transactions_root(&[]),
//!     receipts_root: Default::default(), gas_limit: 30_000_000, gas_used: 0, base_fee_per_gas: 1,
//! };
//! let tip = Tip::anchor(genesis, true);
//! let slot = SlotContext { l1_slot: 1, l1_parent: L1Parent::default(), timestamp: 1_700_000_011 };
//! let body = Body { gas_limit: 30_000_000, base_fee_per_gas: 1, ..Body::default() };
//! let sealed = sequencer.certify_next(&tip, slot, true, body).unwrap();
//! assert_eq!(sealed.message.block.header.kind, 1); // slot-ending by marker
//! ```

mod block;
pub mod committee;
mod config;
mod ecdsa;
mod error;
pub mod inbox;
pub mod slot;

use alloy_primitives::B256;

pub use block::{
    BasedOn, Body, L1Parent, Sealed, Sequencer, SlotContext, Tip, build_based, child_header,
};
pub use committee::{Aggregator, Committee, LocalCommittee, MemberSignature, MemberSigner};
pub use config::committee_config_hash;
pub use ecdsa::EcdsaSigner;
pub use error::SequencerError;
pub use inbox::{Commitment, commit_calldata, force_include_calldata};
pub use preconf_light::rollup::{Certificate, FeedMessage, L2Block, L2Header, SlotEndingRule};
pub use slot::SlotState;

/// Produces the certificate of one block hash: a sequencer key or a committee.
pub trait Certifier {
    /// The certificate of block `block_hash` of chain `chain_id`.
    ///
    /// # Errors
    /// [`SequencerError`] when the key or committee cannot certify (for a
    /// committee: too little weight signed).
    fn certify(&self, chain_id: u64, block_hash: B256) -> Result<Certificate, SequencerError>;
}

impl<C: Certifier + ?Sized> Certifier for &C {
    fn certify(&self, chain_id: u64, block_hash: B256) -> Result<Certificate, SequencerError> {
        (**self).certify(chain_id, block_hash)
    }
}

impl<C: Certifier + ?Sized> Certifier for Box<C> {
    fn certify(&self, chain_id: u64, block_hash: B256) -> Result<Certificate, SequencerError> {
        (**self).certify(chain_id, block_hash)
    }
}
