//! Splitting a container's bytes into its fields, validating offsets.

use super::SszError;

/// Byte length of an SSZ offset.
pub(crate) const OFFSET_LEN: usize = 4;

/// How a container field is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldLen {
    /// A fixed-size field of this many bytes.
    Fixed(usize),
    /// A variable-size field, located by a 4-byte offset.
    Variable,
}

impl FieldLen {
    /// The layout of a type given its `FIXED_LEN`.
    pub const fn of(fixed: Option<usize>) -> Self {
        match fixed {
            Some(n) => Self::Fixed(n),
            None => Self::Variable,
        }
    }
}

/// Reads a little-endian u32 offset at `pos`.
fn read_offset(bytes: &[u8], pos: usize) -> Result<usize, SszError> {
    let raw = bytes
        .get(pos..pos.saturating_add(OFFSET_LEN))
        .ok_or(SszError::TooShort {
            need: pos.saturating_add(OFFSET_LEN),
            got: bytes.len(),
        })?;
    let mut buf = [0u8; OFFSET_LEN];
    buf.copy_from_slice(raw);
    Ok(u32::from_le_bytes(buf) as usize)
}

/// Splits container `bytes` into one slice per field of `layout`.
///
/// Checks that fixed fields fit, that the first offset points exactly at
/// the end of the fixed part, that offsets never decrease and that none
/// passes the end of the input. A container without variable fields must be
/// exactly its fixed size.
///
/// # Errors
/// [`SszError::TooShort`], [`SszError::WrongLength`] or
/// [`SszError::InvalidOffset`].
pub fn split_container<'a>(
    bytes: &'a [u8],
    layout: &[FieldLen],
) -> Result<Vec<&'a [u8]>, SszError> {
    let fixed_size = layout
        .iter()
        .map(|f| match f {
            FieldLen::Fixed(n) => *n,
            FieldLen::Variable => OFFSET_LEN,
        })
        .try_fold(0usize, |acc, n| acc.checked_add(n))
        .ok_or(SszError::InvalidOffset { offset: usize::MAX })?;
    let has_variable = layout.contains(&FieldLen::Variable);
    if !has_variable && bytes.len() != fixed_size {
        return Err(SszError::WrongLength {
            expected: fixed_size,
            got: bytes.len(),
        });
    }
    if bytes.len() < fixed_size {
        return Err(SszError::TooShort {
            need: fixed_size,
            got: bytes.len(),
        });
    }
    // First pass: fixed slices and offsets.
    let mut pos = 0usize;
    let mut offsets: Vec<(usize, usize)> = Vec::new(); // (field index, offset)
    let mut out: Vec<&'a [u8]> = Vec::with_capacity(layout.len());
    for (i, field) in layout.iter().enumerate() {
        match field {
            FieldLen::Fixed(n) => {
                let end = pos.saturating_add(*n);
                let slice = bytes.get(pos..end).ok_or(SszError::TooShort {
                    need: end,
                    got: bytes.len(),
                })?;
                out.push(slice);
                pos = end;
            }
            FieldLen::Variable => {
                let off = read_offset(bytes, pos)?;
                if offsets.is_empty() && off != fixed_size {
                    return Err(SszError::InvalidOffset { offset: off });
                }
                if let Some((_, prev)) = offsets.last()
                    && off < *prev
                {
                    return Err(SszError::InvalidOffset { offset: off });
                }
                if off > bytes.len() {
                    return Err(SszError::InvalidOffset { offset: off });
                }
                offsets.push((i, off));
                out.push(&[]);
                pos = pos.saturating_add(OFFSET_LEN);
            }
        }
    }
    // Second pass: variable slices between consecutive offsets.
    for (k, (field_index, start)) in offsets.iter().enumerate() {
        let end = offsets.get(k + 1).map_or(bytes.len(), |(_, o)| *o);
        let slice = bytes
            .get(*start..end)
            .ok_or(SszError::InvalidOffset { offset: *start })?;
        if let Some(slot) = out.get_mut(*field_index) {
            *slot = slice;
        }
    }
    Ok(out)
}

/// Decodes a list of variable-size items (offset table then payloads).
pub(crate) fn split_variable_list(bytes: &[u8]) -> Result<Vec<&[u8]>, SszError> {
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    let first = read_offset(bytes, 0)?;
    if first == 0 || first % OFFSET_LEN != 0 || first > bytes.len() {
        return Err(SszError::InvalidOffset { offset: first });
    }
    let count = first / OFFSET_LEN;
    let mut offsets = Vec::with_capacity(count);
    for i in 0..count {
        let off = read_offset(bytes, i * OFFSET_LEN)?;
        if off > bytes.len() || offsets.last().is_some_and(|p| off < *p) {
            return Err(SszError::InvalidOffset { offset: off });
        }
        offsets.push(off);
    }
    let mut out = Vec::with_capacity(count);
    for (k, start) in offsets.iter().enumerate() {
        let end = offsets.get(k + 1).copied().unwrap_or(bytes.len());
        out.push(
            bytes
                .get(*start..end)
                .ok_or(SszError::InvalidOffset { offset: *start })?,
        );
    }
    Ok(out)
}

/// Declares an SSZ container and derives [`SszDecode`](crate::ssz::SszDecode),
/// [`SszEncode`](crate::ssz::SszEncode) and [`TreeHash`](crate::ssz::TreeHash)
/// from its field list (in declaration order, as SSZ requires).
///
/// ```ignore
/// ssz_container! {
///     /// A checkpoint.
///     pub struct Checkpoint { pub epoch: u64, pub root: B256 }
/// }
/// ```
/// One optional `const N: usize` parameter makes the container
/// preset-generic: `pub struct SyncAggregate[const N: usize] { ... }`.
#[macro_export]
macro_rules! ssz_container {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident $([const $g:ident : usize])? {
            $( $(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        $vis struct $name $(<const $g: usize>)? {
            $( $(#[$fmeta])* $fvis $field : $ty ),*
        }

        impl $(<const $g: usize>)? $crate::ssz::SszDecode for $name $(<$g>)? {
            const FIXED_LEN: Option<usize> = {
                let lens: &[Option<usize>] = &[$( <$ty as $crate::ssz::SszDecode>::FIXED_LEN ),*];
                let mut total = 0usize;
                let mut i = 0;
                let mut fixed = true;
                while i < lens.len() {
                    match lens[i] {
                        Some(n) => total += n,
                        None => fixed = false,
                    }
                    i += 1;
                }
                if fixed { Some(total) } else { None }
            };

            fn from_ssz(bytes: &[u8]) -> Result<Self, $crate::ssz::SszError> {
                let layout = [$( $crate::ssz::FieldLen::of(<$ty as $crate::ssz::SszDecode>::FIXED_LEN) ),*];
                let parts = $crate::ssz::split_container(bytes, &layout)?;
                let mut parts = parts.into_iter();
                Ok(Self {
                    $( $field: <$ty as $crate::ssz::SszDecode>::from_ssz(
                        parts.next().ok_or($crate::ssz::SszError::TooShort { need: 0, got: 0 })?,
                    )?, )*
                })
            }
        }

        impl $(<const $g: usize>)? $crate::ssz::SszEncode for $name $(<$g>)? {
            fn ssz_append(&self, out: &mut Vec<u8>) {
                let fields: &[(&dyn $crate::ssz::SszEncode, Option<usize>)] = &[
                    $( (&self.$field, <$ty as $crate::ssz::SszDecode>::FIXED_LEN) ),*
                ];
                $crate::ssz::encode_container(fields, out);
            }
        }

        impl $(<const $g: usize>)? $crate::ssz::TreeHash for $name $(<$g>)? {
            fn tree_hash_root(&self) -> alloy_primitives::B256 {
                let roots = [$( $crate::ssz::TreeHash::tree_hash_root(&self.$field) ),*];
                $crate::ssz::merkleize(&roots, roots.len())
            }
        }
    };
}

/// Encodes container fields (fixed parts and offsets, then variable parts).
pub fn encode_container(fields: &[(&dyn super::SszEncode, Option<usize>)], out: &mut Vec<u8>) {
    let fixed_size: usize = fields.iter().map(|(_, f)| f.unwrap_or(OFFSET_LEN)).sum();
    let mut variable = Vec::new();
    for (field, fixed) in fields {
        if fixed.is_some() {
            field.ssz_append(out);
        } else {
            let offset = fixed_size + variable.len();
            out.extend_from_slice(&(offset as u32).to_le_bytes());
            field.ssz_append(&mut variable);
        }
    }
    out.extend_from_slice(&variable);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_validated() {
        let layout = [FieldLen::Fixed(2), FieldLen::Variable, FieldLen::Variable];
        // fixed part is 2 + 4 + 4 = 10 bytes
        let ok = [1, 2, 10, 0, 0, 0, 11, 0, 0, 0, 7, 8, 9];
        let parts = split_container(&ok, &layout).unwrap();
        assert_eq!(parts, vec![&[1u8, 2][..], &[7u8][..], &[8u8, 9][..]]);
        // first offset must point at the end of the fixed part
        assert!(split_container(&[1, 2, 9, 0, 0, 0, 11, 0, 0, 0, 7, 8, 9], &layout).is_err());
        // decreasing offsets
        assert!(split_container(&[1, 2, 10, 0, 0, 0, 9, 0, 0, 0, 7, 8, 9], &layout).is_err());
        // offset past the end
        assert!(split_container(&[1, 2, 10, 0, 0, 0, 99, 0, 0, 0, 7], &layout).is_err());
        // too short for the fixed part
        assert!(split_container(&[1, 2, 10], &layout).is_err());
        // fixed-only containers must match exactly
        assert!(split_container(&[0; 3], &[FieldLen::Fixed(2)]).is_err());
    }
}
