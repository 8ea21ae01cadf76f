// Small DOM helpers shared by the page's modules.

export const $ = (id) => document.getElementById(id);

/** `document.createElement` with attributes and text (`null` attributes are skipped). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null && v !== false) e.setAttribute(k, v === true ? '' : String(v));
  for (const c of children.flat()) if (c != null && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

/** `node.replaceChildren`, skipping `null`/`false` children. */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c != null && c !== false));
  return node;
}

/** POST a JSON body; the answer's JSON, or an error with its message. */
export async function postJson(path, body = {}) {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const out = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(out.message ?? out.error ?? `HTTP ${r.status}`);
  return out;
}

/** A countdown to `at` (unix seconds, the client's ETA), filled at once. */
export function countdown(at) {
  return tick(el('span', { class: 'countdown', 'data-eta-at': at }));
}

function tick(e) {
  const left = Number(e.dataset.etaAt) - Date.now() / 1000;
  let text;
  if (left >= 0.5) text = `in ${Math.round(left)} s`;
  else if (left > -1.5) text = 'any moment now';
  else text = `${Math.round(-left)} s later than expected`;
  if (e.textContent !== text) e.textContent = text;
  e.dataset.overdue = String(left <= -1.5);
  return e;
}

/**
 * Countdowns: every `[data-eta-at]` element (unix seconds) shows the time
 * left, refreshed four times a second. The ETA itself is the client's.
 */
export function startCountdowns() {
  const update = () => {
    for (const e of document.querySelectorAll('[data-eta-at]')) tick(e);
  };
  update();
  return setInterval(update, 250);
}
