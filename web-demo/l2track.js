// The rollup (L2) timeline: one cell per block height, coloured by the level
// the client reports. The rollup engine's `levelChanged` events (relayed as
// the client's `rollup` event) carry every level change; a block that
// entered without a change is found by asking `client.status({ block: n })`
// for the heights past the newest one known, and the blocks held from before
// the page loaded by asking downwards once.
import { rank, reasonCode } from './words.js';

/** Heights kept. */
const KEEP = 600;
/** Most status queries per tick (each is one round trip to the worker). */
const MAX_QUERIES = 40;

export class L2Track {
  /**
   * @param client  the PreconfClient
   * @param hooks   `{ changed(), drop(item), level(key, level), query(target) }`
   */
  constructor(client, hooks) {
    this.client = client;
    this.hooks = hooks;
    /** number → { hash, level, code, dipped, undone } (the block shown at that height) */
    this.heights = new Map();
    /** hash → number, for every block seen */
    this.numberOf = new Map();
    /** hash → level of blocks not (or no longer) shown at their height */
    this.others = new Map();
    this.top = null;
    this.bottom = null;
    /** Hashes named by events whose height is not known yet. */
    this.unplaced = new Set();
    this.backfilled = false;
    /** height → times asked without an answer */
    this.gapTries = new Map();
  }

  /** A `rollup` event of the client. */
  onEvent(e) {
    if (e.type !== 'levelChanged' || e.subject.kind !== 'block') return;
    const hash = e.subject.hash;
    const n = this.numberOf.get(hash);
    if (n === undefined) {
      this.unplaced.add(hash);
      return;
    }
    this.setLevel(hash, n, e.to, reasonCode(e.reason), e.downgrade ? e.from : null);
  }

  /** Records a reported level; `droppedFrom` when the report was a downgrade. */
  setLevel(hash, n, level, code, droppedFrom = null) {
    const key = `l2:${hash}`;
    let b = this.heights.get(n);
    if (!b || (b.hash !== hash && (b.level === 'reverted' || level !== 'reverted'))) {
      // A new block at this height, or one that replaces an undone one.
      if (b && b.hash !== hash) this.others.set(b.hash, b.level);
      b = { hash, level, code: code ?? '', dipped: false, undone: b?.level === 'reverted' || b?.undone };
      this.heights.set(n, b);
    } else if (b.hash !== hash) {
      // A twin at a height whose shown block stands (e.g. an equivocation's losing block).
      this.others.set(hash, level);
      if (level === 'reverted') b.undone = true;
    }
    const prev = b.hash === hash ? b.level : null;
    if (b.hash === hash) {
      b.level = level;
      if (code) b.code = code;
    }
    this.numberOf.set(hash, n);
    if (droppedFrom) {
      if (b.hash === hash) b.dipped = true;
      this.hooks.drop({ key, subject: 'l2', n, from: droppedFrom, to: level, code });
    } else if (prev && rank(level) < rank(prev) && prev !== 'unknown') {
      if (b.hash === hash) b.dipped = true;
      this.hooks.drop({ key, subject: 'l2', n, from: prev, to: level, code });
    }
    this.hooks.level(key, level);
    this.top = Math.max(this.top ?? n, n);
    this.bottom = Math.min(this.bottom ?? n, n);
    this.hooks.changed();
  }

  /** `client.status`, swallowing the errors of a target not held yet. */
  async ask(target) {
    try {
      return await this.hooks.query(target);
    } catch {
      return null;
    }
  }

  /** One discovery round: place named blocks, find new heights, backfill, re-ask undone heights. */
  async tick() {
    let budget = MAX_QUERIES;
    for (const hash of [...this.unplaced]) {
      if (budget-- <= 0) break;
      this.unplaced.delete(hash);
      const s = await this.ask({ block: hash });
      if (s && s.level !== 'unknown' && s.l2?.blockNumber != null) this.setLevel(hash, s.l2.blockNumber, s.level, s.reasonCode);
    }
    if (this.top === null) return;
    // New heights past the top, until the client holds none.
    while (budget-- > 0) {
      const s = await this.ask({ block: this.top + 1 });
      if (!s || s.level === 'unknown' || !s.l2?.blockHash) break;
      this.setLevel(s.l2.blockHash, this.top + 1, s.level, s.reasonCode);
    }
    // Heights inside the range that no event named (blocks that entered at their level).
    for (let n = this.bottom; n < this.top && budget > 0; n++) {
      if (this.heights.has(n) || (this.gapTries.get(n) ?? 0) >= 3) continue;
      this.gapTries.set(n, (this.gapTries.get(n) ?? 0) + 1);
      budget -= 1;
      const s = await this.ask({ block: n });
      if (s && s.level !== 'unknown' && s.l2?.blockHash) this.setLevel(s.l2.blockHash, n, s.level, s.reasonCode);
    }
    // Heights whose block was undone: has a new one taken its place?
    for (const [n, b] of this.heights) {
      if (b.level !== 'reverted' || budget-- <= 0) continue;
      const s = await this.ask({ block: n });
      if (s && s.level !== 'unknown' && s.l2?.blockHash && s.l2.blockHash !== b.hash) this.setLevel(s.l2.blockHash, n, s.level, s.reasonCode);
    }
    // Once: the blocks held from before the page loaded, downwards.
    while (!this.backfilled && budget-- > 0) {
      const n = this.bottom - 1;
      const s = n >= 0 && this.top - n < KEEP ? await this.ask({ block: n }) : null;
      if (!s || s.level === 'unknown' || !s.l2?.blockHash) { this.backfilled = true; break; }
      this.setLevel(s.l2.blockHash, n, s.level, s.reasonCode);
    }
    this.trim();
  }

  /** Re-asks the levels of shown blocks that can still change (a safety net for missed events). */
  async refresh(numbers) {
    for (const n of numbers) {
      const b = this.heights.get(n);
      if (!b || b.level === 'finalized' || b.level === 'reverted') continue;
      const s = await this.ask({ block: b.hash });
      if (s && s.level !== 'unknown') this.setLevel(b.hash, n, s.level, s.reasonCode);
    }
  }

  trim() {
    for (const [n, b] of this.heights) {
      if (n > this.top - KEEP) continue;
      this.heights.delete(n);
      this.numberOf.delete(b.hash);
    }
    this.bottom = Math.max(this.bottom, this.top - KEEP + 1);
    if (this.numberOf.size > 4 * KEEP) for (const [h, n] of this.numberOf) if (n <= this.top - KEEP) this.numberOf.delete(h);
    if (this.others.size > KEEP) this.others.clear();
    for (const n of this.gapTries.keys()) if (n < this.bottom) this.gapTries.delete(n);
  }

  /** Timeline entries, oldest first. */
  entries() {
    if (this.top === null) return [];
    const out = [];
    for (let n = this.bottom; n <= this.top; n++) {
      const b = this.heights.get(n);
      if (!b) { out.push({ n, level: 'unknown', title: `block ${n}: not held` }); continue; }
      out.push({
        n,
        level: b.level,
        dipped: b.dipped,
        undone: b.undone,
        title: `rollup block ${n} ${b.hash}\nclient: ${b.level}${b.code ? ` (${b.code})` : ''}${b.undone ? '\nanother block at this height was undone' : ''}`,
      });
    }
    return out;
  }
}
