//! The `BeaconBlockBody` containers of Bellatrix, Capella, Deneb and Electra
//! (Fulu keeps the Electra body), mainnet preset, as in
//! `specs/{phase0,altair,bellatrix,capella,deneb,electra}/beacon-chain.md`.
//!
//! Field order is SSZ order; limits are the spec's preset constants, named
//! below. Electra changed `Attestation` (committee bits, a larger
//! aggregation bitlist), `IndexedAttestation` (a larger index list) and the
//! per-block limits of attestations and attester slashings, hence the
//! separate `…Electra` containers.

use alloy_primitives::{Address, B256, FixedBytes, U256};

use super::codec::block_container;
use crate::beacon::{
    BYTES_PER_LOGS_BLOOM, BeaconBlockHeader, BlsPublicKey, BlsSignature,
    MAINNET_SYNC_COMMITTEE_SIZE, MAX_EXTRA_DATA_BYTES, SyncAggregate,
};
use crate::ssz::{Bitlist, Bitvector, ByteList, FixedVector, List};

/// `MAX_PROPOSER_SLASHINGS`.
pub const MAX_PROPOSER_SLASHINGS: usize = 16;
/// `MAX_ATTESTER_SLASHINGS` (before Electra).
pub const MAX_ATTESTER_SLASHINGS: usize = 2;
/// `MAX_ATTESTATIONS` (before Electra).
pub const MAX_ATTESTATIONS: usize = 128;
/// `MAX_DEPOSITS`.
pub const MAX_DEPOSITS: usize = 16;
/// `MAX_VOLUNTARY_EXITS`.
pub const MAX_VOLUNTARY_EXITS: usize = 16;
/// `MAX_VALIDATORS_PER_COMMITTEE`.
pub const MAX_VALIDATORS_PER_COMMITTEE: usize = 2048;
/// `MAX_COMMITTEES_PER_SLOT`.
pub const MAX_COMMITTEES_PER_SLOT: usize = 64;
/// `MAX_VALIDATORS_PER_COMMITTEE * MAX_COMMITTEES_PER_SLOT` (Electra bit and index limits).
pub const MAX_VALIDATORS_PER_SLOT: usize = MAX_VALIDATORS_PER_COMMITTEE * MAX_COMMITTEES_PER_SLOT;
/// `DEPOSIT_CONTRACT_TREE_DEPTH + 1`: length of a deposit proof.
pub const DEPOSIT_PROOF_LEN: usize = 33;
/// `MAX_BYTES_PER_TRANSACTION`.
pub const MAX_BYTES_PER_TRANSACTION: usize = 1 << 30;
/// `MAX_TRANSACTIONS_PER_PAYLOAD`.
pub const MAX_TRANSACTIONS_PER_PAYLOAD: usize = 1 << 20;
/// `MAX_WITHDRAWALS_PER_PAYLOAD`.
pub const MAX_WITHDRAWALS_PER_PAYLOAD: usize = 16;
/// `MAX_BLS_TO_EXECUTION_CHANGES`.
pub const MAX_BLS_TO_EXECUTION_CHANGES: usize = 16;
/// `MAX_BLOB_COMMITMENTS_PER_BLOCK`.
pub const MAX_BLOB_COMMITMENTS_PER_BLOCK: usize = 4096;
/// `MAX_ATTESTER_SLASHINGS_ELECTRA`.
pub const MAX_ATTESTER_SLASHINGS_ELECTRA: usize = 1;
/// `MAX_ATTESTATIONS_ELECTRA`.
pub const MAX_ATTESTATIONS_ELECTRA: usize = 8;
/// `MAX_DEPOSIT_REQUESTS_PER_PAYLOAD`.
pub const MAX_DEPOSIT_REQUESTS_PER_PAYLOAD: usize = 8192;
/// `MAX_WITHDRAWAL_REQUESTS_PER_PAYLOAD`.
pub const MAX_WITHDRAWAL_REQUESTS_PER_PAYLOAD: usize = 16;
/// `MAX_CONSOLIDATION_REQUESTS_PER_PAYLOAD`.
pub const MAX_CONSOLIDATION_REQUESTS_PER_PAYLOAD: usize = 2;

/// `Transaction`: an opaque EIP-2718 envelope.
pub type Transaction = ByteList<MAX_BYTES_PER_TRANSACTION>;
/// `KZGCommitment`.
pub type KzgCommitment = FixedBytes<48>;
/// The mainnet-preset `SyncAggregate`.
pub type BlockSyncAggregate = SyncAggregate<MAINNET_SYNC_COMMITTEE_SIZE>;

block_container! {
    /// `Eth1Data`.
    pub struct Eth1Data {
        /// Deposit root.
        pub deposit_root: B256,
        /// Deposit count.
        pub deposit_count: u64,
        /// Eth1 block hash.
        pub block_hash: B256,
    }
}

block_container! {
    /// `Checkpoint`.
    pub struct Checkpoint {
        /// Epoch.
        pub epoch: u64,
        /// Block root.
        pub root: B256,
    }
}

block_container! {
    /// `AttestationData`.
    pub struct AttestationData {
        /// Slot.
        pub slot: u64,
        /// Committee index (zero from Electra on).
        pub index: u64,
        /// LMD GHOST vote.
        pub beacon_block_root: B256,
        /// FFG source.
        pub source: Checkpoint,
        /// FFG target.
        pub target: Checkpoint,
    }
}

block_container! {
    /// `SignedBeaconBlockHeader`.
    pub struct SignedBeaconBlockHeader {
        /// The header.
        pub message: BeaconBlockHeader,
        /// Proposer signature.
        pub signature: BlsSignature,
    }
}

block_container! {
    /// `ProposerSlashing`.
    pub struct ProposerSlashing {
        /// First header.
        pub signed_header_1: SignedBeaconBlockHeader,
        /// Conflicting header.
        pub signed_header_2: SignedBeaconBlockHeader,
    }
}

block_container! {
    /// `IndexedAttestation` (before Electra).
    pub struct IndexedAttestation {
        /// Sorted attester indices.
        pub attesting_indices: List<u64, MAX_VALIDATORS_PER_COMMITTEE>,
        /// Attested data.
        pub data: AttestationData,
        /// Aggregate signature.
        pub signature: BlsSignature,
    }
}

block_container! {
    /// `IndexedAttestation` (Electra).
    pub struct IndexedAttestationElectra {
        /// Sorted attester indices.
        pub attesting_indices: List<u64, MAX_VALIDATORS_PER_SLOT>,
        /// Attested data.
        pub data: AttestationData,
        /// Aggregate signature.
        pub signature: BlsSignature,
    }
}

block_container! {
    /// `AttesterSlashing` (before Electra).
    pub struct AttesterSlashing {
        /// First attestation.
        pub attestation_1: IndexedAttestation,
        /// Conflicting attestation.
        pub attestation_2: IndexedAttestation,
    }
}

block_container! {
    /// `AttesterSlashing` (Electra).
    pub struct AttesterSlashingElectra {
        /// First attestation.
        pub attestation_1: IndexedAttestationElectra,
        /// Conflicting attestation.
        pub attestation_2: IndexedAttestationElectra,
    }
}

block_container! {
    /// `Attestation` (before Electra).
    pub struct Attestation {
        /// Participation bits of the committee.
        pub aggregation_bits: Bitlist<MAX_VALIDATORS_PER_COMMITTEE>,
        /// Attested data.
        pub data: AttestationData,
        /// Aggregate signature.
        pub signature: BlsSignature,
    }
}

block_container! {
    /// `Attestation` (Electra, EIP-7549).
    pub struct AttestationElectra {
        /// Participation bits across the committees of `committee_bits`.
        pub aggregation_bits: Bitlist<MAX_VALIDATORS_PER_SLOT>,
        /// Attested data.
        pub data: AttestationData,
        /// Aggregate signature.
        pub signature: BlsSignature,
        /// Committees included.
        pub committee_bits: Bitvector<MAX_COMMITTEES_PER_SLOT>,
    }
}

block_container! {
    /// `DepositData`.
    pub struct DepositData {
        /// Validator key.
        pub pubkey: BlsPublicKey,
        /// Withdrawal credentials.
        pub withdrawal_credentials: B256,
        /// Amount in gwei.
        pub amount: u64,
        /// Proof of possession.
        pub signature: BlsSignature,
    }
}

block_container! {
    /// `Deposit`.
    pub struct Deposit {
        /// Branch in the deposit tree (plus the length mix-in).
        pub proof: FixedVector<B256, DEPOSIT_PROOF_LEN>,
        /// The deposit.
        pub data: DepositData,
    }
}

block_container! {
    /// `VoluntaryExit`.
    pub struct VoluntaryExit {
        /// Earliest exit epoch.
        pub epoch: u64,
        /// Exiting validator.
        pub validator_index: u64,
    }
}

block_container! {
    /// `SignedVoluntaryExit`.
    pub struct SignedVoluntaryExit {
        /// The exit.
        pub message: VoluntaryExit,
        /// Validator signature.
        pub signature: BlsSignature,
    }
}

block_container! {
    /// `BLSToExecutionChange`.
    pub struct BlsToExecutionChange {
        /// Validator.
        pub validator_index: u64,
        /// Its current BLS withdrawal key.
        pub from_bls_pubkey: BlsPublicKey,
        /// New execution withdrawal address.
        pub to_execution_address: Address,
    }
}

block_container! {
    /// `SignedBLSToExecutionChange`.
    pub struct SignedBlsToExecutionChange {
        /// The change.
        pub message: BlsToExecutionChange,
        /// Signature by the BLS withdrawal key.
        pub signature: BlsSignature,
    }
}

block_container! {
    /// `Withdrawal` (the consensus form of an EIP-4895 withdrawal).
    pub struct PayloadWithdrawal {
        /// Withdrawal index.
        pub index: u64,
        /// Validator index.
        pub validator_index: u64,
        /// Recipient.
        pub address: Address,
        /// Amount in gwei.
        pub amount: u64,
    }
}

block_container! {
    /// Bellatrix `ExecutionPayload`.
    pub struct ExecutionPayloadBellatrix {
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
        /// Raw transactions.
        pub transactions: List<Transaction, MAX_TRANSACTIONS_PER_PAYLOAD>,
    }
}

block_container! {
    /// Capella `ExecutionPayload` (adds withdrawals).
    pub struct ExecutionPayloadCapella {
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
        /// Raw transactions.
        pub transactions: List<Transaction, MAX_TRANSACTIONS_PER_PAYLOAD>,
        /// Withdrawals.
        pub withdrawals: List<PayloadWithdrawal, MAX_WITHDRAWALS_PER_PAYLOAD>,
    }
}

block_container! {
    /// Deneb `ExecutionPayload` (adds blob gas; unchanged in Electra and Fulu).
    pub struct ExecutionPayloadDeneb {
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
        /// Raw transactions.
        pub transactions: List<Transaction, MAX_TRANSACTIONS_PER_PAYLOAD>,
        /// Withdrawals.
        pub withdrawals: List<PayloadWithdrawal, MAX_WITHDRAWALS_PER_PAYLOAD>,
        /// Blob gas used.
        pub blob_gas_used: u64,
        /// Excess blob gas.
        pub excess_blob_gas: u64,
    }
}

block_container! {
    /// `DepositRequest` (EIP-6110).
    pub struct DepositRequest {
        /// Validator key.
        pub pubkey: BlsPublicKey,
        /// Withdrawal credentials.
        pub withdrawal_credentials: B256,
        /// Amount in gwei.
        pub amount: u64,
        /// Proof of possession.
        pub signature: BlsSignature,
        /// Deposit index.
        pub index: u64,
    }
}

block_container! {
    /// `WithdrawalRequest` (EIP-7002).
    pub struct WithdrawalRequest {
        /// Requesting execution address.
        pub source_address: Address,
        /// Validator key.
        pub validator_pubkey: BlsPublicKey,
        /// Amount in gwei (0: full exit).
        pub amount: u64,
    }
}

block_container! {
    /// `ConsolidationRequest` (EIP-7251).
    pub struct ConsolidationRequest {
        /// Requesting execution address.
        pub source_address: Address,
        /// Source validator key.
        pub source_pubkey: BlsPublicKey,
        /// Target validator key.
        pub target_pubkey: BlsPublicKey,
    }
}

block_container! {
    /// `ExecutionRequests` (Electra).
    pub struct ExecutionRequests {
        /// Deposit requests (type 0x00).
        pub deposits: List<DepositRequest, MAX_DEPOSIT_REQUESTS_PER_PAYLOAD>,
        /// Withdrawal requests (type 0x01).
        pub withdrawals: List<WithdrawalRequest, MAX_WITHDRAWAL_REQUESTS_PER_PAYLOAD>,
        /// Consolidation requests (type 0x02).
        pub consolidations: List<ConsolidationRequest, MAX_CONSOLIDATION_REQUESTS_PER_PAYLOAD>,
    }
}

block_container! {
    /// Bellatrix `BeaconBlockBody`.
    pub struct BeaconBlockBodyBellatrix {
        /// RANDAO reveal.
        pub randao_reveal: BlsSignature,
        /// Eth1 vote.
        pub eth1_data: Eth1Data,
        /// Graffiti.
        pub graffiti: B256,
        /// Proposer slashings.
        pub proposer_slashings: List<ProposerSlashing, MAX_PROPOSER_SLASHINGS>,
        /// Attester slashings.
        pub attester_slashings: List<AttesterSlashing, MAX_ATTESTER_SLASHINGS>,
        /// Attestations.
        pub attestations: List<Attestation, MAX_ATTESTATIONS>,
        /// Deposits.
        pub deposits: List<Deposit, MAX_DEPOSITS>,
        /// Voluntary exits.
        pub voluntary_exits: List<SignedVoluntaryExit, MAX_VOLUNTARY_EXITS>,
        /// Sync committee aggregate.
        pub sync_aggregate: BlockSyncAggregate,
        /// Execution payload.
        pub execution_payload: ExecutionPayloadBellatrix,
    }
}

block_container! {
    /// Capella `BeaconBlockBody`.
    pub struct BeaconBlockBodyCapella {
        /// RANDAO reveal.
        pub randao_reveal: BlsSignature,
        /// Eth1 vote.
        pub eth1_data: Eth1Data,
        /// Graffiti.
        pub graffiti: B256,
        /// Proposer slashings.
        pub proposer_slashings: List<ProposerSlashing, MAX_PROPOSER_SLASHINGS>,
        /// Attester slashings.
        pub attester_slashings: List<AttesterSlashing, MAX_ATTESTER_SLASHINGS>,
        /// Attestations.
        pub attestations: List<Attestation, MAX_ATTESTATIONS>,
        /// Deposits.
        pub deposits: List<Deposit, MAX_DEPOSITS>,
        /// Voluntary exits.
        pub voluntary_exits: List<SignedVoluntaryExit, MAX_VOLUNTARY_EXITS>,
        /// Sync committee aggregate.
        pub sync_aggregate: BlockSyncAggregate,
        /// Execution payload.
        pub execution_payload: ExecutionPayloadCapella,
        /// BLS to execution credential changes.
        pub bls_to_execution_changes: List<SignedBlsToExecutionChange, MAX_BLS_TO_EXECUTION_CHANGES>,
    }
}

block_container! {
    /// Deneb `BeaconBlockBody`.
    pub struct BeaconBlockBodyDeneb {
        /// RANDAO reveal.
        pub randao_reveal: BlsSignature,
        /// Eth1 vote.
        pub eth1_data: Eth1Data,
        /// Graffiti.
        pub graffiti: B256,
        /// Proposer slashings.
        pub proposer_slashings: List<ProposerSlashing, MAX_PROPOSER_SLASHINGS>,
        /// Attester slashings.
        pub attester_slashings: List<AttesterSlashing, MAX_ATTESTER_SLASHINGS>,
        /// Attestations.
        pub attestations: List<Attestation, MAX_ATTESTATIONS>,
        /// Deposits.
        pub deposits: List<Deposit, MAX_DEPOSITS>,
        /// Voluntary exits.
        pub voluntary_exits: List<SignedVoluntaryExit, MAX_VOLUNTARY_EXITS>,
        /// Sync committee aggregate.
        pub sync_aggregate: BlockSyncAggregate,
        /// Execution payload.
        pub execution_payload: ExecutionPayloadDeneb,
        /// BLS to execution credential changes.
        pub bls_to_execution_changes: List<SignedBlsToExecutionChange, MAX_BLS_TO_EXECUTION_CHANGES>,
        /// Blob KZG commitments.
        pub blob_kzg_commitments: List<KzgCommitment, MAX_BLOB_COMMITMENTS_PER_BLOCK>,
    }
}

block_container! {
    /// Electra (and Fulu) `BeaconBlockBody`.
    pub struct BeaconBlockBodyElectra {
        /// RANDAO reveal.
        pub randao_reveal: BlsSignature,
        /// Eth1 vote.
        pub eth1_data: Eth1Data,
        /// Graffiti.
        pub graffiti: B256,
        /// Proposer slashings.
        pub proposer_slashings: List<ProposerSlashing, MAX_PROPOSER_SLASHINGS>,
        /// Attester slashings.
        pub attester_slashings: List<AttesterSlashingElectra, MAX_ATTESTER_SLASHINGS_ELECTRA>,
        /// Attestations.
        pub attestations: List<AttestationElectra, MAX_ATTESTATIONS_ELECTRA>,
        /// Deposits.
        pub deposits: List<Deposit, MAX_DEPOSITS>,
        /// Voluntary exits.
        pub voluntary_exits: List<SignedVoluntaryExit, MAX_VOLUNTARY_EXITS>,
        /// Sync committee aggregate.
        pub sync_aggregate: BlockSyncAggregate,
        /// Execution payload.
        pub execution_payload: ExecutionPayloadDeneb,
        /// BLS to execution credential changes.
        pub bls_to_execution_changes: List<SignedBlsToExecutionChange, MAX_BLS_TO_EXECUTION_CHANGES>,
        /// Blob KZG commitments.
        pub blob_kzg_commitments: List<KzgCommitment, MAX_BLOB_COMMITMENTS_PER_BLOCK>,
        /// Execution-layer requests (EIP-7685).
        pub execution_requests: ExecutionRequests,
    }
}
