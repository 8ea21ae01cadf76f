//! The light-client containers in the SSZ form of one fork: encoding and
//! `hash_tree_root`.
//!
//! The client keeps one in-memory shape for every fork (`types.rs`) and reads
//! each fork's wire form with `from_ssz_fork`. Writing a fork's form and
//! hashing it is what the consensus spec's `ssz_static` vectors check
//! (`tests/ssz_static.rs`), and what a store written in a fork's form needs.
//! A container is a list of fields, each with its SSZ bytes, its root and
//! whether it is variable-size; the container's bytes and root follow from it.

use alloy_primitives::B256;

use super::config::Fork;
use super::types::{
    LightClientBootstrap, LightClientFinalityUpdate, LightClientHeader,
    LightClientOptimisticUpdate, LightClientUpdate,
};
use crate::ssz::{SszEncode, TreeHash, merkleize};

/// One field of a container: SSZ bytes, root, variable-size or not.
struct Field {
    bytes: Vec<u8>,
    root: B256,
    variable: bool,
}

fn fixed<T: SszEncode + TreeHash>(value: &T) -> Field {
    Field {
        bytes: value.to_ssz(),
        root: value.tree_hash_root(),
        variable: false,
    }
}

fn branch_field(branch: &[B256]) -> Field {
    Field {
        bytes: branch.iter().flat_map(|b| b.0).collect(),
        root: merkleize(branch, branch.len()),
        variable: false,
    }
}

fn header_field(header: &LightClientHeader, fork: Fork) -> Field {
    Field {
        bytes: header.to_ssz_fork(fork),
        root: header.tree_hash_root_fork(fork),
        variable: fork >= Fork::Capella,
    }
}

/// The container's SSZ bytes: fixed parts and offsets, then variable parts.
fn encode(fields: &[Field]) -> Vec<u8> {
    let fixed_len: usize = fields
        .iter()
        .map(|f| if f.variable { 4 } else { f.bytes.len() })
        .sum();
    let mut out = Vec::new();
    let mut tail = Vec::new();
    for f in fields {
        if f.variable {
            // Light-client containers are a few KiB: offsets fit in u32.
            let offset = u32::try_from(fixed_len + tail.len()).unwrap_or(u32::MAX);
            out.extend_from_slice(&offset.to_le_bytes());
            tail.extend_from_slice(&f.bytes);
        } else {
            out.extend_from_slice(&f.bytes);
        }
    }
    out.extend_from_slice(&tail);
    out
}

fn root(fields: &[Field]) -> B256 {
    let roots: Vec<B256> = fields.iter().map(|f| f.root).collect();
    merkleize(&roots, roots.len())
}

impl LightClientHeader {
    /// `hash_tree_root` of the header in the form of `fork` (Altair and
    /// Bellatrix: the beacon header only; Capella: the 15-field execution
    /// header).
    pub fn tree_hash_root_fork(&self, fork: Fork) -> B256 {
        match fork {
            Fork::Phase0 | Fork::Altair | Fork::Bellatrix => {
                merkleize(&[self.beacon.tree_hash_root()], 1)
            }
            Fork::Capella => root(&[
                fixed(&self.beacon),
                fixed(&self.execution.to_capella()),
                branch_field(self.execution_branch.as_slice()),
            ]),
            Fork::Deneb | Fork::Electra | Fork::Fulu => self.tree_hash_root(),
        }
    }
}

impl<const S: usize> LightClientBootstrap<S> {
    fn fields(&self, fork: Fork) -> [Field; 3] {
        [
            header_field(&self.header, fork),
            fixed(&self.current_sync_committee),
            branch_field(&self.current_sync_committee_branch),
        ]
    }
    /// The SSZ form of `fork`.
    pub fn to_ssz_fork(&self, fork: Fork) -> Vec<u8> {
        encode(&self.fields(fork))
    }
    /// `hash_tree_root` in the form of `fork`.
    pub fn tree_hash_root_fork(&self, fork: Fork) -> B256 {
        root(&self.fields(fork))
    }
}

impl<const S: usize> LightClientUpdate<S> {
    fn fields(&self, fork: Fork) -> [Field; 7] {
        [
            header_field(&self.attested_header, fork),
            fixed(&self.next_sync_committee),
            branch_field(&self.next_sync_committee_branch),
            header_field(&self.finalized_header, fork),
            branch_field(&self.finality_branch),
            fixed(&self.sync_aggregate),
            fixed(&self.signature_slot),
        ]
    }
    /// `hash_tree_root` in the form of `fork`.
    pub fn tree_hash_root_fork(&self, fork: Fork) -> B256 {
        root(&self.fields(fork))
    }
}

impl<const S: usize> LightClientFinalityUpdate<S> {
    fn fields(&self, fork: Fork) -> [Field; 5] {
        [
            header_field(&self.attested_header, fork),
            header_field(&self.finalized_header, fork),
            branch_field(&self.finality_branch),
            fixed(&self.sync_aggregate),
            fixed(&self.signature_slot),
        ]
    }
    /// The SSZ form of `fork`.
    pub fn to_ssz_fork(&self, fork: Fork) -> Vec<u8> {
        encode(&self.fields(fork))
    }
    /// `hash_tree_root` in the form of `fork`.
    pub fn tree_hash_root_fork(&self, fork: Fork) -> B256 {
        root(&self.fields(fork))
    }
}

impl<const S: usize> LightClientOptimisticUpdate<S> {
    fn fields(&self, fork: Fork) -> [Field; 3] {
        [
            header_field(&self.attested_header, fork),
            fixed(&self.sync_aggregate),
            fixed(&self.signature_slot),
        ]
    }
    /// The SSZ form of `fork`.
    pub fn to_ssz_fork(&self, fork: Fork) -> Vec<u8> {
        encode(&self.fields(fork))
    }
    /// `hash_tree_root` in the form of `fork`.
    pub fn tree_hash_root_fork(&self, fork: Fork) -> B256 {
        root(&self.fields(fork))
    }
}
