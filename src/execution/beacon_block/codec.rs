//! Reading beacon-block containers from Beacon-API JSON, and locating SSZ
//! decode failures.
//!
//! [`FromBeaconJson`] reads the Beacon-API JSON form of a type (integers as
//! decimal strings, bytes as `0x` hex, bitfields as their SSZ bytes in hex).
//! [`SszLocate`] re-walks SSZ bytes that failed to decode and names the
//! field path and byte position of the first failure; it runs only after a
//! failure, so the fast path is plain [`SszDecode`].
//!
//! [`block_container!`] declares a container once and derives SSZ decoding,
//! encoding and `hash_tree_root` (through [`ssz_container!`](crate::ssz_container))
//! plus both traits from the same field list.

use alloy_primitives::{Address, FixedBytes, U256};
use serde_json::Value;

use crate::beacon::{BeaconBlockHeader, SyncAggregate};
use crate::execution::error::ExecutionError;
use crate::execution::json::{self, invalid};
use crate::ssz::{Bitlist, Bitvector, ByteList, FixedVector, List, SszDecode, SszError};

/// A type with a Beacon-API JSON form.
pub(crate) trait FromBeaconJson: Sized {
    /// Reads the value; errors name the failing field path.
    ///
    /// # Errors
    /// [`ExecutionError::InvalidJson`].
    fn from_json(value: &Value) -> Result<Self, ExecutionError>;
}

/// Prefixes the field path of a JSON error with `name`.
pub(crate) fn nest(err: ExecutionError, name: &str) -> ExecutionError {
    match err {
        ExecutionError::InvalidJson { field, reason } => ExecutionError::InvalidJson {
            field: join(name, &field),
            reason,
        },
        other => other,
    }
}

fn join(outer: &str, inner: &str) -> String {
    if inner.is_empty() {
        outer.to_owned()
    } else if inner.starts_with('[') {
        format!("{outer}{inner}")
    } else {
        format!("{outer}.{inner}")
    }
}

/// Reads member `name` of a JSON object as `T`.
///
/// # Errors
/// [`ExecutionError::InvalidJson`] naming the path.
pub(crate) fn member<T: FromBeaconJson>(obj: &Value, name: &str) -> Result<T, ExecutionError> {
    let v = json::field(obj, name)?;
    T::from_json(v).map_err(|e| nest(e, name))
}

fn hex_bytes(value: &Value) -> Result<Vec<u8>, ExecutionError> {
    json::data(value, "").map(Into::into)
}

impl FromBeaconJson for u64 {
    fn from_json(value: &Value) -> Result<Self, ExecutionError> {
        json::decimal_u64(value, "")
    }
}

impl FromBeaconJson for U256 {
    fn from_json(value: &Value) -> Result<Self, ExecutionError> {
        json::decimal_u256(value, "")
    }
}

impl<const N: usize> FromBeaconJson for FixedBytes<N> {
    fn from_json(value: &Value) -> Result<Self, ExecutionError> {
        json::fixed::<N>(value, "")
    }
}

impl FromBeaconJson for Address {
    fn from_json(value: &Value) -> Result<Self, ExecutionError> {
        json::address(value, "")
    }
}

impl<const N: usize> FromBeaconJson for ByteList<N> {
    fn from_json(value: &Value) -> Result<Self, ExecutionError> {
        ByteList::new(hex_bytes(value)?).map_err(|_| invalid("", "longer than the list limit"))
    }
}

impl<const N: usize> FromBeaconJson for Bitvector<N> {
    fn from_json(value: &Value) -> Result<Self, ExecutionError> {
        Bitvector::from_bytes(&hex_bytes(value)?)
            .map_err(|_| invalid("", "not a bitvector of the right length"))
    }
}

impl<const N: usize> FromBeaconJson for Bitlist<N> {
    fn from_json(value: &Value) -> Result<Self, ExecutionError> {
        Bitlist::from_ssz(&hex_bytes(value)?)
            .map_err(|_| invalid("", "not a bitlist within its limit"))
    }
}

fn items<T: FromBeaconJson>(value: &Value) -> Result<Vec<T>, ExecutionError> {
    json::array(value, "")?
        .iter()
        .enumerate()
        .map(|(i, v)| T::from_json(v).map_err(|e| nest(e, &format!("[{i}]"))))
        .collect()
}

impl<T: FromBeaconJson, const N: usize> FromBeaconJson for List<T, N> {
    fn from_json(value: &Value) -> Result<Self, ExecutionError> {
        let len = json::array(value, "")?.len();
        if len > N {
            return Err(invalid("", "more items than the list limit"));
        }
        List::new(items(value)?).map_err(|_| invalid("", "more items than the list limit"))
    }
}

impl<T: FromBeaconJson, const N: usize> FromBeaconJson for FixedVector<T, N> {
    fn from_json(value: &Value) -> Result<Self, ExecutionError> {
        FixedVector::new(items(value)?).map_err(|_| invalid("", "wrong number of items"))
    }
}

impl FromBeaconJson for BeaconBlockHeader {
    fn from_json(value: &Value) -> Result<Self, ExecutionError> {
        Ok(Self {
            slot: member(value, "slot")?,
            proposer_index: member(value, "proposer_index")?,
            parent_root: member(value, "parent_root")?,
            state_root: member(value, "state_root")?,
            body_root: member(value, "body_root")?,
        })
    }
}

impl<const S: usize> FromBeaconJson for SyncAggregate<S> {
    fn from_json(value: &Value) -> Result<Self, ExecutionError> {
        Ok(Self {
            sync_committee_bits: member(value, "sync_committee_bits")?,
            sync_committee_signature: member(value, "sync_committee_signature")?,
        })
    }
}

/// Where SSZ decoding failed: the field path, its byte position and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SszFailure {
    pub path: String,
    pub at: usize,
    pub error: SszError,
}

impl SszFailure {
    /// A failure at the start of the value being decoded.
    pub(crate) fn here(error: SszError) -> Self {
        Self {
            path: String::new(),
            at: 0,
            error,
        }
    }

    /// The failure seen from the enclosing value, where this field is `name`
    /// and starts at byte `base`.
    pub(crate) fn within(self, name: &str, base: usize) -> Self {
        Self {
            path: join(name, &self.path),
            at: self.at.saturating_add(base),
            error: self.error,
        }
    }

    /// As a typed error.
    pub(crate) fn into_error(self) -> ExecutionError {
        ExecutionError::BeaconSsz {
            path: self.path,
            at: self.at,
            source: self.error,
        }
    }
}

/// Byte position of `inner` (a subslice) within `outer`.
pub(crate) fn offset_in(outer: &[u8], inner: &[u8]) -> usize {
    (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize)
}

/// Finds the first SSZ decode failure in `bytes`, descending into fields.
pub(crate) trait SszLocate: SszDecode {
    /// `None` if `bytes` decode as `Self`.
    fn locate(bytes: &[u8]) -> Option<SszFailure> {
        Self::from_ssz(bytes).err().map(SszFailure::here)
    }
}

impl SszLocate for u64 {}
impl SszLocate for U256 {}
impl SszLocate for Address {}
impl<const N: usize> SszLocate for FixedBytes<N> {}
impl<const N: usize> SszLocate for ByteList<N> {}
impl<const N: usize> SszLocate for Bitvector<N> {}
impl<const N: usize> SszLocate for Bitlist<N> {}
impl<T: SszDecode, const N: usize> SszLocate for FixedVector<T, N> {}
impl SszLocate for BeaconBlockHeader {}
impl<const S: usize> SszLocate for SyncAggregate<S> {}

impl<T: SszLocate, const N: usize> SszLocate for List<T, N> {
    fn locate(bytes: &[u8]) -> Option<SszFailure> {
        let err = Self::from_ssz(bytes).err()?;
        if T::FIXED_LEN.is_some() {
            return Some(SszFailure::here(err));
        }
        // Variable-size items: name the first item that fails, if any.
        let Ok(parts) = crate::ssz::split_variable_list(bytes) else {
            return Some(SszFailure::here(err));
        };
        parts
            .iter()
            .enumerate()
            .find_map(|(i, part)| {
                T::locate(part).map(|f| f.within(&format!("[{i}]"), offset_in(bytes, part)))
            })
            .or(Some(SszFailure::here(err)))
    }
}

/// A field's name and its [`SszLocate::locate`].
pub(crate) type FieldLocator<'a> = (&'a str, fn(&[u8]) -> Option<SszFailure>);

/// Locates a failure among container fields already split into `parts`.
pub(crate) fn locate_fields(
    bytes: &[u8],
    parts: &[&[u8]],
    fields: &[FieldLocator<'_>],
) -> Option<SszFailure> {
    parts.iter().zip(fields).find_map(|(part, (name, locate))| {
        locate(part).map(|f| f.within(name, offset_in(bytes, part)))
    })
}

/// Declares a beacon-block container: [`ssz_container!`](crate::ssz_container)
/// plus [`FromBeaconJson`] (by field name) and [`SszLocate`].
macro_rules! block_container {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $crate::ssz_container! {
            $(#[$meta])*
            pub struct $name {
                $( $(#[$fmeta])* pub $field : $ty ),*
            }
        }

        impl $crate::execution::beacon_block::codec::FromBeaconJson for $name {
            fn from_json(
                value: &serde_json::Value,
            ) -> Result<Self, $crate::execution::ExecutionError> {
                Ok(Self {
                    $( $field: $crate::execution::beacon_block::codec::member(
                        value,
                        stringify!($field),
                    )?, )*
                })
            }
        }

        impl $crate::execution::beacon_block::codec::SszLocate for $name {
            fn locate(
                bytes: &[u8],
            ) -> Option<$crate::execution::beacon_block::codec::SszFailure> {
                use $crate::execution::beacon_block::codec::{SszFailure, SszLocate};
                let err = <Self as $crate::ssz::SszDecode>::from_ssz(bytes).err()?;
                let layout = [$( $crate::ssz::FieldLen::of(
                    <$ty as $crate::ssz::SszDecode>::FIXED_LEN,
                ) ),*];
                let parts = match $crate::ssz::split_container(bytes, &layout) {
                    Ok(parts) => parts,
                    Err(e) => return Some(SszFailure::here(e)),
                };
                let fields: &[$crate::execution::beacon_block::codec::FieldLocator<'_>] = &[
                    $( (stringify!($field), <$ty as SszLocate>::locate) ),*
                ];
                $crate::execution::beacon_block::codec::locate_fields(bytes, &parts, fields)
                    .or(Some(SszFailure::here(err)))
            }
        }
    };
}

pub(crate) use block_container;
