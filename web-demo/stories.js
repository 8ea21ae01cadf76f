// Faults told as stories: each injected fault opens one entry that gathers
// everything that went down while it acted (grouped by what it was, from
// which level to which, and why), the notable events (an equivocation
// caught, based mode entered), and when the items came back. A drop while
// no story is open opens an "unprompted" one. The levels and reasons are the
// client's; this module only groups and words them.
import { el, fill } from './dom.js';
import { FAULTS, clock, levelName, numbers, plural, rank, secs, why } from './words.js';

/** Most stories kept on the page. */
const KEEP = 30;

const NOUN = {
  l1: ['Ethereum block', 'Ethereum blocks', 'slot '],
  l2: ['rollup block', 'rollup blocks', '#'],
};

export class Stories {
  /**
   * @param {HTMLOListElement} list
   * @param {object} cfg  the devnet's client config (slot time, rollup config)
   */
  constructor(list, cfg) {
    this.list = list;
    this.cfg = cfg;
    this.slotMs = cfg.slotMs ?? 12000;
    this.stories = [];
    this.seq = 0;
    /** item key → the story holding it */
    this.owner = new Map();
  }

  /** How long a story stays open after its last drop (ms). */
  get quietMs() {
    return Math.max(6000, 6 * this.slotMs);
  }

  current() {
    return this.stories.find((s) => s.open);
  }

  /** A fault was injected: a new story (the previous ones stop taking new drops). */
  startFault(kind, response) {
    const f = FAULTS[kind];
    const now = Date.now();
    for (const s of this.stories) s.takesDrops = false;
    const activeSlots = f.activeSlots ? f.activeSlots(this.cfg) : 3;
    const story = this.add({
      kind,
      title: f.title,
      what: typeof f.what === 'function' ? f.what(this.cfg) : f.what,
      term: f.term,
      activeUntil: f.toggle ? Infinity : now + activeSlots * this.slotMs,
      detail: response?.dropped ? `dropped ${plural(response.dropped.length ?? response.dropped, 'block')}` : '',
    });
    return story;
  }

  /** A switch fault was turned off. */
  endFault(kind) {
    for (const s of this.stories) {
      if (s.kind === kind && s.activeUntil === Infinity) {
        s.activeUntil = Date.now();
        s.lastActivity = Date.now();
        this.note('The fault was turned off.', null, s);
      }
    }
  }

  add(fields) {
    const now = Date.now();
    const story = { id: ++this.seq, startedAt: now, lastActivity: now, open: true, takesDrops: true, items: new Map(), notes: [], ...fields };
    this.stories.unshift(story);
    story.el = el('li', { class: 'story', 'data-story': story.id, 'data-fault': story.kind });
    this.list.prepend(story.el);
    while (this.stories.length > KEEP) this.stories.pop().el.remove();
    this.render(story);
    this.list.dataset.count = String(this.seq);
    return story;
  }

  /** Something went down: `{ key, subject: 'l1'|'l2'|'item', n?, label?, from, to, code }`. */
  drop(d) {
    const now = Date.now();
    let story = this.owner.get(d.key);
    // A later drop of an item a recent story holds (an Ethereum block first above the
    // verified head, then replaced) belongs to that story: it opens again.
    if (story && !story.open && now - story.closedAt < Math.max(60_000, 30 * this.slotMs)) story.open = true;
    if (!story?.open) story = this.stories.find((s) => s.open && s.takesDrops);
    if (!story) {
      story = this.add({
        kind: 'unprompted',
        title: 'Something went down without an injected fault',
        what: 'No fault was injected just before this; the client reports why below.',
        term: d.code,
        activeUntil: now,
      });
    }
    const it = story.items.get(d.key) ?? { ...d, since: now, lowest: d.to, recoveredAt: null };
    if (rank(d.to) < rank(it.lowest)) it.lowest = d.to;
    it.code = d.code;
    it.level = d.to;
    it.recoveredAt = null;
    story.items.set(d.key, it);
    this.owner.set(d.key, story);
    story.lastActivity = now;
    this.render(story);
  }

  /** A reported level of any item: recoveries are noted in the story that holds it. */
  level(key, level) {
    const story = this.owner.get(key);
    const it = story?.items.get(key);
    if (!it) return;
    it.level = level;
    if (!it.recoveredAt && rank(level) >= rank(it.from)) {
      it.recoveredAt = Date.now();
      story.lastActivity = Date.now();
    }
    if (rank(level) < rank(it.lowest)) it.lowest = level;
    this.render(story);
  }

  /** The newest open story that had started by `ms` (give or take a slot), for an effect first seen later. */
  openAt(ms) {
    return this.stories.find((s) => s.open && s.startedAt <= ms + this.slotMs) ?? this.current();
  }

  /** A notable event, in the open story (or the one given). */
  note(text, term = null, story = this.current()) {
    if (!story) return;
    story.notes.push({ at: Date.now(), text, term });
    story.lastActivity = Date.now();
    this.render(story);
  }

  /**
   * The rollup's liveness as the client reports it (`status.l2.liveness`):
   * open stories keep the longest stretch without a rollup commitment on
   * Ethereum, and whether the client's count reached the based-mode limit.
   */
  liveness(l) {
    for (const s of this.stories) {
      if (!s.open || !s.takesDrops) continue;
      const seen = s.liveness ?? { peak: 0, due: false };
      seen.now = l.slotsSinceLastCommitment;
      seen.until = l.slotsUntilBasedMode;
      seen.peak = Math.max(seen.peak, l.slotsSinceLastCommitment);
      seen.due ||= l.basedMode || l.slotsUntilBasedMode === 0;
      seen.based ||= l.basedMode;
      s.liveness = seen;
      if (seen.peak >= 3) this.render(s);
    }
  }

  /** Closes the stories that are over: fault done acting, quiet, and nothing still on its way back. */
  tick() {
    const now = Date.now();
    for (const s of this.stories) {
      if (!s.open) continue;
      const waiting = [...s.items.values()].some((it) => !it.recoveredAt && it.level !== 'reverted');
      // A story whose items never come back still ends, saying so.
      const tooLong = s.activeUntil !== Infinity && now - Math.max(s.startedAt, s.activeUntil) > Math.max(120_000, 60 * this.slotMs);
      if ((now >= s.activeUntil && now - s.lastActivity >= this.quietMs && !waiting) || tooLong) {
        s.open = false;
        s.closedAt = Math.max(s.lastActivity, s.activeUntil === Infinity ? now : s.activeUntil);
      }
      this.render(s);
    }
  }

  render(s) {
    const items = [...s.items.values()];
    s.el.dataset.state = s.open ? 'open' : 'over';
    s.el.dataset.downgrades = String(items.length);
    fill(s.el,
      el('div', { class: 'story-head' },
        el('strong', {}, s.title),
        ' ', el('time', {}, clock(s.startedAt)),
        ' ', el('span', { class: 'story-state' }, s.open ? 'ongoing' : `over after ${secs((s.closedAt - s.startedAt) / 1000)}`)),
      el('p', { class: 'what' }, s.what, s.term ? [' ', el('small', { class: 'term' }, s.term)] : null),
      this.effects(s, items),
      el('p', { class: 'outcome' }, this.outcome(s, items)),
    );
  }

  /** The drops grouped by kind of item, from, lowest level and reason; then the notes. */
  effects(s, items) {
    const groups = new Map();
    for (const it of items) {
      const k = `${it.subject}|${it.from}|${it.lowest}|${it.code}`;
      const g = groups.get(k) ?? [];
      g.push(it);
      groups.set(k, g);
    }
    const lis = [...groups.values()].map((g) => this.group(g));
    const l = s.liveness;
    if (l && l.peak >= 3) {
      const limit = this.cfg?.rollup?.stallLimitSlots;
      const text = s.open && l.now >= 2
        ? `The client counts ${plural(l.now, 'Ethereum slot')} without a rollup commitment; based mode in ${plural(l.until, 'slot')}.`
        : `Longest stretch without a rollup commitment on Ethereum: ${plural(l.peak, 'slot')}${limit != null ? ` (the rollup allows ${limit})` : ''}.${l.due ? ' The client\'s count reached the limit: from then on, blocks built on Ethereum (based blocks) take over from the sequencer.' : ''}`;
      const term = s.open && l.now >= 2
        ? `liveness: slotsSinceLastCommitment ${l.now}, slotsUntilBasedMode ${l.until}`
        : `liveness: slotsSinceLastCommitment up to ${l.peak}${l.due ? ', slotsUntilBasedMode reached 0' : ''}${l.based ? ', basedMode' : ''}`;
      lis.push(el('li', { class: 'note liveness' }, text, ' ', el('small', { class: 'term' }, term)));
    }
    for (const n of s.notes) lis.push(el('li', { class: 'note' }, `${clock(n.at)} `, n.text, n.term ? [' ', el('small', { class: 'term' }, n.term)] : null));
    if (!lis.length) return s.open ? el('p', { class: 'effects-none' }, 'Nothing has gone down so far.') : null;
    return el('ul', { class: 'effects' }, lis);
  }

  group(g) {
    const first = g[0];
    const undone = first.lowest === 'reverted';
    let who;
    if (first.subject === 'item') who = g.length === 1 ? first.label : `${g.length} of your items`;
    else {
      const [one, many, prefix] = NOUN[first.subject];
      const where = first.subject === 'l1' ? ' in ' : ' ';
      who = `${g.length === 1 ? `The ${one}` : `${g.length} ${many}`}${where}${numbers(g.map((x) => x.n), prefix)}`;
    }
    const verb = undone
      ? `${g.length === 1 ? 'was' : 'were'} undone`
      : `went down from “${levelName(first.from)}” to “${levelName(first.lowest)}”`;
    const back = g.filter((x) => x.recoveredAt);
    let after = '';
    if (undone) after = g.length === 1 ? ' It will not come back; the chain goes on without it.' : ' They will not come back; the chain goes on without them.';
    else if (back.length === g.length) {
      const t = Math.max(...back.map((x) => x.recoveredAt));
      after = ` ${g.length === 1 ? 'It was' : 'All were'} back at “${levelName(first.from)}” or higher at ${clock(t)} (${secs((t - Math.min(...g.map((x) => x.since))) / 1000)} later).`;
    } else if (back.length) after = ` ${back.length} of ${g.length} back so far.`;
    else after = ' Not back yet.';
    return el('li', { class: 'effect', 'data-subject': first.subject, 'data-reason': first.code, 'data-from': first.from, 'data-to': first.lowest, 'data-count': g.length, 'data-recovered': back.length },
      `${who} ${verb}: ${why(first.code, first.subject, g.length)}.${after} `,
      el('small', { class: 'term' }, `${first.from} → ${first.lowest} · ${first.code}`));
  }

  outcome(s, items) {
    if (s.open) {
      if (s.activeUntil === Infinity) return 'Still on: turn it off to end it.';
      const waiting = items.filter((it) => !it.recoveredAt && it.level !== 'reverted').length;
      return waiting ? `Waiting for ${plural(waiting, 'item')} to come back…` : 'Watching for effects…';
    }
    if (!items.length) return 'Nothing went down.';
    const undone = items.filter((it) => it.level === 'reverted').length;
    const away = items.filter((it) => !it.recoveredAt && it.level !== 'reverted').length;
    if (away) return `${plural(away, 'item')} had not come back when this entry closed.`;
    if (!undone) return 'Everything that went down came back.';
    return `${plural(undone, 'item')} undone for good${undone < items.length ? '; the rest came back' : ''}.`;
  }
}
