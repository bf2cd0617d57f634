// The time-series analytics panel: runs started/finished/failed, compute hours, distinct experiments and users and a
// metric's best value per period, over a date range. The backend aggregates (analytics/timeSeries, in SQL): every
// change of the toolbar is ONE request. Drag over a chart to zoom (the sub-range is re-requested at a finer
// granularity); the CSV holds exactly the buckets and series shown. Live: reloads when runs change.
// Args: { preset?, metricKey? } (openAnalytics).
import uPlot from 'uplot';
import './analytics.css';
import type { ExperimentInfo, Granularity, RangePreset, TimeSeriesParams, TimeSeriesResult } from '../../../../extension/src/protocol';
import { rpc, RpcError, onNotification, onReconnect } from '../../transport';
import { loadState, saveState } from '../../state';
import { withAlpha } from '../../colors';
import { download, h, render } from '../../dom';
import { openActivity } from '../../nav';
import { applyTheme, onPreferences } from '../../preferences';
import { endToDateInput, localTimeZone, msToDateInput } from '../../range';
import { GRANULARITIES, PRESETS, emptyText, isPreset, windowText, rangeParams, zoomRange, type RangeChoice, type Zoom } from './range';
import { SERIES, chartsFor, formatTotal, granularityNoun, toCsv, type ChartDef, type SeriesDef } from './series';
import { coalescer } from './live';

interface AnalyticsState extends RangeChoice {
  granularity: Granularity | 'auto';
  metricKey: string | null;
  metricGoal: 'auto' | 'min' | 'max';
  experimentId: string | null;
  user: string | null;
  zoom: Zoom | null;
  /** The granularity chosen before zooming (a zoom asks for auto), restored by "Reset zoom". */
  granularityBeforeZoom: Granularity | 'auto' | null;
}

const CHART_H = 190;
const LIVE_MS = 1500;

export function mount(root: HTMLElement, args: any): void {
  applyTheme();
  const saved = loadState<Partial<AnalyticsState>>() ?? {};
  const st: AnalyticsState = {
    preset: isPreset(saved.preset) ? saved.preset : isPreset(args?.preset) ? args.preset : '30d',
    fromDate: typeof saved.fromDate === 'string' ? saved.fromDate : '',
    toDate: typeof saved.toDate === 'string' ? saved.toDate : '',
    granularity: GRANULARITIES.includes(saved.granularity as Granularity) ? saved.granularity! : 'auto',
    metricKey: saved.metricKey !== undefined ? saved.metricKey : typeof args?.metricKey === 'string' ? args.metricKey : null,
    metricGoal: saved.metricGoal === 'min' || saved.metricGoal === 'max' ? saved.metricGoal : 'auto',
    experimentId: saved.experimentId ?? null,
    user: saved.user ?? null,
    zoom: saved.zoom && Number.isFinite(saved.zoom.from) && Number.isFinite(saved.zoom.to) ? saved.zoom : null,
    granularityBeforeZoom: GRANULARITIES.includes(saved.granularityBeforeZoom as Granularity) ? saved.granularityBeforeZoom! : null,
  };
  const save = () => saveState(st);
  const timeZone = localTimeZone();

  let result: TimeSeriesResult | null = null; // the last good answer
  let plots: { def: ChartDef; u: uPlot; card: HTMLElement }[] = [];
  let loadSeq = 0;
  let loads = 0;

  // ---- toolbar ----
  const presetSel = h('select', { class: 'mt-an-preset', 'aria-label': 'date range' },
    ...PRESETS.map((p) => h('option', { value: p.value }, p.label)));
  const fromInput = h('input', { type: 'date', class: 'mt-an-from', 'aria-label': 'from (inclusive)' });
  const toInput = h('input', { type: 'date', class: 'mt-an-to', 'aria-label': 'to (inclusive)' });
  const customBox = h('span', { class: 'mt-an-custom' }, fromInput, '–', toInput);
  const granSel = h('select', { class: 'mt-an-granularity', 'aria-label': 'granularity' },
    ...GRANULARITIES.map((g) => h('option', { value: g }, g === 'auto' ? 'Auto' : `By ${g}`)));
  const expSel = h('select', { class: 'mt-an-experiment', 'aria-label': 'experiment' });
  const userSel = h('select', { class: 'mt-an-user', 'aria-label': 'user' });
  const metricSel = h('select', { class: 'mt-an-metric', 'aria-label': 'metric' });
  const goalSel = h('select', { class: 'mt-an-goal', 'aria-label': 'metric goal' },
    h('option', { value: 'auto' }, 'Goal: auto'), h('option', { value: 'min' }, 'Lower is better'), h('option', { value: 'max' }, 'Higher is better'));
  const resetZoomBtn = h('button', { class: 'mt-secondary mt-an-reset-zoom', title: 'Back to the whole range' }, 'Reset zoom');
  const csvBtn = h('button', { class: 'mt-secondary mt-an-csv', title: 'Export the shown periods and series as CSV' }, 'CSV');
  const activityBtn = h('button', { class: 'mt-secondary mt-an-activity', title: 'Open the activity heatmap' }, 'Activity');
  const toolbar = h('div', { class: 'mt-toolbar mt-an-toolbar' },
    h('label', null, 'Range', presetSel), customBox, granSel,
    h('label', null, 'Experiment', expSel), h('label', null, 'User', userSel),
    h('label', null, 'Metric', metricSel), goalSel,
    h('span', { class: 'mt-spacer' }), resetZoomBtn, csvBtn, activityBtn);

  // ---- body ----
  const errorBox = h('div', { class: 'mt-error-box mt-an-error', role: 'alert', hidden: true });
  const windowEl = h('div', { class: 'mt-an-window mt-muted' });
  const noteEl = h('div', { class: 'mt-an-note', role: 'note', hidden: true });
  const totalsEl = h('div', { class: 'mt-an-totals' });
  const emptyEl = h('div', { class: 'mt-message mt-an-empty', role: 'status', hidden: true });
  const chartsEl = h('div', { class: 'mt-an-charts' });
  const statusEl = h('div', { class: 'mt-message mt-loading mt-an-loading' }, 'Loading…');
  const scroller = h('div', { class: 'mt-an-body' }, errorBox, windowEl, noteEl, totalsEl, emptyEl, statusEl, chartsEl);
  const panel = h('div', { class: 'mt-an', 'data-buckets': '0', 'data-loads': '0' }, toolbar, scroller);
  root.replaceChildren(panel);

  function syncControls(): void {
    presetSel.value = st.preset ?? '30d';
    customBox.hidden = st.preset !== 'custom';
    fromInput.value = st.fromDate;
    toInput.value = st.toDate;
    granSel.value = st.granularity;
    goalSel.value = st.metricGoal;
    goalSel.disabled = !st.metricKey;
    resetZoomBtn.hidden = !st.zoom;
    csvBtn.disabled = !result;
  }

  // ---- pickers (experiments/list, analytics/facets) ----
  function fillSelect(sel: HTMLSelectElement, allLabel: string, options: { value: string; label: string }[], value: string | null): void {
    const opts = [...options];
    // A saved choice no longer offered stays selectable (the data may come back).
    if (value && !opts.some((o) => o.value === value)) opts.push({ value, label: value });
    render(sel, h('option', { value: '' }, allLabel), ...opts.map((o) => h('option', { value: o.value }, o.label)));
    sel.value = value ?? '';
  }
  let experiments: ExperimentInfo[] = [];
  let users: string[] = [];
  let metricKeys: string[] = [];
  const fillPickers = () => {
    fillSelect(expSel, 'All', experiments.map((e) => ({ value: e.experimentId, label: e.name })), st.experimentId);
    fillSelect(userSel, 'All', users.map((u) => ({ value: u, label: u })), st.user);
    fillSelect(metricSel, 'None', metricKeys.map((k) => ({ value: k, label: k })), st.metricKey);
  };
  async function loadPickers(): Promise<void> {
    const [exps, facets] = await Promise.all([
      rpc('experiments/list', {}).catch(() => experiments),
      rpc('analytics/facets', undefined).catch(() => ({ users, metricKeys })),
    ]);
    experiments = [...exps].sort((a, b) => a.name.localeCompare(b.name));
    users = facets.users;
    metricKeys = facets.metricKeys;
    fillPickers();
  }

  // ---- data ----
  function params(): TimeSeriesParams {
    return {
      ...rangeParams(st, st.zoom, timeZone),
      granularity: st.granularity === 'auto' ? null : st.granularity,
      experimentIds: st.experimentId ? [st.experimentId] : null,
      user: st.user,
      metricKey: st.metricKey,
      metricGoal: st.metricKey && st.metricGoal !== 'auto' ? st.metricGoal : null,
    };
  }

  /** One analytics/timeSeries call; a newer call wins; an error keeps the last good data on screen. */
  async function load(): Promise<void> {
    const seq = ++loadSeq;
    statusEl.hidden = !!result;
    panel.dataset.loading = 'true';
    let res: TimeSeriesResult;
    try {
      res = await rpc('analytics/timeSeries', params());
    } catch (e) {
      if (seq !== loadSeq) return;
      delete panel.dataset.loading;
      statusEl.hidden = true;
      showError(e);
      return;
    }
    if (seq !== loadSeq) return;
    delete panel.dataset.loading;
    statusEl.hidden = true;
    errorBox.hidden = true;
    delete panel.dataset.error;
    result = res;
    show(res);
  }

  function showError(e: unknown): void {
    const text = e instanceof RpcError && e.code === -1
      ? 'The backend is unreachable; the data shown is from before.'
      : `${(e as Error).message ?? e}${result ? '\n(showing the last good result)' : ''}`;
    errorBox.textContent = text;
    errorBox.hidden = false;
    panel.dataset.error = 'true';
  }

  function show(res: TimeSeriesResult): void {
    loads++;
    panel.dataset.loads = String(loads);
    panel.dataset.buckets = String(res.buckets.length);
    panel.dataset.granularity = res.granularity;
    panel.dataset.empty = String(res.empty);
    panel.dataset.from = String(res.from);
    panel.dataset.to = String(res.to);
    // Custom range: start from the window on screen when the user switches to it.
    if (!st.fromDate) st.fromDate = msToDateInput(res.from);
    if (!st.toDate) st.toDate = endToDateInput(res.to);
    syncControls();
    windowEl.textContent = `${windowText(res.from, res.to)} · by ${res.granularity} · `
      + `${res.buckets.length} period${res.buckets.length === 1 ? '' : 's'}${st.zoom ? ' · zoomed' : ''}${res.timeZone ? ` · ${res.timeZone}` : ''}`;
    noteEl.textContent = res.note ?? '';
    noteEl.hidden = !res.note;
    const totals: { id: keyof typeof SERIES; label: string }[] = [
      { id: 'runsStarted', label: 'Runs started' }, { id: 'runsFinished', label: 'Finished' }, { id: 'runsFailed', label: 'Failed' },
      { id: 'computeHours', label: 'Compute hours' }, { id: 'experiments', label: 'Experiments' }, { id: 'users', label: 'Users' },
    ];
    render(totalsEl, ...totals.map((t) => h('div', { class: 'mt-an-total', 'data-total': t.id },
      h('div', { class: 'mt-an-total-value' }, formatTotal(t.id, res.totals[t.id])),
      h('div', { class: 'mt-an-total-label mt-muted' }, t.label))));
    emptyEl.hidden = !res.empty;
    emptyEl.textContent = res.empty ? emptyText(res.from, res.to) : '';
    drawCharts(res);
  }

  // ---- charts ----
  // Plots follow their card's width (window resize, the grid reflowing).
  const resizer = typeof ResizeObserver !== 'undefined'
    ? new ResizeObserver((entries) => {
        for (const e of entries) {
          const p = plots.find((x) => x.card === e.target);
          const w = Math.floor((p?.card.querySelector('.mt-an-plot') as HTMLElement | null)?.clientWidth ?? 0);
          if (p && w >= 200 && Math.abs(w - p.u.width) > 1) p.u.setSize({ width: w, height: CHART_H });
        }
      })
    : null;
  function destroyPlots(): void {
    for (const p of plots) {
      resizer?.unobserve(p.card);
      p.u.destroy();
    }
    plots = [];
  }

  function drawCharts(res: TimeSeriesResult): void {
    destroyPlots();
    chartsEl.replaceChildren();
    if (res.empty) return;
    const defs = chartsFor(granularityNoun(res.granularity), res.metricKey, res.metricGoal);
    const labels = res.buckets.map((b) => b.label);
    // Every card first, then the plots: a card's width depends on how many share the grid's row.
    const cards = defs.map((def) => {
      const plotEl = h('div', { class: 'mt-an-plot' });
      const card = h('div', { class: 'mt-an-chart', 'data-chart': def.id }, h('div', { class: 'mt-an-chart-title' }, def.title), plotEl);
      chartsEl.appendChild(card);
      return { def, card, plotEl };
    });
    const x = res.buckets.map((_, i) => i);
    for (const { def, card, plotEl } of cards) {
      const data: uPlot.AlignedData = [x, ...def.series.map((s) => res.buckets.map((b) => s.value(b)))];
      const u = new uPlot(plotOptions(def, labels, Math.max(200, plotEl.clientWidth || 600)), data, plotEl);
      plots.push({ def, u, card });
      resizer?.observe(card);
      card.dataset.points = String(res.buckets.length);
      card.dataset.drawn = String(loads);
    }
  }

  function plotOptions(def: ChartDef, labels: string[], width: number): uPlot.Options {
    const css = getComputedStyle(document.body);
    const fg = css.getPropertyValue('--mt-fg').trim() || '#888';
    const grid = css.getPropertyValue('--mt-grid').trim() || 'rgba(128,128,128,0.15)';
    const n = labels.length;
    const bars = def.series.filter((s) => s.kind === 'bars').length;
    let barIdx = 0;
    const series: uPlot.Series[] = [
      { label: 'Period', value: (_u, v) => (v === null || v === undefined ? '' : labels[Math.round(v)] ?? '') },
      ...def.series.map((s): uPlot.Series => {
        const fmt = (_u: uPlot, v: number | null) => (v === null || v === undefined ? '–' : s.id === 'computeHours' || s.id === 'metricBest' ? String(Number(v.toPrecision(5))) : String(v));
        if (s.kind === 'bars') {
          // Nested bars (widest first) so a period's started/finished/failed read at a glance.
          const size = 0.85 - 0.25 * barIdx++;
          return { label: s.label, stroke: s.color, fill: withAlpha(s.color, bars > 1 ? 0.55 : 0.7), width: 1, value: fmt,
            paths: uPlot.paths.bars!({ size: [size, 80], align: 0 }), points: { show: false } };
        }
        return { label: s.label, stroke: s.color, width: 2, value: fmt, spanGaps: false, points: { show: n <= 120, size: 5 } };
      }),
    ];
    return {
      width,
      height: CHART_H,
      series,
      legend: { show: true, live: true },
      scales: {
        x: { time: false, range: () => [-0.5, Math.max(0.5, n - 0.5)] },
        y: def.fromZero ? { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } : {},
      },
      axes: [
        {
          stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 },
          space: Math.max(40, Math.min(110, 7 * Math.max(...labels.map((l) => l.length), 4))),
          incrs: [1, 2, 3, 4, 6, 7, 12, 14, 24, 28, 48, 52, 100, 200, 500, 1000],
          values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? labels[v] ?? '' : '')),
        },
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, size: 56,
          values: (_u, v) => v.map((x) => (x === null ? '' : String(Number(x.toPrecision(4))))) },
      ],
      cursor: { drag: { x: true, y: false, setScale: false }, sync: { key: 'mt-analytics' }, points: { show: false } },
      hooks: {
        setSelect: [(u) => {
          if (u.select.width < 3 || !result) return;
          const a = u.posToVal(u.select.left, 'x'), b = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          const z = zoomRange(result.buckets, a, b);
          if (z) zoomTo(z);
        }],
      },
    };
  }


  // ---- export ----
  /** The shown series, in chart order (a series hidden from its chart's legend is not shown). */
  function shownSeries(): SeriesDef[] {
    const out: SeriesDef[] = [];
    for (const p of plots) p.def.series.forEach((s, i) => p.u.series[i + 1]?.show !== false && out.push(s));
    return out;
  }
  function csv(): string {
    if (!result) return '';
    // An empty window draws no chart, but its (zero) periods are what the panel reports.
    const series = result.empty ? chartsFor('period', result.metricKey, result.metricGoal).flatMap((c) => c.series) : shownSeries();
    return toCsv(result.buckets, series);
  }
  csvBtn.addEventListener('click', () => {
    if (!result) return;
    download(`analytics_${msToDateInput(result.from)}_${endToDateInput(result.to)}.csv`, csv(), 'text/csv');
  });

  // ---- interaction ----
  const changed = (clearZoom: boolean) => {
    if (clearZoom) {
      st.zoom = null;
      st.granularityBeforeZoom = null;
    }
    save();
    syncControls();
    void load();
  };
  function zoomTo(z: Zoom): void {
    if (!st.zoom) st.granularityBeforeZoom = st.granularity;
    st.zoom = z;
    st.granularity = 'auto';
    changed(false);
  }
  presetSel.addEventListener('change', () => {
    st.preset = presetSel.value as RangePreset;
    if (st.preset === 'custom' && result && !st.fromDate) {
      st.fromDate = msToDateInput(result.from);
      st.toDate = endToDateInput(result.to);
    }
    changed(true);
  });
  const dateChanged = () => {
    st.fromDate = fromInput.value;
    st.toDate = toInput.value;
    // Wait for both dates; the backend explains a range that makes no sense (from after to).
    if (st.fromDate && st.toDate) changed(true);
    else save();
  };
  fromInput.addEventListener('change', dateChanged);
  toInput.addEventListener('change', dateChanged);
  granSel.addEventListener('change', () => {
    st.granularity = granSel.value as AnalyticsState['granularity'];
    changed(false);
  });
  expSel.addEventListener('change', () => {
    st.experimentId = expSel.value || null;
    changed(false);
  });
  userSel.addEventListener('change', () => {
    st.user = userSel.value || null;
    changed(false);
  });
  metricSel.addEventListener('change', () => {
    st.metricKey = metricSel.value || null;
    changed(false);
  });
  goalSel.addEventListener('change', () => {
    st.metricGoal = goalSel.value as AnalyticsState['metricGoal'];
    changed(false);
  });
  resetZoomBtn.addEventListener('click', () => {
    if (st.granularityBeforeZoom) st.granularity = st.granularityBeforeZoom;
    changed(true);
  });
  activityBtn.addEventListener('click', () => openActivity(st.user ? { user: st.user } : {}));

  // ---- live ----
  const live = coalescer(load, LIVE_MS);
  const pickersLive = coalescer(loadPickers, LIVE_MS);
  onNotification('runs/changed', (p) => {
    // Metric points only move the chosen metric's best; tags change nothing shown here.
    if (p.kind === 'tags') return;
    if (p.kind === 'metrics' && !(st.metricKey && p.metrics && st.metricKey in p.metrics)) return;
    live.trigger();
    if (p.kind === 'created') pickersLive.trigger();
  });
  // The series first, the pickers after it: on a big store experiments/list would otherwise compete with the
  // query the user is waiting for.
  const loadAll = () => void load().finally(() => void loadPickers());
  onReconnect(loadAll);
  // Axis colours come from the theme when a plot is made: redraw when it changes (the preference, or the system's
  // scheme that "auto" follows).
  onPreferences((_p, c) => c.changed.includes('theme') && result && drawCharts(result));
  globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => result && drawCharts(result));

  (globalThis as any).__mltrackAnalytics = { csv, result: () => result, params };

  syncControls();
  fillPickers();
  loadAll();
}
