//! The rollup config hash an operator publishes (PROTOCOL.md section 8).

use alloy_primitives::B256;
use preconf_light::rollup::RollupConfig;
use preconf_light::rollup::config::SEQUENCER_KIND_COMMITTEE;

/// `rollupConfigHash` of a committee rollup whose initial committee hashes
/// to `committee_hash`; `config.sequencer` is ignored: the core's own
/// computation (`RollupConfig::config_hash_with`), for an operator who
/// publishes it before any client verified the committee. A single-key
/// rollup uses `RollupConfig::config_hash`.
pub fn committee_config_hash(config: &RollupConfig, committee_hash: B256) -> B256 {
    config.config_hash_with(SEQUENCER_KIND_COMMITTEE, committee_hash.as_slice())
}
