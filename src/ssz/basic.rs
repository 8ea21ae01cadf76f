//! SSZ for basic types and fixed-size byte strings.

use alloy_primitives::{Address, B256, FixedBytes, U256};

use super::merkle::{merkleize, pack_bytes};
use super::{SszDecode, SszEncode, SszError, TreeHash};

fn exact<const N: usize>(bytes: &[u8]) -> Result<[u8; N], SszError> {
    <[u8; N]>::try_from(bytes).map_err(|_| SszError::WrongLength {
        expected: N,
        got: bytes.len(),
    })
}

fn chunk_of(bytes: &[u8]) -> B256 {
    let mut c = B256::ZERO;
    let n = bytes.len().min(32);
    c.0[..n].copy_from_slice(&bytes[..n]);
    c
}

impl SszDecode for u64 {
    const FIXED_LEN: Option<usize> = Some(8);
    fn from_ssz(bytes: &[u8]) -> Result<Self, SszError> {
        Ok(u64::from_le_bytes(exact::<8>(bytes)?))
    }
}
impl SszEncode for u64 {
    fn ssz_append(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}
impl TreeHash for u64 {
    const PACKED_LEN: Option<usize> = Some(8);
    fn tree_hash_root(&self) -> B256 {
        chunk_of(&self.to_le_bytes())
    }
    fn pack_into(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

impl SszDecode for u8 {
    const FIXED_LEN: Option<usize> = Some(1);
    fn from_ssz(bytes: &[u8]) -> Result<Self, SszError> {
        Ok(exact::<1>(bytes)?[0])
    }
}
impl SszEncode for u8 {
    fn ssz_append(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
}
impl TreeHash for u8 {
    const PACKED_LEN: Option<usize> = Some(1);
    fn tree_hash_root(&self) -> B256 {
        chunk_of(&[*self])
    }
    fn pack_into(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
}

impl SszDecode for bool {
    const FIXED_LEN: Option<usize> = Some(1);
    fn from_ssz(bytes: &[u8]) -> Result<Self, SszError> {
        match exact::<1>(bytes)?[0] {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(SszError::InvalidBool(b)),
        }
    }
}
impl SszEncode for bool {
    fn ssz_append(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
}
impl TreeHash for bool {
    const PACKED_LEN: Option<usize> = Some(1);
    fn tree_hash_root(&self) -> B256 {
        chunk_of(&[u8::from(*self)])
    }
    fn pack_into(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
}

impl SszDecode for U256 {
    const FIXED_LEN: Option<usize> = Some(32);
    fn from_ssz(bytes: &[u8]) -> Result<Self, SszError> {
        Ok(U256::from_le_bytes(exact::<32>(bytes)?))
    }
}
impl SszEncode for U256 {
    fn ssz_append(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes::<32>());
    }
}
impl TreeHash for U256 {
    const PACKED_LEN: Option<usize> = Some(32);
    fn tree_hash_root(&self) -> B256 {
        B256::from(self.to_le_bytes::<32>())
    }
    fn pack_into(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes::<32>());
    }
}

/// `Vector[byte, N]` (e.g. `Bytes32`, `BLSPubkey`, `BLSSignature`).
impl<const N: usize> SszDecode for FixedBytes<N> {
    const FIXED_LEN: Option<usize> = Some(N);
    fn from_ssz(bytes: &[u8]) -> Result<Self, SszError> {
        Ok(FixedBytes(exact::<N>(bytes)?))
    }
}
impl<const N: usize> SszEncode for FixedBytes<N> {
    fn ssz_append(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_slice());
    }
}
impl<const N: usize> TreeHash for FixedBytes<N> {
    fn tree_hash_root(&self) -> B256 {
        if N <= 32 {
            return chunk_of(self.as_slice());
        }
        let chunks = pack_bytes(self.as_slice());
        merkleize(&chunks, chunks.len())
    }
}

impl SszDecode for Address {
    const FIXED_LEN: Option<usize> = Some(20);
    fn from_ssz(bytes: &[u8]) -> Result<Self, SszError> {
        Ok(Address::from(exact::<20>(bytes)?))
    }
}
impl SszEncode for Address {
    fn ssz_append(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_slice());
    }
}
impl TreeHash for Address {
    fn tree_hash_root(&self) -> B256 {
        chunk_of(self.as_slice())
    }
}
