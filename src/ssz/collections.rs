//! SSZ collections, generic over their length or limit.

use alloy_primitives::B256;

use super::container::split_variable_list;
use super::merkle::{merkleize, mix_in_length, pack_bytes};
use super::{SszDecode, SszEncode, SszError, TreeHash};

/// Decodes a sequence of `T`s (fixed-size items back to back, or an offset table).
fn decode_items<T: SszDecode>(bytes: &[u8]) -> Result<Vec<T>, SszError> {
    match T::FIXED_LEN {
        Some(0) => Err(SszError::WrongLength {
            expected: 1,
            got: 0,
        }),
        Some(n) => {
            if !bytes.len().is_multiple_of(n) {
                return Err(SszError::WrongLength {
                    expected: bytes.len() - bytes.len() % n,
                    got: bytes.len(),
                });
            }
            bytes.chunks(n).map(T::from_ssz).collect()
        }
        None => split_variable_list(bytes)?
            .into_iter()
            .map(T::from_ssz)
            .collect(),
    }
}

fn encode_items<T: SszEncode + SszDecode>(items: &[T], out: &mut Vec<u8>) {
    if T::FIXED_LEN.is_some() {
        for item in items {
            item.ssz_append(out);
        }
    } else {
        let mut body = Vec::new();
        let table = items.len() * 4;
        for item in items {
            out.extend_from_slice(&((table + body.len()) as u32).to_le_bytes());
            item.ssz_append(&mut body);
        }
        out.extend_from_slice(&body);
    }
}

/// Chunks of a sequence plus the chunk limit for `max_items` items.
fn items_root<T: TreeHash>(items: &[T], max_items: usize) -> B256 {
    match T::PACKED_LEN {
        Some(size) => {
            let mut bytes = Vec::with_capacity(items.len() * size);
            for item in items {
                item.pack_into(&mut bytes);
            }
            let limit = (max_items.saturating_mul(size)).div_ceil(32);
            merkleize(&pack_bytes(&bytes), limit)
        }
        None => {
            let roots: Vec<B256> = items.iter().map(TreeHash::tree_hash_root).collect();
            merkleize(&roots, max_items)
        }
    }
}

/// `Vector[T, N]`: exactly `N` items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedVector<T, const N: usize>(Vec<T>);

impl<T, const N: usize> FixedVector<T, N> {
    /// Wraps `items` if there are exactly `N` of them.
    ///
    /// # Errors
    /// [`SszError::WrongLength`] otherwise.
    pub fn new(items: Vec<T>) -> Result<Self, SszError> {
        if items.len() != N {
            return Err(SszError::WrongLength {
                expected: N,
                got: items.len(),
            });
        }
        Ok(Self(items))
    }
    /// The items.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }
}

impl<T: Default + Clone, const N: usize> Default for FixedVector<T, N> {
    fn default() -> Self {
        Self(vec![T::default(); N])
    }
}

impl<T: SszDecode, const N: usize> SszDecode for FixedVector<T, N> {
    const FIXED_LEN: Option<usize> = match T::FIXED_LEN {
        Some(n) => Some(n * N),
        None => None,
    };
    fn from_ssz(bytes: &[u8]) -> Result<Self, SszError> {
        if let Some(n) = Self::FIXED_LEN
            && bytes.len() != n
        {
            return Err(SszError::WrongLength {
                expected: n,
                got: bytes.len(),
            });
        }
        Self::new(decode_items(bytes)?)
    }
}
impl<T: SszEncode + SszDecode, const N: usize> SszEncode for FixedVector<T, N> {
    fn ssz_append(&self, out: &mut Vec<u8>) {
        encode_items(&self.0, out);
    }
}
impl<T: TreeHash, const N: usize> TreeHash for FixedVector<T, N> {
    fn tree_hash_root(&self) -> B256 {
        items_root(&self.0, N)
    }
}

/// `List[T, N]`: at most `N` items.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct List<T, const N: usize>(Vec<T>);

impl<T, const N: usize> List<T, N> {
    /// Wraps `items` if there are at most `N`.
    ///
    /// # Errors
    /// [`SszError::ListTooLong`] otherwise.
    pub fn new(items: Vec<T>) -> Result<Self, SszError> {
        if items.len() > N {
            return Err(SszError::ListTooLong {
                limit: N,
                got: items.len(),
            });
        }
        Ok(Self(items))
    }
    /// The items.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }
}

impl<T: SszDecode, const N: usize> SszDecode for List<T, N> {
    const FIXED_LEN: Option<usize> = None;
    fn from_ssz(bytes: &[u8]) -> Result<Self, SszError> {
        if let Some(n) = T::FIXED_LEN
            && n > 0
            && bytes.len() / n > N
        {
            return Err(SszError::ListTooLong {
                limit: N,
                got: bytes.len() / n,
            });
        }
        Self::new(decode_items(bytes)?)
    }
}
impl<T: SszEncode + SszDecode, const N: usize> SszEncode for List<T, N> {
    fn ssz_append(&self, out: &mut Vec<u8>) {
        encode_items(&self.0, out);
    }
}
impl<T: TreeHash, const N: usize> TreeHash for List<T, N> {
    fn tree_hash_root(&self) -> B256 {
        mix_in_length(&items_root(&self.0, N), self.0.len())
    }
}

/// `ByteList[N]`: at most `N` bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ByteList<const N: usize>(Vec<u8>);

impl<const N: usize> ByteList<N> {
    /// Wraps `bytes` if there are at most `N`.
    ///
    /// # Errors
    /// [`SszError::ListTooLong`] otherwise.
    pub fn new(bytes: Vec<u8>) -> Result<Self, SszError> {
        if bytes.len() > N {
            return Err(SszError::ListTooLong {
                limit: N,
                got: bytes.len(),
            });
        }
        Ok(Self(bytes))
    }
    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }
}
impl<const N: usize> SszDecode for ByteList<N> {
    const FIXED_LEN: Option<usize> = None;
    fn from_ssz(bytes: &[u8]) -> Result<Self, SszError> {
        Self::new(bytes.to_vec())
    }
}
impl<const N: usize> SszEncode for ByteList<N> {
    fn ssz_append(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0);
    }
}
impl<const N: usize> TreeHash for ByteList<N> {
    fn tree_hash_root(&self) -> B256 {
        mix_in_length(
            &merkleize(&pack_bytes(&self.0), N.div_ceil(32)),
            self.0.len(),
        )
    }
}

/// `Bitvector[N]`: exactly `N` bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitvector<const N: usize>(Vec<bool>);

impl<const N: usize> Default for Bitvector<N> {
    fn default() -> Self {
        Self(vec![false; N])
    }
}

impl<const N: usize> Bitvector<N> {
    /// Wraps `bits` if there are exactly `N`.
    ///
    /// # Errors
    /// [`SszError::WrongLength`] otherwise.
    pub fn new(bits: Vec<bool>) -> Result<Self, SszError> {
        if bits.len() != N {
            return Err(SszError::WrongLength {
                expected: N,
                got: bits.len(),
            });
        }
        Ok(Self(bits))
    }
    /// The bits.
    pub fn bits(&self) -> &[bool] {
        &self.0
    }
    /// Number of set bits.
    pub fn count_ones(&self) -> usize {
        self.0.iter().filter(|b| **b).count()
    }
    fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = vec![0u8; N.div_ceil(8)];
        for (i, bit) in self.0.iter().enumerate() {
            if *bit && let Some(b) = bytes.get_mut(i / 8) {
                *b |= 1 << (i % 8);
            }
        }
        bytes
    }
    /// Decodes from packed bytes (bit `i` is bit `i % 8` of byte `i / 8`).
    ///
    /// # Errors
    /// [`SszError::WrongLength`] or [`SszError::InvalidBitfield`] if bits past
    /// `N` are set.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SszError> {
        let len = N.div_ceil(8);
        if bytes.len() != len {
            return Err(SszError::WrongLength {
                expected: len,
                got: bytes.len(),
            });
        }
        let bits: Vec<bool> = (0..len * 8)
            .map(|i| bytes.get(i / 8).is_some_and(|b| (b >> (i % 8)) & 1 == 1))
            .collect();
        if bits.iter().skip(N).any(|b| *b) {
            return Err(SszError::InvalidBitfield);
        }
        Ok(Self(bits.into_iter().take(N).collect()))
    }
}
impl<const N: usize> SszDecode for Bitvector<N> {
    const FIXED_LEN: Option<usize> = Some(N.div_ceil(8));
    fn from_ssz(bytes: &[u8]) -> Result<Self, SszError> {
        Self::from_bytes(bytes)
    }
}
impl<const N: usize> SszEncode for Bitvector<N> {
    fn ssz_append(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_bytes());
    }
}
impl<const N: usize> TreeHash for Bitvector<N> {
    fn tree_hash_root(&self) -> B256 {
        merkleize(&pack_bytes(&self.to_bytes()), N.div_ceil(256))
    }
}

/// `Bitlist[N]`: at most `N` bits, SSZ-encoded with a delimiting bit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bitlist<const N: usize>(Vec<bool>);

impl<const N: usize> Bitlist<N> {
    /// The bits.
    pub fn bits(&self) -> &[bool] {
        &self.0
    }
    fn packed(&self) -> Vec<u8> {
        let mut bytes = vec![0u8; self.0.len().div_ceil(8)];
        for (i, bit) in self.0.iter().enumerate() {
            if *bit && let Some(b) = bytes.get_mut(i / 8) {
                *b |= 1 << (i % 8);
            }
        }
        bytes
    }
}
impl<const N: usize> SszDecode for Bitlist<N> {
    const FIXED_LEN: Option<usize> = None;
    fn from_ssz(bytes: &[u8]) -> Result<Self, SszError> {
        let last = *bytes.last().ok_or(SszError::InvalidBitfield)?;
        if last == 0 {
            return Err(SszError::InvalidBitfield);
        }
        let top = 7 - last.leading_zeros() as usize;
        let len = (bytes.len() - 1) * 8 + top;
        if len > N {
            return Err(SszError::ListTooLong { limit: N, got: len });
        }
        let bits = (0..len)
            .map(|i| bytes.get(i / 8).is_some_and(|b| (b >> (i % 8)) & 1 == 1))
            .collect();
        Ok(Self(bits))
    }
}
impl<const N: usize> SszEncode for Bitlist<N> {
    fn ssz_append(&self, out: &mut Vec<u8>) {
        let mut bytes = vec![0u8; (self.0.len() + 1).div_ceil(8)];
        for (i, bit) in self.0.iter().chain(std::iter::once(&true)).enumerate() {
            if *bit && let Some(b) = bytes.get_mut(i / 8) {
                *b |= 1 << (i % 8);
            }
        }
        out.extend_from_slice(&bytes);
    }
}
impl<const N: usize> TreeHash for Bitlist<N> {
    fn tree_hash_root(&self) -> B256 {
        mix_in_length(
            &merkleize(&pack_bytes(&self.packed()), N.div_ceil(256)),
            self.0.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssz::SszEncode;

    #[test]
    fn bitlist_round_trip_and_delimiter() {
        let bl = Bitlist::<16>::from_ssz(&[0b0000_0101, 0b0000_0010]).unwrap();
        assert_eq!(bl.bits().len(), 9);
        assert!(bl.bits()[0] && bl.bits()[2] && !bl.bits()[8]);
        assert_eq!(bl.to_ssz(), vec![0b0000_0101, 0b0000_0010]);
        assert_eq!(
            Bitlist::<16>::from_ssz(&[0b0000_0101, 0]),
            Err(SszError::InvalidBitfield)
        );
        assert_eq!(Bitlist::<16>::from_ssz(&[]), Err(SszError::InvalidBitfield));
        assert!(matches!(
            Bitlist::<4>::from_ssz(&[0xff]),
            Err(SszError::ListTooLong { .. })
        ));
    }

    #[test]
    fn bitvector_rejects_high_bits_and_wrong_length() {
        assert!(Bitvector::<4>::from_ssz(&[0x0f]).is_ok());
        assert_eq!(
            Bitvector::<4>::from_ssz(&[0x1f]),
            Err(SszError::InvalidBitfield)
        );
        assert!(matches!(
            Bitvector::<4>::from_ssz(&[0, 0]),
            Err(SszError::WrongLength { .. })
        ));
        let bv = Bitvector::<10>::from_ssz(&[0xff, 0x03]).unwrap();
        assert_eq!(bv.count_ones(), 10);
        assert_eq!(bv.to_ssz(), vec![0xff, 0x03]);
    }

    #[test]
    fn lists_enforce_limits_and_offsets() {
        let l =
            List::<u64, 2>::from_ssz(&[1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]).unwrap();
        assert_eq!(l.as_slice(), &[1, 2]);
        assert!(matches!(
            List::<u64, 1>::from_ssz(&[0; 16]),
            Err(SszError::ListTooLong { .. })
        ));
        assert!(List::<u64, 4>::from_ssz(&[0; 9]).is_err());
        // variable-size items: offsets table then payloads
        let items = vec![
            ByteList::<4>::new(vec![1]).unwrap(),
            ByteList::<4>::new(vec![2, 3]).unwrap(),
        ];
        let list = List::<ByteList<4>, 4>::new(items).unwrap();
        let enc = list.to_ssz();
        assert_eq!(enc, vec![8, 0, 0, 0, 9, 0, 0, 0, 1, 2, 3]);
        assert_eq!(List::<ByteList<4>, 4>::from_ssz(&enc).unwrap(), list);
        // first offset not a multiple of 4, decreasing offsets, offset past the end
        assert!(List::<ByteList<4>, 4>::from_ssz(&[7, 0, 0, 0, 0, 0, 0, 0]).is_err());
        assert!(List::<ByteList<4>, 4>::from_ssz(&[8, 0, 0, 0, 7, 0, 0, 0, 1]).is_err());
        assert!(List::<ByteList<4>, 4>::from_ssz(&[8, 0, 0, 0, 99, 0, 0, 0]).is_err());
        assert!(ByteList::<2>::from_ssz(&[1, 2, 3]).is_err());
    }

    #[test]
    fn roots_of_collections() {
        use crate::ssz::{merkleize, mix_in_length, zero_hash};
        // List[uint64, 8] of [1]: one packed chunk in a 2-chunk tree, mixed with length 1
        let l = List::<u64, 8>::new(vec![1]).unwrap();
        let mut chunk = B256::ZERO;
        chunk.0[0] = 1;
        assert_eq!(
            l.tree_hash_root(),
            mix_in_length(&merkleize(&[chunk], 2), 1)
        );
        // an empty list of 2^40 limit hashes to the zero tree of depth 40 mixed with 0
        let empty = List::<B256, { 1 << 40 }>::default();
        assert_eq!(empty.tree_hash_root(), mix_in_length(&zero_hash(40), 0));
        // Bitvector[512] uses two chunks
        let bv = Bitvector::<512>::default();
        assert_eq!(bv.tree_hash_root(), zero_hash(1));
    }
}
