//! Fuzz the SP1 proof decoders and the batch-claim decoder: any input must
//! yield a value or a typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preconf_light::proof::{
    BatchClaim, KNOWN_VERIFIERS, ProgramVkey, decode_proof, decode_proof_for, proof_selector,
};

fuzz_target!(|data: &[u8]| {
    // Raw bytes as a proof: selector lookup, length and body decoding.
    let _ = proof_selector(data);
    let _ = decode_proof(data);
    // The same bytes behind every known selector, so the body parsers
    // (arkworks Groth16 points, Plonk scalar checks) see them.
    for verifier in KNOWN_VERIFIERS {
        let _ = decode_proof_for(verifier, data);
    }
    // Public values as a batch claim; round-trip when it decodes.
    if let Ok(claim) = BatchClaim::decode(data) {
        assert_eq!(BatchClaim::decode(&claim.encode()), Ok(claim));
    }
    // Program vkey parsing from bytes and from text.
    if let Ok(bytes) = <[u8; 32]>::try_from(data.get(..32).unwrap_or_default()) {
        let _ = ProgramVkey::from_bytes(bytes);
    }
    if let Ok(text) = core::str::from_utf8(data) {
        let _ = ProgramVkey::from_hex(text);
    }
});
