//! Fuzz the execution-layer decoders: header RLP, Merkle-Patricia proof nodes
//! and JSON-RPC objects. The first byte picks the decoder; none may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preconf_light::execution::fuzzing;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    match selector % 3 {
        0 => fuzzing::header_rlp(rest),
        1 => fuzzing::proof_walk(rest),
        _ => fuzzing::rpc_json(rest),
    }
});
