// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

// Every refusal of the inbox (docs/PROTOCOL.md section 5.2). `index` is the
// position of the block in the commitment's segment (0-based); `k` the
// position of a forced-inclusion proof or committee member.

// --- configuration and time ---
/// The constructor's configuration breaks a rule of section 5.2.
error InvalidConfig(string what);
/// The L1 block's timestamp is before the configured L1 genesis time.
error BeforeGenesis();

// --- commitment framing (section 5.2.1) ---
/// `prevCommitted` is not the committed head (someone else committed first).
error PrevMismatch(bytes32 committedHead, bytes32 prevCommitted);
/// `headHeader` does not hash to the committed head.
error HeadHeaderMismatch();
/// The commitment carries no block.
error EmptySegment();
/// `headers`, `certificates` and `signatures` differ in length.
error SegmentLengthMismatch();

// --- header rules (sections 1 and 3) ---
/// The header is not the exact canonical RLP of section 1.
error MalformedHeader(uint256 index);
/// The header's `kind` is not 0, 1 or 2.
error UnknownKind(uint256 index, uint256 kind);
/// The header's chain id is not the rollup's.
error WrongChainId(uint256 index, uint256 chainId);
/// The header's `parentHash` is not the previous block of the segment (or the committed head).
error NotChild(uint256 index);
/// `number` is not the parent's plus one.
error BadNumber(uint256 index);
/// `l1Slot` is below the parent's.
error L1SlotBackwards(uint256 index);
/// `timestamp` is below the parent's.
error TimestampBackwards(uint256 index);
/// `gasUsed` is above `gasLimit`.
error GasUsedAboveLimit(uint256 index);
/// A `kind = 1` block under the N-th block rule.
error MarkerNotAllowed(uint256 index);
/// A certified child of a slot-ending or based block does not start a later slot.
error CertifiedChildSameSlot(uint256 index);

// --- certificates (section 2) ---
/// The certificate bytes are not a section 2.3 encoding.
error MalformedCertificate(uint256 index);
/// A sequenced or slot-ending block without a certificate.
error MissingCertificate(uint256 index);
/// A based block with a certificate.
error UnexpectedCertificate(uint256 index);
/// The certificate kind is not the rollup's (ECDSA vs committee).
error WrongCertificateKind(uint256 index);
/// The ECDSA signature's `s` is in the upper half of the curve order.
error HighS(uint256 index);
/// The signature does not recover to the sequencer, or does not verify.
error InvalidSignature(uint256 index);
/// The participation bitfield has the wrong length or non-zero padding.
error InvalidBitfield(uint256 index);
/// The participating weight is below two thirds.
error BelowThreshold(uint256 index, uint256 signedWeight, uint256 totalWeight);
/// The certificate names a committee that does not sign the block's slot.
error WrongCommittee(uint256 index, uint256 committeeId);
/// The commitment did not supply the keys of a committee a certificate names.
error MissingCommitteeKeys(uint256 committeeId);
/// Supplied committee keys do not match the stored `committeeKeysHash`.
error CommitteeKeysMismatch(uint256 committeeId);
/// The uncompressed signature is not the point the compressed one encodes.
error SignatureEncodingMismatch(uint256 index);

// --- based blocks and based mode (sections 4 and 5.4) ---
/// A based block on a parent it may not extend.
error BasedWrongParent(uint256 index);
/// A based block on a slot-ending or based block of another slot.
error BasedWrongSlot(uint256 index);
/// A based block names another L1 parent than the block it extends.
error L1ParentMismatch(uint256 index);
/// A based block committed outside the L1 block of its own slot.
error BasedNotInItsSlot(uint256 index);
/// A based block's L1 parent is not the parent of the committing L1 block.
error BasedL1ParentMismatch(uint256 index);
/// A certified block committed during based mode.
error CertifiedInBasedMode(uint256 index);
/// A certified block of a slot later than the committing L1 block's.
error FutureSlot(uint256 index);
/// The EIP-4788 beacon roots contract did not answer for this block.
error BeaconRootUnavailable();

// --- forced inclusion (section 5.5) ---
/// The forced transaction's size is outside the allowed range.
error ForcedTxSize(uint256 size);
/// A due forced-inclusion request is not discharged by the commitment.
error ForcedInclusionMissing(uint256 queueIndex);
/// More proofs than pending requests.
error ForcedProofBeyondQueue(uint256 k);
/// A proof names a block outside the segment.
error ForcedProofBadBlock(uint256 k);
/// The inclusion proof does not show the request's transaction.
error ForcedProofInvalid(uint256 k);

// --- committee announcements (section 2.2) ---
/// Committee announcements exist only for committee rollups.
error NotCommitteeRollup();
/// No members, more than the maximum, or mismatched member arrays.
error BadCommitteeSize(uint256 members);
/// A member has weight zero.
error ZeroWeight(uint256 k);
/// A member's key is not a valid G1 point, or its two encodings differ.
error InvalidMemberKey(uint256 k);
/// The activation slot is too early or not after the previous committee's.
error BadActivation(uint256 activationSlot);
/// The authorizing committee is not the last announced one.
error WrongAuthorizer(uint256 committeeId);
