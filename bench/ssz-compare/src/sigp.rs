//! The three containers with sigp's `ethereum_ssz` + `tree_hash` (+ `ssz_types`).

use ssz_derive::{Decode, Encode};
use ssz_types::typenum::{
    U2, U4, U16, U32, U33, U48, U96, U128, U256, U512, U2048, U1048576, U1073741824,
};
use ssz_types::{BitList, BitVector, FixedVector, VariableList};
use tree_hash::TreeHash;
use tree_hash_derive::TreeHash;

type B256 = alloy_primitives::B256;
type Address = alloy_primitives::Address;
type PublicKey = FixedVector<u8, U48>;
type Signature = FixedVector<u8, U96>;

#[derive(Encode, Decode, TreeHash)]
pub struct BeaconBlockHeader {
    pub slot: u64,
    pub proposer_index: u64,
    pub parent_root: B256,
    pub state_root: B256,
    pub body_root: B256,
}

#[derive(Encode, Decode, TreeHash)]
pub struct ExecutionPayloadHeaderCapella {
    pub parent_hash: B256,
    pub fee_recipient: Address,
    pub state_root: B256,
    pub receipts_root: B256,
    pub logs_bloom: FixedVector<u8, U256>,
    pub prev_randao: B256,
    pub block_number: u64,
    pub gas_limit: u64,
    pub gas_used: u64,
    pub timestamp: u64,
    pub extra_data: VariableList<u8, U32>,
    pub base_fee_per_gas: alloy_primitives::U256,
    pub block_hash: B256,
    pub transactions_root: B256,
    pub withdrawals_root: B256,
}

#[derive(Encode, Decode, TreeHash)]
pub struct LightClientHeaderCapella {
    pub beacon: BeaconBlockHeader,
    pub execution: ExecutionPayloadHeaderCapella,
    pub execution_branch: FixedVector<B256, U4>,
}

#[derive(Encode, Decode, TreeHash)]
pub struct SyncCommittee {
    pub pubkeys: FixedVector<PublicKey, U512>,
    pub aggregate_pubkey: PublicKey,
}

#[derive(Encode, Decode, TreeHash)]
pub struct SyncAggregate {
    pub sync_committee_bits: BitVector<U512>,
    pub sync_committee_signature: Signature,
}

#[derive(Encode, Decode, TreeHash)]
pub struct LightClientUpdateCapella {
    pub attested_header: LightClientHeaderCapella,
    pub next_sync_committee: SyncCommittee,
    pub next_sync_committee_branch: FixedVector<B256, ssz_types::typenum::U5>,
    pub finalized_header: LightClientHeaderCapella,
    pub finality_branch: FixedVector<B256, ssz_types::typenum::U6>,
    pub sync_aggregate: SyncAggregate,
    pub signature_slot: u64,
}

#[derive(Encode, Decode, TreeHash)]
pub struct Eth1Data {
    pub deposit_root: B256,
    pub deposit_count: u64,
    pub block_hash: B256,
}
#[derive(Encode, Decode, TreeHash)]
pub struct Checkpoint {
    pub epoch: u64,
    pub root: B256,
}
#[derive(Encode, Decode, TreeHash)]
pub struct AttestationData {
    pub slot: u64,
    pub index: u64,
    pub beacon_block_root: B256,
    pub source: Checkpoint,
    pub target: Checkpoint,
}
#[derive(Encode, Decode, TreeHash)]
pub struct SignedBeaconBlockHeader {
    pub message: BeaconBlockHeader,
    pub signature: Signature,
}
#[derive(Encode, Decode, TreeHash)]
pub struct ProposerSlashing {
    pub signed_header_1: SignedBeaconBlockHeader,
    pub signed_header_2: SignedBeaconBlockHeader,
}
#[derive(Encode, Decode, TreeHash)]
pub struct IndexedAttestation {
    pub attesting_indices: VariableList<u64, U2048>,
    pub data: AttestationData,
    pub signature: Signature,
}
#[derive(Encode, Decode, TreeHash)]
pub struct AttesterSlashing {
    pub attestation_1: IndexedAttestation,
    pub attestation_2: IndexedAttestation,
}
#[derive(Encode, Decode, TreeHash)]
pub struct Attestation {
    pub aggregation_bits: BitList<U2048>,
    pub data: AttestationData,
    pub signature: Signature,
}
#[derive(Encode, Decode, TreeHash)]
pub struct DepositData {
    pub pubkey: PublicKey,
    pub withdrawal_credentials: B256,
    pub amount: u64,
    pub signature: Signature,
}
#[derive(Encode, Decode, TreeHash)]
pub struct Deposit {
    pub proof: FixedVector<B256, U33>,
    pub data: DepositData,
}
#[derive(Encode, Decode, TreeHash)]
pub struct VoluntaryExit {
    pub epoch: u64,
    pub validator_index: u64,
}
#[derive(Encode, Decode, TreeHash)]
pub struct SignedVoluntaryExit {
    pub message: VoluntaryExit,
    pub signature: Signature,
}
#[derive(Encode, Decode, TreeHash)]
pub struct Withdrawal {
    pub index: u64,
    pub validator_index: u64,
    pub address: Address,
    pub amount: u64,
}
#[derive(Encode, Decode, TreeHash)]
pub struct BlsToExecutionChange {
    pub validator_index: u64,
    pub from_bls_pubkey: PublicKey,
    pub to_execution_address: Address,
}
#[derive(Encode, Decode, TreeHash)]
pub struct SignedBlsToExecutionChange {
    pub message: BlsToExecutionChange,
    pub signature: Signature,
}

pub type Transaction = VariableList<u8, U1073741824>;

#[derive(Encode, Decode, TreeHash)]
pub struct ExecutionPayloadCapella {
    pub parent_hash: B256,
    pub fee_recipient: Address,
    pub state_root: B256,
    pub receipts_root: B256,
    pub logs_bloom: FixedVector<u8, U256>,
    pub prev_randao: B256,
    pub block_number: u64,
    pub gas_limit: u64,
    pub gas_used: u64,
    pub timestamp: u64,
    pub extra_data: VariableList<u8, U32>,
    pub base_fee_per_gas: alloy_primitives::U256,
    pub block_hash: B256,
    pub transactions: VariableList<Transaction, U1048576>,
    pub withdrawals: VariableList<Withdrawal, U16>,
}

#[derive(Encode, Decode, TreeHash)]
pub struct BeaconBlockBodyCapella {
    pub randao_reveal: Signature,
    pub eth1_data: Eth1Data,
    pub graffiti: B256,
    pub proposer_slashings: VariableList<ProposerSlashing, U16>,
    pub attester_slashings: VariableList<AttesterSlashing, U2>,
    pub attestations: VariableList<Attestation, U128>,
    pub deposits: VariableList<Deposit, U16>,
    pub voluntary_exits: VariableList<SignedVoluntaryExit, U16>,
    pub sync_aggregate: SyncAggregate,
    pub execution_payload: ExecutionPayloadCapella,
    pub bls_to_execution_changes: VariableList<SignedBlsToExecutionChange, U16>,
}

fn run<T: ssz::Decode + TreeHash>(bytes: &[u8]) -> Option<[u8; 32]> {
    let v = T::from_ssz_bytes(bytes).ok()?;
    Some(v.tree_hash_root().0)
}

/// Decode + `hash_tree_root` of a Capella light-client update.
pub fn update(bytes: &[u8]) -> Option<[u8; 32]> {
    run::<LightClientUpdateCapella>(bytes)
}
/// Decode + root of a Capella execution payload header.
pub fn header(bytes: &[u8]) -> Option<[u8; 32]> {
    run::<ExecutionPayloadHeaderCapella>(bytes)
}
/// Decode + root of a Capella beacon block body.
pub fn body(bytes: &[u8]) -> Option<[u8; 32]> {
    run::<BeaconBlockBodyCapella>(bytes)
}
