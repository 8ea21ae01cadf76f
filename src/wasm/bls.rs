//! `SyncCommittee`: BLS fast-aggregate verification over a decoded committee.

use wasm_bindgen::prelude::*;

use super::error::{invalid_argument, to_js};
use crate::bls::{KeyCheck, PUBLIC_KEY_LEN, SIGNATURE_LEN, SyncCommitteeKeys};

/// A sync committee whose public keys were decompressed once.
#[wasm_bindgen]
pub struct SyncCommittee {
    keys: SyncCommitteeKeys,
}

#[wasm_bindgen]
impl SyncCommittee {
    /// Decodes concatenated 48-byte compressed keys. `authenticated` skips the
    /// subgroup check for keys proven by a Merkle branch to a verified state.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for a length that is not a multiple of 48;
    /// `INVALID_PUBLIC_KEY` / `INFINITY_PUBLIC_KEY` for a bad key.
    #[wasm_bindgen(constructor)]
    pub fn new(pubkeys: &[u8], authenticated: bool) -> Result<SyncCommittee, JsValue> {
        if pubkeys.is_empty() || !pubkeys.len().is_multiple_of(PUBLIC_KEY_LEN) {
            return Err(invalid_argument(
                "pubkeys must be a non-empty multiple of 48 bytes",
            ));
        }
        let keys: Vec<[u8; PUBLIC_KEY_LEN]> = pubkeys
            .chunks_exact(PUBLIC_KEY_LEN)
            .map(|c| {
                let mut k = [0u8; PUBLIC_KEY_LEN];
                k.copy_from_slice(c);
                k
            })
            .collect();
        let check = if authenticated {
            KeyCheck::Authenticated
        } else {
            KeyCheck::Full
        };
        SyncCommitteeKeys::decode(&keys, check)
            .map(|keys| SyncCommittee { keys })
            .map_err(to_js)
    }

    /// Number of members.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.keys.len()
    }

    /// `FastAggregateVerify` of a 96-byte signature over `message` by the
    /// members whose bit is set in the SSZ bitvector `participation`.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for a wrong-length bitvector or signature;
    /// `INVALID_SIGNATURE` or `NO_PARTICIPANTS` when verification fails.
    pub fn verify(
        &self,
        participation: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), JsValue> {
        let size = self.keys.len();
        if participation.len() != size.div_ceil(8) {
            return Err(invalid_argument(
                "participation bitvector has the wrong length",
            ));
        }
        let bits: Vec<bool> = (0..size)
            .map(|i| {
                participation
                    .get(i / 8)
                    .is_some_and(|b| (b >> (i % 8)) & 1 == 1)
            })
            .collect();
        let signature: &[u8; SIGNATURE_LEN] = signature
            .try_into()
            .map_err(|_| invalid_argument("signature must be 96 bytes"))?;
        self.keys
            .fast_aggregate_verify(&bits, message, signature)
            .map_err(to_js)
    }
}
