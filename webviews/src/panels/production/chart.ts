// One small uPlot chart of a deployment's periods (time x axis). Created lazily once its card has a width (a closed
// <details> section has none), then only fed with setData on refreshes: the live refresh every few seconds never
// rebuilds a chart. Every draw bumps data-drawn on the card (specs wait for it).
import uPlot from 'uplot';
import { h } from '../../dom';

export interface ChartSeriesSpec {
  label: string;
  color: string;
  /** Bars (counts per period) instead of a line with points. */
  bars?: boolean;
}

export interface ChartSpec {
  /** data-chart of the card: requests, latency, errors, cost. */
  key: string;
  title: string;
  series: ChartSeriesSpec[];
  format: (v: number) => string;
  /** The x range in seconds (the whole window, also when its periods are sparse). */
  xRange: () => [number, number];
}

const HEIGHT = 170;
const MIN_WIDTH = 60;

export class ProductionChart {
  readonly el: HTMLElement;
  private readonly plot: HTMLElement;
  private u: uPlot | null = null;
  private data: uPlot.AlignedData;
  private draws = 0;

  constructor(private readonly spec: ChartSpec) {
    this.plot = h('div', { class: 'pd-chart-plot' });
    this.el = h('div', { class: 'pd-chart', 'data-chart': spec.key }, h('div', { class: 'pd-chart-title' }, spec.title), this.plot);
    this.data = [[], ...spec.series.map(() => [])];
  }

  setData(data: uPlot.AlignedData): void {
    this.data = data;
    if (this.u) this.u.setData(data);
    else this.ensure();
  }

  /** Creates the chart once it has room; later, follows the card's width. */
  resize(): void {
    if (!this.u) return this.ensure();
    const w = Math.floor(this.plot.clientWidth);
    if (w >= MIN_WIDTH && Math.abs(w - this.u.width) > 1) this.u.setSize({ width: w, height: HEIGHT });
  }

  destroy(): void {
    this.u?.destroy();
    this.u = null;
  }

  private ensure(): void {
    const w = Math.floor(this.plot.clientWidth);
    if (w < MIN_WIDTH || this.u) return;
    this.u = new uPlot(this.options(w), this.data, this.plot);
  }

  private options(width: number): uPlot.Options {
    const css = getComputedStyle(document.body);
    const fg = css.getPropertyValue('--mt-fg').trim() || '#888';
    const grid = css.getPropertyValue('--mt-grid').trim() || 'rgba(128,128,128,0.15)';
    const axis = (): uPlot.Axis => ({ stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } });
    const fmt = this.spec.format;
    const bars = uPlot.paths.bars?.({ size: [0.7, 48], align: 0 });
    return {
      width,
      height: HEIGHT,
      legend: { show: true, live: true },
      cursor: { points: { show: true }, drag: { x: false, y: false, setScale: false } },
      scales: {
        x: { time: true, range: () => this.spec.xRange() },
        // counts, rates, latencies and costs start at 0; an all-zero or empty chart still has a y axis
        y: { range: (_u, _min, max) => [0, max !== null && Number.isFinite(max) && max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        axis(),
        {
          ...axis(),
          values: (_u, vals) => vals.map((v) => (v === null ? '' : fmt(v))),
          // wide enough for the longest label ("$0.00002", "1,250 ms"): about 7 px a character plus the ticks
          size: (_u, vals) => Math.max(40, 16 + 7 * Math.max(0, ...(vals ?? []).map((v) => String(v ?? '').length))),
        },
      ],
      series: [
        {},
        ...this.spec.series.map((s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: s.bars ? 0 : 1.5,
          fill: s.bars ? s.color : undefined,
          paths: s.bars ? bars : undefined,
          points: s.bars ? { show: false } : { show: true, size: 4 },
          spanGaps: false,
          value: (_u, v) => (v === null || v === undefined ? '—' : fmt(v)),
        })),
      ],
      hooks: {
        draw: [() => {
          this.draws++;
          this.el.dataset.drawn = String(this.draws);
          this.el.dataset.points = String(this.data[0]?.length ?? 0);
        }],
      },
    };
  }
}
