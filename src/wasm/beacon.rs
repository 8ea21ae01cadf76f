//! `BeaconLightClient` and `networkConfig`: the beacon light client for JS.
//!
//! The store is generic over the sync-committee size; this wrapper picks the
//! mainnet (512) or minimal (32) instance from the network's preset and
//! dispatches every call to it.

use alloy_primitives::B256;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

use super::convert::{Payload, b256_arg, json_value, payload, to_js_value, unix_seconds_arg};
use super::error::{invalid_argument, to_js};
use crate::beacon::{
    BeaconError, HeaderSummary, LightClient, LightClientBootstrap, LightClientFinalityUpdate,
    LightClientOptimisticUpdate, LightClientUpdate, MAINNET_SYNC_COMMITTEE_SIZE,
    MINIMAL_SYNC_COMMITTEE_SIZE, Network, UpdateOutcome, beacon_block_header_from_value,
    bootstrap_from_json, finality_update_from_json, header_from_data, optimistic_update_from_json,
    split_fork_digest, sync_committee_from_data, updates_from_json, updates_from_ssz,
};
use crate::ssz::TreeHash;

/// The JSON configuration of a known network (`mainnet`, `sepolia`, `hoodi`).
///
/// # Errors
/// `INVALID_CONFIG` for an unknown name.
#[wasm_bindgen(js_name = networkConfig)]
pub fn network_config(name: &str) -> Result<JsValue, JsValue> {
    Network::by_name(name)
        .map(|n| to_js_value(&n.config().to_json()))
        .map_err(to_js)
}

enum Client {
    Mainnet(LightClient<MAINNET_SYNC_COMMITTEE_SIZE>),
    Minimal(LightClient<MINIMAL_SYNC_COMMITTEE_SIZE>),
}

/// Runs `$body` with `$c` bound to the client of whichever preset is in use.
macro_rules! with_client {
    ($client:expr, $c:ident => $body:expr) => {
        match $client {
            Client::Mainnet($c) => $body,
            Client::Minimal($c) => $body,
        }
    };
}

/// A beacon-chain light client following the sync protocol.
#[wasm_bindgen]
pub struct BeaconLightClient {
    inner: Client,
}

#[wasm_bindgen]
impl BeaconLightClient {
    /// Starts from a bootstrap whose header root must equal the trusted block root.
    ///
    /// `network` is a name or a network configuration object; `bootstrap` the
    /// Beacon API JSON envelope (object or string) or SSZ prefixed by its
    /// 4-byte fork digest.
    ///
    /// # Errors
    /// `INVALID_CONFIG`, `DECODE_ERROR`, `TRUSTED_ROOT_MISMATCH`, `INVALID_BRANCH`, …
    #[wasm_bindgen(js_name = fromBootstrap)]
    pub fn from_bootstrap(
        network: JsValue,
        trusted_block_root: &str,
        bootstrap: JsValue,
    ) -> Result<BeaconLightClient, JsValue> {
        let network = parse_network(&network)?;
        let root = parse_root(trusted_block_root)?;
        let input = payload(&bootstrap)?;
        let inner = match network.preset().sync_committee_size {
            MAINNET_SYNC_COMMITTEE_SIZE => {
                Client::Mainnet(bootstrap_client(network, root, &input)?)
            }
            MINIMAL_SYNC_COMMITTEE_SIZE => {
                Client::Minimal(bootstrap_client(network, root, &input)?)
            }
            _ => return Err(invalid_argument("unsupported sync committee size")),
        };
        Ok(BeaconLightClient { inner })
    }

    /// Starts from a finalized header and its period's sync committee taken
    /// as trusted without a Merkle proof (a stored checkpoint such as
    /// sp1-helios keeps): `{ finalized_header, current_sync_committee,
    /// finalized_block_root? }` in Beacon API JSON. When
    /// `finalized_block_root` is present it must match the header. Prefer
    /// `fromBootstrap`, which proves the committee.
    ///
    /// # Errors
    /// `DECODE_ERROR`, `TRUSTED_ROOT_MISMATCH`, `INVALID_CONFIG`, …
    #[wasm_bindgen(js_name = fromTrustedStore)]
    pub fn from_trusted_store(
        network: JsValue,
        store: JsValue,
    ) -> Result<BeaconLightClient, JsValue> {
        let network = parse_network(&network)?;
        let v = json_value(&store)?;
        let inner = match network.preset().sync_committee_size {
            MAINNET_SYNC_COMMITTEE_SIZE => Client::Mainnet(trusted_client(network, &v)?),
            MINIMAL_SYNC_COMMITTEE_SIZE => Client::Minimal(trusted_client(network, &v)?),
            _ => return Err(invalid_argument("unsupported sync committee size")),
        };
        Ok(BeaconLightClient { inner })
    }

    /// Restores a client saved with `toBytes()`.
    ///
    /// # Errors
    /// `STORE_CORRUPTED`, `STORE_VERSION`, `WRONG_NETWORK`, …
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(network: JsValue, bytes: &[u8]) -> Result<BeaconLightClient, JsValue> {
        let network = parse_network(&network)?;
        let inner = match network.preset().sync_committee_size {
            MAINNET_SYNC_COMMITTEE_SIZE => {
                Client::Mainnet(LightClient::from_bytes(network, bytes).map_err(to_js)?)
            }
            MINIMAL_SYNC_COMMITTEE_SIZE => {
                Client::Minimal(LightClient::from_bytes(network, bytes).map_err(to_js)?)
            }
            _ => return Err(invalid_argument("unsupported sync committee size")),
        };
        Ok(BeaconLightClient { inner })
    }

    /// Serializes the store (versioned, with an integrity hash).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        with_client!(&self.inner, c => c.to_bytes())
    }

    /// Processes one `LightClientUpdate` (JSON envelope, or SSZ: one
    /// `/updates` chunk or fork-digest-prefixed bytes) at time `nowSec`.
    ///
    /// # Errors
    /// Any verification error, e.g. `INVALID_SIGNATURE`, `NOT_RELEVANT`.
    #[wasm_bindgen(js_name = processUpdate)]
    pub fn process_update(&mut self, update: JsValue, now_sec: f64) -> Result<JsValue, JsValue> {
        let now_ms = parse_now_ms(now_sec)?;
        let input = payload(&update)?;
        let outcome = with_client!(&mut self.inner, c => {
            let mut updates = parse_updates(c.network(), &input)?;
            if updates.len() != 1 {
                return Err(invalid_argument("expected exactly one update; use processUpdates"));
            }
            let update = updates.pop().ok_or_else(|| invalid_argument("no update"))?;
            let slot = c.update_slot_at_ms(now_ms);
            c.process_update_at_slot(&update, slot).map_err(to_js)?
        });
        Ok(outcome_js(&outcome))
    }

    /// Processes the updates of a `/updates` response (a JSON array, or the
    /// SSZ chunk list) in order; stops at the first error.
    ///
    /// # Errors
    /// The first update's verification error.
    #[wasm_bindgen(js_name = processUpdates)]
    pub fn process_updates(&mut self, updates: JsValue, now_sec: f64) -> Result<JsValue, JsValue> {
        let now_ms = parse_now_ms(now_sec)?;
        let input = payload(&updates)?;
        let outcomes: Vec<Value> = with_client!(&mut self.inner, c => {
            let updates = parse_updates(c.network(), &input)?;
            let mut out = Vec::with_capacity(updates.len());
            let slot = c.update_slot_at_ms(now_ms);
            for u in &updates {
                out.push(outcome_json(&c.process_update_at_slot(u, slot).map_err(to_js)?));
            }
            out
        });
        Ok(to_js_value(&Value::Array(outcomes)))
    }

    /// Processes a `LightClientFinalityUpdate`.
    ///
    /// # Errors
    /// Any verification error.
    #[wasm_bindgen(js_name = processFinalityUpdate)]
    pub fn process_finality_update(
        &mut self,
        update: JsValue,
        now_sec: f64,
    ) -> Result<JsValue, JsValue> {
        let now_ms = parse_now_ms(now_sec)?;
        let input = payload(&update)?;
        let outcome = with_client!(&mut self.inner, c => {
            let (fork, data) = match &input {
                Payload::Json(text) => {
                    let v = finality_update_from_json(text).map_err(to_js)?;
                    (v.fork, v.data)
                }
                Payload::Ssz(bytes) => {
                    let (fork, body) = split_fork_digest(c.network(), bytes).map_err(to_js)?;
                    (fork, LightClientFinalityUpdate::from_ssz_fork(body, fork).map_err(to_js)?)
                }
            };
            let slot = c.update_slot_at_ms(now_ms);
            c.process_update_at_slot(&data.into_update(fork), slot).map_err(to_js)?
        });
        Ok(outcome_js(&outcome))
    }

    /// Processes a `LightClientOptimisticUpdate`.
    ///
    /// # Errors
    /// Any verification error.
    #[wasm_bindgen(js_name = processOptimisticUpdate)]
    pub fn process_optimistic_update(
        &mut self,
        update: JsValue,
        now_sec: f64,
    ) -> Result<JsValue, JsValue> {
        let now_ms = parse_now_ms(now_sec)?;
        let input = payload(&update)?;
        let outcome = with_client!(&mut self.inner, c => {
            let (fork, data) = match &input {
                Payload::Json(text) => {
                    let v = optimistic_update_from_json(text).map_err(to_js)?;
                    (v.fork, v.data)
                }
                Payload::Ssz(bytes) => {
                    let (fork, body) = split_fork_digest(c.network(), bytes).map_err(to_js)?;
                    (fork, LightClientOptimisticUpdate::from_ssz_fork(body, fork).map_err(to_js)?)
                }
            };
            let slot = c.update_slot_at_ms(now_ms);
            c.process_update_at_slot(&data.into_update(fork), slot).map_err(to_js)?
        });
        Ok(outcome_js(&outcome))
    }

    /// Whether the update timeout has passed, so `forceUpdate` should be called.
    #[wasm_bindgen(js_name = forceUpdateDue)]
    pub fn force_update_due(&self, now_sec: f64) -> Result<bool, JsValue> {
        let now = parse_now(now_sec)?;
        Ok(with_client!(&self.inner, c => c.force_update_due(now)))
    }

    /// Applies the best valid update after the update timeout (the spec's force update).
    ///
    /// # Errors
    /// `FORCE_UPDATE_NOT_DUE` when the timeout has not passed or there is no update.
    #[wasm_bindgen(js_name = forceUpdate)]
    pub fn force_update(&mut self, now_sec: f64) -> Result<JsValue, JsValue> {
        let now = parse_now(now_sec)?;
        let outcome = with_client!(&mut self.inner, c => c.force_update(now).map_err(to_js)?);
        Ok(outcome_js(&outcome))
    }

    /// The finalized header: `{ slot, beaconRoot, execution }`.
    #[wasm_bindgen(getter)]
    pub fn finalized(&self) -> JsValue {
        to_js_value(&summary_json(
            &with_client!(&self.inner, c => c.finalized()),
        ))
    }

    /// The optimistic header: `{ slot, beaconRoot, execution }`.
    #[wasm_bindgen(getter)]
    pub fn optimistic(&self) -> JsValue {
        to_js_value(&summary_json(
            &with_client!(&self.inner, c => c.optimistic()),
        ))
    }

    /// The current slot at `nowSec` by the network's clock.
    #[wasm_bindgen(js_name = currentSlot)]
    pub fn current_slot(&self, now_sec: f64) -> Result<f64, JsValue> {
        let now = parse_now(now_sec)?;
        Ok(with_client!(&self.inner, c => c.current_slot(now)) as f64)
    }

    /// The network configuration this client follows.
    #[wasm_bindgen(getter)]
    pub fn network(&self) -> JsValue {
        to_js_value(&with_client!(&self.inner, c => c.network().config().to_json()))
    }

    /// Verifies that `headers[0]` is an ancestor of the finalized or
    /// optimistic header through the chain `headers` (oldest first, Beacon
    /// API `BeaconBlockHeader` objects, each the parent of the next, the last
    /// one the verified header). Returns the first header's root and slot.
    ///
    /// # Errors
    /// `INVALID_HEADER_CHAIN` if a link or the anchor does not match.
    #[wasm_bindgen(js_name = verifyAncestor)]
    pub fn verify_ancestor(&self, headers: JsValue) -> Result<JsValue, JsValue> {
        let v = json_value(&headers)?;
        let items = v
            .as_array()
            .ok_or_else(|| invalid_argument("expected an array of headers"))?;
        let headers = items
            .iter()
            .map(|h| beacon_block_header_from_value(h.get("message").unwrap_or(h)))
            .collect::<Result<Vec<_>, BeaconError>>()
            .map_err(to_js)?;
        let verified = with_client!(&self.inner, c => c.verify_ancestor(&headers).map_err(to_js)?);
        Ok(to_js_value(&json!({
            "slot": verified.slot,
            "beaconRoot": format!("{:#x}", verified.tree_hash_root()),
        })))
    }
}

impl BeaconLightClient {
    /// The mainnet-preset client (full beacon blocks use mainnet-preset containers).
    ///
    /// # Errors
    /// `WRONG_PRESET` for a minimal-preset client.
    pub(crate) fn mainnet_client(
        &self,
    ) -> Result<&LightClient<MAINNET_SYNC_COMMITTEE_SIZE>, JsValue> {
        match &self.inner {
            Client::Mainnet(c) => Ok(c),
            Client::Minimal(_) => Err(to_js(BeaconError::PresetMismatch {
                network: MINIMAL_SYNC_COMMITTEE_SIZE,
                client: MAINNET_SYNC_COMMITTEE_SIZE,
            })),
        }
    }
}

fn trusted_client<const S: usize>(network: Network, v: &Value) -> Result<LightClient<S>, JsValue> {
    let header_v = v
        .get("finalized_header")
        .ok_or_else(|| invalid_argument("missing finalized_header"))?;
    let slot = header_v
        .get("beacon")
        .and_then(|b| b.get("slot"))
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<u64>().ok())
        .ok_or_else(|| invalid_argument("finalized_header.beacon.slot must be a decimal string"))?;
    let fork = network.fork_at_epoch(network.epoch_at_slot(slot));
    let header = header_from_data(header_v, fork).map_err(to_js)?;
    if let Some(root) = v.get("finalized_block_root").and_then(Value::as_str) {
        let (expected, got) = (parse_root(root)?, header.beacon_root());
        if expected != got {
            return Err(to_js(BeaconError::TrustedRootMismatch { expected, got }));
        }
    }
    let committee = sync_committee_from_data::<S>(
        v.get("current_sync_committee")
            .ok_or_else(|| invalid_argument("missing current_sync_committee"))?,
    )
    .map_err(to_js)?;
    LightClient::from_trusted_committee(network, header, committee).map_err(to_js)
}

fn bootstrap_client<const S: usize>(
    network: Network,
    root: B256,
    input: &Payload,
) -> Result<LightClient<S>, JsValue> {
    let bootstrap = match input {
        Payload::Json(text) => bootstrap_from_json::<S>(text).map_err(to_js)?.data,
        Payload::Ssz(bytes) => {
            let (fork, body) = split_fork_digest(&network, bytes).map_err(to_js)?;
            LightClientBootstrap::from_ssz_fork(body, fork).map_err(to_js)?
        }
    };
    LightClient::from_bootstrap(network, root, &bootstrap).map_err(to_js)
}

/// Updates from JSON (one envelope or an array) or SSZ (the `/updates`
/// chunk list, or one fork-digest-prefixed update).
fn parse_updates<const S: usize>(
    network: &Network,
    input: &Payload,
) -> Result<Vec<LightClientUpdate<S>>, JsValue> {
    match input {
        Payload::Json(text) => Ok(updates_from_json::<S>(text)
            .map_err(to_js)?
            .into_iter()
            .map(|v| v.data)
            .collect()),
        Payload::Ssz(bytes) => match updates_from_ssz::<S>(network, bytes) {
            Ok(list) => Ok(list.into_iter().map(|v| v.data).collect()),
            Err(chunk_err) => {
                let (fork, body) =
                    split_fork_digest(network, bytes).map_err(|_| to_js(chunk_err))?;
                Ok(vec![
                    LightClientUpdate::from_ssz_fork(body, fork).map_err(to_js)?,
                ])
            }
        },
    }
}

/// A network from a name (`"mainnet"`), a configuration object, or its JSON text.
pub(super) fn parse_network(value: &JsValue) -> Result<Network, JsValue> {
    if let Some(name) = value.as_string()
        && !name.trim_start().starts_with('{')
    {
        return Network::by_name(&name).map_err(to_js);
    }
    Network::from_json(&json_value(value)?).map_err(to_js)
}

fn parse_root(text: &str) -> Result<B256, JsValue> {
    b256_arg(text, "trusted block root")
}

/// `nowSec` (fractional unix seconds) in whole milliseconds.
fn parse_now_ms(now_sec: f64) -> Result<u64, JsValue> {
    parse_now(now_sec)?;
    // In range and non-negative: at most ~9e18, which fits a u64.
    Ok((now_sec * 1000.0) as u64)
}

fn parse_now(now_sec: f64) -> Result<u64, JsValue> {
    unix_seconds_arg(now_sec)
}

fn summary_json(s: &HeaderSummary) -> Value {
    json!({
        "slot": s.slot,
        "beaconRoot": format!("{:#x}", s.beacon_root),
        "parentRoot": format!("{:#x}", s.parent_root),
        "execution": s.execution.map(|e| json!({
            "blockHash": format!("{:#x}", e.block_hash),
            "parentHash": format!("{:#x}", e.parent_hash),
            "blockNumber": e.block_number,
            "stateRoot": format!("{:#x}", e.state_root),
            "receiptsRoot": format!("{:#x}", e.receipts_root),
            "timestamp": e.timestamp,
        })),
    })
}

fn outcome_json(o: &UpdateOutcome) -> Value {
    json!({
        "participants": o.participants,
        "finalizedAdvanced": o.finalized_advanced,
        "optimisticAdvanced": o.optimistic_advanced,
        "nextCommitteeLearned": o.next_committee_learned,
        "committeeRotated": o.committee_rotated,
        "becameBestUpdate": o.became_best_update,
    })
}

fn outcome_js(o: &UpdateOutcome) -> JsValue {
    to_js_value(&outcome_json(o))
}

impl BeaconLightClient {
    /// The verified execution heads (none before Capella) and the network's
    /// L1 timing, for L1-block statuses (crate-internal: JS cannot substitute them).
    pub(crate) fn l1_heads(
        &self,
    ) -> (
        Option<crate::confidence::l1_blocks::L1Heads>,
        crate::rollup::L1Timing,
    ) {
        use crate::confidence::l1_blocks::{ExecutionHead, L1Heads};
        let (fin, opt, timing) = with_client!(&self.inner, c => {
            let net = c.network();
            let timing = crate::rollup::L1Timing {
                genesis_time: net.genesis_time(),
                seconds_per_slot: net.seconds_per_slot(),
                slots_per_epoch: net.preset().slots_per_epoch,
            };
            (c.finalized(), c.optimistic(), timing)
        });
        let head = |s: &HeaderSummary| {
            s.execution.map(|e| ExecutionHead {
                hash: e.block_hash,
                number: e.block_number,
                timestamp: e.timestamp,
            })
        };
        let heads = match (head(&fin), head(&opt)) {
            (Some(finalized), Some(optimistic)) => Some(L1Heads {
                finalized,
                optimistic,
            }),
            _ => None,
        };
        (heads, timing)
    }

    /// The client's finalized or optimistic header as a verified L1 header
    /// (for the rollup engine; crate-internal so JS cannot substitute one).
    pub(crate) fn l1_header(
        &self,
        head: crate::confidence::LightClientHead,
        timing: &crate::rollup::L1Timing,
    ) -> Result<crate::Verified<crate::confidence::L1Header>, crate::confidence::L1VerifyError>
    {
        with_client!(&self.inner, c => crate::confidence::l1_adapter::from_light_client(c, head, timing))
    }
}
