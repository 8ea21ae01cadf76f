//! [`BlsBackend`] over supranational's `blst`.

use blst::min_pk::{AggregatePublicKey, PublicKey, Signature};
use blst::{BLST_ERROR, blst_p1, blst_p1_add_or_double, blst_p1_cneg};

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
        let sig =
            Signature::sig_validate(signature, true).map_err(|_| BlsError::InvalidSignature)?;
        match sig.verify(false, message, ETH_DST, &[], key, false) {
            BLST_ERROR::BLST_SUCCESS => Ok(()),
            _ => Err(BlsError::InvalidSignature),
        }
    }
}
