// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {MalformedHeader, UnknownKind} from "./Errors.sol";

/// The fields of an L2 header the inbox reads (docs/PROTOCOL.md section 1),
/// widened to 256 bits so that no arithmetic on them can overflow.
struct L2Header {
    bytes32 hash;
    uint256 chainId;
    uint256 number;
    bytes32 parentHash;
    uint256 kind;
    uint256 l1Slot;
    bytes32 l1ParentBeaconRoot;
    bytes32 l1ParentBlockHash;
    uint256 timestamp;
    bytes32 transactionsRoot;
    uint256 gasLimit;
    uint256 gasUsed;
}

/// Decodes the exact canonical RLP of an L2 header: a long-form list
/// (`0xf8` or `0xf9` with no leading zero) of exactly the 14 fields of
/// section 1, each integer minimal (no leading zero, `0` as `0x80`, a
/// single byte below `0x80` as itself), each hash a 32-byte string, and no
/// byte after the list. These are the rules of the Rust core's decoder
/// (alloy-rlp), so both refuse the same bytes.
library L2HeaderCodec {
    /// Bytes of a u64 field.
    uint256 private constant U64 = 8;
    /// Bytes of the u8 `kind` field.
    uint256 private constant U8 = 1;
    /// Largest valid `kind` (0 sequenced, 1 slot-ending, 2 based).
    uint256 internal constant MAX_KIND = 2;

    /// Decodes `b`; reverts `MalformedHeader(index)` or `UnknownKind(index, kind)`.
    function decode(bytes calldata b, uint256 index) internal pure returns (L2Header memory h) {
        uint256 len = b.length;
        if (len < 3) revert MalformedHeader(index);
        uint256 p;
        uint256 plen;
        uint256 b0 = _byte(b, 0);
        if (b0 == 0xf8) {
            plen = _byte(b, 1);
            if (plen < 56) revert MalformedHeader(index);
            p = 2;
        } else if (b0 == 0xf9) {
            uint256 hi = _byte(b, 1);
            if (hi == 0) revert MalformedHeader(index);
            plen = (hi << 8) | _byte(b, 2);
            p = 3;
        } else {
            revert MalformedHeader(index);
        }
        if (p + plen != len) revert MalformedHeader(index);
        (h.chainId, p) = _uint(b, p, U64, index);
        (h.number, p) = _uint(b, p, U64, index);
        (h.parentHash, p) = _b32(b, p, index);
        (h.kind, p) = _uint(b, p, U8, index);
        (h.l1Slot, p) = _uint(b, p, U64, index);
        (h.l1ParentBeaconRoot, p) = _b32(b, p, index);
        (h.l1ParentBlockHash, p) = _b32(b, p, index);
        (h.timestamp, p) = _uint(b, p, U64, index);
        (, p) = _b32(b, p, index); // stateRoot
        (h.transactionsRoot, p) = _b32(b, p, index);
        (, p) = _b32(b, p, index); // receiptsRoot
        (h.gasLimit, p) = _uint(b, p, U64, index);
        (h.gasUsed, p) = _uint(b, p, U64, index);
        (, p) = _uint(b, p, U64, index); // baseFeePerGas
        if (p != len) revert MalformedHeader(index);
        if (h.kind > MAX_KIND) revert UnknownKind(index, h.kind);
        h.hash = hashOf(b);
    }

    /// `keccak256` of calldata bytes without keeping a memory copy.
    function hashOf(bytes calldata b) internal pure returns (bytes32 out) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, b.offset, b.length)
            out := keccak256(ptr, b.length)
        }
    }

    /// The byte at `p` (the caller has checked `p < b.length`).
    function _byte(bytes calldata b, uint256 p) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := byte(0, calldataload(add(b.offset, p)))
        }
    }

    /// A minimal RLP integer of at most `maxLen` bytes at `p`.
    function _uint(bytes calldata b, uint256 p, uint256 maxLen, uint256 index)
        private
        pure
        returns (uint256 v, uint256 next)
    {
        uint256 len = b.length;
        if (p >= len) revert MalformedHeader(index);
        uint256 x = _byte(b, p);
        if (x < 0x80) {
            if (x == 0) revert MalformedHeader(index); // 0 is 0x80
            return (x, p + 1);
        }
        uint256 n = x - 0x80;
        // Longer strings, long-form headers and lists all land here.
        if (n > maxLen || p + 1 + n > len) revert MalformedHeader(index);
        if (n == 0) return (0, p + 1);
        uint256 first = _byte(b, p + 1);
        if (n == 1 ? first < 0x80 : first == 0) revert MalformedHeader(index);
        assembly ("memory-safe") {
            v := shr(sub(256, mul(8, n)), calldataload(add(b.offset, add(p, 1))))
        }
        next = p + 1 + n;
    }

    /// A 32-byte string at `p`.
    function _b32(bytes calldata b, uint256 p, uint256 index) private pure returns (bytes32 v, uint256 next) {
        if (p + 33 > b.length || _byte(b, p) != 0xa0) revert MalformedHeader(index);
        assembly ("memory-safe") {
            v := calldataload(add(b.offset, add(p, 1)))
        }
        next = p + 33;
    }
}
