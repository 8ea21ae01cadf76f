// Where the lazily loaded SP1 module comes from by default. Internal: the
// node entry point replaces the browser default (a URL next to this file)
// with a file read.
type WasmSource = string | URL | BufferSource;

let source: () => Promise<WasmSource> = async () => new URL('../wasm/preconf_light_sp1_bg.wasm', import.meta.url);

/** The default source of `preconf_light_sp1_bg.wasm`. */
export function sp1WasmSource(): Promise<WasmSource> {
  return source();
}

/** Replaces the default source (the node entry point reads the file). */
export function setSp1WasmSource(next: () => Promise<WasmSource>): void {
  source = next;
}
