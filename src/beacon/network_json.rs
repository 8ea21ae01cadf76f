//! The JSON form of a [`NetworkConfig`], as the npm package and the devnet
//! exchange it.
//!
//! ```json
//! { "name": "mainnet", "preset": "mainnet", "genesisTime": 1606824023,
//!   "secondsPerSlot": 12, "genesisValidatorsRoot": "0x4b36…",
//!   "forks": { "phase0": { "version": "0x00000000", "epoch": 0 }, "altair": { … }, … },
//!   "blobSchedule": [{ "epoch": 412672, "maxBlobsPerBlock": 15 }],
//!   "maxBlobsPerBlockElectra": 9 }
//! ```
//!
//! `preset` is `"mainnet"`, `"minimal"`, or an object with the preset's
//! fields in camelCase. A fork that is not scheduled has `"epoch": null`
//! (the spec's `FAR_FUTURE_EPOCH`, which JS numbers cannot hold exactly).

use alloy_primitives::B256;
use serde_json::{Map, Value, json};

use super::config::{
    BlobScheduleEntry, FAR_FUTURE_EPOCH, Fork, ForkActivation, Network, NetworkConfig, Preset,
};
use super::error::BeaconError;

impl NetworkConfig {
    /// The JSON form of this configuration.
    pub fn to_json(&self) -> Value {
        let preset = if self.preset == Preset::MAINNET {
            json!("mainnet")
        } else if self.preset == Preset::MINIMAL {
            json!("minimal")
        } else {
            json!({
                "syncCommitteeSize": self.preset.sync_committee_size,
                "slotsPerEpoch": self.preset.slots_per_epoch,
                "epochsPerSyncCommitteePeriod": self.preset.epochs_per_sync_committee_period,
                "minSyncCommitteeParticipants": self.preset.min_sync_committee_participants,
                "updateTimeout": self.preset.update_timeout,
            })
        };
        let forks: Map<String, Value> = Fork::ALL
            .iter()
            .zip(self.forks.iter())
            .map(|(fork, act)| {
                let epoch = (act.epoch != FAR_FUTURE_EPOCH).then_some(act.epoch);
                (
                    fork.name().to_string(),
                    json!({ "version": format!("0x{}", hex::encode(act.version)), "epoch": epoch }),
                )
            })
            .collect();
        let blobs: Vec<Value> = self
            .blob_schedule
            .iter()
            .map(|e| json!({ "epoch": e.epoch, "maxBlobsPerBlock": e.max_blobs_per_block }))
            .collect();
        json!({
            "name": self.name,
            "preset": preset,
            "genesisTime": self.genesis_time,
            "secondsPerSlot": self.seconds_per_slot,
            "genesisValidatorsRoot": format!("{:#x}", self.genesis_validators_root),
            "forks": forks,
            "blobSchedule": blobs,
            "maxBlobsPerBlockElectra": self.max_blobs_per_block_electra,
        })
    }

    /// Reads the JSON form.
    ///
    /// # Errors
    /// [`BeaconError::InvalidConfig`] naming the first missing or malformed field.
    pub fn from_json(v: &Value) -> Result<Self, BeaconError> {
        let preset = match v.get("preset") {
            Some(Value::String(s)) if s == "mainnet" => Preset::MAINNET,
            Some(Value::String(s)) if s == "minimal" => Preset::MINIMAL,
            Some(p @ Value::Object(_)) => Preset {
                sync_committee_size: usize_field(p, "syncCommitteeSize")?,
                slots_per_epoch: u64_field(p, "slotsPerEpoch")?,
                epochs_per_sync_committee_period: u64_field(p, "epochsPerSyncCommitteePeriod")?,
                min_sync_committee_participants: usize_field(p, "minSyncCommitteeParticipants")?,
                update_timeout: u64_field(p, "updateTimeout")?,
            },
            _ => return Err(invalid("preset")),
        };
        let forks_v = v.get("forks").ok_or_else(|| invalid("forks"))?;
        let mut forks = [ForkActivation {
            version: [0; 4],
            epoch: FAR_FUTURE_EPOCH,
        }; 7];
        for (slot, fork) in forks.iter_mut().zip(Fork::ALL) {
            let Some(f) = forks_v.get(fork.name()) else {
                continue; // unscheduled
            };
            let version = hex_bytes(f.get("version"), "forks.version")?;
            slot.version = version.try_into().map_err(|_| invalid("forks.version"))?;
            slot.epoch = match f.get("epoch") {
                None | Some(Value::Null) => FAR_FUTURE_EPOCH,
                Some(e) => e.as_u64().ok_or_else(|| invalid("forks.epoch"))?,
            };
        }
        let blob_schedule = match v.get("blobSchedule") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|e| {
                    Ok(BlobScheduleEntry {
                        epoch: u64_field(e, "epoch")?,
                        max_blobs_per_block: u64_field(e, "maxBlobsPerBlock")?,
                    })
                })
                .collect::<Result<_, BeaconError>>()?,
            Some(_) => return Err(invalid("blobSchedule")),
        };
        let gvr = hex_bytes(v.get("genesisValidatorsRoot"), "genesisValidatorsRoot")?;
        Ok(Self {
            name: v
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| invalid("name"))?
                .to_string(),
            preset,
            genesis_time: u64_field(v, "genesisTime")?,
            seconds_per_slot: u64_field(v, "secondsPerSlot")?,
            genesis_validators_root: B256::try_from(gvr.as_slice())
                .map_err(|_| invalid("genesisValidatorsRoot"))?,
            forks,
            blob_schedule,
            max_blobs_per_block_electra: match v.get("maxBlobsPerBlockElectra") {
                None | Some(Value::Null) => 0,
                Some(n) => n
                    .as_u64()
                    .ok_or_else(|| invalid("maxBlobsPerBlockElectra"))?,
            },
        })
    }
}

impl Network {
    /// A known network by name (`mainnet`, `sepolia`, `hoodi`).
    ///
    /// # Errors
    /// [`BeaconError::InvalidConfig`] for any other name.
    pub fn by_name(name: &str) -> Result<Self, BeaconError> {
        match name {
            "mainnet" => Ok(Self::mainnet()),
            "sepolia" => Ok(Self::sepolia()),
            "hoodi" => Ok(Self::hoodi()),
            _ => Err(invalid("unknown network name")),
        }
    }

    /// A network from its name or its JSON configuration.
    ///
    /// # Errors
    /// [`BeaconError::InvalidConfig`] for an unknown name or a bad config.
    pub fn from_json(v: &Value) -> Result<Self, BeaconError> {
        match v {
            Value::String(name) => Self::by_name(name),
            other => Self::custom(NetworkConfig::from_json(other)?),
        }
    }
}

fn invalid(field: &'static str) -> BeaconError {
    BeaconError::InvalidConfig(field)
}

fn u64_field(v: &Value, field: &'static str) -> Result<u64, BeaconError> {
    v.get(field)
        .and_then(Value::as_u64)
        .ok_or_else(|| invalid(field))
}

fn usize_field(v: &Value, field: &'static str) -> Result<usize, BeaconError> {
    usize::try_from(u64_field(v, field)?).map_err(|_| invalid(field))
}

fn hex_bytes(v: Option<&Value>, field: &'static str) -> Result<Vec<u8>, BeaconError> {
    let s = v.and_then(Value::as_str).ok_or_else(|| invalid(field))?;
    hex::decode(s.strip_prefix("0x").unwrap_or(s)).map_err(|_| invalid(field))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_networks_round_trip_through_json() {
        for network in [Network::mainnet(), Network::sepolia(), Network::hoodi()] {
            let json = network.config().to_json();
            let back = Network::from_json(&json).expect("round trip");
            assert_eq!(back.config(), network.config());
        }
    }

    #[test]
    fn names_resolve_and_unknown_names_fail() {
        assert_eq!(
            Network::from_json(&json!("hoodi")).map(|n| n.config()),
            Ok(Network::hoodi().config())
        );
        assert!(matches!(
            Network::from_json(&json!("goerli")),
            Err(BeaconError::InvalidConfig(_))
        ));
    }

    #[test]
    fn malformed_fields_are_named() {
        let mut json = Network::mainnet().config().to_json();
        json["genesisValidatorsRoot"] = json!("0x1234");
        assert_eq!(
            Network::from_json(&json).map(|n| n.config()),
            Err(BeaconError::InvalidConfig("genesisValidatorsRoot"))
        );
        let mut json = Network::mainnet().config().to_json();
        json["preset"] = json!("tiny");
        assert_eq!(
            Network::from_json(&json).map(|n| n.config()),
            Err(BeaconError::InvalidConfig("preset"))
        );
    }
}
