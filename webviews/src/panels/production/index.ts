// The Production dashboard: analytics/production over a window (24 h / 7 d / 30 d, granularity auto/hour/day), one
// collapsible section per deployment (summary: name, target, status, health, totals) with charts of its periods:
// requests (errors inside), latency p50/p95/p99, error rate, estimated cost (cumulative). Live: refreshed every 5 s
// while the page is visible, at once when it becomes visible and on deployments/changed. Sections are kept across
// refreshes (open/closed state, charts fed with setData). Args: {deploymentId?} opens and scrolls to that section.
import './production.css';
import { localTimeZone } from '../../range';
import type uPlot from 'uplot';
import type { ProductionDeployment, ProductionResult } from '../../../../extension/src/protocol';
import { debounce, errorText, h, message, render, statusBadge } from '../../dom';
import { currentPreferences, onPreferences } from '../../preferences';
import { debouncedSaver, loadState } from '../../state';
import { onNotification, onReconnect, rpc } from '../../transport';
import { ProductionChart } from './chart';
import {
  bucketSeries, formatMs, formatPercent, formatUsd, GRANULARITIES, healthKind, healthText, isGranularity, isPreset, PRESETS,
  productionParams, totalsText, trafficNote, type GranularityChoice, type ProductionPreset,
} from './logic';

const REFRESH_MS = 5000;

interface PanelState {
  preset: ProductionPreset;
  granularity: GranularityChoice;
  /** Sections the user closed (all are open by default). */
  closed: string[];
}

/** Line colours that read on light and dark backgrounds. */
const COLORS = { requests: '#3794ff', errors: '#e5534b', p50: '#3fb950', p95: '#d29922', p99: '#e5534b', rate: '#e5534b', cost: '#a371f7' };

export function mount(root: HTMLElement, args: { deploymentId?: string }): void {
  root.classList.add('pd-root');
  const saved = loadState<Partial<PanelState>>() ?? {};
  const st: PanelState = {
    preset: isPreset(saved.preset) ? saved.preset : '24h',
    granularity: isGranularity(saved.granularity) ? saved.granularity : 'auto',
    closed: Array.isArray(saved.closed) ? saved.closed.filter((x) => typeof x === 'string') : [],
  };
  const focusId = typeof args?.deploymentId === 'string' && args.deploymentId ? args.deploymentId : null;
  if (focusId) st.closed = st.closed.filter((id) => id !== focusId);
  const saver = debouncedSaver<PanelState>('panel', 150);
  const save = () => saver(st);

  const presetSel = h('select', { class: 'pd-preset', 'aria-label': 'time range' }, PRESETS.map((p) => h('option', { value: p.value }, p.label)));
  presetSel.value = st.preset;
  const granSel = h('select', { class: 'pd-granularity', 'aria-label': 'granularity' }, GRANULARITIES.map((g) => h('option', { value: g.value }, g.label)));
  granSel.value = st.granularity;
  const onControls = () => {
    st.preset = isPreset(presetSel.value) ? presetSel.value : '24h';
    st.granularity = isGranularity(granSel.value) ? granSel.value : 'auto';
    save();
    void load();
  };
  presetSel.addEventListener('change', onControls);
  granSel.addEventListener('change', onControls);
  const windowInfo = h('span', { class: 'pd-window mt-muted' });
  const status = h('div', { class: 'pd-status', 'aria-live': 'polite' });
  const body = h('div', { class: 'pd-body' });
  render(
    root,
    h('div', { class: 'mt-toolbar' },
      h('h1', null, 'Production'),
      h('label', null, 'Range ', presetSel),
      h('label', null, 'Granularity ', granSel),
      windowInfo,
      h('span', { class: 'mt-spacer' }),
      h('button', { class: 'mt-secondary pd-refresh', onclick: () => void load() }, 'Refresh')),
    status,
    body,
  );

  const sections = new Map<string, Section>();
  let result: ProductionResult | null = null;
  let inFlight = false;
  let again = false;
  let focused = false;
  const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => sections.forEach((s) => s.resize())) : null;
  ro?.observe(body);

  /** One refresh at a time; a request made meanwhile runs right after (with the newest controls). */
  async function load(): Promise<void> {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    const first = result === null;
    if (first) render(body, message('Loading deployments…', 'loading'));
    try {
      const p = currentPreferences();
      const r = await rpc('analytics/production', productionParams({
        preset: st.preset, granularity: st.granularity, timeZone: localTimeZone(), cpuHourUsd: p.cpuHourUsd, gpuHourUsd: p.gpuHourUsd,
      }));
      result = r;
      render(status);
      draw(r);
    } catch (e) {
      render(status, h('div', { class: 'mt-message mt-error', role: 'alert' }, `Could not load production analytics: ${errorText(e)}`));
      if (first) render(body);
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        void load();
      }
    }
  }

  function draw(r: ProductionResult): void {
    const span = `${new Date(r.from).toLocaleString()} – ${new Date(r.to).toLocaleString()} · by ${r.granularity}`;
    render(windowInfo, span, r.note ? h('span', { class: 'pd-note' }, ` (${r.note})`) : null);
    if (r.deployments.length === 0) {
      for (const s of sections.values()) s.destroy();
      sections.clear();
      render(body, h('div', { class: 'mt-message pd-empty' }, 'No deployments yet. Deploy a run that logged a model (the Deploy button on its run page, or `mltrack deploy RUN`); its traffic shows here.'));
      return;
    }
    const ids = r.deployments.map((d) => d.deploymentId);
    for (const [id, s] of sections) {
      if (!ids.includes(id)) {
        s.destroy();
        sections.delete(id);
      }
    }
    for (const c of Array.from(body.children)) if (!(c as HTMLElement).dataset.id) c.remove(); // loading/empty messages
    for (const d of r.deployments) {
      let s = sections.get(d.deploymentId);
      if (!s) {
        s = new Section(d.deploymentId, !st.closed.includes(d.deploymentId), (open) => {
          st.closed = open ? st.closed.filter((x) => x !== d.deploymentId) : [...new Set([...st.closed, d.deploymentId])];
          save();
        });
        sections.set(d.deploymentId, s);
      }
      s.update(d, r);
    }
    // Put sections in the backend's order, moving nodes only when it changed (no scroll jumps on refresh).
    const have = Array.from(body.children).map((e) => (e as HTMLElement).dataset.id ?? '');
    if (have.join('\n') !== ids.join('\n')) for (const id of ids) body.appendChild(sections.get(id)!.el);
    for (const s of sections.values()) s.resize();
    if (focusId && !focused && sections.has(focusId)) {
      focused = true;
      sections.get(focusId)!.el.scrollIntoView({ block: 'start' });
    }
  }

  const soon = debounce(() => void load(), 250);
  onNotification('deployments/changed', () => soon());
  onReconnect(() => void load());
  onPreferences((_p, c) => {
    if (c.changed.includes('cpuHourUsd') || c.changed.includes('gpuHourUsd')) void load();
  });
  setInterval(() => {
    if (document.visibilityState === 'visible') void load();
  }, REFRESH_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void load();
  });
  void load();
}

/** A deployment's <details> section: summary line and charts, updated in place. */
class Section {
  readonly el: HTMLDetailsElement;
  private readonly summary: HTMLElement;
  private readonly note: HTMLElement;
  private readonly chartsEl: HTMLElement;
  private charts: ProductionChart[] = [];
  private traffic: boolean | null = null;
  private window: [number, number] = [0, 1];
  private data: Record<string, uPlot.AlignedData> = {};

  constructor(readonly id: string, open: boolean, onToggle: (open: boolean) => void) {
    this.summary = h('summary', { class: 'pd-summary' });
    this.note = h('div', { class: 'pd-traffic-note mt-message' });
    this.chartsEl = h('div', { class: 'pd-charts' });
    this.el = h('details', { class: 'pd-section', 'data-id': id }, this.summary, h('div', { class: 'pd-section-body' }, this.note, this.chartsEl));
    this.el.open = open;
    this.el.addEventListener('toggle', () => {
      onToggle(this.el.open);
      // charts of a section that was closed had no width: create/size them now
      if (this.el.open) requestAnimationFrame(() => this.resize());
    });
  }

  update(d: ProductionDeployment, r: ProductionResult): void {
    const t = totalsText(d);
    const hk = healthKind(d);
    const el = this.el;
    el.dataset.status = d.status;
    el.dataset.health = healthText(d);
    el.dataset.requests = String(d.totals.requests);
    el.dataset.errors = String(d.totals.errors);
    el.dataset.errorRate = d.totals.errorRate === null ? '' : String(d.totals.errorRate);
    render(
      this.summary,
      h('span', { class: 'pd-name' }, d.name),
      h('span', { class: 'pd-target mt-muted' }, d.target),
      statusBadge(d.status),
      h('span', { class: `pd-health pd-health-${hk}`, title: d.endpointUrl ?? '' }, healthText(d)),
      h('span', { class: 'pd-totals' },
        d.trafficAvailable
          ? [h('span', { class: 'pd-requests' }, t.requests), h('span', { class: 'pd-error-rate' }, t.errorRate), h('span', { class: 'pd-p95' }, t.p95)]
          : null,
        h('span', { class: 'pd-cost', title: `${formatUsd(d.hourlyCostUsd)} per serving hour` }, t.cost)),
    );
    this.window = [r.from / 1000, r.to / 1000];
    if (this.traffic !== d.trafficAvailable) this.build(d);
    this.note.hidden = d.trafficAvailable;
    this.note.textContent = d.trafficAvailable ? '' : `${trafficNote(d.target)}: only its estimated cost is shown.`;
    const s = bucketSeries(d.buckets);
    this.data = {
      requests: [s.x, s.requests, s.errors],
      latency: [s.x, s.p50, s.p95, s.p99],
      errors: [s.x, s.errorPct],
      cost: [s.x, s.costCumulative],
    };
    for (const c of this.charts) c.setData(this.data[c.el.dataset.chart!]!);
  }

  /** (Re)creates the charts: only when traffic availability changes (never on a plain refresh). */
  private build(d: ProductionDeployment): void {
    for (const c of this.charts) c.destroy();
    const xRange = (): [number, number] => this.window;
    const cost = new ProductionChart({
      key: 'cost', title: `Estimated cost, cumulative (USD; ${formatUsd(d.hourlyCostUsd)}/h)`, xRange, format: formatUsd,
      series: [{ label: 'cost (cumulative)', color: COLORS.cost }],
    });
    this.charts = d.trafficAvailable
      ? [
          new ProductionChart({
            key: 'requests', title: 'Requests per period', xRange, format: (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1)),
            series: [{ label: 'requests', color: COLORS.requests, bars: true }, { label: 'errors', color: COLORS.errors, bars: true }],
          }),
          new ProductionChart({
            key: 'latency', title: 'Latency (ms)', xRange, format: formatMs,
            series: [{ label: 'p50', color: COLORS.p50 }, { label: 'p95', color: COLORS.p95 }, { label: 'p99', color: COLORS.p99 }],
          }),
          new ProductionChart({ key: 'errors', title: 'Error rate (%)', xRange, format: (v) => formatPercent(v / 100), series: [{ label: 'error rate', color: COLORS.rate }] }),
          cost,
        ]
      : [cost];
    render(this.chartsEl, this.charts.map((c) => c.el));
    this.traffic = d.trafficAvailable;
  }

  resize(): void {
    if (!this.el.open) return;
    for (const c of this.charts) c.resize();
  }

  destroy(): void {
    for (const c of this.charts) c.destroy();
    this.el.remove();
  }
}

