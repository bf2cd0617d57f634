// The activity heatmap (GitHub-style: a column per week, a row per weekday Monday..Sunday) from analytics/heatmap,
// which answers every day of the window. Modes: runs per day, diversity (distinct experiments per day), coverage
// (active vs idle days, with coverage and streaks). Hover a day for its numbers; click it for the runs table filtered
// to the runs started that day. Live: reloads when runs change. Args: { user? } (openActivity).
import './activity.css';
import type { HeatmapDay, HeatmapParams, HeatmapResult, RangePreset } from '../../../../extension/src/protocol';
import { rpc, RpcError, onNotification, onReconnect } from '../../transport';
import { loadState, saveState } from '../../state';
import { debounce, h, render } from '../../dom';
import { openAnalytics, openRuns } from '../../nav';
import { applyTheme } from '../../preferences';
import { endToDateInput, localTimeZone, msToDateInput, presetOptions, type PresetOption } from '../../range';
import { emptyText, rangeParams, windowText } from '../analytics/range';
import { coalescer } from '../analytics/live';
import {
  MODES, WEEKDAYS, dayFilter, dayTooltip, dayValue, layoutHeatmap, legendRanges, levels, scaleOf, type HeatmapMode,
} from './layout';

/** The heatmap's ranges: its default (no preset: the last 52 weeks) and the longer presets. */
type ActivityRange = 'year' | Extract<RangePreset, '30d' | '90d' | 'ytd' | 'all' | 'custom'>;
const RANGES: readonly PresetOption<ActivityRange>[] = [
  { value: 'year', label: 'Last 52 weeks' },
  ...presetOptions(['30d', '90d', 'ytd', 'all', 'custom'] as const),
];

interface ActivityState {
  range: ActivityRange;
  fromDate: string;
  toDate: string;
  mode: HeatmapMode;
  user: string | null;
}

// A cell's pitch (px, gap included) grows with the room there is, within these bounds.
const MIN_CELL = 13;
const MAX_CELL = 22;
const GAP = 2;
const LEFT = 32; // weekday labels
const TOP = 16; // month labels
const LIVE_MS = 1500;
const SVG_NS = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export function mount(root: HTMLElement, args: any): void {
  applyTheme();
  const saved = loadState<Partial<ActivityState>>() ?? {};
  const st: ActivityState = {
    range: RANGES.some((r) => r.value === saved.range) ? saved.range! : 'year',
    fromDate: typeof saved.fromDate === 'string' ? saved.fromDate : '',
    toDate: typeof saved.toDate === 'string' ? saved.toDate : '',
    mode: MODES.some((m) => m.value === saved.mode) ? saved.mode! : 'runs',
    user: saved.user !== undefined ? saved.user : typeof args?.user === 'string' && args.user ? args.user : null,
  };
  const save = () => saveState(st);
  const timeZone = localTimeZone();
  let result: HeatmapResult | null = null;
  let loadSeq = 0;
  let loads = 0;

  // ---- toolbar ----
  const modeBtns = MODES.map((m) => {
    const b = h('button', { class: 'mt-secondary mt-act-mode', 'data-mode': m.value, title: m.title, 'aria-pressed': 'false' }, m.label);
    b.addEventListener('click', () => {
      st.mode = m.value;
      save();
      syncControls();
      if (result) draw(result);
    });
    return b;
  });
  const rangeSel = h('select', { class: 'mt-act-range', 'aria-label': 'date range' }, ...RANGES.map((r) => h('option', { value: r.value }, r.label)));
  const fromInput = h('input', { type: 'date', class: 'mt-act-from', 'aria-label': 'from (inclusive)' });
  const toInput = h('input', { type: 'date', class: 'mt-act-to', 'aria-label': 'to (inclusive)' });
  const customBox = h('span', { class: 'mt-act-custom' }, fromInput, '–', toInput);
  const userSel = h('select', { class: 'mt-act-user', 'aria-label': 'user' });
  const analyticsBtn = h('button', { class: 'mt-secondary mt-act-analytics', title: 'Open the time-series analytics' }, 'Analytics');
  const toolbar = h('div', { class: 'mt-toolbar mt-act-toolbar' },
    h('span', { class: 'mt-act-modes', role: 'group', 'aria-label': 'view' }, ...modeBtns),
    h('label', null, 'Range', rangeSel), customBox, h('label', null, 'User', userSel),
    h('span', { class: 'mt-spacer' }), analyticsBtn);

  // ---- body ----
  const errorBox = h('div', { class: 'mt-error-box mt-act-error', role: 'alert', hidden: true });
  const windowEl = h('div', { class: 'mt-act-window mt-muted' });
  const statsEl = h('div', { class: 'mt-act-stats' });
  const emptyEl = h('div', { class: 'mt-message mt-act-empty', role: 'status', hidden: true });
  const gridEl = h('div', { class: 'mt-act-grid' });
  const legendEl = h('div', { class: 'mt-act-legend' });
  const tip = h('div', { class: 'mt-act-tip', hidden: true, role: 'tooltip' });
  const statusEl = h('div', { class: 'mt-message mt-loading' }, 'Loading…');
  const body = h('div', { class: 'mt-act-body' }, errorBox, windowEl, statsEl, emptyEl, statusEl, gridEl, legendEl, tip);
  const panel = h('div', { class: 'mt-act', 'data-days': '0', 'data-loads': '0', 'data-mode': st.mode }, toolbar, body);
  root.replaceChildren(panel);

  function syncControls(): void {
    for (const b of modeBtns) {
      const on = b.dataset.mode === st.mode;
      b.classList.toggle('mt-on', on);
      b.setAttribute('aria-pressed', String(on));
    }
    panel.dataset.mode = st.mode;
    rangeSel.value = st.range;
    customBox.hidden = st.range !== 'custom';
    fromInput.value = st.fromDate;
    toInput.value = st.toDate;
  }

  // ---- users ----
  let users: string[] = [];
  function fillUsers(): void {
    const list = st.user && !users.includes(st.user) ? [...users, st.user] : users;
    render(userSel, h('option', { value: '' }, 'All'), ...list.map((u) => h('option', { value: u }, u)));
    userSel.value = st.user ?? '';
  }
  async function loadUsers(): Promise<void> {
    try {
      users = (await rpc('analytics/facets', undefined)).users;
    } catch {
      /* the filter just offers what it knew */
    }
    fillUsers();
  }

  // ---- data ----
  function params(): HeatmapParams {
    const range = rangeParams({ preset: st.range === 'year' ? null : st.range, fromDate: st.fromDate, toDate: st.toDate }, null, timeZone);
    return { ...range, user: st.user };
  }

  async function load(): Promise<void> {
    const seq = ++loadSeq;
    statusEl.hidden = !!result;
    let res: HeatmapResult;
    try {
      res = await rpc('analytics/heatmap', params());
    } catch (e) {
      if (seq !== loadSeq) return;
      statusEl.hidden = true;
      errorBox.textContent = e instanceof RpcError && e.code === -1
        ? 'The backend is unreachable; the data shown is from before.'
        : `${(e as Error).message ?? e}${result ? '\n(showing the last good result)' : ''}`;
      errorBox.hidden = false;
      panel.dataset.error = 'true';
      return;
    }
    if (seq !== loadSeq) return;
    statusEl.hidden = true;
    errorBox.hidden = true;
    delete panel.dataset.error;
    result = res;
    if (!st.fromDate) st.fromDate = msToDateInput(res.from);
    if (!st.toDate) st.toDate = endToDateInput(res.to);
    syncControls();
    draw(res);
  }

  // ---- drawing ----
  function draw(res: HeatmapResult): void {
    loads++;
    panel.dataset.loads = String(loads);
    panel.dataset.days = String(res.days.length);
    panel.dataset.empty = String(res.empty);
    windowEl.textContent = `${windowText(res.from, res.to)} · ${res.days.length} days${res.timeZone ? ` · ${res.timeZone}` : ''}`;
    const busiest = res.days.reduce<HeatmapDay | null>((b, d) => (!b || dayValue(d, st.mode) > dayValue(b, st.mode) ? d : b), null);
    const stat = (key: string, label: string, value: string, title?: string) =>
      h('div', { class: 'mt-act-stat', 'data-stat': key, title: title ?? null }, h('div', { class: 'mt-act-stat-value' }, value), h('div', { class: 'mt-act-stat-label mt-muted' }, label));
    const pct = `${(res.coverage * 100).toFixed(res.coverage > 0 && res.coverage < 0.1 ? 1 : 0)}%`;
    const stats = [
      stat('runs', 'Runs', res.totalRuns.toLocaleString('en-US')),
      stat('activeDays', 'Active days', `${res.activeDays} / ${res.days.length}`),
      stat('coverage', 'Coverage', pct, 'Share of the days with at least one run'),
      stat('longestStreak', 'Longest streak', `${res.longestStreak} d`, 'Most consecutive active days'),
      stat('currentStreak', 'Current streak', `${res.currentStreak} d`, 'Active days up to today (or yesterday, when today is still idle)'),
    ];
    if (st.mode !== 'coverage' && busiest && dayValue(busiest, st.mode) > 0) {
      stats.push(stat('busiest', st.mode === 'runs' ? 'Busiest day' : 'Most experiments', `${dayValue(busiest, st.mode)} · ${busiest.date}`));
    }
    render(statsEl, ...stats);
    statsEl.classList.toggle('mt-act-coverage', st.mode === 'coverage');
    emptyEl.hidden = !res.empty;
    emptyEl.textContent = res.empty ? emptyText(res.from, res.to) : '';
    drawGrid(res.days);
    drawLegend(res.days);
  }

  function drawGrid(days: HeatmapDay[]): void {
    tip.hidden = true;
    if (days.length === 0) {
      gridEl.replaceChildren();
      return;
    }
    const lay = layoutHeatmap(days);
    const lv = levels(days, st.mode);
    const room = gridEl.clientWidth || 800;
    const CELL = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor((room - LEFT - 4) / Math.max(1, lay.weeks))));
    drawnFor = room;
    const width = LEFT + lay.weeks * CELL + 4;
    const height = TOP + 7 * CELL + 2;
    const root = svg('svg', { class: 'mt-act-svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'grid', 'aria-label': 'activity per day' });
    const frag = document.createDocumentFragment();
    for (const m of lay.months) frag.appendChild(svg('text', { class: 'mt-act-month', x: LEFT + m.col * CELL, y: TOP - 5 }, m.label));
    WEEKDAYS.forEach((w, row) => frag.appendChild(svg('text', { class: 'mt-act-weekday', x: LEFT - 4, y: TOP + row * CELL + (CELL - GAP) / 2, 'dominant-baseline': 'central' }, w)));
    for (const c of lay.cells) {
      const d = days[c.i]!;
      const rect = svg('rect', {
        class: `mt-act-cell mt-act-l${lv[c.i]}`, x: LEFT + c.col * CELL, y: TOP + c.row * CELL, width: CELL - GAP, height: CELL - GAP, rx: 2,
        'data-i': c.i, 'data-date': d.date, 'data-level': lv[c.i]!, 'data-runs': d.runs, 'data-failed': d.failed, 'data-experiments': d.experiments,
        role: 'gridcell', tabindex: -1,
      });
      rect.appendChild(svg('title', {}, dayTooltip(d)));
      frag.appendChild(rect);
    }
    root.appendChild(frag);
    gridEl.replaceChildren(root);
    gridEl.dataset.weeks = String(lay.weeks);
  }

  function drawLegend(days: HeatmapDay[]): void {
    const swatch = (level: number, title: string) => h('span', { class: `mt-act-swatch mt-act-l${level}`, title, 'data-level': String(level) });
    if (st.mode === 'coverage') {
      render(legendEl, swatch(0, 'No run'), h('span', null, 'Idle'), swatch(4, 'At least one run'), h('span', null, 'Active'));
      return;
    }
    const ranges = legendRanges(scaleOf(days.map((d) => dayValue(d, st.mode))));
    const unit = st.mode === 'runs' ? 'runs' : 'experiments';
    render(legendEl, h('span', { class: 'mt-muted' }, 'Less'), swatch(0, `0 ${unit}`),
      ...[1, 2, 3, 4].map((l) => swatch(l, ranges[l - 1] ? `${ranges[l - 1]} ${unit}` : '')),
      h('span', { class: 'mt-muted' }, 'More'));
  }

  // Redraw when the room for the grid changes enough to change the cell size.
  let drawnFor = 0;
  if (typeof ResizeObserver !== 'undefined') {
    const redraw = debounce(() => result && drawGrid(result.days), 100);
    new ResizeObserver(() => Math.abs(gridEl.clientWidth - drawnFor) > 20 && redraw()).observe(gridEl);
  }

  // ---- hover and click (delegated: one listener for every cell) ----
  const dayAt = (t: EventTarget | null): HeatmapDay | null => {
    const el = t instanceof Element ? t.closest('.mt-act-cell') : null;
    const i = el ? Number(el.getAttribute('data-i')) : NaN;
    return result && Number.isInteger(i) ? result.days[i] ?? null : null;
  };
  gridEl.addEventListener('mouseover', (e) => {
    const d = dayAt(e.target);
    if (!d) return void (tip.hidden = true);
    tip.textContent = dayTooltip(d);
    tip.dataset.date = d.date;
    tip.hidden = false;
    const r = (e.target as Element).getBoundingClientRect();
    const b = body.getBoundingClientRect();
    tip.style.left = `${Math.max(0, Math.min(r.left - b.left + body.scrollLeft + 16, body.clientWidth - tip.offsetWidth - 4))}px`;
    tip.style.top = `${r.top - b.top + body.scrollTop + 18}px`;
  });
  gridEl.addEventListener('mouseleave', () => (tip.hidden = true));
  gridEl.addEventListener('click', (e) => {
    const d = dayAt(e.target);
    if (!d) return;
    const me = e as MouseEvent;
    openRuns({ filter: dayFilter(d, st.user) }, { newTab: me.ctrlKey || me.metaKey });
  });

  // ---- toolbar events ----
  rangeSel.addEventListener('change', () => {
    st.range = rangeSel.value as ActivityRange;
    save();
    syncControls();
    void load();
  });
  const dateChanged = () => {
    st.fromDate = fromInput.value;
    st.toDate = toInput.value;
    save();
    if (st.fromDate && st.toDate) void load();
  };
  fromInput.addEventListener('change', dateChanged);
  toInput.addEventListener('change', dateChanged);
  userSel.addEventListener('change', () => {
    st.user = userSel.value || null;
    save();
    void load();
  });
  analyticsBtn.addEventListener('click', () => openAnalytics({}));

  // ---- live ----
  const live = coalescer(load, LIVE_MS);
  const usersLive = coalescer(loadUsers, LIVE_MS);
  onNotification('runs/changed', (p) => {
    // Metric points and tags do not change a day's numbers.
    if (p.kind === 'metrics' || p.kind === 'tags') return;
    live.trigger();
    if (p.kind === 'created') usersLive.trigger();
  });
  onReconnect(() => {
    void loadUsers();
    void load();
  });

  (globalThis as any).__mltrackActivity = { result: () => result, params };

  syncControls();
  fillUsers();
  void loadUsers();
  void load();
}
