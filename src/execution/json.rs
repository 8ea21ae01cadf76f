//! Reading JSON-RPC objects exactly as nodes return them: `0x` quantities,
//! `0x` data, and fixed-size hashes and addresses. Every reader names the
//! field it failed on and never panics.

use alloy_primitives::{Address, B256, Bytes, FixedBytes, U256};
use serde_json::Value;

use super::error::ExecutionError;

/// Builds an [`ExecutionError::InvalidJson`] for `field`.
pub(crate) fn invalid(field: &str, reason: &'static str) -> ExecutionError {
    ExecutionError::InvalidJson {
        field: field.to_owned(),
        reason,
    }
}

/// Unwraps a full JSON-RPC response (`{"jsonrpc", "id", "result"}`) into its
/// `result`; any other value is returned as it is.
///
/// # Errors
/// [`ExecutionError::InvalidJson`] if the response is a JSON-RPC error.
pub(crate) fn rpc_result(value: &Value) -> Result<&Value, ExecutionError> {
    match value {
        Value::Object(map) if map.contains_key("jsonrpc") => {
            if map.contains_key("error") {
                return Err(invalid("error", "the node answered with a JSON-RPC error"));
            }
            map.get("result")
                .ok_or_else(|| invalid("result", "missing"))
        }
        other => Ok(other),
    }
}

/// The member `key` of an object, or an error naming it.
pub(crate) fn field<'a>(obj: &'a Value, key: &str) -> Result<&'a Value, ExecutionError> {
    match obj {
        Value::Object(map) => map.get(key).ok_or_else(|| invalid(key, "missing")),
        _ => Err(invalid(key, "parent is not an object")),
    }
}

/// The member `key` if present and not `null`.
pub(crate) fn opt_field<'a>(obj: &'a Value, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

/// A JSON array, or an error naming `key`.
pub(crate) fn array<'a>(value: &'a Value, key: &str) -> Result<&'a [Value], ExecutionError> {
    value
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| invalid(key, "not an array"))
}

/// The hex digits after the `0x` prefix.
fn hex_digits<'a>(value: &'a Value, key: &str) -> Result<&'a str, ExecutionError> {
    let s = value.as_str().ok_or_else(|| invalid(key, "not a string"))?;
    hex_digits_of(s, key)
}

/// The hex digits of `s` after its `0x` prefix.
fn hex_digits_of<'a>(s: &'a str, key: &str) -> Result<&'a str, ExecutionError> {
    s.strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .ok_or_else(|| invalid(key, "missing 0x prefix"))
}

/// A `0x` quantity as a [`U256`].
///
/// # Errors
/// [`ExecutionError::InvalidJson`] if it is not hex, empty, or above 2^256 - 1.
pub(crate) fn quantity_u256(value: &Value, key: &str) -> Result<U256, ExecutionError> {
    let s = value.as_str().ok_or_else(|| invalid(key, "not a string"))?;
    str_quantity_u256(s, key)
}

/// A `0x` quantity string as a [`U256`].
///
/// # Errors
/// As [`quantity_u256`].
pub(crate) fn str_quantity_u256(s: &str, key: &str) -> Result<U256, ExecutionError> {
    let digits = hex_digits_of(s, key)?;
    if digits.is_empty() {
        return Err(invalid(key, "empty quantity"));
    }
    U256::from_str_radix(digits, 16).map_err(|_| invalid(key, "not a 256-bit hex quantity"))
}

/// A `0x` quantity as a [`u64`].
///
/// # Errors
/// [`ExecutionError::InvalidJson`] if it is not hex, empty, or above 2^64 - 1.
pub(crate) fn quantity_u64(value: &Value, key: &str) -> Result<u64, ExecutionError> {
    let s = value.as_str().ok_or_else(|| invalid(key, "not a string"))?;
    str_quantity_u64(s, key)
}

/// A `0x` quantity string as a [`u64`].
///
/// # Errors
/// As [`quantity_u64`].
pub(crate) fn str_quantity_u64(s: &str, key: &str) -> Result<u64, ExecutionError> {
    let big = str_quantity_u256(s, key)?;
    u64::try_from(big).map_err(|_| invalid(key, "quantity does not fit in 64 bits"))
}

/// `0x` data of any length.
///
/// # Errors
/// [`ExecutionError::InvalidJson`] if it is not an even number of hex digits.
pub(crate) fn data(value: &Value, key: &str) -> Result<Bytes, ExecutionError> {
    let s = value.as_str().ok_or_else(|| invalid(key, "not a string"))?;
    str_data(s, key)
}

/// `0x` data string of any length.
///
/// # Errors
/// As [`data`].
pub(crate) fn str_data(s: &str, key: &str) -> Result<Bytes, ExecutionError> {
    let digits = hex_digits_of(s, key)?;
    alloy_primitives::hex::decode(digits)
        .map(Bytes::from)
        .map_err(|_| invalid(key, "not even-length hex data"))
}

/// `0x` data of exactly `N` bytes.
///
/// # Errors
/// [`ExecutionError::InvalidJson`] if it is not exactly `N` bytes of hex.
pub(crate) fn fixed<const N: usize>(
    value: &Value,
    key: &str,
) -> Result<FixedBytes<N>, ExecutionError> {
    let s = value.as_str().ok_or_else(|| invalid(key, "not a string"))?;
    str_fixed(s, key)
}

/// `0x` data string of exactly `N` bytes, decoded in place.
///
/// # Errors
/// As [`fixed`].
pub(crate) fn str_fixed<const N: usize>(
    s: &str,
    key: &str,
) -> Result<FixedBytes<N>, ExecutionError> {
    let digits = hex_digits_of(s, key)?;
    if digits.len() != N.saturating_mul(2) {
        // Wrong size: report it as the general reader would.
        let bytes = str_data(s, key)?;
        return FixedBytes::<N>::try_from(bytes.as_ref()).map_err(|_| invalid(key, "wrong length"));
    }
    let mut out = FixedBytes::<N>::ZERO;
    alloy_primitives::hex::decode_to_slice(digits, out.as_mut_slice())
        .map_err(|_| invalid(key, "not even-length hex data"))?;
    Ok(out)
}

/// A 32-byte hash string.
///
/// # Errors
/// As [`fixed`].
pub(crate) fn str_b256(s: &str, key: &str) -> Result<B256, ExecutionError> {
    str_fixed::<32>(s, key)
}

/// A 20-byte address string.
///
/// # Errors
/// As [`fixed`].
pub(crate) fn str_address(s: &str, key: &str) -> Result<Address, ExecutionError> {
    str_fixed::<20>(s, key).map(Address::from)
}

/// A 32-byte hash.
///
/// # Errors
/// As [`fixed`].
pub(crate) fn b256(value: &Value, key: &str) -> Result<B256, ExecutionError> {
    fixed::<32>(value, key)
}

/// A 20-byte address.
///
/// # Errors
/// As [`fixed`].
pub(crate) fn address(value: &Value, key: &str) -> Result<Address, ExecutionError> {
    fixed::<20>(value, key).map(Address::from)
}

/// A 32-byte word that nodes may print either as full data or as a short
/// quantity (storage keys: `0x1` and `0x00..01` name the same slot).
///
/// # Errors
/// [`ExecutionError::InvalidJson`] if it is not hex or longer than 32 bytes.
pub(crate) fn word(value: &Value, key: &str) -> Result<B256, ExecutionError> {
    let digits = hex_digits(value, key)?;
    if digits.is_empty() || digits.len() > 64 {
        return Err(invalid(key, "not a 32-byte word"));
    }
    U256::from_str_radix(digits, 16)
        .map(|v| B256::from(v.to_be_bytes::<32>()))
        .map_err(|_| invalid(key, "not hex"))
}

/// Reads `obj[key]` with `read`.
///
/// # Errors
/// Whatever `read` returns, or [`ExecutionError::InvalidJson`] if absent.
pub(crate) fn get<T>(
    obj: &Value,
    key: &str,
    read: fn(&Value, &str) -> Result<T, ExecutionError>,
) -> Result<T, ExecutionError> {
    read(field(obj, key)?, key)
}

/// Reads `obj[key]` with `read` if present and not `null`.
///
/// # Errors
/// Whatever `read` returns.
pub(crate) fn get_opt<T>(
    obj: &Value,
    key: &str,
    read: fn(&Value, &str) -> Result<T, ExecutionError>,
) -> Result<Option<T>, ExecutionError> {
    opt_field(obj, key).map(|v| read(v, key)).transpose()
}

/// A decimal string (Beacon-API integers) as a [`U256`].
///
/// # Errors
/// [`ExecutionError::InvalidJson`] if it is not a decimal string below 2^256.
pub(crate) fn decimal_u256(value: &Value, key: &str) -> Result<U256, ExecutionError> {
    let s = value.as_str().ok_or_else(|| invalid(key, "not a string"))?;
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(key, "not a decimal integer"));
    }
    U256::from_str_radix(s, 10).map_err(|_| invalid(key, "does not fit in 256 bits"))
}

/// A decimal string (Beacon-API integers) as a [`u64`].
///
/// # Errors
/// [`ExecutionError::InvalidJson`] if it is not a decimal string below 2^64.
pub(crate) fn decimal_u64(value: &Value, key: &str) -> Result<u64, ExecutionError> {
    u64::try_from(decimal_u256(value, key)?).map_err(|_| invalid(key, "does not fit in 64 bits"))
}
