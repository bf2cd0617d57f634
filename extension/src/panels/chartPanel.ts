// "MLTrack: Show Chart": a plain panel with a metric's bucketed history (metrics/history) as a table and a sparkline,
// or, without a key, the run's metric keys (metrics/keys). Replaced by the real chart panel in the webviews issue.
import * as vscode from 'vscode';
import { Backend, errorText } from '../backend';
import { escapeHtml, formatValue, shortId, sparkline } from '../format';
import { Method, Notification, type MetricHistoryResult, type MetricSummary } from '../protocol';
import { commandLink, createPanel, errorPage, loadingPage, pageHtml, table } from './webview';

const BUCKETS = 60;
const open = new Map<string, ChartPanel>();

export class ChartPanel {
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(extensionUri: vscode.Uri, backend: Backend, runId: string, key: string | undefined): void {
    const id = `${runId}\u0000${key ?? ''}`;
    const existing = open.get(id);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    open.set(id, new ChartPanel(extensionUri, backend, runId, key, id));
  }

  private readonly panel: vscode.WebviewPanel;

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly backend: Backend,
    private readonly runId: string,
    private readonly key: string | undefined,
    private readonly id: string,
  ) {
    this.panel = createPanel(extensionUri, 'mltrack.chart', key ? `${key} · ${shortId(runId)}` : `Metrics · ${shortId(runId)}`);
    this.panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    this.disposables.push(
      backend.onNotification(Notification.runsChanged, (p) => {
        if (p.runId !== runId || (p.kind !== 'metrics' && p.kind !== 'status')) return;
        if (key && p.kind === 'metrics' && p.metrics && !(key in p.metrics)) return;
        this.refreshTimer ??= setTimeout(() => {
          this.refreshTimer = undefined;
          void this.load(false);
        }, 1000);
      }),
    );
    void this.load(true);
  }

  private async load(showLoading: boolean): Promise<void> {
    const w = this.panel.webview;
    if (showLoading) w.html = pageHtml(w, this.extensionUri, this.panel.title, loadingPage(this.key ?? 'metrics'));
    try {
      if (this.key) {
        const h = await this.backend.request(Method.metricsHistory, { runId: this.runId, key: this.key, buckets: BUCKETS });
        w.html = pageHtml(w, this.extensionUri, this.panel.title, historyHtml(h));
      } else {
        const keys = await this.backend.request(Method.metricsKeys, { runId: this.runId });
        w.html = pageHtml(w, this.extensionUri, this.panel.title, keysHtml(this.runId, keys));
      }
    } catch (err) {
      w.html = pageHtml(w, this.extensionUri, this.panel.title, errorPage(`Could not load the metric: ${errorText(err)}`));
    }
  }

  private dispose(): void {
    open.delete(this.id);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}

const e = escapeHtml;

export function historyHtml(h: MetricHistoryResult): string {
  const head = `<h1>${e(h.key)}</h1><p class="sub">Run ${commandLink(shortId(h.runId), 'mltrack.openRun', h.runId)}${h.truncated ? ' · truncated' : ''}</p>`;
  if (h.buckets) {
    const rows = h.buckets.map((b) => [
      b.fromStep === b.toStep ? e(b.fromStep) : `${e(b.fromStep)}–${e(b.toStep)}`,
      e(b.count),
      e(formatValue(b.min)),
      e(formatValue(b.max)),
      `${e(formatValue(b.last))} <span class="sub">@${e(b.lastStep)}</span>`,
    ]);
    return `${head}<p class="spark">${e(sparkline(h.buckets.map((b) => b.last), BUCKETS))}</p>
<h2>${h.buckets.length} buckets</h2>${table(['Steps', 'Points', 'Min', 'Max', 'Last'], rows)}`;
  }
  const points = h.points ?? [];
  const rows = points.map((p) => [e(p.step), e(formatValue(p.value)), e(new Date(p.timestamp).toLocaleString())]);
  return `${head}<p class="spark">${e(sparkline(points.map((p) => p.value), BUCKETS))}</p>
<h2>${points.length} points</h2>${table(['Step', 'Value', 'Time'], rows)}`;
}

export function keysHtml(runId: string, keys: MetricSummary[]): string {
  const rows = [...keys]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((m) => [
      commandLink(m.key, 'mltrack.showChart', runId, m.key),
      e(formatValue(m.latest)),
      e(m.latestStep),
      e(formatValue(m.min)),
      e(formatValue(m.max)),
      e(m.count),
    ]);
  return `<h1>Metrics of run ${commandLink(shortId(runId), 'mltrack.openRun', runId)}</h1>${table(['Key', 'Latest', 'Step', 'Min', 'Max', 'Points'], rows)}`;
}
