// The metric chart grid: one uPlot chart per metric key, each overlaying any number of runs (no cap), in the runs'
// stable colours. Every chart asks for a bucketed view (min/max/last per bucket, about one bucket per pixel) of the
// visible step range and asks again on zoom, so any history length draws at full fidelity: metrics/history for one
// run, one metrics/historyMany for all the overlaid runs (browsers run only 6 requests at a time).
// Embeddable: mountChartGrid(el, {runIds, keys?}) is used by the charts, compare and run panels.
import uPlot from 'uplot';
import './charts.css';
import type { JsonDouble, MetricHistoryParams, MetricHistoryResult, RunRow, RunStatus } from '../../../../extension/src/protocol';
import { rpc, onNotification, onReconnect } from '../../transport';
import { debouncedSaver, loadState } from '../../state';
import { runColors, withAlpha } from '../../colors';
import { applyTheme, currentPreferences, onPreferences } from '../../preferences';
import { debounce, download, formatTime, formatValue, h, message, render, shortId } from '../../dom';
import { openRun } from '../../nav';
import {
  align, clippedRange, ema, fromHistory, historiesOf, indexRange, interpolate, nearestIndex, stepAt, toCsv, toSvg, xValues,
  type RunSeries, type TimeAnchors, type XMode, type Y,
} from './series';

export interface ChartGridOptions {
  runIds: string[];
  /** Metric keys to chart, in order; default: every key any of the runs logged. */
  keys?: string[];
  /** State slice name (default "charts"), so an embedding panel keeps its own zoom and settings. */
  scope?: string;
  /** Show the toolbar (x axis, smoothing, log, clipping, key filter); default true. */
  toolbar?: boolean;
  /** Chart height in CSS pixels (default 260). */
  height?: number;
  /** Initial x axis when no state is saved (default: the chart x-axis preference). */
  xAxis?: XMode;
}

export interface ChartGrid {
  setRuns(runIds: string[]): void;
  setKeys(keys: string[] | undefined): void;
  /** Re-reads the runs and every chart's data. */
  refresh(): void;
  destroy(): void;
}

interface GridState {
  xMode: XMode;
  smoothing: number;
  log: boolean;
  /** Outlier clipping in percent at each end (0 = off). */
  clip: number;
  /** Zoom per key, in steps. */
  zoom: Record<string, [number, number]>;
  hidden: string[];
  filter: string;
}

interface RunInfo {
  runId: string;
  name: string;
  status: RunStatus;
  startTime: number;
  color: string;
  /** Latest value of each metric key (runs/list). */
  latest: Record<string, JsonDouble>;
}

const FULL_ID = /^[0-9a-f]{32}$/i;

/** The rows of the given runs in one runs/list call (IN filter; any view), plus runs/get for id prefixes. */
export async function fetchRunRows(ids: string[]): Promise<Map<string, RunRow>> {
  const out = new Map<string, RunRow>();
  const full = ids.filter((id) => FULL_ID.test(id));
  for (let i = 0; i < full.length; i += 500) {
    const chunk = full.slice(i, i + 500);
    const res = await rpc('runs/list', { filter: `attributes.run_id IN (${chunk.map((id) => `'${id.toLowerCase()}'`).join(', ')})`, maxResults: chunk.length, view: 'all' });
    for (const r of res.runs) out.set(r.runId, r);
  }
  await Promise.all(ids.filter((id) => !FULL_ID.test(id)).map(async (id) => {
    try {
      const d = await rpc('runs/get', { runId: id });
      out.set(id, { ...d, metrics: Object.fromEntries(d.metrics.map((m) => [m.key, m.latest])) });
    } catch {
      /* reported as missing */
    }
  }));
  return out;
}

/** Series up to this many points are fetched raw (exact timestamps) rather than bucketed. */
const RAW_LIMIT_TIME = 20000;
const ANCHORS = 16;
/** Runs per metrics/historyMany call (the backend's limit). */
const MANY_LIMIT = 500;

type HistoryQuery = Omit<MetricHistoryParams, 'runId' | 'key'>;

/** One key's history for several runs (see historiesOf): metrics/history for one run, metrics/historyMany for more. */
function histories(ids: string[], key: string, q: HistoryQuery): Promise<(MetricHistoryResult | Error)[]> {
  return historiesOf(ids, key,
    (runId) => rpc('metrics/history', { runId, key, ...q }),
    (runIds) => rpc('metrics/historyMany', { runIds, key, ...q }),
    MANY_LIMIT);
}

let gridSeq = 0;

export function mountChartGrid(el: HTMLElement, opts: ChartGridOptions): ChartGrid {
  const scope = opts.scope ?? 'charts';
  applyTheme();
  const saved = loadState<Partial<GridState>>(scope) ?? {};
  const prefs = currentPreferences();
  const st: GridState = {
    xMode: saved.xMode ?? opts.xAxis ?? prefs.chartXAxis,
    smoothing: saved.smoothing ?? prefs.chartSmoothing,
    log: saved.log ?? false,
    clip: saved.clip ?? 0,
    zoom: saved.zoom ?? {},
    hidden: saved.hidden ?? [],
    filter: saved.filter ?? '',
  };
  const saver = debouncedSaver<GridState>(scope, 150);
  const save = () => saver(st);
  const height = opts.height ?? 260;
  let runIds = [...new Set(opts.runIds)];
  let keysOpt = opts.keys;
  let runs = new Map<string, RunInfo>();
  let missing: string[] = [];
  const charts = new Map<string, Chart>();
  let destroyed = false;
  const gid = ++gridSeq;

  const root = h('div', { class: 'mt-charts', 'data-grid': String(gid) });
  const status = h('div', { class: 'mt-charts-status' });
  const gridEl = h('div', { class: 'mt-chart-grid' });
  el.appendChild(root);

  // ---- toolbar ----
  const xSel = h('select', { 'aria-label': 'x axis', class: 'mt-x-axis' },
    h('option', { value: 'step' }, 'Step'), h('option', { value: 'wall' }, 'Wall time'), h('option', { value: 'relative' }, 'Relative time'));
  xSel.value = st.xMode;
  // Controls the user set in this grid (or its saved state) win over the preferences' first answer (see below).
  const ownChoice = new Set<'xMode' | 'smoothing'>();
  if (saved.xMode !== undefined || opts.xAxis !== undefined) ownChoice.add('xMode');
  if (saved.smoothing !== undefined) ownChoice.add('smoothing');
  const setXMode = (x: XMode) => {
    st.xMode = x;
    xSel.value = x;
    save();
    for (const c of charts.values()) c.reload();
  };
  xSel.addEventListener('change', () => {
    ownChoice.add('xMode');
    setXMode(xSel.value as XMode);
  });
  const smooth = h('input', { type: 'range', min: '0', max: '0.99', step: '0.01', class: 'mt-smoothing', 'aria-label': 'smoothing' });
  smooth.value = String(st.smoothing);
  const smoothVal = h('span', { class: 'mt-smoothing-value' }, st.smoothing.toFixed(2));
  const setSmoothing = (v: number) => {
    st.smoothing = v;
    smooth.value = String(v);
    smoothVal.textContent = v.toFixed(2);
    save();
    redrawAll();
  };
  smooth.addEventListener('input', () => {
    ownChoice.add('smoothing');
    setSmoothing(Number(smooth.value));
  });
  const logBox = h('input', { type: 'checkbox', class: 'mt-log', checked: st.log });
  logBox.addEventListener('change', () => {
    st.log = logBox.checked;
    save();
    for (const c of charts.values()) c.rebuild();
  });
  const clipSel = h('select', { class: 'mt-clip', 'aria-label': 'outlier clipping' },
    ...[0, 0.5, 1, 2, 5].map((p) => h('option', { value: String(p) }, p === 0 ? 'No clipping' : `Clip ${p}% outliers`)));
  clipSel.value = String(st.clip);
  clipSel.addEventListener('change', () => {
    st.clip = Number(clipSel.value);
    save();
    redrawAll();
  });
  const filterBox = h('input', { type: 'search', placeholder: 'Filter metrics', class: 'mt-key-filter', value: st.filter });
  filterBox.addEventListener('input', debounce(() => {
    st.filter = filterBox.value;
    save();
    layout();
  }, 150));
  const resetBtn = h('button', { class: 'mt-secondary', title: 'Reset the zoom of every chart' }, 'Reset zoom');
  resetBtn.addEventListener('click', () => {
    st.zoom = {};
    save();
    for (const c of charts.values()) c.setZoom(null);
  });
  if (opts.toolbar !== false) {
    root.appendChild(h('div', { class: 'mt-toolbar mt-charts-toolbar' },
      h('label', null, 'X', xSel),
      h('label', { title: 'Exponential moving average weight' }, 'Smoothing', smooth, smoothVal),
      h('label', null, logBox, 'Log scale'),
      clipSel,
      filterBox,
      h('span', { class: 'mt-spacer' }),
      resetBtn));
  }
  root.append(status, gridEl);

  const redrawAll = () => {
    for (const c of charts.values()) c.rebuild();
  };

  // ---- preferences, live: a change made in the settings (or another window) applies here without a reload ----
  const offPrefs = onPreferences((p, change) => {
    const has = (k: string) => change.changed.includes(k as never);
    // The browser's first answer replaces the defaults the grid started with, except where the user already chose.
    if (has('chartXAxis') && !(change.initial && ownChoice.has('xMode')) && p.chartXAxis !== st.xMode) setXMode(p.chartXAxis);
    if (has('chartSmoothing') && !(change.initial && ownChoice.has('smoothing')) && p.chartSmoothing !== st.smoothing) setSmoothing(p.chartSmoothing);
    if (has('runColors')) {
      const colors = runColors(runIds);
      for (const r of runs.values()) r.color = colors.get(r.runId) ?? r.color;
      redrawAll();
    }
    // Axis and grid colours are read from the theme when a plot is created.
    if (has('theme')) for (const c of charts.values()) c.recreate();
  });

  // ---- lazy creation of uPlot instances (only cards near the viewport get one) ----
  const io = typeof IntersectionObserver !== 'undefined'
    ? new IntersectionObserver((entries) => {
        for (const e of entries) {
          const c = charts.get((e.target as HTMLElement).dataset.key!);
          if (c) c.setVisible(e.isIntersecting);
        }
      }, { rootMargin: '400px 0px' })
    : null;
  const ro = typeof ResizeObserver !== 'undefined'
    ? new ResizeObserver((entries) => {
        for (const e of entries) charts.get((e.target as HTMLElement).dataset.key!)?.resize();
      })
    : null;

  // ---- data ----
  async function loadRuns(): Promise<void> {
    render(status, message(runIds.length ? 'Loading runs…' : 'No runs selected.', runIds.length ? 'loading' : 'info'));
    const colors = runColors(runIds);
    const found = await fetchRunRows(runIds);
    if (destroyed) return;
    const next = new Map<string, RunInfo>();
    missing = [];
    for (const id of runIds) {
      const rd = found.get(id) ?? found.get(id.toLowerCase());
      if (!rd) {
        missing.push(`Run ${shortId(id)} no longer exists.`);
        continue;
      }
      if (rd.lifecycleStage === 'deleted') {
        missing.push(`Run ${rd.name || shortId(id)} was deleted.`);
        continue;
      }
      next.set(rd.runId, {
        runId: rd.runId, name: rd.name || shortId(rd.runId), status: rd.status, startTime: rd.startTime, color: colors.get(id)!,
        latest: { ...rd.metrics },
      });
    }
    runs = next;
    layout();
  }

  function allKeys(): string[] {
    if (keysOpt) return keysOpt;
    const set = new Set<string>();
    for (const r of runs.values()) for (const k in r.latest) set.add(k);
    const sys = (k: string) => (k.startsWith('system/') ? 1 : 0);
    return [...set].sort((a, b) => sys(a) - sys(b) || a.localeCompare(b));
  }

  function layout(): void {
    const f = st.filter.trim().toLowerCase();
    const keys = allKeys().filter((k) => !f || k.toLowerCase().includes(f));
    const notes = [...missing];
    if (runs.size === 0 && runIds.length > 0 && missing.length === runIds.length) notes.push('Nothing to chart.');
    else if (keys.length === 0) notes.push(runs.size ? 'No metrics logged yet.' : runIds.length ? '' : 'No runs selected.');
    render(status, ...notes.filter(Boolean).map((n) => message(n, /no longer|deleted/.test(n) ? 'error' : 'info')));
    for (const [k, c] of charts)
      if (!keys.includes(k)) {
        c.destroy();
        charts.delete(k);
      }
    const frag: HTMLElement[] = [];
    for (const k of keys) {
      let c = charts.get(k);
      if (!c) {
        c = new Chart(k);
        charts.set(k, c);
      } else c.runsChanged();
      frag.push(c.card);
    }
    // Reorder without detaching unchanged cards.
    frag.forEach((card, i) => {
      if (gridEl.children[i] !== card) gridEl.insertBefore(card, gridEl.children[i] ?? null);
    });
  }

  // ---- one chart ----
  class Chart {
    readonly card: HTMLElement;
    private plotEl: HTMLElement;
    private legendEl: HTMLElement;
    private tip: HTMLElement;
    private noteEl: HTMLElement;
    private u: uPlot | null = null;
    private sig = '';
    private visible = false;
    private data = new Map<string, { series: RunSeries; anchors?: TimeAnchors; x: number[] }>();
    private loadSeq = 0;
    private pendingRun = new Set<string>();
    private liveTimer: ReturnType<typeof setTimeout> | undefined;
    /** x values per uPlot series index (for the y range and the tooltip). */
    private plotted: { runId: string; x: number[]; y: Y[]; role: 'line' | 'raw' | 'min' | 'max' }[] = [];
    private loaded = false;
    reqStart = 0;
    respAt = 0;

    constructor(readonly key: string) {
      this.plotEl = h('div', { class: 'mt-chart-plot' });
      this.legendEl = h('div', { class: 'mt-chart-legend' });
      this.tip = h('div', { class: 'mt-chart-tip', hidden: true });
      this.noteEl = h('span', { class: 'mt-chart-note mt-muted' });
      const btn = (label: string, title: string, fn: () => void) => h('button', { class: 'mt-icon', title, onclick: fn }, label);
      this.card = h('div', { class: 'mt-chart', 'data-key': key },
        h('div', { class: 'mt-chart-head' },
          h('span', { class: 'mt-chart-title', title: key }, key),
          this.noteEl,
          h('span', { class: 'mt-spacer' }),
          btn('CSV', 'Export the visible data as CSV', () => this.exportCsv()),
          btn('PNG', 'Export the chart as PNG', () => this.exportPng()),
          btn('SVG', 'Export the chart as SVG', () => this.exportSvg()),
          btn('⟲', 'Reset zoom (or double-click the chart)', () => this.setZoom(null))),
        this.plotEl, this.legendEl, this.tip);
      this.plotEl.style.height = `${height}px`;
      io ? io.observe(this.card) : this.setVisible(true);
      ro?.observe(this.card);
    }

    private width(): number {
      return Math.max(200, Math.floor(this.plotEl.clientWidth || this.card.clientWidth || 600));
    }

    setVisible(v: boolean): void {
      this.visible = v;
      if (v && !this.loaded) this.reload();
    }

    resize(): void {
      if (this.u) {
        const w = this.width();
        if (Math.abs(w - this.u.width) > 1) this.u.setSize({ width: w, height });
      }
    }

    runsChanged(): void {
      if (this.loaded) this.reload();
    }

    /** Runs that have this key. */
    private runsWithKey(): RunInfo[] {
      return [...runs.values()].filter((r) => this.key in r.latest);
    }

    /** Step range of the zoom for one run (the zoom is kept in steps). */
    private zoomSteps(): [number, number] | null {
      return st.zoom[this.key] ?? null;
    }

    /** Fetches every run's data for the current zoom. */
    reload(onlyRun?: string): void {
      if (!this.visible) {
        this.loaded = false;
        return;
      }
      this.loaded = true;
      const seq = ++this.loadSeq;
      const list = this.runsWithKey().filter((r) => !onlyRun || r.runId === onlyRun);
      if (!onlyRun) for (const id of [...this.data.keys()]) if (!runs.has(id)) this.data.delete(id);
      this.reqStart = performance.now();
      if (list.length === 0) {
        this.rebuild();
        return;
      }
      this.noteEl.textContent = 'loading…';
      this.fetchRuns(list).then((errs) => {
        if (destroyed || seq !== this.loadSeq) return;
        this.respAt = performance.now();
        this.noteEl.textContent = errs.length ? `${errs.length} run(s) failed: ${errs[0]!.message}` : '';
        this.rebuild();
      });
    }

    /**
     * Fetches the runs' data for the current zoom, all runs in one request per stage (see histories): on time axes
     * raw points when short enough; with many runs overlaid raw points when they fit the width; else buckets.
     * Resolves with the errors of the runs that failed (their previous data stays).
     */
    private async fetchRuns(list: RunInfo[]): Promise<Error[]> {
      const z = this.zoomSteps();
      const width = this.width();
      const from = z ? Math.floor(z[0]) : null, to = z ? Math.ceil(z[1]) : null;
      const errors: Error[] = [];
      const got: { r: RunInfo; series: RunSeries }[] = [];
      let pending = list;
      /** Asks for the pending runs; keeps the answers `accept` turns into a series, the others stay pending. */
      const ask = async (q: HistoryQuery, accept: (res: MetricHistoryResult) => RunSeries | null) => {
        if (pending.length === 0) return;
        const answers = await histories(pending.map((r) => r.runId), this.key, q);
        const rest: RunInfo[] = [];
        pending.forEach((r, i) => {
          const a = answers[i];
          if (!a || a instanceof Error) {
            errors.push(a ?? new Error(`no answer for run ${shortId(r.runId)}`));
            return;
          }
          const series = accept(a);
          if (series) got.push({ r, series });
          else rest.push(r);
        });
        pending = rest;
      };
      // Time axes want timestamps: raw points when the series is short enough; else buckets mapped through anchors.
      if (st.xMode !== 'step' && !z) await ask({ maxPoints: RAW_LIMIT_TIME }, (res) => (res.truncated ? null : fromHistory(res)));
      // Many runs overlaid: most series are short; raw points are a third of the bytes of one-point buckets.
      if (!z && this.runsWithKey().length > 4) await ask({ maxPoints: width }, (res) => (res.truncated ? null : fromHistory(res)));
      // One bucket per pixel of the visible range: min/max envelope + last value (exact where zoomed in).
      await ask({ fromStep: from, toStep: to, buckets: width }, (res) => fromHistory(res, from, to));
      await Promise.all(got.map(async ({ r, series }) => {
        try {
          let anchors: TimeAnchors | undefined;
          if (st.xMode !== 'step' && !series.times) anchors = await this.fetchAnchors(r, series);
          const x = xValues(series, st.xMode, r.startTime, anchors);
          this.data.set(r.runId, { series, anchors, x });
        } catch (e) {
          errors.push(e as Error);
        }
      }));
      return errors;
    }

    /** Step→time anchors for a bucketed series (time axes): the first point at each of ANCHORS+1 steps. */
    private async fetchAnchors(r: RunInfo, s: RunSeries): Promise<TimeAnchors> {
      const prev = this.data.get(r.runId)?.anchors;
      const first = s.steps[0] ?? 0;
      const last = s.steps[s.steps.length - 1] ?? 0;
      if (prev && prev.steps.length > 1 && prev.steps[0]! <= first && prev.steps[prev.steps.length - 1]! >= last) return prev;
      const steps = new Set<number>();
      for (let i = 0; i <= ANCHORS; i++) steps.add(Math.round(first + ((last - first) * i) / ANCHORS));
      const pts = await Promise.all([...steps].map((st0) => rpc('metrics/history', { runId: r.runId, key: this.key, fromStep: st0, maxPoints: 1 })));
      const a: TimeAnchors = { steps: [], times: [] };
      for (const p of pts) {
        const pt = p.points?.[0];
        if (pt && (a.steps.length === 0 || pt.step > a.steps[a.steps.length - 1]!)) {
          a.steps.push(pt.step);
          a.times.push(pt.timestamp);
        }
      }
      return a;
    }

    /** Live append: the run logged new points; re-read its visible range (at most once a second). */
    liveUpdate(runId: string): void {
      if (!this.loaded || !this.visible) return;
      const z = this.zoomSteps();
      const d = this.data.get(runId);
      // Zoomed onto an earlier stretch: new points at the end are not in view.
      if (z && d && d.series.steps.length > 0 && d.series.steps[d.series.steps.length - 1]! > z[1]) return;
      this.pendingRun.add(runId);
      if (this.liveTimer) return;
      this.liveTimer = setTimeout(() => {
        this.liveTimer = undefined;
        const ids = [...this.pendingRun];
        this.pendingRun.clear();
        const list = ids.map((id) => runs.get(id)).filter((r): r is RunInfo => !!r);
        void this.fetchRuns(list).then(() => {
          if (!destroyed) this.rebuild();
        });
      }, 1000);
    }

    setZoom(z: [number, number] | null): void {
      if (z) st.zoom[this.key] = z;
      else delete st.zoom[this.key];
      save();
      // Instant feedback with the data at hand, then the sharper buckets for the new range.
      if (this.u && z) this.applyX();
      this.reload();
    }

    /** Rebuilds with a new uPlot instance (colours of axes and grid come from the theme at creation). */
    recreate(): void {
      this.sig = '';
      this.rebuild();
    }

    /** Builds the uPlot data and (re)creates the plot when the series layout changed. */
    rebuild(): void {
      if (destroyed) return;
      const list = this.runsWithKey().filter((r) => this.data.has(r.runId));
      const hidden = new Set(st.hidden);
      const xs: number[][] = [];
      const cols: Y[][][] = [];
      const seriesOpts: uPlot.Series[] = [{ label: st.xMode === 'step' ? 'step' : st.xMode === 'wall' ? 'time' : 'seconds' }];
      const bands: uPlot.Band[] = [];
      this.plotted = [];
      const logFix = (a: Y[]): Y[] => (st.log ? a.map((v) => (v !== null && v > 0 ? v : null)) : a);
      for (const r of list) {
        const d = this.data.get(r.runId)!;
        const s = d.series;
        const runCols: Y[][] = [];
        const show = !hidden.has(r.runId);
        const base = seriesOpts.length;
        if (s.banded) {
          runCols.push(logFix(s.min), logFix(s.max));
          seriesOpts.push(
            { label: `${r.name} min`, stroke: withAlpha(r.color, 0.35), width: 1 / devicePixelRatio, points: { show: false }, show },
            { label: `${r.name} max`, stroke: withAlpha(r.color, 0.35), width: 1 / devicePixelRatio, points: { show: false }, show },
          );
          bands.push({ series: [base + 1, base], fill: withAlpha(r.color, 0.18) });
          this.plotted.push({ runId: r.runId, x: d.x, y: s.min, role: 'min' }, { runId: r.runId, x: d.x, y: s.max, role: 'max' });
        }
        const lineY = logFix(s.last);
        if (st.smoothing > 0) {
          runCols.push(lineY);
          seriesOpts.push({ label: `${r.name} raw`, stroke: withAlpha(r.color, 0.3), width: 1, points: { show: false }, show });
          this.plotted.push({ runId: r.runId, x: d.x, y: s.last, role: 'raw' });
          const sm = ema(lineY, st.smoothing);
          runCols.push(sm);
          seriesOpts.push({ label: r.name, stroke: r.color, width: 1.5, show });
          this.plotted.push({ runId: r.runId, x: d.x, y: sm, role: 'line' });
        } else {
          runCols.push(lineY);
          seriesOpts.push({ label: r.name, stroke: r.color, width: 1.5, show });
          this.plotted.push({ runId: r.runId, x: d.x, y: lineY, role: 'line' });
        }
        xs.push(d.x);
        cols.push(runCols);
      }
      const aligned = align(xs, cols) as uPlot.AlignedData;
      const tBuilt = performance.now();
      this.renderLegend(list);
      const sig = JSON.stringify([st.xMode, st.log, seriesOpts.map((s) => [s.label, s.stroke]), bands.length]);
      const w = this.width();
      if (!this.u || sig !== this.sig) {
        this.u?.destroy();
        this.sig = sig;
        this.u = new uPlot(this.options(w, seriesOpts, bands), aligned, this.plotEl);
        this.u.over.addEventListener('dblclick', () => this.setZoom(null));
        this.u.over.addEventListener('mouseleave', () => (this.tip.hidden = true));
      } else {
        this.u.batch(() => {
          this.u!.setData(aligned, true);
          for (let i = 1; i < seriesOpts.length; i++) if (this.u!.series[i]!.show !== seriesOpts[i]!.show) this.u!.setSeries(i, { show: seriesOpts[i]!.show });
        });
      }
      this.applyX();
      const wasDrawn = this.reqStart;
      this.card.dataset.points = String(aligned[0].length);
      this.card.dataset.runs = String(list.length);
      this.card.dataset.drawn = String((Number(this.card.dataset.drawn ?? 0) || 0) + 1);
      this.card.dispatchEvent(new CustomEvent('mt-chart-drawn', { bubbles: true, detail: { key: this.key, requestedAt: wasDrawn, respondedAt: this.respAt, builtAt: tBuilt, drawnAt: performance.now(), points: aligned[0].length, runs: list.length } }));
    }

    /** Applies the zoom (kept in steps) to the x scale in the current x units. */
    private applyX(): void {
      const u = this.u;
      if (!u) return;
      const z = this.zoomSteps();
      if (!z) return;
      let min = z[0], max = z[1];
      if (st.xMode !== 'step') {
        // Map the step range through the first run that has a mapping.
        const d = [...this.data.values()][0];
        const r = d && runs.get(d.series.runId);
        if (!d || !r) return;
        const toX = (step: number) => {
          const t = d.series.times ? interpolate({ steps: d.series.steps, times: d.series.times }, step) : d.anchors ? interpolate(d.anchors, step) : NaN;
          return st.xMode === 'wall' ? t / 1000 : (t - r.startTime) / 1000;
        };
        min = toX(z[0]);
        max = toX(z[1]);
      }
      if (Number.isFinite(min) && Number.isFinite(max) && max > min) u.setScale('x', { min, max });
    }

    private yRange(u: uPlot, dmin: number, dmax: number): uPlot.Range.MinMax {
      const xmin = u.scales.x!.min ?? -Infinity, xmax = u.scales.x!.max ?? Infinity;
      const arrays: Y[][] = [];
      for (let i = 0; i < this.plotted.length; i++) {
        const p = this.plotted[i]!;
        if (!u.series[i + 1]?.show) continue;
        if (st.clip > 0 && (p.role === 'min' || p.role === 'max')) continue;
        const [lo, hi] = indexRange(p.x, xmin, xmax);
        arrays.push(p.y.slice(lo, hi));
      }
      const r = clippedRange(arrays, st.clip, st.log);
      if (r) return r;
      if (dmin === null || dmax === null || !Number.isFinite(dmin)) return st.log ? [1, 10] : [0, 1];
      return [dmin, dmax];
    }

    private options(w: number, series: uPlot.Series[], bands: uPlot.Band[]): uPlot.Options {
      const css = getComputedStyle(document.body);
      const fg = css.getPropertyValue('--mt-fg').trim() || '#888';
      const grid = css.getPropertyValue('--mt-grid').trim() || 'rgba(128,128,128,0.15)';
      const axis = (): uPlot.Axis => ({ stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } });
      return {
        width: w,
        height,
        legend: { show: false },
        series,
        bands,
        scales: {
          x: { time: st.xMode === 'wall' },
          y: { distr: st.log ? 3 : 1, range: (u, a, b) => this.yRange(u, a, b) },
        },
        axes: [
          { ...axis(), values: st.xMode === 'relative' ? (_u, v) => v.map((s) => fmtSeconds(s)) : undefined },
          { ...axis(), size: 60, values: (_u, v) => v.map((n) => (n === null ? '' : formatValue(n))) },
        ],
        cursor: {
          drag: { x: true, y: false, setScale: false },
          bind: { dblclick: () => () => null },
          points: { show: false },
        },
        hooks: {
          setSelect: [(u) => {
            if (u.select.width < 3) return;
            const a = u.posToVal(u.select.left, 'x'), b = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            const z = this.toSteps(a, b);
            if (z) this.setZoom(z);
          }],
          setCursor: [(u) => this.showTip(u)],
        },
      };
    }

    /** An x range in the current units → a step range (union over the runs' mappings). */
    private toSteps(a: number, b: number): [number, number] | null {
      if (st.xMode === 'step') return [Math.floor(a), Math.ceil(b)];
      let lo = Infinity, hi = -Infinity;
      for (const d of this.data.values()) {
        const r = runs.get(d.series.runId);
        if (!r) continue;
        const toT = (x: number) => (st.xMode === 'wall' ? x * 1000 : x * 1000 + r.startTime);
        const m: TimeAnchors | undefined = d.series.times ? { steps: d.series.steps, times: d.series.times } : d.anchors;
        if (!m || m.steps.length === 0) continue;
        lo = Math.min(lo, Math.floor(stepAt(m, toT(a))));
        hi = Math.max(hi, Math.ceil(stepAt(m, toT(b))));
      }
      return Number.isFinite(lo) && Number.isFinite(hi) && hi >= lo ? [lo, hi] : null;
    }

    private showTip(u: uPlot): void {
      const left = u.cursor.left ?? -1;
      if (left < 0 || this.plotted.length === 0) {
        this.tip.hidden = true;
        return;
      }
      const xv = u.posToVal(left, 'x');
      const rows: { name: string; color: string; text: string; v: number }[] = [];
      let stepShown: number | undefined;
      for (const r of this.runsWithKey()) {
        const d = this.data.get(r.runId);
        if (!d || st.hidden.includes(r.runId)) continue;
        const i = nearestIndex(d.x, xv);
        if (i < 0) continue;
        if (Math.abs(u.valToPos(d.x[i]!, 'x') - left) > 30) continue;
        const s = d.series;
        const v = s.last[i];
        const raw = v === null ? rawText(s, i) : formatValue(v);
        let text = `${raw}`;
        if (st.smoothing > 0) {
          const line = this.plotted.find((p) => p.runId === r.runId && p.role === 'line');
          const sv = line?.y[i];
          if (sv !== null && sv !== undefined) text = `${formatValue(sv)} (raw ${raw})`;
        }
        if (s.counts[i]! > 1) text += `  [${formatValue(s.min[i])} … ${formatValue(s.max[i])}, ${s.counts[i]} pts]`;
        text += `  @ step ${s.steps[i]}`;
        stepShown ??= s.steps[i];
        rows.push({ name: r.name, color: r.color, text, v: v ?? -Infinity });
      }
      if (rows.length === 0) {
        this.tip.hidden = true;
        return;
      }
      rows.sort((a, b) => b.v - a.v);
      const maxRows = 20;
      const head = st.xMode === 'step' ? `step ${stepShown}` : st.xMode === 'wall' ? formatTime(xv * 1000) : fmtSeconds(xv);
      render(this.tip,
        h('div', { class: 'mt-tip-head' }, head),
        ...rows.slice(0, maxRows).map((r) => h('div', { class: 'mt-tip-row' }, h('span', { class: 'mt-swatch', style: { background: r.color } }), h('span', { class: 'mt-tip-name' }, r.name), ' ', h('span', { class: 'mt-tip-val' }, r.text))),
        rows.length > maxRows ? h('div', { class: 'mt-muted' }, `+${rows.length - maxRows} more`) : null);
      this.tip.hidden = false;
      const plotLeft = this.plotEl.offsetLeft + u.over.offsetLeft;
      const x = plotLeft + left + 14;
      const cw = this.card.clientWidth;
      this.tip.style.left = `${Math.min(x, Math.max(0, cw - this.tip.offsetWidth - 4))}px`;
      this.tip.style.top = `${this.plotEl.offsetTop + (u.cursor.top ?? 0) + 14}px`;
    }

    private renderLegend(list: RunInfo[]): void {
      const hidden = new Set(st.hidden);
      render(this.legendEl, ...list.map((r) => {
        const item = h('span', { class: 'mt-legend-item' + (hidden.has(r.runId) ? ' mt-legend-off' : ''), title: `${r.name} (${shortId(r.runId)}) — click to show/hide, double-click to open`, 'data-run': r.runId },
          h('span', { class: 'mt-swatch', style: { background: r.color } }), r.name);
        item.addEventListener('click', () => toggleRun(r.runId));
        item.addEventListener('dblclick', () => openRun(r.runId));
        return item;
      }));
    }

    // ---- export ----
    private xLabel(): string {
      return st.xMode === 'step' ? 'step' : st.xMode === 'wall' ? 'wall_time_s' : 'relative_time_s';
    }
    private xWindow(): [number, number] {
      const sx = this.u?.scales.x;
      return [sx?.min ?? -Infinity, sx?.max ?? Infinity];
    }
    csv(): string {
      const [a, b] = this.xWindow();
      const list = this.runsWithKey().filter((r) => this.data.has(r.runId) && !st.hidden.includes(r.runId));
      return toCsv(this.key, this.xLabel(), list.map((r) => ({ runId: r.runId, name: r.name, series: this.data.get(r.runId)!.series, x: this.data.get(r.runId)!.x })), a, b);
    }
    exportCsv(): void {
      download(`${fileName(this.key)}.csv`, this.csv(), 'text/csv');
    }
    exportPng(): void {
      const u = this.u;
      if (!u) return;
      const src = u.ctx.canvas;
      const list = this.runsWithKey().filter((r) => !st.hidden.includes(r.runId));
      const dpr = devicePixelRatio || 1;
      const lineH = 16 * dpr, cols = 3;
      const legendH = Math.ceil(list.length / cols) * lineH + 8 * dpr;
      const c = document.createElement('canvas');
      c.width = src.width;
      c.height = src.height + legendH + 20 * dpr;
      const ctx = c.getContext('2d')!;
      const css = getComputedStyle(document.body);
      ctx.fillStyle = css.getPropertyValue('--mt-bg').trim() || '#fff';
      ctx.fillRect(0, 0, c.width, c.height);
      ctx.fillStyle = css.getPropertyValue('--mt-fg').trim() || '#000';
      ctx.font = `bold ${12 * dpr}px sans-serif`;
      ctx.fillText(this.key, 8 * dpr, 14 * dpr);
      ctx.drawImage(src, 0, 20 * dpr);
      ctx.font = `${11 * dpr}px sans-serif`;
      list.forEach((r, i) => {
        const x = 8 * dpr + (i % cols) * (c.width / cols), y = src.height + 20 * dpr + Math.floor(i / cols) * lineH + 12 * dpr;
        ctx.fillStyle = r.color;
        ctx.fillRect(x, y - 9 * dpr, 10 * dpr, 10 * dpr);
        ctx.fillStyle = css.getPropertyValue('--mt-fg').trim() || '#000';
        ctx.fillText(r.name, x + 14 * dpr, y);
      });
      c.toBlob((b) => b && download(`${fileName(this.key)}.png`, b));
    }
    svg(): string {
      const u = this.u;
      const [a, b] = this.xWindow();
      const list = this.runsWithKey().filter((r) => this.data.has(r.runId) && !st.hidden.includes(r.runId));
      const lines = list.map((r) => {
        const p = this.plotted.find((x) => x.runId === r.runId && x.role === 'line');
        return { name: r.name, color: r.color, x: this.data.get(r.runId)!.x, y: p ? p.y : [] };
      });
      const yr: [number, number] = [u?.scales.y!.min ?? 0, u?.scales.y!.max ?? 1];
      const xr: [number, number] = [Number.isFinite(a) ? a : 0, Number.isFinite(b) ? b : 1];
      const css = getComputedStyle(document.body);
      return toSvg(this.key, lines, xr, yr, { width: u?.width ?? 640, height: (u?.height ?? 300) + 60, log: st.log, fg: css.getPropertyValue('--mt-fg').trim() || '#333', bg: css.getPropertyValue('--mt-bg').trim() || '#fff', xLabel: this.xLabel() });
    }
    exportSvg(): void {
      download(`${fileName(this.key)}.svg`, this.svg(), 'image/svg+xml');
    }

    destroy(): void {
      io?.unobserve(this.card);
      ro?.unobserve(this.card);
      if (this.liveTimer) clearTimeout(this.liveTimer);
      this.u?.destroy();
      this.u = null;
      this.card.remove();
    }
  }

  function toggleRun(runId: string): void {
    const i = st.hidden.indexOf(runId);
    if (i >= 0) st.hidden.splice(i, 1);
    else st.hidden.push(runId);
    save();
    redrawAll();
  }

  // ---- live updates ----
  const changedIds = new Set<string>();
  const refreshRun = async (ids: string[]) => {
    const found = await fetchRunRows(ids).catch(() => new Map<string, RunRow>());
    if (destroyed) return;
    let newKeys = false;
    for (const d of found.values()) {
      const r = runs.get(d.runId);
      if (!r) continue;
      r.status = d.status;
      for (const k in d.metrics) if (!(k in r.latest)) newKeys = true;
      r.latest = { ...d.metrics };
    }
    if (newKeys) layout();
    for (const id of ids) for (const c of charts.values()) c.liveUpdate(id);
  };
  const refreshSoon = debounce(() => {
    const ids = [...changedIds];
    changedIds.clear();
    void refreshRun(ids);
  }, 300);
  const offChanged = onNotification('runs/changed', (p) => {
    if (!runs.has(p.runId) && !runIds.includes(p.runId)) return;
    if (p.kind === 'deleted' || p.kind === 'restored' || (p.kind === 'created' && !runs.has(p.runId))) {
      void loadRuns();
      return;
    }
    changedIds.add(p.runId);
    refreshSoon();
  });
  const offReconnect = onReconnect(() => void loadRuns().then(() => charts.forEach((c) => c.reload())));

  void loadRuns().catch((e) => render(status, message(`Could not load the runs: ${(e as Error).message}`, 'error')));

  const api: ChartGrid & { charts: Map<string, Chart> } = {
    charts,
    setRuns(ids) {
      runIds = [...new Set(ids)];
      void loadRuns();
    },
    setKeys(keys) {
      keysOpt = keys;
      layout();
    },
    refresh() {
      void loadRuns().then(() => charts.forEach((c) => c.reload()));
    },
    destroy() {
      destroyed = true;
      offChanged();
      offPrefs();
      offReconnect();
      io?.disconnect();
      ro?.disconnect();
      for (const c of charts.values()) c.destroy();
      charts.clear();
      root.remove();
    },
  };
  // For tests and the benchmark: the grids on the page and their charts' exports.
  const reg = ((globalThis as any).__mltrackCharts ??= {}) as Record<string, unknown>;
  reg[String(gid)] = { csv: (key: string) => charts.get(key)?.csv(), svg: (key: string) => charts.get(key)?.svg(), keys: () => [...charts.keys()], zoom: (key: string, a: number, b: number) => charts.get(key)?.setZoom([a, b]) };
  return api;
}

function rawText(s: RunSeries, i: number): string {
  return s.counts[i]! > 0 && s.min[i] === null ? 'NaN' : 'gap';
}

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '';
  const a = Math.abs(s);
  if (a < 60) return `${Number(s.toFixed(1))}s`;
  if (a < 3600) return `${Math.floor(s / 60)}m${String(Math.round(a % 60)).padStart(2, '0')}`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((a % 3600) / 60)).padStart(2, '0')}`;
}

function fileName(key: string): string {
  return key.replace(/[^A-Za-z0-9_.-]+/g, '_') || 'metric';
}
