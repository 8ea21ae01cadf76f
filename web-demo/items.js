// The live card: what the visitor sent, climbing the ladder of levels in
// plain words. Levels, ETAs, risks and reasons are the client's
// (`client.watch`, and `client.status` once a second so that the ETA stays
// the client's current one); the page words them and counts down to the ETA.
//
// A transfer is one target, `{ tx }`. A cross-domain action has two legs: its
// rollup leg (`{ tx }`) is followed at once; once the devnet names its
// Ethereum leg, the page follows the whole action (`{ action }`: the client
// reports the lowest of its legs) and the Ethereum leg on its own.
import { $, countdown, el, fill, postJson } from './dom.js';
import { LADDER, LEVEL, RISK, clock, hasWords, levelName, rank, short, why } from './words.js';

/** How often an unfinished item's status is asked again (ms). */
const POLL_MS = 1000;
/** Items kept on the page. */
const MAX_ITEMS = 12;
/** How long the page asks the devnet for an action's Ethereum leg (ms). */
const ACTION_LEG_WAIT_MS = 180_000;

export class Items {
  /**
   * @param client   the PreconfClient
   * @param hooks    `{ drop(item), level(key, level), lastHeadAt() }`
   */
  constructor(client, hooks) {
    this.client = client;
    this.hooks = hooks;
    this.items = [];
    this.shown = null;
    this.seq = 0;
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  async sendTransfer() {
    const sentAt = Date.now();
    const { txHash } = await postJson('/devnet/demo/transfer');
    const it = this.add({ kind: 'transfer', label: 'Your transfer', hash: txHash, sentAt, target: { tx: txHash } });
    this.follow(it, 'main', it.target);
  }

  async sendAction() {
    const sentAt = Date.now();
    const { l2TxHash } = await postJson('/devnet/demo/action');
    const it = this.add({ kind: 'action', label: 'Your cross-domain action', hash: l2TxHash, sentAt, target: { tx: l2TxHash } });
    it.legs = { l2: null, l1: null };
    // Until the Ethereum leg is known, the card follows the rollup leg.
    this.follow(it, 'l2', { tx: l2TxHash });
    const deadline = Date.now() + ACTION_LEG_WAIT_MS;
    while (Date.now() < deadline && !it.closed) {
      await new Promise((r) => setTimeout(r, 1000));
      let info;
      try { info = await (await fetch(`/devnet/action/${l2TxHash}`)).json(); } catch { continue; }
      if (typeof info.l1TxHash === 'string') {
        it.l1TxHash = info.l1TxHash;
        it.target = { action: { l1Txs: [info.l1TxHash], l2Txs: [l2TxHash] } };
        this.follow(it, 'l1', { action: { l1Txs: [info.l1TxHash], l2Txs: [] } });
        this.follow(it, 'main', it.target);
        return;
      }
      if (info.status === 'none') { it.devnetNote = 'The devnet dropped the action (its check failed or a reorg removed both legs).'; this.render(it); return; }
    }
  }

  /** Stops following an item (it keeps its last statuses on screen). */
  stop(it) {
    it.closed = true;
    for (const u of it.unwatch) u();
    it.unwatch = [];
    it.targets = {};
  }

  add(fields) {
    const it = { id: ++this.seq, reached: [], status: {}, unwatch: [], ...fields };
    this.items.unshift(it);
    for (const old of this.items.splice(MAX_ITEMS)) {
      this.stop(old);
      old.row.remove();
    }
    it.row = el('li', { 'data-item': it.id, 'data-kind': it.kind, 'data-level': 'unknown', 'data-levels': '' });
    $('items').prepend(it.row);
    $('items-section').hidden = this.items.length < 2;
    this.show(it);
    return it;
  }

  /** Follows one target of an item: `part` is `main` (the item), `l2` or `l1` (an action's legs). */
  follow(it, part, target) {
    if (it.closed) return;
    const apply = (s) => {
      const prev = it.status[part];
      if (prev && s.at < prev.at) return;
      it.status[part] = s;
      // An action's first whole-action status replaces its rollup leg's: a switch, not a drop.
      if (part === 'main' || (part === 'l2' && !it.status.main)) this.onLevel(it, s, part === 'main' && !prev && it.kind === 'action');
      this.render(it);
      // Final either way: stop following it.
      if (part === 'main' && (s.level === 'finalized' || s.level === 'reverted')) this.stop(it);
    };
    it.unwatch.push(this.client.watch(target, apply));
    (it.targets ??= {})[part] = { target, apply };
  }

  /** A main-level report: history, drops and recoveries (for the stories). */
  onLevel(it, s, switched = false) {
    const last = it.reached.at(-1);
    if (last?.level === s.level) return;
    const key = `item:${it.id}`;
    if (!switched && last && rank(s.level) < rank(last.level) && last.level !== 'unknown') {
      this.hooks.drop({ key, subject: 'item', label: `${it.label} ${short(it.hash)}`, from: last.level, to: s.level, code: s.reasonCode });
    }
    if (s.level !== 'unknown' || last) it.reached.push({ level: s.level, at: Date.now(), code: s.reasonCode, switched });
    this.hooks.level(key, s.level);
    if (it === this.shown) $('card-announce').textContent = `${it.label} is now ${levelName(s.level)}.`;
    it.row.dataset.level = s.level;
    it.row.dataset.levels = it.reached.map((r) => r.level).join(',');
    const best = it.reached.reduce((m, r) => (rank(r.level) > rank(m) ? r.level : m), 'unknown');
    it.row.dataset.maxLevel = best;
  }

  /** Asks the statuses of unfinished items again, for current ETAs. */
  async poll() {
    for (const it of this.items.slice(0, 8)) {
      for (const { target, apply } of Object.values(it.targets ?? {})) {
        const cur = it.status.main ?? it.status.l2;
        if (cur && (cur.level === 'finalized' || cur.level === 'reverted')) continue;
        try { apply(await this.client.status(target)); } catch { /* keep the last status */ }
      }
    }
  }

  show(it) {
    this.shown = it;
    for (const x of this.items) {
      x.row.dataset.shown = String(x === it);
      this.renderRow(x);
    }
    this.renderCard(it);
  }

  render(it) {
    this.renderRow(it);
    if (it === this.shown) this.renderCard(it);
  }

  renderRow(it) {
    const s = it.status.main ?? it.status.l2;
    const level = s?.level ?? 'unknown';
    const sig = `${level}|${s?.eta?.level}|${s?.eta?.at}|${it === this.shown}`;
    if (it.rowSig === sig) return;
    it.rowSig = sig;
    fill(it.row,
      el('span', { class: 'badge', 'data-level': level }, levelName(level)),
      ` ${it.kind === 'transfer' ? 'transfer' : 'action'} ${short(it.hash)} `,
      s?.eta ? el('span', { class: 'muted' }, `${levelName(s.eta.level)} `, countdown(s.eta.at)) : null,
      ' ',
      it === this.shown ? el('span', { class: 'muted' }, '(shown above)') : el('button', { type: 'button', class: 'link' }, 'show'),
    );
    it.row.querySelector('button')?.addEventListener('click', () => this.show(it));
  }

  /** The card: current level in words, what could undo it, the next level's countdown, the ladder. */
  renderCard(it) {
    const card = $('live-card');
    const main = it.status.main;
    const s = main ?? it.status.l2;
    const level = s?.level ?? 'unknown';
    card.dataset.state = 'tracking';
    card.dataset.kind = it.kind;
    card.dataset.level = level;
    card.dataset.itemLevel = main ? level : '';
    const following = it.kind === 'action' && !main ? el('p', { class: 'muted' }, 'Following its rollup leg until the devnet names its Ethereum leg.') : null;
    const risks = s?.mayRevertIf?.length ? s.mayRevertIf.map((c) => RISK[c] ?? c) : null;
    fill($('card-body'),
      el('div', { class: 'now' },
        el('span', { class: 'badge big', 'data-level': level }, levelName(level)),
        el('div', {},
          el('div', { class: 'what-item' }, `${it.label} `, el('code', { title: it.hash }, short(it.hash))),
          el('div', { class: 'muted' }, `sent at ${clock(it.sentAt)} · `, el('small', { class: 'term' }, `level: ${level}`)))),
      following,
      el('p', { class: 'verified' }, el('b', {}, 'Verified now: '), this.verifiedText(it, s, level)),
      level === 'finalized' || level === 'reverted' ? null
        : el('p', { class: 'risk' }, el('b', {}, 'Could still undo it: '), risks ? joinOr(risks) : 'nothing the client names.'),
      this.nextLine(it, s, level),
      it.kind === 'action' ? this.legs(it) : null,
      el('ol', { class: 'ladder', 'aria-label': 'levels reached' }, LADDER.map((l) => this.rung(it, l, s))),
      s ? el('p', { class: 'fine' }, 'The client says: ', el('code', {}, s.reasonCode), ` — ${s.reason}`) : null,
      it.devnetNote ? el('p', { class: 'muted' }, it.devnetNote) : null,
    );
  }

  verifiedText(it, s, level) {
    if (!s) return 'waiting for the client’s first answer.';
    const dropped = it.reached.some((r, i) => i && !r.switched && rank(r.level) < rank(it.reached[i - 1].level) && it.reached[i - 1].level !== 'unknown');
    let text = LEVEL[level]?.now ?? level;
    // `reasonCode` is the current level's; `lastDowngrade` keeps why it went down before.
    const down = s.lastDowngrade ?? null;
    if (dropped && down && hasWords(down) && level !== 'reverted') {
      text += ` (It went down once: ${why(down)}.)`;
    }
    if (level === 'reverted') text += ` Why: ${why(s.reasonCode)}.`;
    return text;
  }

  /** Next level and the countdown to the client's ETA (or why there is none). */
  nextLine(it, s, level) {
    if (!s || level === 'finalized' || level === 'reverted') return null;
    let eta = s.eta;
    let note = null;
    if (!eta && it.kind === 'action' && it.status.main && it.status.l2?.eta) {
      eta = it.status.l2.eta;
      note = 'The client gives no estimate for the whole action yet; this is its estimate for the rollup leg.';
    }
    if (!eta) {
      // The core gives no ETA when it cannot predict one (PROTOCOL.md section 9):
      // an L1 leg not seen yet, or the verified head or finality lagging the clock.
      const headAge = (Date.now() - this.hooks.lastHeadAt()) / 1000;
      const why = headAge > 3 * this.hooks.slotSec
        ? ` The page has verified no new Ethereum block for ${Math.round(headAge)} s, so no time can be predicted.`
        : '';
      return el('p', { class: 'next', 'data-eta': '' }, el('b', {}, 'Next: '),
        (it.kind === 'action' ? 'the client gives no time estimate for this action right now.' : 'no estimate from the client right now.') + why);
    }
    // A fact next to the estimate: the next levels need a new verified Ethereum block.
    const headAge = (Date.now() - this.hooks.lastHeadAt()) / 1000;
    const needsL1 = ['included', 'finalized'].includes(eta.level);
    const stalled = needsL1 && headAge > 3 * this.hooks.slotSec;
    const finAge = (Date.now() - this.hooks.lastFinalizedAt()) / 1000;
    const finStalled = !stalled && eta.level === 'finalized' && Date.now() / 1000 > eta.at + 2;
    return el('p', { class: 'next', 'data-eta': eta.at, 'data-eta-level': eta.level }, el('b', {}, 'Next: '),
      `“${levelName(eta.level)}” `, countdown(eta.at),
      ` (expected ${clock(eta.at * 1000)})`,
      note ? el('small', { class: 'fine' }, ` ${note}`) : null,
      stalled ? el('span', { class: 'stall' }, ` But the page has verified no new Ethereum block for ${Math.round(headAge)} s, and this step needs one.`) : null,
      finStalled ? el('span', { class: 'stall' }, ` Ethereum's verified finalized checkpoint last moved ${Math.round(finAge)} s ago.`) : null);
  }

  legs(it) {
    const row = (name, s) => el('li', {}, `${name}: `, s ? el('span', { class: 'badge', 'data-level': s.level }, levelName(s.level)) : 'not known yet');
    return el('ul', { class: 'legs' }, row('rollup leg (burn)', it.status.l2), row('Ethereum leg (mint)', it.status.l1));
  }

  /** One rung: reached (when, possibly lost and regained), next (countdown), or not yet. */
  rung(it, level, s) {
    const times = it.reached.filter((r) => r.level === level);
    const first = times[0];
    const current = s?.level === level;
    const reachedHigher = it.reached.some((r) => rank(r.level) > rank(level));
    const state = current ? 'current' : first ? 'passed' : reachedHigher ? 'skipped' : 'ahead';
    let detail;
    if (state === 'skipped') detail = 'passed over';
    else if (first) {
      detail = el('span', {}, `reached ${clock(first.at)} `, el('span', { class: 'nowrap' }, `(+${((first.at - it.sentAt) / 1000).toFixed(1)} s)`),
        times.length > 1 ? `, again ${clock(times.at(-1).at)}` : null);
    }
    else if (s?.eta?.level === level) detail = el('span', {}, 'expected ', countdown(s.eta.at));
    else detail = 'not yet';
    return el('li', { class: 'rung', 'data-level': level, 'data-rung': state },
      el('span', { class: 'dot', 'data-level': level }),
      el('span', { class: 'rung-name' }, levelName(level), ' ', el('small', { class: 'term' }, level)),
      el('span', { class: 'rung-when' }, detail));
  }
}

function joinOr(list) {
  return list.length <= 1 ? `${list[0]}.` : `${list.slice(0, -1).join('; ')}; or ${list.at(-1)}.`;
}
