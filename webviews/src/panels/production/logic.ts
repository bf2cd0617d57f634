// Pure logic of the Production dashboard (unit-tested in test/panels-production.test.ts): the query params, the
// summary texts of a deployment, and its buckets as chart series.
import type { Granularity, ProductionBucket, ProductionDeployment, ProductionParams, RangePreset } from '../../../../extension/src/protocol';
import { presetOptions } from '../../range';

export type ProductionPreset = Extract<RangePreset, '24h' | '7d' | '30d'>;
export const PRESETS = presetOptions<ProductionPreset>(['24h', '7d', '30d']);
export type GranularityChoice = 'auto' | Extract<Granularity, 'hour' | 'day'>;
export const GRANULARITIES: readonly { value: GranularityChoice; label: string }[] = [
  { value: 'auto', label: 'Auto' },
  { value: 'hour', label: 'By hour' },
  { value: 'day', label: 'By day' },
];

export const isPreset = (v: unknown): v is ProductionPreset => PRESETS.some((p) => p.value === v);
export const isGranularity = (v: unknown): v is GranularityChoice => GRANULARITIES.some((g) => g.value === v);

/** analytics/production params ("auto" leaves the granularity to the backend; prices from the preferences). */
export function productionParams(o: {
  preset: ProductionPreset;
  granularity: GranularityChoice;
  timeZone: string | null;
  cpuHourUsd: number;
  gpuHourUsd: number;
}): ProductionParams {
  const p: ProductionParams = { preset: o.preset, cpuHourUsd: o.cpuHourUsd, gpuHourUsd: o.gpuHourUsd };
  if (o.granularity !== 'auto') p.granularity = o.granularity;
  if (o.timeZone) p.timeZone = o.timeZone;
  return p;
}

/** A share 0…1 → "8.33%" (3 significant digits from 1%, 2 below); null (no requests) → "—". */
export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  const pct = rate * 100;
  if (pct === 0) return '0%';
  return `${Number(pct.toPrecision(Math.abs(pct) >= 1 ? 3 : 2))}%`;
}

/** Dollars: "$1,234.50" from $1; two significant digits below ("$0.047", "$0.50", "$0.00012"); "$0.00" for 0. */
export function formatUsd(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  if (a === 0) return '$0.00';
  if (a >= 1) return `${sign}$${a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const s = Number(a.toPrecision(2)).toString();
  const decimals = s.includes('.') ? s.split('.')[1]!.length : 0;
  return `${sign}$${Number(s).toFixed(Math.max(2, decimals))}`;
}

/** Milliseconds → "3.2 ms", "120 ms", "1.25 s"; null (no requests) → "—". */
export function formatMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v < 10) return `${Number(v.toFixed(1))} ms`;
  if (v < 1000) return `${Math.round(v)} ms`;
  return `${(v / 1000).toFixed(2)} s`;
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : '—';
}

/** Health: "healthy" (READY and /health answered), "not answering: <why>" (READY, no answer), "—" (not READY). */
export function healthText(d: Pick<ProductionDeployment, 'healthy' | 'healthMessage'>): string {
  if (d.healthy === true) return 'healthy';
  if (d.healthy === false) return `not answering: ${d.healthMessage?.trim() || 'no answer'}`;
  return '—';
}
export function healthKind(d: Pick<ProductionDeployment, 'healthy'>): 'ok' | 'bad' | 'none' {
  return d.healthy === true ? 'ok' : d.healthy === false ? 'bad' : 'none';
}

export function trafficNote(target: string): string {
  return `Traffic is not collected for ${target} deployments`;
}

/** The totals line of a deployment's section. */
export function totalsText(d: Pick<ProductionDeployment, 'totals'>): { requests: string; errorRate: string; p95: string; cost: string } {
  const t = d.totals;
  return {
    requests: `${formatCount(t.requests)} ${t.requests === 1 ? 'request' : 'requests'}`,
    errorRate: `${formatPercent(t.errorRate)} errors`,
    p95: `p95 ${formatMs(t.p95Ms)}`,
    cost: `${formatUsd(t.costUsd)} est.`,
  };
}

/** A deployment's buckets as chart columns (uPlot's aligned data: x in seconds, at the middle of each period). */
export interface BucketSeries {
  x: number[];
  requests: number[];
  errors: number[];
  /** Percent (0…100); null where a period had no request (a gap, not 0%). */
  errorPct: (number | null)[];
  p50: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
  /** USD per period. */
  cost: number[];
  /** USD since the window's start, at the end of each period. */
  costCumulative: number[];
}

const orNull = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

export function bucketSeries(buckets: readonly ProductionBucket[]): BucketSeries {
  const s: BucketSeries = { x: [], requests: [], errors: [], errorPct: [], p50: [], p95: [], p99: [], cost: [], costCumulative: [] };
  const sorted = [...buckets].sort((a, b) => a.start - b.start);
  let total = 0;
  for (const b of sorted) {
    s.x.push((b.start + b.end) / 2 / 1000);
    s.requests.push(b.requests);
    s.errors.push(b.errors);
    const rate = orNull(b.errorRate);
    s.errorPct.push(rate === null ? null : rate * 100);
    s.p50.push(orNull(b.p50Ms));
    s.p95.push(orNull(b.p95Ms));
    s.p99.push(orNull(b.p99Ms));
    const c = Number.isFinite(b.costUsd) ? b.costUsd : 0;
    s.cost.push(c);
    total += c;
    s.costCumulative.push(total);
  }
  return s;
}
