// The activity heatmap's geometry and colour levels (pure, unit-tested in test/panels-activity.test.ts): columns are
// weeks (Monday first), rows weekdays; 5 colour levels (0 = no activity, 1..4 by quartiles of the non-zero values).
import type { HeatmapDay } from '../../../../extension/src/protocol';

export type HeatmapMode = 'runs' | 'diversity' | 'coverage';
export const MODES: readonly { value: HeatmapMode; label: string; title: string }[] = [
  { value: 'runs', label: 'Runs', title: 'Runs started per day' },
  { value: 'diversity', label: 'Diversity', title: 'Distinct experiments per day' },
  { value: 'coverage', label: 'Coverage', title: 'Days with any run, and streaks' },
];
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

export interface Cell {
  /** Index into the days array. */
  i: number;
  col: number;
  /** 0 = Monday … 6 = Sunday. */
  row: number;
}

export interface HeatmapLayout {
  cells: Cell[];
  /** Number of week columns. */
  weeks: number;
  /** Month names at the column of the week holding the month's first day; the first column is labelled with its
   *  month when the next label is at least MONTH_GAP columns away. */
  months: { col: number; label: string }[];
}

/** Minimum columns between two month labels (a label is about three cells wide). */
const MONTH_GAP = 3;

/** Places consecutive days: a new column starts whenever the weekday does not advance (a new Monday-based week). */
export function layoutHeatmap(days: readonly Pick<HeatmapDay, 'date' | 'weekday'>[]): HeatmapLayout {
  const cells: Cell[] = [];
  let col = 0;
  for (let i = 0; i < days.length; i++) {
    const row = days[i]!.weekday;
    if (i > 0 && row <= days[i - 1]!.weekday) col++;
    cells.push({ i, col, row });
  }
  const weeks = days.length ? col + 1 : 0;
  const months: { col: number; label: string }[] = [];
  const monthOf = (date: string) => MONTHS[Number(date.slice(5, 7)) - 1] ?? '';
  const firsts = cells.filter((c) => days[c.i]!.date.endsWith('-01'));
  if (days.length && (firsts.length === 0 || firsts[0]!.col >= MONTH_GAP)) months.push({ col: 0, label: monthOf(days[0]!.date) });
  for (const c of firsts) {
    const last = months[months.length - 1];
    if (last && c.col - last.col < MONTH_GAP) continue; // would collide (months are 4+ columns apart, but clamp anyway)
    months.push({ col: c.col, label: monthOf(days[c.i]!.date) });
  }
  return { cells, weeks, months };
}

/** The value a mode colours a day by. */
export function dayValue(d: Pick<HeatmapDay, 'runs' | 'experiments'>, mode: HeatmapMode): number {
  return mode === 'diversity' ? d.experiments : d.runs;
}

/** Quantile q (0..1) of sorted values, linear between neighbours. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The upper bounds of levels 1..3 (quartiles of the non-zero values) and the maximum (level 4). */
export interface Scale {
  bounds: [number, number, number];
  max: number;
}

export function scaleOf(values: readonly number[]): Scale | null {
  const nz = values.filter((v) => v > 0 && Number.isFinite(v)).sort((a, b) => a - b);
  if (nz.length === 0) return null;
  return { bounds: [quantile(nz, 0.25), quantile(nz, 0.5), quantile(nz, 0.75)], max: nz[nz.length - 1]! };
}

/** 0 for no activity; the busiest value is always 4; otherwise the quartile the value falls in. */
export function levelOf(v: number, s: Scale | null): 0 | 1 | 2 | 3 | 4 {
  if (!s || !(v > 0)) return 0;
  if (v >= s.max) return 4;
  if (v <= s.bounds[0]) return 1;
  if (v <= s.bounds[1]) return 2;
  if (v <= s.bounds[2]) return 3;
  return 4;
}

/** The level of every day in a mode (coverage: active days are 4, idle 0). */
export function levels(days: readonly Pick<HeatmapDay, 'runs' | 'experiments'>[], mode: HeatmapMode): number[] {
  if (mode === 'coverage') return days.map((d) => (d.runs > 0 ? 4 : 0));
  const vals = days.map((d) => dayValue(d, mode));
  const s = scaleOf(vals);
  return vals.map((v) => levelOf(v, s));
}

/** Legend texts of levels 1..4 for a scale: the whole numbers each level holds ("1–2", "3", or "" when a level
 *  holds none, e.g. every active day equal). Counts are whole numbers. */
export function legendRanges(s: Scale | null): string[] {
  if (!s) return [];
  const b = [0, ...s.bounds];
  const out: string[] = [];
  for (let l = 1; l <= 4; l++) {
    const lo = l === 4 ? Math.min(Math.floor(b[3]!) + 1, s.max) : Math.floor(b[l - 1]!) + 1;
    const hi = l === 4 ? s.max : Math.min(Math.floor(b[l]!), s.max - 1);
    out.push(lo > hi ? '' : lo === hi ? String(lo) : `${lo}–${hi}`);
  }
  return out;
}

const plural = (n: number, one: string, many = one + 's') => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The tooltip of a day: "2026-03-05 (Thu)\n3 runs, 1 failed\n2 experiments". */
export function dayTooltip(d: HeatmapDay): string {
  return `${d.date} (${WEEKDAYS[d.weekday] ?? ''})\n${plural(d.runs, 'run')}, ${d.failed.toLocaleString('en-US')} failed\n${plural(d.experiments, 'experiment')}`;
}

/** The runs-table filter for the runs started on a day (and by a user). */
export function dayFilter(d: Pick<HeatmapDay, 'start' | 'end'>, user: string | null): string {
  const f = `attributes.start_time >= ${d.start} and attributes.start_time < ${d.end}`;
  return user ? `${f} and attributes.user_id = '${user.replace(/'/g, "''")}'` : f;
}
