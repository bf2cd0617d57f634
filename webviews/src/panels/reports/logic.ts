// Pure logic of the Reports panel (unit-tested in test/panels-reports.test.ts): card texts, the params of
// reports/list and reports/generate from the date inputs (local days: ../../range.ts), export file names.
import type { RangePreset, ReportGenerateParams, ReportInfo, ReportListParams, ReportType } from '../../../../extension/src/protocol';
import { REPORT_TYPE_LABELS, reportFileName, zoneDay } from '../../../../extension/src/reportRules';
import { dateInputToMs, dayEndMs, msToDateInput, msToDateTime, presetOptions } from '../../range';

export const REPORT_TYPES: readonly ReportType[] = ['executive', 'technical', 'cost'];

export const TYPE_LABELS = REPORT_TYPE_LABELS;

/** The ranges the Generate form offers ("custom" shows two date inputs). */
export const GENERATE_PRESETS = presetOptions(['7d', '30d', '90d', 'ytd', 'all', 'custom'] as const);

export const isReportType = (v: unknown): v is ReportType => typeof v === 'string' && (REPORT_TYPES as readonly string[]).includes(v);

/** Epoch ms → "YYYY-MM-DD" in `timeZone` (IANA name; UTC when unknown); the browser's zone when absent. */
export function formatDate(ms: number, timeZone?: string | null): string {
  if (!Number.isFinite(ms)) return '';
  return timeZone ? zoneDay(ms, timeZone) : msToDateInput(ms);
}

/**
 * The days a report covers, "2026-03-01 – 2026-03-30" (one date when a single day). Windows end exclusively, so the
 * last day shown is the one holding to − 1 ms (a window ending at midnight does not name the next day).
 */
export function formatRange(info: Pick<ReportInfo, 'from' | 'to' | 'timeZone'>): string {
  const a = formatDate(info.from, info.timeZone);
  const b = formatDate(Math.max(info.from, info.to - 1), info.timeZone);
  return a === b ? a : `${a} – ${b}`;
}

/** Bytes → "12.3 KB" (never "0.0 KB" for a non-empty report). */
export function formatKb(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes === 0) return '0 KB';
  const kb = bytes / 1024;
  return kb < 0.1 ? '0.1 KB' : `${kb.toFixed(1)} KB`;
}

export function formatInsights(n: number): string {
  if (!n) return 'no insights';
  return n === 1 ? '1 insight' : `${n} insights`;
}

/** Epoch ms → "YYYY-MM-DD HH:MM" (local). */
export function formatCreated(ms: number): string {
  return Number.isFinite(ms) ? msToDateTime(ms) : '';
}

/** Everything a report card shows. */
export interface CardText {
  type: string;
  title: string;
  range: string;
  created: string;
  size: string;
  insights: string;
}

export function cardText(info: ReportInfo): CardText {
  return {
    type: TYPE_LABELS[info.type] ?? info.type,
    title: info.title,
    range: formatRange(info),
    created: formatCreated(info.createdAt),
    size: formatKb(info.sizeBytes),
    insights: formatInsights(info.insights),
  };
}

/** Newest first (the backend's order too); ties by id so the order is stable. */
export function sortReports(list: readonly ReportInfo[]): ReportInfo[] {
  return [...list].sort((a, b) => b.createdAt - a.createdAt || a.reportId.localeCompare(b.reportId));
}

/** The list filter of the toolbar. */
export interface ListFilter {
  /** Date input values ("" = open end). */
  fromDate: string;
  toDate: string;
  type: ReportType | '';
}

/** reports/list params: reports overlapping [fromDate 00:00, the day after toDate 00:00). */
export function listParams(f: ListFilter): ReportListParams {
  const p: ReportListParams = {};
  const from = dateInputToMs(f.fromDate);
  const to = dayEndMs(f.toDate);
  if (from !== null) p.from = from;
  if (to !== null) p.to = to;
  if (f.type) p.type = f.type;
  return p;
}

/** The Generate form's values. */
export interface GenerateForm {
  type: ReportType;
  preset: RangePreset;
  /** Date inputs, used when preset is "custom". */
  fromDate: string;
  toDate: string;
  /** "" = every experiment. */
  experimentId: string;
  timeZone: string | null;
}

/**
 * reports/generate params, or the reason the form is incomplete. A custom range covers whole days (to: the day after
 * toDate). A reversed range is not refused here but sent as the starts of both days, so that it stays reversed even
 * when the dates are one day apart: the backend refuses from > to with its reason, which the panel shows.
 */
export function generateParams(f: GenerateForm): { params: ReportGenerateParams } | { error: string } {
  const params: ReportGenerateParams = { type: f.type };
  if (f.preset === 'custom') {
    const from = dateInputToMs(f.fromDate);
    const to = f.fromDate > f.toDate ? dateInputToMs(f.toDate) : dayEndMs(f.toDate);
    if (from === null || to === null) return { error: 'Choose both dates of the custom range.' };
    params.from = from;
    params.to = to;
  } else {
    params.preset = f.preset;
  }
  if (f.timeZone) params.timeZone = f.timeZone;
  if (f.experimentId) params.experimentId = f.experimentId;
  return { params };
}

/** The file name of an export (the extension proposes the same one): "<type>-<first day>-<last day>.<ext>". */
export function exportFileName(info: Pick<ReportInfo, 'type' | 'from' | 'to' | 'timeZone'>, ext: 'html' | 'md'): string {
  return reportFileName(info, ext);
}

export const MIME: Readonly<Record<'html' | 'md', string>> = { html: 'text/html', md: 'text/markdown' };
