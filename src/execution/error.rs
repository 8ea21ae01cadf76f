//! Errors of the execution-layer module.

use alloy_primitives::B256;

use crate::ErrorCode;
use crate::ssz::SszError;

/// Why an execution-layer object was rejected.
///
/// Every variant means the input was refused as a whole: nothing is ever
/// "corrected" to match a proof or a root.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExecutionError {
    /// The JSON does not have the shape a node returns (missing field, bad hex, overflow).
    #[error("invalid JSON-RPC object: {field}: {reason}")]
    InvalidJson {
        /// The field (path) that failed.
        field: String,
        /// What was wrong with it.
        reason: &'static str,
    },
    /// Bytes that should be RLP (a header, a node, an account) do not decode.
    #[error("invalid RLP in {context}: {reason}")]
    InvalidRlp {
        /// What was being decoded.
        context: &'static str,
        /// What was wrong with it.
        reason: String,
    },
    /// keccak256(rlp(header)) differs from the expected or stated block hash.
    #[error("block header hashes to {computed}, expected {expected}")]
    HeaderHashMismatch {
        /// The hash recomputed from the header fields.
        computed: B256,
        /// The hash that was expected (trusted anchor or the response's own `hash`).
        expected: B256,
    },
    /// The header carries a later-fork field without an earlier one.
    #[error("header field {field} present without the fields of earlier forks")]
    HeaderFieldGap {
        /// The field that appeared out of order.
        field: &'static str,
    },
    /// The transactions rebuilt from the block do not give its transactions root.
    #[error("transactions root {computed} differs from header {expected}")]
    TransactionsRootMismatch {
        /// Root rebuilt from the transactions.
        computed: B256,
        /// Root in the header.
        expected: B256,
    },
    /// A transaction object's stated hash differs from the hash of its encoding.
    #[error(
        "transaction {index}: hash of the rebuilt envelope is {computed}, response says {stated}"
    )]
    TransactionHashMismatch {
        /// Position in the block.
        index: usize,
        /// keccak256 of the rebuilt envelope.
        computed: B256,
        /// The `hash` field of the object.
        stated: B256,
    },
    /// The withdrawals do not give the header's withdrawals root.
    #[error("withdrawals root {computed} differs from header {expected}")]
    WithdrawalsRootMismatch {
        /// Root rebuilt from the withdrawals.
        computed: B256,
        /// Root in the header.
        expected: B256,
    },
    /// A transaction or receipt type this module cannot encode.
    #[error("unsupported transaction type {0:#x}")]
    UnsupportedTxType(u64),
    /// The receipts do not give the verified receipts root.
    #[error("receipts root {computed} differs from verified {expected}")]
    ReceiptsRootMismatch {
        /// Root rebuilt from the receipts.
        computed: B256,
        /// The verified root.
        expected: B256,
    },
    /// A stated logs bloom differs from the bloom of the logs.
    #[error("logs bloom of {what} disagrees with its logs")]
    BloomMismatch {
        /// Which bloom (a receipt index or the block header).
        what: String,
    },
    /// Metadata that is not in the trie (log index, transaction index or hash,
    /// block hash) disagrees with what the verified data fixes.
    #[error("receipt {index}: {field} disagrees with the verified data")]
    ReceiptMetadataMismatch {
        /// Receipt position.
        index: usize,
        /// The field that lied.
        field: &'static str,
    },
    /// A Merkle-Patricia proof does not chain to the root or is malformed.
    #[error("invalid Merkle-Patricia proof for {subject}: {reason}")]
    InvalidProof {
        /// What the proof was for (account or storage slot).
        subject: String,
        /// Why it failed.
        reason: &'static str,
    },
    /// A stated field of an `eth_getProof` response disagrees with what its proof proves.
    #[error("eth_getProof states {field} that its proof does not prove")]
    ProofValueMismatch {
        /// The field that lied (`balance`, `nonce`, `codeHash`, `storageHash`, `storage[i].value`).
        field: String,
    },
    /// The response is about another address or storage key than the one requested.
    #[error("eth_getProof answers for another {what} than requested")]
    ProofSubjectMismatch {
        /// `address` or `storage key`.
        what: &'static str,
    },
    /// Code does not hash to the verified code hash.
    #[error("code hashes to {computed}, account code hash is {expected}")]
    CodeHashMismatch {
        /// keccak256 of the code supplied.
        computed: B256,
        /// The proven code hash.
        expected: B256,
    },
    /// The fork name is unknown, has no execution payload (Phase 0, Altair),
    /// or disagrees with the block's `version` or its slot's fork.
    #[error("wrong or unsupported fork for a beacon block: {0}")]
    WrongFork(String),
    /// SSZ bytes of a beacon block do not decode.
    #[error("SSZ decode error in {path} at byte {at}: {source}")]
    BeaconSsz {
        /// Path of the field that failed (e.g. `message.body.execution_payload.transactions[3]`).
        path: String,
        /// Byte position of that field in the input.
        at: usize,
        /// What was wrong with it.
        source: SszError,
    },
    /// `hash_tree_root(body)` differs from the verified header's `body_root`.
    #[error("beacon block body root {computed} differs from verified body_root {expected}")]
    BodyRootMismatch {
        /// Root of the body supplied.
        computed: B256,
        /// The verified header's `body_root`.
        expected: B256,
    },
    /// The block's slot, proposer, parent root or state root differs from the verified header.
    #[error("beacon block {field} differs from the verified header")]
    BeaconHeaderMismatch {
        /// The field that differs.
        field: &'static str,
    },
}

impl ErrorCode for ExecutionError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidJson { .. } | Self::InvalidRlp { .. } | Self::HeaderFieldGap { .. } => {
                "DECODE_ERROR"
            }
            Self::HeaderHashMismatch { .. } => "HEADER_HASH_MISMATCH",
            Self::TransactionsRootMismatch { .. } => "TRANSACTIONS_ROOT_MISMATCH",
            Self::TransactionHashMismatch { .. } => "TRANSACTION_HASH_MISMATCH",
            Self::WithdrawalsRootMismatch { .. } => "WITHDRAWALS_ROOT_MISMATCH",
            Self::UnsupportedTxType(_) => "UNSUPPORTED_TX_TYPE",
            Self::ReceiptsRootMismatch { .. } => "RECEIPTS_ROOT_MISMATCH",
            Self::BloomMismatch { .. } => "BLOOM_MISMATCH",
            Self::ReceiptMetadataMismatch { .. } => "RECEIPT_METADATA_MISMATCH",
            Self::InvalidProof { .. } => "INVALID_PROOF",
            Self::ProofValueMismatch { .. } => "PROOF_VALUE_MISMATCH",
            Self::ProofSubjectMismatch { .. } => "PROOF_SUBJECT_MISMATCH",
            Self::CodeHashMismatch { .. } => "CODE_HASH_MISMATCH",
            Self::WrongFork(_) => "WRONG_FORK",
            Self::BeaconSsz { .. } => "DECODE_ERROR",
            Self::BodyRootMismatch { .. } => "BODY_ROOT_MISMATCH",
            Self::BeaconHeaderMismatch { .. } => "BEACON_HEADER_MISMATCH",
        }
    }
}

impl ExecutionError {
    /// Shorthand for an [`ExecutionError::InvalidRlp`] from an `alloy_rlp` error.
    pub(crate) fn rlp(context: &'static str, err: alloy_rlp::Error) -> Self {
        Self::InvalidRlp {
            context,
            reason: err.to_string(),
        }
    }
}
