//! Helpers shared by the beacon integration tests.
#![allow(dead_code)]

pub mod schema;
pub mod vectors;
