//! `L1Blocks` for JS: the levels of L1 execution blocks
//! ([`crate::confidence::l1_blocks`]) and the hash-chain walk the EIP-1193
//! provider uses. The light client's heads are read inside wasm from the
//! `BeaconLightClient` passed along; blocks enter only verified by hash.

use alloy_primitives::B256;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::beacon::BeaconLightClient;
use super::convert::{b256_arg, json_value, output, u64_arg};
use super::error::{js_error, to_js};
use crate::confidence::l1_blocks::{L1Blocks, L1Target, Walk};
use crate::execution::verify_block;

/// Verified L1 execution blocks held for status questions and walks.
#[wasm_bindgen(js_name = L1Blocks)]
pub struct WasmL1Blocks {
    inner: L1Blocks,
}

/// The answer to `canonicalAt`.
#[derive(Serialize)]
#[serde(untagged)]
enum WalkAnswer {
    Found { hash: B256 },
    Need { need: B256 },
}

impl Default for WasmL1Blocks {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen(js_class = L1Blocks)]
impl WasmL1Blocks {
    /// An empty set.
    #[wasm_bindgen(constructor)]
    pub fn new() -> WasmL1Blocks {
        WasmL1Blocks {
            inner: L1Blocks::new(),
        }
    }

    /// Verifies an `eth_getBlockByHash` answer against `expectedHash` and
    /// holds it; returns `{ hash, number, parentHash, timestamp }`.
    ///
    /// # Errors
    /// `HEADER_HASH_MISMATCH`, `INVALID_JSON`, `INVALID_ARGUMENT`, …
    pub fn insert(&mut self, block: JsValue, expected_hash: &str) -> Result<JsValue, JsValue> {
        let expected = b256_arg(expected_hash, "expectedHash")?;
        let block = verify_block(&json_value(&block)?, Some(expected)).map_err(to_js)?;
        Ok(output(&self.inner.insert(&block)))
    }

    /// The status of an L1 block (a number or a 0x hash) as of the light
    /// client's verified heads: `{ level, mayRevertIf, eta, reasonCode,
    /// reason, l1? }`, or `{ need, target }`: the block to fetch, insert and
    /// ask again (`fetched` counts the blocks fetched for this question; at
    /// most `maxWalk`).
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for a bad target or number.
    pub fn status(
        &self,
        target: JsValue,
        client: &BeaconLightClient,
        now_sec: f64,
        max_walk: f64,
        fetched: f64,
    ) -> Result<JsValue, JsValue> {
        let bad = || {
            js_error(
                "INVALID_ARGUMENT",
                "l1Block must be a block number or a 32-byte 0x hash",
            )
        };
        let target = match (target.as_f64(), target.as_string()) {
            (Some(n), _) => L1Target::Number(u64_arg(n, "l1Block").map_err(|_| bad())?),
            (_, Some(h)) => L1Target::Hash(b256_arg(&h, "l1Block").map_err(|_| bad())?),
            _ => return Err(bad()),
        };
        let now = u64_arg(now_sec.trunc(), "nowSec")?;
        let walk = (u64_arg(max_walk, "maxWalk")?, u64_arg(fetched, "fetched")?);
        let (heads, timing) = client.l1_heads();
        let Some(heads) = heads else {
            return Ok(output(&serde_json::json!({
                "level": "unknown", "mayRevertIf": [], "eta": null,
                "reasonCode": "NO_EXECUTION_HEADER",
                "reason": "the verified headers predate Capella and carry no execution block",
            })));
        };
        Ok(output(
            &self.inner.status(target, &heads, &timing, now, walk),
        ))
    }

    /// The canonical block hash at `number` at or below the verified block
    /// `anchorHash` (number `anchorNumber`): `{ hash }`, or `{ need }`: fetch,
    /// insert, ask again (at most `maxWalk` times, counted by `fetched`).
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for a number above the anchor; `CHAIN_WALK_TOO_DEEP`;
    /// `INVALID_HEADER_CHAIN` if a held block does not fit.
    #[wasm_bindgen(js_name = canonicalAt)]
    pub fn canonical_at(
        &self,
        number: f64,
        anchor_hash: &str,
        anchor_number: f64,
        max_walk: f64,
        fetched: f64,
    ) -> Result<JsValue, JsValue> {
        let number = u64_arg(number, "number")?;
        let anchor = (
            b256_arg(anchor_hash, "anchorHash")?,
            u64_arg(anchor_number, "anchorNumber")?,
        );
        let max_walk = u64_arg(max_walk, "maxWalk")?;
        if number > anchor.1 {
            return Err(js_error(
                "INVALID_ARGUMENT",
                "the block is above the anchor",
            ));
        }
        let answer = match self.inner.canonical_at(
            number,
            anchor,
            max_walk,
            u64_arg(fetched, "fetched")?,
        ) {
            Walk::Found { hash, .. } => WalkAnswer::Found { hash },
            Walk::Need(need) => WalkAnswer::Need { need },
            Walk::TooDeep { .. } => {
                return Err(js_error(
                    "CHAIN_WALK_TOO_DEEP",
                    "more unverified blocks between the block and the verified block than maxWalk",
                ));
            }
            Walk::Inconsistent(_) => {
                return Err(js_error(
                    "INVALID_HEADER_CHAIN",
                    "a held block does not fit the hash chain",
                ));
            }
        };
        Ok(output(&answer))
    }
}
