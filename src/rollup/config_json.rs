//! The JSON form of a rollup's configuration (the devnet's
//! `/devnet/client-config` `rollup` object, docs/PROTOCOL.md section 8).
//!
//! The configuration is a trust root, like the beacon light client's trusted
//! checkpoint: the initial committee's member list is accepted because the
//! configuration names its hash. A stated `configHash` must equal the hash
//! recomputed from the fields.
//!
//! ```json
//! { "chainId": 690420,
//!   "sequencer": { "kind": "key", "address": "0x…" }
//!      | { "kind": "committee", "committeeId": 0, "committeeHash": "0x…",
//!          "activationL1Slot": 0, "members": [{ "pubkey": "0x…", "weight": 1 }] },
//!   "slotEnding": "marker" | { "nth": 4 },
//!   "stallLimitSlots": 10, "forcedInclusionWindowSlots": 4, "inbox": "0x…",
//!   "l1": { "genesisTime": 1700000000, "secondsPerSlot": 12, "slotsPerEpoch": 32 },
//!   "configHash": "0x…", "genesis": { …feed message JSON of L2 block 0… },
//!   "batchProgramVkey": "0x…" }
//! ```

use alloy_primitives::{Address, B256};
use serde_json::Value;

use super::RollupError;
use super::certificate::{
    CommitteeAnnouncement, CommitteeMember, committee_hash, verify_committee,
};
use super::config::{
    DEFAULT_STALL_LIMIT_SLOTS, L1Timing, RollupConfig, SequencerAuth, SlotEndingRule,
};
use super::feed::FeedMessage;
use super::header::L2Header;
use crate::Verified;

/// A parsed rollup configuration with the extras a client needs.
#[derive(Debug, Clone)]
pub struct RollupSetup {
    /// The engine configuration.
    pub config: RollupConfig,
    /// L2 block 0, when the configuration carries it.
    pub genesis: Option<L2Header>,
    /// The SP1 batch program's verifying key, when the rollup is proven.
    pub batch_program_vkey: Option<B256>,
}

fn bad(what: &'static str) -> RollupError {
    RollupError::InvalidConfig(what)
}

fn u64_field(v: &Value, key: &'static str) -> Result<u64, RollupError> {
    v.get(key).and_then(Value::as_u64).ok_or(bad(key))
}

fn parse_hex<T: core::str::FromStr>(v: &Value, key: &'static str) -> Result<T, RollupError> {
    v.get(key)
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or(bad(key))
}

fn sequencer(v: &Value) -> Result<SequencerAuth, RollupError> {
    match v.get("kind").and_then(Value::as_str) {
        Some("key") => Ok(SequencerAuth::Key(parse_hex::<Address>(v, "address")?)),
        Some("committee") => {
            let id = u64_field(v, "committeeId")?;
            let hash: B256 = parse_hex(v, "committeeHash")?;
            let members: Vec<CommitteeMember> = v
                .get("members")
                .cloned()
                .and_then(|m| serde_json::from_value(m).ok())
                .ok_or(bad("members"))?;
            if committee_hash(id, &members) != hash {
                return Err(RollupError::CommitteeMismatch);
            }
            // The configuration is the trust root that names this hash.
            let announcement = Verified::new_unchecked(CommitteeAnnouncement {
                committee_id: id,
                committee_hash: hash,
                activation_l1_slot: v
                    .get("activationL1Slot")
                    .and_then(Value::as_u64)
                    .unwrap_or(0),
            });
            Ok(SequencerAuth::Committee(verify_committee(
                &members,
                &announcement,
            )?))
        }
        _ => Err(bad("sequencer.kind")),
    }
}

fn slot_ending(v: Option<&Value>) -> Result<SlotEndingRule, RollupError> {
    match v {
        None => Ok(SlotEndingRule::Marker),
        Some(Value::String(s)) if s == "marker" => Ok(SlotEndingRule::Marker),
        Some(o) => {
            let n = o
                .get("nth")
                .and_then(Value::as_u64)
                .ok_or(bad("slotEnding"))?;
            Ok(SlotEndingRule::NthBlock(
                u32::try_from(n).map_err(|_| bad("slotEnding.nth"))?,
            ))
        }
    }
}

impl RollupSetup {
    /// Parses the `rollup` object, or a whole client config that holds one under `rollup`.
    ///
    /// # Errors
    /// [`RollupError::InvalidConfig`] naming the first bad field or a config
    /// hash mismatch; [`RollupError::CommitteeMismatch`] or
    /// [`RollupError::InvalidCommittee`] for a bad initial committee;
    /// [`RollupError::Malformed`] for a bad genesis message.
    pub fn from_json(v: &Value) -> Result<Self, RollupError> {
        let v = v.get("rollup").unwrap_or(v);
        let l1 = v.get("l1").ok_or(bad("l1"))?;
        let config = RollupConfig {
            chain_id: u64_field(v, "chainId")?,
            sequencer: sequencer(v.get("sequencer").ok_or(bad("sequencer"))?)?,
            slot_ending: slot_ending(v.get("slotEnding"))?,
            stall_limit_slots: v
                .get("stallLimitSlots")
                .and_then(Value::as_u64)
                .unwrap_or(DEFAULT_STALL_LIMIT_SLOTS),
            forced_inclusion_window_slots: v
                .get("forcedInclusionWindowSlots")
                .and_then(Value::as_u64)
                .unwrap_or(0),
            inbox: parse_hex(v, "inbox")?,
            l1: L1Timing {
                genesis_time: u64_field(l1, "genesisTime")?,
                seconds_per_slot: u64_field(l1, "secondsPerSlot")?,
                slots_per_epoch: u64_field(l1, "slotsPerEpoch")?,
            },
        };
        config.validate()?;
        if v.get("configHash").is_some() {
            let stated: B256 = parse_hex(v, "configHash")?;
            if stated != config.config_hash() {
                return Err(bad("configHash does not match the fields"));
            }
        }
        let genesis = match v.get("genesis") {
            None | Some(Value::Null) => None,
            Some(g) => Some(FeedMessage::from_json(&g.to_string())?.block.header),
        };
        let batch_program_vkey = match v.get("batchProgramVkey") {
            None | Some(Value::Null) => None,
            Some(_) => Some(parse_hex(v, "batchProgramVkey")?),
        };
        Ok(Self {
            config,
            genesis,
            batch_program_vkey,
        })
    }

    /// Checks that the rollup settles on the L1 `network`: its L1 timing
    /// (genesis time, slot and epoch length) must be the network's, else no
    /// verified L1 header could ever be placed in its slots.
    ///
    /// # Errors
    /// [`RollupError::InvalidConfig`] naming the first field that differs.
    pub fn check_l1(&self, network: &crate::beacon::Network) -> Result<(), RollupError> {
        let l1 = &self.config.l1;
        if l1.genesis_time != network.genesis_time() {
            return Err(bad("l1.genesisTime is not the L1 network's genesis time"));
        }
        if l1.seconds_per_slot != network.seconds_per_slot() {
            return Err(bad("l1.secondsPerSlot is not the L1 network's"));
        }
        if l1.slots_per_epoch != network.preset().slots_per_epoch {
            return Err(bad("l1.slotsPerEpoch is not the L1 network's"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::rollup::testkit;

    fn key_json() -> (Value, RollupConfig) {
        let config = testkit::config(&testkit::signing_key(1));
        let SequencerAuth::Key(addr) = config.sequencer else {
            unreachable!()
        };
        let genesis = testkit::based(crate::rollup::L2Block {
            header: testkit::anchor_header(),
            transactions: vec![],
        });
        let v = json!({
            "chainId": config.chain_id,
            "sequencer": { "kind": "key", "address": format!("{addr:#x}") },
            "slotEnding": "marker",
            "stallLimitSlots": config.stall_limit_slots,
            "forcedInclusionWindowSlots": config.forced_inclusion_window_slots,
            "inbox": format!("{:#x}", config.inbox),
            "l1": { "genesisTime": testkit::GENESIS, "secondsPerSlot": testkit::SPS, "slotsPerEpoch": testkit::SPE },
            "configHash": format!("{:#x}", config.config_hash()),
            "genesis": serde_json::from_str::<Value>(&genesis.to_json().unwrap_or_default()).unwrap_or_default(),
        });
        (v, config)
    }

    #[test]
    fn a_rollup_of_another_l1_or_no_config_is_invalid() {
        assert_eq!(
            RollupSetup::from_json(&json!({})).err(),
            Some(RollupError::InvalidConfig("l1"))
        );
        let (mut v, _) = key_json();
        let mainnet = crate::beacon::Network::mainnet();
        v["l1"] = json!({ "genesisTime": mainnet.genesis_time(), "secondsPerSlot": 12, "slotsPerEpoch": 32 });
        v.as_object_mut().map(|o| o.remove("configHash"));
        let setup = RollupSetup::from_json(&v).expect("config");
        assert_eq!(setup.check_l1(&mainnet), Ok(()));
        let sepolia = crate::beacon::Network::sepolia();
        assert!(matches!(
            setup.check_l1(&sepolia),
            Err(RollupError::InvalidConfig(m)) if m.contains("genesisTime")
        ));
        v["l1"]["secondsPerSlot"] = json!(2);
        let fast = RollupSetup::from_json(&v).expect("config");
        assert!(matches!(
            fast.check_l1(&mainnet),
            Err(RollupError::InvalidConfig(m)) if m.contains("secondsPerSlot")
        ));
    }

    #[test]
    fn parses_a_key_config_and_checks_its_hash() {
        let (v, config) = key_json();
        let s = RollupSetup::from_json(&json!({ "rollup": v.clone() })).expect("config");
        assert_eq!(s.config.config_hash(), config.config_hash());
        assert_eq!(s.genesis, Some(testkit::anchor_header()));
        let mut wrong = v;
        wrong["stallLimitSlots"] = json!(11);
        assert!(matches!(
            RollupSetup::from_json(&wrong),
            Err(RollupError::InvalidConfig(_))
        ));
    }

    #[test]
    fn committee_config_must_match_its_hash() {
        let c = testkit::committee(0, &[1, 2, 3, 4]);
        let (mut v, _) = key_json();
        v["configHash"] = Value::Null;
        v.as_object_mut().map(|o| o.remove("configHash"));
        v["sequencer"] = json!({ "kind": "committee", "committeeId": 0,
            "committeeHash": format!("{:#x}", c.keys.hash), "activationL1Slot": 0,
            "members": c.members });
        let s = RollupSetup::from_json(&v).expect("committee config");
        assert!(matches!(s.config.sequencer, SequencerAuth::Committee(ref k) if k.len() == 4));
        v["sequencer"]["members"][0]["weight"] = json!(9);
        assert!(matches!(
            RollupSetup::from_json(&v),
            Err(RollupError::CommitteeMismatch)
        ));
    }
}
