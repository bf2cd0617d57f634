// Local days and date ranges as the panels' range pickers hold them (analytics, activity, reports): the presets and
// their labels, date inputs ("YYYY-MM-DD", a local day) ⇄ epoch ms, and the browser's time zone, which the backend
// cuts periods in. Pure (no DOM); unit-tested in test/range.test.ts.
import type { RangePreset } from '../../extension/src/protocol';

const PRESET_LABELS: Readonly<Record<RangePreset, string>> = {
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  ytd: 'Year to date',
  all: 'All time',
  custom: 'Custom…',
};

export interface PresetOption<P extends string> {
  value: P;
  label: string;
}

/** The options of a range picker offering `presets`, in that order, each with its label. */
export function presetOptions<P extends RangePreset>(presets: readonly P[]): readonly PresetOption<P>[] {
  return presets.map((value) => ({ value, label: PRESET_LABELS[value] }));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local midnight of the day a date input names, moved by `plusDays` calendar days (not × 24 h: DST days differ). */
function localMidnight(s: string | null | undefined, plusDays: number): number | null {
  const m = DATE.exec((s ?? '').trim());
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(d.getTime()) ? null : d.getTime();
}

/** "YYYY-MM-DD" → local midnight of that day (ms), or null when empty or malformed. */
export function dateInputToMs(s: string | null | undefined): number | null {
  return localMidnight(s, 0);
}

/** The exclusive end of a date input's day: local midnight of the next day (a DST day is 23 or 25 hours). */
export function dayEndMs(s: string | null | undefined): number | null {
  return localMidnight(s, 1);
}

/** ms → "YYYY-MM-DD" of the local day it falls in (what a date input shows). */
export function msToDateInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** The date input of a window's exclusive end: the last day the window covers. */
export function endToDateInput(toExclusive: number): string {
  return msToDateInput(toExclusive - 1);
}

/** ms → "YYYY-MM-DD HH:MM", local. */
export function msToDateTime(ms: number): string {
  const d = new Date(ms);
  return `${msToDateInput(ms)} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** The browser's IANA time zone, or null when unknown. */
export function localTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}
