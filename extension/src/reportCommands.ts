// The report commands: "MLTrack: Generate Report…" (type and range picks → reports/generate under a progress
// notification → the Reports panel previewing the new report) and "MLTrack: Export Report…" / the panel's export
// button (mltrack.exportReport [reportId, 'html'|'md']: a save dialog → reports/export → "Open"). The path of an
// export only ever comes from the save dialog: reports/export is not callable from panels.
import * as vscode from 'vscode';
import { Backend, errorText, isQuiet } from './backend';
import { shortId } from './format';
import { openReportsPanel } from './panels/webviewHost';
import { readPreferences } from './preferences';
import { Method, type ReportFormat, type ReportInfo, type ReportType, type RangePreset } from './protocol';
import { DEFAULT_REPORT_RANGE, exportedText, isReportFormat, REPORT_RANGES, reportFileName, reportFilters, reportIdOf, reportTypeChoices } from './reports';

/** The folder the last export went to (this session), proposed again for the next one. */
let lastFolder: vscode.Uri | undefined;

export function registerReportCommands(context: vscode.ExtensionContext, backend: Backend): void {
  const reg = (id: string, fn: (...args: any[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  reg('mltrack.generateReport', () => generateReport(backend));
  reg('mltrack.exportReport', (id?: unknown, format?: unknown) => exportReport(backend, id, format));
}

const fail = (what: string) => (e: unknown) => {
  if (!isQuiet(e)) void vscode.window.showErrorMessage(`MLTrack: ${what}: ${errorText(e)}`);
};

/** Generate Report…: resolves to the new report (undefined when cancelled or failed). */
export async function generateReport(backend: Backend): Promise<ReportInfo | undefined> {
  const prefs = readPreferences();
  const type = await vscode.window.showQuickPick(
    reportTypeChoices(prefs.reportType).map((t) => ({ label: t.label, description: t.description, detail: t.detail, type: t.type })),
    { title: 'MLTrack: Generate Report (1/2)', placeHolder: 'Report type' },
  );
  if (!type) return undefined;
  const ranges = REPORT_RANGES.map((r) => ({ label: r.label, description: r.preset === DEFAULT_REPORT_RANGE ? 'default' : undefined, preset: r.preset }));
  // the default range first, so Enter takes it
  ranges.sort((a, b) => Number(b.preset === DEFAULT_REPORT_RANGE) - Number(a.preset === DEFAULT_REPORT_RANGE));
  const range = await vscode.window.showQuickPick(ranges, { title: 'MLTrack: Generate Report (2/2)', placeHolder: 'Time range' });
  if (!range) return undefined;
  return generate(backend, type.type, range.preset, range.label);
}

async function generate(backend: Backend, type: ReportType, preset: RangePreset, rangeLabel: string): Promise<ReportInfo | undefined> {
  const prefs = readPreferences();
  const typeLabel = reportTypeChoices(type)[0]!.label;
  try {
    const info = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `MLTrack: generating the ${typeLabel.toLowerCase()} (${rangeLabel.toLowerCase()})…`, cancellable: false },
      // the prices in VS Code are the mltrack.cost.* settings (the backend's own preferences serve the browser UI)
      () => backend.request(Method.reportsGenerate, { type, preset, cpuHourUsd: prefs.cpuHourUsd, gpuHourUsd: prefs.gpuHourUsd }),
    );
    openReportsPanel({ reportId: info.reportId });
    return info;
  } catch (e) {
    fail(`could not generate the ${typeLabel.toLowerCase()}`)(e);
    return undefined;
  }
}

/** A quick pick of the stored reports, newest first. */
async function pickReport(backend: Backend): Promise<ReportInfo | undefined> {
  const reports = await backend.request(Method.reportsList, {});
  if (reports.length === 0) {
    const choice = await vscode.window.showInformationMessage('MLTrack: no reports yet.', 'Generate Report…');
    if (choice) void vscode.commands.executeCommand('mltrack.generateReport');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    reports.map((r) => ({ label: r.title, description: `${r.type} · ${reportFileName(r, 'html').replace(/\.html$/, '')}`, detail: shortId(r.reportId), info: r })),
    { title: 'MLTrack: Export Report', placeHolder: 'Report to export' },
  );
  return picked?.info;
}

/**
 * Export: [reportId, format] from a panel (either may be missing from the palette: then picked). Resolves to the
 * files written (undefined when cancelled or failed; failures are shown).
 */
export async function exportReport(backend: Backend, idArg: unknown, formatArg: unknown): Promise<string[] | undefined> {
  let info: ReportInfo | undefined;
  try {
    const id = reportIdOf(idArg);
    if (id) {
      info = (await backend.request(Method.reportsList, {})).find((r) => r.reportId === id);
      if (!info) {
        void vscode.window.showErrorMessage(`MLTrack: there is no report ${shortId(id)} (deleted?).`);
        return undefined;
      }
    } else {
      info = await pickReport(backend);
      if (!info) return undefined;
    }
  } catch (e) {
    fail('could not read the reports')(e);
    return undefined;
  }
  let format: ReportFormat | undefined = isReportFormat(formatArg) ? formatArg : undefined;
  if (formatArg !== undefined && formatArg !== null && !format) {
    void vscode.window.showErrorMessage(`MLTrack: cannot export a report as ${JSON.stringify(formatArg)} (html or md).`);
    return undefined;
  }
  format ??= (
    await vscode.window.showQuickPick(
      [
        { label: 'HTML', detail: 'One self-contained page with its charts', format: 'html' as const },
        { label: 'Markdown', detail: 'A .md file, its charts as PNG files beside it', format: 'md' as const },
      ],
      { title: `MLTrack: Export “${info.title}”`, placeHolder: 'Format' },
    )
  )?.format;
  if (!format) return undefined;
  const fmt: ReportFormat = format;

  const name = reportFileName(info, fmt);
  const folder = lastFolder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: reportFilters(fmt),
    saveLabel: 'Export',
    title: `MLTrack: export “${info.title}”`,
  });
  if (!target) return undefined;
  if (target.scheme !== 'file') {
    // the backend writes the file, so it needs a path on this machine
    void vscode.window.showErrorMessage(`MLTrack: reports can only be exported to a local file (not ${target.toString()}).`);
    return undefined;
  }
  lastFolder = vscode.Uri.joinPath(target, '..');
  const reportId = info.reportId;
  let files: string[];
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `MLTrack: exporting “${info.title}”…`, cancellable: false },
      () => backend.request(Method.reportsExport, { reportId, format: fmt, path: target.fsPath }),
    );
    files = result.files;
  } catch (e) {
    fail(`could not export the report to ${target.fsPath}`)(e);
    return undefined;
  }
  void vscode.window
    .showInformationMessage(`MLTrack: exported “${info.title}” to ${files[0] ?? target.fsPath}${exportedText(files)}.`, 'Open')
    .then((choice) => {
      if (choice !== 'Open') return;
      const file = files[0] ? vscode.Uri.file(files[0]) : target;
      // HTML in the browser (its charts are inline SVG); Markdown as text in the editor
      if (fmt === 'html') void vscode.env.openExternal(file);
      else void vscode.commands.executeCommand('vscode.open', file);
    });
  return files;
}
