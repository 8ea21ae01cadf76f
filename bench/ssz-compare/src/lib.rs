//! The SSZ decision (issue #16): the same three Capella containers (light-client
//! update, execution payload header, beacon block body) decoded and hashed by
//! the in-house `src/ssz`, sigp's `ethereum_ssz` + `tree_hash`, and `ssz_rs`.
//!
//! Each feature builds one implementation; the wasm `decode_hash` export lets
//! node time the three builds side by side and their size be compared with
//! the build of no feature (the baseline). `bench/ssz-compare/README.md` has
//! the commands; `docs/BENCHMARKS.md` the figures.

#[cfg(feature = "inhouse")]
pub mod inhouse;
#[cfg(feature = "sigp")]
pub mod sigp;
#[cfg(feature = "sszrs")]
pub mod sszrs;

/// Decode + root of container `kind` (0 update, 1 header, 2 body) with the
/// implementation this build holds; `None` if it fails (or no feature).
pub fn decode_hash(kind: u32, bytes: &[u8]) -> Option<[u8; 32]> {
    #[cfg(feature = "inhouse")]
    let imp: [fn(&[u8]) -> Option<[u8; 32]>; 3] = [inhouse::update, inhouse::header, inhouse::body];
    #[cfg(all(feature = "sigp", not(feature = "inhouse")))]
    let imp: [fn(&[u8]) -> Option<[u8; 32]>; 3] = [sigp::update, sigp::header, sigp::body];
    #[cfg(all(feature = "sszrs", not(any(feature = "inhouse", feature = "sigp"))))]
    let imp: [fn(&[u8]) -> Option<[u8; 32]>; 3] = [sszrs::update, sszrs::header, sszrs::body];
    #[cfg(not(any(feature = "inhouse", feature = "sigp", feature = "sszrs")))]
    let imp: [fn(&[u8]) -> Option<[u8; 32]>; 3] = [|_| None, |_| None, |_| None];
    imp.get(kind as usize).and_then(|f| f(bytes))
}

/// wasm: a buffer of `len` bytes for the input (leaked; the harness reuses it).
#[cfg(target_arch = "wasm32")]
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    Box::leak(vec![0u8; len].into_boxed_slice()).as_mut_ptr()
}

/// wasm: decode + root of `len` bytes at `ptr`; writes the root at `out`,
/// returns 1 on success.
///
/// # Safety
/// `ptr..ptr+len` and `out..out+32` must be buffers from [`alloc`].
#[cfg(target_arch = "wasm32")]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn decode_hash_wasm(
    kind: u32,
    ptr: *const u8,
    len: usize,
    out: *mut u8,
) -> u32 {
    // SAFETY: the harness passes buffers it got from `alloc` with their lengths.
    let bytes = unsafe { core::slice::from_raw_parts(ptr, len) };
    match decode_hash(kind, bytes) {
        Some(root) => {
            // SAFETY: as above, `out` holds 32 bytes.
            unsafe { core::ptr::copy_nonoverlapping(root.as_ptr(), out, 32) };
            1
        }
        None => 0,
    }
}
