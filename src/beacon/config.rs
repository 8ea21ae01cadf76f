//! Presets (compile-time sizes) and network configurations (fork schedule,
//! genesis, blob schedule), with the helpers the sync protocol needs:
//! slot/epoch/period arithmetic, fork versions, fork digests and domains.
//!
//! Values come from `ethereum/consensus-specs` `configs/mainnet.yaml` (v1.6.1)
//! and `presets/{mainnet,minimal}`, and from the `eth-clients/{sepolia,hoodi}`
//! network configs.

use alloy_primitives::{B256, FixedBytes, b256};

use super::BeaconError;
use super::types::{ForkData, SigningData};
use crate::ssz::TreeHash;

/// `DOMAIN_SYNC_COMMITTEE`.
pub const DOMAIN_SYNC_COMMITTEE: [u8; 4] = [0x07, 0, 0, 0];
/// `FAR_FUTURE_EPOCH`: an unscheduled fork.
pub const FAR_FUTURE_EPOCH: u64 = u64::MAX;
/// `GENESIS_SLOT`.
pub const GENESIS_SLOT: u64 = 0;
/// `MAXIMUM_GOSSIP_CLOCK_DISPARITY` of the consensus p2p spec, in
/// milliseconds: how far another node's clock may run ahead of ours. An
/// update signed in a slot that starts within it is not "from the future".
pub const MAXIMUM_GOSSIP_CLOCK_DISPARITY_MS: u64 = 500;
/// `SYNC_COMMITTEE_SIZE` of the mainnet preset.
pub const MAINNET_SYNC_COMMITTEE_SIZE: usize = 512;
/// `SYNC_COMMITTEE_SIZE` of the minimal preset.
pub const MINIMAL_SYNC_COMMITTEE_SIZE: usize = 32;

/// Preset values the light client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// `SYNC_COMMITTEE_SIZE`.
    pub sync_committee_size: usize,
    /// `SLOTS_PER_EPOCH`.
    pub slots_per_epoch: u64,
    /// `EPOCHS_PER_SYNC_COMMITTEE_PERIOD`.
    pub epochs_per_sync_committee_period: u64,
    /// `MIN_SYNC_COMMITTEE_PARTICIPANTS`.
    pub min_sync_committee_participants: usize,
    /// `UPDATE_TIMEOUT` (slots).
    pub update_timeout: u64,
}

impl Preset {
    /// The mainnet preset.
    pub const MAINNET: Self = Self {
        sync_committee_size: MAINNET_SYNC_COMMITTEE_SIZE,
        slots_per_epoch: 32,
        epochs_per_sync_committee_period: 256,
        min_sync_committee_participants: 1,
        update_timeout: 8192,
    };
    /// The minimal preset (spec tests, small devnets).
    pub const MINIMAL: Self = Self {
        sync_committee_size: MINIMAL_SYNC_COMMITTEE_SIZE,
        slots_per_epoch: 8,
        epochs_per_sync_committee_period: 8,
        min_sync_committee_participants: 1,
        update_timeout: 64,
    };
}

/// A consensus fork.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fork {
    /// Phase 0 (no light client).
    Phase0,
    /// Altair.
    Altair,
    /// Bellatrix.
    Bellatrix,
    /// Capella.
    Capella,
    /// Deneb.
    Deneb,
    /// Electra.
    Electra,
    /// Fulu.
    Fulu,
}

impl Fork {
    /// All forks in order.
    pub const ALL: [Fork; 7] = [
        Self::Phase0,
        Self::Altair,
        Self::Bellatrix,
        Self::Capella,
        Self::Deneb,
        Self::Electra,
        Self::Fulu,
    ];

    /// The lowercase name used by the Beacon API `version` field.
    pub fn name(self) -> &'static str {
        match self {
            Self::Phase0 => "phase0",
            Self::Altair => "altair",
            Self::Bellatrix => "bellatrix",
            Self::Capella => "capella",
            Self::Deneb => "deneb",
            Self::Electra => "electra",
            Self::Fulu => "fulu",
        }
    }

    /// Parses a Beacon API `version` name (case-insensitive).
    ///
    /// # Errors
    /// [`BeaconError::UnknownFork`] for an unknown name.
    pub fn from_name(name: &str) -> Result<Self, BeaconError> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| BeaconError::UnknownFork(name.chars().take(32).collect()))
    }

    /// Light-client data exists from Altair on.
    ///
    /// # Errors
    /// [`BeaconError::UnknownFork`] for Phase 0.
    pub fn require_light_client(self) -> Result<Self, BeaconError> {
        if self == Self::Phase0 {
            return Err(BeaconError::UnknownFork(self.name().into()));
        }
        Ok(self)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One fork's activation: its version and first epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForkActivation {
    /// Fork version.
    pub version: [u8; 4],
    /// First epoch (`FAR_FUTURE_EPOCH` if unscheduled).
    pub epoch: u64,
}

/// One entry of the Fulu blob schedule (EIP-7892).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobScheduleEntry {
    /// First epoch of the entry.
    pub epoch: u64,
    /// `MAX_BLOBS_PER_BLOCK` from that epoch on.
    pub max_blobs_per_block: u64,
}

/// A network: preset, genesis, fork schedule and blob schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    name: String,
    preset: Preset,
    genesis_time: u64,
    seconds_per_slot: u64,
    genesis_validators_root: B256,
    forks: [ForkActivation; 7],
    blob_schedule: Vec<BlobScheduleEntry>,
    max_blobs_per_block_electra: u64,
}

/// Everything needed to build a custom [`Network`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkConfig {
    /// Free-form name.
    pub name: String,
    /// Preset.
    pub preset: Preset,
    /// Genesis time (unix seconds).
    pub genesis_time: u64,
    /// `SECONDS_PER_SLOT`.
    pub seconds_per_slot: u64,
    /// Genesis validators root.
    pub genesis_validators_root: B256,
    /// Activation of each fork, indexed Phase0..Fulu.
    pub forks: [ForkActivation; 7],
    /// `BLOB_SCHEDULE` (any order).
    pub blob_schedule: Vec<BlobScheduleEntry>,
    /// `MAX_BLOBS_PER_BLOCK_ELECTRA`.
    pub max_blobs_per_block_electra: u64,
}

const fn act(version: u32, epoch: u64) -> ForkActivation {
    ForkActivation {
        version: version.to_be_bytes(),
        epoch,
    }
}

impl Network {
    /// Ethereum mainnet.
    pub fn mainnet() -> Self {
        Self {
            name: "mainnet".into(),
            preset: Preset::MAINNET,
            genesis_time: 1_606_824_023,
            seconds_per_slot: 12,
            genesis_validators_root: b256!(
                "4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95"
            ),
            forks: [
                act(0x0000_0000, 0),
                act(0x0100_0000, 74_240),
                act(0x0200_0000, 144_896),
                act(0x0300_0000, 194_048),
                act(0x0400_0000, 269_568),
                act(0x0500_0000, 364_032),
                act(0x0600_0000, 411_392),
            ],
            blob_schedule: vec![
                BlobScheduleEntry {
                    epoch: 412_672,
                    max_blobs_per_block: 15,
                },
                BlobScheduleEntry {
                    epoch: 419_072,
                    max_blobs_per_block: 21,
                },
            ],
            max_blobs_per_block_electra: 9,
        }
    }

    /// The Sepolia testnet.
    pub fn sepolia() -> Self {
        Self {
            name: "sepolia".into(),
            preset: Preset::MAINNET,
            genesis_time: 1_655_733_600,
            seconds_per_slot: 12,
            genesis_validators_root: b256!(
                "d8ea171f3c94aea21ebc42a1ed61052acf3f9209c00e4efbaaddac09ed9b8078"
            ),
            forks: [
                act(0x9000_0069, 0),
                act(0x9000_0070, 50),
                act(0x9000_0071, 100),
                act(0x9000_0072, 56_832),
                act(0x9000_0073, 132_608),
                act(0x9000_0074, 222_464),
                act(0x9000_0075, 272_640),
            ],
            blob_schedule: vec![
                BlobScheduleEntry {
                    epoch: 274_176,
                    max_blobs_per_block: 15,
                },
                BlobScheduleEntry {
                    epoch: 275_712,
                    max_blobs_per_block: 21,
                },
            ],
            max_blobs_per_block_electra: 9,
        }
    }

    /// The Hoodi testnet.
    pub fn hoodi() -> Self {
        Self {
            name: "hoodi".into(),
            preset: Preset::MAINNET,
            genesis_time: 1_742_213_400,
            seconds_per_slot: 12,
            genesis_validators_root: b256!(
                "212f13fc4df078b6cb7db228f1c8307566dcecf900867401a92023d7ba99cb5f"
            ),
            forks: [
                act(0x1000_0910, 0),
                act(0x2000_0910, 0),
                act(0x3000_0910, 0),
                act(0x4000_0910, 0),
                act(0x5000_0910, 0),
                act(0x6000_0910, 2_048),
                act(0x7000_0910, 50_688),
            ],
            blob_schedule: vec![
                BlobScheduleEntry {
                    epoch: 52_480,
                    max_blobs_per_block: 15,
                },
                BlobScheduleEntry {
                    epoch: 54_016,
                    max_blobs_per_block: 21,
                },
            ],
            max_blobs_per_block_electra: 9,
        }
    }

    /// A custom network (devnets, spec-test configs).
    ///
    /// # Errors
    /// [`BeaconError::InvalidConfig`] if `seconds_per_slot`, the preset's
    /// sizes are zero, or fork epochs decrease.
    pub fn custom(config: NetworkConfig) -> Result<Self, BeaconError> {
        let p = &config.preset;
        if config.seconds_per_slot == 0 {
            return Err(BeaconError::InvalidConfig("seconds_per_slot is zero"));
        }
        if p.sync_committee_size == 0
            || p.slots_per_epoch == 0
            || p.epochs_per_sync_committee_period == 0
        {
            return Err(BeaconError::InvalidConfig("preset size is zero"));
        }
        if config
            .forks
            .windows(2)
            .any(|w| matches!(w, [a, b] if b.epoch < a.epoch))
        {
            return Err(BeaconError::InvalidConfig("fork epochs decrease"));
        }
        Ok(Self {
            name: config.name,
            preset: config.preset,
            genesis_time: config.genesis_time,
            seconds_per_slot: config.seconds_per_slot,
            genesis_validators_root: config.genesis_validators_root,
            forks: config.forks,
            blob_schedule: config.blob_schedule,
            max_blobs_per_block_electra: config.max_blobs_per_block_electra,
        })
    }

    /// The values this network was built from (to derive a custom network).
    pub fn config(&self) -> NetworkConfig {
        NetworkConfig {
            name: self.name.clone(),
            preset: self.preset,
            genesis_time: self.genesis_time,
            seconds_per_slot: self.seconds_per_slot,
            genesis_validators_root: self.genesis_validators_root,
            forks: self.forks,
            blob_schedule: self.blob_schedule.clone(),
            max_blobs_per_block_electra: self.max_blobs_per_block_electra,
        }
    }

    /// Name of the network.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Preset values.
    pub fn preset(&self) -> &Preset {
        &self.preset
    }
    /// Genesis time (unix seconds).
    pub fn genesis_time(&self) -> u64 {
        self.genesis_time
    }
    /// `SECONDS_PER_SLOT`.
    pub fn seconds_per_slot(&self) -> u64 {
        self.seconds_per_slot
    }
    /// Genesis validators root.
    pub fn genesis_validators_root(&self) -> B256 {
        self.genesis_validators_root
    }
    /// Activation of `fork`.
    pub fn fork_activation(&self, fork: Fork) -> ForkActivation {
        self.forks[fork.index()]
    }

    /// Slot at unix time `now_sec` (slot 0 before genesis).
    pub fn slot_at_time(&self, now_sec: u64) -> u64 {
        now_sec.saturating_sub(self.genesis_time) / self.seconds_per_slot
    }

    /// Slot at unix time `now_ms`, in milliseconds (slot 0 before genesis).
    pub fn slot_at_time_ms(&self, now_ms: u64) -> u64 {
        now_ms.saturating_sub(self.genesis_time.saturating_mul(1000))
            / self.seconds_per_slot.saturating_mul(1000).max(1)
    }

    /// Unix time at which `slot` starts (saturating).
    pub fn time_at_slot(&self, slot: u64) -> u64 {
        self.genesis_time
            .saturating_add(slot.saturating_mul(self.seconds_per_slot))
    }

    /// `compute_epoch_at_slot`.
    pub fn epoch_at_slot(&self, slot: u64) -> u64 {
        slot / self.preset.slots_per_epoch
    }

    /// `compute_sync_committee_period_at_slot`.
    pub fn period_at_slot(&self, slot: u64) -> u64 {
        self.epoch_at_slot(slot) / self.preset.epochs_per_sync_committee_period
    }

    /// The fork active at `epoch`.
    pub fn fork_at_epoch(&self, epoch: u64) -> Fork {
        Fork::ALL
            .into_iter()
            .rev()
            .find(|f| epoch >= self.forks[f.index()].epoch)
            .unwrap_or(Fork::Phase0)
    }

    /// `compute_fork_version(epoch)`.
    pub fn fork_version_at_epoch(&self, epoch: u64) -> [u8; 4] {
        self.forks[self.fork_at_epoch(epoch).index()].version
    }

    /// `compute_fork_data_root(version, genesis_validators_root)`.
    pub fn fork_data_root(&self, version: [u8; 4]) -> B256 {
        ForkData {
            current_version: FixedBytes(version),
            genesis_validators_root: self.genesis_validators_root,
        }
        .tree_hash_root()
    }

    /// Fulu `get_blob_parameters(epoch)`: (entry epoch, max blobs).
    pub fn blob_parameters(&self, epoch: u64) -> (u64, u64) {
        self.blob_schedule
            .iter()
            .filter(|e| epoch >= e.epoch)
            .max_by_key(|e| e.epoch)
            .map(|e| (e.epoch, e.max_blobs_per_block))
            .unwrap_or((
                self.forks[Fork::Electra.index()].epoch,
                self.max_blobs_per_block_electra,
            ))
    }

    /// `compute_fork_digest(genesis_validators_root, epoch)` (Fulu rules:
    /// from Fulu on, the digest also commits to the blob parameters, so it
    /// changes at every blob-schedule epoch).
    pub fn fork_digest_at_epoch(&self, epoch: u64) -> [u8; 4] {
        let base = self.fork_data_root(self.fork_version_at_epoch(epoch));
        let mut digest = [0u8; 4];
        digest.copy_from_slice(&base[..4]);
        if epoch >= self.forks[Fork::Fulu.index()].epoch {
            let (blob_epoch, max_blobs) = self.blob_parameters(epoch);
            let mut pre = [0u8; 16];
            pre[..8].copy_from_slice(&blob_epoch.to_le_bytes());
            pre[8..].copy_from_slice(&max_blobs.to_le_bytes());
            let mask = crate::ssz::sha256(&pre);
            for (d, m) in digest.iter_mut().zip(mask.iter()) {
                *d ^= m;
            }
        }
        digest
    }

    /// The fork whose data a 4-byte fork digest (context bytes) announces.
    ///
    /// Every fork's digest is considered, and from Fulu on one digest per
    /// blob-schedule entry.
    ///
    /// # Errors
    /// [`BeaconError::UnknownForkDigest`] if no fork of this network has it.
    pub fn fork_for_digest(&self, digest: [u8; 4]) -> Result<Fork, BeaconError> {
        for fork in Fork::ALL.into_iter().rev() {
            let activation = self.forks[fork.index()];
            if fork >= Fork::Fulu {
                let mut epochs = vec![activation.epoch];
                epochs.extend(
                    self.blob_schedule
                        .iter()
                        .map(|e| e.epoch)
                        .filter(|e| *e >= activation.epoch),
                );
                for epoch in epochs {
                    if self.fork_digest_at_epoch(epoch) == digest {
                        return Ok(fork);
                    }
                }
            } else if self.fork_data_root(activation.version)[..4] == digest {
                return Ok(fork);
            }
        }
        Err(BeaconError::UnknownForkDigest(digest))
    }

    /// `compute_domain(DOMAIN_SYNC_COMMITTEE, fork_version, genesis_validators_root)`
    /// for a sync aggregate signed at `signature_slot` (the fork version is
    /// that of `max(signature_slot, 1) - 1`).
    pub fn sync_committee_domain(&self, signature_slot: u64) -> B256 {
        let fork_version_slot = signature_slot.max(1) - 1;
        let version = self.fork_version_at_epoch(self.epoch_at_slot(fork_version_slot));
        let root = self.fork_data_root(version);
        let mut domain = B256::ZERO;
        domain[..4].copy_from_slice(&DOMAIN_SYNC_COMMITTEE);
        domain[4..].copy_from_slice(&root[..28]);
        domain
    }

    /// `compute_signing_root(object_root, domain)`.
    pub fn signing_root(object_root: B256, domain: B256) -> B256 {
        SigningData {
            object_root,
            domain,
        }
        .tree_hash_root()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainnet_fork_digests_match_known_values() {
        let n = Network::mainnet();
        // Deneb digest on mainnet, as in the portal-spec-tests context bytes.
        assert_eq!(n.fork_digest_at_epoch(269_568), [0x6a, 0x95, 0xa1, 0xa9]);
        assert_eq!(n.fork_for_digest([0x6a, 0x95, 0xa1, 0xa9]), Ok(Fork::Deneb));
        // Every BPO epoch gets its own digest, all mapping to Fulu.
        let d0 = n.fork_digest_at_epoch(411_392);
        let d1 = n.fork_digest_at_epoch(412_672);
        let d2 = n.fork_digest_at_epoch(419_072);
        assert!(d0 != d1 && d1 != d2);
        for d in [d0, d1, d2] {
            assert_eq!(n.fork_for_digest(d), Ok(Fork::Fulu));
        }
        assert!(matches!(
            n.fork_for_digest([0, 0, 0, 0]),
            Err(BeaconError::UnknownForkDigest(_))
        ));
    }

    #[test]
    fn mainnet_digests_of_every_fork_and_blob_schedule_entry() {
        // Values seen on the mainnet p2p network (ENR `eth2` fields).
        let n = Network::mainnet();
        let expected: [(u64, u32); 9] = [
            (0, 0xb530_3f2a),
            (74_240, 0xafca_aba0),
            (144_896, 0x4a26_c58b),
            (194_048, 0xbba4_da96),
            (269_568, 0x6a95_a1a9),
            (364_032, 0xad53_2ceb),
            (411_392, 0xcc2c_5cdb),
            (412_672, 0xcb0d_1acc),
            (419_072, 0x8c9f_62fe),
        ];
        for (epoch, digest) in expected {
            assert_eq!(
                n.fork_digest_at_epoch(epoch),
                digest.to_be_bytes(),
                "epoch {epoch}"
            );
            assert_eq!(
                n.fork_digest_at_epoch(epoch + 1),
                digest.to_be_bytes(),
                "epoch {epoch}+1"
            );
            assert_eq!(
                n.fork_for_digest(digest.to_be_bytes()),
                Ok(n.fork_at_epoch(epoch))
            );
        }
    }

    #[test]
    fn sepolia_and_hoodi_current_digests_are_fulu() {
        // Current digests of the two testnets seen on their p2p networks:
        // they check genesis validators root, Fulu version and blob schedule.
        assert_eq!(
            Network::sepolia().fork_for_digest(0x74d0_1459u32.to_be_bytes()),
            Ok(Fork::Fulu)
        );
        assert_eq!(
            Network::hoodi().fork_for_digest(0xc6ec_b76cu32.to_be_bytes()),
            Ok(Fork::Fulu)
        );
        assert!(
            Network::mainnet()
                .fork_for_digest(0x74d0_1459u32.to_be_bytes())
                .is_err()
        );
    }

    #[test]
    fn custom_networks_are_checked() {
        let mut cfg = Network::mainnet().config();
        assert_eq!(Network::custom(cfg.clone()).unwrap(), Network::mainnet());
        cfg.seconds_per_slot = 0;
        assert!(matches!(
            Network::custom(cfg.clone()),
            Err(BeaconError::InvalidConfig(_))
        ));
        cfg.seconds_per_slot = 12;
        cfg.forks[2].epoch = 1;
        assert!(matches!(
            Network::custom(cfg.clone()),
            Err(BeaconError::InvalidConfig(_))
        ));
        cfg.forks[2].epoch = 144_896;
        cfg.preset.slots_per_epoch = 0;
        assert!(matches!(
            Network::custom(cfg),
            Err(BeaconError::InvalidConfig(_))
        ));
    }

    #[test]
    fn periods_and_forks() {
        let n = Network::mainnet();
        assert_eq!(n.period_at_slot(7_069_376), 862);
        assert_eq!(n.fork_at_epoch(364_031), Fork::Deneb);
        assert_eq!(n.fork_at_epoch(364_032), Fork::Electra);
        assert_eq!(n.slot_at_time(0), 0);
        assert_eq!(n.slot_at_time(1_606_824_023 + 25), 2);
    }
}
