// HTTP access to endpoints with timeouts, health tracking and backoff.
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

/** A set of interchangeable URLs for one endpoint kind, with health tracking. */
export class EndpointPool {
  readonly states: EndpointState[];
  #current = 0;

  constructor(
    readonly kind: EndpointKind,
    urls: string[],
    private readonly fetchFn: typeof fetch,
    private readonly timeoutMs: number,
    private readonly onChange: (s: EndpointState) => void,
  ) {
    this.states = urls.map((url) => ({ endpoint: kind, url: url.replace(/\/+$/, ''), status: 'ok' as EndpointHealth }));
  }

  /** The URL currently in use. */
  get url(): string {
    return this.states[this.#current]!.url;
  }

  /** Marks the current URL and, if unhealthy, rotates to the next one. */
  mark(status: EndpointHealth, code?: string, reason?: string, url = this.url): void {
    const s = this.states.find((x) => x.url === url);
    if (!s) return;
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

  /** Fetches `path` on the current URL with a timeout; transport problems throw `TransportError`. */
  async request(path: string, init: RequestInit & { signal: AbortSignal }, stream = false): Promise<{ url: string; res: Response }> {
    const url = this.url;
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
        // Read the body under the same timeout.
        const text = await res.text();
        return { url, res: new Response(text, { status: res.status, headers: res.headers }) };
      }
      return { url, res };
    } catch (e) {
      if (init.signal.aborted) throw e;
      if (e instanceof TransportError) throw e;
      const reason = ctrl.signal.reason;
      if (reason instanceof TransportError) throw reason;
      throw new TransportError('UNREACHABLE', `${url}${path}: ${(e as Error)?.message ?? e}`);
    } finally {
      // A stream has no overall deadline once its headers arrived; the caller watches liveness.
      clearTimeout(timer);
      init.signal.removeEventListener('abort', onAbort);
    }
  }

  /** GET JSON; a body that is not JSON is a `DECODE_ERROR` (the endpoint is faulty). */
  async getJson(path: string, signal: AbortSignal): Promise<{ url: string; body: unknown }> {
    const { url, res } = await this.request(path, { headers: { accept: 'application/json' }, signal });
    const text = await res.text();
    try {
      return { url, body: JSON.parse(text) };
    } catch {
      throw new PreconfLightError('DECODE_ERROR', `${path}: response is not JSON`);
    }
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
    try {
      body = JSON.parse(await res.text());
    } catch {
      throw new PreconfLightError('DECODE_ERROR', `${method}: response is not JSON`);
    }
    if (body?.error) throw new PreconfLightError('RPC_ERROR', `${method}: ${body.error.message ?? JSON.stringify(body.error)}`);
    return { url, result: body?.result ?? null };
  }
}
