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
//! A sync committee becomes a [`SyncCommitteeKeys`], which decompresses a key
//! the first time an aggregate needs it and keeps it, so each update only
//! aggregates (an authenticated committee's total comes from the state's
//! `aggregate_pubkey`: see [`SyncCommitteeKeys::from_authenticated`]).
//!
//! # May authenticated keys skip the G1 subgroup check?
//!
//! **Decision: yes.** Keys that reached us inside a `SyncCommittee` whose
//! Merkle branch was verified against a state root the light client already
//! trusts may be decoded with [`KeyCheck::Authenticated`]: on-curve and
//! not-infinity checks stay, the prime-order subgroup check is skipped.
//! Keys from anywhere else use [`KeyCheck::Full`]. Signatures are *never*
//! exempt: every signature comes straight from the network and always gets
//! its G2 subgroup check. The reasoning:
//!
//! **What the subgroup check protects.** A compressed 48-byte string can
//! decode to any point of `E(Fp)`, a group of order `h·r` where the cofactor
//! `h` (about 2^125) is coprime to the prime `r`. Such a point is
//! `P_r + T` with `T` of order dividing `h`. The pairing and the security
//! proofs of BLS (co-CDH, the proof-of-possession defence against rogue keys)
//! are stated on the order-`r` subgroup only; off it, nothing guarantees
//! that the Miller loop plus final exponentiation behaves bilinearly in the
//! key, so none of the guarantees apply. Concretely the check defends against:
//! - *small-subgroup attacks*, where a party is made to combine its secret
//!   with a low-order point and leaks the secret modulo small factors of `h`.
//!   The light client holds no secret at all, so there is nothing to leak;
//! - *key malleability / non-uniqueness*: `P_r` and `P_r + T` are distinct
//!   encodings that can accept the same signatures, and torsion parts can be
//!   arranged to cancel inside an aggregate. That lets an adversary who
//!   **chooses keys** craft aggregates whose behaviour the proofs do not
//!   cover, in the same family as rogue-key attacks (a key chosen as a
//!   function of the others so that the aggregate is one the attacker can
//!   sign for).
//!
//! In every case the attacker must be able to **choose a key that ends up in
//! the committee we aggregate over**. A check on a key the attacker cannot
//! choose protects nothing.
//!
//! **How a sync committee key gets there.** A validator's key enters the
//! beacon state only through a deposit whose proof-of-possession signature
//! is verified by every consensus client with the spec's `bls.Verify`, whose
//! `KeyValidate` includes this very subgroup check; a deposit that fails is
//! skipped and creates no validator. Sync committees are then sampled from
//! active validators by the state transition, so every key in a real
//! committee has passed `KeyValidate` (and a proof of possession, which also
//! rules out rogue keys) under consensus of the whole network.
//!
//! **What an attacker would need to feed us a bad key anyway.** Our keys are
//! authenticated by a SHA-256 Merkle branch to a state root we already
//! verified. To put an arbitrary key in front of this code they must
//! (a) find a second preimage or collision in SHA-256 to forge the branch,
//! or (b) have the previous committee (a 2/3 supermajority of 512 members
//! in normal operation; after the update timeout, whatever participation the
//! sync protocol's `force_update` accepts, a trade-off it makes for every
//! key, checked or not) sign a header of a state the chain never produced,
//! or (c) hand the user a wrong trusted checkpoint, or write a forged
//! persisted store (a store restored from bytes is trusted the way the
//! checkpoint is: an integrity checksum is not authentication, so whoever
//! can write those bytes can install any committee). Each of these already
//! lets the attacker install 512 keys whose secrets it knows, and then sign
//! anything; a non-subgroup key gives it nothing more. So the subgroup check
//! on authenticated keys cannot change the outcome of any attack, while it
//! makes the cold decode of a committee several times slower (measured in
//! `docs/BENCHMARKS.md`, section BLS: Full / Authenticated is 3.8x with blst
//! and 2.9x with zkcrypto natively, about 4.8x with blst in wasm).
//!
//! **What still must hold without the check.** Arithmetic on a non-subgroup
//! point must stay safe: both backends use complete addition on `E(Fp)`
//! (no panics, no undefined cases), the on-curve check is kept (an
//! off-curve "point" would put us on a different curve, a twist attack
//! surface), infinity keys are still refused (Ethereum rejects them and an
//! identity aggregate would accept the identity signature for every
//! message), and an aggregate key equal to infinity is refused at verify
//! time. The caller's duty is ordering: decode with
//! [`KeyCheck::Authenticated`] **only after** the committee's branch has been
//! verified (verify, then apply).

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
    /// key is authenticated by a Merkle branch to a state the chain verified.
    /// Use it only after that branch has been checked (see the
    /// [module docs](self#may-authenticated-keys-skip-the-g1-subgroup-check)
    /// for the reasoning).
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

    /// The compressed encoding of a key.
    fn compress(key: &Self::PublicKey) -> [u8; PUBLIC_KEY_LEN];

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
