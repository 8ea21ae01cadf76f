//! Simple Serialize (SSZ): decoding, encoding and merkleization.
//!
//! In-house, small and panic-free on any input. The pipeline is:
//!
//! ```text
//!  bytes ──► SszDecode::from_ssz (lengths and offsets validated) ──► typed value
//!  typed value ──► TreeHash::tree_hash_root (sha256, zero-hash cache) ──► B256 root
//!  leaf + branch + generalized index ──► is_valid_merkle_branch ──► bool
//! ```
//!
//! Containers are declared with the [`ssz_container!`](crate::ssz_container)
//! macro, which derives decoding, encoding and the tree root from the field
//! list. Collections are generic over their length or limit through const
//! generics ([`FixedVector`], [`List`], [`Bitvector`], [`Bitlist`],
//! [`ByteList`]), so one type definition serves every preset.

mod basic;
mod collections;
mod container;
mod error;
mod merkle;

pub use collections::{Bitlist, Bitvector, ByteList, FixedVector, List};
pub(crate) use container::split_variable_list;
pub use container::{FieldLen, encode_container, split_container};
pub use error::SszError;
pub use merkle::{
    BYTES_PER_CHUNK, get_subtree_index, hash_pair, is_valid_merkle_branch,
    is_valid_normalized_merkle_branch, merkleize, mix_in_length, sha256, zero_hash,
};

use alloy_primitives::B256;

/// A type that decodes from SSZ bytes.
pub trait SszDecode: Sized {
    /// `Some(n)` if every value of the type encodes to exactly `n` bytes.
    const FIXED_LEN: Option<usize>;

    /// Decodes a value from exactly `bytes`.
    ///
    /// # Errors
    /// An [`SszError`] describing the first malformed part.
    fn from_ssz(bytes: &[u8]) -> Result<Self, SszError>;
}

/// A type that encodes to SSZ bytes.
pub trait SszEncode {
    /// Appends the SSZ encoding of `self` to `out`.
    fn ssz_append(&self, out: &mut Vec<u8>);

    /// The SSZ encoding of `self`.
    fn to_ssz(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.ssz_append(&mut out);
        out
    }
}

/// A type with an SSZ hash tree root.
pub trait TreeHash {
    /// For basic types (uints, bools): bytes per value when packed into
    /// chunks inside a vector or list; `None` for composite types.
    const PACKED_LEN: Option<usize> = None;

    /// The SSZ `hash_tree_root` of the value.
    fn tree_hash_root(&self) -> B256;

    /// Appends the packed little-endian bytes of a basic value (no-op for
    /// composite types).
    fn pack_into(&self, _out: &mut Vec<u8>) {}
}
