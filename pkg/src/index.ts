// Type entry: the API is the same in node and browsers.
export * from './core.js';
/** Loads and instantiates the wasm core. Idempotent; call before anything else. */
export declare function init(wasmUrl?: string | URL): Promise<void>;
