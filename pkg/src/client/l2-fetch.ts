// Missing L2 blocks, fetched for the rollup follower (rollup.ts): by height
// range from `l2BlocksUrl` (`GET {l2BlocksUrl}?from=N&count=C`, a list of
// feed messages) or one block by hash from `l2BlockUrl` (`GET
// {l2BlockUrl}/{hash}`). The core says which: `{ missing: height }` names the
// heights above the highest it holds (a range), else the parent is fetched by
// hash. Nothing here is trusted: every message goes to the core like a feed
// message.
//
// Bounded whatever the feed says: one request at a time; at most
// `RATE_PER_SEC` requests a second (a token bucket of `BURST`); a range page
// covers at most `MAX_RANGE` heights; a height range or a hash is asked once
// within `REASK_MS`; at most `MAX_QUEUED_HASHES` hashes wait. Requests go
// through `EndpointPool` (timeout, body-size limit, health), which removes
// its listener from the client's signal when each request ends, and the
// waits use `sleep`, which does too: nothing outlives a request.
import { PreconfLightError } from '../errors.js';
import { EndpointPool, TransportError, sleep } from './endpoints.js';

/** Most requests a second for missing L2 blocks (all kinds together). */
export const RATE_PER_SEC = 5;
/** Requests that may go out back to back before the rate applies. */
export const BURST = 5;
/** Most heights one range request asks for (the devnet serves up to 256). */
export const MAX_RANGE = 256;
/** A height or a hash is not asked again within this time (ms). */
export const REASK_MS = 30_000;
/** Most hashes waiting to be fetched (the oldest is dropped). */
export const MAX_QUEUED_HASHES = 64;
/** Most remembered asks (for `REASK_MS`). */
const MAX_ASKED = 4096;

/** Messages fetched: a range page (`depth` 0) or the block of `hash` (the depth of the walk that asked for it). */
export interface Fetched {
  messages: unknown[];
  hash?: string;
  depth: number;
}

/** What the fetcher needs from the follower. */
export interface L2FetchDeps {
  byHash: EndpointPool | null;
  range: EndpointPool | null;
  signal: AbortSignal;
  log(level: 'debug' | 'info' | 'warn', msg: string, data?: unknown): void;
  /** Fetched messages, for the core; resolves with how many it took. */
  deliver(f: Fetched): Promise<number>;
  /** A range page gave nothing the core took: the heights cannot be had from there (no more range requests for `REASK_MS`). */
  rangeFailed(from: number, to: number, message: string): void;
  /** A hash could not be fetched (its waiting children are given up). */
  failed(hash: string, code: string, message: string): void;
}

/** Fetches missing L2 blocks one request at a time, rate-limited and de-duplicated. */
export class L2BlockFetcher {
  #d: L2FetchDeps;
  #want: { from: number; to: number } | null = null;
  /** Heights below this were asked for by range within `REASK_MS` (at `#rangeAskedAt`). */
  #rangeAskedTo = -1;
  #rangeAskedAt = 0;
  #rangeFailedAt = -Infinity;
  #hashes = new Map<string, number>(); // hash → depth, waiting
  #asked = new Map<string, number>(); // hash → when asked
  #running = false;
  #tokens = BURST;
  #refilledAt = Date.now();
  /** Requests made (for tests and benchmarks through the client's logger). */
  requests = 0;

  constructor(deps: L2FetchDeps) {
    this.#d = deps;
  }

  /** Whether heights can be fetched by range. */
  get ranges(): boolean {
    return this.#d.range !== null;
  }

  /**
   * Asks for heights `from..=to` by range. Returns false when no range can be
   * asked (no `l2BlocksUrl`, or every height was asked within `REASK_MS`):
   * the caller fetches the parent by hash instead.
   */
  wantRange(from: number, to: number): boolean {
    if (!this.#d.range || !(to >= from) || Date.now() - this.#rangeFailedAt < REASK_MS) return false;
    if (Date.now() - this.#rangeAskedAt < REASK_MS) from = Math.max(from, this.#rangeAskedTo + 1);
    if (from > to) return false;
    this.#want = this.#want ? { from: Math.min(this.#want.from, from), to: Math.max(this.#want.to, to) } : { from, to };
    void this.#run();
    return true;
  }

  /** Asks for the block `hash`, found at `depth` of a walk; false when it cannot or will not be asked (again). */
  wantHash(hash: string, depth: number): boolean {
    if (!this.#d.byHash) return false;
    const at = this.#asked.get(hash);
    if (this.#hashes.has(hash)) return true;
    if (at !== undefined && Date.now() - at < REASK_MS) return false;
    if (this.#hashes.size >= MAX_QUEUED_HASHES) this.#hashes.delete(this.#hashes.keys().next().value as string);
    this.#hashes.set(hash, depth);
    void this.#run();
    return true;
  }

  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      while (!this.#d.signal.aborted && (this.#want || this.#hashes.size)) {
        await this.#token();
        if (this.#d.signal.aborted) return;
        if (this.#want) await this.#rangePage();
        else await this.#oneHash();
      }
    } finally {
      this.#running = false;
    }
  }

  /** Waits for a request token (`RATE_PER_SEC`, bursts of `BURST`). */
  async #token(): Promise<void> {
    const now = Date.now();
    this.#tokens = Math.min(BURST, this.#tokens + ((now - this.#refilledAt) * RATE_PER_SEC) / 1000);
    this.#refilledAt = now;
    if (this.#tokens < 1) {
      await sleep(Math.ceil(((1 - this.#tokens) * 1000) / RATE_PER_SEC), this.#d.signal);
      this.#tokens = 1;
      this.#refilledAt = Date.now();
    }
    this.#tokens -= 1;
  }

  async #rangePage(): Promise<void> {
    const want = this.#want!;
    const from = want.from;
    const count = Math.min(MAX_RANGE, want.to - from + 1);
    this.#want = from + count > want.to ? null : { from: from + count, to: want.to };
    this.#rangeAskedTo = Math.max(Date.now() - this.#rangeAskedAt < REASK_MS ? this.#rangeAskedTo : -1, from + count - 1);
    this.#rangeAskedAt = Date.now();
    const pool = this.#d.range!;
    this.requests++;
    try {
      const { url, body } = await pool.getJson(`?from=${from}&count=${count}`, this.#d.signal);
      if (!Array.isArray(body)) throw new PreconfLightError('DECODE_ERROR', `${url}: a range answer is not a list of feed messages`);
      pool.mark('ok', undefined, undefined, url);
      // Parents first: the core takes a block only after its parent.
      const byNumber = (m: unknown) => Number((m as { header?: { number?: unknown } })?.header?.number ?? 0);
      const messages = body.slice(0, MAX_RANGE * 4).sort((a, b) => byNumber(a) - byNumber(b));
      // The next page only once this one connected: a range that gives nothing is not walked further.
      if ((await this.#d.deliver({ messages, depth: 0 })) > 0) return;
      this.#failRange(from, from + count - 1, `${url}: heights ${from}..${from + count - 1} gave no block that connects to the verified chain`);
    } catch (e) {
      if (this.#d.signal.aborted) return;
      mark(pool, e);
      this.#d.log('warn', `fetching L2 heights ${from}..${from + count - 1} failed`, e);
      this.#failRange(from, from + count - 1, `heights ${from}..${from + count - 1}: ${(e as Error)?.message ?? e}`);
    }
  }

  #failRange(from: number, to: number, message: string) {
    this.#want = null;
    this.#rangeFailedAt = Date.now();
    this.#d.rangeFailed(from, to, message);
  }

  async #oneHash(): Promise<void> {
    const [hash, depth] = this.#hashes.entries().next().value as [string, number];
    this.#hashes.delete(hash);
    this.#asked.set(hash, Date.now());
    if (this.#asked.size > MAX_ASKED) this.#asked.delete(this.#asked.keys().next().value as string);
    const pool = this.#d.byHash!;
    this.requests++;
    try {
      const { url, body } = await pool.getJson(`/${hash}`, this.#d.signal);
      if (!body || typeof body !== 'object') throw new PreconfLightError('DECODE_ERROR', `${url}/${hash}: response is not a feed message`);
      pool.mark('ok', undefined, undefined, url);
      await this.#d.deliver({ messages: [body], hash, depth });
    } catch (e) {
      if (this.#d.signal.aborted) return;
      mark(pool, e);
      // No answer (unreachable, timeout, 5xx): may be asked again at once (the rate still applies); a 404 or a lie waits `REASK_MS`.
      if (e instanceof TransportError && e.code !== 'HTTP_404') this.#asked.delete(hash);
      const code = e instanceof PreconfLightError ? e.code : 'UNREACHABLE';
      this.#d.failed(hash, code, `L2 block ${hash}: ${(e as Error)?.message ?? e}`);
    }
  }
}

/** Marks a pool by the kind of failure: transport (stale) or an answer that is not what was asked (faulty). */
function mark(pool: EndpointPool, e: unknown): void {
  if (e instanceof TransportError) {
    // 404: the server does not have it; not a failure of the server.
    if (e.code !== 'HTTP_404') pool.mark('stale', e.code, e.message);
  } else if (e instanceof PreconfLightError) pool.mark('faulty', e.code, e.message);
}
