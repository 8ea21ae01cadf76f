//! The SP1 verifier versions this crate can verify, keyed by proof selector.
//!
//! An SP1 Groth16 or Plonk proof starts with a 4-byte *selector*:
//! `sha256(verifying key bytes)[..4]`. Each SP1 release line ships its own
//! BN254 verifying keys, so the selector tells which keys (and which proof
//! layout) to use. Proofs made by provers that have not upgraded keep
//! verifying as long as their release line is in [`KNOWN_VERIFIERS`].
//!
//! The v6.1+ keys and vk root come from the `sp1-verifier` dependency itself;
//! the older keys are copied, byte for byte, from older `sp1-verifier`
//! crates into `src/proof/vk/` (see `src/proof/vk/PROVENANCE.md`).

#[cfg(feature = "sp1")]
use std::sync::OnceLock;

#[cfg(feature = "sp1")]
use sha2::{Digest, Sha256};

/// Length of the verifying-key selector that prefixes every SP1 proof.
pub const SELECTOR_LEN: usize = 4;

/// The recursion vk root committed by SP1 v6.0.0 – v6.0.2 proofs.
pub const SP1_V6_0_VK_ROOT: [u8; 32] =
    alloy_primitives::hex!("008cd56e10c2fe24795cff1e1d1f40d3a324528d315674da45d26afb376e8670");

/// The recursion vk root committed by SP1 v6.1.0 – v6.10.0 proofs
/// (equal to `sp1_verifier::VK_ROOT_BYTES` of the linked crate; a test checks it).
pub const SP1_V6_1_VK_ROOT: [u8; 32] =
    alloy_primitives::hex!("002f850ee998974d6cc00e50cd0814b098c05bfade466d28573240d057f25352");

/// A proof system SP1 wraps its STARKs into for on-chain verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProofSystem {
    /// Groth16 over BN254 (gnark serialization).
    Groth16,
    /// Plonk over BN254 with KZG (gnark serialization).
    Plonk,
}

impl ProofSystem {
    /// The lowercase name used in the JS API: `"groth16"` or `"plonk"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Groth16 => "groth16",
            Self::Plonk => "plonk",
        }
    }
}

/// An SP1 release line with its own BN254 verifying keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sp1Release {
    /// sp1-verifier 3.2.0 – 3.4.0.
    V3,
    /// sp1-verifier 4.0.0 – 4.2.1.
    V4,
    /// sp1-verifier 5.0.0 – 5.2.4.
    V5,
    /// sp1-verifier 6.0.0 – 6.0.2.
    V6Early,
    /// sp1-verifier 6.1.0 – 6.10.0.
    V6,
}

/// How a release lays out the bytes after the selector, and what it commits to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofLayout {
    /// `selector ‖ body`; public inputs `[vkey, digest]`.
    Legacy,
    /// `selector ‖ exit_code ‖ vk_root ‖ nonce ‖ body`; public inputs
    /// `[vkey, digest, exit_code, vk_root, nonce]`.
    V6 {
        /// The recursion vk root every proof of this release must commit to.
        vk_root: [u8; 32],
    },
}

impl Sp1Release {
    /// The SP1 versions this release line covers, e.g. `"v6.1.0-v6.10.0"`.
    pub fn label(self) -> &'static str {
        match self {
            Self::V3 => "v3.2.0-v3.4.0",
            Self::V4 => "v4.0.0-v4.2.1",
            Self::V5 => "v5.0.0-v5.2.4",
            Self::V6Early => "v6.0.0-v6.0.2",
            Self::V6 => "v6.1.0-v6.10.0",
        }
    }

    /// The proof layout of this release.
    pub fn layout(self) -> ProofLayout {
        match self {
            Self::V3 | Self::V4 | Self::V5 => ProofLayout::Legacy,
            Self::V6Early => ProofLayout::V6 {
                vk_root: SP1_V6_0_VK_ROOT,
            },
            Self::V6 => ProofLayout::V6 {
                vk_root: SP1_V6_1_VK_ROOT,
            },
        }
    }

    /// Whether this release's verifier also accepts the blake3 public-values digest
    /// (SP1 added it in v4; v3 hashes public values with sha256 only).
    pub fn accepts_blake3_digest(self) -> bool {
        !matches!(self, Self::V3)
    }

    /// A dense index, used for per-release caches.
    #[cfg(feature = "sp1")]
    pub(crate) fn index(self) -> usize {
        match self {
            Self::V3 => 0,
            Self::V4 => 1,
            Self::V5 => 2,
            Self::V6Early => 3,
            Self::V6 => 4,
        }
    }
}

/// Number of [`Sp1Release`] variants.
pub(crate) const RELEASE_COUNT: usize = 5;

/// One verifier: a release line and a proof system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sp1Verifier {
    /// The SP1 release line.
    pub release: Sp1Release,
    /// The proof system.
    pub system: ProofSystem,
    /// The selector its proofs start with (`sha256(vk)[..4]`).
    pub selector: [u8; SELECTOR_LEN],
}

/// Every verifier this crate knows, with its selector.
pub const KNOWN_VERIFIERS: [Sp1Verifier; 2 * RELEASE_COUNT] = [
    verifier(
        Sp1Release::V3,
        ProofSystem::Groth16,
        [0x09, 0x06, 0x90, 0x90],
    ),
    verifier(Sp1Release::V3, ProofSystem::Plonk, [0x54, 0xbd, 0xca, 0xe3]),
    verifier(
        Sp1Release::V4,
        ProofSystem::Groth16,
        [0x11, 0xb6, 0xa0, 0x9d],
    ),
    verifier(Sp1Release::V4, ProofSystem::Plonk, [0x1b, 0x34, 0xfe, 0x11]),
    verifier(
        Sp1Release::V5,
        ProofSystem::Groth16,
        [0xa4, 0x59, 0x4c, 0x59],
    ),
    verifier(Sp1Release::V5, ProofSystem::Plonk, [0xd4, 0xe8, 0xec, 0xd2]),
    verifier(
        Sp1Release::V6Early,
        ProofSystem::Groth16,
        [0x0e, 0x78, 0xf4, 0xdb],
    ),
    verifier(
        Sp1Release::V6Early,
        ProofSystem::Plonk,
        [0xbb, 0x1a, 0x6f, 0x29],
    ),
    verifier(
        Sp1Release::V6,
        ProofSystem::Groth16,
        [0x43, 0x88, 0xa2, 0x1c],
    ),
    verifier(Sp1Release::V6, ProofSystem::Plonk, [0x5a, 0x09, 0x3a, 0x2f]),
];

const fn verifier(
    release: Sp1Release,
    system: ProofSystem,
    selector: [u8; SELECTOR_LEN],
) -> Sp1Verifier {
    Sp1Verifier {
        release,
        system,
        selector,
    }
}

/// Groth16 verifying keys of the pre-v6.1 releases (crate + version in vk/PROVENANCE.md).
#[cfg(feature = "sp1")]
const GROTH16_VK_V3: &[u8] = include_bytes!("vk/groth16_v3_4_0.bin");
#[cfg(feature = "sp1")]
const GROTH16_VK_V4: &[u8] = include_bytes!("vk/groth16_v4_2_1.bin");
#[cfg(feature = "sp1")]
const GROTH16_VK_V5: &[u8] = include_bytes!("vk/groth16_v5_2_4.bin");
#[cfg(feature = "sp1")]
const GROTH16_VK_V6_EARLY: &[u8] = include_bytes!("vk/groth16_v6_0_2.bin");
/// Plonk verifying keys of the pre-v6.1 releases.
#[cfg(feature = "sp1")]
const PLONK_VK_V3: &[u8] = include_bytes!("vk/plonk_v3_4_0.bin");
#[cfg(feature = "sp1")]
const PLONK_VK_V4: &[u8] = include_bytes!("vk/plonk_v4_2_1.bin");
#[cfg(feature = "sp1")]
const PLONK_VK_V5: &[u8] = include_bytes!("vk/plonk_v5_2_4.bin");
#[cfg(feature = "sp1")]
const PLONK_VK_V6_EARLY: &[u8] = include_bytes!("vk/plonk_v6_0_2.bin");

impl Sp1Verifier {
    /// Finds the verifier whose proofs start with `selector`.
    pub fn from_selector(selector: [u8; SELECTOR_LEN]) -> Option<Self> {
        KNOWN_VERIFIERS
            .iter()
            .find(|v| v.selector == selector)
            .copied()
    }

    /// Finds the verifier of a release line and proof system.
    pub fn of(release: Sp1Release, system: ProofSystem) -> Self {
        // Both loops cover every (release, system) pair, so the fallback is never used;
        // it keeps this total without a panic path.
        KNOWN_VERIFIERS
            .iter()
            .find(|v| v.release == release && v.system == system)
            .copied()
            .unwrap_or(verifier(release, system, [0; SELECTOR_LEN]))
    }

    /// The gnark-serialized BN254 verifying key.
    #[cfg(feature = "sp1")]
    pub fn vk_bytes(&self) -> &'static [u8] {
        match (self.release, self.system) {
            (Sp1Release::V3, ProofSystem::Groth16) => GROTH16_VK_V3,
            (Sp1Release::V4, ProofSystem::Groth16) => GROTH16_VK_V4,
            (Sp1Release::V5, ProofSystem::Groth16) => GROTH16_VK_V5,
            (Sp1Release::V6Early, ProofSystem::Groth16) => GROTH16_VK_V6_EARLY,
            (Sp1Release::V6, ProofSystem::Groth16) => &sp1_verifier::GROTH16_VK_BYTES,
            (Sp1Release::V3, ProofSystem::Plonk) => PLONK_VK_V3,
            (Sp1Release::V4, ProofSystem::Plonk) => PLONK_VK_V4,
            (Sp1Release::V5, ProofSystem::Plonk) => PLONK_VK_V5,
            (Sp1Release::V6Early, ProofSystem::Plonk) => PLONK_VK_V6_EARLY,
            (Sp1Release::V6, ProofSystem::Plonk) => &sp1_verifier::PLONK_VK_BYTES,
        }
    }

    /// `sha256(vk_bytes())[..4]`: the prefix SP1 puts on proofs for this key
    /// (computed once per process, then cached).
    #[cfg(feature = "sp1")]
    pub fn vk_prefix(&self) -> [u8; SELECTOR_LEN] {
        static CACHE: [OnceLock<[u8; SELECTOR_LEN]>; 2 * RELEASE_COUNT] =
            [const { OnceLock::new() }; 2 * RELEASE_COUNT];
        let slot = 2 * self.release.index()
            + match self.system {
                ProofSystem::Groth16 => 0,
                ProofSystem::Plonk => 1,
            };
        let compute = || {
            let digest = Sha256::digest(self.vk_bytes());
            let mut prefix = [0u8; SELECTOR_LEN];
            prefix.copy_from_slice(&digest[..SELECTOR_LEN]);
            prefix
        };
        match CACHE.get(slot) {
            Some(cell) => *cell.get_or_init(compute),
            None => compute(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_selector_is_its_key_prefix() {
        for v in KNOWN_VERIFIERS {
            let digest = Sha256::digest(v.vk_bytes());
            assert_eq!(digest[..SELECTOR_LEN], v.selector, "{v:?}");
            assert_eq!(v.vk_prefix(), v.selector, "{v:?}");
            assert_eq!(Sp1Verifier::from_selector(v.selector), Some(v));
            assert_eq!(Sp1Verifier::of(v.release, v.system), v);
        }
    }

    #[test]
    fn linked_sp1_verifier_is_the_v6_1_line() {
        assert_eq!(*sp1_verifier::VK_ROOT_BYTES, SP1_V6_1_VK_ROOT);
        assert_ne!(SP1_V6_0_VK_ROOT, SP1_V6_1_VK_ROOT);
    }

    #[test]
    fn unknown_selectors_are_not_found() {
        // SP1 v2 Groth16 and the v6.0.0-rc.1 Groth16 key are not supported.
        assert_eq!(Sp1Verifier::from_selector([0x6a, 0x29, 0x06, 0xac]), None);
        assert_eq!(Sp1Verifier::from_selector([0xf7, 0x40, 0xf9, 0x71]), None);
    }

    #[test]
    fn every_groth16_key_loads_on_arkworks() {
        for release in [
            Sp1Release::V3,
            Sp1Release::V4,
            Sp1Release::V5,
            Sp1Release::V6Early,
            Sp1Release::V6,
        ] {
            let pvk = super::super::groth16::prepared_vk(release).expect("key loads");
            let inputs = match release.layout() {
                ProofLayout::Legacy => 2,
                ProofLayout::V6 { .. } => 5,
            };
            assert_eq!(pvk.vk.gamma_abc_g1.len(), inputs + 1, "{release:?}");
        }
    }
}
