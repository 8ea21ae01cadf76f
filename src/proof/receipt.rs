//! What a verified SP1 proof establishes: [`ProofReceipt`].
//!
//! Always compiled (no curve code): the wasm core receives receipts from the
//! package's SP1 module (`bridge.rs`) and the rollup code consumes them.

use super::digest::DigestKind;
use super::scalar::ProgramVkey;
use super::versions::{ProofSystem, Sp1Release};

/// The exit code a successful SP1 program run commits to.
pub const SUCCESS_EXIT_CODE: [u8; 32] = [0; 32];

/// What a verified SP1 proof establishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofReceipt {
    /// Groth16 or Plonk.
    pub system: ProofSystem,
    /// The SP1 release line whose keys verified the proof.
    pub release: Sp1Release,
    /// The program the proof is for.
    pub program_vkey: ProgramVkey,
    /// The public values the program committed.
    pub public_values: Vec<u8>,
    /// Which public-values digest the proof commits to.
    pub digest: DigestKind,
    /// The v6 proof nonce, if any.
    pub nonce: Option<[u8; 32]>,
}

impl ProofReceipt {
    /// The SP1 versions of the verifying key, e.g. `"v6.1.0-v6.10.0"`.
    pub fn sp1_version(&self) -> &'static str {
        self.release.label()
    }
}
