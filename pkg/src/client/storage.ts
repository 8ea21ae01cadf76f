// Storage backends for the persisted light-client store.

/** A key-value byte store. */
export interface Storage {
  get(key: string): Promise<Uint8Array | null>;
  set(key: string, value: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Keeps values in memory (lost on reload). Pass one instance to several clients to share it. */
export function memoryStorage(): Storage {
  const map = new Map<string, Uint8Array>();
  return {
    async get(key) {
      const v = map.get(key);
      return v ? Uint8Array.from(v) : null;
    },
    async set(key, value) {
      map.set(key, Uint8Array.from(value));
    },
    async delete(key) {
      map.delete(key);
    },
  };
}

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** Persists values in the browser's IndexedDB database `name` (object store `kv`). */
export function indexedDbStorage(name = 'preconf-light'): Storage {
  let db: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> => {
    if (typeof indexedDB === 'undefined') return Promise.reject(new Error('IndexedDB is not available here'));
    db ??= new Promise((resolve, reject) => {
      const r = indexedDB.open(name, 1);
      r.onupgradeneeded = () => r.result.createObjectStore('kv');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    return db;
  };
  const store = async (mode: IDBTransactionMode) => (await open()).transaction('kv', mode).objectStore('kv');
  return {
    async get(key) {
      const v = await req((await store('readonly')).get(key));
      return v instanceof Uint8Array ? v : v instanceof ArrayBuffer ? new Uint8Array(v) : null;
    },
    async set(key, value) {
      await req((await store('readwrite')).put(Uint8Array.from(value), key));
    },
    async delete(key) {
      await req((await store('readwrite')).delete(key));
    },
  };
}
