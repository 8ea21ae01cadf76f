//! The public-values digest SP1 feeds into its BN254 circuits.
//!
//! SP1 hashes the committed public values with sha256 (all versions) or
//! blake3 (v4 and later), then clears the top 3 bits so the digest fits the
//! 254-bit BN254 scalar field. A proof commits to one of the two; a verifier
//! tries sha256 first, then blake3.

#[cfg(feature = "sp1")]
use sha2::{Digest, Sha256};

/// Mask applied to the first digest byte: keeps the low 5 bits (253-bit digest).
pub const DIGEST_TOP_BYTE_MASK: u8 = 0x1f;

/// The hash function a proof's public-values digest was computed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigestKind {
    /// sha256 with the top 3 bits cleared.
    Sha256,
    /// blake3 with the top 3 bits cleared.
    Blake3,
}

impl DigestKind {
    /// The lowercase name: `"sha256"` or `"blake3"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Blake3 => "blake3",
        }
    }
}

/// The masked digest of `public_values` under `kind`.
#[cfg(feature = "sp1")]
pub fn public_values_digest(public_values: &[u8], kind: DigestKind) -> [u8; 32] {
    let mut digest: [u8; 32] = match kind {
        DigestKind::Sha256 => Sha256::digest(public_values).into(),
        DigestKind::Blake3 => *blake3::hash(public_values).as_bytes(),
    };
    digest[0] &= DIGEST_TOP_BYTE_MASK;
    digest
}
