//! Errors of the SP1 proof module.

use crate::ErrorCode;

/// What part of the input failed to decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeFailure {
    /// The proof is shorter than the 4-byte verifier selector.
    MissingSelector,
    /// The proof length does not match its verifier version and proof system.
    ProofLength,
    /// A curve point or field element in the proof body is malformed
    /// (non-canonical, not on the curve or not in the prime-order subgroup).
    ProofBody,
    /// The proof nonce is not a canonical BN254 scalar.
    Nonce,
    /// The program vkey hash is not 32 bytes of hex, or not a canonical BN254 scalar.
    VkeyHash,
    /// The public values do not have the length the batch layout requires.
    PublicValuesLength,
    /// A numeric public-values field does not fit its type.
    PublicValuesField,
}

impl core::fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::MissingSelector => "proof shorter than its 4-byte selector",
            Self::ProofLength => "proof length does not match its verifier version",
            Self::ProofBody => "malformed curve point or scalar in the proof body",
            Self::Nonce => "proof nonce is not a canonical BN254 scalar",
            Self::VkeyHash => "program vkey hash is not a canonical 32-byte BN254 scalar",
            Self::PublicValuesLength => "public values have the wrong length for the batch layout",
            Self::PublicValuesField => "a public-values field is out of range",
        })
    }
}

/// Which field of a batch claim differs from what the client expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimField {
    /// `l1Head`.
    L1Head,
    /// `l2PreRoot`.
    L2PreRoot,
    /// `l2PostRoot`.
    L2PostRoot,
    /// `l2BlockNumber`.
    L2BlockNumber,
    /// `l2BlockHash`.
    L2BlockHash,
    /// `rollupConfigHash`.
    RollupConfigHash,
}

impl core::fmt::Display for ClaimField {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::L1Head => "l1Head",
            Self::L2PreRoot => "l2PreRoot",
            Self::L2PostRoot => "l2PostRoot",
            Self::L2BlockNumber => "l2BlockNumber",
            Self::L2BlockHash => "l2BlockHash",
            Self::RollupConfigHash => "rollupConfigHash",
        })
    }
}

/// Why an SP1 proof or the batch claim it carries was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The proof's 4-byte selector names no SP1 verifier version this crate knows.
    #[error("unknown SP1 verifier selector 0x{}", hex::encode(.selector))]
    UnknownVerifierVersion {
        /// The first 4 bytes of the proof.
        selector: [u8; 4],
    },
    /// The proof's selector is not `sha256(verifying key)[..4]` of the verifier asked for.
    #[error("proof selector 0x{} does not match verifying key 0x{}", hex::encode(.got), hex::encode(.expected))]
    PrefixMismatch {
        /// `sha256(vk)[..4]` of the requested verifier.
        expected: [u8; 4],
        /// The first 4 bytes of the proof.
        got: [u8; 4],
    },
    /// An SP1 v6 proof commits to a recursion vk root other than its version's.
    #[error("proof vk_root does not match the SP1 verifier version's VK root")]
    VkRootMismatch,
    /// The proven program did not exit with code 0.
    #[error("proven program exited with a nonzero exit code")]
    NonzeroExitCode,
    /// The proof does not verify for this program vkey and these public values
    /// (both the sha256 and, where the version allows it, the blake3 digest were tried).
    #[error("proof does not verify for this program vkey and these public values")]
    InvalidProof,
    /// The proof verified, but for a program other than the rollup's.
    #[error("proof is for program vkey 0x{}, the rollup config expects 0x{}", hex::encode(.got), hex::encode(.expected))]
    VkeyMismatch {
        /// The program vkey in the rollup config.
        expected: [u8; 32],
        /// The program vkey the proof was verified against.
        got: [u8; 32],
    },
    /// Input bytes could not be decoded.
    #[error("decode error: {0}")]
    Decode(DecodeFailure),
    /// The verified batch claim differs from what the client holds.
    #[error("batch claim field {0} does not match the client's view")]
    ClaimMismatch(ClaimField),
    /// The wasm core's answer from the package's SP1 module: that module ran
    /// this crate's checks and refused the proof with `code` (one of the codes
    /// above, or `SP1_MODULE_NOT_LOADED`); or `SP1_UNAVAILABLE` from a native
    /// build without feature `sp1`.
    #[error("{message}")]
    Sp1Module {
        /// The module's error code.
        code: &'static str,
        /// The module's message.
        message: String,
    },
}

impl ErrorCode for ProofError {
    fn code(&self) -> &'static str {
        match self {
            Self::UnknownVerifierVersion { .. } => "UNKNOWN_VERIFIER_VERSION",
            Self::PrefixMismatch { .. } => "PREFIX_MISMATCH",
            Self::VkRootMismatch => "VK_ROOT_MISMATCH",
            Self::NonzeroExitCode => "NONZERO_EXIT_CODE",
            Self::InvalidProof => "INVALID_PROOF",
            Self::VkeyMismatch { .. } => "VKEY_MISMATCH",
            Self::Decode(_) => "DECODE_ERROR",
            Self::ClaimMismatch(_) => "CLAIM_MISMATCH",
            Self::Sp1Module { code, .. } => code,
        }
    }
}
