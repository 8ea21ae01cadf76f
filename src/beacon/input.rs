//! Entry points that turn bytes or text, as served by beacon nodes, into
//! typed light-client data, with the fork taken from the `version` field,
//! the `Eth-Consensus-Version` header or the fork digest (context bytes).

use super::config::{Fork, Network};
use super::error::BeaconError;
use super::json;
use super::types::{
    LightClientBootstrap, LightClientFinalityUpdate, LightClientOptimisticUpdate, LightClientUpdate,
};
use crate::ssz::SszError;

/// Bytes of the length prefix of an SSZ `/updates` chunk.
const CHUNK_LEN_BYTES: usize = 8;
/// Bytes of the fork digest (context) of an SSZ `/updates` chunk.
const CONTEXT_BYTES: usize = 4;

/// One chunk of an SSZ `/updates` body: its fork digest and SSZ payload.
pub type UpdateChunk<'a> = ([u8; 4], &'a [u8]);

/// A decoded object with the fork it was served under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned<T> {
    /// Fork of the container.
    pub fork: Fork,
    /// The object.
    pub data: T,
}

/// Bootstrap from Beacon API JSON text (`{version, data}`).
///
/// # Errors
/// [`BeaconError::Json`] or [`BeaconError::UnknownFork`].
pub fn bootstrap_from_json<const S: usize>(
    text: &str,
) -> Result<Versioned<LightClientBootstrap<S>>, BeaconError> {
    let v = json::parse_text(text)?;
    let (fork, data) = json::envelope(&v)?;
    Ok(Versioned {
        fork,
        data: json::bootstrap_from_data(data, fork)?,
    })
}

/// Updates from `/updates` JSON text: an array of envelopes (a single
/// envelope is accepted too).
///
/// # Errors
/// [`BeaconError::Json`] or [`BeaconError::UnknownFork`].
pub fn updates_from_json<const S: usize>(
    text: &str,
) -> Result<Vec<Versioned<LightClientUpdate<S>>>, BeaconError> {
    let v = json::parse_text(text)?;
    let items: Vec<&serde_json::Value> = match &v {
        serde_json::Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .map(|item| {
            let (fork, data) = json::envelope(item)?;
            Ok(Versioned {
                fork,
                data: json::update_from_data(data, fork)?,
            })
        })
        .collect()
}

/// Finality update from JSON text.
///
/// # Errors
/// [`BeaconError::Json`] or [`BeaconError::UnknownFork`].
pub fn finality_update_from_json<const S: usize>(
    text: &str,
) -> Result<Versioned<LightClientFinalityUpdate<S>>, BeaconError> {
    let v = json::parse_text(text)?;
    let (fork, data) = json::envelope(&v)?;
    Ok(Versioned {
        fork,
        data: json::finality_update_from_data(data, fork)?,
    })
}

/// Optimistic update from JSON text.
///
/// # Errors
/// [`BeaconError::Json`] or [`BeaconError::UnknownFork`].
pub fn optimistic_update_from_json<const S: usize>(
    text: &str,
) -> Result<Versioned<LightClientOptimisticUpdate<S>>, BeaconError> {
    let v = json::parse_text(text)?;
    let (fork, data) = json::envelope(&v)?;
    Ok(Versioned {
        fork,
        data: json::optimistic_update_from_data(data, fork)?,
    })
}

/// Splits an SSZ `/updates` body into (fork digest, payload) chunks. Each
/// chunk is an 8-byte little-endian length, then the 4-byte fork digest,
/// then the SSZ payload; the length counts the digest and the payload.
///
/// # Errors
/// [`BeaconError::Ssz`] for a truncated or inconsistent chunk.
pub fn split_update_chunks(bytes: &[u8]) -> Result<Vec<UpdateChunk<'_>>, BeaconError> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (len_bytes, tail) =
            rest.split_at_checked(CHUNK_LEN_BYTES)
                .ok_or(SszError::TooShort {
                    need: CHUNK_LEN_BYTES,
                    got: rest.len(),
                })?;
        let mut buf = [0u8; CHUNK_LEN_BYTES];
        buf.copy_from_slice(len_bytes);
        let len = usize::try_from(u64::from_le_bytes(buf))
            .map_err(|_| SszError::InvalidOffset { offset: usize::MAX })?;
        if len < CONTEXT_BYTES || len > tail.len() {
            return Err(SszError::InvalidOffset { offset: len }.into());
        }
        let (chunk, next) = tail.split_at(len);
        let (digest, payload) = chunk.split_at(CONTEXT_BYTES);
        let mut d = [0u8; CONTEXT_BYTES];
        d.copy_from_slice(digest);
        out.push((d, payload));
        rest = next;
    }
    Ok(out)
}

/// Updates from an SSZ `/updates` body, each decoded as the fork its digest names.
///
/// # Errors
/// [`BeaconError::Ssz`], or [`BeaconError::UnknownForkDigest`] for a digest
/// of no fork of `network`.
pub fn updates_from_ssz<const S: usize>(
    network: &Network,
    bytes: &[u8],
) -> Result<Vec<Versioned<LightClientUpdate<S>>>, BeaconError> {
    split_update_chunks(bytes)?
        .into_iter()
        .map(|(digest, payload)| {
            let fork = network.fork_for_digest(digest)?;
            Ok(Versioned {
                fork,
                data: LightClientUpdate::from_ssz_fork(payload, fork)?,
            })
        })
        .collect()
}

/// A single SSZ object prefixed by its 4-byte fork digest (the gossip /
/// req-resp and Portal form): returns the fork and the payload.
///
/// # Errors
/// [`BeaconError::Ssz`] if shorter than 4 bytes; [`BeaconError::UnknownForkDigest`].
pub fn split_fork_digest<'a>(
    network: &Network,
    bytes: &'a [u8],
) -> Result<(Fork, &'a [u8]), BeaconError> {
    let (digest, payload) = bytes
        .split_at_checked(CONTEXT_BYTES)
        .ok_or(SszError::TooShort {
            need: CONTEXT_BYTES,
            got: bytes.len(),
        })?;
    let mut d = [0u8; CONTEXT_BYTES];
    d.copy_from_slice(digest);
    Ok((network.fork_for_digest(d)?, payload))
}
