//! Small RLP helpers shared by the header, transaction and receipt encoders.

use alloy_rlp::{Decodable, Header};

use super::error::ExecutionError;

/// Writes `rlp(list(payload))` where `fill` appends the already-encoded items.
pub(crate) fn encode_list(out: &mut Vec<u8>, fill: impl FnOnce(&mut Vec<u8>)) {
    let mut payload = Vec::new();
    fill(&mut payload);
    Header {
        list: true,
        payload_length: payload.len(),
    }
    .encode(out);
    out.extend_from_slice(&payload);
}

/// Splits `buf` into the payload of the RLP list it holds, requiring that the
/// list is all of `buf`.
///
/// # Errors
/// [`ExecutionError::InvalidRlp`] if `buf` is not exactly one RLP list.
pub(crate) fn list_payload<'a>(
    buf: &'a [u8],
    context: &'static str,
) -> Result<&'a [u8], ExecutionError> {
    let mut rest = buf;
    let header = Header::decode(&mut rest).map_err(|e| ExecutionError::rlp(context, e))?;
    if !header.list {
        return Err(ExecutionError::rlp(
            context,
            alloy_rlp::Error::UnexpectedString,
        ));
    }
    if rest.len() != header.payload_length {
        return Err(ExecutionError::InvalidRlp {
            context,
            reason: "list length disagrees with the input length".to_owned(),
        });
    }
    Ok(rest)
}

/// Decodes one item of type `T` from the front of `buf`.
///
/// # Errors
/// [`ExecutionError::InvalidRlp`] if the item does not decode.
pub(crate) fn take<T: Decodable>(
    buf: &mut &[u8],
    context: &'static str,
) -> Result<T, ExecutionError> {
    T::decode(buf).map_err(|e| ExecutionError::rlp(context, e))
}

/// Splits the next RLP item (header and payload, as raw bytes) off `buf`.
///
/// # Errors
/// [`ExecutionError::InvalidRlp`] if the item header is malformed or too long.
pub(crate) fn take_raw<'a>(
    buf: &mut &'a [u8],
    context: &'static str,
) -> Result<&'a [u8], ExecutionError> {
    let start: &'a [u8] = buf;
    let mut rest: &'a [u8] = buf;
    let header = Header::decode(&mut rest).map_err(|e| ExecutionError::rlp(context, e))?;
    let header_len = start
        .len()
        .checked_sub(rest.len())
        .ok_or_else(|| ExecutionError::rlp(context, alloy_rlp::Error::Custom("bad item header")))?;
    let total = header_len
        .checked_add(header.payload_length)
        .ok_or_else(|| ExecutionError::rlp(context, alloy_rlp::Error::Overflow))?;
    let item = start
        .get(..total)
        .ok_or_else(|| ExecutionError::rlp(context, alloy_rlp::Error::InputTooShort))?;
    *buf = start.get(total..).unwrap_or_default();
    Ok(item)
}
