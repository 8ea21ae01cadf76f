// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// BLS12-381 on the EIP-2537 precompiles, for the committee certificates of
/// docs/PROTOCOL.md section 2.2 (Ethereum's scheme: keys in G1, signatures
/// in G2, hash to G2 with DST "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_").
///
/// Encodings. Compressed points (48-byte G1, 96-byte G2) are the ZCash
/// format the protocol hashes and the feed carries: big-endian x (for G2:
/// x.c1 then x.c0) with three flag bits on top (0x80 compressed, 0x40
/// infinity, 0x20 "y is the larger of y and -y"). The precompiles take
/// uncompressed EIP-2537 points: each Fp element as 64 bytes (16 zero bytes,
/// then 48 big-endian), G1 = x || y, G2 = x.c0 || x.c1 || y.c0 || y.c1, and
/// the all-zero string for infinity. Callers supply both and this library
/// checks that they are the same point; the precompiles check that the
/// point is on the curve (and, for MSM and pairing, in the subgroup).
///
/// Every precompile answer is checked for its exact length: on a chain
/// without EIP-2537 a call to these addresses succeeds with empty output,
/// which must never read as a valid signature.
library Bls {
    address private constant SHA256 = address(0x02);
    address private constant MODEXP = address(0x05);
    address private constant G1ADD = address(0x0b);
    address private constant G1MSM = address(0x0c);
    address private constant G2ADD = address(0x0d);
    address private constant PAIRING = address(0x0f);
    address private constant MAP_FP2_TO_G2 = address(0x11);

    /// Uncompressed sizes.
    uint256 internal constant G1_LEN = 128;
    uint256 internal constant G2_LEN = 256;
    /// Compressed sizes.
    uint256 internal constant G1_COMPRESSED_LEN = 48;
    uint256 internal constant G2_COMPRESSED_LEN = 96;

    /// The base field modulus p, as its top 16 bytes and low 32 bytes.
    uint256 private constant P_HI = 0x1a0111ea397fe69a4b1ba7b6434bacd7;
    uint256 private constant P_LO = 0x64774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab;
    /// (p - 1) / 2: y is "the larger" iff y > HALF_P.
    uint256 private constant HALF_P_HI = 0x0d0088f51cbff34d258dd3db21a5d66b;
    uint256 private constant HALF_P_LO = 0xb23ba5c279c2895fb39869507b587b120f55ffff58a9ffffdcff7fffffffd555;
    /// The G1 generator's x and -y (for the pairing check e(pk, H) * e(-g1, sig) == 1).
    uint256 private constant G1_X_HI = 0x17f1d3a73197d7942695638c4fa9ac0f;
    uint256 private constant G1_X_LO = 0xc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb;
    uint256 private constant G1_NEG_Y_HI = 0x114d1d6855d545a8aa7d76c8cf2e21f2;
    uint256 private constant G1_NEG_Y_LO = 0x67816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca;

    /// Flag bits of the first byte of a compressed point.
    uint256 private constant FLAG_COMPRESSED = 0x80;
    uint256 private constant FLAG_INFINITY = 0x40;
    uint256 private constant FLAG_SIGN = 0x20;
    uint256 private constant MASK_125 = (uint256(1) << 125) - 1;
    uint256 private constant MASK_128 = (uint256(1) << 128) - 1;

    /// `DST || I2OSP(len(DST), 1)`: the 43-byte DST followed by 0x2b.
    bytes private constant DST_PRIME = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_\x2b";

    /// Whether `y` (an EIP-2537 Fp element at calldata `at`) is the larger of y and -y.
    function _larger(uint256 hi, uint256 lo) private pure returns (bool) {
        return hi > HALF_P_HI || (hi == HALF_P_HI && lo > HALF_P_LO);
    }

    function _load(uint256 at) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := calldataload(at)
        }
    }

    /// Whether the 128-byte point at calldata `u` is the point the 48-byte
    /// compressed key at calldata `c` encodes (not infinity). The caller
    /// has checked both lengths.
    function sameG1(uint256 c, uint256 u) internal pure returns (bool) {
        uint256 a = _load(c);
        uint256 b = _load(c + 32);
        uint256 flags = a >> 248;
        if (flags & FLAG_COMPRESSED == 0 || flags & FLAG_INFINITY != 0) return false;
        uint256 xHi = (a >> 128) & MASK_125;
        uint256 xLo = (a << 128) | (b >> 128);
        if (_load(u) != xHi || _load(u + 32) != xLo) return false;
        uint256 yHi = _load(u + 64);
        uint256 yLo = _load(u + 96);
        if (yHi > MASK_128) return false;
        // x = 0 with y = 0 would be read as infinity by the precompiles.
        if (xHi | xLo | yHi | yLo == 0) return false;
        return _larger(yHi, yLo) == (flags & FLAG_SIGN != 0);
    }

    /// Whether the 256-byte point at calldata `u` is the point the 96-byte
    /// compressed signature at calldata `c` encodes (not infinity).
    function sameG2(uint256 c, uint256 u) internal pure returns (bool) {
        uint256 a = _load(c);
        uint256 b = _load(c + 32);
        uint256 d = _load(c + 64);
        uint256 flags = a >> 248;
        if (flags & FLAG_COMPRESSED == 0 || flags & FLAG_INFINITY != 0) return false;
        // x.c1 is bytes [0, 48), x.c0 bytes [48, 96).
        uint256 x1Hi = (a >> 128) & MASK_125;
        uint256 x1Lo = (a << 128) | (b >> 128);
        uint256 x0Hi = b & MASK_128;
        uint256 x0Lo = d;
        if (_load(u) != x0Hi || _load(u + 32) != x0Lo) return false;
        if (_load(u + 64) != x1Hi || _load(u + 96) != x1Lo) return false;
        uint256 y0Hi = _load(u + 128);
        uint256 y0Lo = _load(u + 160);
        uint256 y1Hi = _load(u + 192);
        uint256 y1Lo = _load(u + 224);
        if (y0Hi > MASK_128 || y1Hi > MASK_128) return false;
        if (x0Hi | x0Lo | x1Hi | x1Lo | y0Hi | y0Lo | y1Hi | y1Lo == 0) return false;
        bool larger = (y1Hi | y1Lo) != 0 ? _larger(y1Hi, y1Lo) : _larger(y0Hi, y0Lo);
        return larger == (flags & FLAG_SIGN != 0);
    }

    /// Whether the 128-byte point at calldata `u` is on the curve and in the
    /// prime-order subgroup (a one-term G1MSM with scalar 1 checks both).
    function inSubgroupG1(uint256 u) internal view returns (bool ok) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, u, 128)
            mstore(add(ptr, 128), 1)
            ok := staticcall(gas(), 0x0c, ptr, 160, ptr, 128)
            ok := and(ok, eq(returndatasize(), 128))
        }
    }

    /// Sums the keys (128 bytes each, at calldata `keys`) whose bit is set in
    /// the bitfield at calldata `bits`, into memory `acc` (128 bytes).
    /// Returns false if a precompile call fails or the sum is infinity.
    function aggregate(uint256 keys, uint256 n, uint256 bits, uint256 acc) internal view returns (bool ok) {
        bool first = true;
        ok = true;
        for (uint256 i = 0; i < n; ++i) {
            uint256 byteAt;
            assembly ("memory-safe") {
                byteAt := byte(0, calldataload(add(bits, shr(3, i))))
            }
            if ((byteAt >> (i & 7)) & 1 == 0) continue;
            uint256 key = keys + i * G1_LEN;
            if (first) {
                assembly ("memory-safe") {
                    calldatacopy(acc, key, 128)
                }
                first = false;
            } else {
                assembly ("memory-safe") {
                    calldatacopy(add(acc, 128), key, 128)
                    // Yul evaluates arguments right to left: read returndatasize after the call.
                    ok := staticcall(gas(), 0x0b, acc, 256, acc, 128)
                    ok := and(ok, eq(returndatasize(), 128))
                }
                if (!ok) return false;
            }
        }
        if (first) return false;
        uint256 any;
        assembly ("memory-safe") {
            any := or(or(mload(acc), mload(add(acc, 32))), or(mload(add(acc, 64)), mload(add(acc, 96))))
        }
        return any != 0;
    }

    /// `e(apk, H(message)) == e(g1, sig)`: `apk` is the aggregate key in
    /// memory, `sig` the uncompressed signature at calldata.
    function verify(uint256 apk, bytes32 message, uint256 sig) internal view returns (bool ok) {
        bytes memory h = hashToG2(message);
        if (h.length != G2_LEN) return false;
        bytes memory input = new bytes(768);
        assembly ("memory-safe") {
            let dst := add(input, 32)
            mcopy(dst, apk, 128)
            mcopy(add(dst, 128), add(h, 32), 256)
            mstore(add(dst, 384), G1_X_HI)
            mstore(add(dst, 416), G1_X_LO)
            mstore(add(dst, 448), G1_NEG_Y_HI)
            mstore(add(dst, 480), G1_NEG_Y_LO)
            calldatacopy(add(dst, 512), sig, 256)
            ok := staticcall(gas(), 0x0f, dst, 768, 0, 32)
            ok := and(and(ok, eq(returndatasize(), 32)), eq(mload(0), 1))
        }
    }

    /// hash_to_curve for G2 (RFC 9380, suite BLS12381G2_XMD:SHA-256_SSWU_RO_):
    /// expand_message_xmd to 256 bytes, four field elements reduced mod p,
    /// two MAP_FP2_TO_G2 (which clear the cofactor) and one G2ADD. Returns
    /// empty bytes if a precompile fails.
    function hashToG2(bytes32 message) internal view returns (bytes memory out) {
        bytes32[8] memory u;
        bytes32 b0 = sha256(abi.encodePacked(bytes32(0), bytes32(0), message, uint16(256), uint8(0), DST_PRIME));
        bytes32 bi = sha256(abi.encodePacked(b0, uint8(1), DST_PRIME));
        u[0] = bi;
        for (uint256 i = 2; i <= 8; ++i) {
            bi = sha256(abi.encodePacked(b0 ^ bi, uint8(i), DST_PRIME));
            u[i - 1] = bi;
        }
        // u0 = (e0, e1), u1 = (e2, e3), each e the 64 uniform bytes mod p.
        bytes memory fp = new bytes(256);
        for (uint256 k = 0; k < 4; ++k) {
            if (!_modP(u[2 * k], u[2 * k + 1], fp, k * 64)) return "";
        }
        out = new bytes(256);
        bool ok;
        assembly ("memory-safe") {
            let q := mload(0x40)
            mstore(0x40, add(q, 512))
            // One call per statement: Yul evaluates arguments right to left,
            // so returndatasize must be read after its call returns.
            ok := staticcall(gas(), 0x11, add(fp, 32), 128, q, 256)
            ok := and(ok, eq(returndatasize(), 256))
            if ok {
                ok := staticcall(gas(), 0x11, add(fp, 160), 128, add(q, 256), 256)
                ok := and(ok, eq(returndatasize(), 256))
            }
            if ok {
                ok := staticcall(gas(), 0x0d, q, 512, add(out, 32), 256)
                ok := and(ok, eq(returndatasize(), 256))
            }
        }
        if (!ok) return "";
    }

    /// Writes `(hi || lo) mod p` as a 64-byte EIP-2537 element at `out[at:]`.
    function _modP(bytes32 hi, bytes32 lo, bytes memory out, uint256 at) private view returns (bool ok) {
        bytes memory input = abi.encodePacked(uint256(64), uint256(1), uint256(48), hi, lo, uint8(1), uint128(P_HI), P_LO);
        assembly ("memory-safe") {
            let dst := add(add(out, 32), at)
            mstore(dst, 0)
            ok := staticcall(gas(), 0x05, add(input, 32), mload(input), add(dst, 16), 48)
            ok := and(ok, eq(returndatasize(), 48))
        }
    }
}
