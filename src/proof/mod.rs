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
//! on sp1-verifier's `PlonkVerifier`. Verifying keys of several SP1 releases
//! (v3, v4, v5, v6.0, v6.1+) are embedded and chosen by the proof selector.

mod claim;
mod decode;
mod digest;
mod error;
mod groth16;
mod plonk;
mod scalar;
mod verify;
mod versions;

pub use claim::{
    ABI_WORD_LEN, BATCH_PUBLIC_VALUES_LEN, BatchClaim, ExpectedBatch, L1_HEAD_OFFSET,
    L2_BLOCK_HASH_OFFSET, L2_BLOCK_NUMBER_OFFSET, L2_POST_ROOT_OFFSET, L2_PRE_ROOT_OFFSET,
    ProvenBatch, ROLLUP_CONFIG_HASH_OFFSET, verify_batch_claim, verify_batch_proof,
};
pub use decode::{
    DecodedProof, GROTH16_BODY_LEN, HEADER_WORD_LEN, PLONK_BODY_LEN, PLONK_SCALAR_OFFSETS,
    V6_HEADER_LEN, V6Header, decode_proof, decode_proof_for, proof_selector,
};
pub use digest::{DIGEST_TOP_BYTE_MASK, DigestKind, public_values_digest};
pub use error::{ClaimField, DecodeFailure, ProofError};
pub use scalar::{BN254_SCALAR_MODULUS_BE, ProgramVkey, is_canonical_scalar};
pub use verify::{
    Backend, ProofReceipt, SUCCESS_EXIT_CODE, verify_sp1_proof, verify_sp1_proof_reference,
    verify_sp1_proof_with,
};
pub use versions::{
    KNOWN_VERIFIERS, ProofLayout, ProofSystem, SELECTOR_LEN, SP1_V6_0_VK_ROOT, SP1_V6_1_VK_ROOT,
    Sp1Release, Sp1Verifier,
};
