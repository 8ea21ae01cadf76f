//! Test shims: the feed-message path through the public door, and the
//! EIP-5792 code of an action.

use super::engine::{Engine, Input};
use super::error::EngineError;
use super::status::Event;
use crate::rollup::FeedMessage;

impl Engine {
    /// `step(Input::L2Block(msg))`, returning the events.
    pub(crate) fn ingest_feed_message(
        &mut self,
        msg: FeedMessage,
    ) -> Result<Vec<Event>, EngineError> {
        self.step(Input::L2Block(msg)).map(|s| s.events)
    }

    /// The EIP-5792 code of an action's status.
    pub(crate) fn eip5792_status_of_action(&self, id: u64) -> Option<u16> {
        self.status_of_action(id).map(|s| s.eip5792_status)
    }
}
