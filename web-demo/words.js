// Plain words for what the client reports. Presentation only: every level,
// risk, reason and ETA shown on the page comes from the client
// (`createPreconfClient`); this file only says them in words a newcomer
// understands, with the protocol term kept for the small print.
import { LEVELS, ENGINE_REASON_CODES, levelRank } from './preconf-light/dist/browser.js';

/** The client's level order (lowest first); `reverted` ranks below all. The page keeps no copy. */
export const rank = levelRank;

/** The levels an item climbs, lowest first (the client's order without `unknown`). */
export const LADDER = LEVELS.filter((l) => l !== 'unknown');

/** A rollup engine event's reason (`l1Reorg`, …) as the client's reason code (`L1_REORG`, …). */
export const reasonCode = (engineReason) => (engineReason ? ENGINE_REASON_CODES[engineReason] ?? engineReason : null);

/** Per level: a short name, and what is verified at that level. */
export const LEVEL = {
  unknown: {
    name: 'not seen yet',
    now: 'Sent, but not yet in any block the client could check.',
  },
  pending: {
    name: 'waiting',
    now: 'It is in a block nobody has vouched for yet: a block the sequencer has not signed, or a block built on Ethereum that waits for its Ethereum block.',
  },
  sequenced: {
    name: 'promised',
    now: "The rollup's sequencer signed a block that contains it, and this page checked the signature. That is a promise from the sequencer, nothing more yet.",
  },
  'slot-ending': {
    name: 'batch closed',
    now: 'The sequencer closed its batch for the current Ethereum slot with it inside, on top of the Ethereum block this page verified. The next Ethereum block should carry the batch.',
  },
  included: {
    name: 'on Ethereum',
    now: "An Ethereum block carries it, and this page verified that block from the Ethereum sync committee's signatures.",
  },
  finalized: {
    name: 'final',
    now: 'Ethereum finalized the block that carries it. Undoing it would take a third of all staked ETH being destroyed.',
  },
  reverted: {
    name: 'undone',
    now: "It is out of the rollup's chain for good.",
  },
};

/** Short name of a level, e.g. `on Ethereum`. */
export const levelName = (level) => LEVEL[level]?.name ?? level;

/** What could still undo an item (the client's `mayRevertIf` codes). */
export const RISK = {
  EQUIVOCATION: 'the sequencer signs a different block at the same height (provable cheating)',
  BASED_MODE_SWITCH: 'the sequencer goes silent so long that the rollup falls back to blocks built on Ethereum ("based mode") and drops what Ethereum has not carried',
  L1_REORG: 'Ethereum replaces its newest blocks (a reorg)',
  MISSED_SLOT: 'the Ethereum proposer of that slot misses it',
  L1_PARENT_MISMATCH: 'the next Ethereum block does not build on the block the sequencer assumed',
  L1_FINALITY_FAILURE: "only a failure of Ethereum's finality itself",
};

/** Why something went down (the client's reason codes), in words; `n` items. */
const WHY = {
  L1_REORG: (n) => `${n > 1 ? 'their' : 'its'} Ethereum block was replaced by a reorg`,
  MISSED_SLOT: (n) => `the Ethereum slot meant for ${n > 1 ? 'them' : 'it'} had no block`,
  L1_PARENT_MISMATCH: () => 'the Ethereum block did not build on the block the sequencer assumed',
  BASED_MODE_SWITCH: () => 'the sequencer went silent; the rollup switched to blocks built on Ethereum and dropped what Ethereum had not carried',
  EQUIVOCATION: () => 'the sequencer signed two different blocks at one height, and this side was not continued',
  SUPERSEDED: (n) => `another block took ${n > 1 ? 'their' : 'its'} place`,
  L1_LEG_FAILED: (n) => `${n > 1 ? 'their' : 'its'} Ethereum transaction failed`,
  NOT_CANONICAL: () => 'it is not on the finalized Ethereum chain',
  NOT_SEEN: (n) => `the client no longer holds ${n > 1 ? 'them' : 'it'}`,
};

/** Why an Ethereum block itself went down. */
const WHY_L1 = {
  L1_REORG: () => 'another branch replaced it (a reorg)',
  NOT_CANONICAL: () => 'it is not on the finalized chain',
  ABOVE_VERIFIED_HEAD: () => 'the chain was replaced below it, so the newest verified block is now lower',
};

/** Why `n` items (Ethereum blocks with `subject` `l1`) went down, from the reason code; else the code itself. */
export function why(code, subject, n = 1) {
  const f = (subject === 'l1' ? WHY_L1[code] : null) ?? WHY[code];
  return f ? f(n) : code ?? 'no reason given';
}

/** Whether a reason code has words (else the card shows only the client's text). */
export const hasWords = (code) => code in WHY;

/**
 * The faults the devnet can inject (POST /devnet/admin/fault): the request,
 * what happened in plain words, and the protocol term for the small print.
 * `toggle`: a switch that stays on until turned off. `activeSlots`: how long
 * the fault keeps acting, in L1 slots (given the rollup config).
 */
export const FAULTS = {
  reorg: {
    label: 'Ethereum reorg',
    body: () => ({ kind: 'reorg', depth: 2 }),
    title: 'Ethereum replaced its newest blocks',
    what: 'The devnet threw away its two newest Ethereum blocks and continued on another branch, as happens when a later block wins a fork.',
    term: 'L1 reorg, depth 2',
  },
  missed_slot: {
    label: 'missed Ethereum slot',
    body: () => ({ kind: 'missed_slot', count: 1 }),
    title: 'An Ethereum slot stayed empty',
    what: "The next Ethereum proposer missed its slot: no block, so nothing of the rollup was carried to Ethereum in it.",
    term: 'missed L1 slot',
  },
  withhold_updates: {
    label: 'withhold Ethereum updates',
    toggle: true,
    body: (on) => ({ kind: 'withhold_updates', on }),
    title: "The page's Ethereum updates were cut off",
    what: "The beacon node stopped serving the sync committee's signed updates, so the page could verify no new Ethereum block. Nothing can be confirmed as on Ethereum meanwhile.",
    term: 'light-client updates withheld',
  },
  equivocate: {
    label: 'sequencer double-signs',
    body: () => ({ kind: 'equivocate' }),
    title: 'The sequencer signed two different blocks at one height',
    what: 'The sequencer signed two conflicting blocks for the same place in the chain. Both signatures are valid, which is proof of cheating.',
    term: 'sequencer equivocation',
  },
  sequencer_stall: {
    label: 'sequencer goes silent',
    body: (_, cfg) => ({ kind: 'sequencer_stall', slots: stallSlots(cfg) }),
    activeSlots: (cfg) => stallSlots(cfg) + 4,
    title: 'The sequencer went silent',
    what: (cfg) => `The sequencer produced nothing for ${stallSlots(cfg)} Ethereum slots, longer than the rollup allows (${cfg?.rollup?.stallLimitSlots ?? 'K'} slots). Then anyone may build the rollup's blocks on Ethereum ("based mode").`,
    term: 'sequencer stall into based mode',
  },
  stall_finality: {
    label: 'stall Ethereum finality',
    toggle: true,
    body: (on) => ({ kind: 'stall_finality', on }),
    title: "Ethereum's finality stopped",
    what: 'The finalized checkpoint stopped advancing: items can reach "on Ethereum" but not "final".',
    term: 'L1 finality stalled',
  },
  skip_slot_ending: {
    label: 'sequencer skips closing a batch',
    body: () => ({ kind: 'skip_slot_ending' }),
    title: 'The sequencer did not close a batch',
    what: "The sequencer's next slot had no batch-closing block.",
    term: 'skipped slot-ending block',
  },
};

/** A sequencer stall just past the rollup's stall limit, so that it falls into based mode. */
function stallSlots(cfg) {
  return (cfg?.rollup?.stallLimitSlots ?? 10) + 1;
}

/** A stretch of numbers as text: `#80`, `#80–#83`, `slots 80–83`, `#80, #82 and 3 more`. */
export function numbers(list, prefix = '#') {
  const ns = [...new Set(list)].sort((a, b) => a - b);
  const word = prefix.endsWith(' ');
  const many = word ? `${prefix.trim()}s ` : prefix;
  const again = word ? '' : prefix;
  if (!ns.length) return '';
  if (ns.length === 1) return `${prefix}${ns[0]}`;
  if (ns.at(-1) - ns[0] === ns.length - 1) return `${many}${ns[0]}–${again}${ns.at(-1)}`;
  if (ns.length <= 3) return `${many}${ns.map((n, i) => `${i ? again : ''}${n}`).join(', ')}`;
  return `${many}${ns[0]}, ${again}${ns[1]} and ${ns.length - 2} more`;
}

/** `n thing(s)`. */
export const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Clock time `12:03:04`. */
export const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** A duration in seconds, `4 s` / `1 min 5 s`. */
export function secs(s) {
  if (s < 9.95) return `${Math.max(0, s).toFixed(1)} s`;
  const v = Math.round(s);
  return v < 60 ? `${v} s` : `${Math.floor(v / 60)} min ${v % 60} s`;
}

export const short = (h) => (h ? `${h.slice(0, 8)}…${h.slice(-4)}` : '—');
