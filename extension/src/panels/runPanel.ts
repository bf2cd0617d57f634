// "MLTrack: Open Run": a plain panel with everything runs/get returns, as tables. One panel, reused (preview-like).
// Replaced by the real run panel in the webviews issue.
import * as vscode from 'vscode';
import { Backend, errorText } from '../backend';
import { escapeHtml, formatDuration, formatValue, runLabel, shortId } from '../format';
import { Method, Notification, type RunDetail } from '../protocol';
import { commandLink, createPanel, errorPage, kvTable, loadingPage, pageHtml, table } from './webview';

export class RunPanel {
  private static current: RunPanel | undefined;
  private runId: string;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(extensionUri: vscode.Uri, backend: Backend, runId: string): void {
    if (RunPanel.current) {
      RunPanel.current.runId = runId;
      RunPanel.current.panel.reveal();
      void RunPanel.current.load();
      return;
    }
    RunPanel.current = new RunPanel(extensionUri, backend, runId);
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly backend: Backend,
    runId: string,
    private readonly panel = createPanel(extensionUri, 'mltrack.run', 'MLTrack Run'),
  ) {
    this.runId = runId;
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    this.disposables.push(
      backend.onNotification(Notification.runsChanged, (p) => {
        if (p.runId !== this.runId && !this.runId.startsWith(p.runId) && !p.runId.startsWith(this.runId)) return;
        this.refreshTimer ??= setTimeout(() => {
          this.refreshTimer = undefined;
          void this.load(false);
        }, 500);
      }),
    );
    void this.load();
  }

  private async load(showLoading = true): Promise<void> {
    const runId = this.runId;
    const webview = this.panel.webview;
    if (showLoading) webview.html = pageHtml(webview, this.extensionUri, 'MLTrack Run', loadingPage(`run ${runId}`));
    try {
      const run = await this.backend.request(Method.runsGet, { runId });
      if (runId !== this.runId) return;
      this.panel.title = `Run ${runLabel(run)}`;
      webview.html = pageHtml(webview, this.extensionUri, this.panel.title, runHtml(run));
    } catch (e) {
      if (runId !== this.runId) return;
      webview.html = pageHtml(webview, this.extensionUri, 'MLTrack Run', errorPage(`Could not load run ${runId}: ${errorText(e)}`));
    }
  }

  private dispose(): void {
    if (RunPanel.current === this) RunPanel.current = undefined;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}

const e = escapeHtml;
const time = (ms: number | null): string => (ms ? e(new Date(ms).toLocaleString()) : '');

export function runHtml(run: RunDetail): string {
  const attrs: Array<[string, string]> = [
    ['Run id', `<code>${e(run.runId)}</code>`],
    ['Status', `<span class="status-${e(run.status)}">${e(run.status)}</span>`],
    ['Experiment', `${commandLink(run.experimentName, 'mltrack.revealExperiment', run.experimentId)} <span class="sub">(id ${e(run.experimentId)})</span>`],
    ['Started', time(run.startTime)],
    ['Ended', time(run.endTime)],
    ['Duration', run.durationMs !== null ? e(formatDuration(run.durationMs)) : ''],
    ['User', e(run.user)],
    ['Command', run.command ? `<code>${e(run.command)}</code>` : ''],
    ['Working directory', run.cwd ? `<code>${e(run.cwd)}</code>` : ''],
    ['Source file', run.sourceFile ? `<code>${e(run.sourceFile)}</code>` : ''],
    ['Exit code', run.exitCode === null ? '' : e(run.exitCode)],
    ['Host', e(run.host)],
    ['Git', run.git?.commit ? `<code>${e(run.git.commit.slice(0, 12))}</code> ${e(run.git.branch ?? '')}${run.git.dirty ? ' (uncommitted changes)' : ''} ${e(run.git.remote ?? '')}` : ''],
    ['Parent run', run.parentRunId ? commandLink(shortId(run.parentRunId), 'mltrack.openRun', run.parentRunId) : ''],
    ['Lifecycle', e(run.lifecycleStage)],
    ['Artifact root', `<code>${e(run.artifactUri)}</code>`],
  ];
  const params = Object.entries(run.params ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const tags = Object.entries(run.tags ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const metrics = [...(run.metrics ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  return `<h1>${e(runLabel(run))} <span class="status-${e(run.status)}">${e(run.status)}</span></h1>
<p class="sub">${commandLink('Show lineage', 'mltrack.showLineage', run.runId)}</p>
<h2>Run</h2>
${kvTable(attrs.filter(([, v]) => v !== ''))}
<h2>Params (${params.length})</h2>
${table(['Name', 'Value'], params.map(([k, v]) => [e(k), `<code>${e(v)}</code>`]))}
<h2>Metrics (${metrics.length})</h2>
${table(
  ['Key', 'Latest', 'Step', 'Min', 'Max', 'Points', ''],
  metrics.map((m) => [
    e(m.key),
    `<span class="num">${e(formatValue(m.latest))}</span>`,
    e(m.latestStep),
    e(formatValue(m.min)),
    e(formatValue(m.max)),
    e(m.count),
    commandLink('chart', 'mltrack.showChart', run.runId, m.key),
  ]),
)}
<h2>Tags (${tags.length})</h2>
${table(['Name', 'Value'], tags.map(([k, v]) => [e(k), e(v)]))}
<h2>Artifacts (${run.artifacts?.length ?? 0})</h2>
${table(['Path', 'Size', 'sha256'], (run.artifacts ?? []).map((a) => [`<code>${e(a.path)}</code>`, e(a.size), `<code>${e(a.sha256.slice(0, 12))}</code>`]))}
<h2>Files read and written (${run.files?.length ?? 0})</h2>
${table(['Direction', 'Path', 'Size', 'sha256'], (run.files ?? []).map((f) => [e(f.direction), `<code>${e(f.path)}</code>`, e(f.size), `<code>${e(f.sha256.slice(0, 12))}</code>`]))}`;
}
