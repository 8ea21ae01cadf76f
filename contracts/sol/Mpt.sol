// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// Inclusion proofs in an L2 block's transactions trie (docs/PROTOCOL.md
/// section 5.5): the Merkle-Patricia trie whose key is `rlp(index)` and
/// whose value is the EIP-2718 encoded transaction.
///
/// `nodes` is the path from the root to the leaf, each node's RLP. Every
/// node on the path is referenced by its keccak hash: the leaf holds the
/// transaction (at least 32 bytes, section 5.5), so it and every node above
/// it encode to more than 32 bytes. Keys `rlp(index)` are prefix-free, so
/// branch nodes on the path never carry a value. Any other shape is refused.
library Mpt {
    /// Whether `nodes` proves that the value under `rlp(index)` in the trie
    /// with root `root` hashes to `leafHash`.
    function verify(bytes32 root, uint256 index, bytes[] calldata nodes, bytes32 leafHash)
        internal
        pure
        returns (bool)
    {
        (uint256 key, uint256 keyNibbles) = _keyNibbles(index);
        uint256 at; // nibbles of the key consumed
        bytes32 expected = root;
        for (uint256 j = 0; j < nodes.length; ++j) {
            bytes calldata node = nodes[j];
            if (_hash(node) != expected) return false;
            (bool list, uint256 p, uint256 end) = _item(node, 0, node.length);
            if (!list || end != node.length) return false;
            // Count the items and remember where the first two start.
            uint256 count;
            uint256 q = p;
            uint256 first = p;
            uint256 second;
            while (q < end) {
                (,, uint256 next) = _item(node, q, end);
                if (next == type(uint256).max) return false;
                if (count == 1) second = q;
                q = next;
                ++count;
            }
            if (count == 17) {
                if (at >= keyNibbles) return false;
                uint256 nib = (key >> (4 * (keyNibbles - 1 - at))) & 0xf;
                q = p;
                for (uint256 k = 0; k < nib; ++k) {
                    (,, q) = _item(node, q, end);
                }
                bool ok;
                (ok, expected) = _hashRef(node, q, end);
                if (!ok) return false;
                ++at;
            } else if (count == 2) {
                (bool pl, uint256 pp, uint256 pe) = _item(node, first, end);
                if (pl || pe == pp) return false;
                uint256 flag = _byte(node, pp) >> 4;
                if (flag > 3) return false;
                bool odd = flag & 1 == 1;
                if (!odd && _byte(node, pp) & 0xf != 0) return false;
                uint256 pathNibbles = 2 * (pe - pp) - (odd ? 1 : 2);
                if (at + pathNibbles > keyNibbles) return false;
                // Compare the path nibble by nibble with the key.
                for (uint256 k = 0; k < pathNibbles; ++k) {
                    uint256 pos = k + (odd ? 1 : 2); // nibble offset inside the path bytes
                    uint256 nibble = (_byte(node, pp + pos / 2) >> (pos % 2 == 0 ? 4 : 0)) & 0xf;
                    uint256 want = (key >> (4 * (keyNibbles - 1 - at - k))) & 0xf;
                    if (nibble != want) return false;
                }
                at += pathNibbles;
                if (flag >= 2) {
                    // Leaf: the whole key is consumed and the value is the transaction.
                    if (at != keyNibbles || j + 1 != nodes.length) return false;
                    (bool vl, uint256 vp, uint256 ve) = _item(node, second, end);
                    if (vl || ve == type(uint256).max) return false;
                    return _hashRange(node, vp, ve) == leafHash;
                }
                if (pathNibbles == 0) return false;
                bool ok2;
                (ok2, expected) = _hashRef(node, second, end);
                if (!ok2) return false;
            } else {
                return false;
            }
        }
        return false;
    }

    /// `rlp(index)` as a number of `n` nibbles.
    function _keyNibbles(uint256 index) private pure returns (uint256 key, uint256 n) {
        if (index == 0) return (0x80, 2);
        if (index < 0x80) return (index, 2);
        uint256 len;
        for (uint256 v = index; v != 0; v >>= 8) ++len;
        key = ((0x80 + len) << (8 * len)) | index;
        n = 2 * (len + 1);
    }

    function _byte(bytes calldata b, uint256 p) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := byte(0, calldataload(add(b.offset, p)))
        }
    }

    function _hash(bytes calldata b) private pure returns (bytes32 out) {
        return _hashRange(b, 0, b.length);
    }

    function _hashRange(bytes calldata b, uint256 from, uint256 to) private pure returns (bytes32 out) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let n := sub(to, from)
            calldatacopy(ptr, add(b.offset, from), n)
            out := keccak256(ptr, n)
        }
    }

    /// The child reference at `p`: it must be a 32-byte hash.
    function _hashRef(bytes calldata b, uint256 p, uint256 end) private pure returns (bool ok, bytes32 h) {
        if (p + 33 > end || _byte(b, p) != 0xa0) return (false, 0);
        assembly ("memory-safe") {
            h := calldataload(add(b.offset, add(p, 1)))
        }
        return (true, h);
    }

    /// The RLP item at `p` within `[p, end)`: whether it is a list, where
    /// its payload starts and where the item ends. `next` (third value) is
    /// `type(uint256).max` for an item that does not fit; lengths of more
    /// than three bytes are refused (no node here is that large).
    function _item(bytes calldata b, uint256 p, uint256 end)
        private
        pure
        returns (bool list, uint256 payload, uint256 next)
    {
        uint256 bad = type(uint256).max;
        if (p >= end) return (false, 0, bad);
        uint256 x = _byte(b, p);
        uint256 len;
        if (x < 0x80) {
            return (false, p, p + 1);
        } else if (x < 0xb8) {
            len = x - 0x80;
            payload = p + 1;
        } else if (x < 0xc0) {
            uint256 ll = x - 0xb7;
            if (ll > 3 || p + 1 + ll > end) return (false, 0, bad);
            for (uint256 k = 0; k < ll; ++k) len = (len << 8) | _byte(b, p + 1 + k);
            payload = p + 1 + ll;
        } else if (x < 0xf8) {
            list = true;
            len = x - 0xc0;
            payload = p + 1;
        } else {
            list = true;
            uint256 ll = x - 0xf7;
            if (ll > 3 || p + 1 + ll > end) return (false, 0, bad);
            for (uint256 k = 0; k < ll; ++k) len = (len << 8) | _byte(b, p + 1 + k);
            payload = p + 1 + ll;
        }
        if (payload + len > end) return (list, 0, bad);
        next = payload + len;
        // For a list the caller iterates its payload; `next` is its end.
    }
}
