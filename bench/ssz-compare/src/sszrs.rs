//! The three containers with `ssz_rs` (the crate the design card names).

use ssz_rs::prelude::*;

type B256 = Vector<u8, 32>;
type Address = Vector<u8, 20>;
type PublicKey = Vector<u8, 48>;
type Signature = Vector<u8, 96>;

#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct BeaconBlockHeader {
    pub slot: u64,
    pub proposer_index: u64,
    pub parent_root: B256,
    pub state_root: B256,
    pub body_root: B256,
}

#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct ExecutionPayloadHeaderCapella {
    pub parent_hash: B256,
    pub fee_recipient: Address,
    pub state_root: B256,
    pub receipts_root: B256,
    pub logs_bloom: Vector<u8, 256>,
    pub prev_randao: B256,
    pub block_number: u64,
    pub gas_limit: u64,
    pub gas_used: u64,
    pub timestamp: u64,
    pub extra_data: List<u8, 32>,
    pub base_fee_per_gas: U256,
    pub block_hash: B256,
    pub transactions_root: B256,
    pub withdrawals_root: B256,
}

#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct LightClientHeaderCapella {
    pub beacon: BeaconBlockHeader,
    pub execution: ExecutionPayloadHeaderCapella,
    pub execution_branch: Vector<B256, 4>,
}

#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct SyncCommittee {
    pub pubkeys: Vector<PublicKey, 512>,
    pub aggregate_pubkey: PublicKey,
}

#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct SyncAggregate {
    pub sync_committee_bits: Bitvector<512>,
    pub sync_committee_signature: Signature,
}

#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct LightClientUpdateCapella {
    pub attested_header: LightClientHeaderCapella,
    pub next_sync_committee: SyncCommittee,
    pub next_sync_committee_branch: Vector<B256, 5>,
    pub finalized_header: LightClientHeaderCapella,
    pub finality_branch: Vector<B256, 6>,
    pub sync_aggregate: SyncAggregate,
    pub signature_slot: u64,
}

#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct Eth1Data {
    pub deposit_root: B256,
    pub deposit_count: u64,
    pub block_hash: B256,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct Checkpoint {
    pub epoch: u64,
    pub root: B256,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct AttestationData {
    pub slot: u64,
    pub index: u64,
    pub beacon_block_root: B256,
    pub source: Checkpoint,
    pub target: Checkpoint,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct SignedBeaconBlockHeader {
    pub message: BeaconBlockHeader,
    pub signature: Signature,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct ProposerSlashing {
    pub signed_header_1: SignedBeaconBlockHeader,
    pub signed_header_2: SignedBeaconBlockHeader,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct IndexedAttestation {
    pub attesting_indices: List<u64, 2048>,
    pub data: AttestationData,
    pub signature: Signature,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct AttesterSlashing {
    pub attestation_1: IndexedAttestation,
    pub attestation_2: IndexedAttestation,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct Attestation {
    pub aggregation_bits: Bitlist<2048>,
    pub data: AttestationData,
    pub signature: Signature,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct DepositData {
    pub pubkey: PublicKey,
    pub withdrawal_credentials: B256,
    pub amount: u64,
    pub signature: Signature,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct Deposit {
    pub proof: Vector<B256, 33>,
    pub data: DepositData,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct VoluntaryExit {
    pub epoch: u64,
    pub validator_index: u64,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct SignedVoluntaryExit {
    pub message: VoluntaryExit,
    pub signature: Signature,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct Withdrawal {
    pub index: u64,
    pub validator_index: u64,
    pub address: Address,
    pub amount: u64,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct BlsToExecutionChange {
    pub validator_index: u64,
    pub from_bls_pubkey: PublicKey,
    pub to_execution_address: Address,
}
#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct SignedBlsToExecutionChange {
    pub message: BlsToExecutionChange,
    pub signature: Signature,
}

pub type Transaction = List<u8, 1073741824>;

#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct ExecutionPayloadCapella {
    pub parent_hash: B256,
    pub fee_recipient: Address,
    pub state_root: B256,
    pub receipts_root: B256,
    pub logs_bloom: Vector<u8, 256>,
    pub prev_randao: B256,
    pub block_number: u64,
    pub gas_limit: u64,
    pub gas_used: u64,
    pub timestamp: u64,
    pub extra_data: List<u8, 32>,
    pub base_fee_per_gas: U256,
    pub block_hash: B256,
    pub transactions: List<Transaction, 1048576>,
    pub withdrawals: List<Withdrawal, 16>,
}

#[derive(Default, Debug, SimpleSerialize, PartialEq, Eq)]
pub struct BeaconBlockBodyCapella {
    pub randao_reveal: Signature,
    pub eth1_data: Eth1Data,
    pub graffiti: B256,
    pub proposer_slashings: List<ProposerSlashing, 16>,
    pub attester_slashings: List<AttesterSlashing, 2>,
    pub attestations: List<Attestation, 128>,
    pub deposits: List<Deposit, 16>,
    pub voluntary_exits: List<SignedVoluntaryExit, 16>,
    pub sync_aggregate: SyncAggregate,
    pub execution_payload: ExecutionPayloadCapella,
    pub bls_to_execution_changes: List<SignedBlsToExecutionChange, 16>,
}

fn run<T: SimpleSerialize>(bytes: &[u8]) -> Option<[u8; 32]> {
    // ssz_rs 0.9 hashes through `&mut self` (it caches subtree roots).
    let mut v = T::deserialize(bytes).ok()?;
    let root = v.hash_tree_root().ok()?;
    root.as_ref().try_into().ok()
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
