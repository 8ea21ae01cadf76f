//! Light-client containers, decoded per fork into one in-memory shape.
//!
//! Every fork's light-client data fits the Deneb/Electra shape: pre-Capella
//! headers carry a default execution header and a zero execution branch,
//! pre-Deneb execution headers carry zero blob-gas fields, and pre-Electra
//! branches are shorter (the normalized branch check accepts both). So
//! upgrading stored data across forks needs no conversion; the fork of the
//! *slot* decides which rules and which execution-header root apply.

use alloy_primitives::{Address, B256, FixedBytes, U256};

use super::config::Fork;
use super::error::BeaconError;
use crate::ssz::{
    Bitvector, ByteList, FieldLen, FixedVector, SszDecode, SszEncode, SszError, TreeHash,
    split_container,
};
use crate::ssz_container;

/// A compressed BLS public key.
pub type BlsPublicKey = FixedBytes<48>;
/// A compressed BLS signature.
pub type BlsSignature = FixedBytes<96>;
/// `MAX_EXTRA_DATA_BYTES`.
pub const MAX_EXTRA_DATA_BYTES: usize = 32;
/// `BYTES_PER_LOGS_BLOOM`.
pub const BYTES_PER_LOGS_BLOOM: usize = 256;
/// Depth of the execution branch (`floorlog2(EXECUTION_PAYLOAD_GINDEX)`).
pub const EXECUTION_BRANCH_DEPTH: usize = 4;

ssz_container! {
    /// `BeaconBlockHeader`.
    #[derive(Default)]
    pub struct BeaconBlockHeader {
        /// Slot.
        pub slot: u64,
        /// Proposer index.
        pub proposer_index: u64,
        /// Parent block root.
        pub parent_root: B256,
        /// State root.
        pub state_root: B256,
        /// Body root.
        pub body_root: B256,
    }
}

ssz_container! {
    /// `ForkData`.
    pub struct ForkData {
        /// Fork version.
        pub current_version: FixedBytes<4>,
        /// Genesis validators root.
        pub genesis_validators_root: B256,
    }
}

ssz_container! {
    /// `SigningData`.
    pub struct SigningData {
        /// Root of the signed object.
        pub object_root: B256,
        /// Signature domain.
        pub domain: B256,
    }
}

ssz_container! {
    /// `SyncCommittee` with `S` members.
    #[derive(Default)]
    pub struct SyncCommittee[const S: usize] {
        /// Member public keys.
        pub pubkeys: FixedVector<BlsPublicKey, S>,
        /// Aggregate of all member keys.
        pub aggregate_pubkey: BlsPublicKey,
    }
}

ssz_container! {
    /// `SyncAggregate` of an `S`-member committee.
    #[derive(Default)]
    pub struct SyncAggregate[const S: usize] {
        /// Participation bits.
        pub sync_committee_bits: Bitvector<S>,
        /// Aggregate signature.
        pub sync_committee_signature: BlsSignature,
    }
}

ssz_container! {
    /// Capella `ExecutionPayloadHeader` (15 fields).
    pub struct ExecutionPayloadHeaderCapella {
        /// Parent hash.
        pub parent_hash: B256,
        /// Fee recipient.
        pub fee_recipient: Address,
        /// State root.
        pub state_root: B256,
        /// Receipts root.
        pub receipts_root: B256,
        /// Logs bloom.
        pub logs_bloom: FixedBytes<BYTES_PER_LOGS_BLOOM>,
        /// prevRandao.
        pub prev_randao: B256,
        /// Block number.
        pub block_number: u64,
        /// Gas limit.
        pub gas_limit: u64,
        /// Gas used.
        pub gas_used: u64,
        /// Timestamp.
        pub timestamp: u64,
        /// Extra data.
        pub extra_data: ByteList<MAX_EXTRA_DATA_BYTES>,
        /// Base fee per gas.
        pub base_fee_per_gas: U256,
        /// Block hash.
        pub block_hash: B256,
        /// Transactions root.
        pub transactions_root: B256,
        /// Withdrawals root.
        pub withdrawals_root: B256,
    }
}

ssz_container! {
    /// Deneb (and later) `ExecutionPayloadHeader` (17 fields). Also the
    /// in-memory form for every fork.
    #[derive(Default)]
    pub struct ExecutionPayloadHeader {
        /// Parent hash.
        pub parent_hash: B256,
        /// Fee recipient.
        pub fee_recipient: Address,
        /// State root.
        pub state_root: B256,
        /// Receipts root.
        pub receipts_root: B256,
        /// Logs bloom.
        pub logs_bloom: FixedBytes<BYTES_PER_LOGS_BLOOM>,
        /// prevRandao.
        pub prev_randao: B256,
        /// Block number.
        pub block_number: u64,
        /// Gas limit.
        pub gas_limit: u64,
        /// Gas used.
        pub gas_used: u64,
        /// Timestamp.
        pub timestamp: u64,
        /// Extra data.
        pub extra_data: ByteList<MAX_EXTRA_DATA_BYTES>,
        /// Base fee per gas.
        pub base_fee_per_gas: U256,
        /// Block hash.
        pub block_hash: B256,
        /// Transactions root.
        pub transactions_root: B256,
        /// Withdrawals root.
        pub withdrawals_root: B256,
        /// Blob gas used (zero before Deneb).
        pub blob_gas_used: u64,
        /// Excess blob gas (zero before Deneb).
        pub excess_blob_gas: u64,
    }
}

impl ExecutionPayloadHeader {
    /// The Capella form (drops the blob-gas fields).
    pub fn to_capella(&self) -> ExecutionPayloadHeaderCapella {
        ExecutionPayloadHeaderCapella {
            parent_hash: self.parent_hash,
            fee_recipient: self.fee_recipient,
            state_root: self.state_root,
            receipts_root: self.receipts_root,
            logs_bloom: self.logs_bloom,
            prev_randao: self.prev_randao,
            block_number: self.block_number,
            gas_limit: self.gas_limit,
            gas_used: self.gas_used,
            timestamp: self.timestamp,
            extra_data: self.extra_data.clone(),
            base_fee_per_gas: self.base_fee_per_gas,
            block_hash: self.block_hash,
            transactions_root: self.transactions_root,
            withdrawals_root: self.withdrawals_root,
        }
    }

    fn from_capella(c: ExecutionPayloadHeaderCapella) -> Self {
        Self {
            parent_hash: c.parent_hash,
            fee_recipient: c.fee_recipient,
            state_root: c.state_root,
            receipts_root: c.receipts_root,
            logs_bloom: c.logs_bloom,
            prev_randao: c.prev_randao,
            block_number: c.block_number,
            gas_limit: c.gas_limit,
            gas_used: c.gas_used,
            timestamp: c.timestamp,
            extra_data: c.extra_data,
            base_fee_per_gas: c.base_fee_per_gas,
            block_hash: c.block_hash,
            transactions_root: c.transactions_root,
            withdrawals_root: c.withdrawals_root,
            blob_gas_used: 0,
            excess_blob_gas: 0,
        }
    }
}

ssz_container! {
    /// `LightClientHeader` in its Deneb/Electra/Fulu shape, the in-memory
    /// form for every fork.
    #[derive(Default)]
    pub struct LightClientHeader {
        /// The beacon block header.
        pub beacon: BeaconBlockHeader,
        /// The execution payload header (default before Capella).
        pub execution: ExecutionPayloadHeader,
        /// Branch of `execution` in `beacon.body_root` (zero before Capella).
        pub execution_branch: FixedVector<B256, EXECUTION_BRANCH_DEPTH>,
    }
}

ssz_container! {
    /// Capella `LightClientHeader` (wire form only).
    struct LightClientHeaderCapella {
        beacon: BeaconBlockHeader,
        execution: ExecutionPayloadHeaderCapella,
        execution_branch: FixedVector<B256, EXECUTION_BRANCH_DEPTH>,
    }
}

/// SSZ length of an Altair/Bellatrix `LightClientHeader`.
const ALTAIR_HEADER_LEN: usize = 112;

impl LightClientHeader {
    /// Decodes the SSZ form of `fork`.
    ///
    /// # Errors
    /// [`BeaconError::Ssz`] if malformed; [`BeaconError::UnknownFork`] for Phase 0.
    pub fn from_ssz_fork(bytes: &[u8], fork: Fork) -> Result<Self, BeaconError> {
        Ok(match fork.require_light_client()? {
            Fork::Phase0 | Fork::Altair | Fork::Bellatrix => Self {
                beacon: BeaconBlockHeader::from_ssz(bytes)?,
                ..Self::default()
            },
            Fork::Capella => {
                let c = LightClientHeaderCapella::from_ssz(bytes)?;
                Self {
                    beacon: c.beacon,
                    execution: ExecutionPayloadHeader::from_capella(c.execution),
                    execution_branch: c.execution_branch,
                }
            }
            Fork::Deneb | Fork::Electra | Fork::Fulu => Self::from_ssz(bytes)?,
        })
    }

    /// Encodes in the SSZ form of `fork` (fields the fork lacks are dropped).
    pub fn to_ssz_fork(&self, fork: Fork) -> Vec<u8> {
        match fork {
            Fork::Phase0 | Fork::Altair | Fork::Bellatrix => self.beacon.to_ssz(),
            Fork::Capella => LightClientHeaderCapella {
                beacon: self.beacon.clone(),
                execution: self.execution.to_capella(),
                execution_branch: self.execution_branch.clone(),
            }
            .to_ssz(),
            Fork::Deneb | Fork::Electra | Fork::Fulu => self.to_ssz(),
        }
    }

    /// Root of the beacon block header (the block root).
    pub fn beacon_root(&self) -> B256 {
        self.beacon.tree_hash_root()
    }
}

fn header_layout(fork: Fork) -> FieldLen {
    if fork >= Fork::Capella {
        FieldLen::Variable
    } else {
        FieldLen::Fixed(ALTAIR_HEADER_LEN)
    }
}

/// Depth of `current_sync_committee_branch` / `next_sync_committee_branch` in the container of `fork`.
pub fn sync_committee_branch_depth(fork: Fork) -> usize {
    if fork >= Fork::Electra { 6 } else { 5 }
}

/// Depth of `finality_branch` in the container of `fork`.
pub fn finality_branch_depth(fork: Fork) -> usize {
    if fork >= Fork::Electra { 7 } else { 6 }
}

fn branch(bytes: &[u8]) -> Vec<B256> {
    bytes.chunks(32).map(B256::from_slice).collect()
}

fn encode_branch(branch: &[B256], out: &mut Vec<u8>) {
    for b in branch {
        out.extend_from_slice(b.as_slice());
    }
}

/// `LightClientBootstrap`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LightClientBootstrap<const S: usize> {
    /// The header at the trusted block root.
    pub header: LightClientHeader,
    /// The current sync committee of that header's state.
    pub current_sync_committee: SyncCommittee<S>,
    /// Branch of the committee in `header.beacon.state_root`.
    pub current_sync_committee_branch: Vec<B256>,
}

/// `LightClientUpdate` (also the form finality and optimistic updates take
/// inside the sync protocol, with empty fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LightClientUpdate<const S: usize> {
    /// The header the sync committee signed.
    pub attested_header: LightClientHeader,
    /// The next sync committee of the attested state (default if absent).
    pub next_sync_committee: SyncCommittee<S>,
    /// Its branch in the attested state (zeros if absent).
    pub next_sync_committee_branch: Vec<B256>,
    /// The finalized header of the attested state (default if absent).
    pub finalized_header: LightClientHeader,
    /// Its branch in the attested state (zeros if absent).
    pub finality_branch: Vec<B256>,
    /// The signature over the attested header.
    pub sync_aggregate: SyncAggregate<S>,
    /// Slot at which the aggregate was signed.
    pub signature_slot: u64,
}

/// `LightClientFinalityUpdate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LightClientFinalityUpdate<const S: usize> {
    /// The header the sync committee signed.
    pub attested_header: LightClientHeader,
    /// The finalized header of the attested state.
    pub finalized_header: LightClientHeader,
    /// Its branch in the attested state.
    pub finality_branch: Vec<B256>,
    /// The signature over the attested header.
    pub sync_aggregate: SyncAggregate<S>,
    /// Slot at which the aggregate was signed.
    pub signature_slot: u64,
}

/// `LightClientOptimisticUpdate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LightClientOptimisticUpdate<const S: usize> {
    /// The header the sync committee signed.
    pub attested_header: LightClientHeader,
    /// The signature over the attested header.
    pub sync_aggregate: SyncAggregate<S>,
    /// Slot at which the aggregate was signed.
    pub signature_slot: u64,
}

fn committee_len<const S: usize>() -> usize {
    S * 48 + 48
}

fn aggregate_len<const S: usize>() -> usize {
    S.div_ceil(8) + 96
}

fn part<'a>(parts: &[&'a [u8]], i: usize) -> Result<&'a [u8], BeaconError> {
    parts
        .get(i)
        .copied()
        .ok_or(BeaconError::Ssz(SszError::TooShort {
            need: i,
            got: parts.len(),
        }))
}

impl<const S: usize> LightClientBootstrap<S> {
    /// Decodes the SSZ form of `fork`.
    ///
    /// # Errors
    /// [`BeaconError::Ssz`] if malformed; [`BeaconError::UnknownFork`] for Phase 0.
    pub fn from_ssz_fork(bytes: &[u8], fork: Fork) -> Result<Self, BeaconError> {
        let fork = fork.require_light_client()?;
        let layout = [
            header_layout(fork),
            FieldLen::Fixed(committee_len::<S>()),
            FieldLen::Fixed(32 * sync_committee_branch_depth(fork)),
        ];
        let parts = split_container(bytes, &layout)?;
        Ok(Self {
            header: LightClientHeader::from_ssz_fork(part(&parts, 0)?, fork)?,
            current_sync_committee: SyncCommittee::from_ssz(part(&parts, 1)?)?,
            current_sync_committee_branch: branch(part(&parts, 2)?),
        })
    }
}

impl<const S: usize> LightClientUpdate<S> {
    /// Decodes the SSZ form of `fork`.
    ///
    /// # Errors
    /// [`BeaconError::Ssz`] if malformed; [`BeaconError::UnknownFork`] for Phase 0.
    pub fn from_ssz_fork(bytes: &[u8], fork: Fork) -> Result<Self, BeaconError> {
        let fork = fork.require_light_client()?;
        let layout = [
            header_layout(fork),
            FieldLen::Fixed(committee_len::<S>()),
            FieldLen::Fixed(32 * sync_committee_branch_depth(fork)),
            header_layout(fork),
            FieldLen::Fixed(32 * finality_branch_depth(fork)),
            FieldLen::Fixed(aggregate_len::<S>()),
            FieldLen::Fixed(8),
        ];
        let parts = split_container(bytes, &layout)?;
        Ok(Self {
            attested_header: LightClientHeader::from_ssz_fork(part(&parts, 0)?, fork)?,
            next_sync_committee: SyncCommittee::from_ssz(part(&parts, 1)?)?,
            next_sync_committee_branch: branch(part(&parts, 2)?),
            finalized_header: LightClientHeader::from_ssz_fork(part(&parts, 3)?, fork)?,
            finality_branch: branch(part(&parts, 4)?),
            sync_aggregate: SyncAggregate::from_ssz(part(&parts, 5)?)?,
            signature_slot: u64::from_ssz(part(&parts, 6)?)?,
        })
    }

    /// Encodes in the SSZ form of `fork`. Branches are written as held; a
    /// caller re-encoding for another fork must supply branches of its depth.
    pub fn to_ssz_fork(&self, fork: Fork) -> Vec<u8> {
        let attested = self.attested_header.to_ssz_fork(fork);
        let finalized = self.finalized_header.to_ssz_fork(fork);
        let mut fixed = Vec::new();
        let variable = fork >= Fork::Capella;
        let fixed_len = if variable {
            4 + committee_len::<S>()
                + 32 * self.next_sync_committee_branch.len()
                + 4
                + 32 * self.finality_branch.len()
                + aggregate_len::<S>()
                + 8
        } else {
            0
        };
        if variable {
            fixed.extend_from_slice(&(fixed_len as u32).to_le_bytes());
        } else {
            fixed.extend_from_slice(&attested);
        }
        self.next_sync_committee.ssz_append(&mut fixed);
        encode_branch(&self.next_sync_committee_branch, &mut fixed);
        if variable {
            fixed.extend_from_slice(&((fixed_len + attested.len()) as u32).to_le_bytes());
        } else {
            fixed.extend_from_slice(&finalized);
        }
        encode_branch(&self.finality_branch, &mut fixed);
        self.sync_aggregate.ssz_append(&mut fixed);
        self.signature_slot.ssz_append(&mut fixed);
        if variable {
            fixed.extend_from_slice(&attested);
            fixed.extend_from_slice(&finalized);
        }
        fixed
    }
}

impl<const S: usize> LightClientFinalityUpdate<S> {
    /// Decodes the SSZ form of `fork`.
    ///
    /// # Errors
    /// [`BeaconError::Ssz`] if malformed; [`BeaconError::UnknownFork`] for Phase 0.
    pub fn from_ssz_fork(bytes: &[u8], fork: Fork) -> Result<Self, BeaconError> {
        let fork = fork.require_light_client()?;
        let layout = [
            header_layout(fork),
            header_layout(fork),
            FieldLen::Fixed(32 * finality_branch_depth(fork)),
            FieldLen::Fixed(aggregate_len::<S>()),
            FieldLen::Fixed(8),
        ];
        let parts = split_container(bytes, &layout)?;
        Ok(Self {
            attested_header: LightClientHeader::from_ssz_fork(part(&parts, 0)?, fork)?,
            finalized_header: LightClientHeader::from_ssz_fork(part(&parts, 1)?, fork)?,
            finality_branch: branch(part(&parts, 2)?),
            sync_aggregate: SyncAggregate::from_ssz(part(&parts, 3)?)?,
            signature_slot: u64::from_ssz(part(&parts, 4)?)?,
        })
    }

    /// As a full update (`process_light_client_finality_update`): the next
    /// committee is default and its branch zero, of the depth of `fork`.
    pub fn into_update(self, fork: Fork) -> LightClientUpdate<S> {
        LightClientUpdate {
            attested_header: self.attested_header,
            next_sync_committee: SyncCommittee::default(),
            next_sync_committee_branch: vec![B256::ZERO; sync_committee_branch_depth(fork)],
            finalized_header: self.finalized_header,
            finality_branch: self.finality_branch,
            sync_aggregate: self.sync_aggregate,
            signature_slot: self.signature_slot,
        }
    }
}

impl<const S: usize> LightClientOptimisticUpdate<S> {
    /// Decodes the SSZ form of `fork`.
    ///
    /// # Errors
    /// [`BeaconError::Ssz`] if malformed; [`BeaconError::UnknownFork`] for Phase 0.
    pub fn from_ssz_fork(bytes: &[u8], fork: Fork) -> Result<Self, BeaconError> {
        let fork = fork.require_light_client()?;
        let layout = [
            header_layout(fork),
            FieldLen::Fixed(aggregate_len::<S>()),
            FieldLen::Fixed(8),
        ];
        let parts = split_container(bytes, &layout)?;
        Ok(Self {
            attested_header: LightClientHeader::from_ssz_fork(part(&parts, 0)?, fork)?,
            sync_aggregate: SyncAggregate::from_ssz(part(&parts, 1)?)?,
            signature_slot: u64::from_ssz(part(&parts, 2)?)?,
        })
    }

    /// As a full update (`process_light_client_optimistic_update`).
    pub fn into_update(self, fork: Fork) -> LightClientUpdate<S> {
        LightClientUpdate {
            attested_header: self.attested_header,
            next_sync_committee: SyncCommittee::default(),
            next_sync_committee_branch: vec![B256::ZERO; sync_committee_branch_depth(fork)],
            finalized_header: LightClientHeader::default(),
            finality_branch: vec![B256::ZERO; finality_branch_depth(fork)],
            sync_aggregate: self.sync_aggregate,
            signature_slot: self.signature_slot,
        }
    }
}
