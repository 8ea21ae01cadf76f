//! The runnable example (`cargo run -p preconf-sequencer --example sequence`)
//! builds what it says, and the core accepts every feed message it prints.

mod common;

#[allow(dead_code)]
#[path = "../examples/sequence.rs"]
mod example;

use common::{config, engine_at};
use preconf_light::rollup::{FeedMessage, SequencerAuth, SlotEndingRule};

#[test]
fn the_example_prints_messages_the_core_accepts_and_a_commitment() {
    let mut out = Vec::new();
    let (address, _) = example::run(&mut out).expect("example runs");
    let text = String::from_utf8(out).expect("utf8");
    let messages: Vec<FeedMessage> = text
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| FeedMessage::from_json(l).expect("feed message JSON"))
        .collect();
    assert_eq!(
        messages.len(),
        8,
        "6 certified, 1 based, 1 committee-signed"
    );
    // The key-certified chain (the first 7) is accepted by the engine.
    assert_eq!(common::CHAIN_ID, example::CHAIN_ID);
    let mut e = engine_at(
        config(SequencerAuth::Key(address), SlotEndingRule::Marker),
        example::genesis(),
    );
    for m in &messages[..7] {
        e.step(preconf_light::confidence::Input::L2Block(m.clone()))
            .expect("accepted");
    }
    let kinds: Vec<u8> = messages[..7].iter().map(|m| m.block.header.kind).collect();
    assert_eq!(kinds, [0, 0, 1, 0, 0, 1, 2]);
    let calldata = text
        .lines()
        .find_map(|l| l.strip_prefix("# commit calldata 0x"))
        .expect("commitment printed");
    // commit(bytes32,uint64,bytes32): selector and three words.
    assert_eq!(calldata.len(), 2 * (4 + 3 * 32));
}
