// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import "./Errors.sol";
import {L2Header, L2HeaderCodec} from "./L2HeaderCodec.sol";
import {Bls} from "./Bls.sol";
import {Mpt} from "./Mpt.sol";
import {CommitteeCodec} from "./CommitteeCodec.sol";

/// The rollup inbox of docs/PROTOCOL.md (version 2), section 5.
///
/// It accepts a commitment only if the committed segment is a valid
/// extension of the committed head under the rules every client applies
/// (sections 1-5), evaluated at this L1 block: so the committed head it
/// stores is always a head every client accepts, and a client that anchors
/// on it (by `eth_getProof`, section 5.3) derives what a client that
/// followed from genesis derives. A refused call reverts with a named error
/// and changes nothing.
///
/// Storage (section 5.3) is declared in slot order; do not reorder.
contract PreconfInbox {
    /// Immutable rollup parameters (section 8's config, minus the inbox address).
    struct Config {
        uint64 chainId;
        /// The sequencer key's address; zero for a committee rollup.
        address sequencer;
        /// N of the N-th block rule; 0 for the marker rule.
        uint32 slotEndingN;
        /// K: slots without a commitment before based mode.
        uint64 stallLimitSlots;
        uint64 forcedInclusionWindowSlots;
        uint64 genesisTime;
        uint64 secondsPerSlot;
        uint64 slotsPerEpoch;
    }

    /// A committee's keys as a commitment supplies them (checked against `committeeKeysHash`).
    struct CommitteeKeys {
        uint64 id;
        /// n uncompressed EIP-2537 G1 keys, 128 bytes each, in member order.
        bytes keys;
        uint64[] weights;
    }

    /// Proof that queue entry `forcedHead + k` is transaction `txIndex` of segment block `blockIndex`.
    struct ForcedProof {
        uint64 blockIndex;
        uint64 txIndex;
        /// The trie nodes from the block's transactions root to the leaf.
        bytes[] nodes;
    }

    /// One forced-inclusion request.
    struct ForcedRequest {
        bytes32 txHash;
        uint64 deadlineSlot;
        uint64 requestSlot;
    }

    // ----- storage, slot by slot (section 5.3) -----
    /// slot 0
    bytes32 public committedHead;
    /// slot 1
    mapping(uint64 => bytes32) public committeeHash;
    /// slot 2
    mapping(uint64 => uint64) public committeeActivation;
    /// slot 3 (everything a commitment writes, one word): bits 0-63
    /// committedNumber, 64-127 lastCommitSlot, 128-159 headNth, 160-223 forcedHead
    uint64 public committedNumber;
    uint64 public lastCommitSlot;
    uint32 public headNth;
    uint64 public forcedHead;
    /// slot 4: bits 0-63 forcedTail, 64-127 committeeCount
    uint64 public forcedTail;
    uint64 public committeeCount;
    /// slot 5
    mapping(uint64 => bytes32) public committeeKeysHash;
    /// slot 6 (two words per entry)
    mapping(uint64 => ForcedRequest) public forcedQueue;

    // ----- configuration -----
    uint64 public immutable CHAIN_ID;
    address public immutable SEQUENCER;
    uint32 public immutable SLOT_ENDING_N;
    uint64 public immutable STALL_LIMIT_SLOTS;
    uint64 public immutable FORCED_INCLUSION_WINDOW_SLOTS;
    uint64 public immutable GENESIS_TIME;
    uint64 public immutable SECONDS_PER_SLOT;
    uint64 public immutable SLOTS_PER_EPOCH;
    /// The hash of committee 0 (the config's `sequencerId`); zero for an ECDSA rollup.
    bytes32 public immutable INITIAL_COMMITTEE_HASH;

    // ----- protocol constants -----
    bytes32 public constant ECDSA_DOMAIN = "preconf-light/seq-ecdsa/v1";
    bytes32 public constant BLS_DOMAIN = "preconf-light/seq-bls/v1";
    bytes32 public constant ROTATION_DOMAIN = "preconf-light/seq-rotate/v1";
    /// Forced transactions are 32 bytes to 32 KiB (section 5.5).
    uint256 public constant MIN_FORCED_TX_BYTES = 32;
    uint256 public constant MAX_FORCED_TX_BYTES = 32768;
    /// A commitment must discharge the due requests, up to this many (section 5.5).
    uint256 public constant FORCED_DISCHARGE_LIMIT = 16;
    /// Largest committee (section 2.2).
    uint256 public constant MAX_COMMITTEE_MEMBERS = 1024;
    /// The EIP-4788 beacon roots contract.
    address public constant BEACON_ROOTS = 0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02;

    uint256 private constant KIND_SLOT_ENDING = 1;
    uint256 private constant KIND_BASED = 2;
    uint256 private constant TAG_NONE = 0;
    uint256 private constant TAG_ECDSA = 1;
    uint256 private constant TAG_COMMITTEE = 2;
    uint256 private constant ECDSA_CERT_LEN = 66;
    /// tag (1) + committee id (8) + bitfield length (2)
    uint256 private constant COMMITTEE_CERT_FIXED = 11;
    uint256 private constant HALF_SECP256K1_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;
    /// `index` of errors about the committed head's header and the rotation authorization.
    uint256 private constant HEAD_INDEX = type(uint256).max;
    uint256 private constant AUTH_INDEX = type(uint256).max - 1;
    uint256 private constant MAX_SLOT_PARAM = type(uint32).max;

    /// A commitment (section 5.2.1): `blockHash` is the new committed head.
    event L2BlocksCommitted(
        bytes32 indexed blockHash,
        uint64 number,
        bytes32 prevCommitted,
        uint64 forcedHead,
        bytes[] headers,
        bytes[] certificates
    );
    /// A forced-inclusion request (section 5.5).
    event ForcedInclusionRequested(bytes32 indexed txHash, uint64 index, uint64 deadlineSlot, bytes transaction);
    /// A committee announcement (section 2.2).
    event CommitteeAnnounced(
        uint64 indexed committeeId, uint64 activationSlot, bytes32 committeeHash, bytes pubkeys, uint64[] weights
    );

    /// The parent of the block being checked, and what the rules need of it.
    struct Parent {
        L2Header h;
        uint256 nth;
        bool slotEnding;
    }

    /// Facts of this L1 block, the L1 parent loaded on first use.
    struct Here {
        uint256 slot;
        bool basedMode;
        bool l1Loaded;
        bytes32 l1BeaconRoot;
        bytes32 l1BlockHash;
    }

    constructor(Config memory cfg, bytes32 genesisHash, bytes32 initialCommitteeHash) {
        if (cfg.secondsPerSlot == 0 || cfg.slotsPerEpoch == 0) revert InvalidConfig("zero slot or epoch length");
        if (cfg.stallLimitSlots == 0) revert InvalidConfig("zero stall limit");
        if (
            cfg.stallLimitSlots > MAX_SLOT_PARAM || cfg.forcedInclusionWindowSlots > MAX_SLOT_PARAM
                || cfg.slotsPerEpoch > MAX_SLOT_PARAM
        ) revert InvalidConfig("slot parameter above 2^32");
        if ((cfg.sequencer == address(0)) == (initialCommitteeHash == bytes32(0))) {
            revert InvalidConfig("exactly one of sequencer and initial committee");
        }
        if (genesisHash == bytes32(0)) revert InvalidConfig("zero genesis hash");
        CHAIN_ID = cfg.chainId;
        SEQUENCER = cfg.sequencer;
        SLOT_ENDING_N = cfg.slotEndingN;
        STALL_LIMIT_SLOTS = cfg.stallLimitSlots;
        FORCED_INCLUSION_WINDOW_SLOTS = cfg.forcedInclusionWindowSlots;
        GENESIS_TIME = cfg.genesisTime;
        SECONDS_PER_SLOT = cfg.secondsPerSlot;
        SLOTS_PER_EPOCH = cfg.slotsPerEpoch;
        INITIAL_COMMITTEE_HASH = initialCommitteeHash;
        if (block.timestamp < cfg.genesisTime) revert BeforeGenesis();
        committedHead = genesisHash;
        lastCommitSlot = uint64((block.timestamp - cfg.genesisTime) / cfg.secondsPerSlot);
    }

    // ======================= commitments (section 5.2.1) =======================

    /// Commits `headers` (ascending, the first a child of the committed head).
    /// `certificates[i]` is block i's section 2.3 certificate; `signatures[i]`
    /// the uncompressed G2 signature of a committee certificate (empty
    /// otherwise; the whole array may be empty when no block carries one);
    /// `committees` the keys of every committee a certificate names;
    /// `forced[k]` the inclusion proof of queue entry `forcedHead + k`.
    function commit(
        bytes32 prevCommitted,
        bytes calldata headHeader,
        bytes[] calldata headers,
        bytes[] calldata certificates,
        bytes[] calldata signatures,
        CommitteeKeys[] calldata committees,
        ForcedProof[] calldata forced
    ) external {
        Here memory here;
        here.slot = _currentSlot();
        here.basedMode = here.slot > uint256(lastCommitSlot) + STALL_LIMIT_SLOTS;
        bytes32 head = committedHead;
        if (prevCommitted != head) revert PrevMismatch(head, prevCommitted);
        if (L2HeaderCodec.hashOf(headHeader) != head) revert HeadHeaderMismatch();
        uint256 n = headers.length;
        if (n == 0) revert EmptySegment();
        if (certificates.length != n || (signatures.length != n && signatures.length != 0)) {
            revert SegmentLengthMismatch();
        }
        for (uint256 k = 0; k < committees.length; ++k) {
            _checkCommitteeKeys(committees[k]);
        }
        Parent memory parent;
        parent.h = L2HeaderCodec.decode(headHeader, HEAD_INDEX);
        if (parent.h.number != committedNumber) revert HeadHeaderMismatch();
        parent.nth = headNth;
        parent.slotEnding = _slotEnding(parent.h.kind, parent.nth);
        bytes32[] memory roots = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) {
            L2Header memory h = L2HeaderCodec.decode(headers[i], i);
            _checkLink(h, parent.h, i);
            bytes calldata sig = signatures.length == 0 ? headHeader[0:0] : signatures[i];
            uint256 nth;
            if (h.kind == KIND_BASED) {
                _checkBased(h, parent, certificates[i], here, i);
            } else {
                nth = _checkCertified(h, parent, certificates[i], sig, committees, here, i);
            }
            roots[i] = h.transactionsRoot;
            parent.h = h;
            parent.nth = nth;
            parent.slotEnding = h.kind != KIND_BASED && _slotEnding(h.kind, nth);
        }
        uint256 newForcedHead = _discharge(forced, roots, here.slot);
        committedHead = parent.h.hash;
        committedNumber = uint64(parent.h.number);
        lastCommitSlot = uint64(here.slot);
        headNth = parent.nth > type(uint32).max ? type(uint32).max : uint32(parent.nth);
        forcedHead = uint64(newForcedHead);
        emit L2BlocksCommitted(
            parent.h.hash, uint64(parent.h.number), prevCommitted, uint64(newForcedHead), headers, certificates
        );
    }

    /// Section 1's structural rules of a block against its parent.
    function _checkLink(L2Header memory h, L2Header memory p, uint256 i) private view {
        if (h.chainId != CHAIN_ID) revert WrongChainId(i, h.chainId);
        if (h.parentHash != p.hash) revert NotChild(i);
        if (h.number != p.number + 1) revert BadNumber(i);
        if (h.l1Slot < p.l1Slot) revert L1SlotBackwards(i);
        if (h.timestamp < p.timestamp) revert TimestampBackwards(i);
        if (h.gasUsed > h.gasLimit) revert GasUsedAboveLimit(i);
    }

    /// Section 4: a based block's parent, its slot and its L1 parent.
    function _checkBased(L2Header memory h, Parent memory p, bytes calldata cert, Here memory here, uint256 i)
        private
        view
    {
        if (_certificateTag(cert, i) != TAG_NONE) revert UnexpectedCertificate(i);
        // Rule 1(c): in based mode the first block may extend the committed
        // head whatever its kind and slot; rule 2 does not apply to it.
        if (!(here.basedMode && i == 0)) {
            if (p.h.kind == KIND_BASED || p.slotEnding) {
                if (p.h.l1Slot != h.l1Slot) revert BasedWrongSlot(i);
                if (p.h.l1ParentBeaconRoot != h.l1ParentBeaconRoot || p.h.l1ParentBlockHash != h.l1ParentBlockHash) {
                    revert L1ParentMismatch(i);
                }
            } else {
                revert BasedWrongParent(i);
            }
        }
        // Rule 3: committed by the L1 block of its slot, built on its L1 parent.
        if (h.l1Slot != here.slot) revert BasedNotInItsSlot(i);
        _loadL1Parent(here);
        if (h.l1ParentBeaconRoot != here.l1BeaconRoot || h.l1ParentBlockHash != here.l1BlockHash) {
            revert BasedL1ParentMismatch(i);
        }
    }

    /// Sections 2 and 3 for a sequenced or slot-ending block; returns its count in its slot.
    function _checkCertified(
        L2Header memory h,
        Parent memory p,
        bytes calldata cert,
        bytes calldata sig,
        CommitteeKeys[] calldata committees,
        Here memory here,
        uint256 i
    ) private view returns (uint256 nth) {
        if (h.kind == KIND_SLOT_ENDING && SLOT_ENDING_N != 0) revert MarkerNotAllowed(i);
        if ((p.h.kind == KIND_BASED || p.slotEnding) && h.l1Slot <= p.h.l1Slot) revert CertifiedChildSameSlot(i);
        uint256 tag = _certificateTag(cert, i);
        if (tag == TAG_NONE) revert MissingCertificate(i);
        if ((tag == TAG_ECDSA) != (SEQUENCER != address(0))) revert WrongCertificateKind(i);
        if (tag == TAG_ECDSA) {
            _checkEcdsa(cert, h.hash, i);
        } else {
            uint256 id = _committeeIdOf(cert);
            _checkActiveCommittee(id, h.l1Slot, i);
            CommitteeKeys calldata c = _suppliedKeys(committees, id);
            _checkCommitteeSignature(cert, sig, c, keccak256(abi.encodePacked(BLS_DOMAIN, uint256(CHAIN_ID), id, h.hash)), i);
        }
        // Section 5.2.1: what a commitment in this L1 block may contain.
        if (here.basedMode) revert CertifiedInBasedMode(i);
        if (h.l1Slot > here.slot) revert FutureSlot(i);
        nth = (p.h.kind != KIND_BASED && p.h.l1Slot == h.l1Slot) ? p.nth + 1 : 1;
    }

    /// Section 3: whether a certified block with this kind and count is slot-ending.
    function _slotEnding(uint256 kind, uint256 nth) private view returns (bool) {
        if (kind == KIND_BASED) return false;
        return SLOT_ENDING_N == 0 ? kind == KIND_SLOT_ENDING : nth == SLOT_ENDING_N;
    }

    function _loadL1Parent(Here memory here) private view {
        if (here.l1Loaded) return;
        if (block.number == 0) revert BeaconRootUnavailable();
        (bool ok, bytes memory ret) = BEACON_ROOTS.staticcall(abi.encode(block.timestamp));
        if (!ok || ret.length != 32) revert BeaconRootUnavailable();
        here.l1BeaconRoot = abi.decode(ret, (bytes32));
        here.l1BlockHash = blockhash(block.number - 1);
        here.l1Loaded = true;
    }

    // ======================= certificates (section 2) =======================

    /// The tag of a well-formed section 2.3 certificate.
    function _certificateTag(bytes calldata cert, uint256 i) private pure returns (uint256 tag) {
        if (cert.length == 0) revert MalformedCertificate(i);
        tag = uint8(cert[0]);
        if (tag == TAG_NONE) {
            if (cert.length != 1) revert MalformedCertificate(i);
        } else if (tag == TAG_ECDSA) {
            if (cert.length != ECDSA_CERT_LEN) revert MalformedCertificate(i);
        } else if (tag == TAG_COMMITTEE) {
            if (cert.length < COMMITTEE_CERT_FIXED) revert MalformedCertificate(i);
            uint256 bitsLen = (uint256(uint8(cert[9])) << 8) | uint8(cert[10]);
            if (cert.length != COMMITTEE_CERT_FIXED + bitsLen + Bls.G2_COMPRESSED_LEN) revert MalformedCertificate(i);
        } else {
            revert MalformedCertificate(i);
        }
    }

    /// Section 2.1 (the caller has checked the length).
    function _checkEcdsa(bytes calldata cert, bytes32 blockHash, uint256 i) private view {
        bytes32 r;
        uint256 s;
        uint256 v;
        assembly ("memory-safe") {
            r := calldataload(add(cert.offset, 1))
            s := calldataload(add(cert.offset, 33))
            v := byte(0, calldataload(add(cert.offset, 65)))
        }
        if (v != 0 && v != 1 && v != 27 && v != 28) revert MalformedCertificate(i);
        if (s > HALF_SECP256K1_N) revert HighS(i);
        bytes32 digest = keccak256(abi.encodePacked(ECDSA_DOMAIN, uint256(CHAIN_ID), blockHash));
        address signer = ecrecover(digest, uint8(v < 27 ? v + 27 : v), r, bytes32(s));
        if (signer != SEQUENCER) revert InvalidSignature(i);
    }

    /// The committee id of a well-formed committee certificate.
    function _committeeIdOf(bytes calldata cert) private pure returns (uint256 id) {
        assembly ("memory-safe") {
            id := shr(192, calldataload(add(cert.offset, 1)))
        }
    }

    /// Section 2.2: committee `id` is the announced committee with the largest activation <= slot.
    function _checkActiveCommittee(uint256 id, uint256 slot, uint256 i) private view {
        uint256 count = committeeCount;
        if (id >= count || committeeActivation[uint64(id)] > slot) revert WrongCommittee(i, id);
        if (id + 1 < count && committeeActivation[uint64(id + 1)] <= slot) revert WrongCommittee(i, id);
    }

    function _suppliedKeys(CommitteeKeys[] calldata committees, uint256 id)
        private
        pure
        returns (CommitteeKeys calldata)
    {
        for (uint256 k = 0; k < committees.length; ++k) {
            if (committees[k].id == id) return committees[k];
        }
        revert MissingCommitteeKeys(id);
    }

    function _checkCommitteeKeys(CommitteeKeys calldata c) private view {
        if (c.id >= committeeCount || keccak256(abi.encodePacked(c.keys, c.weights)) != committeeKeysHash[c.id]) {
            revert CommitteeKeysMismatch(c.id);
        }
    }

    /// Section 2.2: participation, the 2/3 threshold and the aggregate
    /// signature of a well-formed committee certificate over `message`.
    function _checkCommitteeSignature(
        bytes calldata cert,
        bytes calldata sig,
        CommitteeKeys calldata c,
        bytes32 message,
        uint256 i
    ) private view {
        uint256 n = c.weights.length;
        uint256 bitsLen = cert.length - COMMITTEE_CERT_FIXED - Bls.G2_COMPRESSED_LEN;
        if (bitsLen != (n + 7) / 8) revert InvalidBitfield(i);
        uint256 bits;
        assembly ("memory-safe") {
            bits := add(cert.offset, 11)
        }
        if (n % 8 != 0 && uint8(cert[COMMITTEE_CERT_FIXED + bitsLen - 1]) >> (n % 8) != 0) revert InvalidBitfield(i);
        uint256 signedWeight;
        uint256 totalWeight;
        for (uint256 k = 0; k < n; ++k) {
            uint256 w = c.weights[k];
            totalWeight += w;
            if ((uint8(cert[COMMITTEE_CERT_FIXED + k / 8]) >> (k % 8)) & 1 == 1) signedWeight += w;
        }
        if (signedWeight == 0 || 3 * signedWeight < 2 * totalWeight) {
            revert BelowThreshold(i, signedWeight, totalWeight);
        }
        uint256 compressed;
        uint256 uncompressed;
        uint256 keys = _offsetOf(c.keys);
        assembly ("memory-safe") {
            compressed := add(cert.offset, add(11, bitsLen))
            uncompressed := sig.offset
        }
        if (sig.length != Bls.G2_LEN || !Bls.sameG2(compressed, uncompressed)) revert SignatureEncodingMismatch(i);
        bytes memory apk = new bytes(256);
        uint256 acc;
        assembly ("memory-safe") {
            acc := add(apk, 32)
        }
        if (!Bls.aggregate(keys, n, bits, acc) || !Bls.verify(acc, message, uncompressed)) revert InvalidSignature(i);
    }

    function _offsetOf(bytes calldata b) private pure returns (uint256 at) {
        assembly ("memory-safe") {
            at := b.offset
        }
    }

    // ======================= forced inclusion (section 5.5) =======================

    /// Requests that `transaction` (EIP-2718 bytes) be included on L2 by the deadline.
    function requestForcedInclusion(bytes calldata transaction) external returns (uint64 index) {
        uint256 len = transaction.length;
        if (len < MIN_FORCED_TX_BYTES || len > MAX_FORCED_TX_BYTES) revert ForcedTxSize(len);
        uint256 slot = _currentSlot();
        bytes32 txHash = keccak256(transaction);
        index = forcedTail;
        uint64 deadline = uint64(slot + FORCED_INCLUSION_WINDOW_SLOTS);
        forcedQueue[index] = ForcedRequest(txHash, deadline, uint64(slot));
        forcedTail = index + 1;
        emit ForcedInclusionRequested(txHash, index, deadline, transaction);
    }

    /// Checks the proofs of queue entries `forcedHead, forcedHead + 1, ...`
    /// and that no further due request is left (below the discharge limit).
    function _discharge(ForcedProof[] calldata forced, bytes32[] memory roots, uint256 slot)
        private
        returns (uint256 newHead)
    {
        uint256 fh = forcedHead;
        uint256 ft = forcedTail;
        uint256 m = forced.length;
        for (uint256 k = 0; k < m; ++k) {
            uint256 q = fh + k;
            if (q >= ft) revert ForcedProofBeyondQueue(k);
            ForcedProof calldata p = forced[k];
            if (p.blockIndex >= roots.length) revert ForcedProofBadBlock(k);
            if (!Mpt.verify(roots[p.blockIndex], p.txIndex, p.nodes, forcedQueue[uint64(q)].txHash)) {
                revert ForcedProofInvalid(k);
            }
            delete forcedQueue[uint64(q)];
        }
        newHead = fh + m;
        if (m < FORCED_DISCHARGE_LIMIT && newHead < ft && forcedQueue[uint64(newHead)].deadlineSlot < slot) {
            revert ForcedInclusionMissing(newHead);
        }
    }

    // ======================= committees (section 2.2) =======================

    /// Announces committee 0, the rollup's initial committee: anyone may
    /// call it once with the members that hash to `INITIAL_COMMITTEE_HASH`.
    function bootstrapCommittee(bytes calldata pubkeys, bytes calldata keys, uint64[] calldata weights) external {
        if (SEQUENCER != address(0)) revert NotCommitteeRollup();
        if (committeeCount != 0) revert BadActivation(0);
        (bytes32 cHash, bytes32 kHash) = _validateMembers(0, pubkeys, keys, weights);
        if (cHash != INITIAL_COMMITTEE_HASH) revert WrongAuthorizer(0);
        _store(0, 0, cHash, kHash, pubkeys, weights);
    }

    /// Announces committee `committeeCount` from `activationSlot` on,
    /// authorized by a certificate of the last announced committee over
    /// `keccak(ROTATION_DOMAIN || u256(chainId) || u256(id) || u256(activationSlot) || committeeHash)`.
    function announceCommittee(
        uint64 activationSlot,
        bytes calldata pubkeys,
        bytes calldata keys,
        uint64[] calldata weights,
        CommitteeKeys calldata authorizer,
        bytes calldata authorization,
        bytes calldata authorizationSignature
    ) external {
        if (SEQUENCER != address(0)) revert NotCommitteeRollup();
        uint256 id = committeeCount;
        if (id == 0) revert WrongAuthorizer(0);
        if (
            uint256(activationSlot) < _currentSlot() + 2 * uint256(SLOTS_PER_EPOCH)
                || activationSlot <= committeeActivation[uint64(id - 1)]
        ) revert BadActivation(activationSlot);
        (bytes32 cHash, bytes32 kHash) = _validateMembers(id, pubkeys, keys, weights);
        if (authorizer.id != id - 1) revert WrongAuthorizer(authorizer.id);
        _checkCommitteeKeys(authorizer);
        if (_certificateTag(authorization, AUTH_INDEX) != TAG_COMMITTEE) revert WrongCertificateKind(AUTH_INDEX);
        if (_committeeIdOf(authorization) != id - 1) revert WrongCommittee(AUTH_INDEX, _committeeIdOf(authorization));
        bytes32 message =
            keccak256(abi.encodePacked(ROTATION_DOMAIN, uint256(CHAIN_ID), id, uint256(activationSlot), cHash));
        _checkCommitteeSignature(authorization, authorizationSignature, authorizer, message, AUTH_INDEX);
        _store(id, activationSlot, cHash, kHash, pubkeys, weights);
    }

    function _validateMembers(uint256 id, bytes calldata pubkeys, bytes calldata keys, uint64[] calldata weights)
        private
        view
        returns (bytes32 cHash, bytes32 kHash)
    {
        uint256 n = weights.length;
        if (
            n == 0 || n > MAX_COMMITTEE_MEMBERS || pubkeys.length != n * Bls.G1_COMPRESSED_LEN
                || keys.length != n * Bls.G1_LEN
        ) revert BadCommitteeSize(n);
        uint256 pk;
        uint256 key;
        assembly ("memory-safe") {
            pk := pubkeys.offset
            key := keys.offset
        }
        for (uint256 k = 0; k < n; ++k) {
            if (weights[k] == 0) revert ZeroWeight(k);
            uint256 c = pk + k * Bls.G1_COMPRESSED_LEN;
            uint256 u = key + k * Bls.G1_LEN;
            if (!Bls.sameG1(c, u) || !Bls.inSubgroupG1(u)) revert InvalidMemberKey(k);
        }
        cHash = CommitteeCodec.hash(id, pubkeys, weights);
        kHash = keccak256(abi.encodePacked(keys, weights));
    }

    function _store(
        uint256 id,
        uint64 activationSlot,
        bytes32 cHash,
        bytes32 kHash,
        bytes calldata pubkeys,
        uint64[] calldata weights
    ) private {
        committeeHash[uint64(id)] = cHash;
        committeeActivation[uint64(id)] = activationSlot;
        committeeKeysHash[uint64(id)] = kHash;
        committeeCount = uint64(id + 1);
        emit CommitteeAnnounced(uint64(id), activationSlot, cHash, pubkeys, weights);
    }

    // ======================= time =======================

    /// The L1 slot of this block: `(block.timestamp - genesisTime) / secondsPerSlot`.
    function currentSlot() external view returns (uint64) {
        return uint64(_currentSlot());
    }

    /// Whether a commitment in this block would be in based mode (section 5.4).
    function inBasedMode() external view returns (bool) {
        return _currentSlot() > uint256(lastCommitSlot) + STALL_LIMIT_SLOTS;
    }

    function _currentSlot() private view returns (uint256) {
        if (block.timestamp < GENESIS_TIME) revert BeforeGenesis();
        return (block.timestamp - GENESIS_TIME) / SECONDS_PER_SLOT;
    }
}
