// Imports the installed package exactly as an app would, through Vite.
import { init, coreVersion, SyncCommittee, PreconfLightError, simulate } from 'preconf-light';

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
