// createPreconfClient: joins the verified core to real endpoints.
//
// Pipeline (L1 half): load the persisted store (or bootstrap from the trusted
// checkpoint) → sync by sync-committee period with `/updates` → take the
// latest finality and optimistic updates → follow the Beacon API event
// stream (polling as fallback) → force-update when due. Every change of the
// store comes out of the core's verification, is persisted with `toBytes()`,
// and re-evaluates the watched targets. Endpoint failures never change the
// verified state; they mark the endpoint stale (unreachable, slow) or faulty
// (served data that failed verification) and are retried with backoff.
//
// L2 half (with `rollup`): the rollup engine is created in the core over the
// light client right after the store is loaded; every store change feeds it
// the new heads, and `RollupFollower` (rollup.ts) fetches the L1 data it asks
// for, follows the sequencer feed and ticks it; `{ block }`, `{ tx }` and
// `{ action }` targets are answered from its statuses.
import { PreconfLightError, rethrow } from '../errors.js';
import type { HeaderSummary, NetworkConfig } from '../beacon.js';
import type { Applied, CoreBackend, Heads, UpdateKind } from './core-backend.js';
import { Emitter } from './emitter.js';
import { EndpointPool, TransportError, backoffMs, sleep, type EndpointState } from './endpoints.js';
import { L1Fetch } from './l1-fetch.js';
import { readSse } from './sse.js';
import { memoryStorage } from './storage.js';
import { Timing } from './timing.js';
import { L1Resolver, type Resolver } from './resolvers.js';
import { RollupFollower } from './rollup.js';
import { proofBytes, proofInput } from './proofs.js';
import type { Sp1ProofInfo } from '../proof.js';
import type { EngineEvent } from '../engine.js';
import { providerFromSource, type Eip1193Provider, type Eip1193ProviderOptions, type EvmSpec, type ProviderSource } from './provider.js';
import {
  LEVELS,
  levelRank,
  type ActionSimulation,
  type ClientEvents,
  type PreconfClient,
  type PreconfClientOptions,
  type SimulateActionRequest,
  type Status,
  type Target,
  type WaitLevel,
  type WaitOptions,
} from './types.js';

/** Core errors that say "nothing new" or "we are behind", not "the endpoint lied". */
const BENIGN = new Set(['NOT_RELEVANT', 'WRONG_PERIOD', 'INSUFFICIENT_PARTICIPANTS', 'FORCE_UPDATE_NOT_DUE']);

/** Status reason codes that come from a transient endpoint problem (no downgrade). */
const TRANSIENT = new Set(['L1_RPC_UNAVAILABLE', 'L1_RPC_FAULTY', 'CHAIN_WALK_TOO_DEEP']);

const SSE_TOPICS = 'light_client_finality_update,light_client_optimistic_update';
/** Periods asked per `/updates` request (the Beacon API allows 128; 64 keeps a mainnet answer near 4 MiB, under the beacon JSON limit). */
const MAX_UPDATES_PER_REQUEST = 64;
/** A refusal of a whole `/updates` range that a smaller range may avoid (Lodestar: HTTP 500 when the newest period has no update yet). */
const PARTIAL_RANGE_REFUSAL = /^HTTP_(404|5\d\d)$/;

/** How the environment entry points supply the core. */
export interface ClientEnvironment {
  /** Resolves when the core can be used (e.g. the wasm is instantiated). */
  ready(): Promise<void>;
  core(options: PreconfClientOptions): CoreBackend;
}

const list = (u: string | string[]) => (Array.isArray(u) ? u : [u]);

interface Watcher {
  target: Target;
  cb: (s: Status) => void;
  last: Status | null;
  running: boolean;
  again: boolean;
}

/** Builds a client; used by the node and browser entry points. */
export function createClient(options: PreconfClientOptions, env: ClientEnvironment): PreconfClient {
  return new Client(options, env);
}

class Client implements PreconfClient {
  readonly ready: Promise<void>;
  #resolveReady!: () => void;
  #rejectReady!: (e: unknown) => void;
  #opts: Required<Pick<PreconfClientOptions, 'pollIntervalMs' | 'tickIntervalMs' | 'requestTimeoutMs' | 'maxChainWalk'>> & PreconfClientOptions;
  /** The last reason the client could not make progress (for a `ready` timeout). */
  #lastFailure = '';
  #readyTimer: ReturnType<typeof setTimeout> | undefined;
  #l2Block: EndpointPool | null = null;
  #l2Blocks: EndpointPool | null = null;
  #env: ClientEnvironment;
  #core: CoreBackend | undefined;
  #abort = new AbortController();
  #events = new Emitter<ClientEvents>((e) => this.#log('error', 'listener threw', e));
  #beacon: EndpointPool;
  #l1: EndpointPool;
  #chain: L1Fetch | undefined;
  #timing: Timing | undefined;
  #heads: Heads | null = null;
  #watchers = new Set<Watcher>();
  #resolvers: Resolver[] = [];
  #serial: Promise<unknown> = Promise.resolve();
  #sseConnected = false;
  #lastStreamEventMs = 0;
  #syncing = false;
  #lastSyncMs = 0;
  #closed = false;
  /** Set once `ready` resolved: sync rounds after it are re-syncs (see `#syncPeriods`). */
  #following = false;
  #backoff: { baseMs: number; maxMs: number };
  #provider: Eip1193Provider | undefined;
  #feed: EndpointPool | null = null;
  #l2: EndpointPool | null = null;
  #rollup: RollupFollower | null = null;
  /** Resolves once the core backend exists (before sync), for stateless calls. */
  #coreCreated: Promise<CoreBackend>;
  #settleCore!: { resolve: (c: CoreBackend) => void; reject: (e: unknown) => void };

  constructor(options: PreconfClientOptions, env: ClientEnvironment) {
    if (!options || typeof options !== 'object') throw new PreconfLightError('INVALID_ARGUMENT', 'options are required');
    if (!options.beaconApiUrl) throw new PreconfLightError('INVALID_ARGUMENT', 'beaconApiUrl is required');
    if (!options.l1RpcUrl) throw new PreconfLightError('INVALID_ARGUMENT', 'l1RpcUrl is required');
    if (options.trustedCheckpoint !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(String(options.trustedCheckpoint))) {
      throw new PreconfLightError('INVALID_ARGUMENT', 'trustedCheckpoint must be a 32-byte 0x-prefixed beacon block root');
    }
    if (options.readyTimeoutMs !== undefined && !(Number.isFinite(options.readyTimeoutMs) && options.readyTimeoutMs > 0)) {
      throw new PreconfLightError('INVALID_ARGUMENT', 'readyTimeoutMs must be a positive number of milliseconds');
    }
    // Poll and tick intervals: the network's cadence (from its secondsPerSlot, in the core) unless set; filled in by #run.
    this.#opts = { pollIntervalMs: 0, tickIntervalMs: 0, requestTimeoutMs: 10_000, maxChainWalk: 256, ...options };
    this.#env = env;
    this.#backoff = { baseMs: options.backoff?.baseMs ?? 500, maxMs: options.backoff?.maxMs ?? 30_000 };
    const fetchFn = options.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
    const onEndpoint = (s: EndpointState) => {
      this.#log(s.status === 'ok' ? 'info' : 'warn', `endpoint ${s.endpoint} ${s.url} is ${s.status}`, s);
      this.#events.emit('endpointStatus', { ...s });
      if (s.status !== 'ok') this.#lastFailure = `${s.endpoint} ${s.url} is ${s.status} (${s.code}: ${s.reason})`;
      // Data that cannot be right (undecodable, inconsistent, failed verification) is an error, not only a status.
      if (s.status === 'faulty') this.#events.emit('error', { code: s.code ?? 'FAULTY', message: `${s.endpoint} ${s.url}: ${s.reason ?? 'served data that failed checks'}`, endpoint: s.endpoint, url: s.url });
    };
    const limits = options.responseLimits ?? {};
    this.#beacon = new EndpointPool('beacon', list(options.beaconApiUrl), fetchFn, this.#opts.requestTimeoutMs, onEndpoint, limits.beacon);
    this.#l1 = new EndpointPool('l1Rpc', list(options.l1RpcUrl), fetchFn, this.#opts.requestTimeoutMs, onEndpoint, limits.l1Rpc);
    if (options.sequencerFeedUrl !== undefined && !options.rollup) {
      throw new PreconfLightError('INVALID_ARGUMENT', 'sequencerFeedUrl needs the rollup configuration (rollup)');
    }
    if (options.rollup !== undefined && (typeof options.rollup !== 'object' || options.rollup === null)) {
      throw new PreconfLightError('INVALID_ARGUMENT', 'rollup must be the rollup configuration object');
    }
    if (options.l2RpcUrl) this.#l2 = new EndpointPool('l2Rpc', [options.l2RpcUrl], fetchFn, this.#opts.requestTimeoutMs, onEndpoint, limits.l2Rpc);
    if (options.sequencerFeedUrl) {
      this.#feed = new EndpointPool('sequencerFeed', [options.sequencerFeedUrl], fetchFn, this.#opts.requestTimeoutMs, onEndpoint, limits.sequencerFeed);
    }
    // The sequencer's block endpoints (missing parents by hash, missing heights by range), limited like the feed.
    if (options.l2BlockUrl) this.#l2Block = new EndpointPool('sequencerFeed', [options.l2BlockUrl], fetchFn, this.#opts.requestTimeoutMs, onEndpoint, limits.sequencerFeed);
    if (options.l2BlocksUrl) this.#l2Blocks = new EndpointPool('sequencerFeed', [options.l2BlocksUrl], fetchFn, this.#opts.requestTimeoutMs, onEndpoint, limits.sequencerFeed);
    this.ready = new Promise<void>((res, rej) => {
      this.#resolveReady = res;
      this.#rejectReady = rej;
    });
    this.ready.catch(() => {});
    this.#coreCreated = new Promise<CoreBackend>((resolve, reject) => (this.#settleCore = { resolve, reject }));
    this.#coreCreated.catch(() => {});
    if (options.readyTimeoutMs !== undefined) {
      this.#readyTimer = setTimeout(() => this.#readyTimedOut(options.readyTimeoutMs!), options.readyTimeoutMs);
    }
    void this.#run().catch((e) => this.#fatal(e));
  }

  /** `ready` did not settle in time: it rejects with `TIMEOUT` naming the last failure, and the client stops. */
  #readyTimedOut(ms: number) {
    if (this.#closed) return;
    const why = this.#lastFailure ? `; last failure: ${this.#lastFailure}` : '; no endpoint failed, the client was still syncing';
    const err = new PreconfLightError('TIMEOUT', `the client was not ready within ${ms} ms${why}`);
    this.#log('error', 'ready timed out', err);
    this.#events.emit('error', { code: err.code, message: err.message });
    this.#rejectReady(err);
    void this.close();
  }

  // ---- public API -------------------------------------------------------

  get finalized(): HeaderSummary | null {
    return this.#heads?.finalized ?? null;
  }

  get optimistic(): HeaderSummary | null {
    return this.#heads?.optimistic ?? null;
  }

  get provider(): Eip1193Provider {
    return (this.#provider ??= this.eip1193(this.#opts.provider));
  }

  /** A new EIP-1193 provider over this client's verified heads. */
  eip1193(options: Eip1193ProviderOptions = {}): Eip1193Provider {
    const source: ProviderSource = {
      ready: () => this.ready,
      signal: this.#abort.signal,
      core: () => this.#core!,
      rpc: this.#l1,
      chain: () => this.#chain!,
      anchors: () => ({ latest: this.#heads?.optimistic.execution ?? null, finalized: this.#heads?.finalized.execution ?? null }),
      onHead: (cb) => this.#events.on('head', () => cb()),
      chainId: () => {
        const id = this.#opts.chainId ?? (typeof this.#opts.network === 'string' ? CHAIN_IDS[this.#opts.network] : undefined);
        if (id === undefined) throw new PreconfLightError('INVALID_CONFIG', 'a custom network needs the chainId option');
        return id;
      },
      specAt: (ts) => specAt(this.#timing!, ts),
      maxWalk: this.#opts.maxChainWalk,
    };
    return providerFromSource(source, options);
  }

  endpoints() {
    const pools = [this.#beacon, this.#l1, this.#l2, this.#feed, this.#l2Block, this.#l2Blocks];
    return pools.flatMap((p) => p?.states ?? []).map((s) => ({ ...s }));
  }

  on<E extends keyof ClientEvents>(event: E, cb: (payload: ClientEvents[E]) => void): () => void {
    return this.#events.on(event, cb);
  }

  off<E extends keyof ClientEvents>(event: E, cb: (payload: ClientEvents[E]) => void): void {
    this.#events.off(event, cb);
  }

  async status(target: Target): Promise<Status> {
    this.#open();
    return this.#resolverFor(target).evaluate(target);
  }

  /** Throws `CLOSED` once the client was closed. */
  #open() {
    if (this.#closed) throw new PreconfLightError('CLOSED', 'the client was closed');
  }

  watch(target: Target, callback: (status: Status) => void): () => void {
    this.#open();
    this.#resolverFor(target);
    if (typeof callback !== 'function') throw new PreconfLightError('INVALID_ARGUMENT', 'callback must be a function');
    const w: Watcher = { target, cb: callback, last: null, running: false, again: false };
    this.#watchers.add(w);
    void this.#refresh(w);
    return () => {
      this.#watchers.delete(w);
    };
  }

  waitFor(target: Target, level: WaitLevel, options: WaitOptions = {}): Promise<Status> {
    return new Promise<Status>((resolve, reject) => {
      if (!(LEVELS as readonly string[]).includes(level) || level === ('unknown' as string)) {
        // `pending` .. `finalized`.
        return reject(new PreconfLightError('INVALID_ARGUMENT', `unknown level ${String(level)}`));
      }
      try {
        this.#open();
        this.#resolverFor(target);
      } catch (e) {
        return reject(e);
      }
      const { signal, timeoutMs } = options;
      if (signal?.aborted) return reject(abortReason(signal));
      let timer: ReturnType<typeof setTimeout> | undefined;
      let unwatch = () => {};
      const finish = (f: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#abort.signal.removeEventListener('abort', onClose);
        unwatch();
        f();
      };
      const onAbort = () => finish(() => reject(abortReason(signal!)));
      const onClose = () => finish(() => reject(new PreconfLightError('CLOSED', 'the client was closed')));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#abort.signal.addEventListener('abort', onClose, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(
          () => finish(() => reject(new PreconfLightError('TIMEOUT', `target did not reach ${level} within ${timeoutMs} ms`))),
          timeoutMs,
        );
      }
      unwatch = this.watch(target, (s) => {
        if (levelRank(s.level) >= levelRank(level)) finish(() => resolve(s));
        else if (s.level === 'reverted') finish(() => reject(new PreconfLightError('REVERTED', s.reason)));
      });
    });
  }

  async simulateAction(request: SimulateActionRequest): Promise<ActionSimulation> {
    this.#open();
    if (!this.#opts.rollup) throw new PreconfLightError('NO_ROLLUP', 'simulateAction needs the rollup option');
    if (!this.#l2) throw new PreconfLightError('INVALID_CONFIG', 'simulateAction needs l2RpcUrl');
    if (!this.#rollup) throw new PreconfLightError('NOT_SYNCED', 'the rollup engine is not running yet');
    return this.#rollup.simulate(request, this.#l2);
  }

  /** Verifies an SP1 proof in the core backend (the Web Worker in browsers); no sync needed. */
  async verifySp1Proof(input: { proof: Uint8Array | string; publicValues: Uint8Array | string; vkeyHash: string }): Promise<Sp1ProofInfo> {
    const checked = proofInput(input);
    const core = await this.#coreCreated;
    return core.verifySp1Proof(checked);
  }

  /** Proves a batch in the rollup engine (after `ready`); emits its events and refreshes watchers. */
  async ingestBatchProof(proof: Uint8Array | string, publicValues: Uint8Array | string): Promise<EngineEvent[]> {
    if (!this.#opts.rollup) throw new PreconfLightError('NO_ROLLUP', 'ingestBatchProof needs the rollup option');
    const p = proofBytes(proof, 'proof');
    const v = proofBytes(publicValues, 'publicValues');
    await this.ready;
    const { events } = await this.#core!.engineStep({ batchProof: { proof: p, publicValues: v } });
    for (const e of events) this.#events.emit('rollup', e);
    this.#refreshAll();
    return events;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    clearTimeout(this.#readyTimer);
    this.#settleCore.reject(new PreconfLightError('CLOSED', 'the client was closed'));
    this.#closed = true;
    this.#abort.abort(new PreconfLightError('CLOSED', 'the client was closed'));
    this.#rejectReady(new PreconfLightError('CLOSED', 'the client was closed before it synced'));
    this.#watchers.clear();
    await this.#serial.catch(() => {});
    await this.#core?.close().catch(() => {});
    this.#events.clear();
  }

  // ---- lifecycle --------------------------------------------------------

  async #run(): Promise<void> {
    await this.#env.ready();
    if (this.#closed) return;
    this.#core = this.#env.core(this.#opts);
    this.#settleCore.resolve(this.#core);
    // Configurations that cannot be right fail here (INVALID_CONFIG), before any request.
    const { config, cadence } = await this.#core.checkNetwork(this.#opts.network);
    if (this.#opts.rollup) await this.#core.checkRollupConfig(this.#opts.rollup, this.#opts.network);
    this.#opts.pollIntervalMs ||= cadence.pollIntervalMs;
    this.#opts.tickIntervalMs ||= cadence.tickIntervalMs;
    this.#opts.rollupTickIntervalMs ??= cadence.rollupTickIntervalMs;
    this.#timing = new Timing(config);
    await this.#checkGenesis();
    if (this.#closed) return;
    this.#chain = new L1Fetch(this.#core, this.#l1, this.#abort.signal);
    this.#resolvers = [new L1Resolver(() => this.#heads, () => this.#core!, this.#chain, this.#opts.maxChainWalk, () => this.#now())];
    await this.#loadOrBootstrap(config);
    if (this.#closed) return;
    if (this.#opts.rollup) await this.#startRollup(this.#opts.rollup);
    if (this.#closed) return;
    await this.#retrying('sync', () => this.#syncPeriods());
    this.#progress('finality');
    await this.#fetchLatest().catch(() => {});
    if (this.#closed) return;
    this.#progress('synced');
    clearTimeout(this.#readyTimer);
    this.#following = true;
    this.#resolveReady();
    if (this.#opts.sse !== false) void this.#sseLoop();
    void this.#pollLoop();
    void this.#tickLoop();
  }

  async #startRollup(config: object): Promise<void> {
    const follower = new RollupFollower({
      core: this.#core!,
      l1: this.#l1,
      feed: this.#feed,
      l2Block: this.#l2Block,
      l2Blocks: this.#l2Blocks,
      trustGenesisAnchor: this.#opts.trustGenesisAnchor === true,
      signal: this.#abort.signal,
      now: () => this.#now(),
      backoff: this.#backoff,
      tickIntervalMs: this.#opts.rollupTickIntervalMs!,
      log: (level, msg, data) => {
        if (level === 'warn' || level === 'error') this.#lastFailure = `${msg}${data instanceof Error ? `: ${data.message}` : ''}`;
        this.#log(level, msg, data);
      },
      onEvent: (e) => this.#events.emit('rollup', e),
      onRejected: (code, message) => this.#events.emit('feedRejected', { code, message }),
      onChange: () => this.#refreshAll(),
    });
    // Store changes are serialised with the engine's creation, and every later one reaches the follower.
    this.#rollup = follower;
    this.#resolvers.push(follower);
    const run = () => follower.start(config, this.#heads?.finalized.execution ?? null);
    const p = this.#serial.then(run, run);
    this.#serial = p.catch(() => {});
    await p;
  }

  /**
   * Asks every beacon URL for its genesis (`/eth/v1/beacon/genesis`) and has
   * the core compare it with the network: a URL of another network is marked
   * faulty (`WRONG_NETWORK`); when every URL is, the network option cannot
   * be right (`INVALID_CONFIG`). A URL that does not answer is left to the
   * requests that follow (the check is skipped for it).
   */
  async #checkGenesis(): Promise<void> {
    let other: PreconfLightError | null = null;
    let wrong = 0;
    const urls = this.#beacon.states.length;
    for (let i = 0; i < urls && !this.#closed; i++) {
      const url = this.#beacon.url;
      try {
        const { body } = await this.#beacon.getJson('/eth/v1/beacon/genesis', this.#abort.signal);
        await this.#core!.checkGenesis(this.#opts.network, body);
        return; // a URL of this network: use it
      } catch (e) {
        if (this.#closed) return;
        if (e instanceof PreconfLightError && e.code === 'WRONG_NETWORK') {
          other = e;
          wrong++;
          this.#beacon.mark('faulty', e.code, e.message, url);
        } else {
          this.#log('info', `the genesis of ${url} could not be checked`, e);
          if (this.#beacon.url === url) return;
        }
      }
    }
    if (other && wrong === urls) {
      const name = typeof this.#opts.network === 'string' ? this.#opts.network : (this.#opts.network as { name?: string }).name;
      throw new PreconfLightError('INVALID_CONFIG', `network ${name} does not match the beacon endpoint: ${other.message}`);
    }
  }

  #fatal(e: unknown) {
    if (this.#closed) return;
    clearTimeout(this.#readyTimer);
    let err: PreconfLightError;
    try {
      rethrow(e);
    } catch (converted) {
      err = converted as PreconfLightError;
    }
    this.#log('error', 'client stopped', err);
    this.#settleCore.reject(err);
    this.#events.emit('error', { code: err.code, message: err.message });
    this.#rejectReady(err);
  }

  #now(): number {
    return (this.#opts.clock ?? (() => Date.now() / 1000))();
  }

  #storeKey(config: NetworkConfig) {
    return `${this.#opts.storageKey ?? 'preconf-light'}:${config.name}:beacon-store`;
  }

  #storage() {
    return (this.#opts.storage ??= memoryStorage());
  }

  async #loadOrBootstrap(config: NetworkConfig): Promise<void> {
    const core = this.#core!;
    let bytes: Uint8Array | null = null;
    try {
      bytes = await this.#storage().get(this.#storeKey(config));
    } catch (e) {
      this.#log('warn', 'reading the persisted store failed', e);
    }
    if (bytes) {
      try {
        this.#setHeads(await core.fromBytes(this.#opts.network, bytes));
        this.#progress('resume');
        return;
      } catch (e) {
        const code = e instanceof PreconfLightError ? e.code : 'STORE_CORRUPTED';
        const reason = `the persisted light-client store was refused (${(e as Error)?.message ?? e}); starting again from the trusted checkpoint`;
        this.#log('warn', reason);
        this.#events.emit('storeReset', { code, reason });
        await this.#storage().delete(this.#storeKey(config)).catch(() => {});
      }
    }
    const root = this.#opts.trustedCheckpoint;
    if (!root) throw new PreconfLightError('NO_CHECKPOINT', 'no persisted store and no trustedCheckpoint to bootstrap from');
    await this.#retrying('bootstrap', async () => {
      const { body } = await this.#beacon.getJson(`/eth/v1/beacon/light_client/bootstrap/${root}`, this.#abort.signal);
      const { heads, bytes } = await core.fromBootstrap(this.#opts.network, String(root), body);
      this.#beacon.mark('ok');
      this.#setHeads(heads);
      await this.#persist(bytes);
      this.#progress('bootstrap');
    });
  }

  /** Runs `step` until it succeeds or the client closes, with bounded exponential backoff. */
  async #retrying(what: string, step: () => Promise<void>): Promise<void> {
    for (let attempt = 0; !this.#closed; attempt++) {
      try {
        await step();
        return;
      } catch (e) {
        if (this.#closed) return;
        this.#blame(this.#beacon, e);
        this.#lastFailure = `${what}: ${e instanceof PreconfLightError ? `${e.code} ` : ''}${(e as Error)?.message ?? e}`;
        this.#log('warn', `${what} failed (attempt ${attempt + 1})`, e);
        await sleep(backoffMs(attempt, this.#backoff.baseMs, this.#backoff.maxMs), this.#abort.signal);
      }
    }
  }

  /** Marks `pool`'s current endpoint by the kind of failure. */
  #blame(pool: EndpointPool, e: unknown, url?: string) {
    if (e instanceof TransportError) pool.mark('stale', e.code, e.message, url);
    else if (e instanceof PreconfLightError && !BENIGN.has(e.code)) pool.mark('faulty', e.code, e.message, url);
  }

  async #syncPeriods(): Promise<void> {
    const t = this.#timing!;
    for (let rounds = 0; rounds < 64 && !this.#closed; rounds++) {
      const now = this.#now();
      const target = t.periodOf(t.slotAt(now));
      const from = t.periodOf(this.#heads!.finalized.slot);
      // Before `ready` every round is reported; after it only a re-sync is
      // (behind the clock's period), closed by `synced` once caught up, so a
      // UI can tell re-syncing from following.
      if (from >= target) {
        if (!this.#following) this.#progress('updates', { period: from, targetPeriod: target });
        else if (rounds > 0) this.#progress('synced');
        return;
      }
      this.#progress('updates', { period: from, targetPeriod: target });
      const body = await this.#fetchUpdates(from, Math.min(target - from + 1, MAX_UPDATES_PER_REQUEST));
      if (!Array.isArray(body)) throw new PreconfLightError('DECODE_ERROR', '/updates did not return a JSON array');
      let applied = 0;
      for (const u of body) {
        const r = await this.#apply('update', u);
        if (r) applied++;
      }
      this.#beacon.mark('ok');
      if (applied === 0 || t.periodOf(this.#heads!.finalized.slot) === from) return; // no further progress possible now
    }
  }

  /**
   * `/updates` for `count` periods from `from`. A node may refuse the whole
   * range when its newest period has no update yet (Lodestar answers HTTP
   * 500 "No partialUpdate available for period N"): the range is halved
   * until it is served (the rest comes in the next round); only a refused
   * single period is a failure.
   */
  async #fetchUpdates(from: number, count: number): Promise<unknown> {
    for (;;) {
      try {
        const { body } = await this.#beacon.getJson(`/eth/v1/beacon/light_client/updates?start_period=${from}&count=${count}`, this.#abort.signal);
        return body;
      } catch (e) {
        if (count > 1 && e instanceof TransportError && PARTIAL_RANGE_REFUSAL.test(e.code) && !this.#closed) {
          this.#log('info', `/updates refused ${count} periods from ${from} (${e.code}); asking for fewer`);
          count = Math.ceil(count / 2);
          continue;
        }
        throw e;
      }
    }
  }

  /** Fetches the latest finality and optimistic updates once (polling, and after sync); throws the first failure. */
  async #fetchLatest(): Promise<void> {
    let failure: unknown;
    for (const [kind, path] of [
      ['finality', 'finality_update'],
      ['optimistic', 'optimistic_update'],
    ] as const) {
      try {
        const { url, body } = await this.#beacon.getJson(`/eth/v1/beacon/light_client/${path}`, this.#abort.signal);
        try {
          await this.#apply(kind, body);
          this.#beacon.mark('ok', undefined, undefined, url);
        } catch (e) {
          if (this.#closed) return;
          this.#blame(this.#beacon, e, url);
          failure ??= e;
        }
      } catch (e) {
        if (this.#closed) return;
        // 404: the node has no such update yet (the Beacon API's answer), not a failure.
        if (e instanceof TransportError && e.code === 'HTTP_404') continue;
        this.#blame(this.#beacon, e);
        failure ??= e;
      }
    }
    if (failure) throw failure;
  }

  /**
   * Verifies and applies one update through the core, serialised with all
   * other store changes. Returns whether the store changed. Benign refusals
   * (already known, behind) return false; other failures throw. The clock
   * is read when the update is verified, not when it was asked for: an
   * update signed in a slot that began while the request (or the queue)
   * waited is not from the future.
   */
  #apply(kind: UpdateKind, update: unknown): Promise<boolean> {
    const run = async (): Promise<boolean> => {
      if (this.#closed) return false;
      let r: Applied;
      try {
        r = await this.#core!.process(kind, this.#withVersion(update), this.#now());
      } catch (e) {
        if (e instanceof PreconfLightError && BENIGN.has(e.code)) return false;
        throw e;
      }
      this.#setHeads(r.heads);
      this.#rollup?.progress(r.engine);
      if (r.bytes) await this.#persist(r.bytes);
      return r.bytes !== null;
    };
    const p = this.#serial.then(run, run);
    this.#serial = p.catch(() => {});
    return p;
  }

  /** Adds `version` (the fork by the schedule) to an object that lacks it. */
  #withVersion(update: unknown): unknown {
    if (!update || typeof update !== 'object' || Array.isArray(update) || 'version' in update) return update;
    const data = update as { attested_header?: { beacon?: { slot?: string } }; signature_slot?: string };
    const slot = Number(data.attested_header?.beacon?.slot ?? data.signature_slot);
    const fork = Number.isFinite(slot) ? this.#timing!.forkAt(slot) : undefined;
    return fork ? { version: fork, data: update } : update;
  }

  async #persist(bytes: Uint8Array) {
    try {
      await this.#storage().set(this.#storeKey(this.#timing!.config), bytes);
    } catch (e) {
      this.#log('warn', 'persisting the store failed', e);
      this.#events.emit('error', { code: 'STORAGE_FAILED', message: String((e as Error)?.message ?? e) });
    }
  }

  #setHeads(heads: Heads) {
    const old = this.#heads;
    this.#heads = heads;
    const headMoved = !old || old.optimistic.beaconRoot !== heads.optimistic.beaconRoot;
    const finMoved = !old || old.finalized.beaconRoot !== heads.finalized.beaconRoot;
    if (headMoved) this.#events.emit('head', heads.optimistic);
    if (finMoved) this.#events.emit('finalized', heads.finalized);
    if (headMoved || finMoved) this.#refreshAll();
  }

  #progress(phase: ClientEvents['syncProgress']['phase'], extra: Partial<ClientEvents['syncProgress']> = {}) {
    this.#events.emit('syncProgress', {
      phase,
      ...(this.#heads ? { finalizedSlot: this.#heads.finalized.slot, optimisticSlot: this.#heads.optimistic.slot } : {}),
      ...extra,
    });
  }

  // ---- following --------------------------------------------------------

  async #sseLoop(): Promise<void> {
    for (let attempt = 0; !this.#closed; ) {
      try {
        const { res } = await this.#beacon.request(
          `/eth/v1/events?topics=${SSE_TOPICS}`,
          { headers: { accept: 'text/event-stream' }, signal: this.#abort.signal },
          true,
        );
        if (!res.body) throw new TransportError('NO_STREAM', 'the event stream has no body');
        this.#sseConnected = true;
        this.#lastStreamEventMs = Date.now();
        await readSse(
          res.body,
          (ev) => {
            // The backoff resets only once the stream delivers, so a server that accepts and hangs up is not hammered.
            attempt = 0;
            this.#lastStreamEventMs = Date.now();
            const kind = ev.event === 'light_client_finality_update' ? 'finality' : ev.event === 'light_client_optimistic_update' ? 'optimistic' : null;
            if (!kind) return;
            let data: unknown;
            try {
              data = JSON.parse(ev.data);
            } catch {
              this.#beacon.mark('faulty', 'DECODE_ERROR', `event ${ev.event} is not JSON`);
              return;
            }
            this.#apply(kind, data).then(
              () => this.#beacon.mark('ok'),
              (e) => this.#blame(this.#beacon, e),
            );
          },
          this.#abort.signal,
        );
        if (this.#closed) return;
        throw new TransportError('STREAM_ENDED', 'the event stream ended');
      } catch (e) {
        this.#sseConnected = false;
        if (this.#closed) return;
        this.#blame(this.#beacon, e instanceof PreconfLightError ? e : new TransportError('STREAM_FAILED', String((e as Error)?.message ?? e)));
        await sleep(backoffMs(attempt++, this.#backoff.baseMs, this.#backoff.maxMs), this.#abort.signal);
      }
    }
  }

  async #pollLoop(): Promise<void> {
    // The first poll is one interval after the sync fetched the latest updates.
    let wait = this.#opts.pollIntervalMs;
    for (let attempt = 0; !this.#closed; ) {
      await sleep(wait, this.#abort.signal);
      if (this.#closed) return;
      wait = this.#opts.pollIntervalMs;
      const streamQuiet = Date.now() - this.#lastStreamEventMs > 3 * this.#opts.pollIntervalMs;
      if (this.#opts.sse === false || !this.#sseConnected || streamQuiet) {
        try {
          await this.#fetchLatest();
          attempt = 0;
        } catch {
          wait = Math.max(wait, backoffMs(attempt++, this.#backoff.baseMs, this.#backoff.maxMs));
        }
      }
    }
  }

  /** Housekeeping: force update when due, period sync when behind. */
  async #tickLoop(): Promise<void> {
    while (!this.#closed) {
      await sleep(this.#opts.tickIntervalMs, this.#abort.signal);
      if (this.#closed) return;
      try {
        await this.#tick();
      } catch (e) {
        this.#blame(this.#beacon, e);
        this.#log('warn', 'tick failed', e);
      }
    }
  }

  async #tick(): Promise<void> {
    const now = this.#now();
    const core = this.#core!;
    if (await core.forceUpdateDue(now)) {
      const run = async () => {
        try {
          const r = await core.forceUpdate(now);
          this.#setHeads(r.heads);
          this.#rollup?.progress(r.engine);
          if (r.bytes) await this.#persist(r.bytes);
        } catch (e) {
          if (!(e instanceof PreconfLightError && BENIGN.has(e.code))) throw e;
        }
      };
      const p = this.#serial.then(run, run);
      this.#serial = p.catch(() => {});
      await p;
    }
    const t = this.#timing!;
    const behind = t.periodOf(this.#heads!.finalized.slot) < t.periodOf(t.slotAt(now));
    // While behind (e.g. finality lags), ask for period updates at most once per poll interval.
    if (behind && !this.#syncing && Date.now() - this.#lastSyncMs >= this.#opts.pollIntervalMs) {
      this.#syncing = true;
      this.#lastSyncMs = Date.now();
      try {
        await this.#syncPeriods();
      } finally {
        this.#syncing = false;
      }
    }
  }

  // ---- queries ----------------------------------------------------------

  /**
   * Picks the resolver for a target's kind: `l1` for `{ l1Block }`, `rollup`
   * for `{ block }`, `{ tx }`, `{ action }` (these throw `NO_ROLLUP` without
   * the `rollup` option). Before the client has started, a known kind
   * evaluates to `NOT_SYNCED`.
   */
  #resolverFor(target: Target): Resolver {
    if (!target || typeof target !== 'object') {
      throw new PreconfLightError('INVALID_ARGUMENT', 'a target is an object like { l1Block }, { block }, { tx } or { action }');
    }
    const kind = 'l1Block' in target ? 'l1' : 'block' in target || 'tx' in target || 'action' in target ? 'rollup' : null;
    if (!kind) throw new PreconfLightError('INVALID_ARGUMENT', 'unknown target kind');
    if (kind === 'rollup' && !this.#opts.rollup) {
      throw new PreconfLightError('NO_ROLLUP', 'L2 targets ({ block }, { tx }, { action }) need the rollup option');
    }
    return {
      kind,
      evaluate: (t) => {
        const r = this.#resolvers.find((x) => x.kind === kind);
        return r ? r.evaluate(t) : Promise.resolve(notSynced(t, this.#now()));
      },
    };
  }

  /** Re-evaluates every watched target (after any verified state change). */
  #refreshAll(): void {
    for (const w of this.#watchers) void this.#refresh(w);
  }

  /** Re-evaluates a watcher (coalescing concurrent refreshes) and reports changes. */
  async #refresh(w: Watcher): Promise<void> {
    if (w.running) {
      w.again = true;
      return;
    }
    w.running = true;
    try {
      do {
        w.again = false;
        let s: Status;
        try {
          s = await this.#resolverFor(w.target).evaluate(w.target);
        } catch (e) {
          this.#log('warn', 'status evaluation failed', e);
          continue;
        }
        if (!this.#watchers.has(w)) return;
        const prev = w.last;
        // A transient endpoint problem keeps the last verified status.
        if (prev && TRANSIENT.has(s.reasonCode) && prev.level !== 'unknown') continue;
        if (prev && prev.level === s.level && prev.reasonCode === s.reasonCode && prev.l1?.hash === s.l1?.hash && prev.l2?.proven === s.l2?.proven) continue;
        w.last = s;
        if (prev && prev.level !== s.level) {
          this.#events.emit('levelChange', { target: w.target, from: prev.level, to: s.level, status: s });
          if (levelRank(s.level) < levelRank(prev.level)) {
            this.#events.emit('downgrade', { target: w.target, from: prev.level, to: s.level, reasonCode: s.reasonCode, reason: s.reason, status: s });
          }
        }
        try {
          w.cb(s);
        } catch (e) {
          this.#log('error', 'watch callback threw', e);
        }
      } while (w.again && this.#watchers.has(w));
    } finally {
      w.running = false;
    }
  }

  #log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, data?: unknown) {
    try {
      this.#opts.logger?.[level]?.(msg, data);
    } catch {
      /* a logger must not break the client */
    }
  }
}

/** EIP-155 chain ids of the named networks. */
const CHAIN_IDS: Record<string, number> = { mainnet: 1, sepolia: 11155111, hoodi: 560048 };

/** The EVM rules at an execution timestamp, from the consensus fork schedule (Capella → Shanghai, Deneb → Cancun, Electra and later → Prague). */
function specAt(t: Timing, timestamp: number): EvmSpec {
  const fork = t.forkAt(t.slotAt(timestamp));
  if (!fork || ['phase0', 'altair', 'bellatrix', 'capella'].includes(fork)) return 'shanghai';
  return fork === 'deneb' ? 'cancun' : 'prague';
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new PreconfLightError('ABORTED', 'aborted');
}

function notSynced(target: Target, at: number): Status {
  return { target, level: 'unknown', mayRevertIf: [], eta: null, reasonCode: 'NOT_SYNCED', reason: 'the light client is not synced yet', at };
}

