//! Calldata of the inbox's functions, from the protocol's own types.
//!
//! A sequencer (or anyone committing based blocks) builds a [`Commitment`]:
//! the committed head's header, the new blocks with their section 2.3
//! certificates, the keys of the committees those certificates name, and
//! the inclusion proofs of the forced transactions it discharges; then
//! [`commit_calldata`] gives the bytes of `commit(...)`. Compressed BLS
//! points are converted to the EIP-2537 form here ([`crate::points`]).

use alloy_primitives::{Address, B256, Bytes, U256, keccak256};
use alloy_sol_types::{SolCall, SolConstructor};
use preconf_light::rollup::certificate::CommitteeCertificate;
use preconf_light::rollup::{
    Certificate, CommitteeMember, L2Header, RollupConfig, SequencerAuth, SlotEndingRule,
};

use crate::InboxError;
use crate::abi::PreconfInbox;
use crate::points::{g1_uncompressed, g2_uncompressed};

/// Domain of committee rotation messages (section 2.2): ASCII, right-padded with zeros.
pub const ROTATION_DOMAIN: [u8; 32] = pad32(b"preconf-light/seq-rotate/v1");

const fn pad32(s: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < s.len() && i < 32 {
        out[i] = s[i];
        i += 1;
    }
    out
}

/// The inbox's immutable parameters (constructor argument `cfg`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxConfig {
    /// L2 chain id.
    pub chain_id: u64,
    /// The sequencer key's address; zero for a committee rollup.
    pub sequencer: Address,
    /// N of the N-th block rule; 0 for the marker rule.
    pub slot_ending_n: u32,
    /// K.
    pub stall_limit_slots: u64,
    /// Slots a forced-inclusion request may wait.
    pub forced_inclusion_window_slots: u64,
    /// L1 genesis time.
    pub genesis_time: u64,
    /// Seconds per L1 slot.
    pub seconds_per_slot: u64,
    /// Slots per L1 epoch.
    pub slots_per_epoch: u64,
}

impl InboxConfig {
    /// The inbox parameters of a rollup config (its committee, if any, is
    /// committee 0 and is passed to [`deploy_code`] by hash).
    pub fn from_rollup(config: &RollupConfig) -> Self {
        Self {
            chain_id: config.chain_id,
            sequencer: match &config.sequencer {
                SequencerAuth::Key(a) => *a,
                SequencerAuth::Committee(_) => Address::ZERO,
            },
            slot_ending_n: match config.slot_ending {
                SlotEndingRule::Marker => 0,
                SlotEndingRule::NthBlock(n) => n,
            },
            stall_limit_slots: config.stall_limit_slots,
            forced_inclusion_window_slots: config.forced_inclusion_window_slots,
            genesis_time: config.l1.genesis_time,
            seconds_per_slot: config.l1.seconds_per_slot,
            slots_per_epoch: config.l1.slots_per_epoch,
        }
    }

    fn abi(&self) -> PreconfInbox::Config {
        PreconfInbox::Config {
            chainId: self.chain_id,
            sequencer: self.sequencer,
            slotEndingN: self.slot_ending_n,
            stallLimitSlots: self.stall_limit_slots,
            forcedInclusionWindowSlots: self.forced_inclusion_window_slots,
            genesisTime: self.genesis_time,
            secondsPerSlot: self.seconds_per_slot,
            slotsPerEpoch: self.slots_per_epoch,
        }
    }
}

/// The creation transaction's data: the bytecode and the constructor
/// arguments. `initial_committee_hash` is zero for an ECDSA rollup and the
/// hash of committee 0 (section 2.2) for a committee rollup.
pub fn deploy_code(
    config: &InboxConfig,
    genesis_hash: B256,
    initial_committee_hash: B256,
) -> Bytes {
    let mut code = crate::creation_code();
    code.extend_from_slice(
        &PreconfInbox::constructorCall {
            cfg: config.abi(),
            genesisHash: genesis_hash,
            initialCommitteeHash: initial_committee_hash,
        }
        .abi_encode(),
    );
    code.into()
}

/// One block of a commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitBlock {
    /// Its header.
    pub header: L2Header,
    /// Its certificate (`Certificate::None` for a based block).
    pub certificate: Certificate,
}

/// A committee's member list, for calldata (the keys are converted to EIP-2537).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitteeInput {
    /// Committee id.
    pub id: u64,
    /// Members in order, with compressed keys.
    pub members: Vec<CommitteeMember>,
}

impl CommitteeInput {
    fn abi(&self) -> Result<PreconfInbox::CommitteeKeys, InboxError> {
        let mut keys = Vec::with_capacity(self.members.len() * crate::points::G1_LEN);
        for m in &self.members {
            keys.extend_from_slice(&g1_uncompressed(&m.pubkey.0)?);
        }
        Ok(PreconfInbox::CommitteeKeys {
            id: self.id,
            keys: keys.into(),
            weights: self.members.iter().map(|m| m.weight).collect(),
        })
    }
}

/// The proof that discharges one forced-inclusion request (section 5.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForcedInclusion {
    /// Position of the including block in the commitment's `blocks`.
    pub block_index: u64,
    /// Index of the transaction in that block.
    pub tx_index: u64,
    /// Trie nodes from the block's transactions root to the leaf ([`crate::forced::transaction_proof`]).
    pub nodes: Vec<Bytes>,
}

/// Everything `commit` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commitment {
    /// The header of the current committed head (`prevCommitted` is its hash).
    pub head: L2Header,
    /// The new blocks, ascending, the first a child of `head`.
    pub blocks: Vec<CommitBlock>,
    /// The members of every committee a certificate names.
    pub committees: Vec<CommitteeInput>,
    /// Proofs for the queue entries `forcedHead, forcedHead + 1, ...`.
    pub forced: Vec<ForcedInclusion>,
}

/// `commit(...)` calldata.
///
/// # Errors
/// [`InboxError::InvalidPoint`] for a committee key or signature that is
/// not a compressed curve point; [`InboxError::Certificate`] for a
/// certificate section 2.3 cannot encode.
pub fn commit_calldata(c: &Commitment) -> Result<Bytes, InboxError> {
    let mut headers = Vec::with_capacity(c.blocks.len());
    let mut certificates = Vec::with_capacity(c.blocks.len());
    let mut signatures = Vec::with_capacity(c.blocks.len());
    for b in &c.blocks {
        headers.push(Bytes::from(b.header.rlp_bytes()));
        certificates.push(Bytes::from(
            b.certificate
                .encode()
                .map_err(|_| InboxError::Certificate("bitfield too long"))?,
        ));
        signatures.push(match &b.certificate {
            Certificate::Committee(cc) => Bytes::from(g2_uncompressed(&cc.signature.0)?.to_vec()),
            _ => Bytes::new(),
        });
    }
    if signatures.iter().all(|s| s.is_empty()) {
        signatures.clear();
    }
    let committees = c
        .committees
        .iter()
        .map(CommitteeInput::abi)
        .collect::<Result<Vec<_>, _>>()?;
    let call = PreconfInbox::commitCall {
        prevCommitted: c.head.hash(),
        headHeader: c.head.rlp_bytes().into(),
        headers,
        certificates,
        signatures,
        committees,
        forced: c
            .forced
            .iter()
            .map(|f| PreconfInbox::ForcedProof {
                blockIndex: f.block_index,
                txIndex: f.tx_index,
                nodes: f.nodes.clone(),
            })
            .collect(),
    };
    Ok(call.abi_encode().into())
}

/// `requestForcedInclusion(transaction)` calldata.
pub fn forced_request_calldata(transaction: &[u8]) -> Bytes {
    PreconfInbox::requestForcedInclusionCall {
        transaction: transaction.to_vec().into(),
    }
    .abi_encode()
    .into()
}

fn member_arrays(members: &[CommitteeMember]) -> Result<(Bytes, Bytes, Vec<u64>), InboxError> {
    let mut pubkeys = Vec::with_capacity(members.len() * crate::points::G1_COMPRESSED_LEN);
    let mut keys = Vec::with_capacity(members.len() * crate::points::G1_LEN);
    for m in members {
        pubkeys.extend_from_slice(m.pubkey.as_slice());
        keys.extend_from_slice(&g1_uncompressed(&m.pubkey.0)?);
    }
    Ok((
        pubkeys.into(),
        keys.into(),
        members.iter().map(|m| m.weight).collect(),
    ))
}

/// `bootstrapCommittee(...)` calldata: committee 0 of a committee rollup.
///
/// # Errors
/// [`InboxError::InvalidPoint`] for a key that is not a compressed curve point.
pub fn bootstrap_calldata(members: &[CommitteeMember]) -> Result<Bytes, InboxError> {
    let (pubkeys, keys, weights) = member_arrays(members)?;
    Ok(PreconfInbox::bootstrapCommitteeCall {
        pubkeys,
        keys,
        weights,
    }
    .abi_encode()
    .into())
}

/// The 32-byte message the authorizing committee signs to announce
/// committee `id` (section 2.2); it is then hashed to G2 like a block's.
pub fn rotation_message(
    chain_id: u64,
    id: u64,
    activation_slot: u64,
    committee_hash: B256,
) -> B256 {
    let mut buf = Vec::with_capacity(160);
    buf.extend_from_slice(&ROTATION_DOMAIN);
    buf.extend_from_slice(&B256::from(U256::from(chain_id)).0);
    buf.extend_from_slice(&B256::from(U256::from(id)).0);
    buf.extend_from_slice(&B256::from(U256::from(activation_slot)).0);
    buf.extend_from_slice(committee_hash.as_slice());
    keccak256(buf)
}

/// `announceCommittee(...)` calldata: the next committee, from
/// `activation_slot` on, authorized by `authorization` of `authorizer`
/// (the last announced committee) over [`rotation_message`].
///
/// # Errors
/// [`InboxError::InvalidPoint`] for a key or signature that is not a
/// compressed curve point; [`InboxError::Certificate`] for a bitfield
/// section 2.3 cannot encode.
pub fn announce_calldata(
    activation_slot: u64,
    members: &[CommitteeMember],
    authorizer: &CommitteeInput,
    authorization: &CommitteeCertificate,
) -> Result<Bytes, InboxError> {
    let (pubkeys, keys, weights) = member_arrays(members)?;
    let cert = Certificate::Committee(authorization.clone())
        .encode()
        .map_err(|_| InboxError::Certificate("bitfield too long"))?;
    Ok(PreconfInbox::announceCommitteeCall {
        activationSlot: activation_slot,
        pubkeys,
        keys,
        weights,
        authorizer: authorizer.abi()?,
        authorization: cert.into(),
        authorizationSignature: g2_uncompressed(&authorization.signature.0)?.to_vec().into(),
    }
    .abi_encode()
    .into())
}
