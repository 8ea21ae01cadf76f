// Node-only storage: one file per key in a directory, written atomically.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Storage } from './storage.js';

const safe = (key: string) => key.replace(/[^A-Za-z0-9._-]/g, '_');

/** Persists values as files `<dir>/<key>.bin` (node only). */
export function fileStorage(dir: string): Storage {
  return {
    async get(key) {
      try {
        return new Uint8Array(await readFile(join(dir, `${safe(key)}.bin`)));
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return null;
        throw e;
      }
    },
    async set(key, value) {
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${safe(key)}.bin`);
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, value);
      await rename(tmp, path);
    },
    async delete(key) {
      await rm(join(dir, `${safe(key)}.bin`), { force: true });
    },
  };
}
