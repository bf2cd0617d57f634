// Hosts the webviews app (../webviews, packaged as extension/webviews/{shell.html,dist/}) in VS Code panels:
// the shell page (the same template `mltrack ui` serves), the postMessage bridge to the backend (allow-listed
// methods and commands only), notifications and reconnects pushed to every open panel, and a serializer per panel
// type so panels come back after a reload (state via the webview's getState/setState; retainContextWhenHidden off).
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as vscode from 'vscode';
import * as rpc from 'vscode-jsonrpc/node';
import { Backend } from '../backend';
import { readPreferences, setPreferences, watchPreferences } from '../preferences';
import { Method, Notification, type RequestMethod } from '../protocol';
import { saveFromPanel } from './saveFile';

export type PanelKind =
  | 'runs' | 'charts' | 'compare' | 'run' | 'lineage' | 'search' | 'deployForm' | 'openapi' | 'deployments'
  | 'analytics' | 'activity' | 'reports' | 'production';

/** Panels shown once (re-targeted and revealed when opened again): their key is their kind. */
const SINGLE_PANELS: ReadonlySet<PanelKind> = new Set(['runs', 'run', 'search', 'deployments', 'analytics', 'activity', 'reports', 'production']);

/** The webview panel type of each panel (also the key of its serializer; listed in package.json activationEvents). */
export const VIEW_TYPES: Readonly<Record<PanelKind, string>> = {
  runs: 'mltrack.runsTable',
  charts: 'mltrack.chart',
  compare: 'mltrack.compare',
  run: 'mltrack.run',
  lineage: 'mltrack.lineage',
  search: 'mltrack.searchResults',
  deployForm: 'mltrack.deployForm',
  openapi: 'mltrack.openapi',
  deployments: 'mltrack.deploymentsList',
  analytics: 'mltrack.analytics',
  activity: 'mltrack.activity',
  reports: 'mltrack.reports',
  production: 'mltrack.production',
};

/**
 * Methods a panel may call through the bridge: the read methods plus the few writes the panels offer (same list as
 * server/MLTrack.Server/Ui/UiRpcMethods.cs). reports/export is left out on purpose: it writes to a path, which in
 * VS Code comes from a save dialog (the mltrack.exportReport command), never from a panel.
 */
export const ALLOWED_METHODS: ReadonlySet<string> = new Set<RequestMethod>([
  Method.experimentsList,
  Method.runsList,
  Method.runsGet,
  Method.metricsHistory,
  Method.metricsHistoryMany,
  Method.metricsKeys,
  Method.metricsLatest,
  Method.searchQuery,
  Method.lineageGraph,
  Method.runsCodeDiff,
  Method.artifactsRead,
  Method.runsSetTag,
  Method.runsDeleteTag,
  Method.runsStop,
  Method.runsLaunch,
  Method.deploymentsCreate,
  Method.deploymentsList,
  Method.deploymentsGet,
  Method.deploymentsStop,
  Method.deploymentsDelete,
  Method.deploymentsOpenApi,
  Method.deploymentsLogs,
  Method.deploymentsCanDeploy,
  Method.analyticsTimeSeries,
  Method.analyticsHeatmap,
  Method.analyticsFacets,
  Method.analyticsProduction,
  Method.reportsGenerate,
  Method.reportsList,
  Method.reportsContent,
  Method.reportsDelete,
  Method.preferencesGet,
  Method.preferencesSet,
]);

/** Extension commands a panel may run (executed as VS Code commands). */
export const ALLOWED_COMMANDS: ReadonlySet<string> = new Set([
  'mltrack.openRun',
  'mltrack.compareRuns',
  'mltrack.showChart',
  'mltrack.showLineage',
  'mltrack.rerun',
  'mltrack.search',
  'mltrack.showSearchResults',
  'mltrack.revealExperiment',
  'mltrack.stopRun',
  'mltrack.copyRunId',
  'mltrack.showRunsTable',
  'mltrack.deploy',
  'mltrack.deploySubmit',
  'mltrack.deployTryIt',
  'mltrack.deployments.openApi',
  'mltrack.deployments.copyUrl',
  'mltrack.showDeployments',
  'mltrack.setPreference',
  'mltrack.exportReport',
]);

/** Navigation commands of the webviews app (webviews/src/nav.ts), handled here by opening the panel. */
const NAVIGATION: Readonly<Record<string, (args: unknown[]) => void>> = {
  'mltrack.openCompare': ([runIds]) => openComparePanel(strings(runIds)),
  'mltrack.openChart': ([runIds, key]) => openChartPanel(strings(runIds), typeof key === 'string' ? key : undefined),
  'mltrack.openLineage': ([a]) => openLineagePanel(isObject(a) ? a : {}),
  'mltrack.openSearch': ([text]) => openSearchPanel(typeof text === 'string' ? text : ''),
  'mltrack.openRuns': ([a]) => openRunsPanel(isObject(a) ? a : {}),
  'mltrack.openAnalytics': ([a]) => openAnalyticsPanel(pick(a, { preset: 'string', metricKey: 'string' })),
  'mltrack.openActivity': ([a]) => openActivityPanel(pick(a, { user: 'string' })),
  'mltrack.openReports': ([a]) => openReportsPanel(pick(a, { reportId: 'string' })),
  'mltrack.openProduction': ([a]) => openProductionPanel(pick(a, { deploymentId: 'string' })),
  'mltrack.openArtifact': ([runId, p]) => void openArtifact(runId, p).catch(reportError('open the artifact')),
  'mltrack.openDiff': ([a, b]) => void openDiff(a, b).catch(reportError('show the code difference')),
};

const reportError = (what: string) => (e: unknown) =>
  void vscode.window.showErrorMessage(`MLTrack: could not ${what}: ${e instanceof Error ? e.message : String(e)}`);

/** Opens a run's artifact (a file under its local artifact folder) in an editor. */
async function openArtifact(runId: unknown, relPath: unknown): Promise<void> {
  if (typeof runId !== 'string' || typeof relPath !== 'string' || relPath.split(/[\\/]/).some((s) => s === '..')) return;
  const run = await requireHost().backend.request(Method.runsGet, { runId });
  const root = run.artifactUri ? vscode.Uri.parse(run.artifactUri) : undefined;
  if (!root || root.scheme !== 'file') {
    void vscode.window.showInformationMessage(`MLTrack: the artifacts of run ${shortId(runId)} are not in a local folder (${run.artifactUri ?? 'none'}).`);
    return;
  }
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.joinPath(root, ...relPath.split('/').filter(Boolean)));
}

/** The runs' source file at each run's commit, in VS Code's diff editor (through the git extension's git: URIs). */
async function openDiff(a: unknown, b: unknown): Promise<void> {
  if (typeof a !== 'string' || typeof b !== 'string') return;
  const backend = requireHost().backend;
  const [ra, rb] = await Promise.all([backend.request(Method.runsGet, { runId: a }), backend.request(Method.runsGet, { runId: b })]);
  const file = ra.sourceFile ?? rb.sourceFile;
  if (!file || !ra.git?.commit || !rb.git?.commit) {
    void vscode.window.showInformationMessage('MLTrack: both runs need a recorded git commit and source file to show their code difference.');
    return;
  }
  const at = (path: string, ref: string) => vscode.Uri.file(path).with({ scheme: 'git', query: JSON.stringify({ path, ref }) });
  await vscode.commands.executeCommand('vscode.diff', at(ra.sourceFile ?? file, ra.git.commit), at(rb.sourceFile ?? file, rb.git.commit),
    `${shortId(a)} ↔ ${shortId(b)} · ${file.split('/').pop()}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && !!x) : typeof v === 'string' ? [v] : []);
const shortId = (id: string) => id.slice(0, 8);
/** The named fields of a posted args object that have the expected type (others are dropped). */
function pick(v: unknown, fields: Readonly<Record<string, 'string'>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isObject(v)) return out;
  for (const [k, t] of Object.entries(fields)) if (typeof v[k] === t && v[k] !== '') out[k] = v[k];
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// the shell

/** Fills the shell template: every {{name}} by its HTML-escaped value (unknown names: empty). */
export function fillShell(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (_, name: string) => escapeAttr(values[name] ?? ''));
}

export function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function newNonce(): string {
  return crypto.randomBytes(18).toString('base64');
}

const FALLBACK_SHELL = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src {{cspSource}};">
<title>{{title}}</title></head><body><h1>MLTrack</h1><p>The panels are missing from this installation (webviews/shell.html, webviews/dist/main.js). Rebuild the extension with <code>npm run package</code>.</p></body></html>`;

// ---------------------------------------------------------------------------------------------------------------
// hosted panels

interface HostContext {
  extensionUri: vscode.Uri;
  backend: Backend;
  memento: vscode.Memento;
}

let host: HostContext | undefined;
const hosted = new Set<HostedPanel>();
const ARGS_MEMENTO = 'mltrack.panelArgs';

function requireHost(): HostContext {
  if (!host) throw new Error('MLTrack panels are not registered (registerPanels was not called at activation)');
  return host;
}

export class HostedPanel {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly kind: PanelKind,
    readonly panel: vscode.WebviewPanel,
    private args: Record<string, unknown>,
    public key: string,
  ) {
    const h = requireHost();
    panel.iconPath = vscode.Uri.joinPath(h.extensionUri, 'media', 'mltrack.svg');
    panel.webview.options = webviewOptions(h.extensionUri);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
    );
    hosted.add(this);
    this.render();
  }

  /** Shows other args (e.g. another run) in this panel; the same args only reveal it (its page keeps its state). */
  show(args: Record<string, unknown>, title: string, key: string): void {
    const same = JSON.stringify(args ?? {}) === JSON.stringify(this.args ?? {});
    this.args = args;
    this.key = key;
    this.panel.title = title;
    if (!same) this.render();
    this.panel.reveal();
  }

  private render(): void {
    const h = requireHost();
    const webviews = vscode.Uri.joinPath(h.extensionUri, 'webviews');
    const w = this.panel.webview;
    let template: string;
    try {
      template = fs.readFileSync(vscode.Uri.joinPath(webviews, 'shell.html').fsPath, 'utf8');
      if (!fs.existsSync(vscode.Uri.joinPath(webviews, 'dist', 'main.js').fsPath)) throw new Error('no dist/main.js');
    } catch {
      template = FALLBACK_SHELL;
    }
    const argsJson = JSON.stringify(this.args ?? {});
    w.html = fillShell(template, {
      cspSource: w.cspSource,
      nonce: newNonce(),
      connectSrc: "'none'",
      base: w.asWebviewUri(vscode.Uri.joinPath(webviews, 'dist')).toString(),
      panel: this.kind,
      argsJson,
      rpcUrl: '',
      title: this.panel.title,
      // the panels' first paint uses the current preferences; changes arrive as {type:'preferences'} messages
      preferencesJson: JSON.stringify(readPreferences()),
    });
    void rememberArgs(this.panel.title, this.kind, argsJson);
  }

  post(message: unknown): void {
    void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  private async onMessage(m: unknown): Promise<void> {
    if (!isObject(m)) return;
    if (m.type === 'rpc') {
      const id = m.id;
      if (typeof id !== 'number' && typeof id !== 'string') return;
      const method = m.method;
      if (typeof method !== 'string' || !ALLOWED_METHODS.has(method)) {
        this.post({ type: 'rpcError', id, error: { code: -32601, message: `Method '${String(method)}' is not available to the panels.`, data: { errorCode: 'ENDPOINT_NOT_FOUND' } } });
        return;
      }
      try {
        const backend = requireHost().backend;
        const params = m.params === null || m.params === undefined ? undefined : m.params;
        const result = await backend.request(method as RequestMethod, params as never);
        this.post({ type: 'rpcResult', id, result: result ?? null });
      } catch (e) {
        this.post({ type: 'rpcError', id, error: errorOf(e) });
      }
      return;
    }
    if (m.type === 'saveFile') {
      // Exports (chart CSV/PNG/SVG): webviews cannot download; offer a save dialog and write the bytes.
      await saveFromPanel(m).catch(reportError('save the export'));
      return;
    }
    if (m.type === 'command') {
      const command = m.command;
      if (typeof command !== 'string') return;
      const args = jsonSafe(Array.isArray(m.args) ? m.args : m.args === undefined ? [] : [m.args]);
      const nav = NAVIGATION[command];
      try {
        if (nav) nav(args);
        else if (ALLOWED_COMMANDS.has(command)) await vscode.commands.executeCommand(command, ...args);
      } catch (e) {
        void vscode.window.showErrorMessage(`MLTrack: ${command} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private dispose(): void {
    hosted.delete(this);
    for (const d of this.disposables) d.dispose();
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableForms: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'webviews')],
  };
}

/** Plain JSON values only (drops functions and cycles a message cannot carry anyway). */
function jsonSafe(args: unknown[]): unknown[] {
  try {
    return JSON.parse(JSON.stringify(args)) as unknown[];
  } catch {
    return [];
  }
}

function errorOf(e: unknown): { code: number; message: string; data?: unknown } {
  if (e instanceof rpc.ResponseError) return { code: e.code, message: e.message, data: e.data ?? null };
  return { code: -32000, message: e instanceof Error ? e.message : String(e), data: { errorCode: 'BACKEND_UNAVAILABLE' } };
}

/** Args by panel title: the fallback for restoring a panel whose webview saved no state. */
async function rememberArgs(title: string, kind: PanelKind, argsJson: string): Promise<void> {
  const h = host;
  if (!h) return;
  const all = { ...(h.memento.get<Record<string, string>>(ARGS_MEMENTO) ?? {}) };
  all[`${kind}\u0000${title}`] = argsJson;
  const keys = Object.keys(all);
  for (const k of keys.slice(0, Math.max(0, keys.length - 200))) delete all[k];
  await h.memento.update(ARGS_MEMENTO, all);
}

function recalledArgs(kind: PanelKind, title: string, state: unknown): Record<string, unknown> {
  // the webviews app keeps its args in its state (`__args`, the JSON of data-args) so a reload restores them
  const fromState = isObject(state) ? state.__args ?? state.args : undefined;
  const parse = (v: unknown): Record<string, unknown> | undefined => {
    if (isObject(v)) return v;
    if (typeof v !== 'string') return undefined;
    try {
      const o = JSON.parse(v) as unknown;
      return isObject(o) ? o : undefined;
    } catch {
      return undefined;
    }
  };
  return parse(fromState) ?? parse(host?.memento.get<Record<string, string>>(ARGS_MEMENTO)?.[`${kind}\u0000${title}`]) ?? {};
}

/** Opens a panel, or reveals (and re-targets) the open one with the same key. */
export function openPanel(kind: PanelKind, args: Record<string, unknown>, title: string, key = `${kind}:${JSON.stringify(args)}`): HostedPanel {
  const h = requireHost();
  for (const p of hosted) {
    if (p.kind === kind && p.key === key) {
      p.show(args, title, key);
      return p;
    }
  }
  const panel = vscode.window.createWebviewPanel(VIEW_TYPES[kind], title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
    ...webviewOptions(h.extensionUri),
    retainContextWhenHidden: false,
  });
  return new HostedPanel(kind, panel, args, key);
}

/** Panels of a kind that are open (e.g. to reuse one). */
export function openPanels(kind: PanelKind): HostedPanel[] {
  return [...hosted].filter((p) => p.kind === kind);
}

// ---------------------------------------------------------------------------------------------------------------
// per-panel openers (the files beside this one call these)

export function openRunsPanel(args: Record<string, unknown> = {}): HostedPanel {
  return openPanel('runs', args, 'MLTrack Runs', 'runs');
}

export function openRunPanel(runId: string): HostedPanel {
  // one run page, re-targeted (preview-like)
  return openPanel('run', { runId }, `Run · ${shortId(runId)}`, 'run');
}

export function openChartPanel(runIds: string[], key?: string): HostedPanel {
  const args = key ? { runIds, keys: [key] } : { runIds };
  const title = `${key ?? 'Metrics'} · ${runIds.length === 1 ? shortId(runIds[0]!) : `${runIds.length} runs`}`;
  return openPanel('charts', args, title, `charts:${[...runIds].sort().join(',')}:${key ?? ''}`);
}

export function openComparePanel(runIds: string[]): HostedPanel {
  return openPanel('compare', { runIds }, `Compare ${runIds.length} runs`, `compare:${[...runIds].sort().join(',')}`);
}

export function openLineagePanel(args: Record<string, unknown>): HostedPanel {
  const what = typeof args.runId === 'string' ? shortId(args.runId) : typeof args.filePath === 'string' ? String(args.filePath).split('/').pop() : '';
  return openPanel('lineage', args, `Lineage · ${what}`);
}

export function openSearchPanel(text: string): HostedPanel {
  return openPanel('search', { text }, text ? `Search: ${text}` : 'MLTrack Search', 'search');
}

/** The Deployments list panel (one). */
export function openDeploymentsPanel(): HostedPanel {
  return openPanel('deployments', {}, 'MLTrack Deployments', 'deployments');
}

/** A panel shown once: opened without args (the palette) it is only revealed, keeping what it shows. */
function openSingle(kind: PanelKind, args: Record<string, unknown>, title: string): HostedPanel {
  const open = Object.keys(args).length === 0 ? openPanels(kind)[0] : undefined;
  if (open) {
    open.panel.reveal();
    return open;
  }
  return openPanel(kind, args, title, kind);
}

/** The analytics panel (one): args {preset?, metricKey?}. */
export function openAnalyticsPanel(args: Record<string, unknown> = {}): HostedPanel {
  return openSingle('analytics', args, 'MLTrack Analytics');
}

/** The activity heatmap (one): args {user?}. */
export function openActivityPanel(args: Record<string, unknown> = {}): HostedPanel {
  return openSingle('activity', args, 'MLTrack Activity');
}

/** The Reports panel (one): args {reportId?} (the report to preview). */
export function openReportsPanel(args: Record<string, unknown> = {}): HostedPanel {
  return openSingle('reports', args, 'MLTrack Reports');
}

/** The production dashboard (one): args {deploymentId?} (the deployment to show first). */
export function openProductionPanel(args: Record<string, unknown> = {}): HostedPanel {
  return openSingle('production', args, 'MLTrack Production');
}

/** Posts a message to every open panel. */
export function broadcast(message: unknown): void {
  for (const p of hosted) p.post(message);
}

// ---------------------------------------------------------------------------------------------------------------
// activation

/**
 * Called once at activation: serializers for every panel type (panels survive a reload), notifications, backend
 * restarts and preference changes forwarded to open panels, the palette commands that open panels, and
 * mltrack.setPreference (panels writing a preference).
 */
export function registerPanels(context: vscode.ExtensionContext, backend: Backend): void {
  host = { extensionUri: context.extensionUri, backend, memento: context.workspaceState };
  for (const kind of Object.keys(VIEW_TYPES) as PanelKind[]) {
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPES[kind], {
        async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
          const args = recalledArgs(kind, panel.title, state);
          new HostedPanel(kind, panel, args, SINGLE_PANELS.has(kind) ? kind : `${kind}:${JSON.stringify(args)}`);
        },
      }),
    );
  }
  let stopped = false;
  context.subscriptions.push(
    backend.onNotification(Notification.runsChanged, (params) => broadcast({ type: 'notification', method: Notification.runsChanged, params })),
    backend.onNotification(Notification.logAppend, (params) => broadcast({ type: 'notification', method: Notification.logAppend, params })),
    backend.onNotification(Notification.deploymentsChanged, (params) => broadcast({ type: 'notification', method: Notification.deploymentsChanged, params })),
    backend.onDidStop(() => (stopped = true)),
    backend.onDidStart(() => {
      if (!stopped) return;
      stopped = false;
      broadcast({ type: 'reconnected' });
    }),
    vscode.commands.registerCommand('mltrack.showRunsTable', (a?: unknown) => openRunsPanel(isObject(a) ? a : {})),
    vscode.commands.registerCommand('mltrack.showDeployments', () => openDeploymentsPanel()),
    vscode.commands.registerCommand('mltrack.showAnalytics', (a?: unknown) => openAnalyticsPanel(pick(a, { preset: 'string', metricKey: 'string' }))),
    vscode.commands.registerCommand('mltrack.showActivity', (a?: unknown) => openActivityPanel(pick(a, { user: 'string' }))),
    vscode.commands.registerCommand('mltrack.showReports', (a?: unknown) => openReportsPanel(pick(a, { reportId: 'string' }))),
    vscode.commands.registerCommand('mltrack.showProduction', (a?: unknown) => openProductionPanel(pick(a, { deploymentId: 'string' }))),
    vscode.commands.registerCommand('mltrack.setPreference', (partial?: unknown) => setPreferences(partial)),
    watchPreferences(broadcast),
    { dispose: () => (host = undefined) },
  );
}
