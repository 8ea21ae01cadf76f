//! Compressed BLS12-381 points (the protocol's encoding, section 2) to the
//! uncompressed EIP-2537 encoding the inbox's precompile calls take.
//!
//! EIP-2537 writes each base-field element as 64 bytes (16 zero bytes, then
//! the 48-byte big-endian value), a G1 point as `x || y` (128 bytes) and a
//! G2 point as `x.c0 || x.c1 || y.c0 || y.c1` (256 bytes). blst serializes
//! uncompressed points in the ZCash order (48-byte elements, G2 as
//! `x.c1 || x.c0 || y.c1 || y.c0`), so the conversion pads and reorders.

use blst::min_pk::{PublicKey, Signature};

use crate::InboxError;

/// Size of a compressed G1 key.
pub const G1_COMPRESSED_LEN: usize = 48;
/// Size of a compressed G2 signature.
pub const G2_COMPRESSED_LEN: usize = 96;
/// Size of an EIP-2537 G1 point.
pub const G1_LEN: usize = 128;
/// Size of an EIP-2537 G2 point.
pub const G2_LEN: usize = 256;
const FP: usize = 48;
const PADDED_FP: usize = 64;

fn pad(out: &mut Vec<u8>, element: &[u8]) {
    out.extend_from_slice(&[0u8; PADDED_FP - FP]);
    out.extend_from_slice(element);
}

/// The EIP-2537 encoding of a compressed G1 key (on-curve check only: the
/// inbox checks the subgroup when a committee is announced).
///
/// # Errors
/// [`InboxError::InvalidPoint`] if the bytes are not a compressed curve point.
pub fn g1_uncompressed(compressed: &[u8; G1_COMPRESSED_LEN]) -> Result<[u8; G1_LEN], InboxError> {
    let key = PublicKey::uncompress(compressed).map_err(|_| InboxError::InvalidPoint("G1"))?;
    let raw = key.serialize(); // x || y, 48 bytes each
    let mut out = Vec::with_capacity(G1_LEN);
    pad(&mut out, &raw[..FP]);
    pad(&mut out, &raw[FP..]);
    out.try_into()
        .map_err(|_| InboxError::InvalidPoint("G1 length"))
}

/// The EIP-2537 encoding of a compressed G2 signature.
///
/// # Errors
/// [`InboxError::InvalidPoint`] if the bytes are not a compressed curve point.
pub fn g2_uncompressed(compressed: &[u8; G2_COMPRESSED_LEN]) -> Result<[u8; G2_LEN], InboxError> {
    let sig = Signature::uncompress(compressed).map_err(|_| InboxError::InvalidPoint("G2"))?;
    let raw = sig.serialize(); // x.c1 || x.c0 || y.c1 || y.c0, 48 bytes each
    let element = |i: usize| &raw[i * FP..(i + 1) * FP];
    let mut out = Vec::with_capacity(G2_LEN);
    for i in [1, 0, 3, 2] {
        pad(&mut out, element(i));
    }
    out.try_into()
        .map_err(|_| InboxError::InvalidPoint("G2 length"))
}
