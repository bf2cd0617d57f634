// Report naming shared by the extension (Export Report…) and the Reports panel (webviews/, which imports this file as
// it imports protocol.ts): type labels and the file name an export proposes. Pure: no `vscode` import.
import type { ReportFormat, ReportInfo, ReportType } from './protocol';

export const REPORT_TYPE_LABELS: Readonly<Record<ReportType, string>> = {
  executive: 'Executive summary',
  technical: 'Technical report',
  cost: 'Cost analysis',
};

/** "YYYY-MM-DD" of a time in a time zone (UTC when the zone is unknown to this runtime). */
export function zoneDay(timeMs: number, timeZone: string): string {
  const fmt = (tz: string) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(timeMs));
  try {
    return fmt(timeZone);
  } catch {
    return fmt('UTC');
  }
}

/**
 * The file name an export proposes: `<type>-<from>-<to>.<ext>`, days in the report's time zone. `to` is exclusive,
 * so the name shows the last day the report covers (a window ending at midnight names the day before).
 */
export function reportFileName(info: Pick<ReportInfo, 'type' | 'from' | 'to' | 'timeZone'>, format: ReportFormat): string {
  const last = Math.max(info.from, info.to - 1);
  return `${info.type}-${zoneDay(info.from, info.timeZone)}-${zoneDay(last, info.timeZone)}.${format}`;
}
