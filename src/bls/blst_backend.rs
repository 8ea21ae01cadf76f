//! [`BlsBackend`] over supranational's `blst`.
//!
//! Verification is written against blst's low-level pairing functions rather
//! than its `Signature::verify`: hash to G2, then `e(pk, H(m)) · e(−g1, σ)`
//! in one two-pair Miller loop and one final exponentiation. blst's
//! high-level path runs two separate Miller loops; sharing the Fp12
//! squarings measurably shortens the wasm verify (see `docs/BENCHMARKS.md`).

use blst::min_pk::{AggregatePublicKey, PublicKey, Signature};
use blst::{
    BLST_ERROR, blst_final_exp, blst_fp_cneg, blst_fp12, blst_fp12_is_one, blst_hash_to_g2,
    blst_miller_loop_n, blst_p1, blst_p1_add_or_double, blst_p1_affine, blst_p1_affine_generator,
    blst_p1_affine_is_inf, blst_p1_cneg, blst_p2, blst_p2_affine, blst_p2_to_affine,
};

use super::{BlsBackend, BlsError, ETH_DST, KeyCheck, PUBLIC_KEY_LEN, SIGNATURE_LEN};

/// The `blst` backend.
#[derive(Debug, Clone, Copy, Default)]
pub struct Blst;

impl BlsBackend for Blst {
    type PublicKey = PublicKey;

    fn decode_public_key(
        bytes: &[u8; PUBLIC_KEY_LEN],
        check: KeyCheck,
    ) -> Result<PublicKey, BlsError> {
        // The compressed infinity point is 0xc0 followed by zeros.
        if bytes[0] == 0xc0 && bytes[1..].iter().all(|b| *b == 0) {
            return Err(BlsError::InfinityPublicKey);
        }
        let key = match check {
            KeyCheck::Full => PublicKey::key_validate(bytes),
            KeyCheck::Authenticated => PublicKey::uncompress(bytes),
        };
        key.map_err(|e| match e {
            BLST_ERROR::BLST_PK_IS_INFINITY => BlsError::InfinityPublicKey,
            _ => BlsError::InvalidPublicKey,
        })
    }

    fn compress(key: &PublicKey) -> [u8; PUBLIC_KEY_LEN] {
        key.compress()
    }

    fn aggregate<'a>(keys: impl Iterator<Item = &'a PublicKey>) -> Option<PublicKey> {
        let mut acc: Option<AggregatePublicKey> = None;
        for key in keys {
            match acc.as_mut() {
                None => acc = Some(AggregatePublicKey::from_public_key(key)),
                // Keys were validated when decoded.
                Some(agg) => agg.add_public_key(key, false).ok()?,
            }
        }
        acc.map(|a| a.to_public_key())
    }

    fn subtract(a: &PublicKey, b: &PublicKey) -> PublicKey {
        let pa: blst_p1 = AggregatePublicKey::from_public_key(a).into();
        let mut pb: blst_p1 = AggregatePublicKey::from_public_key(b).into();
        let mut out = blst_p1::default();
        // SAFETY: blst's C functions only read and write these plain point structs.
        unsafe {
            blst_p1_cneg(&mut pb, true);
            blst_p1_add_or_double(&mut out, &pa, &pb);
        }
        AggregatePublicKey::from(out).to_public_key()
    }

    fn verify(
        key: &PublicKey,
        message: &[u8],
        signature: &[u8; SIGNATURE_LEN],
    ) -> Result<(), BlsError> {
        // Decompression, the G2 subgroup check and the infinity check.
        let sig =
            Signature::sig_validate(signature, true).map_err(|_| BlsError::InvalidSignature)?;
        let sig_point: &blst_p2_affine = (&sig).into();
        let key_point: &blst_p1_affine = key.into();
        let mut hashed = blst_p2::default();
        let mut hashed_affine = blst_p2_affine::default();
        let mut neg_g1_affine = blst_p1_affine::default();
        let mut miller = blst_fp12::default();
        let mut product = blst_fp12::default();
        // SAFETY: every pointer is to a live, initialised plain struct or to
        // the `message` / `ETH_DST` slices with their exact lengths; blst's C
        // functions only read the inputs and write the outputs.
        let verified = unsafe {
            // An aggregate key at infinity would accept the infinity signature
            // for any message (the signature is already known not to be it).
            if blst_p1_affine_is_inf(key_point) {
                return Err(BlsError::InvalidSignature);
            }
            blst_hash_to_g2(
                &mut hashed,
                message.as_ptr(),
                message.len(),
                ETH_DST.as_ptr(),
                ETH_DST.len(),
                core::ptr::null(),
                0,
            );
            blst_p2_to_affine(&mut hashed_affine, &hashed);
            // −g1 in affine form: negate y (no inversion needed).
            // The generator is a C static; on wasm32 blst's C code uses 32-bit
            // limbs, so it is only 4-byte aligned while the Rust struct asks
            // for 8: read it without assuming alignment.
            let g1 = core::ptr::read_unaligned(blst_p1_affine_generator());
            neg_g1_affine.x = g1.x;
            blst_fp_cneg(&mut neg_g1_affine.y, &g1.y, true);
            // e(pk, H(m)) · e(−g1, σ) == 1 with ONE two-pair Miller loop (the
            // Fp12 squarings are shared) and one final exponentiation.
            let qs: [*const blst_p2_affine; 2] = [&hashed_affine, sig_point];
            let ps: [*const blst_p1_affine; 2] = [key_point, &neg_g1_affine];
            blst_miller_loop_n(&mut miller, qs.as_ptr(), ps.as_ptr(), qs.len());
            blst_final_exp(&mut product, &miller);
            blst_fp12_is_one(&product)
        };
        if verified {
            Ok(())
        } else {
            Err(BlsError::InvalidSignature)
        }
    }
}
