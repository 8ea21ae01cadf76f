// The L2 half of the client: runs the rollup engine in the core backend and
// keeps it fed.
//
// Pipeline: the engine is created over the light client once its store is
// loaded; every store change the client applies feeds it the new heads (in
// the core, `Applied.engine`). Every input goes through the engine's one
// door (`engineStep`) and every answer says what the engine needs next,
// which is fetched here: `needs.l1Block` with `eth_getBlockByHash` →
// `{ l1Block }`, each of `needs.l1Receipts` with `eth_getBlockReceipts` →
// `{ l1Receipts }`, until it asks for nothing. The sequencer feed
// (server-sent events, one feed message JSON per event) goes to
// `{ l2Block }` as its text; a message that fails verification is reported
// and changes nothing. A message whose parent is not held waits, and the
// core says what it waits for (`{ missing: height }`): the heights above the
// highest it holds, fetched in pages from `l2BlocksUrl`, else the parent by
// hash from `l2BlockUrl` (l2-fetch.ts: one request at a time, rate-limited,
// de-duplicated). Nothing at or below the anchor is fetched (the core
// refuses such a block as `BEHIND_ANCHOR`), and a walk by hash that does not
// connect within `MAX_HASH_WALK` blocks, or whose block cannot be fetched, is
// given up (`feedRejected` with `PARENT_UNAVAILABLE`). A clock tick advances
// the engine. Statuses come only from the engine (`engineQuery`).
//
// The L1 legs of `{ action }` targets: on each tick, every leg whose own
// level (a one-leg action tracked in the engine) is still `pending` is looked
// up with `eth_getTransactionReceipt`; when the receipt names a block not yet
// taken, that block (`eth_getBlockByHash(hash, true)`) and its
// `eth_getBlockReceipts` go to `{ l1TxReceipt }`, where the core checks
// both against a verified L1 header it holds. A block the engine does not
// hold yet is retried when the heads move; a response the core rejects marks
// the L1 endpoint faulty and is retried with backoff. After an L1 reorg the
// engine drops the leg back to `pending` (its block is no longer canonical),
// so the lookup starts again and takes the block that carries it now.
//
// `simulate` (the client's `simulateAction`) runs the local EVM over the
// state root of an L2 block the engine accepted (the header of the feed
// message whose hash the core computed when it verified it), with
// `eth_getProof` / `eth_getCode` answers from the L2 RPC that the core checks
// against that root.
import { PreconfLightError } from '../errors.js';
import type { Hex } from '../beacon.js';
import type { Added, ConfidenceStatus, EngineEvent, EngineQuery, HeightRange, L2Header, Step } from '../engine.js';
import { COMMITTED_HEAD_SLOT, LEVEL_CODES, REASON_CODES } from '../core-format.js';
import type { EvmCall, SimulateRequest } from '../evm.js';
import type { CoreBackend } from './core-backend.js';
import { EndpointPool, TransportError, backoffMs, sleep } from './endpoints.js';
import { L2BlockFetcher, type Fetched } from './l2-fetch.js';
import type { Resolver } from './resolvers.js';
import { readSse } from './sse.js';
import { simulateWithState } from './state-loop.js';
import type { ActionSimulation, Level, SimulateActionRequest, Status, Target } from './types.js';

/** Client reason codes of the engine's downgrade reasons and revert risks (generated from the core). */
export const ENGINE_REASON_CODES: Readonly<Record<string, string>> = REASON_CODES;

/** Engine errors that mean "already have it" or "no longer relevant", not a lie. */
const BENIGN = new Set(['DUPLICATE', 'L1_BLOCK_NOT_REQUESTED', 'UNKNOWN_L1_BLOCK']);
/** Most messages held while their parent is missing. */
const MAX_ORPHANS = 512;
/** Most parents fetched by hash back from one orphan (ranges fetch the rest). */
const MAX_HASH_WALK = 32;
/** Most attempts at fetching the anchor before the client stops. */
const MAX_ANCHOR_ATTEMPTS = 8;
const HASH_RE = /^0x[0-9a-fA-F]{64}$/;

/** Most accepted L2 headers remembered for simulations. */
const MAX_HEADERS = 1024;
/** Most rounds of state fetching of one simulation. */
const MAX_SIMULATION_ROUNDS = 16;
/** BLOCKHASH reaches this many blocks back. */
const BLOCKHASH_WINDOW = 256;
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
/** Simulation errors that mean the L2 RPC's proofs or code did not verify. */
const STATE_LIES = new Set(['INVALID_PROOF', 'PROOF_VALUE_MISMATCH', 'PROOF_SUBJECT_MISMATCH', 'STATE_ROOT_MISMATCH', 'CODE_HASH_MISMATCH', 'DECODE_ERROR']);

/** An accepted L2 header, by its hash. */
type L2HeaderFields = L2Header & { hash: Hex };

/**
 * The committed head an `eth_getProof` answer states (unchecked: it only
 * names the header to fetch; the core proves the word and checks the header).
 */
function claimedHead(proof: object): Hex {
  const value = (proof as { storageProof?: { value?: unknown }[] }).storageProof?.[0]?.value;
  try {
    return `0x${BigInt(value as string).toString(16).padStart(64, '0')}` as Hex;
  } catch {
    throw new PreconfLightError('DECODE_ERROR', 'eth_getProof states no committedHead value');
  }
}

/** One L1 leg of the tracked actions. */
interface L1Leg {
  tx: Hex;
  /** The engine's one-leg action (the leg's own level). */
  id: Promise<number>;
  /** Block of the receipt last taken by the engine. */
  block: string | null;
  /** `Date.now()` before which the leg is not looked up again. */
  nextAt: number;
  attempt: number;
  /** The receipt's block is not held by the engine yet: wait for the heads to move. */
  waitHeads: boolean;
}

/** What the follower needs from the client. */
export interface RollupDeps {
  core: CoreBackend;
  l1: EndpointPool;
  feed: EndpointPool | null;
  /** `GET {l2BlockUrl}/{hash}` answering a feed message JSON (optional). */
  l2Block: EndpointPool | null;
  /** `GET {l2BlocksUrl}?from=N&count=C` answering a list of feed messages (optional). */
  l2Blocks: EndpointPool | null;
  /** `trustGenesisAnchor`: skip proving the committed head (the caller vouches nothing was committed). */
  trustGenesisAnchor: boolean;
  signal: AbortSignal;
  now(): number;
  backoff: { baseMs: number; maxMs: number };
  tickIntervalMs: number;
  log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, data?: unknown): void;
  onEvent(e: EngineEvent): void;
  onRejected(code: string, message: string): void;
  /** Called after anything the engine took (statuses may have changed). */
  onChange(): void;
}

/** Follows the rollup and answers `{ block }`, `{ tx }`, `{ action }`. */
export class RollupFollower implements Resolver {
  readonly kind = 'rollup';
  #d: RollupDeps;
  #started = false;
  #needBlock: string | null = null;
  #needReceipts = new Set<string>();
  #pumping = false;
  #pumpAgain = false;
  #orphans = new Map<string, { messages: { msg: unknown; number: number }[]; depth: number }>(); // parent hash → messages waiting for it
  #orphanCount = 0;
  #orphanHeights = new Map<number, number>(); // height → messages held at it
  #fetcher: L2BlockFetcher;
  #feedChain: Promise<void> = Promise.resolve();
  #actions = new Map<string, Promise<number>>();
  #legs = new Map<string, L1Leg>();
  #legsBusy = false;
  #headers = new Map<string, L2HeaderFields>(); // accepted L2 headers, oldest first

  constructor(deps: RollupDeps) {
    this.#d = deps;
    this.#fetcher = new L2BlockFetcher({
      byHash: deps.l2Block,
      range: deps.l2Blocks,
      signal: deps.signal,
      log: (level, msg, data) => deps.log(level, msg, data),
      deliver: (f) => this.#delivered(f),
      failed: (hash, code, message) => this.#giveUp(hash, 'PARENT_UNAVAILABLE', `${message} (${code})`),
      rangeFailed: (_from, _to, message) => {
        // What waited for those heights cannot connect from there.
        for (const parent of [...this.#orphans.keys()]) this.#giveUp(parent, 'PARENT_UNAVAILABLE', message);
      },
    });
  }

  /** L2 block requests made for missing blocks so far. */
  get l2Requests(): number {
    return this.#fetcher.requests;
  }

  /**
   * Creates the engine (after the light-client store exists) and starts
   * following. `finalized` is the light client's verified finalized execution
   * block (the engine's anchor block). The config's genesis is only a
   * sound anchor while the inbox holds no commitment there: once it does, the
   * engine is anchored at the inbox's `committedHead` proven at that block
   * (the config's genesis header when it is the one committed, else the header
   * fetched from `l2BlockUrl`), and the core checks proof and header.
   */
  async start(config: object, finalized: { blockNumber: number; stateRoot: Hex } | null): Promise<void> {
    let created;
    if (this.#d.trustGenesisAnchor) {
      created = await this.#d.core.engineCreate(config);
    } else {
      if (finalized === null) {
        throw new PreconfLightError('ANCHOR_UNAVAILABLE', 'the finalized beacon header carries no execution block: the inbox\'s committed head cannot be proven there (set trustGenesisAnchor only if nothing was committed)');
      }
      const proof = await this.#retrying(() => this.#anchorProof(config, finalized));
      try {
        // The core proves the committed head: nothing committed or the config's genesis anchors at the genesis.
        created = await this.#d.core.engineCreate(config, { proof });
      } catch (e) {
        if (!(e instanceof PreconfLightError && e.code === 'COMMITTED_HEAD_MISMATCH')) throw e;
        const head = claimedHead(proof);
        const header = await this.#retrying(() => this.#committedHeader(head));
        created = await this.#d.core.engineCreate(config, { proof, header });
        this.#d.log('info', `rollup engine anchored at the committed head ${head} (L1 block ${finalized.blockNumber})`);
      }
    }
    const { configHash, step } = created;
    this.#d.log('info', `rollup engine created (config ${configHash})`);
    this.#started = true;
    this.progress(step);
    if (this.#d.feed) void this.#feedLoop(this.#d.feed);
    void this.#tickLoop();
  }

  /** `step` with retries (backoff) on transport failures and answers that do not verify. */
  async #retrying<T>(step: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await step();
      } catch (e) {
        const retry = e instanceof PreconfLightError && e.code !== 'INVALID_CONFIG';
        if (!retry || attempt >= MAX_ANCHOR_ATTEMPTS || this.#d.signal.aborted) throw e;
        this.#d.log('warn', `fetching the rollup anchor failed (attempt ${attempt + 1})`, e);
        await sleep(backoffMs(attempt, this.#d.backoff.baseMs, this.#d.backoff.maxMs), this.#d.signal);
      }
    }
  }

  /**
   * The `eth_getProof` answer for the inbox's `committedHead` at the
   * finalized block (the core proves it when the engine is created). A `null`
   * answer (no state of that block) is a retryable `NO_STATE`: the anchor is
   * never guessed, since a wrong one makes a late client refuse every
   * commitment and report included blocks reverted.
   */
  async #anchorProof(config: object, at: { blockNumber: number }): Promise<object> {
    const c = ((config as { rollup?: object }).rollup ?? config) as { inbox?: unknown };
    const { result: proof } = await this.#d.l1.rpc('eth_getProof', [c.inbox, [COMMITTED_HEAD_SLOT], `0x${at.blockNumber.toString(16)}`], this.#d.signal);
    if (proof === null || typeof proof !== 'object') {
      throw new TransportError('NO_STATE', `the L1 RPC has no state of block ${at.blockNumber} to prove the inbox's committedHead with`);
    }
    return proof as object;
  }

  /** The header of the committed L2 block `head` from `l2BlockUrl` (the core checks its hash). */
  async #committedHeader(head: Hex): Promise<object> {
    const pool = this.#d.l2Block;
    if (!pool) {
      throw new PreconfLightError('INVALID_CONFIG', `the rollup has committed ${head} since its genesis: l2BlockUrl is needed to fetch the committed header the engine anchors at`);
    }
    const { url, body } = await pool.getJson(`/${head}`, this.#d.signal);
    const msg = body as { header?: object } | null;
    if (!msg || typeof msg !== 'object') {
      pool.mark('faulty', 'DECODE_ERROR', `${url}/${head}: response is not a feed message`, url);
      throw new PreconfLightError('DECODE_ERROR', `${url}/${head}: response is not a feed message`);
    }
    return msg.header ?? msg;
  }

  /** Takes the engine's step after a store change (new heads) and fetches what it asks for. */
  progress(s: Step | null): void {
    if (!s) return;
    this.#needBlock = s.needs.l1Block;
    this.#take(s, true);
    void this.#pump();
  }

  #events(events: EngineEvent[]) {
    for (const e of events) this.#d.onEvent(e);
  }

  /** The L1 data loop: fetch and ingest until the engine needs nothing. */
  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    let attempt = 0;
    try {
      while (!this.#d.signal.aborted) {
        this.#pumpAgain = false;
        const block = this.#needBlock;
        const receipts = [...this.#needReceipts][0];
        if (!block && !receipts) break;
        try {
          if (block) {
            const { result, url } = await this.#d.l1.rpc('eth_getBlockByHash', [block, false], this.#d.signal);
            if (result === null) throw new TransportError('NOT_FOUND', `the L1 RPC does not know block ${block}`);
            if (this.#needBlock === block) this.#needBlock = null;
            const p = await this.#ingest(() => this.#d.core.engineStep({ l1Block: result }), url);
            if (p) this.#take(p, true);
          } else if (receipts) {
            const { result, url } = await this.#d.l1.rpc('eth_getBlockReceipts', [receipts], this.#d.signal);
            if (result === null) throw new TransportError('NOT_FOUND', `the L1 RPC has no receipts of ${receipts}`);
            this.#needReceipts.delete(receipts);
            const p = await this.#ingest(() => this.#d.core.engineStep({ l1Receipts: { blockHash: receipts, receipts: result } }), url);
            if (p) this.#take(p, true);
          }
          attempt = 0;
        } catch (e) {
          if (this.#d.signal.aborted) return;
          if (e instanceof TransportError) this.#d.l1.mark('stale', e.code, e.message);
          else if (e instanceof PreconfLightError) this.#d.l1.mark('faulty', e.code, e.message);
          // Ask again (possibly another endpoint) after a backoff.
          if (block && !this.#needBlock) this.#needBlock = block;
          if (receipts) this.#needReceipts.add(receipts);
          this.#d.log('warn', 'L1 data for the rollup engine failed', e);
          await sleep(backoffMs(attempt++, this.#d.backoff.baseMs, this.#d.backoff.maxMs), this.#d.signal);
        }
      }
    } finally {
      this.#pumping = false;
    }
    if (this.#pumpAgain && !this.#d.signal.aborted) void this.#pump();
  }

  /**
   * Takes an engine step: its events and, after an L1 input, what it needs
   * next (L1 data for the pump; a committed L2 header the derivation waits
   * for, from `l2BlockUrl`). Other steps leave the L1 needs to the pump, so
   * that a request in flight is not asked for twice.
   */
  #take(s: Step, l1 = false) {
    this.#events(s.events);
    if (l1) {
      this.#headsMoved();
      if (s.needs.l1Block) this.#needBlock = s.needs.l1Block;
      for (const h of s.needs.l1Receipts) this.#needReceipts.add(h);
      if (s.needs.l2Block) this.#fetcher.wantHash(s.needs.l2Block.toLowerCase(), 0);
    }
    this.#d.onChange();
  }

  /** Runs an engine ingest; a benign refusal returns null, verification failures throw after marking. */
  async #ingest<T>(f: () => Promise<T>, url: string): Promise<T | null> {
    try {
      const r = await f();
      this.#d.l1.mark('ok', undefined, undefined, url);
      return r;
    } catch (e) {
      if (e instanceof PreconfLightError && BENIGN.has(e.code)) return null;
      throw e;
    }
  }

  // ---- the sequencer feed -------------------------------------------------

  async #feedLoop(pool: EndpointPool): Promise<void> {
    const signal = this.#d.signal;
    for (let attempt = 0; !signal.aborted; ) {
      try {
        const { res } = await pool.request('', { headers: { accept: 'text/event-stream' }, signal }, true);
        if (!res.body) throw new TransportError('NO_STREAM', 'the feed has no body');
        await readSse(
          res.body,
          (ev) => {
            attempt = 0;
            if (ev.event !== 'block' && ev.event !== 'message') return;
            // The JSON text goes to the core as it came: parsed once, there (a message that is not JSON is MALFORMED).
            this.#queue(ev.data);
          },
          signal,
        );
        if (signal.aborted) return;
        throw new TransportError('STREAM_ENDED', 'the sequencer feed ended');
      } catch (e) {
        if (signal.aborted) return;
        pool.mark('stale', e instanceof PreconfLightError ? e.code : 'STREAM_FAILED', String((e as Error)?.message ?? e));
        await sleep(backoffMs(attempt++, this.#d.backoff.baseMs, this.#d.backoff.maxMs), signal);
      }
    }
  }

  /**
   * Ingests feed messages one at a time, in arrival order (`depth`: of the
   * walk by hash that fetched them); resolves with how many blocks the core
   * took (this one and those that waited for it).
   */
  #queue(msg: unknown, depth = 0, fetched = false): Promise<number> {
    const done = this.#feedChain.then(() => this.#ingestL2(msg, depth, fetched));
    this.#feedChain = done.then(
      () => {},
      (e) => this.#d.log('error', 'feed ingest failed', e),
    );
    return done.catch(() => 0);
  }

  /** Messages the fetcher brought (a range page, or the block of a hash); resolves with how many the core took. */
  async #delivered(f: Fetched): Promise<number> {
    const taken = await Promise.all(f.messages.map((m) => this.#queue(m, f.depth, true)));
    return taken.reduce((a, b) => a + b, 0);
  }

  /** Ingests one message; then every held message that waited for it. Returns how many the core took. */
  async #ingestL2(first: unknown, depth: number, fetched: boolean): Promise<number> {
    let taken = 0;
    const todo: { msg: unknown; depth: number }[] = [{ msg: first, depth }];
    while (todo.length && !this.#d.signal.aborted) {
      const { msg, depth: d } = todo.shift()!;
      try {
        const step = await this.#d.core.engineStep({ l2Block: msg as object | string });
        const added = step.added as Extract<Added, { kind: 'l2Block' }>;
        const hash = added.hash;
        this.#remember(added);
        taken++;
        if (!fetched) this.#d.feed?.mark('ok');
        this.#take(step);
        const waiting = this.#release(hash.toLowerCase());
        for (const m of waiting) todo.push({ msg: m, depth: 0 });
      } catch (e) {
        const code = e instanceof PreconfLightError ? e.code : 'INTERNAL';
        // Known already, or at or below the anchor (which proves that part of the chain): nothing to do.
        if (code === 'DUPLICATE' || code === 'BEHIND_ANCHOR') continue;
        if (code === 'UNKNOWN_PARENT') {
          await this.#hold(msg, d);
          continue;
        }
        const message = (e as Error)?.message ?? String(e);
        (fetched ? (this.#d.l2Blocks ?? this.#d.l2Block) : this.#d.feed)?.mark('faulty', code, message);
        this.#d.log('warn', `${fetched ? 'fetched L2 block' : 'feed message'} rejected: ${code}`, e);
        this.#d.onRejected(code, message);
      }
    }
    return taken;
  }

  /**
   * Holds a message the core refused for its unknown parent (read here only
   * for the parent's hash and its height) and fetches what it waits for: the
   * heights the core names, else its parent by hash (one step deeper).
   */
  async #hold(msg: unknown, depth: number): Promise<void> {
    let m = msg;
    if (typeof m === 'string') {
      try {
        m = JSON.parse(m);
      } catch {
        return;
      }
    }
    const header = (m as { header?: { parentHash?: unknown; number?: unknown } })?.header;
    const parent = String(header?.parentHash ?? '').toLowerCase();
    const number = Number(header?.number);
    if (!HASH_RE.test(parent) || !Number.isSafeInteger(number)) return;
    // Its parent's height is held already (waiting itself): it comes with that one.
    const parentWaits = this.#orphanHeights.has(number - 1);
    if (this.#orphanCount >= MAX_ORPHANS) this.#release(this.#orphans.keys().next().value as string); // drop the oldest group
    const group = this.#orphans.get(parent) ?? { messages: [], depth };
    group.messages.push({ msg, number });
    group.depth = Math.max(group.depth, depth);
    this.#orphans.set(parent, group);
    this.#orphanCount++;
    this.#orphanHeights.set(number, (this.#orphanHeights.get(number) ?? 0) + 1);
    if (parentWaits) return;
    const gap = (await this.#d.core.engineQuery({ missing: number }).catch(() => null)) as HeightRange | null;
    if (gap && this.#fetcher.wantRange(gap.from, gap.to)) return;
    if (group.depth + 1 > MAX_HASH_WALK) {
      this.#giveUp(parent, 'PARENT_UNAVAILABLE', `L2 block ${parent}: its chain did not connect to the verified chain within ${MAX_HASH_WALK} blocks fetched by hash`);
      return;
    }
    if (!this.#fetcher.wantHash(parent, group.depth + 1) && !this.#d.l2Block && !this.#d.l2Blocks) return; // no source: wait for the feed
  }

  /** Gives up the messages waiting for `parent` (their chain does not connect): reported, not held. */
  #giveUp(parent: string, code: string, message: string) {
    const given = this.#release(parent);
    if (given.length === 0) return;
    this.#d.log('warn', `gave up ${given.length} L2 message(s): ${message}`);
    this.#d.onRejected(code, message);
  }

  /** Takes the messages waiting for `parent` out of the held ones. */
  #release(parent: string): unknown[] {
    const group = this.#orphans.get(parent);
    if (!group) return [];
    this.#orphans.delete(parent);
    this.#orphanCount -= group.messages.length;
    for (const { number } of group.messages) {
      const left = (this.#orphanHeights.get(number) ?? 1) - 1;
      if (left > 0) this.#orphanHeights.set(number, left);
      else this.#orphanHeights.delete(number);
    }
    return group.messages.map((m) => m.msg);
  }

  async #tickLoop(): Promise<void> {
    while (!this.#d.signal.aborted) {
      await sleep(this.#d.tickIntervalMs, this.#d.signal);
      if (this.#d.signal.aborted) return;
      try {
        this.#take(await this.#d.core.engineStep({ tick: Math.floor(this.#d.now()) }));
      } catch (e) {
        this.#d.log('warn', 'rollup engine tick failed', e);
      }
      void this.#pollLegs();
    }
  }

  // ---- simulations over verified L2 state ---------------------------------

  /** Keeps the header of a block the engine accepted (with the core's hash of it). */
  #remember(added: { hash: Hex; header: L2Header }) {
    const f: L2HeaderFields = { ...added.header, hash: added.hash };
    this.#headers.set(f.hash, f);
    if (this.#headers.size > MAX_HEADERS) this.#headers.delete(this.#headers.keys().next().value as string);
  }

  /** The accepted header to simulate on: `block` (number or hash), else the newest at `sequenced` or above. */
  async #simulationBlock(block: number | string | undefined): Promise<{ h: L2HeaderFields; level: Level }> {
    const core = this.#d.core;
    if (block !== undefined) {
      const q = await this.#query({ block: block as Hex });
      const s = (await core.engineQuery(q)) as ConfidenceStatus | null;
      const h = s?.blockHash ? this.#headers.get(s.blockHash.toLowerCase()) : undefined;
      if (!s || !h) throw new PreconfLightError('UNKNOWN_BLOCK', `the rollup engine holds no accepted L2 block ${block} to simulate on`);
      return { h, level: s.level as Level };
    }
    const newest = [...this.#headers.values()].sort((a, b) => b.number - a.number);
    for (const h of newest.slice(0, 64)) {
      const s = (await core.engineQuery({ block: h.hash })) as ConfidenceStatus | null;
      if (s && s.level !== 'pending' && s.level !== 'reverted') return { h, level: s.level as Level };
    }
    throw new PreconfLightError('NOT_SYNCED', 'the rollup engine holds no L2 block at sequenced or above yet');
  }

  /** Runs calls or signed transactions over the verified state of an L2 block and checks the assertions. */
  async simulate(req: SimulateActionRequest, l2: EndpointPool): Promise<ActionSimulation> {
    if (!this.#started) throw new PreconfLightError('NOT_SYNCED', 'the rollup engine is not running yet');
    if (!req || typeof req !== 'object' || req.l2 === undefined) throw new PreconfLightError('INVALID_ARGUMENT', 'simulateAction needs l2: a call, a signed transaction, or a list of them');
    const txs = (Array.isArray(req.l2) ? req.l2 : [req.l2]) as (EvmCall | Hex)[];
    const { h, level } = await this.#simulationBlock(req.block);
    const at = h.hash;
    const request: SimulateRequest = {
      stateRoot: h.stateRoot,
      block: {
        chainId: h.chainId,
        spec: req.spec ?? 'prague',
        number: h.number,
        timestamp: h.timestamp,
        beneficiary: ZERO_ADDRESS,
        gasLimit: h.gasLimit,
        baseFee: h.baseFeePerGas,
      },
      txs,
      ...(req.assertions ? { assertions: req.assertions } : {}),
    };
    const signal = this.#d.signal;
    const source = {
      proof: async (a: Hex, keys: Hex[]) => (await l2.rpc('eth_getProof', [a, keys, at], signal)).result as object,
      code: async (a: Hex) => {
        const { result } = await l2.rpc('eth_getCode', [a, at], signal);
        return typeof result === 'string' ? (result as Hex) : null;
      },
      // Hashes of the accepted ancestors (each header's parent hash is bound by its own hash).
      blockHash: async (num: number) => {
        if (num >= h.number || num < h.number - BLOCKHASH_WINDOW) return null;
        let cur: L2HeaderFields | undefined = h;
        while (cur && cur.number > num + 1) cur = this.#headers.get(cur.parentHash);
        return cur && cur.number === num + 1 ? cur.parentHash : null;
      },
    };
    try {
      const r = await simulateWithState(this.#d.core, request, source, MAX_SIMULATION_ROUNDS);
      if (!r) throw new PreconfLightError('TOO_MANY_ROUNDS', `the simulation needed more than ${MAX_SIMULATION_ROUNDS} rounds of state`);
      l2.mark('ok');
      return {
        ok: r.ok,
        block: { hash: h.hash, number: h.number, stateRoot: h.stateRoot, level },
        outcomes: r.outcomes,
        assertions: r.assertions,
        stateChanges: r.stateChanges,
        gasUsed: r.gasUsed,
      };
    } catch (e) {
      if (e instanceof TransportError) l2.mark('stale', e.code, e.message);
      else if (e instanceof PreconfLightError && STATE_LIES.has(e.code)) l2.mark('faulty', e.code, e.message);
      throw e;
    }
  }

  // ---- L1 legs of actions -------------------------------------------------

  #headsMoved() {
    for (const leg of this.#legs.values()) leg.waitHeads = false;
  }

  #trackLeg(tx: Hex) {
    if (this.#legs.has(tx)) return;
    this.#legs.set(tx, { tx, id: this.#actionId([tx], []), block: null, nextAt: 0, attempt: 0, waitHeads: false });
  }

  /** Looks up every leg that is due and still `pending` in the engine (one at a time). */
  async #pollLegs(): Promise<void> {
    if (this.#legsBusy || this.#legs.size === 0) return;
    this.#legsBusy = true;
    try {
      for (const leg of this.#legs.values()) {
        if (this.#d.signal.aborted) return;
        if (leg.waitHeads || Date.now() < leg.nextAt) continue;
        const s = (await this.#d.core.engineQuery({ action: await leg.id }).catch(() => null)) as ConfidenceStatus | null;
        // Included, finalized or failed on the canonical chain: nothing to look up until a reorg brings it back.
        if (s && s.level !== 'pending') continue;
        await this.#pollLeg(leg);
      }
    } catch (e) {
      this.#d.log('warn', 'L1 leg lookup failed', e);
    } finally {
      this.#legsBusy = false;
    }
  }

  async #pollLeg(leg: L1Leg): Promise<void> {
    const { signal } = this.#d;
    try {
      const { result: receipt } = await this.#d.l1.rpc('eth_getTransactionReceipt', [leg.tx], signal);
      if (receipt === null) return; // not on the RPC's chain (yet): ask again next tick
      const blockHash = String((receipt as { blockHash?: unknown })?.blockHash ?? '').toLowerCase();
      if (!HASH_RE.test(blockHash)) throw new PreconfLightError('DECODE_ERROR', `the receipt of ${leg.tx} names no block hash`);
      if (blockHash === leg.block) return; // taken already; the engine counts it once its block is canonical
      const { result: block } = await this.#d.l1.rpc('eth_getBlockByHash', [blockHash, true], signal);
      if (block === null) throw new TransportError('NOT_FOUND', `the L1 RPC does not know block ${blockHash}`);
      const { result: receipts, url } = await this.#d.l1.rpc('eth_getBlockReceipts', [blockHash], signal);
      if (receipts === null) throw new TransportError('NOT_FOUND', `the L1 RPC has no receipts of ${blockHash}`);
      const step = await this.#d.core.engineStep({ l1TxReceipt: { block, receipts, txHash: leg.tx } });
      this.#d.l1.mark('ok', undefined, undefined, url);
      leg.block = blockHash;
      leg.attempt = 0;
      this.#take(step);
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof PreconfLightError && e.code === 'UNKNOWN_L1_BLOCK') {
        // Not (yet) a verified L1 block the engine holds: try again once the heads move.
        leg.waitHeads = true;
        return;
      }
      if (e instanceof TransportError) this.#d.l1.mark('stale', e.code, e.message);
      else if (e instanceof PreconfLightError) this.#d.l1.mark('faulty', e.code, e.message);
      this.#d.log('warn', `L1 leg ${leg.tx} not taken`, e);
      leg.nextAt = Date.now() + backoffMs(leg.attempt++, this.#d.backoff.baseMs, this.#d.backoff.maxMs);
    }
  }

  // ---- statuses -----------------------------------------------------------

  async evaluate(target: Target): Promise<Status> {
    const at = this.#d.now();
    const query = await this.#query(target);
    if (!this.#started) return unknown(target, at, 'NOT_SYNCED', 'the rollup engine is not running yet');
    const s = (await this.#d.core.engineQuery(query)) as ConfidenceStatus | null;
    return fromEngine(target, s, at);
  }

  async #query(target: Target): Promise<EngineQuery> {
    if ('block' in target) {
      const b = target.block;
      if (typeof b === 'number') {
        if (!Number.isSafeInteger(b) || b < 0) throw new PreconfLightError('INVALID_ARGUMENT', 'block must be a number or a 32-byte 0x hash');
        return { number: b };
      }
      if (typeof b !== 'string' || !HASH_RE.test(b)) throw new PreconfLightError('INVALID_ARGUMENT', 'block must be a number or a 32-byte 0x hash');
      return { block: b.toLowerCase() };
    }
    if ('tx' in target) {
      if (typeof target.tx !== 'string' || !HASH_RE.test(target.tx)) throw new PreconfLightError('INVALID_ARGUMENT', 'tx must be a 32-byte 0x hash');
      return { tx: target.tx.toLowerCase() };
    }
    const a = (target as { action?: { l1Txs?: unknown; l2Txs?: unknown } }).action;
    const l1Txs = hashes(a?.l1Txs, 'action.l1Txs');
    const l2Txs = hashes(a?.l2Txs, 'action.l2Txs');
    if (l1Txs.length + l2Txs.length === 0) throw new PreconfLightError('INVALID_ARGUMENT', 'an action needs at least one transaction');
    if (!this.#started) return { action: -1 };
    const id = this.#actionId(l1Txs, l2Txs);
    for (const tx of l1Txs) this.#trackLeg(tx);
    return { action: await id };
  }

  /** The engine's action id for these legs (tracked once). */
  #actionId(l1Txs: Hex[], l2Txs: Hex[]): Promise<number> {
    const key = JSON.stringify([[...l1Txs].sort(), [...l2Txs].sort()]);
    let id = this.#actions.get(key);
    if (!id) {
      id = this.#d.core.engineStep({ trackAction: { l1Txs, l2Txs } }).then((s) => (s.added as Extract<Added, { kind: 'action' }>).id);
      this.#actions.set(key, id);
      id.catch(() => this.#actions.delete(key));
    }
    return id;
  }
}

function hashes(v: unknown, what: string): Hex[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((h) => typeof h === 'string' && HASH_RE.test(h))) {
    throw new PreconfLightError('INVALID_ARGUMENT', `${what} must be an array of 32-byte 0x hashes`);
  }
  return v.map((h: string) => h.toLowerCase() as Hex);
}

function unknown(target: Target, at: number, reasonCode: string, reason: string): Status {
  return { target, level: 'unknown', mayRevertIf: [], eta: null, reasonCode, reason, at };
}

/** Maps an engine status to the client's `Status`. */
export function fromEngine(target: Target, s: ConfidenceStatus | null, at: number): Status {
  if (!s) return unknown(target, at, 'NOT_SEEN', 'the rollup engine holds no such block, transaction or action yet');
  const [levelCode, levelText] = LEVEL_CODES[s.level];
  const reasonCode = s.reason ? (ENGINE_REASON_CODES[s.reason] ?? s.reason) : levelCode;
  const reason = s.reason ? `${levelText} (last downgrade: ${s.reason})` : levelText;
  const status: Status = {
    target,
    level: s.level as Level,
    mayRevertIf: s.mayRevertIf.map((r) => ENGINE_REASON_CODES[r] ?? r),
    eta: s.nextLevel && s.eta !== null ? { level: s.nextLevel as Level, at: Math.max(s.eta, at) } : null,
    reasonCode,
    reason,
    lastDowngrade: s.lastDowngrade ? (ENGINE_REASON_CODES[s.lastDowngrade] ?? s.lastDowngrade) : null,
    at,
    l2: {
      blockHash: s.blockHash,
      blockNumber: s.blockNumber,
      blockTag: s.blockTag,
      eip5792Status: s.eip5792Status,
      oasisStatus: s.oasisStatus,
      l1Inclusion: s.l1Inclusion,
      executionChecked: s.executionChecked,
      proven: s.proven,
      liveness: s.liveness,
    },
  };
  return status;
}
