//! `PreconfEngine` for JS: a thin layer over [`crate::confidence::EngineDriver`].
//!
//! JS never hands the engine an L1 fact: every L1 method takes raw data (the
//! wasm `BeaconLightClient` object, `eth_getBlockByHash`,
//! `eth_getBlockReceipts`, `eth_getProof` JSON, SP1 proof bytes) and the L1
//! adapter (`crate::rollup::l1_verify`) verifies it inside wasm. The engine
//! reads the light client's verified headers when `ingestLightClient(client)`
//! is called; it does not own the client, so the caller keeps syncing it.

use alloy_primitives::B256;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

use super::beacon::BeaconLightClient;
use super::convert::{Payload, json_value, payload, to_js_value};
use super::error::{invalid_argument, to_js};
use crate::confidence::{ActionSpec, ConfidenceStatus, EngineDriver, Event, L1Progress, Subject};
use crate::execution::verify_block;
use crate::rollup::certificate::CommitteeMember;
use crate::rollup::l1_verify::{anchor_from_genesis, anchor_from_storage};
use crate::rollup::{FeedMessage, L2Header, LightClientHead, RollupError, RollupSetup};

/// The confidence engine of one rollup.
#[wasm_bindgen(js_name = PreconfEngine)]
pub struct WasmPreconfEngine {
    driver: EngineDriver,
}

fn hash_arg(text: &str, what: &str) -> Result<B256, JsValue> {
    text.parse::<B256>()
        .map_err(|_| invalid_argument(&format!("{what} must be a 0x-prefixed 32-byte hex string")))
}

fn hex(h: &B256) -> String {
    format!("{h:#x}")
}

fn level_json(l: crate::confidence::Level) -> Value {
    json!(l.as_str())
}

fn subject_json(s: &Subject) -> Value {
    match s {
        Subject::Block(h) => json!({ "kind": "block", "hash": hex(h) }),
        Subject::Action(id) => json!({ "kind": "action", "id": id }),
    }
}

fn event_json(e: &Event) -> Value {
    match e {
        Event::LevelChanged {
            subject,
            from,
            to,
            reason,
        } => json!({
            "type": "levelChanged", "subject": subject_json(subject),
            "from": level_json(*from), "to": level_json(*to),
            "downgrade": to.rank() < from.rank(), "reason": reason,
        }),
        Event::Equivocation(ev) => {
            let (a, b) = ev.block_hashes();
            json!({ "type": "equivocation", "blocks": [hex(&a), hex(&b)] })
        }
        Event::CommitmentRejected(r) => json!({
            "type": "commitmentRejected", "l1BeaconRoot": hex(&r.l1_beacon_root),
            "l2Hash": hex(&r.l2_hash), "reason": format!("{:?}", r.reason),
        }),
        Event::BasedMode { active } => json!({ "type": "basedMode", "active": active }),
    }
}

fn events_js(events: &[Event]) -> JsValue {
    to_js_value(&Value::Array(events.iter().map(event_json).collect()))
}

fn progress_js(p: &L1Progress) -> JsValue {
    to_js_value(&json!({
        "events": p.events.iter().map(event_json).collect::<Vec<_>>(),
        "needBlock": p.need_block.as_ref().map(hex),
        "needReceipts": p.need_receipts.iter().map(hex).collect::<Vec<_>>(),
    }))
}

fn status_js(s: Option<ConfidenceStatus>) -> JsValue {
    let Some(s) = s else {
        return JsValue::NULL;
    };
    let live = &s.liveness;
    to_js_value(&json!({
        "level": level_json(s.level),
        "blockHash": s.block_hash.as_ref().map(hex),
        "blockNumber": s.block_number,
        "mayRevertIf": s.revert_risks,
        "reason": s.last_downgrade,
        "nextLevel": s.next_level.map(level_json),
        "eta": s.next_level_eta,
        "l1Inclusion": s.l1_inclusion.map(|i| json!({ "beaconRoot": hex(&i.beacon_root), "slot": i.slot })),
        "executionChecked": s.execution_checked,
        "proven": s.proven,
        "liveness": {
            "currentSlot": live.current_slot,
            "slotsSinceLastCommitment": live.slots_since_last_commitment,
            "slotsUntilBasedMode": live.slots_until_based_mode,
            "basedMode": live.based_mode,
            "forcedDue": live.forced_due.iter().map(|f| json!({
                "txHash": hex(&f.tx_hash), "deadlineSlot": f.deadline_slot, "requestedSlot": f.requested_slot,
            })).collect::<Vec<_>>(),
            "awaitingHeader": live.awaiting_header.as_ref().map(hex),
        },
        "blockTag": s.level.block_tag(),
        "eip5792Status": s.level.eip5792_status(),
        "oasisStatus": s.level.oasis_status(),
    }))
}

fn feed_message(msg: &JsValue) -> Result<FeedMessage, JsValue> {
    match payload(msg)? {
        Payload::Json(text) => FeedMessage::from_json(&text).map_err(to_js),
        Payload::Ssz(bytes) => FeedMessage::decode_binary(&bytes).map_err(to_js),
    }
}

fn l2_header(v: &Value) -> Result<L2Header, JsValue> {
    let h = v.get("header").unwrap_or(v);
    serde_json::from_value(h.clone()).map_err(|_| to_js(RollupError::Malformed("L2 header JSON")))
}

fn hashes(v: &Value, key: &str) -> Result<Vec<B256>, JsValue> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| hash_arg(i.as_str().unwrap_or_default(), key))
            .collect(),
        Some(_) => Err(invalid_argument(&format!(
            "{key} must be an array of hashes"
        ))),
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
        let driver = EngineDriver::new(setup, finalized, anchor).map_err(to_js)?;
        Ok(WasmPreconfEngine { driver })
    }

    /// `keccak(rlp(config))`, as bound into SP1 public values.
    #[wasm_bindgen(getter, js_name = configHash)]
    pub fn config_hash(&self) -> String {
        hex(&self.driver.setup().config.config_hash())
    }

    /// Verifies and adds an L2 block with its certificate: a feed message as
    /// JSON (object or string) or binary RLP (`Uint8Array`). Returns the events.
    ///
    /// # Errors
    /// `MALFORMED`, `INVALID_SIGNATURE`, `BELOW_THRESHOLD`, `UNKNOWN_PARENT`, …
    #[wasm_bindgen(js_name = ingestL2Block)]
    pub fn ingest_l2_block(&mut self, message: JsValue) -> Result<JsValue, JsValue> {
        let msg = feed_message(&message)?;
        let events = self
            .driver
            .engine_mut()
            .ingest_feed_message(msg)
            .map_err(to_js)?;
        Ok(events_js(&events))
    }

    /// Verifies an L2 block and its certificate against the engine's state
    /// without adding it; returns its hash.
    ///
    /// # Errors
    /// As `ingestL2Block`.
    #[wasm_bindgen(js_name = verifyL2Block)]
    pub fn verify_l2_block(&self, message: JsValue) -> Result<String, JsValue> {
        let msg = feed_message(&message)?;
        let checked = self.driver.engine().verify_l2_block(msg).map_err(to_js)?;
        Ok(hex(&checked.hash))
    }

    /// Reads the light client's verified optimistic and finalized headers.
    /// Returns `{ events, needBlock, needReceipts }`: fetch `needBlock` with
    /// `eth_getBlockByHash` for `ingestL1Block`, and each of `needReceipts`
    /// with `eth_getBlockReceipts` for `ingestL1Receipts`.
    ///
    /// # Errors
    /// `NO_EXECUTION_PAYLOAD`, `L1_TIMING_MISMATCH`, `FINALITY_VIOLATION`, …
    #[wasm_bindgen(js_name = ingestLightClient)]
    pub fn ingest_light_client(&mut self, client: &BeaconLightClient) -> Result<JsValue, JsValue> {
        let timing = self.driver.setup().config.l1;
        let head = client
            .l1_header(LightClientHead::Optimistic, &timing)
            .map_err(to_js)?;
        let fin = client
            .l1_header(LightClientHead::Finalized, &timing)
            .map_err(to_js)?;
        let p = self.driver.ingest_l1_heads(head, fin).map_err(to_js)?;
        Ok(progress_js(&p))
    }

    /// Takes the `eth_getBlockByHash` answer for a requested `needBlock`: it
    /// must hash to the parent hash of a verified L1 block the engine holds.
    ///
    /// # Errors
    /// `HEADER_HASH_MISMATCH`, `L1_BLOCK_NOT_REQUESTED`, `NO_PARENT_BEACON_ROOT`,
    /// `TIMESTAMP_NOT_ON_SLOT`, …
    #[wasm_bindgen(js_name = ingestL1Block)]
    pub fn ingest_l1_block(&mut self, block: JsValue) -> Result<JsValue, JsValue> {
        let block = verify_block(&json_value(&block)?, None).map_err(to_js)?;
        let p = self.driver.ingest_parent_block(&block).map_err(to_js)?;
        Ok(progress_js(&p))
    }

    /// Takes the `eth_getBlockReceipts` answer of an ingested L1 block; its
    /// inbox logs are checked against the block's verified receipts root.
    ///
    /// # Errors
    /// `UNKNOWN_L1_BLOCK`, `RECEIPTS_ROOT_MISMATCH`, `BLOOM_MISMATCH`, …
    #[wasm_bindgen(js_name = ingestL1Receipts)]
    pub fn ingest_l1_receipts(
        &mut self,
        block_hash: &str,
        receipts: JsValue,
    ) -> Result<JsValue, JsValue> {
        let hash = hash_arg(block_hash, "blockHash")?;
        let p = self
            .driver
            .ingest_receipts(hash, &json_value(&receipts)?)
            .map_err(to_js)?;
        Ok(progress_js(&p))
    }

    /// Records an action's L1 leg: the L1 block with full transactions
    /// (`eth_getBlockByHash(hash, true)`), its `eth_getBlockReceipts`, and the
    /// transaction hash. Returns the events.
    ///
    /// # Errors
    /// `UNKNOWN_L1_BLOCK`, `TRANSACTIONS_UNVERIFIED`, `TRANSACTION_NOT_IN_BLOCK`, …
    #[wasm_bindgen(js_name = ingestL1TxReceipt)]
    pub fn ingest_l1_tx_receipt(
        &mut self,
        block: JsValue,
        receipts: JsValue,
        tx_hash: &str,
    ) -> Result<JsValue, JsValue> {
        let tx = hash_arg(tx_hash, "txHash")?;
        let block = verify_block(&json_value(&block)?, None).map_err(to_js)?;
        let events = self
            .driver
            .ingest_l1_tx_receipt(&block, &json_value(&receipts)?, tx)
            .map_err(to_js)?;
        Ok(events_js(&events))
    }

    /// Adds a committee announced in the inbox: the `eth_getProof` answer for
    /// the inbox and the committee's two storage keys at a held L1 block, and
    /// the member list `[{ pubkey, weight }]`.
    ///
    /// # Errors
    /// `UNKNOWN_L1_BLOCK`, `PROOF_SUBJECT_MISMATCH`, `COMMITTEE_NOT_ANNOUNCED`,
    /// `COMMITTEE_MISMATCH`, …
    #[wasm_bindgen(js_name = ingestCommittee)]
    pub fn ingest_committee(
        &mut self,
        block_hash: &str,
        proof: JsValue,
        committee_id: f64,
        members: JsValue,
    ) -> Result<(), JsValue> {
        let hash = hash_arg(block_hash, "blockHash")?;
        if !(0.0..=9_007_199_254_740_991.0).contains(&committee_id) || committee_id.fract() != 0.0 {
            return Err(invalid_argument(
                "committeeId must be a non-negative integer",
            ));
        }
        let members: Vec<CommitteeMember> = serde_json::from_value(json_value(&members)?)
            .map_err(|_| invalid_argument("members must be [{ pubkey, weight }]"))?;
        self.driver
            .ingest_committee(hash, &json_value(&proof)?, committee_id as u64, &members)
            .map_err(to_js)
    }

    /// Verifies an SP1 proof of the config's `batchProgramVkey` and marks the
    /// blocks it proves.
    ///
    /// # Errors
    /// `NO_BATCH_PROGRAM`, any SP1 verification code, `PUBLIC_VALUES_MISMATCH`, `NOT_TRACKED`.
    #[wasm_bindgen(js_name = ingestBatchProof)]
    pub fn ingest_batch_proof(
        &mut self,
        proof: &[u8],
        public_values: &[u8],
    ) -> Result<(), JsValue> {
        self.driver
            .ingest_batch_proof(proof, public_values)
            .map_err(to_js)
    }

    /// Advances the engine's clock to `nowSec` (unix seconds); returns the events.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for a negative or non-finite time.
    pub fn tick(&mut self, now_sec: f64) -> Result<JsValue, JsValue> {
        if !(0.0..=9_007_199_254_740_991.0).contains(&now_sec) {
            return Err(invalid_argument("nowSec must be non-negative unix seconds"));
        }
        Ok(events_js(&self.driver.engine_mut().tick(now_sec as u64)))
    }

    /// The status of an L2 block, or `null` if unknown.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for a bad hash.
    #[wasm_bindgen(js_name = statusOfBlock)]
    pub fn status_of_block(&self, hash: &str) -> Result<JsValue, JsValue> {
        let h = hash_arg(hash, "hash")?;
        Ok(status_js(self.driver.engine().status_of_block(&h)))
    }

    /// The status of an L2 transaction (its best block), or `null` if unknown.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for a bad hash.
    #[wasm_bindgen(js_name = statusOfTx)]
    pub fn status_of_tx(&self, hash: &str) -> Result<JsValue, JsValue> {
        let h = hash_arg(hash, "hash")?;
        Ok(status_js(self.driver.engine().status_of_tx(&h)))
    }

    /// The hash of the L2 block at `number` on the engine's best chain (committed, then preferred), or `null`.
    #[wasm_bindgen(js_name = blockHashAt)]
    pub fn block_hash_at(&self, number: f64) -> Option<String> {
        if !(0.0..=9_007_199_254_740_991.0).contains(&number) || number.fract() != 0.0 {
            return None;
        }
        self.driver
            .engine()
            .chain()
            .best_hash_at(number as u64)
            .map(|h| hex(&h))
    }

    /// Tracks a cross-domain action `{ l2Txs, l1Txs, atomicSlot? }`; returns its id.
    ///
    /// # Errors
    /// `INVALID_ARGUMENT` for a bad spec.
    #[wasm_bindgen(js_name = trackAction)]
    pub fn track_action(&mut self, spec: JsValue) -> Result<f64, JsValue> {
        let v = json_value(&spec)?;
        let spec = ActionSpec {
            l2_txs: hashes(&v, "l2Txs")?,
            l1_txs: hashes(&v, "l1Txs")?,
            atomic_slot: v.get("atomicSlot").and_then(Value::as_u64),
        };
        Ok(self.driver.engine_mut().track_action(spec) as f64)
    }

    /// The status of a tracked action (with its EIP-5792 code), or `null`.
    #[wasm_bindgen(js_name = statusOfAction)]
    pub fn status_of_action(&self, id: f64) -> JsValue {
        if !(0.0..=9_007_199_254_740_991.0).contains(&id) {
            return JsValue::NULL;
        }
        let engine = self.driver.engine();
        let status = status_js(engine.status_of_action(id as u64));
        if let Some(code) = engine.eip5792_status_of_action(id as u64) {
            let _ =
                js_sys::Reflect::set(&status, &JsValue::from_str("eip5792Status"), &code.into());
        }
        status
    }
}
