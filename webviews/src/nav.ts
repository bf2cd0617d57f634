// Opening other panels. VS Code: ask the extension to run an allow-listed command
//   {type:'command', command, args}. Browser: navigate to /ui/<panel>?args=<json> on the same origin
//   (keeping the page's other query parameters; the session cookie, not the URL, signs the page in).
import { postCommand } from './transport';

export type PanelName =
  | 'runs' | 'charts' | 'compare' | 'run' | 'lineage' | 'search' | 'deployForm' | 'openapi' | 'deployments'
  | 'analytics' | 'activity' | 'reports' | 'production';

/** The extension command each navigation posts, and its args. */
export const NavCommand = {
  openRun: 'mltrack.openRun', //         args: [runId]
  openCompare: 'mltrack.openCompare', // args: [runIds]
  openChart: 'mltrack.openChart', //     args: [runIds, key | null]
  openLineage: 'mltrack.openLineage', // args: [{ runId?, filePath?, direction?, depth? }]
  openSearch: 'mltrack.openSearch', //   args: [text]
  openRuns: 'mltrack.openRuns', //       args: [{ filter? }]
  openAnalytics: 'mltrack.openAnalytics', //   args: [{ preset?, metricKey? }]
  openActivity: 'mltrack.openActivity', //     args: [{ user? }]
  openReports: 'mltrack.openReports', //       args: [{ reportId? }]
  openProduction: 'mltrack.openProduction', // args: [{ deploymentId? }]
} as const;

/** The browser URL of a panel. */
export function panelUrl(panel: PanelName, args: unknown): string {
  const url = new URL(`/ui/${panel}`, location.href);
  const here = new URLSearchParams(location.search);
  for (const [k, v] of here) if (k !== 'args' && k !== 'panel') url.searchParams.set(k, v);
  url.searchParams.set('args', JSON.stringify(args ?? {}));
  return url.pathname + url.search;
}

function go(command: string, cmdArgs: unknown[], panel: PanelName, args: unknown, newTab = false): void {
  if (postCommand(command, cmdArgs)) return;
  const url = panelUrl(panel, args);
  if (newTab) window.open(url, '_blank', 'noopener');
  else location.assign(url);
}

export function openRun(runId: string, opts: { newTab?: boolean } = {}): void {
  go(NavCommand.openRun, [runId], 'run', { runId }, opts.newTab);
}
export function openCompare(runIds: string[], opts: { newTab?: boolean } = {}): void {
  go(NavCommand.openCompare, [runIds], 'compare', { runIds }, opts.newTab);
}
export function openChart(runIds: string[], key?: string | null, opts: { newTab?: boolean } = {}): void {
  go(NavCommand.openChart, [runIds, key ?? null], 'charts', key ? { runIds, keys: [key] } : { runIds }, opts.newTab);
}
export function openLineage(
  args: { runId?: string | null; filePath?: string | null; direction?: 'up' | 'down' | 'both' | null; depth?: number | null },
  opts: { newTab?: boolean } = {},
): void {
  go(NavCommand.openLineage, [args], 'lineage', args, opts.newTab);
}
export function openSearch(text: string, opts: { newTab?: boolean } = {}): void {
  go(NavCommand.openSearch, [text], 'search', { text }, opts.newTab);
}
export function openRuns(args: { filter?: string } = {}, opts: { newTab?: boolean } = {}): void {
  go(NavCommand.openRuns, [args], 'runs', args, opts.newTab);
}
export function openAnalytics(args: { preset?: string; metricKey?: string } = {}, opts: { newTab?: boolean } = {}): void {
  go(NavCommand.openAnalytics, [args], 'analytics', args, opts.newTab);
}
export function openActivity(args: { user?: string } = {}, opts: { newTab?: boolean } = {}): void {
  go(NavCommand.openActivity, [args], 'activity', args, opts.newTab);
}
export function openReports(args: { reportId?: string } = {}, opts: { newTab?: boolean } = {}): void {
  go(NavCommand.openReports, [args], 'reports', args, opts.newTab);
}
export function openProduction(args: { deploymentId?: string } = {}, opts: { newTab?: boolean } = {}): void {
  go(NavCommand.openProduction, [args], 'production', args, opts.newTab);
}
