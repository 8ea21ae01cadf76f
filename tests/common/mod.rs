//! Helpers shared by the beacon integration tests.
#![allow(dead_code)]

pub mod mainnet;
pub mod schema;
pub mod vectors;
