// Pure data logic of the metric charts (unit-tested): metrics/history results → plottable series, EMA smoothing,
// percentile clipping, x-axis mapping, alignment of many runs for uPlot, CSV and SVG export.
import type { JsonDouble, MetricHistoryManyResult, MetricHistoryResult } from '../../../../extension/src/protocol';
import { csvField } from '../../dom';

/** A plotted value: a finite number, or null for a gap (NaN, ±Infinity, or ≤ 0 on a log scale). */
export type Y = number | null;

export interface RunSeries {
  runId: string;
  key: string;
  /** Step of each point (raw) or of each bucket's last point (bucketed), ascending. */
  steps: number[];
  /** Timestamps (ms) of raw points; null when bucketed (then mapped through anchors). */
  times: number[] | null;
  /** The value at each step (bucket: its last value); null = gap. */
  last: Y[];
  /** Bucket envelopes (raw: equal to last). */
  min: Y[];
  max: Y[];
  /** Points per bucket (raw: 1). */
  counts: number[];
  /** At least one bucket holds more than one point, so the min/max band carries information. */
  banded: boolean;
  /** The step range the data was requested for. */
  fromStep: number | null;
  toStep: number | null;
  truncated: boolean;
}

const finite = (v: JsonDouble | null | undefined): Y => {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'string' ? Number(v) : v;
  return Number.isFinite(n) ? n : null;
};

/** Decodes a metrics/history answer (raw or bucketed). Non-finite values become gaps. */
export function fromHistory(r: MetricHistoryResult, fromStep: number | null = null, toStep: number | null = null): RunSeries {
  const s: RunSeries = {
    runId: r.runId, key: r.key, steps: [], times: null, last: [], min: [], max: [], counts: [], banded: false,
    fromStep, toStep, truncated: r.truncated,
  };
  if (r.buckets) {
    for (const b of r.buckets) {
      s.steps.push(b.lastStep);
      const last = finite(b.last);
      s.last.push(last);
      // A bucket whose last point is NaN draws as a gap; its envelope then still shows the other values.
      s.min.push(finite(b.min));
      s.max.push(finite(b.max));
      s.counts.push(b.count);
      if (b.count > 1) s.banded = true;
    }
  } else if (r.points) {
    s.times = [];
    for (const p of r.points) {
      s.steps.push(p.step);
      s.times.push(p.timestamp);
      const v = finite(p.value);
      s.last.push(v);
      s.min.push(v);
      s.max.push(v);
      s.counts.push(1);
    }
  }
  return s;
}

/** Ids in slices of at most `n` (metrics/historyMany takes at most 500 runs per call). */
export function chunks<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}

/** An error of one run in a metrics/historyMany answer (the error metrics/history would have thrown). */
export class SeriesError extends Error {
  constructor(readonly runId: string, message: string, readonly code?: number) {
    super(message);
  }
}

/**
 * A metrics/historyMany answer as one metrics/history answer per run (in request order), or a SeriesError for a
 * run that could not be read; fromHistory then decodes each the same way (non-finite values become gaps).
 */
export function fromMany(r: MetricHistoryManyResult, key: string): (MetricHistoryResult | SeriesError)[] {
  return r.series.map((s) => s.error
    ? new SeriesError(s.runId, s.error.message, s.error.code)
    : { runId: s.runId, key, points: s.points, buckets: s.buckets, truncated: s.truncated });
}

/**
 * One key's history for several runs, in the order of `ids`: `one` (metrics/history) for a single run, else `many`
 * (metrics/historyMany) once per `limit` runs, the slices in parallel. A run that could not be read — its entry
 * has an error, or its whole request failed — is an Error in its place; the call itself never rejects.
 */
export async function historiesOf(
  ids: readonly string[],
  key: string,
  one: (runId: string) => Promise<MetricHistoryResult>,
  many: (runIds: string[]) => Promise<MetricHistoryManyResult>,
  limit = 500,
): Promise<(MetricHistoryResult | Error)[]> {
  if (ids.length === 0) return [];
  if (ids.length === 1) {
    try {
      return [await one(ids[0]!)];
    } catch (e) {
      return [e instanceof Error ? e : new Error(String(e))];
    }
  }
  const parts = await Promise.all(chunks(ids, limit).map(async (c) => {
    try {
      const res = fromMany(await many(c), key);
      // One entry per id is the contract; anything else is reported per run rather than misattributed.
      return res.length === c.length ? res : c.map((id) => new SeriesError(id, `metrics/historyMany answered ${res.length} series for ${c.length} runs`));
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      return c.map(() => err);
    }
  }));
  return parts.flat();
}

/**
 * Exponential moving average with TensorBoard's debiasing: weight in [0, 1) (0 = no smoothing). Gaps stay gaps
 * and do not reset the average.
 */
export function ema(values: readonly Y[], weight: number): Y[] {
  if (!(weight > 0)) return values.slice();
  const w = Math.min(weight, 0.9999);
  const out: Y[] = new Array(values.length);
  let acc = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      out[i] = null;
      continue;
    }
    acc = acc * w + (1 - w) * v;
    n++;
    out[i] = acc / (1 - Math.pow(w, n));
  }
  return out;
}

/** The p-th percentile (0..100) of sorted numbers, linear interpolation. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (n === 1) return sorted[0]!;
  const pos = (Math.max(0, Math.min(100, p)) / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * A y-range that ignores outliers: the [clip, 100 - clip] percentiles of every finite value given (clip in percent),
 * padded by 5 %. Null when there are no values. clip = 0 gives the full min..max (padded).
 */
export function clippedRange(arrays: readonly (readonly Y[])[], clip: number, log = false): [number, number] | null {
  let n = 0;
  for (const a of arrays) n += a.length;
  const vals = new Float64Array(n);
  let k = 0;
  for (const a of arrays)
    for (const v of a) if (v !== null && v !== undefined && Number.isFinite(v) && (!log || v > 0)) vals[k++] = log ? Math.log10(v) : v;
  if (k === 0) return null;
  const sorted = vals.subarray(0, k).sort();
  let lo = clip > 0 ? percentile(sorted, clip) : sorted[0]!;
  let hi = clip > 0 ? percentile(sorted, 100 - clip) : sorted[k - 1]!;
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  } else {
    const pad = (hi - lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  return log ? [Math.pow(10, lo), Math.pow(10, hi)] : [lo, hi];
}

export type XMode = 'step' | 'wall' | 'relative';

/** Step → timestamp mapping for bucketed series: piecewise linear over (step, time) anchors sorted by step. */
export interface TimeAnchors {
  steps: number[];
  times: number[];
}

export function interpolate(anchors: TimeAnchors, step: number): number {
  const { steps, times } = anchors;
  const n = steps.length;
  if (n === 0) return NaN;
  if (n === 1 || step <= steps[0]!) return times[0]! + (n > 1 ? slope(anchors, 0) * (step - steps[0]!) : 0);
  if (step >= steps[n - 1]!) return times[n - 1]! + slope(anchors, n - 2) * (step - steps[n - 1]!);
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]! <= step) lo = mid;
    else hi = mid;
  }
  return times[lo]! + slope(anchors, lo) * (step - steps[lo]!);
}
function slope(a: TimeAnchors, i: number): number {
  const ds = a.steps[i + 1]! - a.steps[i]!;
  return ds === 0 ? 0 : (a.times[i + 1]! - a.times[i]!) / ds;
}
/** Inverse of interpolate (times ascending with steps). */
export function stepAt(anchors: TimeAnchors, time: number): number {
  return interpolate({ steps: anchors.times, times: anchors.steps }, time);
}

/**
 * The x values of a series: steps; wall time in seconds (uPlot's time unit); or seconds since `start` (ms).
 * Bucketed series need anchors for the time modes.
 */
export function xValues(s: RunSeries, mode: XMode, start: number, anchors?: TimeAnchors): number[] {
  if (mode === 'step') return s.steps;
  const t = s.times ?? s.steps.map((st) => (anchors ? interpolate(anchors, st) : NaN));
  return mode === 'wall' ? t.map((x) => x / 1000) : t.map((x) => (x - start) / 1000);
}

/**
 * Aligns several series (each its own ascending x) on the union of their x values, as uPlot wants:
 * [x, ...columns] where a series' missing x is `undefined` (uPlot connects across it) and its gaps are `null`
 * (uPlot breaks the line there).
 */
export function align(xs: readonly (readonly number[])[], columns: readonly (readonly Y[])[][]): [number[], ...(Y | undefined)[][]] {
  let total = 0;
  for (const x of xs) total += x.length;
  const all = new Float64Array(total);
  let k = 0;
  for (const x of xs) for (const v of x) if (Number.isFinite(v)) all[k++] = v;
  const sorted = all.subarray(0, k).sort();
  const ux: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) ux.push(sorted[i]!);
  const out: (Y | undefined)[][] = [];
  for (let s = 0; s < xs.length; s++) {
    const x = xs[s]!;
    for (const col of columns[s]!) {
      const dst: (Y | undefined)[] = new Array(ux.length);
      let j = 0;
      for (let i = 0; i < x.length; i++) {
        const xv = x[i]!;
        if (!Number.isFinite(xv)) continue;
        while (ux[j]! < xv) j++;
        dst[j] = col[i] ?? null;
      }
      out.push(dst);
    }
  }
  return [ux, ...out];
}

/** The index range [lo, hi) of an ascending array within [min, max]. */
export function indexRange(x: readonly number[], min: number, max: number): [number, number] {
  let lo = 0, hi = x.length;
  let a = 0, b = x.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (x[m]! < min) a = m + 1;
    else b = m;
  }
  lo = a;
  a = lo;
  b = x.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (x[m]! <= max) a = m + 1;
    else b = m;
  }
  hi = a;
  return [lo, hi];
}

/** Index of the x value nearest to `v` in an ascending array (-1 when empty). */
export function nearestIndex(x: readonly number[], v: number): number {
  if (x.length === 0) return -1;
  const [lo] = indexRange(x, v, Infinity);
  if (lo <= 0) return 0;
  if (lo >= x.length) return x.length - 1;
  return v - x[lo - 1]! <= x[lo]! - v ? lo - 1 : lo;
}


export interface CsvRun {
  runId: string;
  name: string;
  series: RunSeries;
  /** x values as plotted (same length as series.steps). */
  x: number[];
}

/** The visible data of one chart as CSV: one line per (run, point/bucket) with x in [xMin, xMax]. */
export function toCsv(key: string, xLabel: string, runs: readonly CsvRun[], xMin: number, xMax: number): string {
  const lines = [['run_id', 'run_name', 'key', 'step', xLabel === 'step' ? null : xLabel, 'value', 'min', 'max', 'count'].filter((x) => x !== null).join(',')];
  for (const r of runs) {
    const s = r.series;
    const [lo, hi] = indexRange(r.x, xMin, xMax);
    for (let i = lo; i < hi; i++) {
      const cells = [csvField(r.runId), csvField(r.name), csvField(key), String(s.steps[i])];
      if (xLabel !== 'step') cells.push(String(r.x[i]));
      cells.push(csvField(s.last[i]), csvField(s.min[i]), csvField(s.max[i]), String(s.counts[i]));
      lines.push(cells.join(','));
    }
  }
  return lines.join('\n') + '\n';
}

export interface SvgRun {
  name: string;
  color: string;
  x: number[];
  y: Y[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The chart as a standalone SVG: one polyline per run (split at gaps), axes box with min/max labels, a legend.
 * Points outside the ranges are clipped by a clipPath.
 */
export function toSvg(
  title: string,
  runs: readonly SvgRun[],
  xr: [number, number],
  yr: [number, number],
  opts: { width?: number; height?: number; log?: boolean; fg?: string; bg?: string; xLabel?: string } = {},
): string {
  const W = opts.width ?? 640, H = opts.height ?? 360;
  const fg = opts.fg ?? '#333', bg = opts.bg ?? '#fff';
  const L = 60, R = 10, T = 24, B = 30 + 16 * Math.ceil(runs.length / 3);
  const pw = W - L - R, ph = H - T - B;
  const ty = (v: number) => (opts.log ? Math.log10(v) : v);
  const [y0, y1] = [ty(yr[0]), ty(yr[1])];
  const sx = (x: number) => L + ((x - xr[0]) / (xr[1] - xr[0] || 1)) * pw;
  const sy = (y: number) => T + ph - ((ty(y) - y0) / (y1 - y0 || 1)) * ph;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  parts.push(`<rect width="${W}" height="${H}" fill="${esc(bg)}"/>`);
  parts.push(`<defs><clipPath id="plot"><rect x="${L}" y="${T}" width="${pw}" height="${ph}"/></clipPath></defs>`);
  parts.push(`<text x="${L}" y="15" fill="${esc(fg)}" font-weight="bold">${esc(title)}</text>`);
  parts.push(`<rect x="${L}" y="${T}" width="${pw}" height="${ph}" fill="none" stroke="${esc(fg)}" stroke-opacity="0.4"/>`);
  const fmt = (v: number) => String(Number(v.toPrecision(4)));
  parts.push(`<text x="${L - 4}" y="${T + 8}" fill="${esc(fg)}" text-anchor="end">${fmt(yr[1])}</text>`);
  parts.push(`<text x="${L - 4}" y="${T + ph}" fill="${esc(fg)}" text-anchor="end">${fmt(yr[0])}</text>`);
  parts.push(`<text x="${L}" y="${T + ph + 14}" fill="${esc(fg)}">${fmt(xr[0])}</text>`);
  parts.push(`<text x="${L + pw}" y="${T + ph + 14}" fill="${esc(fg)}" text-anchor="end">${fmt(xr[1])}</text>`);
  if (opts.xLabel) parts.push(`<text x="${L + pw / 2}" y="${T + ph + 14}" fill="${esc(fg)}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  parts.push(`<g clip-path="url(#plot)" fill="none" stroke-width="1.5" stroke-linejoin="round">`);
  for (const r of runs) {
    let pts: string[] = [];
    const flush = () => {
      if (pts.length > 0) parts.push(`<polyline stroke="${esc(r.color)}" points="${pts.join(' ')}"/>`);
      pts = [];
    };
    const [lo, hi] = indexRange(r.x, xr[0], xr[1]);
    // One point before and after the window so lines reach the edges.
    for (let i = Math.max(0, lo - 1); i < Math.min(r.x.length, hi + 1); i++) {
      const y = r.y[i];
      if (y === null || y === undefined || (opts.log && y <= 0)) {
        flush();
        continue;
      }
      pts.push(`${sx(r.x[i]!).toFixed(1)},${sy(y).toFixed(1)}`);
    }
    flush();
  }
  parts.push('</g>');
  runs.forEach((r, i) => {
    const x = L + (i % 3) * (pw / 3), y = T + ph + 30 + Math.floor(i / 3) * 16;
    parts.push(`<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${esc(r.color)}"/>`);
    parts.push(`<text x="${x + 14}" y="${y}" fill="${esc(fg)}">${esc(r.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
