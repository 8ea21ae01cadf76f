//! Reading spec vectors: file tracking, snappy, config.yaml to `Network`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use alloy_primitives::B256;
use preconf_light::beacon::{
    BlobScheduleEntry, Fork, ForkActivation, Network, NetworkConfig, Preset,
};

/// Records every file a test reads.
#[derive(Default)]
pub struct ReadTracker {
    read: BTreeSet<PathBuf>,
}

impl ReadTracker {
    pub fn read(&mut self, p: &Path) -> Vec<u8> {
        self.read.insert(p.to_path_buf());
        std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }
    pub fn read_string(&mut self, p: &Path) -> String {
        String::from_utf8(self.read(p)).unwrap()
    }
    pub fn was_read(&self, p: &Path) -> bool {
        self.read.contains(p)
    }
}

pub fn snappy_file(tracker: &mut ReadTracker, p: &Path) -> Vec<u8> {
    let raw = tracker.read(p);
    snap::raw::Decoder::new()
        .decompress_vec(&raw)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub fn parse_b256(s: &str) -> B256 {
    s.trim().parse().unwrap()
}

pub fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { walk(&p, f) } else { f(&p) }
    }
}

/// Parses the flat `KEY: value` lines of a config.yaml (the spec-test
/// configs repeat `BLOB_SCHEDULE`, which strict YAML parsers reject; the
/// first block is used).
pub fn config_network(tracker: &mut ReadTracker, path: &Path, committee_size: usize) -> Network {
    // Per-case configs list only the keys up to their fork; the preset's
    // base config supplies the rest.
    let preset_name = if committee_size == 32 {
        "minimal"
    } else {
        "mainnet"
    };
    let base = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/light_client_vectors/_spec_config/configs"
    ))
    .join(format!("{preset_name}.yaml"));
    let text = tracker.read_string(path) + "\n" + &tracker.read_string(&base);
    let get = |key: &str| -> Option<String> {
        text.lines().find_map(|l| {
            let l = l.split('#').next().unwrap_or("");
            let (k, v) = l.split_once(':')?;
            (k.trim() == key && !l.starts_with(' '))
                .then(|| v.trim().trim_matches('\'').to_string())
        })
    };
    let u = |key: &str| get(key).map(|v| v.parse::<u64>().unwrap());
    let version = |key: &str| -> [u8; 4] {
        hex::decode(get(key).unwrap().trim_start_matches("0x"))
            .unwrap()
            .try_into()
            .unwrap()
    };
    let names = [
        "GENESIS",
        "ALTAIR",
        "BELLATRIX",
        "CAPELLA",
        "DENEB",
        "ELECTRA",
        "FULU",
    ];
    let forks: Vec<ForkActivation> = names
        .iter()
        .map(|n| ForkActivation {
            version: version(&format!("{n}_FORK_VERSION")),
            epoch: if *n == "GENESIS" {
                0
            } else {
                u(&format!("{n}_FORK_EPOCH")).unwrap()
            },
        })
        .collect();
    let mut blob_schedule = Vec::new();
    let mut in_block = false;
    let mut epoch = None;
    for line in text.lines() {
        if line.starts_with("BLOB_SCHEDULE:") {
            if !blob_schedule.is_empty() {
                break;
            }
            in_block = true;
            continue;
        }
        if in_block {
            let t = line
                .split('#')
                .next()
                .unwrap_or("")
                .trim()
                .trim_start_matches("- ");
            if let Some(v) = t.strip_prefix("EPOCH:") {
                epoch = Some(v.trim().parse::<u64>().unwrap());
            } else if let Some(v) = t.strip_prefix("MAX_BLOBS_PER_BLOCK:") {
                blob_schedule.push(BlobScheduleEntry {
                    epoch: epoch.take().unwrap(),
                    max_blobs_per_block: v.trim().parse().unwrap(),
                });
            } else if !line.starts_with(' ') && !t.is_empty() {
                in_block = false;
            }
        }
    }
    let preset = if committee_size == 32 {
        Preset::MINIMAL
    } else {
        Preset::MAINNET
    };
    let gvr = path
        .parent()
        .map(|d| d.join("meta.yaml"))
        .filter(|m| m.exists())
        .map(|m| {
            let meta: serde_yaml::Value =
                serde_yaml::from_str(&std::fs::read_to_string(m).unwrap()).unwrap();
            parse_b256(meta["genesis_validators_root"].as_str().unwrap())
        })
        .unwrap_or_default();
    let _ = Fork::ALL;
    Network::custom(NetworkConfig {
        name: "spec-test".into(),
        preset,
        genesis_time: 0,
        seconds_per_slot: u("SECONDS_PER_SLOT").unwrap(),
        genesis_validators_root: gvr,
        forks: forks.try_into().unwrap(),
        blob_schedule,
        max_blobs_per_block_electra: u("MAX_BLOBS_PER_BLOCK_ELECTRA").unwrap(),
    })
    .unwrap()
}
