//! The single-key sequencer (PROTOCOL.md section 2.1).
//!
//! `digest = keccak(ECDSA_DOMAIN || u256(chainId) || blockHash)` is signed
//! with secp256k1 (k256, RFC 6979 nonces, low `s`), and the certificate is
//! `r || s || v` with `v` the y parity (0 or 1).

use alloy_primitives::{Address, B256, FixedBytes, Signature};
use k256::ecdsa::SigningKey;
use preconf_light::rollup::Certificate;
use preconf_light::rollup::certificate::ecdsa_digest;

use crate::{Certifier, SequencerError};

/// A secp256k1 signer: the sequencer key of a single-key rollup.
///
/// The same signer signs L1 or L2 transactions (`sign_hash`), so an operator
/// can use one type for its sequencer and committer accounts.
#[derive(Clone)]
pub struct EcdsaSigner {
    key: SigningKey,
    address: Address,
}

impl core::fmt::Debug for EcdsaSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EcdsaSigner")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl EcdsaSigner {
    /// A signer from a 32-byte secret key.
    ///
    /// # Errors
    /// [`SequencerError::InvalidKey`] for zero or a value not below the curve order.
    pub fn from_bytes(secret: &[u8]) -> Result<Self, SequencerError> {
        let key = SigningKey::from_slice(secret).map_err(|_| SequencerError::InvalidKey)?;
        let address = Address::from_public_key(key.verifying_key());
        Ok(Self { key, address })
    }

    /// The address a certificate recovers to (`config.sequencer`).
    pub fn address(&self) -> Address {
        self.address
    }

    /// The secret key (for devnets, whose keys are public by design).
    pub fn secret_bytes(&self) -> B256 {
        B256::from_slice(&self.key.to_bytes())
    }

    /// Signs a 32-byte hash (a certificate digest or a transaction's signing hash).
    ///
    /// # Errors
    /// [`SequencerError::InvalidKey`] if the signing primitive fails (it does
    /// not for a valid key and a 32-byte prehash).
    pub fn sign_hash(&self, hash: B256) -> Result<Signature, SequencerError> {
        let (sig, recid) = self
            .key
            .sign_prehash_recoverable(hash.as_slice())
            .map_err(|_| SequencerError::InvalidKey)?;
        Ok(Signature::from((sig, recid)))
    }
}

impl Certifier for EcdsaSigner {
    fn certify(&self, chain_id: u64, block_hash: B256) -> Result<Certificate, SequencerError> {
        let sig = self.sign_hash(ecdsa_digest(chain_id, block_hash))?;
        let mut out = [0u8; 65];
        out[..32].copy_from_slice(&sig.r().to_be_bytes::<32>());
        out[32..64].copy_from_slice(&sig.s().to_be_bytes::<32>());
        out[64] = u8::from(sig.v());
        Ok(Certificate::Ecdsa(FixedBytes(out)))
    }
}
