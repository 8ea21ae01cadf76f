//! Sequencer certificates: one secp256k1 key, or a weighted BLS committee.
//!
//! Pipeline: [`Certificate::decode`] parses the wire bytes; the committee is
//! decoded once ([`verify_committee`]) against its L1 announcement; then
//! [`verify_ecdsa_certificate`] or [`verify_committee_certificate`] checks one
//! block hash. Nothing here mutates state.

use alloy_primitives::{Address, B256, FixedBytes, Signature, keccak256};
use alloy_rlp::{RlpDecodable, RlpEncodable};
use serde::{Deserialize, Serialize};

use super::RollupError;
use crate::Verified;
use crate::bls::{BlsBackend, DefaultBackend, KeyCheck, PUBLIC_KEY_LEN, SIGNATURE_LEN};

/// Length of an ECDSA signature `r || s || v`.
pub const ECDSA_SIGNATURE_LEN: usize = 65;
/// Domain of single-key certificates: ASCII, right-padded with zeros.
pub const ECDSA_DOMAIN: [u8; 32] = pad32(b"preconf-light/seq-ecdsa/v1");
/// Domain of committee certificates: ASCII, right-padded with zeros.
pub const BLS_DOMAIN: [u8; 32] = pad32(b"preconf-light/seq-bls/v1");
/// Certificate tag: no certificate (based blocks).
pub const CERT_TAG_NONE: u8 = 0x00;
/// Certificate tag: ECDSA.
pub const CERT_TAG_ECDSA: u8 = 0x01;
/// Certificate tag: BLS committee.
pub const CERT_TAG_COMMITTEE: u8 = 0x02;
/// Inbox storage slot of `mapping(uint64 => bytes32) committeeHash`.
pub const COMMITTEE_HASH_MAPPING_SLOT: u64 = 1;
/// Inbox storage slot of `mapping(uint64 => uint64) committeeActivation`.
pub const COMMITTEE_ACTIVATION_MAPPING_SLOT: u64 = 2;

const fn pad32(s: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < s.len() && i < 32 {
        out[i] = s[i];
        i += 1;
    }
    out
}

fn u256_word(x: u64) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[24..].copy_from_slice(&x.to_be_bytes());
    w
}

/// The digest a single sequencer key signs: `keccak(ECDSA_DOMAIN || u256(chainId) || blockHash)`.
pub fn ecdsa_digest(chain_id: u64, block_hash: B256) -> B256 {
    let mut buf = [0u8; 96];
    buf[..32].copy_from_slice(&ECDSA_DOMAIN);
    buf[32..64].copy_from_slice(&u256_word(chain_id));
    buf[64..].copy_from_slice(block_hash.as_slice());
    keccak256(buf)
}

/// The message a committee signs:
/// `keccak(BLS_DOMAIN || u256(chainId) || u256(committeeId) || blockHash)`.
pub fn bls_message(chain_id: u64, committee_id: u64, block_hash: B256) -> B256 {
    let mut buf = [0u8; 128];
    buf[..32].copy_from_slice(&BLS_DOMAIN);
    buf[32..64].copy_from_slice(&u256_word(chain_id));
    buf[64..96].copy_from_slice(&u256_word(committee_id));
    buf[96..].copy_from_slice(block_hash.as_slice());
    keccak256(buf)
}

/// A committee certificate: aggregate signature plus participation bits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitteeCertificate {
    /// Which announced committee signed.
    pub committee_id: u64,
    /// Bit `i` (LSB-first within each byte) set iff member `i` signed.
    pub bitfield: Vec<u8>,
    /// Aggregate BLS signature (G2 compressed).
    pub signature: FixedBytes<SIGNATURE_LEN>,
}

/// A sequencer certificate over one block hash.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Certificate {
    /// No certificate (based blocks).
    None,
    /// `r || s || v` by the single sequencer key.
    Ecdsa(FixedBytes<ECDSA_SIGNATURE_LEN>),
    /// A weighted committee's aggregate.
    Committee(CommitteeCertificate),
}

impl Certificate {
    /// Decodes the wire encoding (PROTOCOL.md section 2.3).
    ///
    /// # Errors
    /// [`RollupError::Malformed`] for an unknown tag, wrong lengths or trailing bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, RollupError> {
        let (tag, rest) = bytes
            .split_first()
            .ok_or(RollupError::Malformed("empty certificate"))?;
        match *tag {
            CERT_TAG_NONE if rest.is_empty() => Ok(Self::None),
            CERT_TAG_ECDSA => {
                let sig: [u8; ECDSA_SIGNATURE_LEN] = rest
                    .try_into()
                    .map_err(|_| RollupError::Malformed("ECDSA certificate"))?;
                Ok(Self::Ecdsa(sig.into()))
            }
            CERT_TAG_COMMITTEE => {
                let (id, rest) = rest
                    .split_first_chunk::<8>()
                    .ok_or(RollupError::Malformed("committee id"))?;
                let (len, rest) = rest
                    .split_first_chunk::<2>()
                    .ok_or(RollupError::Malformed("bitfield length"))?;
                let len = usize::from(u16::from_be_bytes(*len));
                let (bits, rest) = rest
                    .split_at_checked(len)
                    .ok_or(RollupError::Malformed("bitfield"))?;
                let sig: [u8; SIGNATURE_LEN] = rest
                    .try_into()
                    .map_err(|_| RollupError::Malformed("BLS signature"))?;
                Ok(Self::Committee(CommitteeCertificate {
                    committee_id: u64::from_be_bytes(*id),
                    bitfield: bits.to_vec(),
                    signature: sig.into(),
                }))
            }
            _ => Err(RollupError::Malformed("certificate tag")),
        }
    }

    /// The wire encoding (PROTOCOL.md section 2.3).
    ///
    /// # Errors
    /// [`RollupError::Malformed`] if a committee bitfield is longer than `u16::MAX`.
    pub fn encode(&self) -> Result<Vec<u8>, RollupError> {
        match self {
            Self::None => Ok(vec![CERT_TAG_NONE]),
            Self::Ecdsa(sig) => {
                let mut out = vec![CERT_TAG_ECDSA];
                out.extend_from_slice(sig.as_slice());
                Ok(out)
            }
            Self::Committee(c) => {
                let len = u16::try_from(c.bitfield.len())
                    .map_err(|_| RollupError::Malformed("bitfield too long"))?;
                let mut out = vec![CERT_TAG_COMMITTEE];
                out.extend_from_slice(&c.committee_id.to_be_bytes());
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(&c.bitfield);
                out.extend_from_slice(c.signature.as_slice());
                Ok(out)
            }
        }
    }
}

/// Checks a single-key certificate over `block_hash`.
///
/// # Errors
/// [`RollupError::Malformed`] for a bad `v`; [`RollupError::HighS`] for a
/// malleable signature; [`RollupError::InvalidSignature`] if it does not
/// recover to `sequencer`.
pub fn verify_ecdsa_certificate(
    signature: &FixedBytes<ECDSA_SIGNATURE_LEN>,
    chain_id: u64,
    block_hash: B256,
    sequencer: Address,
) -> Result<(), RollupError> {
    // Section 2.1: exactly these four; alloy would also take the EIP-155 forms.
    if !matches!(signature.0[ECDSA_SIGNATURE_LEN - 1], 0 | 1 | 27 | 28) {
        return Err(RollupError::Malformed("ECDSA signature v"));
    }
    let sig = Signature::from_raw_array(&signature.0)
        .map_err(|_| RollupError::Malformed("ECDSA signature"))?;
    if sig.normalize_s().is_some() {
        return Err(RollupError::HighS);
    }
    let recovered = sig
        .recover_address_from_prehash(&ecdsa_digest(chain_id, block_hash))
        .map_err(|_| RollupError::InvalidSignature)?;
    if recovered == sequencer {
        Ok(())
    } else {
        Err(RollupError::InvalidSignature)
    }
}

/// One committee member as announced.
#[derive(Debug, Clone, PartialEq, Eq, Hash, RlpEncodable, RlpDecodable, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitteeMember {
    /// Compressed G1 public key.
    pub pubkey: FixedBytes<PUBLIC_KEY_LEN>,
    /// Voting weight, non-zero.
    pub weight: u64,
}

#[derive(RlpEncodable)]
struct CommitteeRlp<'a> {
    id: u64,
    members: &'a Vec<CommitteeMember>,
}

/// The hash a committee is announced under: `keccak(rlp([id, [[pubkey, weight], ...]]))`.
pub fn committee_hash(committee_id: u64, members: &Vec<CommitteeMember>) -> B256 {
    keccak256(alloy_rlp::encode(CommitteeRlp {
        id: committee_id,
        members,
    }))
}

/// What the inbox contract's storage says about one committee.
///
/// Built by `crate::confidence::l1_adapter::committee_announcement` from two storage
/// words proven against a verified L1 state root (see
/// [`CommitteeAnnouncement::storage_keys`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommitteeAnnouncement {
    /// Committee id.
    pub committee_id: u64,
    /// `committeeHash[id]`.
    pub committee_hash: B256,
    /// `committeeActivation[id]`: first L1 slot the committee signs.
    pub activation_l1_slot: u64,
}

impl CommitteeAnnouncement {
    /// Storage keys of `committeeHash[id]` and `committeeActivation[id]` in the inbox.
    pub fn storage_keys(committee_id: u64) -> (B256, B256) {
        let key = |slot: u64| {
            let mut buf = [0u8; 64];
            buf[..32].copy_from_slice(&u256_word(committee_id));
            buf[32..].copy_from_slice(&u256_word(slot));
            keccak256(buf)
        };
        (
            key(COMMITTEE_HASH_MAPPING_SLOT),
            key(COMMITTEE_ACTIVATION_MAPPING_SLOT),
        )
    }
}

type BlsKey = <DefaultBackend as BlsBackend>::PublicKey;

/// A committee whose keys are decoded and whose hash matched its announcement.
#[derive(Clone)]
pub struct CommitteeKeys {
    /// Committee id.
    pub id: u64,
    /// First L1 slot it signs.
    pub activation_l1_slot: u64,
    /// The announced hash.
    pub hash: B256,
    keys: Vec<BlsKey>,
    weights: Vec<u64>,
    total_weight: u128,
}

impl core::fmt::Debug for CommitteeKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CommitteeKeys")
            .field("id", &self.id)
            .field("activation_l1_slot", &self.activation_l1_slot)
            .field("members", &self.keys.len())
            .field("total_weight", &self.total_weight)
            .finish()
    }
}

impl CommitteeKeys {
    /// Number of members.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no members (never true once verified).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Sum of all weights.
    pub fn total_weight(&self) -> u128 {
        self.total_weight
    }
}

/// Decodes a committee's keys and checks them against its announcement.
///
/// # Errors
/// [`RollupError::CommitteeMismatch`] if the member list does not hash to the
/// announced hash; [`RollupError::InvalidCommittee`] for no members, a zero
/// weight or a bad key.
pub fn verify_committee(
    members: &Vec<CommitteeMember>,
    announcement: &Verified<CommitteeAnnouncement>,
) -> Result<Verified<CommitteeKeys>, RollupError> {
    if committee_hash(announcement.committee_id, members) != announcement.committee_hash {
        return Err(RollupError::CommitteeMismatch);
    }
    if members.is_empty() {
        return Err(RollupError::InvalidCommittee("no members"));
    }
    let mut keys = Vec::with_capacity(members.len());
    let mut weights = Vec::with_capacity(members.len());
    let mut total: u128 = 0;
    for m in members {
        if m.weight == 0 {
            return Err(RollupError::InvalidCommittee("zero weight"));
        }
        let key = DefaultBackend::decode_public_key(&m.pubkey.0, KeyCheck::Full)
            .map_err(|_| RollupError::InvalidCommittee("bad public key"))?;
        keys.push(key);
        weights.push(m.weight);
        total = total.saturating_add(u128::from(m.weight));
    }
    Ok(Verified::new_unchecked(CommitteeKeys {
        id: announcement.committee_id,
        activation_l1_slot: announcement.activation_l1_slot,
        hash: announcement.committee_hash,
        keys,
        weights,
        total_weight: total,
    }))
}

/// The 2/3 threshold: `3 * signed >= 2 * total`.
pub fn meets_threshold(signed: u128, total: u128) -> bool {
    signed.saturating_mul(3) >= total.saturating_mul(2)
}

/// Checks a committee certificate over `block_hash`.
///
/// # Errors
/// [`RollupError::WrongCommittee`] if it names another committee;
/// [`RollupError::InvalidBitfield`] for a bad bitfield;
/// [`RollupError::BelowThreshold`] below 2/3 of the weight;
/// [`RollupError::InvalidSignature`] if the aggregate does not verify.
pub fn verify_committee_certificate(
    committee: &CommitteeKeys,
    cert: &CommitteeCertificate,
    chain_id: u64,
    block_hash: B256,
    l1_slot: u64,
) -> Result<(), RollupError> {
    if cert.committee_id != committee.id {
        return Err(RollupError::WrongCommittee {
            got: cert.committee_id,
            slot: l1_slot,
        });
    }
    let n = committee.keys.len();
    if cert.bitfield.len() != n.div_ceil(8) {
        return Err(RollupError::InvalidBitfield);
    }
    // Padding bits beyond the member count must be zero.
    for bit in n..cert.bitfield.len().saturating_mul(8) {
        if bit_set(&cert.bitfield, bit) {
            return Err(RollupError::InvalidBitfield);
        }
    }
    let mut signed: u128 = 0;
    let mut any = false;
    for (i, w) in committee.weights.iter().enumerate() {
        if bit_set(&cert.bitfield, i) {
            signed = signed.saturating_add(u128::from(*w));
            any = true;
        }
    }
    if !any || !meets_threshold(signed, committee.total_weight) {
        return Err(RollupError::BelowThreshold {
            signed,
            total: committee.total_weight,
        });
    }
    let participants = committee
        .keys
        .iter()
        .enumerate()
        .filter(|(i, _)| bit_set(&cert.bitfield, *i))
        .map(|(_, k)| k);
    let aggregate = DefaultBackend::aggregate(participants).ok_or(RollupError::InvalidSignature)?;
    let message = bls_message(chain_id, committee.id, block_hash);
    DefaultBackend::verify(&aggregate, message.as_slice(), &cert.signature.0)
        .map_err(|_| RollupError::InvalidSignature)
}

fn bit_set(bits: &[u8], i: usize) -> bool {
    bits.get(i / 8).is_some_and(|b| (b >> (i % 8)) & 1 == 1)
}
