import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ReportInfo } from '../../src/protocol';
import { exportReport, generateReport } from '../../src/reportCommands';
import { reportFileName, reportIdOf, reportTypeChoices } from '../../src/reports';
import { closeAllPanels, dataAttribute, panelHost } from '../support/panelHost';

const stub = vscode as unknown as typeof import('../support/vscode');

const DAY = 86_400_000;
/** A report over [2026-03-01, 2026-03-31) UTC. */
const REPORT: ReportInfo = {
  reportId: 'rep0123456789',
  type: 'technical',
  title: 'Technical report · 2026-03-01 – 2026-03-30',
  from: Date.UTC(2026, 2, 1),
  to: Date.UTC(2026, 2, 31),
  timeZone: 'UTC',
  experimentId: null,
  createdAt: Date.UTC(2026, 2, 31, 9),
  sizeBytes: 12_345,
  insights: 3,
};

function reset(): void {
  closeAllPanels();
  for (const k of Object.keys(stub.settings)) delete stub.settings[k];
  for (const list of [stub.shown, stub.saveDialogs, stub.quickPicks, stub.quickPickAnswers, stub.progresses, stub.messageAnswers, stub.openedExternally, stub.executed]) list.length = 0;
  stub.saveDialogAnswer.uri = undefined;
  stub.workspaceState.folders = undefined;
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

test('reportFileName: <type>-<from>-<to>.<ext>, naming the last day the report covers in its time zone', () => {
  assert.equal(reportFileName(REPORT, 'html'), 'technical-2026-03-01-2026-03-30.html');
  assert.equal(reportFileName({ ...REPORT, type: 'cost' }, 'md'), 'cost-2026-03-01-2026-03-30.md');
  // 23:30 UTC on 1 March is already 2 March in Tokyo
  assert.equal(reportFileName({ type: 'executive', from: Date.UTC(2026, 2, 1, 23, 30), to: Date.UTC(2026, 2, 1, 23, 30) + 7 * DAY, timeZone: 'Asia/Tokyo' }, 'md'), 'executive-2026-03-02-2026-03-09.md');
  // an unknown zone falls back to UTC rather than failing the export
  assert.equal(reportFileName({ ...REPORT, timeZone: 'Mars/Olympus' }, 'html'), 'technical-2026-03-01-2026-03-30.html');
  // an empty window names one day
  assert.equal(reportFileName({ ...REPORT, to: REPORT.from }, 'html'), 'technical-2026-03-01-2026-03-01.html');
});

test('reportTypeChoices puts the default report type first', () => {
  assert.deepEqual(reportTypeChoices('cost').map((c) => c.type), ['cost', 'executive', 'technical']);
  assert.deepEqual(reportTypeChoices('executive').map((c) => c.type), ['executive', 'technical', 'cost']);
});

test('reportIdOf: an id, or an object carrying reportId', () => {
  assert.equal(reportIdOf('r1'), 'r1');
  assert.equal(reportIdOf({ reportId: 'r2', type: 'cost' }), 'r2');
  assert.equal(reportIdOf({ reportId: '' }), undefined);
  assert.equal(reportIdOf(7), undefined);
  assert.equal(reportIdOf(undefined), undefined);
});

test('Generate Report…: type (default from mltrack.reports.defaultType) and range picks, reports/generate with the cost settings under a progress notification, then the Reports panel on the new report', async () => {
  reset();
  stub.settings['mltrack.reports.defaultType'] = 'cost';
  stub.settings['mltrack.cost.gpuHourUsd'] = 2.25;
  const { backend } = panelHost({ 'reports/generate': (p: { type: string }) => ({ ...REPORT, reportId: 'new-report', type: p.type }) });
  stub.quickPickAnswers.push('Technical report', 'Last 90 days');
  const info = await generateReport(backend);
  assert.equal(info?.reportId, 'new-report');
  assert.equal(stub.quickPicks[0]!.labels[0], 'Cost analysis', 'the default type is offered first');
  assert.equal(stub.quickPicks[1]!.labels[0], 'Last 30 days', 'the default range is offered first');
  assert.deepEqual(stub.quickPicks[1]!.labels.slice().sort(), ['All time', 'Last 30 days', 'Last 7 days', 'Last 90 days', 'Year to date']);
  assert.deepEqual(backend.requests, [{ method: 'reports/generate', params: { type: 'technical', preset: '90d', cpuHourUsd: 0.047, gpuHourUsd: 2.25 } }]);
  assert.equal(stub.progresses.length, 1);
  assert.equal(stub.progresses[0]!.location, stub.ProgressLocation.Notification);
  const panel = stub.createdPanels.find((p) => p.viewType === 'mltrack.reports');
  assert.ok(panel, 'the Reports panel opened');
  assert.deepEqual(JSON.parse(dataAttribute(panel.webview.html, 'data-args')!), { reportId: 'new-report' });
  reset();
});

test('Generate Report… cancelled at a pick generates nothing', async () => {
  reset();
  const { backend } = panelHost({ 'reports/generate': REPORT });
  stub.quickPickAnswers.push('Executive summary', undefined);
  assert.equal(await generateReport(backend), undefined);
  assert.deepEqual(backend.requests, []);
  assert.equal(stub.createdPanels.length, 0);
  reset();
});

test('Generate Report… shows the backend\'s refusal and opens no panel', async () => {
  reset();
  const { backend } = panelHost({ 'reports/generate': () => Promise.reject(new Error('from > to')) });
  stub.quickPickAnswers.push('Executive summary', 'Last 7 days');
  assert.equal(await generateReport(backend), undefined);
  assert.match(stub.shown.at(-1)!.message, /could not generate the executive summary: from > to/);
  assert.equal(stub.createdPanels.length, 0);
  reset();
});

test('export: save dialog proposing <type>-<from>-<to>.html in the workspace, reports/export to the chosen path, "Open" opens the HTML in the browser', async () => {
  reset();
  stub.workspaceState.folders = [{ uri: stub.Uri.file('/ws') }];
  const { backend } = panelHost({ 'reports/list': [REPORT], 'reports/export': (p: { path: string }) => ({ files: [p.path] }) });
  stub.saveDialogAnswer.uri = stub.Uri.file('/out/q1.html');
  stub.messageAnswers.push('Open');
  const files = await exportReport(backend, REPORT.reportId, 'html');
  assert.deepEqual(files, ['/out/q1.html']);
  assert.equal(stub.saveDialogs[0]!.defaultUri?.fsPath, '/ws/technical-2026-03-01-2026-03-30.html');
  assert.deepEqual(Object.values(stub.saveDialogs[0]!.filters!)[0], ['html', 'htm']);
  assert.deepEqual(backend.requests.at(-1), { method: 'reports/export', params: { reportId: REPORT.reportId, format: 'html', path: '/out/q1.html' } });
  assert.equal(stub.progresses.length, 1);
  assert.match(stub.shown.at(-1)!.message, /exported “Technical report .*” to \/out\/q1\.html\./);
  assert.deepEqual(stub.shown.at(-1)!.items, ['Open']);
  await settle();
  assert.deepEqual(stub.openedExternally.map((u) => u.fsPath), ['/out/q1.html']);
  reset();
});

test('export as Markdown: the chart files are counted and "Open" opens the .md in the editor', async () => {
  reset();
  const { backend } = panelHost({ 'reports/list': [REPORT], 'reports/export': { files: ['/out/r.md', '/out/r_files/runs.png', '/out/r_files/hours.png'] } });
  stub.saveDialogAnswer.uri = stub.Uri.file('/out/r.md');
  stub.messageAnswers.push('Open');
  await exportReport(backend, { reportId: REPORT.reportId }, 'md');
  assert.match(stub.shown.at(-1)!.message, /to \/out\/r\.md \(and 2 chart files\)\./);
  await settle();
  assert.deepEqual(stub.executed.map((e) => [e.command, (e.args[0] as { fsPath: string }).fsPath]), [['vscode.open', '/out/r.md']]);
  assert.equal(stub.openedExternally.length, 0);
  reset();
});

test('export cancelled at the save dialog exports nothing', async () => {
  reset();
  const { backend } = panelHost({ 'reports/list': [REPORT], 'reports/export': { files: [] } });
  assert.equal(await exportReport(backend, REPORT.reportId, 'html'), undefined);
  assert.deepEqual(backend.requests.map((r) => r.method), ['reports/list']);
  reset();
});

test('export of an unknown report or format says so without a dialog', async () => {
  reset();
  const { backend } = panelHost({ 'reports/list': [REPORT], 'reports/export': { files: [] } });
  assert.equal(await exportReport(backend, 'gone', 'html'), undefined);
  assert.match(stub.shown.at(-1)!.message, /no report gone/);
  assert.equal(await exportReport(backend, REPORT.reportId, 'pdf'), undefined);
  assert.match(stub.shown.at(-1)!.message, /cannot export a report as "pdf"/);
  assert.equal(stub.saveDialogs.length, 0);
  reset();
});

test('export from the palette picks the report and the format', async () => {
  reset();
  const { backend } = panelHost({ 'reports/list': [REPORT], 'reports/export': (p: { path: string }) => ({ files: [p.path] }) });
  stub.quickPickAnswers.push(REPORT.title, 'Markdown');
  stub.saveDialogAnswer.uri = stub.Uri.file('/out/x.md');
  assert.deepEqual(await exportReport(backend, undefined, undefined), ['/out/x.md']);
  assert.deepEqual(backend.requests.at(-1)!.params, { reportId: REPORT.reportId, format: 'md', path: '/out/x.md' });
  reset();
});

test('a panel posting mltrack.exportReport runs the export (the command is allow-listed)', async () => {
  reset();
  const { backend, context } = panelHost({ 'reports/list': [REPORT], 'reports/export': (p: { path: string }) => ({ files: [p.path] }) });
  const { registerReportCommands } = await import('../../src/reportCommands');
  registerReportCommands(context, backend);
  stub.saveDialogAnswer.uri = stub.Uri.file('/out/p.html');
  const { openReportsPanel } = await import('../../src/panels/webviewHost');
  const panel = openReportsPanel().panel as unknown as import('../support/vscode').FakeWebviewPanel;
  await panel.webview.receive({ type: 'command', command: 'mltrack.exportReport', args: [REPORT.reportId, 'html'] });
  await settle();
  assert.deepEqual(backend.requests.at(-1), { method: 'reports/export', params: { reportId: REPORT.reportId, format: 'html', path: '/out/p.html' } });
  reset();
});
