//! [`BlsBackend`] over zkcrypto's pure-Rust `bls12_381`.
//!
//! Verification computes `e(pk, H(m)) · e(−g1, σ) == 1` with one shared
//! Miller loop and one final exponentiation, where `H` is hash-to-G2 with
//! `expand_message_xmd` over SHA-256 and [`ETH_DST`].

use bls12_381::hash_to_curve::{ExpandMsgXmd, HashToCurve};
use bls12_381::{
    G1Affine, G1Projective, G2Affine, G2Prepared, G2Projective, Gt, multi_miller_loop,
};

use super::{BlsBackend, BlsError, ETH_DST, KeyCheck, PUBLIC_KEY_LEN, SIGNATURE_LEN};

/// The zkcrypto `bls12_381` backend (pure Rust).
#[derive(Debug, Clone, Copy, Default)]
pub struct Zkcrypto;

impl BlsBackend for Zkcrypto {
    type PublicKey = G1Affine;

    fn decode_public_key(
        bytes: &[u8; PUBLIC_KEY_LEN],
        check: KeyCheck,
    ) -> Result<G1Affine, BlsError> {
        // `from_compressed_unchecked` recovers y from x, so the point is on the
        // curve; it skips only the subgroup check.
        let point: Option<G1Affine> = G1Affine::from_compressed_unchecked(bytes).into();
        let point = point.ok_or(BlsError::InvalidPublicKey)?;
        if bool::from(point.is_identity()) {
            return Err(BlsError::InfinityPublicKey);
        }
        if check == KeyCheck::Full && !bool::from(point.is_torsion_free()) {
            return Err(BlsError::InvalidPublicKey);
        }
        Ok(point)
    }

    fn compress(key: &G1Affine) -> [u8; PUBLIC_KEY_LEN] {
        key.to_compressed()
    }

    fn aggregate<'a>(keys: impl Iterator<Item = &'a G1Affine>) -> Option<G1Affine> {
        let mut acc: Option<G1Projective> = None;
        for key in keys {
            acc = Some(match acc {
                None => G1Projective::from(key),
                Some(sum) => sum.add_mixed(key),
            });
        }
        acc.map(G1Affine::from)
    }

    fn subtract(a: &G1Affine, b: &G1Affine) -> G1Affine {
        G1Affine::from(G1Projective::from(a).add_mixed(&-b))
    }

    fn verify(
        key: &G1Affine,
        message: &[u8],
        signature: &[u8; SIGNATURE_LEN],
    ) -> Result<(), BlsError> {
        // An aggregate key at infinity verifies the infinity signature for any
        // message; refuse it as blst does.
        if bool::from(key.is_identity()) {
            return Err(BlsError::InvalidSignature);
        }
        // `from_compressed` checks the curve and the G2 subgroup.
        let sig: Option<G2Affine> = G2Affine::from_compressed(signature).into();
        let sig = sig.ok_or(BlsError::InvalidSignature)?;
        let hashed = <G2Projective as HashToCurve<ExpandMsgXmd<sha2::Sha256>>>::hash_to_curve(
            [message],
            ETH_DST,
        );
        let hashed = G2Prepared::from(G2Affine::from(hashed));
        let sig = G2Prepared::from(sig);
        let neg_g1 = -G1Affine::generator();
        let product = multi_miller_loop(&[(key, &hashed), (&neg_g1, &sig)]).final_exponentiation();
        if product == Gt::identity() {
            Ok(())
        } else {
            Err(BlsError::InvalidSignature)
        }
    }
}
