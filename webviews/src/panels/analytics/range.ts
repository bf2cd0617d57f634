// The analytics window as the toolbar holds it (preset or custom dates, a zoom) → the params of analytics/* calls.
// Pure (no DOM), unit-tested in test/panels-analytics.test.ts; the activity panel uses the same range logic. Dates
// and presets in general: ../../range.ts.
import type { AnalyticsRangeParams, Granularity, RangePreset, TimeSeriesBucket } from '../../../../extension/src/protocol';
import { dateInputToMs, dayEndMs, msToDateInput, msToDateTime, presetOptions } from '../../range';

export const PRESETS = presetOptions<RangePreset>(['24h', '7d', '30d', '90d', 'ytd', 'all', 'custom']);
export const GRANULARITIES: readonly (Granularity | 'auto')[] = ['auto', 'hour', 'day', 'week', 'month'];

export function isPreset(v: unknown): v is RangePreset {
  return typeof v === 'string' && PRESETS.some((p) => p.value === v);
}

/** The range part of a panel's state: a preset, or custom dates ("YYYY-MM-DD", local, both ends inclusive); null
 *  preset = the backend's default window (the heatmap's last 52 weeks). */
export interface RangeChoice {
  preset: RangePreset | null;
  fromDate: string;
  toDate: string;
}

/** A zoomed sub-window (Unix ms, end exclusive): wins over the preset while set. */
export interface Zoom {
  from: number;
  to: number;
}

/**
 * The window params of an analytics call. A zoom sends its edges; a custom range sends [from 00:00, day after to
 * 00:00) in local time (so a one-day range is that whole day; from after to is sent as is, for the backend to refuse
 * with its reason); a preset is sent by name for the backend to resolve against its clock and the time zone; no
 * preset sends none (the backend's default window).
 */
export function rangeParams(r: RangeChoice, zoom: Zoom | null, timeZone: string | null): AnalyticsRangeParams {
  const tz = timeZone ? { timeZone } : {};
  if (zoom) return { from: zoom.from, to: zoom.to, ...tz };
  if (r.preset === 'custom') {
    const from = dateInputToMs(r.fromDate);
    const to = dayEndMs(r.toDate);
    // Incomplete dates: the backend names what is missing.
    return { preset: 'custom', from, to, ...tz };
  }
  return r.preset ? { preset: r.preset, ...tz } : { ...tz };
}

/**
 * The sub-window a drag over bucket indices [a, b] selects (x values are bucket indices, a bucket drawn centred on its
 * index): from the start of the first bucket touched to the end of the last. Null without buckets.
 */
export function zoomRange(buckets: readonly Pick<TimeSeriesBucket, 'start' | 'end'>[], a: number, b: number): Zoom | null {
  if (buckets.length === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  const clamp = (x: number) => Math.max(0, Math.min(buckets.length - 1, Math.round(x)));
  const lo = clamp(Math.min(a, b)), hi = clamp(Math.max(a, b));
  return { from: buckets[lo]!.start, to: buckets[hi]!.end };
}

/** "2026-03-05 14:00" (local), minutes dropped at midnight: "2026-03-05". */
export function formatWindowEdge(ms: number): string {
  const d = new Date(ms);
  return d.getHours() === 0 && d.getMinutes() === 0 ? msToDateInput(ms) : msToDateTime(ms);
}

/** A window's edges as people say them: [first, last], the last day inclusive when the window ends at midnight
 *  ("2026-03-01" – "2026-03-07" for [1 March, 8 March)); otherwise the exact end time. */
export function windowEdges(from: number, to: number): [string, string] {
  const end = new Date(to);
  const midnight = end.getHours() === 0 && end.getMinutes() === 0 && end.getSeconds() === 0 && end.getMilliseconds() === 0;
  return [formatWindowEdge(from), midnight && to > from ? msToDateInput(to - 1) : formatWindowEdge(to)];
}

/** The window line above the charts: "2026-03-01 – 2026-03-07". */
export function windowText(from: number, to: number): string {
  const [first, last] = windowEdges(from, to);
  return first === last ? first : `${first} – ${last}`;
}

/** The empty-state text of a window: "No runs between 2026-03-01 and 2026-03-07." */
export function emptyText(from: number, to: number): string {
  const [first, last] = windowEdges(from, to);
  return `No runs between ${first} and ${last}.`;
}
