//! SP1 public values binding a validity proof to a batch (PROTOCOL.md section 8).

use alloy_primitives::B256;

use super::RollupError;

/// Length of the public values.
pub const PUBLIC_VALUES_LEN: usize = 192;
const WORD: usize = 32;

/// What a batch proof commits to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BatchPublicValues {
    /// L1 block hash the batch was derived up to.
    pub l1_head: B256,
    /// State root before the batch.
    pub l2_pre_root: B256,
    /// State root after the batch.
    pub l2_post_root: B256,
    /// Number of the last block.
    pub l2_block_number: u64,
    /// Hash of the last block.
    pub l2_block_hash: B256,
    /// Rollup config hash.
    pub config_hash: B256,
}

impl BatchPublicValues {
    /// Decodes the 192-byte layout.
    ///
    /// # Errors
    /// [`RollupError::Malformed`] for a wrong length or a block number over u64.
    pub fn decode(bytes: &[u8]) -> Result<Self, RollupError> {
        let bytes: &[u8; PUBLIC_VALUES_LEN] = bytes
            .try_into()
            .map_err(|_| RollupError::Malformed("public values length"))?;
        let word = |i: usize| B256::from_slice(&bytes[i * WORD..(i + 1) * WORD]);
        let n = word(3);
        if n[..24].iter().any(|b| *b != 0) {
            return Err(RollupError::Malformed("block number overflows u64"));
        }
        let mut low = [0u8; 8];
        low.copy_from_slice(&n[24..]);
        Ok(Self {
            l1_head: word(0),
            l2_pre_root: word(1),
            l2_post_root: word(2),
            l2_block_number: u64::from_be_bytes(low),
            l2_block_hash: word(4),
            config_hash: word(5),
        })
    }

    /// Encodes the 192-byte layout.
    pub fn encode(&self) -> [u8; PUBLIC_VALUES_LEN] {
        let mut out = [0u8; PUBLIC_VALUES_LEN];
        out[..32].copy_from_slice(self.l1_head.as_slice());
        out[32..64].copy_from_slice(self.l2_pre_root.as_slice());
        out[64..96].copy_from_slice(self.l2_post_root.as_slice());
        out[120..128].copy_from_slice(&self.l2_block_number.to_be_bytes());
        out[128..160].copy_from_slice(self.l2_block_hash.as_slice());
        out[160..].copy_from_slice(self.config_hash.as_slice());
        out
    }
}
