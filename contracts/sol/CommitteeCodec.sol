// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// The committee hash of docs/PROTOCOL.md section 2.2:
/// `keccak(rlp([committeeId, [[pubkey, weight], ...]]))` with 48-byte
/// compressed keys and minimal RLP integers.
library CommitteeCodec {
    /// The hash of committee `id` with `pubkeys` (n * 48 bytes) and `weights`.
    function hash(uint256 id, bytes calldata pubkeys, uint64[] calldata weights) internal pure returns (bytes32) {
        uint256 n = weights.length;
        uint256 membersPayload;
        for (uint256 k = 0; k < n; ++k) {
            uint256 member = 49 + _uintLen(weights[k]);
            membersPayload += _headerLen(member) + member;
        }
        uint256 outerPayload = _uintLen(id) + _headerLen(membersPayload) + membersPayload;
        uint256 total = _headerLen(outerPayload) + outerPayload;
        bytes memory buf = new bytes(total);
        uint256 at = _putHeader(buf, 0, outerPayload);
        at = _putUint(buf, at, id);
        at = _putHeader(buf, at, membersPayload);
        for (uint256 k = 0; k < n; ++k) {
            uint256 w = weights[k];
            at = _putHeader(buf, at, 49 + _uintLen(w));
            _put(buf, at, 0xb0); // a 48-byte string
            at += 1;
            uint256 src;
            assembly ("memory-safe") {
                src := add(pubkeys.offset, mul(k, 48))
                calldatacopy(add(add(buf, 32), at), src, 48)
            }
            at += 48;
            at = _putUint(buf, at, w);
        }
        return keccak256(buf);
    }

    function _byteLen(uint256 v) private pure returns (uint256 n) {
        for (; v != 0; v >>= 8) ++n;
    }

    function _uintLen(uint256 v) private pure returns (uint256) {
        return v < 0x80 ? 1 : 1 + _byteLen(v);
    }

    function _headerLen(uint256 payload) private pure returns (uint256) {
        return payload < 56 ? 1 : 1 + _byteLen(payload);
    }

    function _put(bytes memory buf, uint256 at, uint256 b) private pure {
        assembly ("memory-safe") {
            mstore8(add(add(buf, 32), at), b)
        }
    }

    function _putBigEndian(bytes memory buf, uint256 at, uint256 v, uint256 n) private pure {
        for (uint256 k = 0; k < n; ++k) {
            _put(buf, at + k, (v >> (8 * (n - 1 - k))) & 0xff);
        }
    }

    function _putUint(bytes memory buf, uint256 at, uint256 v) private pure returns (uint256) {
        if (v == 0) {
            _put(buf, at, 0x80);
            return at + 1;
        }
        if (v < 0x80) {
            _put(buf, at, v);
            return at + 1;
        }
        uint256 n = _byteLen(v);
        _put(buf, at, 0x80 + n);
        _putBigEndian(buf, at + 1, v, n);
        return at + 1 + n;
    }

    function _putHeader(bytes memory buf, uint256 at, uint256 payload) private pure returns (uint256) {
        if (payload < 56) {
            _put(buf, at, 0xc0 + payload);
            return at + 1;
        }
        uint256 n = _byteLen(payload);
        _put(buf, at, 0xf7 + n);
        _putBigEndian(buf, at + 1, payload, n);
        return at + 1 + n;
    }
}
