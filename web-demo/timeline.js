// One timeline row: as many cells as fit the width (newest on the right),
// and, above them, an overview strip of everything older that the page still
// holds, with a caption such as "earlier: #221–#400 final · #401–#460 on
// Ethereum". Presentation only: each entry's class is a level the client
// reported, or a fact the page observed (an empty slot, a slot before the
// page loaded).
import { el } from './dom.js';
import { levelName } from './words.js';

/** Width of a cell plus the gap (px), as in style.css. */
const PITCH = 28;

/** Caption words of the observed (non-level) cell classes. */
const STATE_NAMES = {
  missed: 'empty',
  unobserved: 'not observed',
  'before-load': 'before this page loaded',
};

/** The display class of an entry: its observed state, else its level. */
const classOf = (e) => e.state ?? e.level;
const nameOf = (c) => STATE_NAMES[c] ?? levelName(c);

export class Timeline {
  /**
   * @param {HTMLElement} root  the `.track` element (holds `.overview`, `.caption`, `.cells`)
   * @param {{ unit: (n: number) => string, label: (n: number) => string }} fmt
   */
  constructor(root, fmt) {
    this.root = root;
    this.fmt = fmt;
    this.cells = root.querySelector('.cells');
    this.strip = root.querySelector('.overview');
    this.caption = root.querySelector('.caption');
    this.entries = [];
    new ResizeObserver(() => this.render(this.entries)).observe(this.cells);
  }

  /**
   * Renders entries, oldest first: `{ n, level, state?, title, dipped?, undone? }`
   * (`n`: slot or block number; `state`: an observed state that overrides the level's colour).
   */
  render(entries) {
    this.entries = entries;
    const fit = Math.max(4, Math.floor((this.cells.clientWidth + 2) / PITCH));
    const shown = entries.slice(-fit);
    const older = entries.slice(0, entries.length - shown.length);
    this.cells.replaceChildren(...shown.map((e) => el('span', {
      class: 'cell',
      'data-n': e.n,
      'data-level': e.level,
      'data-state': e.state,
      'data-dipped': e.dipped || null,
      'data-undone': e.undone || null,
      title: e.title,
    }, String(e.n % 1000))));
    this.cells.dataset.first = String(shown[0]?.n ?? '');
    this.renderOlder(older);
  }

  /** The overview strip (a gradient of the runs of classes) and its caption. */
  renderOlder(older) {
    if (!older.length) {
      this.strip.hidden = true;
      this.caption.textContent = '';
      return;
    }
    const runs = [];
    for (const e of older) {
      const c = classOf(e);
      const last = runs.at(-1);
      if (last && last.c === c) { last.to = e.n; last.count += 1; } else runs.push({ c, from: e.n, to: e.n, count: 1 });
    }
    const stops = [];
    let at = 0;
    for (const r of runs) {
      const end = at + (100 * r.count) / older.length;
      stops.push(`var(--c-${r.c}) ${at.toFixed(2)}% ${end.toFixed(2)}%`);
      at = end;
    }
    this.strip.hidden = false;
    this.strip.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
    this.strip.title = runs.map((r) => `${this.fmt.label(r.from)}${r.to !== r.from ? `–${r.to}` : ''}: ${nameOf(r.c)}`).join('\n');
    // Caption: per class, in order of first appearance, the count and the span.
    const byClass = new Map();
    for (const r of runs) {
      const b = byClass.get(r.c) ?? { from: r.from, to: r.to, count: 0 };
      b.to = r.to;
      b.count += r.count;
      byClass.set(r.c, b);
    }
    this.caption.replaceChildren('earlier: ', ...[...byClass].flatMap(([c, b], i) => [
      i ? ' · ' : '',
      el('span', { class: 'swatch', 'data-level': STATE_NAMES[c] ? null : c, 'data-state': STATE_NAMES[c] ? c : null }),
      `${this.fmt.unit(b.count)} ${nameOf(c)}${b.to - b.from + 1 === b.count ? ` (${this.fmt.label(b.from)}${b.to !== b.from ? `–${b.to}` : ''})` : ''}`,
    ]));
  }
}
