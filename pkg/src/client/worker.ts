// Web Worker entry: runs the wasm core off the main thread and answers the
// client's calls (see `WorkerCore`). Start it as a module worker.
import { init } from '../init-browser.js';
import { LocalCore, serveCore } from './core-backend.js';

const ready = init();
ready.catch(() => {});
serveCore(new LocalCore(), self as unknown as Parameters<typeof serveCore>[1], ready);
