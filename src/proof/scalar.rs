//! BN254 scalar-field encoding rules for SP1 public inputs.

use super::error::{DecodeFailure, ProofError};

/// The BN254 scalar field modulus `r`, big-endian.
pub const BN254_SCALAR_MODULUS_BE: [u8; 32] = [
    0x30, 0x64, 0x4e, 0x72, 0xe1, 0x31, 0xa0, 0x29, 0xb8, 0x50, 0x45, 0xb6, 0x81, 0x81, 0x58, 0x5d,
    0x28, 0x33, 0xe8, 0x48, 0x79, 0xb9, 0x70, 0x91, 0x43, 0xe1, 0xf5, 0x93, 0xf0, 0x00, 0x00, 0x01,
];

/// Whether 32 big-endian bytes encode an integer below `r`.
///
/// SP1's own verifier rejects non-canonical inputs; accepting them in the
/// arkworks path (which reduces mod `r`) would let two different byte strings
/// name the same program or nonce.
pub fn is_canonical_scalar(bytes: &[u8; 32]) -> bool {
    // Lexicographic order on equal-length big-endian byte strings is numeric order.
    bytes.as_slice() < BN254_SCALAR_MODULUS_BE.as_slice()
}

/// An SP1 program verifying-key hash (`vk.bytes32()`): a canonical BN254 scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProgramVkey([u8; 32]);

impl ProgramVkey {
    /// Wraps 32 big-endian bytes.
    ///
    /// # Errors
    /// [`ProofError::Decode`] with [`DecodeFailure::VkeyHash`] if the value is not below `r`.
    pub fn from_bytes(bytes: [u8; 32]) -> Result<Self, ProofError> {
        if is_canonical_scalar(&bytes) {
            Ok(Self(bytes))
        } else {
            Err(ProofError::Decode(DecodeFailure::VkeyHash))
        }
    }

    /// Parses `0x`-prefixed (or bare) 64-digit hex, as printed by `vk.bytes32()`.
    ///
    /// # Errors
    /// [`ProofError::Decode`] with [`DecodeFailure::VkeyHash`] on bad hex, a wrong
    /// length or a value not below `r`.
    pub fn from_hex(text: &str) -> Result<Self, ProofError> {
        let digits = text.strip_prefix("0x").unwrap_or(text);
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(digits, &mut bytes)
            .map_err(|_| ProofError::Decode(DecodeFailure::VkeyHash))?;
        Self::from_bytes(bytes)
    }

    /// The 32 big-endian bytes.
    pub fn to_bytes(self) -> [u8; 32] {
        self.0
    }

    /// `0x`-prefixed lowercase hex.
    pub fn to_hex(self) -> String {
        format!("0x{}", hex::encode(self.0))
    }
}
