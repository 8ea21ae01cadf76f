//! BLS12-381 signatures as the Ethereum consensus layer uses them.
//!
//! The light client needs one operation on its hot path:
//! `FastAggregateVerify` of a sync-committee signature over the keys of the
//! members whose participation bit is set. Everything else (decoding keys,
//! aggregating) serves it.
//!
//! The curve arithmetic sits behind the small [`BlsBackend`] trait with two
//! implementations selected by cargo features:
//! - `bls-blst` (default): supranational's `blst` (C, built with clang for wasm);
//! - `bls-zkcrypto`: zkcrypto's pure-Rust `bls12_381`.
//!
//! Both backends pass the same tests (`cargo test --all-features` runs them
//! against each). [`DefaultBackend`] is `blst` when its feature is enabled,
//! otherwise zkcrypto; with both enabled, pick one explicitly with
//! `SyncCommitteeKeys::<Zkcrypto>::decode`.
//!
//! A sync committee is decoded once per period into [`SyncCommitteeKeys`],
//! which keeps the decompressed points so each update only aggregates.

#[cfg(feature = "bls-blst")]
mod blst_backend;
mod committee;
mod error;
#[cfg(feature = "bls-zkcrypto")]
mod zkcrypto_backend;

#[cfg(feature = "bls-blst")]
pub use blst_backend::Blst;
pub use committee::SyncCommitteeKeys;
pub use error::BlsError;
#[cfg(feature = "bls-zkcrypto")]
pub use zkcrypto_backend::Zkcrypto;

/// Length of a compressed G1 public key.
pub const PUBLIC_KEY_LEN: usize = 48;
/// Length of a compressed G2 signature.
pub const SIGNATURE_LEN: usize = 96;
/// Hash-to-curve domain separation tag of Ethereum's proof-of-possession scheme.
pub const ETH_DST: &[u8] = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

/// How much checking a public key gets when it is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCheck {
    /// On-curve, not infinity, and in the prime-order subgroup.
    Full,
    /// On-curve and not infinity; the subgroup check is skipped because the
    /// key is authenticated by a Merkle branch to a state the chain verified
    /// (see [`SyncCommitteeKeys`] for the reasoning).
    Authenticated,
}

/// The curve operations the light client needs.
pub trait BlsBackend {
    /// A decompressed, validated public key.
    type PublicKey: Clone + core::fmt::Debug;

    /// Decodes a compressed public key.
    ///
    /// # Errors
    /// [`BlsError::InvalidPublicKey`] if not on the curve or not in the
    /// subgroup (with [`KeyCheck::Full`]); [`BlsError::InfinityPublicKey`] for
    /// the point at infinity.
    fn decode_public_key(
        bytes: &[u8; PUBLIC_KEY_LEN],
        check: KeyCheck,
    ) -> Result<Self::PublicKey, BlsError>;

    /// Sums a set of public keys; `None` for an empty set.
    fn aggregate<'a>(keys: impl Iterator<Item = &'a Self::PublicKey>) -> Option<Self::PublicKey>
    where
        Self::PublicKey: 'a;

    /// Subtracts `b` from `a` (used to aggregate a nearly full committee by
    /// removing the few absent members from the committee's total).
    fn subtract(a: &Self::PublicKey, b: &Self::PublicKey) -> Self::PublicKey;

    /// Verifies `signature` over `message` under one (aggregate) public key.
    ///
    /// # Errors
    /// [`BlsError::InvalidSignature`] if the signature does not decode, is not
    /// in the subgroup, or does not verify.
    fn verify(
        key: &Self::PublicKey,
        message: &[u8],
        signature: &[u8; SIGNATURE_LEN],
    ) -> Result<(), BlsError>;
}

/// The backend used when the caller does not choose one: `blst` when its
/// feature is on (it is the faster of the two), otherwise zkcrypto.
#[cfg(feature = "bls-blst")]
pub type DefaultBackend = Blst;

/// The backend used when the caller does not choose one: `blst` when its
/// feature is on (it is the faster of the two), otherwise zkcrypto.
#[cfg(all(feature = "bls-zkcrypto", not(feature = "bls-blst")))]
pub type DefaultBackend = Zkcrypto;

#[cfg(not(any(feature = "bls-blst", feature = "bls-zkcrypto")))]
compile_error!("enable a BLS backend: feature `bls-blst` or `bls-zkcrypto`");
