// The Ethereum (L1) timeline: one cell per slot. Each verified head the
// client emits puts its execution block in its slot, and the page watches
// that block with `client.watch({ l1Block })`: the cell's colour is the level
// the client reports (included, finalized, reverted, …). Slots without a
// block are told apart by what the page saw: empty (a verified head's parent
// is older: the proposer missed it), not observed (no verified head told),
// or before this page loaded.
import { rank } from './words.js';

/** Slots kept (older ones leave the page). */
const KEEP = 400;
/** Slots before the first head shown as "before this page loaded". */
const BEFORE = 6;

export class L1Track {
  /**
   * @param client  the PreconfClient
   * @param hooks   `{ changed(), drop(item), level(key, level), empty(slots, parentSlot, slot) }`
   */
  constructor(client, hooks) {
    this.client = client;
    this.hooks = hooks;
    /** slot → { blocks: [{ hash, root, number, level, code, unwatch }], missed? } */
    this.slots = new Map();
    /** beacon root → slot */
    this.rootSlot = new Map();
    this.firstSlot = null;
    this.topSlot = null;
  }

  /**
   * A verified head (`head` event, or `client.optimistic` once synced). The
   * heads met while syncing are not followed: the first one after is where
   * this page starts watching.
   */
  addHead(h, { start = false } = {}) {
    if (start) this.started = true;
    if (!this.started || !h?.execution) return;
    if (this.rootSlot.has(h.beaconRoot)) return;
    if (this.firstSlot === null) this.firstSlot = h.slot;
    const s = this.slots.get(h.slot) ?? { blocks: [] };
    const block = { hash: h.execution.blockHash, root: h.beaconRoot, number: h.execution.blockNumber, level: 'unknown', code: '' };
    s.blocks.push(block);
    s.missed = false;
    this.slots.set(h.slot, s);
    this.rootSlot.set(h.beaconRoot, h.slot);
    // The verified parent link: the slots in between have no block on this chain.
    const parentSlot = this.rootSlot.get(h.parentRoot);
    if (parentSlot !== undefined) {
      const empty = [];
      for (let n = parentSlot + 1; n < h.slot; n++) {
        const e = this.slots.get(n) ?? { blocks: [] };
        if (!e.blocks.length && !e.missed) { e.missed = true; empty.push(n); }
        this.slots.set(n, e);
      }
      if (empty.length) this.hooks.empty(empty, parentSlot, h.slot);
    }
    this.topSlot = Math.max(this.topSlot ?? h.slot, h.slot);
    this.watch(h.slot, block);
    this.trim();
    this.hooks.changed();
  }

  watch(slot, block) {
    const key = `l1:${block.hash}`;
    block.unwatch = this.client.watch({ l1Block: block.hash }, (s) => {
      const prev = block.level;
      block.level = s.level;
      block.code = s.reasonCode;
      block.reason = s.reason;
      if (rank(s.level) < rank(prev) && prev !== 'unknown') {
        block.dipped = true;
        this.hooks.drop({ key, subject: 'l1', n: slot, from: prev, to: s.level, code: s.reasonCode, reason: s.reason });
      }
      this.hooks.level(key, s.level);
      // Final either way: nothing left to watch.
      if (s.level === 'finalized' || s.level === 'reverted') block.unwatch?.();
      this.hooks.changed();
    });
  }

  trim() {
    if (this.topSlot === null) return;
    for (const [slot, s] of this.slots) {
      if (slot > this.topSlot - KEEP) continue;
      for (const b of s.blocks) { b.unwatch?.(); this.rootSlot.delete(b.root); }
      this.slots.delete(slot);
    }
  }

  /** Timeline entries, oldest first. */
  entries() {
    if (this.topSlot === null) return [];
    const from = Math.max(0, this.firstSlot - BEFORE, this.topSlot - KEEP + 1);
    const out = [];
    for (let n = from; n <= this.topSlot; n++) {
      const s = this.slots.get(n);
      if (n < this.firstSlot) {
        out.push({ n, level: 'unknown', state: 'before-load', title: `slot ${n}: before this page loaded (not followed)` });
      } else if (!s || (!s.blocks.length && !s.missed)) {
        out.push({ n, level: 'unknown', state: 'unobserved', title: `slot ${n}: not observed (no verified head told whether it has a block)` });
      } else if (!s.blocks.length) {
        out.push({ n, level: 'unknown', state: 'missed', title: `slot ${n}: empty (the next verified block builds on an older one: no block here)` });
      } else {
        const b = s.blocks.at(-1);
        const undone = s.blocks.some((x) => x !== b && x.level === 'reverted');
        out.push({
          n,
          level: b.level,
          dipped: b.dipped,
          undone,
          title: `slot ${n}: execution block ${b.number} ${b.hash}\nclient: ${b.level} (${b.code}${b.reason ? `: ${b.reason}` : ''})`,
        });
      }
    }
    return out;
  }
}
