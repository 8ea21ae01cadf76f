//! What a client checks about a network before it trusts an endpoint with
//! it, and how often it asks: the genesis a beacon node serves against the
//! configured network (a node of another network is told apart before any
//! update is read), and the request cadence derived from `SECONDS_PER_SLOT`.

use alloy_primitives::B256;
use serde_json::Value;

use super::config::{Fork, Network};
use super::error::BeaconError;

/// Shortest interval of the client's polling and housekeeping (ms).
pub const MIN_INTERVAL_MS: u64 = 1000;
/// Bounds of the rollup engine's clock tick (ms).
pub const ROLLUP_TICK_MS: (u64, u64) = (250, 1000);

/// How often a client asks its endpoints and ticks its engine, in ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cadence {
    /// Polling of the latest finality and optimistic updates when the event
    /// stream is down: one slot (a node makes at most one new update a slot).
    pub poll_interval_ms: u64,
    /// The housekeeping tick (force update due, period sync): one slot.
    pub tick_interval_ms: u64,
    /// The rollup engine's clock: a quarter slot, within [`ROLLUP_TICK_MS`],
    /// so slot deadlines and the stall rule are seen within a quarter slot.
    pub rollup_tick_interval_ms: u64,
}

impl Cadence {
    /// The cadence of a network whose slots last `seconds_per_slot`.
    pub fn for_slot_seconds(seconds_per_slot: u64) -> Self {
        let slot_ms = seconds_per_slot.saturating_mul(1000).max(MIN_INTERVAL_MS);
        Self {
            poll_interval_ms: slot_ms,
            tick_interval_ms: slot_ms,
            rollup_tick_interval_ms: (slot_ms / 4).clamp(ROLLUP_TICK_MS.0, ROLLUP_TICK_MS.1),
        }
    }
}

impl Network {
    /// The request cadence of this network.
    pub fn cadence(&self) -> Cadence {
        Cadence::for_slot_seconds(self.seconds_per_slot())
    }

    /// Checks a Beacon API `/eth/v1/beacon/genesis` answer (the object, or
    /// its `data`) against this network: genesis validators root, genesis
    /// fork version and genesis time must all be this network's.
    ///
    /// # Errors
    /// [`BeaconError::OtherNetwork`] naming the first field that differs;
    /// [`BeaconError::Json`] for an answer without them.
    pub fn check_genesis(&self, answer: &Value) -> Result<(), BeaconError> {
        let data = answer.get("data").unwrap_or(answer);
        let text = |key: &str| {
            data.get(key)
                .and_then(Value::as_str)
                .ok_or_else(|| BeaconError::Json(format!("genesis answer has no {key}")))
        };
        let root: B256 = text("genesis_validators_root")?.parse().map_err(|_| {
            BeaconError::Json("genesis_validators_root is not a 32-byte hex".into())
        })?;
        let differ = |field, expected: String, got: String| {
            Err(BeaconError::OtherNetwork {
                field,
                expected,
                got,
            })
        };
        if root != self.genesis_validators_root() {
            return differ(
                "genesis_validators_root",
                format!("{:#x}", self.genesis_validators_root()),
                format!("{root:#x}"),
            );
        }
        let version = text("genesis_fork_version")?.to_ascii_lowercase();
        let expected = format!(
            "0x{}",
            hex::encode(self.fork_activation(Fork::Phase0).version)
        );
        if version != expected {
            return differ("genesis_fork_version", expected, version);
        }
        let time = text("genesis_time")?;
        if time.parse::<u64>().ok() != Some(self.genesis_time()) {
            return differ("genesis_time", self.genesis_time().to_string(), time.into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn genesis_of(n: &Network) -> Value {
        json!({ "data": {
            "genesis_time": n.genesis_time().to_string(),
            "genesis_validators_root": format!("{:#x}", n.genesis_validators_root()),
            "genesis_fork_version": format!("0x{}", hex::encode(n.fork_activation(Fork::Phase0).version)),
        }})
    }

    #[test]
    fn a_node_of_this_network_passes_and_one_of_another_is_named() {
        let mainnet = Network::mainnet();
        let sepolia = Network::sepolia();
        assert_eq!(mainnet.check_genesis(&genesis_of(&mainnet)), Ok(()));
        assert_eq!(mainnet.check_genesis(&genesis_of(&mainnet)["data"]), Ok(()));
        let err = mainnet.check_genesis(&genesis_of(&sepolia)).unwrap_err();
        assert!(matches!(
            err,
            BeaconError::OtherNetwork {
                field: "genesis_validators_root",
                ..
            }
        ));
        assert_eq!(crate::ErrorCode::code(&err), "WRONG_NETWORK");
        // Same root, another genesis time (a restarted devnet with the same seed).
        let mut g = genesis_of(&mainnet);
        g["data"]["genesis_time"] = json!("1");
        assert!(matches!(
            mainnet.check_genesis(&g),
            Err(BeaconError::OtherNetwork {
                field: "genesis_time",
                ..
            })
        ));
        let mut g = genesis_of(&mainnet);
        g["data"]["genesis_fork_version"] = json!("0x90000069");
        assert!(matches!(
            mainnet.check_genesis(&g),
            Err(BeaconError::OtherNetwork {
                field: "genesis_fork_version",
                ..
            })
        ));
        assert!(matches!(
            mainnet.check_genesis(&json!({"data": {}})),
            Err(BeaconError::Json(_))
        ));
        assert!(matches!(
            mainnet.check_genesis(&json!("<html>")),
            Err(BeaconError::Json(_))
        ));
    }

    #[test]
    fn cadence_follows_the_slot_time() {
        // Mainnet: one poll and one tick a slot, the engine ticked every second.
        assert_eq!(
            Network::mainnet().cadence(),
            Cadence {
                poll_interval_ms: 12_000,
                tick_interval_ms: 12_000,
                rollup_tick_interval_ms: 1000
            }
        );
        // A 2-second devnet: a sixth of the mainnet intervals, the engine at a quarter slot.
        assert_eq!(
            Cadence::for_slot_seconds(2),
            Cadence {
                poll_interval_ms: 2000,
                tick_interval_ms: 2000,
                rollup_tick_interval_ms: 500
            }
        );
        assert_eq!(Cadence::for_slot_seconds(1).rollup_tick_interval_ms, 250);
        // Degenerate input never gives a zero interval.
        assert_eq!(
            Cadence::for_slot_seconds(0).poll_interval_ms,
            MIN_INTERVAL_MS
        );
        assert_eq!(
            Cadence::for_slot_seconds(u64::MAX).rollup_tick_interval_ms,
            1000
        );
    }
}
