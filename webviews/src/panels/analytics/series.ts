// What the analytics panel charts: the series of a time-series answer, grouped into charts, and the CSV of exactly
// what is shown (the current buckets, the series not hidden). Pure, unit-tested in test/panels-analytics.test.ts.
import type { TimeSeriesBucket } from '../../../../extension/src/protocol';
import { csvField, num } from '../../dom';

export type SeriesId = 'runsStarted' | 'runsFinished' | 'runsFailed' | 'computeHours' | 'experiments' | 'users' | 'metricBest';

export interface SeriesDef {
  id: SeriesId;
  label: string;
  /** CSV column name. */
  column: string;
  color: string;
  /** Bars (counts, hours per period) or a line with points (distinct counts, a metric). */
  kind: 'bars' | 'line';
  /** The bucket's value; null = no value (a period without the metric). */
  value(b: TimeSeriesBucket): number | null;
}

export interface ChartDef {
  id: 'runs' | 'compute' | 'diversity' | 'metric';
  title: string;
  series: SeriesDef[];
  /** Counts start at zero; a metric uses its own range. */
  fromZero: boolean;
}

const S = (id: SeriesId, label: string, column: string, color: string, kind: SeriesDef['kind'], value: SeriesDef['value']): SeriesDef =>
  ({ id, label, column, color, kind, value });

export const SERIES: Record<Exclude<SeriesId, 'metricBest'>, SeriesDef> = {
  runsStarted: S('runsStarted', 'Started', 'runs_started', '#4e79a7', 'bars', (b) => b.runsStarted),
  runsFinished: S('runsFinished', 'Finished', 'runs_finished', '#59a14f', 'bars', (b) => b.runsFinished),
  runsFailed: S('runsFailed', 'Failed', 'runs_failed', '#e15759', 'bars', (b) => b.runsFailed),
  computeHours: S('computeHours', 'Compute hours', 'compute_hours', '#f28e2b', 'bars', (b) => b.computeHours),
  experiments: S('experiments', 'Experiments', 'experiments', '#b07aa1', 'line', (b) => b.experiments),
  users: S('users', 'Users', 'users', '#76b7b2', 'line', (b) => b.users),
};

/** The metric-best series of a key: null where the period has no value; NaN/±Infinity stay as such (CSV names them). */
export function metricSeries(key: string, goal: 'min' | 'max' | null): SeriesDef {
  return S('metricBest', `${goal === 'min' ? 'Lowest' : goal === 'max' ? 'Highest' : 'Best'} ${key}`, `best_${key}`, '#edc948', 'line',
    (b) => (b.metricBest === null || b.metricBest === undefined ? null : num(b.metricBest)));
}

/** The charts for an answer, in order (the metric chart only when a metric was asked for). */
export function chartsFor(granularityLabel: string, metricKey: string | null, metricGoal: 'min' | 'max' | null): ChartDef[] {
  const per = `per ${granularityLabel}`;
  const out: ChartDef[] = [
    { id: 'runs', title: `Runs ${per}`, series: [SERIES.runsStarted, SERIES.runsFinished, SERIES.runsFailed], fromZero: true },
    { id: 'compute', title: `Compute hours ${per}`, series: [SERIES.computeHours], fromZero: true },
    { id: 'diversity', title: `Distinct experiments and users ${per}`, series: [SERIES.experiments, SERIES.users], fromZero: true },
  ];
  if (metricKey) out.push({ id: 'metric', title: `${metricSeries(metricKey, metricGoal).label} ${per}`, series: [metricSeries(metricKey, metricGoal)], fromZero: false });
  return out;
}

/** CSV: header `period,start,end,<column per series>`; one row per bucket (label, start and end as UTC ISO 8601). */
export function toCsv(buckets: readonly TimeSeriesBucket[], series: readonly SeriesDef[]): string {
  const lines = [['period', 'start', 'end', ...series.map((s) => s.column)].map(csvField).join(',')];
  for (const b of buckets) {
    lines.push([b.label, new Date(b.start).toISOString(), new Date(b.end).toISOString(), ...series.map((s) => s.value(b))].map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

/** "1,234" for counts, hours with one decimal (two under 10). */
export function formatTotal(id: SeriesId, v: number): string {
  if (id === 'computeHours') return v.toLocaleString('en-US', { maximumFractionDigits: v < 10 ? 2 : 1, minimumFractionDigits: 0 });
  return v.toLocaleString('en-US');
}

/** Noun for axis titles: "hour", "day", "week", "month". */
export function granularityNoun(g: string): string {
  return g === 'hour' || g === 'day' || g === 'week' || g === 'month' ? g : 'period';
}
