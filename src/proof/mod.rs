//! SP1 validity proofs: verification and binding to rollup batches.
//!
//! ## Pipeline
//!
//! ```text
//! proof bytes ──► decode   selector → SP1 release + system; v6 header; body
//!             ──► verify   prefix = sha256(vk)[..4], vk_root, exit code = 0,
//!                          proof equation for [vkey, digest(pv), header...]
//!                          (sha256 digest, then blake3) ──► Verified<ProofReceipt>
//!             ──► claim    public values → BatchClaim; match program vkey,
//!                          config hash, block number/hash, roots, L1 head
//!                                                        ──► Verified<ProvenBatch>
//! ```
//!
//! Groth16 runs on arkworks (sp1-verifier's `ark` converters + `ark-groth16`),
//! which is far faster in wasm than sp1-verifier's default path; since that
//! path skips the SP1-level checks, this module does them itself. Plonk runs
//! on this module's arkworks port of gnark's Plonk verifier (`plonk_ark`);
//! sp1-verifier's `PlonkVerifier` is kept as the reference backend, and
//! tests check both agree. Verifying keys of several SP1 releases
//! (v3, v4, v5, v6.0, v6.1+) are embedded and chosen by the proof selector.
//!
//! ## Supported SP1 versions
//!
//! | release | Groth16 | Plonk | layout |
//! |---|---|---|---|
//! | v3.2.0 – v3.4.0 | `09069090` | `54bdcae3` | legacy, sha256 digest only |
//! | v4.0.0 – v4.2.1 | `11b6a09d` | `1b34fe11` | legacy |
//! | v5.0.0 – v5.2.4 | `a4594c59` | `d4e8ecd2` | legacy |
//! | v6.0.0 – v6.0.2 | `0e78f4db` | `bb1a6f29` | v6, vk root `008cd56e…` |
//! | v6.1.0 – v6.10.0 | `4388a21c` | `5a093a2f` | v6, vk root `002f850e…` |
//!
//! Not supported: SP1 v2 and older (no published Rust verifier), and the
//! 6.0.0-beta.1 / 6.0.0-rc.1 pre-release Groth16 keys.
//!
//! ## Stricter than sp1-verifier
//!
//! Program vkey hashes, v6 nonces and the scalars of a Plonk proof must be
//! canonical (below the BN254 scalar modulus); sp1-verifier's substrate-bn
//! code reduces them, so several byte strings would verify as one proof.

//! ## Where the verifier runs
//!
//! The curve code (arkworks, sp1-verifier's keys, blake3) is feature `sp1`:
//! every native build and the package's SP1 wasm module (`wasm-sp1`). The
//! wasm core is built without it, and there [`verify_sp1_proof`] asks the SP1
//! module, through the package's own JS (`bridge.rs`), and turns its answer
//! into the same [`ProofReceipt`]; the rest of this module (receipts, claims,
//! errors) is the same in both builds.

#[cfg(all(target_arch = "wasm32", not(feature = "sp1")))]
mod bridge;
mod claim;
#[cfg(feature = "sp1")]
mod decode;
mod digest;
mod error;
#[cfg(feature = "sp1")]
mod groth16;
#[cfg(feature = "sp1-reference")]
mod plonk;
#[cfg(feature = "sp1")]
mod plonk_ark;
mod receipt;
mod scalar;
#[cfg(feature = "sp1")]
mod verify;
mod versions;

/// Native builds without feature `sp1` (crates that only sign or encode, such
/// as the sequencer) hold no verifier: every proof is refused with
/// `SP1_UNAVAILABLE`, never accepted.
///
/// # Errors
/// Always [`ProofError::Sp1Module`] with code `SP1_UNAVAILABLE`.
#[cfg(not(any(feature = "sp1", target_arch = "wasm32")))]
pub fn verify_sp1_proof(
    _proof: &[u8],
    _public_values: &[u8],
    _program_vkey: &ProgramVkey,
) -> Result<crate::Verified<ProofReceipt>, ProofError> {
    Err(ProofError::Sp1Module {
        code: "SP1_UNAVAILABLE",
        message: "this build has no SP1 verifier (feature `sp1`)".to_string(),
    })
}

#[cfg(all(target_arch = "wasm32", not(feature = "sp1")))]
pub use bridge::verify_sp1_proof;
pub use claim::{
    ABI_WORD_LEN, BATCH_PUBLIC_VALUES_LEN, BatchClaim, ExpectedBatch, L1_HEAD_OFFSET,
    L2_BLOCK_HASH_OFFSET, L2_BLOCK_NUMBER_OFFSET, L2_POST_ROOT_OFFSET, L2_PRE_ROOT_OFFSET,
    ProvenBatch, ROLLUP_CONFIG_HASH_OFFSET, verify_batch_claim, verify_batch_proof,
};
#[cfg(feature = "sp1")]
pub use decode::{
    DecodedProof, GROTH16_BODY_LEN, HEADER_WORD_LEN, PLONK_BODY_LEN, PLONK_SCALAR_OFFSETS,
    V6_HEADER_LEN, V6Header, decode_proof, decode_proof_for, proof_selector,
};
#[cfg(feature = "sp1")]
pub use digest::public_values_digest;
pub use digest::{DIGEST_TOP_BYTE_MASK, DigestKind};
pub use error::{ClaimField, DecodeFailure, ProofError};
pub use receipt::{ProofReceipt, SUCCESS_EXIT_CODE};
pub use scalar::{BN254_SCALAR_MODULUS_BE, ProgramVkey, is_canonical_scalar};
#[cfg(feature = "sp1-reference")]
pub use verify::verify_sp1_proof_reference;
#[cfg(feature = "sp1")]
pub use verify::{Backend, verify_sp1_proof, verify_sp1_proof_with};
pub use versions::{
    KNOWN_VERIFIERS, ProofLayout, ProofSystem, SELECTOR_LEN, SP1_V6_0_VK_ROOT, SP1_V6_1_VK_ROOT,
    Sp1Release, Sp1Verifier,
};
