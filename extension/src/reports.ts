// Pure helpers of the report commands (reportCommands.ts): the choices of "Generate Report…", the file name an
// export proposes, and reading the untrusted arguments a panel posts.
import type { RangePreset, ReportFormat, ReportType } from './protocol';
import { REPORT_TYPE_LABELS } from './reportRules';

export { reportFileName } from './reportRules';

export const REPORT_TYPES: ReadonlyArray<{ type: ReportType; label: string; detail: string }> = [
  { type: 'executive', label: REPORT_TYPE_LABELS.executive, detail: 'Headline numbers, trends and the most notable insights' },
  { type: 'technical', label: REPORT_TYPE_LABELS.technical, detail: 'Experiments, best runs per metric, failures and durations' },
  { type: 'cost', label: REPORT_TYPE_LABELS.cost, detail: 'Compute hours and serving cost at the mltrack.cost.* prices' },
];

/** The ranges "Generate Report…" offers (the panel offers custom ranges). */
export const REPORT_RANGES: ReadonlyArray<{ preset: RangePreset; label: string }> = [
  { preset: '7d', label: 'Last 7 days' },
  { preset: '30d', label: 'Last 30 days' },
  { preset: '90d', label: 'Last 90 days' },
  { preset: 'ytd', label: 'Year to date' },
  { preset: 'all', label: 'All time' },
];

export const DEFAULT_REPORT_RANGE: RangePreset = '30d';

/** The report types in pick order: the default type (mltrack.reports.defaultType) first. */
export function reportTypeChoices(defaultType: ReportType): Array<{ type: ReportType; label: string; detail: string; description?: string }> {
  const first = REPORT_TYPES.find((t) => t.type === defaultType);
  const rest = REPORT_TYPES.filter((t) => t.type !== defaultType);
  return [...(first ? [{ ...first, description: 'default' }] : []), ...rest];
}

export const isReportFormat = (v: unknown): v is ReportFormat => v === 'html' || v === 'md';

/** The report id an argument stands for: an id, or an object with `reportId` (a panel's card, a ReportInfo). */
export function reportIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg.trim()) return arg.trim();
  if (arg && typeof arg === 'object' && typeof (arg as { reportId?: unknown }).reportId === 'string') {
    const id = (arg as { reportId: string }).reportId.trim();
    return id || undefined;
  }
  return undefined;
}

/** Save-dialog filters of an export format. */
export function reportFilters(format: ReportFormat): Record<string, string[]> {
  return format === 'html' ? { HTML: ['html', 'htm'] } : { Markdown: ['md'] };
}

/** "1 file" / "3 files" beside the report (Markdown writes its charts into `<name>_files/`). */
export function exportedText(files: readonly string[]): string {
  const extra = files.length - 1;
  return extra > 0 ? ` (and ${extra} chart file${extra === 1 ? '' : 's'})` : '';
}
