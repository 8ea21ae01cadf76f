/** Every failure of the core is a `PreconfLightError` with a stable `code`. */
export class PreconfLightError extends Error {
  /** Stable machine-readable code, e.g. `INVALID_SIGNATURE`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'PreconfLightError';
    this.code = code;
  }
}

/** Re-throws errors from the wasm core as `PreconfLightError` instances. */
export function rethrow(error: unknown): never {
  if (error instanceof PreconfLightError) throw error;
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    const e = error as { code: string; message?: string };
    throw new PreconfLightError(e.code, e.message ?? e.code);
  }
  if (error instanceof Error) throw new PreconfLightError('INTERNAL', error.message);
  throw new PreconfLightError('INTERNAL', String(error));
}

/** Calls `f`, converting any core error into a `PreconfLightError`. */
export function guard<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    rethrow(e);
  }
}
