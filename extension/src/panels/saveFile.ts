// Exports from the panels (chart CSV/PNG/SVG): a webview cannot download, so it posts
// {type:'saveFile', filename, mime, base64} (webviews/src/dom.ts download()) and the host offers a save dialog and
// writes the bytes where the user chose.
import * as vscode from 'vscode';

/** The largest export accepted from a panel, in bytes once decoded (a chart PNG is a few hundred KB). */
export const MAX_SAVE_BYTES = 100 * 1024 * 1024;

export interface SaveFileRequest {
  /** A bare file name (no folders), safe to propose in the dialog. */
  filename: string;
  mime: string;
  bytes: Uint8Array;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The file name a panel proposed, reduced to a bare, harmless name ("export" when nothing is left). */
export function safeFileName(name: unknown): string {
  const base = (typeof name === 'string' ? name : '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^[.\s]+/, '').trim().slice(0, 200);
  return clean || 'export';
}

/** Checks a saveFile message from a panel; undefined when it is not a usable one. */
export function parseSaveFile(m: Record<string, unknown>): SaveFileRequest | undefined {
  const b64 = m.base64;
  if (typeof b64 !== 'string' || b64.length % 4 === 1 || !BASE64.test(b64)) return undefined;
  if ((b64.length / 4) * 3 > MAX_SAVE_BYTES + 3) return undefined;
  const buf = Buffer.from(b64, 'base64');
  return {
    filename: safeFileName(m.filename),
    mime: typeof m.mime === 'string' ? m.mime : 'application/octet-stream',
    bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength),
  };
}

/** Save-dialog filters for the file's type (by extension, then MIME type), plus "All files". */
export function saveFilters(filename: string, mime: string): Record<string, string[]> {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  const known: Record<string, string> = { csv: 'CSV', png: 'PNG image', svg: 'SVG image', json: 'JSON', txt: 'Text' };
  const byMime: Record<string, string> = { 'text/csv': 'csv', 'image/png': 'png', 'image/svg+xml': 'svg', 'application/json': 'json' };
  const e = ext ?? byMime[mime.split(';')[0]!.trim().toLowerCase()];
  const filters: Record<string, string[]> = {};
  if (e) filters[known[e] ?? e.toUpperCase()] = [e];
  filters['All files'] = ['*'];
  return filters;
}

/** The folder the last export went to (this session), proposed again for the next one. */
let lastFolder: vscode.Uri | undefined;

/**
 * Handles a panel's saveFile message: a save dialog proposing the file name (in the last export folder, else the
 * first workspace folder), then the bytes written with workspace.fs. Returns the written URI (undefined when the
 * message was unusable or the user cancelled). Write failures are shown, not thrown.
 */
export async function saveFromPanel(m: Record<string, unknown>): Promise<vscode.Uri | undefined> {
  const req = parseSaveFile(m);
  if (!req) {
    void vscode.window.showErrorMessage('MLTrack: the panel sent an export that could not be read (not base64, or too large).');
    return undefined;
  }
  const folder = lastFolder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, req.filename) : undefined,
    filters: saveFilters(req.filename, req.mime),
    saveLabel: 'Export',
    title: `MLTrack: save ${req.filename}`,
  });
  if (!target) return undefined;
  try {
    await vscode.workspace.fs.writeFile(target, req.bytes);
  } catch (e) {
    void vscode.window.showErrorMessage(`MLTrack: could not save ${target.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  lastFolder = vscode.Uri.joinPath(target, '..');
  vscode.window.setStatusBarMessage(`MLTrack: saved ${target.fsPath}`, 5000);
  return target;
}
