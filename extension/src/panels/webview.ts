// Shared plumbing of the plain webview panels: strict CSP, resource roots limited to media/ and dist/,
// a nonce'd script (media/panel.js) whose only job is to turn clicks on [data-command] into allow-listed commands.
// The real panels (webviews issue) replace the files beside this one.
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import { escapeHtml } from '../format';

/** Commands a panel may ask the extension to run, and nothing else. */
const ALLOWED = new Set(['mltrack.openRun', 'mltrack.showChart', 'mltrack.showLineage', 'mltrack.revealExperiment', 'mltrack.compareRuns']);

export function createPanel(extensionUri: vscode.Uri, viewType: string, title: string, column = vscode.ViewColumn.Active): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(viewType, title, { viewColumn: column, preserveFocus: false }, {
    enableScripts: true,
    enableCommandUris: false,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')],
  });
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'mltrack.svg');
  panel.webview.onDidReceiveMessage((msg: unknown) => {
    if (!msg || typeof msg !== 'object') return;
    const { command, args } = msg as { command?: unknown; args?: unknown };
    if (typeof command !== 'string' || !ALLOWED.has(command)) return;
    const list = Array.isArray(args) ? args.filter((a) => typeof a === 'string' || typeof a === 'number') : [];
    void vscode.commands.executeCommand(command, ...list);
  });
  return panel;
}

/** A whole page: CSP with a fresh nonce, the panel stylesheet and script, and `body` (already escaped HTML). */
export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string, body: string): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const css = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'));
  const js = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.js'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css}">
<title>${escapeHtml(title)}</title>
</head>
<body>
${body}
<script nonce="${nonce}" src="${js}"></script>
</body>
</html>`;
}

/** A table from a header row and body rows of already-escaped cell HTML. */
export function table(headers: string[], rows: string[][], cls = ''): string {
  if (rows.length === 0) return '<p class="empty">None.</p>';
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${cls}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A key/value table. Values are already-escaped HTML. */
export function kvTable(rows: Array<[string, string]>): string {
  if (rows.length === 0) return '<p class="empty">None.</p>';
  return `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${v}</td></tr>`).join('\n')}</tbody></table>`;
}

/** A link that runs an allow-listed command through media/panel.js. */
export function commandLink(text: string, command: string, ...args: string[]): string {
  return `<a href="#" data-command="${escapeHtml(command)}" data-args="${escapeHtml(JSON.stringify(args))}">${escapeHtml(text)}</a>`;
}

export function errorPage(message: string): string {
  return `<h1>MLTrack</h1><p class="error">${escapeHtml(message)}</p>`;
}

export function loadingPage(what: string): string {
  return `<p class="loading">Loading ${escapeHtml(what)}…</p>`;
}
