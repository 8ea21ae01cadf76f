//! Full beacon blocks (`BeaconLightClient.verifyBlock`): the decoder side.
//!
//! The block decoder (every body container, Bellatrix to Fulu, SSZ and JSON)
//! is ~50 KiB of the core's gzip and no first-use path needs it, so the npm
//! package ships it in its own module (`preconf_light_blocks_bg.wasm`,
//! feature `wasm-blocks`) that its JS loads on first use. The core resolves
//! the verified headers (its store, or a header chain it verifies) and hands
//! them, with the network and the block, to [`verify_block_against`]: here
//! directly when this build holds the decoder (feature `blocks`), otherwise
//! through the package's own `dist/blocks-bridge.js` into the blocks module,
//! which runs the same function on the same arguments.
//!
//! Trust: the candidates the core passes are headers it verified, the
//! network is its own; both modules and the glue are this package's files,
//! so the block is checked against nothing that came from outside unverified.

use wasm_bindgen::prelude::*;

use crate::Verified;
use crate::beacon::{BeaconBlockHeader, Network};

#[cfg(feature = "blocks")]
use {
    super::convert::{Payload, json_value, payload, to_js_value},
    super::error::{js_error, to_js},
    crate::execution::beacon_block::payload_fork,
    crate::execution::{SignedBeaconBlock, VerifiedBeaconBlock, verify_beacon_block},
    crate::ssz::SszDecode,
    alloy_primitives::B256,
    serde_json::{Value, json},
};

/// Verifies `block` against the verified header among `candidates` (the one
/// at the block's slot when `by_slot`, else the only one) and shapes the
/// verified payload for JS.
///
/// # Errors
/// As `BeaconLightClient.verifyBlock`.
#[cfg(feature = "blocks")]
pub(crate) fn verify_block_against(
    network: &Network,
    candidates: &[Verified<BeaconBlockHeader>],
    by_slot: bool,
    block: &JsValue,
    fork: Option<String>,
) -> Result<JsValue, JsValue> {
    let fork = fork
        .as_deref()
        .map(payload_fork)
        .transpose()
        .map_err(to_js)?;
    let block = match payload(block)? {
        Payload::Ssz(bytes) => {
            let fork = fork.ok_or_else(|| {
                js_error(
                    "WRONG_FORK",
                    "SSZ blocks need the fork name (Eth-Consensus-Version)",
                )
            })?;
            SignedBeaconBlock::from_ssz(&bytes, fork).map_err(to_js)?
        }
        Payload::Json(text) => {
            let v: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| js_error("DECODE_ERROR", &format!("invalid JSON: {e}")))?;
            SignedBeaconBlock::from_json(&v, fork).map_err(to_js)?
        }
    };
    let header = if by_slot {
        candidates.iter().find(|h| h.slot == block.slot)
    } else {
        candidates.first()
    }
    .ok_or_else(|| {
        js_error(
            "INVALID_HEADER_CHAIN",
            &format!(
                "no verified header at slot {}; pass the header chain to a verified header",
                block.slot
            ),
        )
    })?;
    let verified = verify_beacon_block(network, header, &block).map_err(to_js)?;
    Ok(to_js_value(&beacon_block_json(&verified)))
}

/// The blocks module's entry for the core (`dist/blocks-bridge.js` calls it):
/// `network` the core's network configuration, `candidates` its verified
/// headers as concatenated SSZ, then as [`verify_block_against`].
///
/// # Errors
/// As `BeaconLightClient.verifyBlock`; `INVALID_ARGUMENT` for inputs the
/// core never sends.
#[cfg(feature = "wasm-blocks")]
#[wasm_bindgen(js_name = verifyBlockForCore)]
pub fn verify_block_for_core(
    network: JsValue,
    candidates: &[u8],
    by_slot: bool,
    block: JsValue,
    fork: Option<String>,
) -> Result<JsValue, JsValue> {
    let network = Network::from_json(&json_value(&network)?).map_err(to_js)?;
    let candidates = candidates
        .chunks(BeaconBlockHeader::FIXED_LEN.unwrap_or(112))
        .map(|h| BeaconBlockHeader::from_ssz(h).map(Verified::new_unchecked))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| super::error::invalid_argument("candidates must be SSZ headers"))?;
    verify_block_against(&network, &candidates, by_slot, &block, fork)
}

#[cfg(not(feature = "blocks"))]
#[wasm_bindgen(raw_module = "../dist/blocks-bridge.js")]
extern "C" {
    /// Runs [`verify_block_for_core`] in the loaded blocks module, or throws
    /// `BLOCKS_MODULE_NOT_LOADED`.
    #[wasm_bindgen(js_name = verifyBlockForCore, catch)]
    fn verify_block_for_core(
        network: JsValue,
        candidates: &[u8],
        by_slot: bool,
        block: &JsValue,
        fork: Option<String>,
    ) -> Result<JsValue, JsValue>;
}

/// The core's side: the same call, in the blocks module.
///
/// # Errors
/// Whatever the blocks module throws (its `PreconfLightError`), or
/// `BLOCKS_MODULE_NOT_LOADED`.
#[cfg(not(feature = "blocks"))]
pub(crate) fn verify_block_against(
    network: &Network,
    candidates: &[Verified<BeaconBlockHeader>],
    by_slot: bool,
    block: &JsValue,
    fork: Option<String>,
) -> Result<JsValue, JsValue> {
    use crate::ssz::SszEncode;
    let config = super::convert::to_js_value(&network.config().to_json());
    let ssz: Vec<u8> = candidates.iter().flat_map(|h| h.to_ssz()).collect();
    verify_block_for_core(config, &ssz, by_slot, block, fork)
}

#[cfg(feature = "blocks")]
fn beacon_block_json(v: &VerifiedBeaconBlock) -> Value {
    let h = &v.execution.header;
    let hex = |b: Option<B256>| b.map(|b| format!("{b:#x}"));
    json!({
        "hash": format!("{:#x}", v.execution.hash),
        "number": h.number,
        "parentHash": format!("{:#x}", h.parent_hash),
        "timestamp": h.timestamp,
        "stateRoot": format!("{:#x}", h.state_root),
        "receiptsRoot": format!("{:#x}", h.receipts_root),
        "transactionsRoot": format!("{:#x}", h.transactions_root),
        "withdrawalsRoot": hex(h.withdrawals_root),
        "feeRecipient": format!("{:#x}", h.beneficiary),
        "gasLimit": h.gas_limit,
        "gasUsed": h.gas_used,
        "baseFeePerGas": h.base_fee_per_gas.map(|f| format!("{f:#x}")),
        "blobGasUsed": h.blob_gas_used,
        "excessBlobGas": h.excess_blob_gas,
        "parentBeaconBlockRoot": hex(h.parent_beacon_block_root),
        "requestsHash": hex(h.requests_hash),
        "prevRandao": format!("{:#x}", h.mix_hash),
        "extraData": format!("{:#x}", h.extra_data),
        "transactionHashes": v.execution.transaction_hashes.as_ref().map(|hs| {
            hs.iter().map(|t| format!("{t:#x}")).collect::<Vec<_>>()
        }),
        "beacon": {
            "fork": v.fork.name(),
            "slot": v.slot,
            "blockRoot": format!("{:#x}", v.block_root),
            "parentRoot": format!("{:#x}", v.parent_root),
            "bodyRoot": format!("{:#x}", v.body_root),
            "blobCommitments": v.blob_commitments,
        },
    })
}
