// HTTP access to endpoints with timeouts, body-size limits, health tracking
// and backoff.
//
// Bodies are read through a size limit per endpoint kind (`BODY_LIMITS`),
// enforced while the body streams in: an answer over it is cancelled at the
// limit (never read whole) and is a `RESPONSE_TOO_LARGE` error, which marks
// the endpoint `faulty`. A stream (server-sent events) is limited per event.
//
// Health is judged per request, not per message a caller takes from a queue:
// each URL has an evidence epoch that advances when a request to it starts
// and when a stream delivers bytes. Within one epoch a status only gets
// worse (ok → stale → faulty); a better one needs evidence delivered after
// the worse one. So a backlog of queued messages judged one by one (some
// refused, some taken) cannot flip the status back and forth, and a stream
// failure reported after a lie on that stream does not hide the lie.
import { PreconfLightError } from '../errors.js';
import type { EndpointHealth, EndpointKind } from './types.js';

/** Health record of one endpoint. */
export interface EndpointState {
  endpoint: EndpointKind;
  url: string;
  status: EndpointHealth;
  code?: string;
  reason?: string;
}

/** Transport failure (unreachable, timeout, HTTP error): the endpoint is stale. */
export class TransportError extends PreconfLightError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'TransportError';
  }
}

/** Size limits of one endpoint kind, in bytes. */
export interface BodyLimits {
  /** A JSON answer (a Beacon API response, a JSON-RPC response). */
  json: number;
  /** An SSZ answer (`application/octet-stream`). */
  ssz: number;
  /** One server-sent event of a stream (its lines up to the blank line). */
  event: number;
}

const MiB = 1024 * 1024;

/**
 * Default limits per endpoint kind. Beacon: `/updates` asks for at most
 * `MAX_UPDATES_PER_REQUEST` (64) periods, ~60 KiB of JSON each on mainnet,
 * so 8 MiB leaves room; a light-client event is a few KiB. RPC: a full
 * mainnet block with transactions, or all its receipts, is a few MiB.
 * Feed: one L2 block per event.
 */
export const BODY_LIMITS: Readonly<Record<EndpointKind, BodyLimits>> = {
  beacon: { json: 8 * MiB, ssz: 4 * MiB, event: 256 * 1024 },
  l1Rpc: { json: 16 * MiB, ssz: 16 * MiB, event: 256 * 1024 },
  l2Rpc: { json: 16 * MiB, ssz: 16 * MiB, event: 256 * 1024 },
  sequencerFeed: { json: 4 * MiB, ssz: 4 * MiB, event: 4 * MiB },
};

/** An answer over its size limit (the endpoint is faulty: no honest server sends it). */
export class ResponseTooLarge extends PreconfLightError {
  constructor(what: string, limit: number) {
    super('RESPONSE_TOO_LARGE', `${what}: larger than the ${limit}-byte limit`);
    this.name = 'ResponseTooLarge';
  }
}

/** Exponential backoff: `baseMs * 2^attempt`, capped at `maxMs`. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
}

/** Resolves after `ms`, or early (without error) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Reads a whole body, refusing it once it passes `limit` bytes (the stream
 * is cancelled there: at most `limit` plus one chunk is ever held).
 */
export async function readLimited(res: Response, limit: number, what: string): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => {});
    throw new ResponseTooLarge(what, limit);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        chunks.length = 0;
        await reader.cancel().catch(() => {});
        throw new ResponseTooLarge(what, limit);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock?.();
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * Counts the bytes of the current server-sent event (from the last blank
 * line) and fails once one passes `limit`, before the parser buffers it.
 */
class EventSizeGuard {
  #size = 0;
  #lineStart = true;
  #afterCr = false;

  constructor(private readonly limit: number) {}

  /** Returns false once an event passed the limit. */
  take(chunk: Uint8Array): boolean {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === LF && this.#afterCr) {
        this.#afterCr = false; // the LF of a CRLF
        continue;
      }
      this.#afterCr = b === CR;
      if (b === CR || b === LF) {
        if (this.#lineStart) this.#size = 0; // a blank line ends the event
        this.#lineStart = true;
        continue;
      }
      this.#lineStart = false;
      if (++this.#size > this.limit) return false;
    }
    return true;
  }
}

const RANK: Record<EndpointHealth, number> = { ok: 0, stale: 1, faulty: 2 };

/** Whether this runs in a browser page or worker (where fetch hides why it failed). */
const IN_BROWSER = typeof (globalThis as { document?: unknown }).document !== 'undefined' || typeof (globalThis as { importScripts?: unknown }).importScripts === 'function';

/** The start of an answer that is not what was asked for (e.g. an HTML error page). */
function describe(text: string): string {
  const head = text.trimStart().slice(0, 40).replace(/\s+/g, ' ');
  return head.startsWith('<') ? `HTML: ${head}…` : head ? `starts with ${JSON.stringify(head)}` : 'empty';
}

/** A set of interchangeable URLs for one endpoint kind, with health tracking. */
export class EndpointPool {
  readonly states: EndpointState[];
  readonly limits: BodyLimits;
  #current = 0;
  /** Per URL: the evidence epoch (requests started, stream deliveries) and the epoch of the last worsening mark. */
  #epoch = new Map<string, number>();
  #worsenedAt = new Map<string, number>();

  constructor(
    readonly kind: EndpointKind,
    urls: string[],
    private readonly fetchFn: typeof fetch,
    private readonly timeoutMs: number,
    private readonly onChange: (s: EndpointState) => void,
    limits: Partial<BodyLimits> = {},
  ) {
    this.states = urls.map((url) => ({ endpoint: kind, url: url.replace(/\/+$/, ''), status: 'ok' as EndpointHealth }));
    this.limits = { ...BODY_LIMITS[kind], ...limits };
  }

  /** The URL currently in use. */
  get url(): string {
    return this.states[this.#current]!.url;
  }

  /**
   * Marks a URL (default: the current one) and, if unhealthy, rotates to the
   * next one. Per request: a better status than the current one is taken only
   * on evidence delivered after the mark that made it worse.
   */
  mark(status: EndpointHealth, code?: string, reason?: string, url = this.url): void {
    const s = this.states.find((x) => x.url === url);
    if (!s) return;
    const epoch = this.#epoch.get(url) ?? 0;
    if (RANK[status] < RANK[s.status] && this.#worsenedAt.get(url) === epoch) return;
    if (RANK[status] > RANK[s.status]) this.#worsenedAt.set(url, epoch);
    const changed = s.status !== status || s.code !== code;
    s.status = status;
    if (status === 'ok') {
      delete s.code;
      delete s.reason;
    } else {
      s.code = code;
      s.reason = reason;
      if (this.states.length > 1 && url === this.url) this.#current = (this.#current + 1) % this.states.length;
    }
    if (changed) this.onChange({ ...s });
  }

  /** New evidence from `url`: a request starts or a stream delivered bytes. */
  #evidence(url: string): void {
    this.#epoch.set(url, (this.#epoch.get(url) ?? 0) + 1);
  }

  /**
   * Fetches `path` on the current URL with a timeout; transport problems
   * throw `TransportError`. The body is read through the kind's size limit
   * (JSON or SSZ by content type); a stream is returned with its body
   * limited per server-sent event (an oversized event marks the URL faulty
   * and fails the stream with `RESPONSE_TOO_LARGE`).
   */
  async request(path: string, init: RequestInit & { signal: AbortSignal }, stream = false): Promise<{ url: string; res: Response }> {
    const url = this.url;
    this.#evidence(url);
    const ctrl = new AbortController();
    const onAbort = () => ctrl.abort(init.signal.reason);
    init.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => ctrl.abort(new TransportError('TIMEOUT', `no answer in ${this.timeoutMs} ms`)), this.timeoutMs);
    try {
      const res = await this.fetchFn(url + path, { ...init, signal: ctrl.signal });
      if (!res.ok) {
        await res.body?.cancel().catch(() => {});
        throw new TransportError(`HTTP_${res.status}`, `${path}: HTTP ${res.status}`);
      }
      if (!stream) {
        // Read the body under the same timeout, through the size limit.
        const ssz = (res.headers.get('content-type') ?? '').includes('application/octet-stream');
        const bytes = await readLimited(res, ssz ? this.limits.ssz : this.limits.json, `${url}${path}`);
        return { url, res: new Response(bytes as Uint8Array<ArrayBuffer>, { status: res.status, headers: res.headers }) };
      }
      return { url, res: res.body ? new Response(this.#guardEvents(res.body, url, path), { status: res.status, headers: res.headers }) : res };
    } catch (e) {
      if (init.signal.aborted) throw e;
      if (e instanceof PreconfLightError) throw e;
      const reason = ctrl.signal.reason;
      // No answer at all: the endpoint is stale whoever asked (HTTP errors are judged by the caller).
      const failure = reason instanceof TransportError ? reason : await this.#networkError(url, path, e, init.signal);
      this.mark('stale', failure.code, failure.message, url);
      throw failure;
    } finally {
      // A stream has no overall deadline once its headers arrived; the caller watches liveness.
      clearTimeout(timer);
      init.signal.removeEventListener('abort', onAbort);
    }
  }

  /** The stream, with each delivery counted as evidence and each event's size limited. */
  #guardEvents(body: ReadableStream<Uint8Array>, url: string, path: string): ReadableStream<Uint8Array> {
    const guard = new EventSizeGuard(this.limits.event);
    return body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, out) => {
          this.#evidence(url);
          if (!guard.take(chunk)) {
            const e = new ResponseTooLarge(`an event of ${url}${path}`, this.limits.event);
            this.mark('faulty', e.code, e.message, url);
            throw e;
          }
          out.enqueue(chunk);
        },
      }),
    );
  }

  /**
   * A fetch that failed without an answer. Browsers hide the cause (a CORS
   * refusal and an unreachable host are the same `TypeError`); there a
   * `no-cors` request to the same URL tells them apart: it gets an (opaque)
   * answer only from a reachable server, so the failure was the browser
   * refusing this page the answer (`CORS_REFUSED`).
   */
  async #networkError(url: string, path: string, e: unknown, signal: AbortSignal): Promise<TransportError> {
    const detail = `${url}${path}: ${(e as Error)?.message ?? e}`;
    if (!IN_BROWSER || !(e instanceof TypeError) || signal.aborted) return new TransportError('UNREACHABLE', detail);
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), Math.min(this.timeoutMs, 5000));
    try {
      await this.fetchFn(url + path, { mode: 'no-cors', signal: ctrl.signal, cache: 'no-store' });
      return new TransportError(
        'CORS_REFUSED',
        `${url}: the browser refused this page the answer (CORS): the endpoint answers, but does not allow this page's origin (it must send Access-Control-Allow-Origin for it, and answer the preflight of JSON POSTs)`,
      );
    } catch {
      return new TransportError('UNREACHABLE', `${detail} (the browser does not say why: the endpoint is unreachable, or refused the connection)`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** GET JSON; a body that is not JSON is a `DECODE_ERROR` and marks the endpoint faulty. */
  async getJson(path: string, signal: AbortSignal): Promise<{ url: string; body: unknown }> {
    const { url, res } = await this.request(path, { headers: { accept: 'application/json' }, signal });
    const text = await res.text();
    try {
      return { url, body: JSON.parse(text) };
    } catch {
      throw this.#undecodable(url, `${path}: response is not JSON (${describe(text)})`);
    }
  }

  /** An answer that cannot be decoded: the endpoint is faulty, whoever asked. */
  #undecodable(url: string, message: string): PreconfLightError {
    const e = new PreconfLightError('DECODE_ERROR', `${url}: ${message}`);
    this.mark('faulty', e.code, e.message, url);
    return e;
  }

  /** One JSON-RPC call; RPC-level errors throw `PreconfLightError('RPC_ERROR')`. */
  async rpc(method: string, params: unknown[], signal: AbortSignal): Promise<{ url: string; result: unknown }> {
    const { url, res } = await this.request('', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      signal,
    });
    let body: { result?: unknown; error?: { code?: number; message?: string } };
    const text = await res.text();
    try {
      body = JSON.parse(text);
    } catch {
      throw this.#undecodable(url, `${method}: response is not JSON (${describe(text)})`);
    }
    if (!body || typeof body !== 'object' || (!('result' in body) && !('error' in body))) {
      throw this.#undecodable(url, `${method}: response is not a JSON-RPC answer`);
    }
    if (body?.error) throw new PreconfLightError('RPC_ERROR', `${method}: ${body.error.message ?? JSON.stringify(body.error)}`);
    return { url, result: body?.result ?? null };
  }
}
