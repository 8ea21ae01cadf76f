//! [`SyncCommitteeKeys`]: a sync committee's keys, decoded when first needed.
//!
//! # Pipeline
//!
//! 1. The beacon module verifies the Merkle branch of a `SyncCommittee`
//!    (bootstrap: against the trusted block's state root; rotation: against
//!    an attested state signed by the current committee).
//! 2. Only then is it handed here, still compressed
//!    ([`SyncCommitteeKeys::from_authenticated`]): 512 keys and the state's
//!    `aggregate_pubkey`. Nothing is decompressed yet; only the infinity
//!    encoding is refused (a byte comparison).
//! 3. Each update of the period calls
//!    [`SyncCommitteeKeys::fast_aggregate_verify`]. It needs the aggregate of
//!    the participants: with most members signing, the committee total minus
//!    the absent members, so it decompresses the total and the absent keys,
//!    each at most once per committee (cached), and runs one pairing check.
//!
//! # Why the state's `aggregate_pubkey` may stand for the sum of the keys
//!
//! The state transition sets `aggregate_pubkey = eth_aggregate_pubkeys(pubkeys)`
//! (`get_next_sync_committee`), and the committee reaches this type only
//! through a Merkle branch into an authenticated state (the same
//! authentication the subgroup-check decision in the
//! [module docs](super#may-authenticated-keys-skip-the-g1-subgroup-check)
//! rests on). Whoever could make the two disagree could already install a
//! committee of their choice. So `total − absent` is the participants' sum,
//! and a member key that takes part in no arithmetic is never decompressed:
//! every point that is added or subtracted passed the on-curve check.
//!
//! Decoding all 512 keys costs ~30 ms in wasm (`docs/BENCHMARKS.md`), which
//! the update carrying the next committee and the bootstrap used to pay;
//! with a typical 95–100% participation an update now decompresses 1–25
//! points. Keys from anywhere else ([`SyncCommitteeKeys::decode`], e.g. the
//! JS `SyncCommittee` class) are decoded and summed at once, with the check
//! the caller asks for.

use std::sync::OnceLock;

use core::marker::PhantomData;

use super::{BlsBackend, BlsError, DefaultBackend, KeyCheck, PUBLIC_KEY_LEN, SIGNATURE_LEN};

/// The compressed infinity point: `0xc0` followed by zeros.
fn is_infinity_encoding(bytes: &[u8; PUBLIC_KEY_LEN]) -> bool {
    bytes[0] == 0xc0 && bytes[1..].iter().all(|b| *b == 0)
}

/// The keys of one sync committee and their sum, decompressed on first use.
#[derive(Clone)]
pub struct SyncCommitteeKeys<B: BlsBackend = DefaultBackend> {
    compressed: Vec<[u8; PUBLIC_KEY_LEN]>,
    decoded: Vec<OnceLock<B::PublicKey>>,
    /// The compressed sum, when the committee came with an authenticated one.
    compressed_total: Option<[u8; PUBLIC_KEY_LEN]>,
    total: OnceLock<B::PublicKey>,
    check: KeyCheck,
    _backend: PhantomData<B>,
}

impl<B: BlsBackend> core::fmt::Debug for SyncCommitteeKeys<B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // 512 points are noise in a log; the size says which committee shape it is.
        f.debug_struct("SyncCommitteeKeys")
            .field("len", &self.compressed.len())
            .field(
                "decoded",
                &self.decoded.iter().filter(|k| k.get().is_some()).count(),
            )
            .finish_non_exhaustive()
    }
}

impl<B: BlsBackend> SyncCommitteeKeys<B> {
    /// Decodes every member key with the given check and sums them, now.
    ///
    /// # Errors
    /// [`BlsError::InvalidPublicKey`] or [`BlsError::InfinityPublicKey`] for
    /// the first bad key; [`BlsError::NoParticipants`] for an empty committee.
    pub fn decode(keys: &[[u8; PUBLIC_KEY_LEN]], check: KeyCheck) -> Result<Self, BlsError> {
        let points = keys
            .iter()
            .map(|k| B::decode_public_key(k, check))
            .collect::<Result<Vec<_>, _>>()?;
        let total = B::aggregate(points.iter()).ok_or(BlsError::NoParticipants)?;
        Ok(Self {
            compressed: keys.to_vec(),
            decoded: points.into_iter().map(OnceLock::from).collect(),
            compressed_total: None,
            total: OnceLock::from(total),
            check,
            _backend: PhantomData,
        })
    }

    /// Takes an authenticated committee (keys and the state's
    /// `aggregate_pubkey`) without decompressing anything: keys are decoded
    /// with [`KeyCheck::Authenticated`] when an update first needs them.
    /// Call it only after the committee's Merkle branch was verified (see the
    /// module docs).
    ///
    /// # Errors
    /// [`BlsError::InfinityPublicKey`] if a key or the aggregate is the
    /// infinity encoding; [`BlsError::NoParticipants`] for an empty committee.
    pub fn from_authenticated(
        keys: Vec<[u8; PUBLIC_KEY_LEN]>,
        aggregate: [u8; PUBLIC_KEY_LEN],
    ) -> Result<Self, BlsError> {
        if keys.is_empty() {
            return Err(BlsError::NoParticipants);
        }
        if keys.iter().chain([&aggregate]).any(is_infinity_encoding) {
            return Err(BlsError::InfinityPublicKey);
        }
        Ok(Self {
            decoded: keys.iter().map(|_| OnceLock::new()).collect(),
            compressed: keys,
            compressed_total: Some(aggregate),
            total: OnceLock::new(),
            check: KeyCheck::Authenticated,
            _backend: PhantomData,
        })
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.compressed.len()
    }

    /// Whether the committee has no members (never true for a built one).
    pub fn is_empty(&self) -> bool {
        self.compressed.is_empty()
    }

    /// How many member keys are decompressed so far (for tests and benchmarks).
    pub fn decoded_count(&self) -> usize {
        self.decoded.iter().filter(|k| k.get().is_some()).count()
    }

    /// `FastAggregateVerify` of `signature` over `message` by the members whose
    /// `participation` bit is set.
    ///
    /// When more than half the committee participates, the aggregate is the
    /// committee total minus the absent members, so only those are decoded.
    ///
    /// # Errors
    /// [`BlsError::ParticipationLength`] if the bitfield does not match the
    /// committee; [`BlsError::NoParticipants`] if no bit is set;
    /// [`BlsError::InvalidPublicKey`] / [`BlsError::InfinityPublicKey`] if a
    /// key needed does not decode; [`BlsError::InvalidSignature`] if the
    /// signature does not verify.
    pub fn fast_aggregate_verify(
        &self,
        participation: &[bool],
        message: &[u8],
        signature: &[u8; SIGNATURE_LEN],
    ) -> Result<(), BlsError> {
        if participation.len() != self.len() {
            return Err(BlsError::ParticipationLength {
                expected: self.len(),
                got: participation.len(),
            });
        }
        let present = participation.iter().filter(|b| **b).count();
        if present == 0 {
            return Err(BlsError::NoParticipants);
        }
        // `present <= len`, so this never saturates.
        let absent = self.len().saturating_sub(present);
        let aggregate = if absent == 0 {
            self.total()?.clone()
        } else if present > absent {
            let absent_keys = self.members_where(participation, false)?;
            let absent_sum =
                B::aggregate(absent_keys.into_iter()).ok_or(BlsError::NoParticipants)?;
            B::subtract(self.total()?, &absent_sum)
        } else {
            let present_keys = self.members_where(participation, true)?;
            B::aggregate(present_keys.into_iter()).ok_or(BlsError::NoParticipants)?
        };
        B::verify(&aggregate, message, signature)
    }

    /// The sum of all member keys: decoded from the authenticated aggregate
    /// on first use, or computed when the committee was decoded eagerly.
    fn total(&self) -> Result<&B::PublicKey, BlsError> {
        if let Some(total) = self.total.get() {
            return Ok(total);
        }
        let point = match &self.compressed_total {
            Some(bytes) => B::decode_public_key(bytes, self.check)?,
            None => {
                let all = self.members_where(&vec![true; self.len()], true)?;
                B::aggregate(all.into_iter()).ok_or(BlsError::NoParticipants)?
            }
        };
        Ok(self.total.get_or_init(|| point))
    }

    /// The decoded keys of the members whose bit equals `bit`.
    fn members_where(
        &self,
        participation: &[bool],
        bit: bool,
    ) -> Result<Vec<&B::PublicKey>, BlsError> {
        self.decoded
            .iter()
            .zip(&self.compressed)
            .zip(participation)
            .filter(|(_, p)| **p == bit)
            .map(|((cell, bytes), _)| match cell.get() {
                Some(key) => Ok(key),
                None => {
                    let key = B::decode_public_key(bytes, self.check)?;
                    Ok(cell.get_or_init(|| key))
                }
            })
            .collect()
    }
}
