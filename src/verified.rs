//! [`Verified`]: a value that passed a verification in this crate.
//!
//! Only code inside this crate can construct a `Verified<T>`; outside code can
//! read it but never forge it. Store updates and confidence levels accept
//! `Verified` values only, so an unverified input cannot change state.

use core::ops::Deref;

/// A value that passed one of this crate's `verify_*` functions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Verified<T>(T);

impl<T> Verified<T> {
    /// Wraps a value the caller has just verified. Crate-internal on purpose.
    pub(crate) fn new_unchecked(value: T) -> Self {
        Self(value)
    }

    /// Returns the verified value, giving up the proof that it was verified.
    pub fn into_inner(self) -> T {
        self.0
    }

    /// Maps the value to a part of it that the same verification covers.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Verified<U> {
        Verified(f(self.0))
    }
}

impl<T> Deref for Verified<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> AsRef<T> for Verified<T> {
    fn as_ref(&self) -> &T {
        &self.0
    }
}
