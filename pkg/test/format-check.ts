// Generated from the Rust core by `cargo test --lib output_format` (src/confidence/output_format_tests.rs);
// PRECONF_REGEN_FORMAT=1 rewrites it. Do not edit.
// Compiled by `tsc -p pkg/test` (make pkg-build): every sample must satisfy its
// TypeScript type exactly (no missing required field, no unknown one).
import type { Added, ConfidenceStatus, EngineEvent, L1Answer, L1BlockStatus, Liveness, Step } from '../src/engine.js';

export const status = {
  "level": "included",
  "blockHash": "0x0101010101010101010101010101010101010101010101010101010101010101",
  "blockNumber": 7,
  "mayRevertIf": [
    "l1Reorg"
  ],
  "reason": "l1Reorg",
  "lastDowngrade": "l1Reorg",
  "nextLevel": "finalized",
  "eta": 1700000096,
  "l1Inclusion": {
    "beaconRoot": "0x0202020202020202020202020202020202020202020202020202020202020202",
    "slot": 5
  },
  "executionChecked": true,
  "proven": true,
  "liveness": {
    "currentSlot": 9,
    "slotsSinceLastCommitment": 4,
    "slotsUntilBasedMode": 7,
    "basedMode": false,
    "forcedDue": [
      {
        "txHash": "0x0303030303030303030303030303030303030303030303030303030303030303",
        "deadlineSlot": 12,
        "requestedSlot": 8
      }
    ],
    "awaitingHeader": "0x0404040404040404040404040404040404040404040404040404040404040404"
  },
  "blockTag": "safe",
  "eip5792Status": 200,
  "oasisStatus": "L2 Included, L1 Included"
} satisfies ConfidenceStatus;

export const liveness = {
  "currentSlot": 9,
  "slotsSinceLastCommitment": 4,
  "slotsUntilBasedMode": 7,
  "basedMode": false,
  "forcedDue": [
    {
      "txHash": "0x0303030303030303030303030303030303030303030303030303030303030303",
      "deadlineSlot": 12,
      "requestedSlot": 8
    }
  ],
  "awaitingHeader": "0x0404040404040404040404040404040404040404040404040404040404040404"
} satisfies Liveness;

export const event0 = {
  "type": "levelChanged",
  "subject": {
    "kind": "block",
    "hash": "0xb7833b62be0d1224533022ab8330f5b5f417e61bd6a897fa72ea742694ad77de"
  },
  "from": "sequenced",
  "to": "pending",
  "downgrade": true,
  "reason": "equivocation"
} satisfies EngineEvent;

export const event1 = {
  "type": "levelChanged",
  "subject": {
    "kind": "action",
    "id": 0
  },
  "from": "pending",
  "to": "included",
  "downgrade": false,
  "reason": null
} satisfies EngineEvent;

export const event2 = {
  "type": "equivocation",
  "blocks": [
    "0xb7833b62be0d1224533022ab8330f5b5f417e61bd6a897fa72ea742694ad77de",
    "0xe8f9e8b5da572db5a3c02acdc2fdeb7329b49ed3f3e12404b8bc04fb98e797c1"
  ]
} satisfies EngineEvent;

export const event3 = {
  "type": "commitmentRejected",
  "l1BeaconRoot": "0x0505050505050505050505050505050505050505050505050505050505050505",
  "l2Hash": "0x0606060606060606060606060606060606060606060606060606060606060606",
  "reason": "PrevMismatch"
} satisfies EngineEvent;

export const event4 = {
  "type": "basedMode",
  "active": true
} satisfies EngineEvent;

export const addedAction = {
  "kind": "action",
  "id": 3
} satisfies Added;

export const l1Status = {
  "level": "included",
  "mayRevertIf": [
    "L1_REORG"
  ],
  "eta": {
    "level": "finalized",
    "at": 1700000000
  },
  "reasonCode": "ON_VERIFIED_CHAIN",
  "reason": "block 7 is on the verified L1 chain",
  "l1": {
    "number": 7,
    "hash": "0x0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
    "timestamp": 1700000000
  }
} satisfies L1BlockStatus;

export const l1Need = {
  "need": "0x0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a",
  "target": true
} satisfies L1Answer;

export const step = {
  "added": {
    "kind": "l2Block",
    "hash": "0x56ecf2f1db642729e529308e079e91d6b4f1813ceffb792042d17873ad838b96",
    "header": {
      "chainId": 901,
      "number": 0,
      "parentHash": "0x0000000000000000000000000000000000000000000000000000000000000000",
      "kind": 0,
      "l1Slot": 0,
      "l1ParentBeaconRoot": "0x0000000000000000000000000000000000000000000000000000000000000000",
      "l1ParentBlockHash": "0x0000000000000000000000000000000000000000000000000000000000000000",
      "timestamp": 1700000000,
      "stateRoot": "0x3871ead5f1cffcd99558b3e349b8305aa3bfd88962329b852148ab174234f407",
      "transactionsRoot": "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
      "receiptsRoot": "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
      "gasLimit": 30000000,
      "gasUsed": 0,
      "baseFeePerGas": 1
    }
  },
  "events": [
    {
      "type": "levelChanged",
      "subject": {
        "kind": "block",
        "hash": "0xb7833b62be0d1224533022ab8330f5b5f417e61bd6a897fa72ea742694ad77de"
      },
      "from": "sequenced",
      "to": "pending",
      "downgrade": true,
      "reason": "equivocation"
    }
  ],
  "needs": {
    "l1Block": "0x0707070707070707070707070707070707070707070707070707070707070707",
    "l1Receipts": [
      "0x0808080808080808080808080808080808080808080808080808080808080808"
    ],
    "l2Block": "0x0909090909090909090909090909090909090909090909090909090909090909"
  }
} satisfies Step;
