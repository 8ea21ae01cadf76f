//! The shape of an `eth_getBlockReceipts` result, read with serde straight
//! from JSON text (or from a parsed `serde_json::Value`) into borrowed
//! structs: hex strings stay slices of the input until the receipt reader
//! decodes them in place, so no intermediate `Value` tree is built.
//!
//! Only the shape is checked here (objects, arrays, strings where nodes put
//! them); every value rule is applied by `receipt::receipt_from_rpc`, which
//! both input forms share. Unknown members are ignored, as nodes add their
//! own (`effectiveGasPrice`, `from`, `to`, …).

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::error::ExecutionError;
use super::json::invalid;

/// One log of a receipt, as stated by the node.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RpcLog<'a> {
    /// Emitting contract (20-byte hex).
    #[serde(borrow)]
    pub(crate) address: Cow<'a, str>,
    /// Indexed topics (32-byte hex each).
    #[serde(borrow)]
    pub(crate) topics: Vec<Cow<'a, str>>,
    /// Non-indexed data (hex).
    #[serde(borrow)]
    pub(crate) data: Cow<'a, str>,
    /// Stated position in the block.
    #[serde(borrow, default)]
    pub(crate) log_index: Option<Cow<'a, str>>,
    /// Stated position of its transaction.
    #[serde(borrow, default)]
    pub(crate) transaction_index: Option<Cow<'a, str>>,
    /// Stated transaction hash.
    #[serde(borrow, default)]
    pub(crate) transaction_hash: Option<Cow<'a, str>>,
    /// Stated block hash.
    #[serde(borrow, default)]
    pub(crate) block_hash: Option<Cow<'a, str>>,
    /// Whether the node says the log was removed by a reorg.
    #[serde(default)]
    pub(crate) removed: Option<bool>,
}

/// One receipt, as stated by the node.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RpcReceiptFields<'a> {
    /// EIP-2718 type quantity (absent or `null`: legacy).
    #[serde(rename = "type", borrow, default)]
    pub(crate) tx_type: Option<Cow<'a, str>>,
    /// `0x1` success, `0x0` failure (absent before Byzantium).
    #[serde(borrow, default)]
    pub(crate) status: Option<Cow<'a, str>>,
    /// Cumulative gas used quantity.
    #[serde(borrow)]
    pub(crate) cumulative_gas_used: Cow<'a, str>,
    /// Stated 256-byte bloom.
    #[serde(borrow)]
    pub(crate) logs_bloom: Cow<'a, str>,
    /// The logs.
    #[serde(borrow)]
    pub(crate) logs: Vec<RpcLog<'a>>,
    /// Stated transaction hash.
    #[serde(borrow, default)]
    pub(crate) transaction_hash: Option<Cow<'a, str>>,
    /// Stated transaction position.
    #[serde(borrow, default)]
    pub(crate) transaction_index: Option<Cow<'a, str>>,
    /// Stated block hash.
    #[serde(borrow, default)]
    pub(crate) block_hash: Option<Cow<'a, str>>,
    /// Stated block number.
    #[serde(borrow, default)]
    pub(crate) block_number: Option<Cow<'a, str>>,
}

/// The top level: the bare result array, or a JSON-RPC response object.
enum Top<'a> {
    /// The receipts.
    List(Vec<RpcReceiptFields<'a>>),
    /// A JSON-RPC response carrying `error`.
    RpcError,
    /// A JSON-RPC response without `result`.
    MissingResult,
    /// An object that is not a JSON-RPC response.
    NotRpc,
}

impl<'de> Deserialize<'de> for Top<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TopVisitor)
    }
}

/// Reads [`Top`] from an array or an object.
struct TopVisitor;

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of receipts or a JSON-RPC response")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX_PREALLOC));
        while let Some(r) = seq.next_element()? {
            list.push(r);
        }
        Ok(Top::List(list))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut jsonrpc, mut error) = (false, false);
        let mut result = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "jsonrpc" => jsonrpc = map.next_value::<IgnoredAny>().map(|_| true)?,
                "error" => error = map.next_value::<IgnoredAny>().map(|_| true)?,
                "result" if result.is_none() => {
                    result = Some(map.next_value::<Vec<RpcReceiptFields<'de>>>()?);
                }
                "result" => return Err(de::Error::duplicate_field("result")),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(match (jsonrpc, error, result) {
            (false, ..) => Top::NotRpc,
            (true, true, _) => Top::RpcError,
            (true, false, None) => Top::MissingResult,
            (true, false, Some(list)) => Top::List(list),
        })
    }
}

/// Upper bound on receipts reserved up front from a size hint.
const MAX_PREALLOC: usize = 4096;

/// Turns the top level into the receipt list, with the errors of
/// `json::rpc_result` and `json::array`.
fn receipts_of(top: Top<'_>) -> Result<Vec<RpcReceiptFields<'_>>, ExecutionError> {
    match top {
        Top::List(list) => Ok(list),
        Top::RpcError => Err(invalid("error", "the node answered with a JSON-RPC error")),
        Top::MissingResult => Err(invalid("result", "missing")),
        Top::NotRpc => Err(invalid("receipts", "not an array")),
    }
}

/// A serde error as an [`ExecutionError::InvalidJson`].
fn shape_error(e: &serde_json::Error) -> ExecutionError {
    ExecutionError::InvalidJson {
        field: format!("receipts ({e})"),
        reason: "not an eth_getBlockReceipts result",
    }
}

/// Reads receipts from JSON text (bare result or full JSON-RPC response).
///
/// # Errors
/// [`ExecutionError::InvalidJson`] for malformed JSON or a wrong shape.
pub(crate) fn receipts_from_text(text: &str) -> Result<Vec<RpcReceiptFields<'_>>, ExecutionError> {
    receipts_of(serde_json::from_str(text).map_err(|e| shape_error(&e))?)
}

/// Reads receipts from a parsed JSON value, borrowing its strings.
///
/// # Errors
/// [`ExecutionError::InvalidJson`] for a wrong shape.
pub(crate) fn receipts_from_value(
    value: &Value,
) -> Result<Vec<RpcReceiptFields<'_>>, ExecutionError> {
    receipts_of(Top::deserialize(value).map_err(|e| shape_error(&e))?)
}
