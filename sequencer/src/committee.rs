//! The weighted BLS committee (PROTOCOL.md section 2.2): member signers, the
//! announced committee, and the aggregator that turns member signatures into
//! one certificate.
//!
//! ```text
//!  member i: MemberSigner::sign(chainId, committeeId, blockHash) ──► MemberSignature
//!  operator: Aggregator::new(&committee, chainId, blockHash)
//!              .add(i, sig)   (checked against member i's key)
//!              .finish()      (2/3 of the weight, or BelowThreshold)
//!          ──► Certificate::Committee { committeeId, bitfield, aggregate }
//! ```
//!
//! Signatures use Ethereum's scheme (blst, proof-of-possession DST), so the
//! aggregate verifies with `FastAggregateVerify` over the participants' keys.

use std::collections::BTreeMap;

use alloy_primitives::{B256, FixedBytes};
use blst::BLST_ERROR;
use blst::min_pk::{AggregateSignature, PublicKey, SecretKey, Signature};
use preconf_light::bls::ETH_DST;
use preconf_light::rollup::certificate::{
    CommitteeCertificate, bls_message, committee_hash, meets_threshold,
};
use preconf_light::rollup::{Certificate, CommitteeAnnouncement, CommitteeMember};

use crate::{Certifier, SequencerError};

/// A member's signature of one block's committee message (G2 compressed).
pub type MemberSignature = FixedBytes<96>;

/// One committee member's BLS key.
#[derive(Clone)]
pub struct MemberSigner {
    secret: SecretKey,
    pubkey: FixedBytes<48>,
}

impl core::fmt::Debug for MemberSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MemberSigner")
            .field("pubkey", &self.pubkey)
            .finish_non_exhaustive()
    }
}

impl MemberSigner {
    /// A key from at least 32 bytes of key material (EIP-2333 `KeyGen`).
    ///
    /// # Errors
    /// [`SequencerError::InvalidKey`] for fewer than 32 bytes.
    pub fn from_ikm(ikm: &[u8]) -> Result<Self, SequencerError> {
        SecretKey::key_gen(ikm, &[])
            .map(Self::from_secret)
            .map_err(|_| SequencerError::InvalidKey)
    }

    /// A key from its 32-byte big-endian scalar.
    ///
    /// # Errors
    /// [`SequencerError::InvalidKey`] for zero or a value not below the group order.
    pub fn from_bytes(secret: &[u8]) -> Result<Self, SequencerError> {
        SecretKey::from_bytes(secret)
            .map(Self::from_secret)
            .map_err(|_| SequencerError::InvalidKey)
    }

    fn from_secret(secret: SecretKey) -> Self {
        let pubkey = FixedBytes(secret.sk_to_pk().compress());
        Self { secret, pubkey }
    }

    /// The compressed public key announced for this member.
    pub fn pubkey(&self) -> FixedBytes<48> {
        self.pubkey
    }

    /// Signs block `block_hash` of chain `chain_id` for committee `committee_id`.
    pub fn sign(&self, chain_id: u64, committee_id: u64, block_hash: B256) -> MemberSignature {
        let message = bls_message(chain_id, committee_id, block_hash);
        FixedBytes(
            self.secret
                .sign(message.as_slice(), ETH_DST, &[])
                .compress(),
        )
    }
}

/// A committee as the inbox announces it: id and ordered, weighted members.
#[derive(Debug, Clone)]
pub struct Committee {
    id: u64,
    members: Vec<CommitteeMember>,
    keys: Vec<PublicKey>,
    total_weight: u128,
}

impl Committee {
    /// A committee from its id and ordered members.
    ///
    /// # Errors
    /// [`SequencerError::InvalidCommittee`] for no members, a zero weight or a
    /// public key that is not a valid G1 point (the core refuses such a committee).
    pub fn new(id: u64, members: Vec<CommitteeMember>) -> Result<Self, SequencerError> {
        if members.is_empty() {
            return Err(SequencerError::InvalidCommittee("no members"));
        }
        let mut keys = Vec::with_capacity(members.len());
        let mut total: u128 = 0;
        for m in &members {
            if m.weight == 0 {
                return Err(SequencerError::InvalidCommittee("zero weight"));
            }
            let key = PublicKey::key_validate(m.pubkey.as_slice())
                .map_err(|_| SequencerError::InvalidCommittee("bad public key"))?;
            keys.push(key);
            total = total.saturating_add(u128::from(m.weight));
        }
        Ok(Self {
            id,
            members,
            keys,
            total_weight: total,
        })
    }

    /// Committee id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Members, in announcement order.
    pub fn members(&self) -> &[CommitteeMember] {
        &self.members
    }

    /// Sum of the weights.
    pub fn total_weight(&self) -> u128 {
        self.total_weight
    }

    /// `keccak(rlp([id, [[pubkey, weight], ...]]))`: the hash the inbox stores.
    pub fn hash(&self) -> B256 {
        committee_hash(self.id, &self.members)
    }

    /// What the inbox's storage holds once the committee is announced with
    /// `activation_l1_slot` (the first L1 slot it signs).
    pub fn announcement(&self, activation_l1_slot: u64) -> CommitteeAnnouncement {
        CommitteeAnnouncement {
            committee_id: self.id,
            committee_hash: self.hash(),
            activation_l1_slot,
        }
    }
}

/// Collects member signatures of one block and aggregates them.
#[derive(Debug)]
pub struct Aggregator<'a> {
    committee: &'a Committee,
    message: B256,
    signatures: BTreeMap<usize, Signature>,
    signed_weight: u128,
}

impl<'a> Aggregator<'a> {
    /// An empty aggregation of `block_hash` on chain `chain_id`.
    pub fn new(committee: &'a Committee, chain_id: u64, block_hash: B256) -> Self {
        Self {
            committee,
            message: bls_message(chain_id, committee.id, block_hash),
            signatures: BTreeMap::new(),
            signed_weight: 0,
        }
    }

    /// Adds member `member`'s signature after checking it against its key.
    ///
    /// # Errors
    /// [`SequencerError::UnknownMember`], [`SequencerError::DuplicateMember`],
    /// or [`SequencerError::BadMemberSignature`] for a signature that does not
    /// decode or verify (a wrong key, block, chain or committee).
    pub fn add(
        &mut self,
        member: usize,
        signature: &MemberSignature,
    ) -> Result<(), SequencerError> {
        let key = self
            .committee
            .keys
            .get(member)
            .ok_or(SequencerError::UnknownMember(member))?;
        if self.signatures.contains_key(&member) {
            return Err(SequencerError::DuplicateMember(member));
        }
        let sig = Signature::sig_validate(signature.as_slice(), true)
            .map_err(|_| SequencerError::BadMemberSignature(member))?;
        if sig.verify(false, self.message.as_slice(), ETH_DST, &[], key, false)
            != BLST_ERROR::BLST_SUCCESS
        {
            return Err(SequencerError::BadMemberSignature(member));
        }
        self.insert(member, sig);
        Ok(())
    }

    fn insert(&mut self, member: usize, sig: Signature) {
        let weight = self.committee.members.get(member).map_or(0, |m| m.weight);
        self.signed_weight = self.signed_weight.saturating_add(u128::from(weight));
        self.signatures.insert(member, sig);
    }

    /// Weight of the members added so far.
    pub fn signed_weight(&self) -> u128 {
        self.signed_weight
    }

    /// Whether the members added so far reach the 2/3 threshold.
    pub fn complete(&self) -> bool {
        !self.signatures.is_empty()
            && meets_threshold(self.signed_weight, self.committee.total_weight)
    }

    /// The committee certificate: participation bitfield and aggregate signature.
    ///
    /// # Errors
    /// [`SequencerError::BelowThreshold`] when fewer than 2/3 of the weight signed.
    pub fn finish(self) -> Result<Certificate, SequencerError> {
        if !self.complete() {
            return Err(SequencerError::BelowThreshold {
                signed: self.signed_weight,
                total: self.committee.total_weight,
            });
        }
        let mut bitfield = vec![0u8; self.committee.members.len().div_ceil(8)];
        for i in self.signatures.keys() {
            if let Some(b) = bitfield.get_mut(i / 8) {
                *b |= 1 << (i % 8);
            }
        }
        let refs: Vec<&Signature> = self.signatures.values().collect();
        let aggregate = AggregateSignature::aggregate(&refs, false)
            .map_err(|_| SequencerError::InvalidCommittee("aggregation failed"))?;
        Ok(Certificate::Committee(CommitteeCertificate {
            committee_id: self.committee.id,
            bitfield,
            signature: FixedBytes(aggregate.to_signature().compress()),
        }))
    }
}

/// A committee whose signing members run in this process: each certificate
/// is signed by every member held here and aggregated (a devnet, a test, or
/// an operator that holds enough of the weight itself).
#[derive(Debug, Clone)]
pub struct LocalCommittee {
    committee: Committee,
    signers: Vec<(usize, MemberSigner)>,
}

impl LocalCommittee {
    /// `committee` signed by `signers` (member index, key).
    ///
    /// # Errors
    /// [`SequencerError::UnknownMember`] for an index outside the committee;
    /// [`SequencerError::InvalidCommittee`] if a signer's key is not the
    /// announced key of its index.
    pub fn new(
        committee: Committee,
        signers: Vec<(usize, MemberSigner)>,
    ) -> Result<Self, SequencerError> {
        for (i, s) in &signers {
            let member = committee
                .members
                .get(*i)
                .ok_or(SequencerError::UnknownMember(*i))?;
            if member.pubkey != s.pubkey() {
                return Err(SequencerError::InvalidCommittee(
                    "a signer's key is not its member's announced key",
                ));
            }
        }
        Ok(Self { committee, signers })
    }

    /// The committee.
    pub fn committee(&self) -> &Committee {
        &self.committee
    }
}

impl Certifier for LocalCommittee {
    fn certify(&self, chain_id: u64, block_hash: B256) -> Result<Certificate, SequencerError> {
        let mut agg = Aggregator::new(&self.committee, chain_id, block_hash);
        for (i, s) in &self.signers {
            let sig = s.secret.sign(agg.message.as_slice(), ETH_DST, &[]);
            // Our own signatures: no need to verify them again.
            if agg.signatures.contains_key(i) {
                return Err(SequencerError::DuplicateMember(*i));
            }
            agg.insert(*i, sig);
        }
        agg.finish()
    }
}
