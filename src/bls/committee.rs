//! [`SyncCommitteeKeys`]: a sync committee decoded once per period.
//!
//! # Pipeline
//!
//! 1. The beacon module verifies the Merkle branch of a `SyncCommittee`
//!    (bootstrap: against the trusted block's state root; rotation: against
//!    an attested state signed by the current committee).
//! 2. Only then are its 512 compressed keys decoded here, once, into curve
//!    points, and summed ([`SyncCommitteeKeys::decode`]).
//! 3. Every update of the period calls
//!    [`SyncCommitteeKeys::fast_aggregate_verify`], which only adds (or
//!    subtracts) points and runs one pairing check.
//!
//! Whether keys may be decoded without the subgroup check is decided, with
//! the reasoning, in the [module docs](super#may-authenticated-keys-skip-the-g1-subgroup-check).

use core::marker::PhantomData;

use super::{BlsBackend, BlsError, DefaultBackend, KeyCheck, PUBLIC_KEY_LEN, SIGNATURE_LEN};

/// The decompressed keys of one sync committee and their sum.
///
/// Decoding 512 compressed keys is the most expensive step of a cold start, so
/// a committee is decoded once when it becomes known and reused for every
/// update signed in its period.
#[derive(Clone)]
pub struct SyncCommitteeKeys<B: BlsBackend = DefaultBackend> {
    keys: Vec<B::PublicKey>,
    total: B::PublicKey,
    _backend: PhantomData<B>,
}

impl<B: BlsBackend> core::fmt::Debug for SyncCommitteeKeys<B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // 512 points are noise in a log; the size says which committee shape it is.
        f.debug_struct("SyncCommitteeKeys")
            .field("len", &self.keys.len())
            .finish_non_exhaustive()
    }
}

impl<B: BlsBackend> SyncCommitteeKeys<B> {
    /// Decodes every member key with the given check and sums them.
    ///
    /// # Errors
    /// [`BlsError::InvalidPublicKey`] or [`BlsError::InfinityPublicKey`] for
    /// the first bad key; [`BlsError::NoParticipants`] for an empty committee.
    pub fn decode(keys: &[[u8; PUBLIC_KEY_LEN]], check: KeyCheck) -> Result<Self, BlsError> {
        let keys = keys
            .iter()
            .map(|k| B::decode_public_key(k, check))
            .collect::<Result<Vec<_>, _>>()?;
        let total = B::aggregate(keys.iter()).ok_or(BlsError::NoParticipants)?;
        Ok(Self {
            keys,
            total,
            _backend: PhantomData,
        })
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the committee has no members (never true for a decoded one).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// `FastAggregateVerify` of `signature` over `message` by the members whose
    /// `participation` bit is set.
    ///
    /// When more than half the committee participates, the aggregate is the
    /// committee total minus the absent members, which needs fewer additions.
    ///
    /// # Errors
    /// [`BlsError::ParticipationLength`] if the bitfield does not match the
    /// committee; [`BlsError::NoParticipants`] if no bit is set;
    /// [`BlsError::InvalidSignature`] if the signature does not verify.
    pub fn fast_aggregate_verify(
        &self,
        participation: &[bool],
        message: &[u8],
        signature: &[u8; SIGNATURE_LEN],
    ) -> Result<(), BlsError> {
        if participation.len() != self.keys.len() {
            return Err(BlsError::ParticipationLength {
                expected: self.keys.len(),
                got: participation.len(),
            });
        }
        let present = participation.iter().filter(|b| **b).count();
        if present == 0 {
            return Err(BlsError::NoParticipants);
        }
        // `present <= len`, so this never saturates.
        let absent = self.keys.len().saturating_sub(present);
        let aggregate = if present > absent && absent > 0 {
            let absent_keys = self.members_where(participation, false);
            let absent_sum = B::aggregate(absent_keys).ok_or(BlsError::NoParticipants)?;
            B::subtract(&self.total, &absent_sum)
        } else if absent == 0 {
            self.total.clone()
        } else {
            B::aggregate(self.members_where(participation, true)).ok_or(BlsError::NoParticipants)?
        };
        B::verify(&aggregate, message, signature)
    }

    fn members_where<'a>(
        &'a self,
        participation: &'a [bool],
        bit: bool,
    ) -> impl Iterator<Item = &'a B::PublicKey> + 'a {
        self.keys
            .iter()
            .zip(participation)
            .filter(move |(_, p)| **p == bit)
            .map(|(k, _)| k)
    }
}
