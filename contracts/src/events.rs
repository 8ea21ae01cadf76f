//! The inbox's events (docs/PROTOCOL.md section 5.2.2), decoded from a log's
//! topics and data into the protocol's types.

use alloy_primitives::{B256, Bytes, FixedBytes};
use alloy_sol_types::SolEvent;
use preconf_light::rollup::{Certificate, CommitteeMember, L2Header};

use crate::InboxError;
use crate::abi::PreconfInbox;
use crate::points::G1_COMPRESSED_LEN;

/// One decoded inbox event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboxEvent {
    /// `L2BlocksCommitted`: a commitment the inbox accepted.
    Committed {
        /// The new committed head.
        block_hash: B256,
        /// Its number.
        number: u64,
        /// The committed head before.
        prev_committed: B256,
        /// Queue index of the first request still pending after it.
        forced_head: u64,
        /// The committed blocks' headers, ascending.
        headers: Vec<L2Header>,
        /// Their certificates, in the same order.
        certificates: Vec<Certificate>,
    },
    /// `ForcedInclusionRequested`.
    ForcedRequested {
        /// Hash of the transaction.
        tx_hash: B256,
        /// Queue index.
        index: u64,
        /// Commitments in later slots must include it.
        deadline_slot: u64,
        /// The transaction (EIP-2718 bytes).
        transaction: Bytes,
    },
    /// `CommitteeAnnounced`.
    CommitteeAnnounced {
        /// Committee id.
        committee_id: u64,
        /// First L1 slot it signs.
        activation_slot: u64,
        /// `keccak(rlp([id, [[pubkey, weight], ...]]))`.
        committee_hash: B256,
        /// Members in order.
        members: Vec<CommitteeMember>,
    },
}

/// Decodes a log of the inbox; `Ok(None)` for a topic the inbox does not emit.
///
/// # Errors
/// [`InboxError::MalformedLog`] for a known event whose data does not
/// decode; [`InboxError::MalformedSegment`] for a commitment carrying an
/// undecodable header or certificate (a conforming inbox never emits one).
pub fn decode_log(topics: &[B256], data: &[u8]) -> Result<Option<InboxEvent>, InboxError> {
    let Some(topic0) = topics.first() else {
        return Ok(None);
    };
    if *topic0 == PreconfInbox::L2BlocksCommitted::SIGNATURE_HASH {
        let e = PreconfInbox::L2BlocksCommitted::decode_raw_log(topics.iter().copied(), data)
            .map_err(|_| InboxError::MalformedLog("L2BlocksCommitted"))?;
        let headers = e
            .headers
            .iter()
            .map(|h| L2Header::decode_rlp(h).map_err(|_| InboxError::MalformedSegment))
            .collect::<Result<Vec<_>, _>>()?;
        let certificates = e
            .certificates
            .iter()
            .map(|c| Certificate::decode(c).map_err(|_| InboxError::MalformedSegment))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Some(InboxEvent::Committed {
            block_hash: e.blockHash,
            number: e.number,
            prev_committed: e.prevCommitted,
            forced_head: e.forcedHead,
            headers,
            certificates,
        }));
    }
    if *topic0 == PreconfInbox::ForcedInclusionRequested::SIGNATURE_HASH {
        let e =
            PreconfInbox::ForcedInclusionRequested::decode_raw_log(topics.iter().copied(), data)
                .map_err(|_| InboxError::MalformedLog("ForcedInclusionRequested"))?;
        return Ok(Some(InboxEvent::ForcedRequested {
            tx_hash: e.txHash,
            index: e.index,
            deadline_slot: e.deadlineSlot,
            transaction: e.transaction,
        }));
    }
    if *topic0 == PreconfInbox::CommitteeAnnounced::SIGNATURE_HASH {
        let e = PreconfInbox::CommitteeAnnounced::decode_raw_log(topics.iter().copied(), data)
            .map_err(|_| InboxError::MalformedLog("CommitteeAnnounced"))?;
        if e.pubkeys.len() != e.weights.len() * G1_COMPRESSED_LEN {
            return Err(InboxError::MalformedLog("CommitteeAnnounced"));
        }
        let members = e
            .pubkeys
            .chunks_exact(G1_COMPRESSED_LEN)
            .zip(&e.weights)
            .map(|(k, w)| CommitteeMember {
                pubkey: FixedBytes::from_slice(k),
                weight: *w,
            })
            .collect();
        return Ok(Some(InboxEvent::CommitteeAnnounced {
            committee_id: e.committeeId,
            activation_slot: e.activationSlot,
            committee_hash: e.committeeHash,
            members,
        }));
    }
    Ok(None)
}
