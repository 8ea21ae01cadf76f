//! Binding a verified SP1 proof to a rollup batch (docs/PROTOCOL.md §8).
//!
//! The batch program commits exactly 192 bytes, six ABI words:
//!
//! ```text
//! 0   l1Head            execution block hash of the L1 block the batch was derived up to
//! 32  l2PreRoot         state root before the batch
//! 64  l2PostRoot        state root after the batch
//! 96  u256be(l2BlockNumber) of the last block (must fit u64)
//! 128 l2BlockHash       of the last block
//! 160 rollupConfigHash
//! ```
//!
//! [`verify_batch_claim`] turns a verified proof into a [`ProvenBatch`] only if
//! the proof is for the rollup's program and its claim matches the blocks the
//! client holds; the confidence engine may then mark that block and its
//! ancestors `proven`.

use alloy_primitives::B256;

use crate::Verified;

use super::error::{ClaimField, DecodeFailure, ProofError};
use super::receipt::ProofReceipt;
use super::scalar::ProgramVkey;
use super::verify_sp1_proof;
use super::versions::{ProofSystem, Sp1Release};

/// Length of one ABI word.
pub const ABI_WORD_LEN: usize = 32;
/// Length of the batch public values: six ABI words.
pub const BATCH_PUBLIC_VALUES_LEN: usize = 6 * ABI_WORD_LEN;
/// Offset of `l1Head`.
pub const L1_HEAD_OFFSET: usize = 0;
/// Offset of `l2PreRoot`.
pub const L2_PRE_ROOT_OFFSET: usize = 32;
/// Offset of `l2PostRoot`.
pub const L2_POST_ROOT_OFFSET: usize = 64;
/// Offset of `u256be(l2BlockNumber)`.
pub const L2_BLOCK_NUMBER_OFFSET: usize = 96;
/// Offset of `l2BlockHash`.
pub const L2_BLOCK_HASH_OFFSET: usize = 128;
/// Offset of `rollupConfigHash`.
pub const ROLLUP_CONFIG_HASH_OFFSET: usize = 160;
/// Leading zero bytes of a u256be word that holds a u64.
const U64_PADDING_LEN: usize = ABI_WORD_LEN - 8;

/// The batch claim an SP1 batch proof commits to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BatchClaim {
    /// Execution block hash of the L1 block the batch was derived up to.
    pub l1_head: B256,
    /// L2 state root before the batch.
    pub l2_pre_root: B256,
    /// L2 state root after the batch.
    pub l2_post_root: B256,
    /// Number of the batch's last L2 block.
    pub l2_block_number: u64,
    /// Hash of the batch's last L2 block.
    pub l2_block_hash: B256,
    /// `keccak(rlp(rollup config))`.
    pub rollup_config_hash: B256,
}

impl BatchClaim {
    /// Decodes the 192-byte public values.
    ///
    /// # Errors
    /// [`ProofError::Decode`]: [`DecodeFailure::PublicValuesLength`] unless exactly
    /// 192 bytes; [`DecodeFailure::PublicValuesField`] if the block number exceeds u64.
    pub fn decode(public_values: &[u8]) -> Result<Self, ProofError> {
        if public_values.len() != BATCH_PUBLIC_VALUES_LEN {
            return Err(ProofError::Decode(DecodeFailure::PublicValuesLength));
        }
        let word = |offset: usize| -> Result<[u8; 32], ProofError> {
            public_values
                .get(offset..offset + ABI_WORD_LEN)
                .and_then(|w| <[u8; 32]>::try_from(w).ok())
                .ok_or(ProofError::Decode(DecodeFailure::PublicValuesLength))
        };
        let number_word = word(L2_BLOCK_NUMBER_OFFSET)?;
        let (padding, low) = number_word.split_at(U64_PADDING_LEN);
        if padding.iter().any(|&b| b != 0) {
            return Err(ProofError::Decode(DecodeFailure::PublicValuesField));
        }
        let low: [u8; 8] = low
            .try_into()
            .map_err(|_| ProofError::Decode(DecodeFailure::PublicValuesField))?;
        Ok(Self {
            l1_head: B256::from(word(L1_HEAD_OFFSET)?),
            l2_pre_root: B256::from(word(L2_PRE_ROOT_OFFSET)?),
            l2_post_root: B256::from(word(L2_POST_ROOT_OFFSET)?),
            l2_block_number: u64::from_be_bytes(low),
            l2_block_hash: B256::from(word(L2_BLOCK_HASH_OFFSET)?),
            rollup_config_hash: B256::from(word(ROLLUP_CONFIG_HASH_OFFSET)?),
        })
    }

    /// Encodes the claim as the program commits it.
    pub fn encode(&self) -> [u8; BATCH_PUBLIC_VALUES_LEN] {
        let mut out = [0u8; BATCH_PUBLIC_VALUES_LEN];
        let mut number = [0u8; ABI_WORD_LEN];
        number[U64_PADDING_LEN..].copy_from_slice(&self.l2_block_number.to_be_bytes());
        let words: [(usize, [u8; 32]); 6] = [
            (L1_HEAD_OFFSET, self.l1_head.0),
            (L2_PRE_ROOT_OFFSET, self.l2_pre_root.0),
            (L2_POST_ROOT_OFFSET, self.l2_post_root.0),
            (L2_BLOCK_NUMBER_OFFSET, number),
            (L2_BLOCK_HASH_OFFSET, self.l2_block_hash.0),
            (ROLLUP_CONFIG_HASH_OFFSET, self.rollup_config_hash.0),
        ];
        for (offset, word) in words {
            out[offset..offset + ABI_WORD_LEN].copy_from_slice(&word);
        }
        out
    }
}

/// What the client holds and expects a batch proof to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpectedBatch {
    /// The batch program's vkey, from the rollup config.
    pub program_vkey: ProgramVkey,
    /// The rollup config hash the client runs with.
    pub rollup_config_hash: B256,
    /// Number of the client's L2 block the proof should end at.
    pub l2_block_number: u64,
    /// Hash of that block.
    pub l2_block_hash: B256,
    /// That block's `stateRoot` (must equal `l2PostRoot`).
    pub l2_state_root: B256,
    /// The state root before the batch, if the client holds the block before it.
    pub l2_pre_root: Option<B256>,
    /// The L1 block hash the batch must be derived up to, if the client knows it.
    pub l1_head: Option<B256>,
}

/// A batch whose validity an SP1 proof establishes for the client's blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenBatch {
    /// The decoded claim.
    pub claim: BatchClaim,
    /// The proof system of the proof.
    pub system: ProofSystem,
    /// The SP1 release line that verified it.
    pub release: Sp1Release,
}

/// Checks a verified proof's claim against the client's expectations.
///
/// Verification only: nothing is mutated; the caller applies the result.
///
/// # Errors
/// [`ProofError::VkeyMismatch`] if the proof is for another program,
/// [`ProofError::Decode`] if the public values are not a batch claim,
/// [`ProofError::ClaimMismatch`] naming the first field that differs.
pub fn verify_batch_claim(
    receipt: &Verified<ProofReceipt>,
    expected: &ExpectedBatch,
) -> Result<Verified<ProvenBatch>, ProofError> {
    if receipt.program_vkey != expected.program_vkey {
        return Err(ProofError::VkeyMismatch {
            expected: expected.program_vkey.to_bytes(),
            got: receipt.program_vkey.to_bytes(),
        });
    }
    let claim = BatchClaim::decode(&receipt.public_values)?;
    let checks = [
        (
            claim.rollup_config_hash == expected.rollup_config_hash,
            ClaimField::RollupConfigHash,
        ),
        (
            claim.l2_block_number == expected.l2_block_number,
            ClaimField::L2BlockNumber,
        ),
        (
            claim.l2_block_hash == expected.l2_block_hash,
            ClaimField::L2BlockHash,
        ),
        (
            claim.l2_post_root == expected.l2_state_root,
            ClaimField::L2PostRoot,
        ),
        (
            expected.l2_pre_root.is_none_or(|r| r == claim.l2_pre_root),
            ClaimField::L2PreRoot,
        ),
        (
            expected.l1_head.is_none_or(|h| h == claim.l1_head),
            ClaimField::L1Head,
        ),
    ];
    if let Some((_, field)) = checks.iter().find(|(ok, _)| !ok) {
        return Err(ProofError::ClaimMismatch(*field));
    }
    Ok(Verified::new_unchecked(ProvenBatch {
        claim,
        system: receipt.system,
        release: receipt.release,
    }))
}

/// Verifies a batch proof for the rollup's program and binds it to the client's blocks.
///
/// # Errors
/// Any error of [`verify_sp1_proof`] or [`verify_batch_claim`].
pub fn verify_batch_proof(
    proof: &[u8],
    public_values: &[u8],
    expected: &ExpectedBatch,
) -> Result<Verified<ProvenBatch>, ProofError> {
    let receipt = verify_sp1_proof(proof, public_values, &expected.program_vkey)?;
    verify_batch_claim(&receipt, expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proof::DigestKind;

    fn claim() -> BatchClaim {
        BatchClaim {
            l1_head: B256::repeat_byte(0x11),
            l2_pre_root: B256::repeat_byte(0x22),
            l2_post_root: B256::repeat_byte(0x33),
            l2_block_number: 0x0102_0304_0506_0708,
            l2_block_hash: B256::repeat_byte(0x55),
            rollup_config_hash: B256::repeat_byte(0x66),
        }
    }

    fn vkey(byte: u8) -> ProgramVkey {
        ProgramVkey::from_bytes([byte; 32]).expect("canonical")
    }

    fn expected() -> ExpectedBatch {
        let c = claim();
        ExpectedBatch {
            program_vkey: vkey(1),
            rollup_config_hash: c.rollup_config_hash,
            l2_block_number: c.l2_block_number,
            l2_block_hash: c.l2_block_hash,
            l2_state_root: c.l2_post_root,
            l2_pre_root: Some(c.l2_pre_root),
            l1_head: Some(c.l1_head),
        }
    }

    /// A receipt as `verify_sp1_proof` returns it; no real proof commits this layout yet.
    fn receipt(public_values: Vec<u8>) -> Verified<ProofReceipt> {
        Verified::new_unchecked(ProofReceipt {
            system: ProofSystem::Groth16,
            release: Sp1Release::V6,
            program_vkey: vkey(1),
            public_values,
            digest: DigestKind::Sha256,
            nonce: None,
        })
    }

    #[test]
    fn layout_is_six_abi_words() {
        let bytes = claim().encode();
        assert_eq!(&bytes[0..32], &[0x11; 32]);
        assert_eq!(&bytes[32..64], &[0x22; 32]);
        assert_eq!(&bytes[64..96], &[0x33; 32]);
        assert_eq!(&bytes[96..120], &[0; 24]);
        assert_eq!(&bytes[120..128], &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(&bytes[128..160], &[0x55; 32]);
        assert_eq!(&bytes[160..192], &[0x66; 32]);
        assert_eq!(BatchClaim::decode(&bytes), Ok(claim()));
    }

    #[test]
    fn wrong_length_is_refused() {
        let bytes = claim().encode();
        for pv in [
            &bytes[..191],
            &[][..],
            &[bytes.as_slice(), &[0]].concat()[..],
        ] {
            assert_eq!(
                BatchClaim::decode(pv),
                Err(ProofError::Decode(DecodeFailure::PublicValuesLength))
            );
        }
    }

    #[test]
    fn block_number_above_u64_is_refused() {
        let mut bytes = claim().encode();
        bytes[L2_BLOCK_NUMBER_OFFSET + 23] = 1;
        assert_eq!(
            BatchClaim::decode(&bytes),
            Err(ProofError::Decode(DecodeFailure::PublicValuesField))
        );
    }

    #[test]
    fn matching_claim_is_proven() {
        let proven =
            verify_batch_claim(&receipt(claim().encode().to_vec()), &expected()).expect("matches");
        assert_eq!(proven.claim, claim());
        assert_eq!(proven.release, Sp1Release::V6);
        // Pre-root and L1 head are optional: unknown to the client, not checked.
        let lax = ExpectedBatch {
            l2_pre_root: None,
            l1_head: None,
            ..expected()
        };
        assert!(verify_batch_claim(&receipt(claim().encode().to_vec()), &lax).is_ok());
    }

    #[test]
    fn other_program_is_vkey_mismatch() {
        let other = ExpectedBatch {
            program_vkey: vkey(2),
            ..expected()
        };
        let err = verify_batch_claim(&receipt(claim().encode().to_vec()), &other);
        assert_eq!(
            err,
            Err(ProofError::VkeyMismatch {
                expected: [2; 32],
                got: [1; 32]
            })
        );
    }

    #[test]
    fn each_field_mismatch_is_named() {
        let other = B256::repeat_byte(0x99);
        let cases: [(ExpectedBatch, ClaimField); 6] = [
            (
                ExpectedBatch {
                    rollup_config_hash: other,
                    ..expected()
                },
                ClaimField::RollupConfigHash,
            ),
            (
                ExpectedBatch {
                    l2_block_number: 7,
                    ..expected()
                },
                ClaimField::L2BlockNumber,
            ),
            (
                ExpectedBatch {
                    l2_block_hash: other,
                    ..expected()
                },
                ClaimField::L2BlockHash,
            ),
            (
                ExpectedBatch {
                    l2_state_root: other,
                    ..expected()
                },
                ClaimField::L2PostRoot,
            ),
            (
                ExpectedBatch {
                    l2_pre_root: Some(other),
                    ..expected()
                },
                ClaimField::L2PreRoot,
            ),
            (
                ExpectedBatch {
                    l1_head: Some(other),
                    ..expected()
                },
                ClaimField::L1Head,
            ),
        ];
        for (exp, field) in cases {
            let err = verify_batch_claim(&receipt(claim().encode().to_vec()), &exp);
            assert_eq!(err, Err(ProofError::ClaimMismatch(field)), "{field}");
        }
    }

    #[test]
    fn non_batch_public_values_are_a_decode_error() {
        let err = verify_batch_claim(&receipt(vec![0; 96]), &expected());
        assert_eq!(
            err,
            Err(ProofError::Decode(DecodeFailure::PublicValuesLength))
        );
    }
}
