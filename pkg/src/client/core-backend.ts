// The light-client core behind an asynchronous interface, so that it can run
// in-process (node) or in a Web Worker (browsers) with the same client code.
import { BeaconLightClient, type HeaderSummary, type Hex, type Network, type NetworkConfig, type UpdateOutcome } from '../beacon.js';
import {
  verifyAccountProof,
  verifyBlockReceipts,
  verifyCode,
  verifyExecutionBlock,
  type VerifiedAccount,
  type VerifiedExecutionBlock,
  type VerifiedReceipts,
} from '../execution.js';
import { simulate, type NeedsState, type SimulateRequest, type SimulationResult } from '../evm.js';
import { PreconfLightError, guard } from '../errors.js';
import { initSp1, verifySp1Proof, type Sp1ProofInfo, type Sp1ProofInput } from '../proof.js';
import { PreconfEngine, type AnchorProof, type EngineAnswer, type EngineInput, type EngineQuery, type L1Answer, type RollupConfig, type Step } from '../engine.js';
import * as wasm from '../../wasm/preconf_light.js';

/** Verified heads of the light client. */
export interface Heads {
  finalized: HeaderSummary;
  optimistic: HeaderSummary;
}

/**
 * Result of a state-changing call: the outcome, the heads after it, the store
 * bytes if it changed, and (when a rollup engine exists and the store changed)
 * what the engine reported after taking the new heads.
 */
export interface Applied {
  outcome: UpdateOutcome;
  heads: Heads;
  bytes: Uint8Array | null;
  engine: Step | null;
}

/** Which processor an update goes to. */
export type UpdateKind = 'update' | 'finality' | 'optimistic';

/** Request intervals derived by the core from a network's `secondsPerSlot` (ms). */
export interface Cadence {
  pollIntervalMs: number;
  tickIntervalMs: number;
  rollupTickIntervalMs: number;
}

/** The asynchronous core API the client uses. */
export interface CoreBackend {
  /** The network's configuration (checked: `INVALID_CONFIG` naming the field) and its request cadence. */
  checkNetwork(network: Network): Promise<{ config: NetworkConfig; cadence: Cadence }>;
  /** Checks a `/eth/v1/beacon/genesis` answer against the network (`WRONG_NETWORK` naming the field). */
  checkGenesis(network: Network, answer: unknown): Promise<void>;
  /** Checks a rollup config and that it settles on `network` (`INVALID_CONFIG`); answers its hash. */
  checkRollupConfig(config: object, network: Network): Promise<string>;
  fromBootstrap(network: Network, root: string, bootstrap: unknown): Promise<{ heads: Heads; bytes: Uint8Array }>;
  fromBytes(network: Network, bytes: Uint8Array): Promise<Heads>;
  process(kind: UpdateKind, update: unknown, nowSec: number): Promise<Applied>;
  forceUpdateDue(nowSec: number): Promise<boolean>;
  forceUpdate(nowSec: number): Promise<Applied>;
  verifyExecutionBlock(rpcBlock: unknown, expectedHash: string): Promise<VerifiedExecutionBlock>;
  verifyBlockReceipts(rpcBlock: unknown, rpcReceipts: unknown, expectedHash: string): Promise<VerifiedReceipts>;
  verifyAccountProof(stateRoot: string, proof: unknown): Promise<VerifiedAccount>;
  verifyCode(stateRoot: string, proof: unknown, code: string): Promise<string>;
  /** The local EVM (loads the EVM module on first use). */
  simulate(request: SimulateRequest): Promise<SimulationResult | NeedsState>;
  /**
   * Verifies an SP1 proof (see `verifySp1Proof` in proof.ts). A worker
   * backend transfers the input's whole-buffer `Uint8Array`s (they are
   * detached in the caller afterwards) instead of copying them.
   */
  verifySp1Proof(input: Sp1ProofInput): Promise<Sp1ProofInfo>;
  /**
   * Creates the rollup engine over the held light client (replacing any
   * previous one) and feeds it the current heads; returns that step.
   * Anchored at the config's genesis, or at `anchor` (the inbox's committed
   * head proven at the finalized block). From then on every store change feeds the engine (`Applied.engine`).
   */
  engineCreate(config: RollupConfig | object, anchor?: AnchorProof): Promise<{ configHash: string; step: Step }>;
  /**
   * One engine input, as it is (`PreconfEngine.step`): the core verifies and
   * applies it and answers the step. A worker backend transfers the
   * whole-buffer `Uint8Array`s of the input's value (e.g. a batch proof's
   * bytes), which are detached in the caller afterwards.
   */
  engineStep(input: EngineInput): Promise<Step>;
  /** One engine query, as it is (`PreconfEngine.query`). */
  engineQuery(query: EngineQuery): Promise<EngineAnswer>;
  /** Verifies an `eth_getBlockByHash` answer against `hash` and holds it for L1-block questions. */
  l1Insert(rpcBlock: unknown, hash: string): Promise<unknown>;
  /**
   * The status of an L1 block (number or hash) as of the light client's
   * verified heads, or the block to fetch next (`fetched` blocks were
   * fetched for this question so far, at most `maxWalk`).
   */
  l1Status(target: number | string, nowSec: number, maxWalk: number, fetched: number): Promise<L1Answer>;
  /** The canonical block hash at `number` at or below a verified block, or the block to fetch next. */
  l1CanonicalAt(number: number, anchor: { blockHash: Hex; blockNumber: number }, maxWalk: number, fetched: number): Promise<{ hash: Hex } | { need: Hex }>;
  close(): Promise<void>;
}

const changed = (o: UpdateOutcome) => o.finalizedAdvanced || o.optimisticAdvanced || o.nextCommitteeLearned || o.committeeRotated || o.becameBestUpdate;

/** Runs the wasm core in this thread. The wasm must be initialised first. */
export class LocalCore implements CoreBackend {
  #lc: BeaconLightClient | undefined;
  #engine: PreconfEngine | undefined;
  #l1: wasm.L1Blocks | undefined;

  #heads(): Heads {
    const lc = this.#need();
    return { finalized: lc.finalized, optimistic: lc.optimistic };
  }

  #need(): BeaconLightClient {
    if (!this.#lc) throw new PreconfLightError('NOT_INITIALIZED', 'the light client has no store yet');
    return this.#lc;
  }

  #replace(lc: BeaconLightClient) {
    this.#freeEngine();
    this.#lc?.free();
    this.#lc = lc;
  }

  #freeEngine() {
    this.#engine?.free();
    this.#engine = undefined;
  }

  #needEngine(): PreconfEngine {
    if (!this.#engine) throw new PreconfLightError('NOT_INITIALIZED', 'the rollup engine is not created');
    return this.#engine;
  }

  /** Feeds the engine the light client's heads after a store change. */
  #feedEngine(storeChanged: boolean): Step | null {
    if (!this.#engine || !storeChanged) return null;
    return this.#engine.step({ lightClient: true });
  }

  async checkNetwork(network: Network): Promise<{ config: NetworkConfig; cadence: Cadence }> {
    if (network === undefined || network === null || (typeof network !== 'string' && typeof network !== 'object')) {
      throw new PreconfLightError('INVALID_CONFIG', 'network must be a network name or a network configuration object');
    }
    return guard(() => wasm.checkNetwork(network)) as { config: NetworkConfig; cadence: Cadence };
  }

  async checkGenesis(network: Network, answer: unknown): Promise<void> {
    guard(() => wasm.checkGenesis(network, answer));
  }

  async checkRollupConfig(config: object, network: Network): Promise<string> {
    return guard(() => wasm.checkRollupConfig(config, network)) as string;
  }

  async fromBootstrap(network: Network, root: string, bootstrap: unknown) {
    this.#replace(BeaconLightClient.fromBootstrap(network, root, bootstrap as object));
    return { heads: this.#heads(), bytes: this.#need().toBytes() };
  }

  async fromBytes(network: Network, bytes: Uint8Array) {
    this.#replace(BeaconLightClient.fromBytes(network, bytes));
    return this.#heads();
  }

  async process(kind: UpdateKind, update: unknown, nowSec: number): Promise<Applied> {
    const lc = this.#need();
    const u = update as object;
    const outcome =
      kind === 'update' ? lc.processUpdate(u, nowSec) : kind === 'finality' ? lc.processFinalityUpdate(u, nowSec) : lc.processOptimisticUpdate(u, nowSec);
    const did = changed(outcome);
    return { outcome, heads: this.#heads(), bytes: did ? lc.toBytes() : null, engine: this.#feedEngine(did) };
  }

  async forceUpdateDue(nowSec: number) {
    return this.#need().forceUpdateDue(nowSec);
  }

  async forceUpdate(nowSec: number): Promise<Applied> {
    const lc = this.#need();
    const outcome = lc.forceUpdate(nowSec);
    return { outcome, heads: this.#heads(), bytes: lc.toBytes(), engine: this.#feedEngine(true) };
  }

  async verifyExecutionBlock(rpcBlock: unknown, expectedHash: string) {
    return verifyExecutionBlock(rpcBlock as object, expectedHash);
  }

  async verifyBlockReceipts(rpcBlock: unknown, rpcReceipts: unknown, expectedHash: string) {
    return verifyBlockReceipts(rpcBlock as object, rpcReceipts as object, expectedHash);
  }

  async verifyAccountProof(stateRoot: string, proof: unknown) {
    return verifyAccountProof(stateRoot, proof as object);
  }

  async verifyCode(stateRoot: string, proof: unknown, code: string): Promise<string> {
    return verifyCode(stateRoot, proof as object, code);
  }

  simulate(request: SimulateRequest) {
    return simulate(request);
  }

  async verifySp1Proof(input: Sp1ProofInput): Promise<Sp1ProofInfo> {
    return verifySp1Proof(input);
  }

  async engineCreate(config: RollupConfig | object, anchor?: AnchorProof) {
    const lc = this.#need();
    this.#freeEngine();
    this.#engine = new PreconfEngine(config, lc, anchor);
    return { configHash: this.#engine.configHash, step: this.#engine.step({ lightClient: true }) };
  }

  async engineStep(input: EngineInput): Promise<Step> {
    const engine = this.#needEngine();
    // The core checks a batch proof in the package's SP1 module (src/proof/bridge.rs): load it first.
    if (typeof input === 'object' && input !== null && 'batchProof' in input) await initSp1();
    return engine.step(input);
  }

  async engineQuery(query: EngineQuery): Promise<EngineAnswer> {
    return this.#needEngine().query(query as 'liveness');
  }

  async l1Insert(rpcBlock: unknown, hash: string): Promise<unknown> {
    this.#l1 ??= new wasm.L1Blocks();
    const l1 = this.#l1;
    return guard(() => l1.insert(rpcBlock, hash));
  }

  async l1Status(target: number | string, nowSec: number, maxWalk: number, fetched: number): Promise<L1Answer> {
    const lc = this.#need();
    this.#l1 ??= new wasm.L1Blocks();
    const l1 = this.#l1;
    return guard(() => l1.status(target, BeaconLightClient.wasmOf(lc), nowSec, maxWalk, fetched)) as L1Answer;
  }

  async l1CanonicalAt(number: number, anchor: { blockHash: Hex; blockNumber: number }, maxWalk: number, fetched: number) {
    this.#l1 ??= new wasm.L1Blocks();
    const l1 = this.#l1;
    return guard(() => l1.canonicalAt(number, anchor.blockHash, anchor.blockNumber, maxWalk, fetched)) as { hash: Hex } | { need: Hex };
  }

  async close() {
    this.#freeEngine();
    this.#lc?.free();
    this.#lc = undefined;
    this.#l1?.free();
    this.#l1 = undefined;
  }
}

/** A request to the worker. */
export interface RpcRequest {
  id: number;
  method: keyof CoreBackend;
  args: unknown[];
}

/** A reply from the worker. */
export type RpcReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; code: string; message: string };

/** Serves `CoreBackend` calls arriving as messages (the worker side). */
export function serveCore(core: CoreBackend, port: { postMessage(m: unknown, t?: Transferable[]): void; addEventListener(t: 'message', l: (e: MessageEvent) => void): void }, ready: Promise<void>): void {
  port.addEventListener('message', async (e: MessageEvent) => {
    const { id, method, args } = e.data as RpcRequest;
    try {
      await ready;
      const fn = core[method] as (...a: unknown[]) => Promise<unknown>;
      if (typeof fn !== 'function') throw new PreconfLightError('INVALID_ARGUMENT', `no method ${String(method)}`);
      const value = await fn.apply(core, args);
      port.postMessage({ id, ok: true, value } satisfies RpcReply, transferablesOf(value));
    } catch (err) {
      const code = err instanceof PreconfLightError ? err.code : 'INTERNAL';
      const message = err instanceof Error ? err.message : String(err);
      port.postMessage({ id, ok: false, code, message } satisfies RpcReply);
    }
  });
}

/**
 * The buffers of whole-buffer `Uint8Array`s found in `value` (itself, its
 * own fields, and the fields of a `{ proof, publicValues }`-like input),
 * which can be transferred instead of copied. Views on part of a buffer and
 * shared memory are left out (they are copied).
 */
export function transferablesOf(value: unknown): Transferable[] {
  const out = new Set<ArrayBuffer>();
  const take = (v: unknown) => {
    if (v instanceof Uint8Array && v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.byteLength > 0) {
      out.add(v.buffer);
    }
  };
  take(value);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) for (const v of Object.values(value)) take(v);
  return [...out];
}

/** The main-thread side: forwards `CoreBackend` calls to a Worker running `worker.js`. */
export class WorkerCore implements CoreBackend {
  #next = 1;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();

  constructor(private readonly worker: Worker, private readonly ownsWorker: boolean) {
    worker.addEventListener('message', (e: MessageEvent) => {
      const r = e.data as RpcReply;
      const p = this.#pending.get(r.id);
      if (!p) return;
      this.#pending.delete(r.id);
      if (r.ok) p.resolve(r.value);
      else p.reject(new PreconfLightError(r.code, r.message));
    });
    worker.addEventListener('error', (e: ErrorEvent) => {
      const err = new PreconfLightError('WORKER_FAILED', e.message || 'the core worker failed');
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    });
  }

  #call<T>(method: keyof CoreBackend, ...args: unknown[]): Promise<T> {
    return this.#send<T>(method, args, []);
  }

  /** Posts a call, transferring `transfer` (detached here afterwards). */
  #send<T>(method: keyof CoreBackend, args: unknown[], transfer: Transferable[]): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        this.worker.postMessage({ id, method, args } satisfies RpcRequest, transfer);
      } catch (e) {
        this.#pending.delete(id);
        reject(new PreconfLightError('INVALID_ARGUMENT', `cannot send to the core worker: ${(e as Error)?.message ?? e}`));
      }
    });
  }

  checkNetwork(network: Network) {
    return this.#call<{ config: NetworkConfig; cadence: Cadence }>('checkNetwork', network);
  }
  checkGenesis(network: Network, answer: unknown) {
    return this.#call<void>('checkGenesis', network, answer);
  }
  checkRollupConfig(config: object, network: Network) {
    return this.#call<string>('checkRollupConfig', config, network);
  }
  fromBootstrap(network: Network, root: string, bootstrap: unknown) {
    return this.#call<{ heads: Heads; bytes: Uint8Array }>('fromBootstrap', network, root, bootstrap);
  }
  fromBytes(network: Network, bytes: Uint8Array) {
    return this.#call<Heads>('fromBytes', network, bytes);
  }
  process(kind: UpdateKind, update: unknown, nowSec: number) {
    return this.#call<Applied>('process', kind, update, nowSec);
  }
  forceUpdateDue(nowSec: number) {
    return this.#call<boolean>('forceUpdateDue', nowSec);
  }
  forceUpdate(nowSec: number) {
    return this.#call<Applied>('forceUpdate', nowSec);
  }
  verifyExecutionBlock(rpcBlock: unknown, expectedHash: string) {
    return this.#call<VerifiedExecutionBlock>('verifyExecutionBlock', rpcBlock, expectedHash);
  }
  verifyBlockReceipts(rpcBlock: unknown, rpcReceipts: unknown, expectedHash: string) {
    return this.#call<VerifiedReceipts>('verifyBlockReceipts', rpcBlock, rpcReceipts, expectedHash);
  }
  verifyAccountProof(stateRoot: string, proof: unknown) {
    return this.#call<VerifiedAccount>('verifyAccountProof', stateRoot, proof);
  }
  verifyCode(stateRoot: string, proof: unknown, code: string) {
    return this.#call<string>('verifyCode', stateRoot, proof, code);
  }
  simulate(request: SimulateRequest) {
    return this.#call<SimulationResult | NeedsState>('simulate', request);
  }
  verifySp1Proof(input: Sp1ProofInput) {
    return this.#send<Sp1ProofInfo>('verifySp1Proof', [input], transferablesOf(input));
  }
  engineCreate(config: RollupConfig | object, anchor?: AnchorProof) {
    return this.#call<{ configHash: string; step: Step }>('engineCreate', config, anchor);
  }
  engineStep(input: EngineInput) {
    const value = input && typeof input === 'object' ? Object.values(input)[0] : undefined;
    return this.#send<Step>('engineStep', [input], transferablesOf(value));
  }
  engineQuery(query: EngineQuery) {
    return this.#call<EngineAnswer>('engineQuery', query);
  }
  l1Insert(rpcBlock: unknown, hash: string) {
    return this.#call<unknown>('l1Insert', rpcBlock, hash);
  }
  l1Status(target: number | string, nowSec: number, maxWalk: number, fetched: number) {
    return this.#call<L1Answer>('l1Status', target, nowSec, maxWalk, fetched);
  }
  l1CanonicalAt(number: number, anchor: { blockHash: Hex; blockNumber: number }, maxWalk: number, fetched: number) {
    return this.#call<{ hash: Hex } | { need: Hex }>('l1CanonicalAt', number, anchor, maxWalk, fetched);
  }
  async close() {
    await this.#call('close').catch(() => {});
    if (this.ownsWorker) this.worker.terminate();
  }
}
