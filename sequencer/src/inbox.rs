//! Calldata of the inbox contract's calls (PROTOCOL.md section 5).
//!
//! This is the one module that knows the inbox's ABI. It encodes the calls
//! of the inbox the devnet runs today (native logic, `L2BlockCommitted`
//! logs, which is what the engine derives from). The Solidity inbox of
//! PROTOCOL.md v2 and its encoders (`contracts/`, crate `preconf-inbox`:
//! `commit` with the segment's headers and certificates) are the next
//! target: when the devnet's L1 runs that bytecode, this module becomes thin
//! calls into `preconf_inbox::{commit_calldata, forced_request_calldata}`
//! and nothing else in the SDK or the devnet changes.
//!
//! ```text
//!  Commitment { blockHash, number, prevCommitted } ──► commit(bytes32,uint64,bytes32)
//!  signed L2 transaction (EIP-2718 bytes)          ──► forceInclude(bytes)
//! ```

use alloy_primitives::{B256, Bytes};
use alloy_sol_types::{SolCall, sol};

sol! {
    /// The inbox calls the SDK encodes.
    interface IInbox {
        /// Commits `blockHash` (number `number`) on top of `prevCommitted`.
        function commit(bytes32 blockHash, uint64 number, bytes32 prevCommitted);
        /// Requests the inclusion of a signed L2 transaction.
        function forceInclude(bytes transaction);
    }
}

/// One commitment: an L2 block extending the committed head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Commitment {
    /// The committed L2 block hash.
    pub block_hash: B256,
    /// Its number.
    pub number: u64,
    /// The committed head it extends (the genesis hash for the first one).
    pub prev_committed: B256,
}

/// Calldata of `commit(blockHash, number, prevCommitted)`.
pub fn commit_calldata(c: &Commitment) -> Bytes {
    IInbox::commitCall {
        blockHash: c.block_hash,
        number: c.number,
        prevCommitted: c.prev_committed,
    }
    .abi_encode()
    .into()
}

/// Calldata of `forceInclude(transaction)` for a signed L2 transaction.
pub fn force_include_calldata(transaction: &[u8]) -> Bytes {
    IInbox::forceIncludeCall {
        transaction: Bytes::copy_from_slice(transaction),
    }
    .abi_encode()
    .into()
}

/// The 4-byte selector of `commit(bytes32,uint64,bytes32)`.
pub const COMMIT_SELECTOR: [u8; 4] = IInbox::commitCall::SELECTOR;
/// The 4-byte selector of `forceInclude(bytes)`.
pub const FORCE_INCLUDE_SELECTOR: [u8; 4] = IInbox::forceIncludeCall::SELECTOR;

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    /// The Solidity ABI spec's layout, written out: selector, then head words.
    #[test]
    fn calldata_follows_the_abi_layout() {
        let c = Commitment {
            block_hash: B256::repeat_byte(0xaa),
            number: 0x0102,
            prev_committed: B256::repeat_byte(0xbb),
        };
        let data = commit_calldata(&c);
        assert_eq!(data[..4], keccak256("commit(bytes32,uint64,bytes32)")[..4]);
        assert_eq!(data.len(), 4 + 3 * 32);
        assert_eq!(&data[4..36], c.block_hash.as_slice());
        let mut number = [0u8; 32];
        number[30..].copy_from_slice(&[1, 2]);
        assert_eq!(&data[36..68], &number);
        assert_eq!(&data[68..100], c.prev_committed.as_slice());

        let tx = [0x02u8, 0xf8, 0x01, 0x02, 0x03];
        let data = force_include_calldata(&tx);
        assert_eq!(data[..4], keccak256("forceInclude(bytes)")[..4]);
        assert_eq!(data[..4], FORCE_INCLUDE_SELECTOR);
        // Offset of the bytes argument, its length, then the bytes padded to a word.
        assert_eq!(data[4..36], B256::with_last_byte(0x20)[..]);
        assert_eq!(data[36..68], B256::with_last_byte(tx.len() as u8)[..]);
        assert_eq!(&data[68..68 + tx.len()], &tx);
        assert!(data[68 + tx.len()..].iter().all(|b| *b == 0));
        assert_eq!(data.len(), 4 + 3 * 32);
    }
}
