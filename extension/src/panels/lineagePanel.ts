// "MLTrack: Show Lineage": a plain panel with lineage/graph's nodes and edges as tables.
// Replaced by the real lineage panel in the webviews issue.
import * as vscode from 'vscode';
import { Backend, errorText } from '../backend';
import { escapeHtml, shortId } from '../format';
import { Method, type LineageGraph, type LineageNode } from '../protocol';
import { commandLink, createPanel, errorPage, loadingPage, pageHtml, table } from './webview';

export async function showLineagePanel(extensionUri: vscode.Uri, backend: Backend, runId: string): Promise<void> {
  const panel = createPanel(extensionUri, 'mltrack.lineage', `Lineage · ${shortId(runId)}`);
  const w = panel.webview;
  w.html = pageHtml(w, extensionUri, panel.title, loadingPage('lineage'));
  try {
    const g = await backend.request(Method.lineageGraph, { runId, direction: 'both' });
    w.html = pageHtml(w, extensionUri, panel.title, lineageHtml(g));
  } catch (err) {
    w.html = pageHtml(w, extensionUri, panel.title, errorPage(`Could not load the lineage of ${runId}: ${errorText(err)}`));
  }
}

const e = escapeHtml;

function nodeCell(n: LineageNode | undefined, id: string): string {
  if (!n) return `<code>${e(id)}</code>`;
  if (n.kind === 'run' && n.runId) return `${commandLink(n.label, 'mltrack.openRun', n.runId)}${n.status ? ` <span class="status-${e(n.status)}">${e(n.status)}</span>` : ''}`;
  return `<code>${e(n.label)}</code>`;
}

export function lineageHtml(g: LineageGraph): string {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const nodes = [...g.nodes].sort((a, b) => a.depth - b.depth || a.label.localeCompare(b.label));
  return `<h1>Lineage of ${nodeCell(byId.get(g.root), g.root)}</h1>
<h2>Nodes (${g.nodes.length})</h2>
${table(['Depth', 'Kind', 'Node', 'sha256'], nodes.map((n) => [e(n.depth), e(n.kind), nodeCell(n, n.id), n.sha256 ? `<code>${e(n.sha256.slice(0, 12))}</code>` : '']))}
<h2>Edges (${g.edges.length})</h2>
${table(['From', 'Relation', 'To', 'Label'], g.edges.map((ed) => [nodeCell(byId.get(ed.from), ed.from), e(ed.kind), nodeCell(byId.get(ed.to), ed.to), e(ed.label)]))}`;
}
