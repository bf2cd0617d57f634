// "MLTrack: Compare Runs": a plain panel with the runs side by side (attributes, params, latest metrics) from runs/get.
// Replaced by the real compare panel in the webviews issue.
import * as vscode from 'vscode';
import { Backend, errorText } from '../backend';
import { escapeHtml, formatDuration, formatValue, runLabel, shortId } from '../format';
import { Method, type RunDetail } from '../protocol';
import { commandLink, createPanel, errorPage, loadingPage, pageHtml, table } from './webview';

export async function showComparePanel(extensionUri: vscode.Uri, backend: Backend, runIds: string[]): Promise<void> {
  const panel = createPanel(extensionUri, 'mltrack.compare', `Compare ${runIds.length} runs`);
  const webview = panel.webview;
  webview.html = pageHtml(webview, extensionUri, panel.title, loadingPage(`${runIds.length} runs`));
  try {
    const runs = await Promise.all(runIds.map((runId) => backend.request(Method.runsGet, { runId })));
    webview.html = pageHtml(webview, extensionUri, panel.title, compareHtml(runs));
  } catch (err) {
    webview.html = pageHtml(webview, extensionUri, panel.title, errorPage(`Could not load the runs: ${errorText(err)}`));
  }
}

const e = escapeHtml;

export function compareHtml(runs: RunDetail[]): string {
  const headers = ['', ...runs.map((r) => `${runLabel(r)} (${shortId(r.runId)})`)];
  const attrRows: string[][] = [
    ['Open', ...runs.map((r) => commandLink('open', 'mltrack.openRun', r.runId))],
    ['Status', ...runs.map((r) => `<span class="status-${e(r.status)}">${e(r.status)}</span>`)],
    ['Experiment', ...runs.map((r) => e(r.experimentName))],
    ['Started', ...runs.map((r) => e(new Date(r.startTime).toLocaleString()))],
    ['Duration', ...runs.map((r) => (r.durationMs !== null ? e(formatDuration(r.durationMs)) : ''))],
    ['Git commit', ...runs.map((r) => (r.git?.commit ? `<code>${e(r.git.commit.slice(0, 12))}</code>${r.git.dirty ? ' *' : ''}` : ''))],
    ['Source file', ...runs.map((r) => e(r.sourceFile))],
  ];
  const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params ?? {})))].sort();
  const paramRows = paramKeys.map((k) => [e(k), ...runs.map((r) => (k in (r.params ?? {}) ? `<code>${e(r.params[k])}</code>` : ''))]);
  const metricKeys = [...new Set(runs.flatMap((r) => (r.metrics ?? []).map((m) => m.key)))].sort();
  const metricRows = metricKeys.map((k) => [
    e(k),
    ...runs.map((r) => {
      const m = (r.metrics ?? []).find((x) => x.key === k);
      return m ? `${commandLink(formatValue(m.latest), 'mltrack.showChart', r.runId, k)} <span class="sub">step ${e(m.latestStep)}</span>` : '';
    }),
  ]);
  return `<h1>Compare ${runs.length} runs</h1>
<h2>Runs</h2>
${table(headers, attrRows)}
<h2>Params (${paramKeys.length})</h2>
${table(headers.map((h, i) => (i === 0 ? 'Param' : h)), paramRows)}
<h2>Metrics, latest values (${metricKeys.length})</h2>
${table(headers.map((h, i) => (i === 0 ? 'Metric' : h)), metricRows)}`;
}
