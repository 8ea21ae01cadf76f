//! Stable error codes for JavaScript.
//!
//! Every module has its own `thiserror` enum; each implements [`ErrorCode`] so
//! the wasm layer can throw a `PreconfLightError` whose `code` is a stable
//! `SCREAMING_SNAKE_CASE` string that callers may match on. Codes never change
//! meaning once released; messages may.

/// An error with a stable machine-readable code.
pub trait ErrorCode: core::fmt::Display {
    /// The stable code, e.g. `INVALID_SIGNATURE`.
    fn code(&self) -> &'static str;
}
