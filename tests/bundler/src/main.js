// Imports the installed package exactly as an app would, through Vite.
import { init, coreVersion, SyncCommittee, PreconfLightError } from 'preconf-light';

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
  out.textContent = `core ${coreVersion()}; infinity key rejected with ${code}`;
  document.body.dataset.ready = 'true';
} catch (e) {
  out.textContent = `error: ${e.message}`;
  document.body.dataset.ready = 'error';
}
