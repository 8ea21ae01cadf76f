//! `PreconfEngine` for JS: the one door of [`crate::confidence::Engine`].
//!
//! `step(input, client)` takes one [`Input`] as its JSON (an object with one
//! key, the variant's name) and returns the core's [`crate::confidence::Step`]
//! as it serializes; `query(query)` takes a [`Query`] and returns the
//! [`crate::confidence::Answer`]. This layer converts and calls the core; it
//! knows three inputs by name only because their values are not plain data:
//! `lightClient` (the verified heads are read from the `BeaconLightClient`
//! passed along, never taken from JS), `l2Block` (a feed message may also be
//! JSON text or binary RLP) and `batchProof` (the SP1 proof is checked
//! first, then its claim enters the engine). The other inputs and the
//! queries are read field by field ([`data_input`]): serde's derived
//! deserializers cost ~20 KiB of the module (docs/BENCHMARKS.md, "The
//! rollup engine's door"), this reading a few hundred bytes; a new input is
//! a new [`Input`] variant and its arm there, nothing in TypeScript.

use alloy_primitives::B256;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::beacon::BeaconLightClient;
use super::convert::{
    Payload, b256_arg, bytes_arg, field, json_value, output, payload, u64_arg, unix_seconds_arg,
};
use super::error::{invalid_argument, to_js};
use crate::confidence::l1_adapter::{anchor_from_genesis, anchor_from_storage};
use crate::confidence::{ActionSpec, Engine, Input, LightClientHead, Query};
use crate::rollup::certificate::CommitteeMember;
use crate::rollup::{FeedMessage, L2Header, RollupError, RollupSetup};

/// The confidence engine of one rollup.
#[wasm_bindgen(js_name = PreconfEngine)]
pub struct WasmPreconfEngine {
    engine: Engine,
}

fn feed_message(msg: &JsValue) -> Result<FeedMessage, JsValue> {
    #[cfg(feature = "boundary-swb")]
    if msg.is_object() && !msg.is_instance_of::<js_sys::Uint8Array>() {
        return serde_wasm_bindgen::from_value(msg.clone())
            .map_err(|_| to_js(RollupError::Malformed("feed message JSON")));
    }
    match payload(msg)? {
        Payload::Json(text) => FeedMessage::from_json(&text).map_err(to_js),
        Payload::Ssz(bytes) => FeedMessage::decode_binary(&bytes).map_err(to_js),
    }
}

fn l2_header(v: &Value) -> Result<L2Header, JsValue> {
    let h = v.get("header").unwrap_or(v);
    serde_json::from_value(h.clone()).map_err(|_| to_js(RollupError::Malformed("L2 header JSON")))
}

/// A hash given as a 0x string.
fn hash_value(value: &JsValue, what: &str) -> Result<B256, JsValue> {
    b256_arg(&value.as_string().unwrap_or_default(), what)
}

/// A non-negative safe integer given as a JS number.
fn number_value(value: &JsValue, what: &str) -> Result<u64, JsValue> {
    u64_arg(value.as_f64().unwrap_or(-1.0), what)
}

/// An array of hashes (absent or `null`: none).
fn hashes_value(value: &JsValue, what: &str) -> Result<Vec<B256>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !js_sys::Array::is_array(value) {
        return Err(invalid_argument(&format!(
            "{what} must be an array of hashes"
        )));
    }
    js_sys::Array::from(value)
        .iter()
        .map(|h| hash_value(&h, what))
        .collect()
}

/// The inputs whose values are plain data, read into the core's [`Input`].
fn data_input(name: &str, v: &JsValue) -> Result<Input, JsValue> {
    let json = |key: &str| json_value(&field(v, key)?);
    Ok(match name {
        "l2Block" => Input::L2Block(feed_message(v)?),
        "l1Block" => Input::L1Block(json_value(v)?),
        "l1Receipts" => Input::L1Receipts {
            block_hash: hash_value(&field(v, "blockHash")?, "blockHash")?,
            receipts: json("receipts")?,
        },
        "l1TxReceipt" => Input::L1TxReceipt {
            block: json("block")?,
            receipts: json("receipts")?,
            tx_hash: hash_value(&field(v, "txHash")?, "txHash")?,
        },
        "committee" => Input::Committee {
            block_hash: hash_value(&field(v, "blockHash")?, "blockHash")?,
            proof: json("proof")?,
            committee_id: number_value(&field(v, "committeeId")?, "committeeId")?,
            members: serde_json::from_value::<Vec<CommitteeMember>>(json("members")?)
                .map_err(|_| invalid_argument("members must be [{ pubkey, weight }]"))?,
        },
        "trackAction" => {
            let slot = field(v, "atomicSlot")?;
            Input::TrackAction(ActionSpec {
                l2_txs: hashes_value(&field(v, "l2Txs")?, "l2Txs")?,
                l1_txs: hashes_value(&field(v, "l1Txs")?, "l1Txs")?,
                atomic_slot: if slot.is_undefined() || slot.is_null() {
                    None
                } else {
                    Some(number_value(&slot, "atomicSlot")?)
                },
            })
        }
        "tick" => Input::Tick(unix_seconds_arg(v.as_f64().unwrap_or(-1.0))?),
        _ => return Err(invalid_argument(&format!("unknown engine input {name}"))),
    })
}

/// The one key of an input object.
fn variant(input: &JsValue) -> Result<String, JsValue> {
    let keys = if input.is_object() {
        js_sys::Object::keys(input.unchecked_ref::<js_sys::Object>())
    } else {
        js_sys::Array::new()
    };
    match (keys.length(), keys.get(0).as_string()) {
        (1, Some(name)) => Ok(name),
        _ => Err(invalid_argument(
            "an engine input is an object with one key, e.g. { l2Block: message }",
        )),
    }
}

#[wasm_bindgen(js_class = PreconfEngine)]
impl WasmPreconfEngine {
    /// Starts an engine for the rollup `config` (the `rollup` object of the
    /// devnet's client config, or the whole client config), anchored at the
    /// light client's finalized header.
    ///
    /// `anchor` is `undefined` to start from the config's `genesis` block
    /// without a proof (sound only before the first commitment), or
    /// `{ proof, header? }`: the `eth_getProof` answer for the inbox's
    /// `committedHead` slot at the finalized block and the L2 header it
    /// commits (default: the config's genesis, which a zero word, nothing
    /// committed, also needs).
    ///
    /// # Errors
    /// `INVALID_CONFIG`, `COMMITTEE_MISMATCH`, `NO_EXECUTION_PAYLOAD`,
    /// `L1_TIMING_MISMATCH`, `COMMITTED_HEAD_MISMATCH`, `INVALID_PROOF`, …
    #[wasm_bindgen(constructor)]
    pub fn new(
        config: JsValue,
        client: &BeaconLightClient,
        anchor: JsValue,
    ) -> Result<WasmPreconfEngine, JsValue> {
        let setup = RollupSetup::from_json(&json_value(&config)?).map_err(to_js)?;
        let finalized = client
            .l1_header(LightClientHead::Finalized, &setup.config.l1)
            .map_err(to_js)?;
        let anchor = if anchor.is_undefined() || anchor.is_null() {
            let genesis = setup
                .genesis
                .clone()
                .ok_or_else(|| to_js(RollupError::InvalidConfig("genesis (or pass an anchor)")))?;
            anchor_from_genesis(&setup.config, &finalized, genesis).map_err(to_js)?
        } else {
            let a = json_value(&anchor)?;
            let proof = a
                .get("proof")
                .ok_or_else(|| invalid_argument("anchor.proof is required"))?;
            let header = match a.get("header") {
                Some(h) if !h.is_null() => l2_header(h)?,
                _ => setup.genesis.clone().ok_or_else(|| {
                    to_js(RollupError::InvalidConfig("genesis (or anchor.header)"))
                })?,
            };
            anchor_from_storage(&setup.config, &finalized, proof, header).map_err(to_js)?
        };
        let engine = Engine::new(setup, finalized, anchor).map_err(to_js)?;
        Ok(WasmPreconfEngine { engine })
    }

    /// `keccak(rlp(config))`, as bound into SP1 public values.
    #[wasm_bindgen(getter, js_name = configHash)]
    pub fn config_hash(&self) -> String {
        format!("{:#x}", self.engine.setup().config.config_hash())
    }

    /// Takes one input (`{ l2Block }`, `{ lightClient: true }`, `{ l1Block }`,
    /// `{ l1Receipts: { blockHash, receipts } }`, `{ l1TxReceipt: { block,
    /// receipts, txHash } }`, `{ committee: { blockHash, proof, committeeId,
    /// members } }`, `{ batchProof: { proof, publicValues } }`,
    /// `{ trackAction: spec }`, `{ tick: nowSec }`) and returns the step
    /// `{ added, events, needs }`. `client` is the light client the engine
    /// was anchored on (read by `lightClient` only).
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for an input of no known shape; otherwise the code
    /// of the first check the input fails (nothing changed then).
    pub fn step(&mut self, input: JsValue, client: &BeaconLightClient) -> Result<JsValue, JsValue> {
        let name = variant(&input)?;
        let value = field(&input, &name)?;
        let input = match name.as_str() {
            "lightClient" => {
                let timing = self.engine.setup().config.l1;
                let read = |head| client.l1_header(head, &timing).map_err(to_js);
                Input::L1Heads {
                    head: read(LightClientHead::Optimistic)?,
                    finalized: read(LightClientHead::Finalized)?,
                }
            }
            "batchProof" => {
                let proof = bytes_arg(&field(&value, "proof")?, "proof")?;
                let values = bytes_arg(&field(&value, "publicValues")?, "publicValues")?;
                let claim = self
                    .engine
                    .verify_batch_proof(&proof, &values)
                    .map_err(to_js)?;
                Input::BatchProof(claim)
            }
            _ => data_input(&name, &value)?,
        };
        let step = self.engine.step(input).map_err(to_js)?;
        Ok(output(&step))
    }

    /// Answers a query: `{ block: hash }`, `{ number }` (the best chain),
    /// `{ tx: hash }` and `{ action: id }` give a status or `null`;
    /// `"liveness"` gives the liveness; `{ missing: height }` the heights
    /// `{ from, to }` a block at that height with no held parent waits for
    /// (or `null`: fetch its parent by hash, or nothing below the anchor).
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for a query of no known shape (e.g. a bad hash).
    pub fn query(&self, query: JsValue) -> Result<JsValue, JsValue> {
        let query = if query.as_string().as_deref() == Some("liveness") {
            Query::Liveness
        } else {
            let name = variant(&query)?;
            let value = field(&query, &name)?;
            match name.as_str() {
                "block" => Query::Block(hash_value(&value, "block")?),
                "tx" => Query::Tx(hash_value(&value, "tx")?),
                "number" => Query::Number(number_value(&value, "number")?),
                "action" => Query::Action(number_value(&value, "action")?),
                "missing" => Query::Missing(number_value(&value, "missing")?),
                _ => return Err(invalid_argument(&format!("unknown query {name}"))),
            }
        };
        Ok(output(&self.engine.query(&query)))
    }
}
