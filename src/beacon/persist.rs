//! Persistence of a [`LightClient`]: `to_bytes` / `from_bytes`.
//!
//! Format (all integers little-endian):
//!
//! ```text
//!  magic "PLBEACON" | format version u16 | genesis validators root (32)
//!  | sync committee size u32 | body length u32 | body | sha256(all before) (32)
//! ```
//!
//! The body holds the finalized and optimistic headers (length-prefixed
//! Deneb-form SSZ), the current committee, the next committee and the best
//! valid update (each behind a presence byte), and the two participant
//! maxima. The hash detects corruption, not tampering: whoever can write the
//! storage can also write a valid hash, so storage must be as trusted as the
//! client itself. Committee keys are re-decoded on load.

use alloy_primitives::B256;

use super::client::LightClient;
use super::config::Network;
use super::error::BeaconError;
use super::store::{Committee, LightClientStore};
use super::types::{LightClientHeader, LightClientUpdate, SyncAggregate, SyncCommittee};
use crate::ssz::{SszDecode, SszEncode, sha256};

/// Magic prefix of a persisted store.
const MAGIC: &[u8; 8] = b"PLBEACON";
/// Current format version.
pub(crate) const FORMAT_VERSION: u16 = 1;
/// Length of the trailing sha256.
const HASH_LEN: usize = 32;

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], BeaconError> {
        let (head, tail) = self
            .bytes
            .split_at_checked(n)
            .ok_or(BeaconError::StoreCorrupted("truncated"))?;
        self.bytes = tail;
        Ok(head)
    }
    fn u8(&mut self) -> Result<u8, BeaconError> {
        Ok(self.take(1)?.first().copied().unwrap_or_default())
    }
    fn u32(&mut self) -> Result<u32, BeaconError> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(b))
    }
    fn u64(&mut self) -> Result<u64, BeaconError> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(b))
    }
    fn prefixed(&mut self) -> Result<&'a [u8], BeaconError> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    fn header(&mut self) -> Result<LightClientHeader, BeaconError> {
        LightClientHeader::from_ssz(self.prefixed()?)
            .map_err(|_| BeaconError::StoreCorrupted("header"))
    }
    fn committee<const S: usize>(&mut self) -> Result<SyncCommittee<S>, BeaconError> {
        SyncCommittee::from_ssz(self.take(S * 48 + 48)?)
            .map_err(|_| BeaconError::StoreCorrupted("committee"))
    }
    fn branch(&mut self) -> Result<Vec<B256>, BeaconError> {
        let n = self.u8()? as usize;
        Ok(self
            .take(n * 32)?
            .chunks(32)
            .map(B256::from_slice)
            .collect())
    }
}

fn put_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn put_branch(out: &mut Vec<u8>, branch: &[B256]) {
    out.push(branch.len().min(255) as u8);
    for b in branch.iter().take(255) {
        out.extend_from_slice(b.as_slice());
    }
}

impl<const S: usize> LightClient<S> {
    /// Serializes the client's store (see the module docs for the format).
    pub fn to_bytes(&self) -> Vec<u8> {
        let s = &self.store;
        let mut body = Vec::new();
        put_prefixed(&mut body, &s.finalized_header.to_ssz());
        put_prefixed(&mut body, &s.optimistic_header.to_ssz());
        s.current.committee.ssz_append(&mut body);
        match &s.next {
            Some(n) => {
                body.push(1);
                n.committee.ssz_append(&mut body);
            }
            None => body.push(0),
        }
        match &s.best_valid_update {
            Some((u, _)) => {
                body.push(1);
                put_prefixed(&mut body, &u.attested_header.to_ssz());
                u.next_sync_committee.ssz_append(&mut body);
                put_branch(&mut body, &u.next_sync_committee_branch);
                put_prefixed(&mut body, &u.finalized_header.to_ssz());
                put_branch(&mut body, &u.finality_branch);
                u.sync_aggregate.ssz_append(&mut body);
                body.extend_from_slice(&u.signature_slot.to_le_bytes());
            }
            None => body.push(0),
        }
        body.extend_from_slice(&s.previous_max_active_participants.to_le_bytes());
        body.extend_from_slice(&s.current_max_active_participants.to_le_bytes());

        let mut out = Vec::with_capacity(body.len() + 80);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(self.network.genesis_validators_root().as_slice());
        out.extend_from_slice(&(S as u32).to_le_bytes());
        put_prefixed(&mut out, &body);
        let hash = sha256(&out);
        out.extend_from_slice(hash.as_slice());
        out
    }

    /// Restores a client written by [`Self::to_bytes`] for `network`.
    ///
    /// # Errors
    /// [`BeaconError::StoreCorrupted`] (bad magic, hash, or content),
    /// [`BeaconError::StoreVersion`], [`BeaconError::WrongNetwork`] (other
    /// genesis validators root or committee size), [`BeaconError::PresetMismatch`].
    pub fn from_bytes(network: Network, bytes: &[u8]) -> Result<Self, BeaconError> {
        let size = network.preset().sync_committee_size;
        if size != S {
            return Err(BeaconError::PresetMismatch {
                network: size,
                client: S,
            });
        }
        let split = bytes
            .len()
            .checked_sub(HASH_LEN)
            .ok_or(BeaconError::StoreCorrupted("truncated"))?;
        let (content, hash) = bytes.split_at(split);
        if !content.starts_with(MAGIC) {
            return Err(BeaconError::StoreCorrupted(
                "not a persisted light-client store",
            ));
        }
        if sha256(content).as_slice() != hash {
            return Err(BeaconError::StoreCorrupted("integrity check failed"));
        }
        let mut r = Reader { bytes: content };
        r.take(MAGIC.len())?;
        let mut v = [0u8; 2];
        v.copy_from_slice(r.take(2)?);
        let version = u16::from_le_bytes(v);
        if version != FORMAT_VERSION {
            return Err(BeaconError::StoreVersion(version));
        }
        if B256::from_slice(r.take(32)?) != network.genesis_validators_root()
            || r.u32()? as usize != S
        {
            return Err(BeaconError::WrongNetwork);
        }
        let body = r.prefixed()?;
        if !r.bytes.is_empty() {
            return Err(BeaconError::StoreCorrupted("trailing bytes"));
        }
        let mut r = Reader { bytes: body };
        let finalized_header = r.header()?;
        let optimistic_header = r.header()?;
        let current = Committee::decode(r.committee::<S>()?)?;
        let next = match r.u8()? {
            0 => None,
            1 => Some(Committee::decode(r.committee::<S>()?)?),
            _ => return Err(BeaconError::StoreCorrupted("flag")),
        };
        let best_valid_update = match r.u8()? {
            0 => None,
            1 => {
                let attested_header = r.header()?;
                let next_sync_committee = r.committee::<S>()?;
                let next_sync_committee_branch = r.branch()?;
                let finalized_header = r.header()?;
                let finality_branch = r.branch()?;
                let sync_aggregate = SyncAggregate::from_ssz(r.take(S.div_ceil(8) + 96)?)
                    .map_err(|_| BeaconError::StoreCorrupted("aggregate"))?;
                let signature_slot = r.u64()?;
                let update = LightClientUpdate {
                    attested_header,
                    next_sync_committee,
                    next_sync_committee_branch,
                    finalized_header,
                    finality_branch,
                    sync_aggregate,
                    signature_slot,
                };
                let keys = if super::store::is_sync_committee_update(&update) {
                    Some(Committee::decode(update.next_sync_committee.clone())?)
                } else {
                    None
                };
                Some((update, keys))
            }
            _ => return Err(BeaconError::StoreCorrupted("flag")),
        };
        let previous_max_active_participants = r.u64()?;
        let current_max_active_participants = r.u64()?;
        if !r.bytes.is_empty() {
            return Err(BeaconError::StoreCorrupted("trailing body bytes"));
        }
        let store = LightClientStore {
            finalized_header,
            current,
            next,
            best_valid_update,
            optimistic_header,
            previous_max_active_participants,
            current_max_active_participants,
            generation: 0,
        };
        Ok(Self { network, store })
    }
}
