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
    type PublicKey: Clone + PartialEq + core::fmt::Debug;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The first `n` keys of the real mainnet Capella bootstrap committee.
    fn mainnet_keys(n: usize) -> Vec<[u8; PUBLIC_KEY_LEN]> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/mainnet/helios/capella-lc/bootstrap.json"
        );
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json");
        json["data"]["current_sync_committee"]["pubkeys"]
            .as_array()
            .expect("pubkeys")
            .iter()
            .take(n)
            .map(|k| {
                let s = k.as_str().expect("hex").trim_start_matches("0x");
                hex::decode(s).expect("hex").try_into().expect("48 bytes")
            })
            .collect()
    }

    /// `−P` in compressed form: the same x with the other y (flip the sort flag).
    fn negate_compressed(key: &[u8; PUBLIC_KEY_LEN]) -> [u8; PUBLIC_KEY_LEN] {
        let mut out = *key;
        out[0] ^= 0x20;
        out
    }

    fn decode_all<B: BlsBackend>(keys: &[[u8; PUBLIC_KEY_LEN]]) -> Vec<B::PublicKey> {
        keys.iter()
            .map(|k| B::decode_public_key(k, KeyCheck::Full).expect("valid key"))
            .collect()
    }

    fn subtract_inverts_aggregate<B: BlsBackend>() {
        let keys = decode_all::<B>(&mainnet_keys(8));
        let all = B::aggregate(keys.iter()).expect("non-empty");
        let head = B::aggregate(keys[..3].iter()).expect("non-empty");
        let tail = B::aggregate(keys[3..].iter()).expect("non-empty");
        assert_eq!(B::subtract(&all, &head), tail);
        assert_ne!(B::subtract(&all, &tail), tail);
        assert!(B::aggregate(core::iter::empty()).is_none());
    }

    fn identity_aggregate_key_refused<B: BlsBackend>() {
        // P + (−P) is the point at infinity. Under that aggregate the
        // infinity signature would satisfy the pairing equation for every
        // message, so verify must refuse it.
        let p = mainnet_keys(1)[0];
        let pair = decode_all::<B>(&[p, negate_compressed(&p)]);
        let identity = B::aggregate(pair.iter()).expect("non-empty");
        let mut infinity_sig = [0u8; SIGNATURE_LEN];
        infinity_sig[0] = 0xc0;
        for message in [&b"any message"[..], &[0u8; 32][..]] {
            assert_eq!(
                B::verify(&identity, message, &infinity_sig),
                Err(BlsError::InvalidSignature)
            );
        }
    }

    #[cfg(feature = "bls-blst")]
    #[test]
    fn blst_subtract_inverts_aggregate() {
        subtract_inverts_aggregate::<Blst>();
    }

    #[cfg(feature = "bls-blst")]
    #[test]
    fn blst_identity_aggregate_key_refused() {
        identity_aggregate_key_refused::<Blst>();
    }

    #[cfg(feature = "bls-zkcrypto")]
    #[test]
    fn zkcrypto_subtract_inverts_aggregate() {
        subtract_inverts_aggregate::<Zkcrypto>();
    }

    #[cfg(feature = "bls-zkcrypto")]
    #[test]
    fn zkcrypto_identity_aggregate_key_refused() {
        identity_aggregate_key_refused::<Zkcrypto>();
    }

    #[cfg(all(feature = "bls-blst", feature = "bls-zkcrypto"))]
    #[test]
    fn backends_agree_on_decoded_and_summed_points() {
        let keys = mainnet_keys(16);
        let a = decode_all::<Blst>(&keys);
        let b = decode_all::<Zkcrypto>(&keys);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.compress(), y.to_compressed());
        }
        let sum_a = Blst::aggregate(a.iter()).expect("non-empty");
        let sum_b = Zkcrypto::aggregate(b.iter()).expect("non-empty");
        assert_eq!(sum_a.compress(), sum_b.to_compressed());
        let diff_a = Blst::subtract(&sum_a, &a[5]);
        let diff_b = Zkcrypto::subtract(&sum_b, &b[5]);
        assert_eq!(diff_a.compress(), diff_b.to_compressed());
    }
}
