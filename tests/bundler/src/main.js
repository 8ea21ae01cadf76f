// Imports the installed package exactly as an app would, through Vite.
import { init, coreVersion, SyncCommittee, PreconfLightError, simulate, createPreconfClient, verifySp1Proof } from 'preconf-light';

const out = document.getElementById('result');
try {
  await init();
  const inf = new Uint8Array(48);
  inf[0] = 0xc0;
  let code = 'none';
  try {
    SyncCommittee.fromPubkeys(inf);
  } catch (e) {
    code = e instanceof PreconfLightError ? e.code : `not typed: ${e}`;
  }
  // The EVM module is a second .wasm the bundler must emit and the package
  // must fetch lazily: a request with no proofs asks for the account's state.
  const who = `0x${'11'.repeat(20)}`;
  const sim = await simulate({
    stateRoot: `0x${'22'.repeat(32)}`,
    block: { chainId: 1, number: 1, timestamp: 12, beneficiary: who, gasLimit: 30000000 },
    assertions: [{ type: 'balanceAtLeast', address: who, min: 0 }],
  });
  out.textContent = `core ${coreVersion()}; infinity key rejected with ${code}; evm ${sim.status} ${sim.needs.accounts.length}`;
  document.body.dataset.ready = 'true';
} catch (e) {
  out.textContent = `error: ${e.message}`;
  document.body.dataset.ready = 'error';
}

// The client's core in its Web Worker with the rollup engine: the test
// server serves real mainnet light-client data under /beacon and the
// fixtures under /fixtures. A Plonk check runs in the worker, then on this
// thread, while a 5 ms timer measures how long the page's event loop stalls.
const worker = document.getElementById('worker');
try {
  const get = async (p) => (await fetch(p)).json();
  const hex = (h) => Uint8Array.from(h.replace(/^0x/, '').match(/../g), (b) => parseInt(b, 16));
  const { checkpoint, now } = await get('/beacon/meta');
  const fx = await get('/fixtures/rollup/engine_capella.json');
  const sp1 = await get('/fixtures/sp1/sp1-project-template-v6.0.0/plonk-fixture.json');
  const rollup = { ...fx.config, batchProgramVkey: sp1.vkey };
  delete rollup.configHash;
  const client = createPreconfClient({
    network: 'mainnet', beaconApiUrl: `${location.origin}/beacon`, l1RpcUrl: `${location.origin}/rpc`,
    trustedCheckpoint: checkpoint, clock: () => now, sse: false, pollIntervalMs: 60000, tickIntervalMs: 60000,
    // This test's L1 RPC serves no state and the fixture rollup never committed: the genesis anchor is vouched for.
    rollupTickIntervalMs: 60000, rollup, trustGenesisAnchor: true,
  });
  await client.ready;
  const genesis = await client.status({ block: 0 });
  const stall = async (f) => {
    let longest = 0, beats = 0, last = performance.now();
    const beat = setInterval(() => { const n = performance.now(); longest = Math.max(longest, n - last); last = n; beats++; }, 5);
    await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    const value = await f();
    const ms = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 20));
    clearInterval(beat);
    return { value, ms, longest, beats };
  };
  const input = () => ({ proof: hex(sp1.proof), publicValues: hex(sp1.publicValues), vkeyHash: sp1.vkey });
  const sent = input();
  const inWorker = await stall(() => client.verifySp1Proof(sent));
  // The bytes were transferred to the worker; handing them in again is a typed error.
  const transferred = sent.proof.byteLength === 0;
  const reuse = await client.verifySp1Proof(sent).then(() => 'accepted', (e) => e.code);
  const flipped = input();
  flipped.publicValues[0] ^= 1;
  const refused = await client.verifySp1Proof(flipped).then(() => 'accepted', (e) => e.code);
  // The worker's engine has the batch program; the proof is no batch claim.
  const batch = await client.ingestBatchProof(hex(sp1.proof), hex(sp1.publicValues)).then(() => 'accepted', (e) => e.code);
  const inPage = await stall(async () => verifySp1Proof(input()));
  await client.close();
  worker.textContent = JSON.stringify({
    level: genesis.level, system: inWorker.value.system, sp1Version: inWorker.value.sp1Version, transferred, reuse, refused, batch,
    worker: { ms: inWorker.ms, longest: inWorker.longest, beats: inWorker.beats },
    inPage: { ms: inPage.ms, longest: inPage.longest, beats: inPage.beats },
  });
} catch (e) {
  worker.textContent = JSON.stringify({ error: `${e.code ?? ''} ${e.message}` });
}
document.body.dataset.worker = 'done';
