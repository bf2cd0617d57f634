// "Show all results" of MLTrack: Search: a plain panel with every search/query hit as a table.
// Replaced by the real search results page in the webviews issue.
import * as vscode from 'vscode';
import { Backend, errorText } from '../backend';
import { escapeHtml, formatValue } from '../format';
import { Method, type SearchHit, type SearchQueryResult } from '../protocol';
import { commandLink, createPanel, errorPage, loadingPage, pageHtml, table } from './webview';

let current: vscode.WebviewPanel | undefined;

export async function showSearchResultsPanel(extensionUri: vscode.Uri, backend: Backend, text: string): Promise<void> {
  if (!current) {
    current = createPanel(extensionUri, 'mltrack.searchResults', 'MLTrack Search');
    current.onDidDispose(() => (current = undefined));
  } else {
    current.reveal();
  }
  const panel = current;
  panel.title = `Search: ${text}`;
  panel.webview.html = pageHtml(panel.webview, extensionUri, panel.title, loadingPage(`results for “${text}”`));
  try {
    const r = await backend.request(Method.searchQuery, { text, limit: 200 });
    if (current === panel) panel.webview.html = pageHtml(panel.webview, extensionUri, panel.title, resultsHtml(text, r));
  } catch (err) {
    if (current === panel) panel.webview.html = pageHtml(panel.webview, extensionUri, panel.title, errorPage(`Search failed: ${errorText(err)}`));
  }
}

const e = escapeHtml;

function hitLink(h: SearchHit): string {
  if (h.kind === 'experiment' && h.experimentId) return commandLink(h.title, 'mltrack.revealExperiment', h.experimentId);
  if (h.kind === 'metric' && h.runId) return commandLink(h.title, 'mltrack.showChart', h.runId, h.title);
  if (h.runId) return commandLink(h.title, 'mltrack.openRun', h.runId);
  return e(h.title);
}

export function resultsHtml(text: string, r: SearchQueryResult): string {
  return `<h1>Search: ${e(text)}</h1>
<p class="sub">${r.hits.length} hit${r.hits.length === 1 ? '' : 's'}${r.fuzzy ? ' (typo-tolerant)' : ''}</p>
${table(['Kind', 'Hit', 'Detail', 'Score'], r.hits.map((h) => [e(h.kind), hitLink(h), e(h.detail), `<span class="num">${e(formatValue(h.score))}</span>`]))}`;
}
