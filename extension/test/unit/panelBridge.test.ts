import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_PREFERENCES } from '../../src/preferenceRules';
import {
  ALLOWED_COMMANDS,
  ALLOWED_METHODS,
  openAnalyticsPanel,
  openChartPanel,
  openRunsPanel,
  VIEW_TYPES,
  type PanelKind,
} from '../../src/panels/webviewHost';
import { closeAllPanels, dataAttribute, panelHost } from '../support/panelHost';

const stub = vscode as unknown as typeof import('../support/vscode');
const extRoot = process.env.MLTRACK_EXT_ROOT ?? process.cwd();

function reset(): void {
  closeAllPanels();
  for (const k of Object.keys(stub.settings)) delete stub.settings[k];
  stub.settingUpdates.length = 0;
  stub.shown.length = 0;
  stub.executed.length = 0;
}

const preferenceMessages = (p: import('../support/vscode').FakeWebviewPanel) =>
  p.webview.posted.filter((m) => (m as { type?: string }).type === 'preferences');

test('every open panel receives {type:"preferences"} with the new values when a preference setting changes', () => {
  reset();
  panelHost();
  const runs = openRunsPanel().panel as unknown as import('../support/vscode').FakeWebviewPanel;
  const chart = openChartPanel(['a'.repeat(32)], 'loss').panel as unknown as import('../support/vscode').FakeWebviewPanel;
  stub.changeSettings({ 'mltrack.table.density': 'compact' });
  const expected = { type: 'preferences', preferences: { ...DEFAULT_PREFERENCES, tableDensity: 'compact' } };
  assert.deepEqual(preferenceMessages(runs), [expected]);
  assert.deepEqual(preferenceMessages(chart), [expected]);
  reset();
});

test('a change to a setting that is no preference posts nothing to the panels', () => {
  reset();
  panelHost();
  const runs = openRunsPanel().panel as unknown as import('../support/vscode').FakeWebviewPanel;
  stub.changeSettings({ 'mltrack.hover.enabled': false, 'editor.fontSize': 20 });
  assert.deepEqual(preferenceMessages(runs), []);
  reset();
});

test('a closed panel is no longer posted to', () => {
  reset();
  panelHost();
  const runs = openRunsPanel().panel as unknown as import('../support/vscode').FakeWebviewPanel;
  runs.dispose();
  stub.changeSettings({ 'mltrack.chart.xAxis': 'wall' });
  assert.deepEqual(preferenceMessages(runs), []);
  reset();
});

test('the shell page carries the current preferences in data-preferences', () => {
  reset();
  panelHost();
  stub.settings['mltrack.chart.xAxis'] = 'relative';
  stub.settings['mltrack.chart.runColors'] = ['#123456'];
  const page = openAnalyticsPanel().panel.webview.html;
  assert.deepEqual(JSON.parse(dataAttribute(page, 'data-preferences')!), { ...DEFAULT_PREFERENCES, chartXAxis: 'relative', runColors: ['#123456'] });
  assert.equal(dataAttribute(page, 'data-panel'), 'analytics');
  reset();
});

test('a panel posting mltrack.setPreference writes the user setting, and every panel gets the change back', async () => {
  reset();
  panelHost();
  const runs = openRunsPanel().panel as unknown as import('../support/vscode').FakeWebviewPanel;
  const analytics = openAnalyticsPanel().panel as unknown as import('../support/vscode').FakeWebviewPanel;
  await runs.webview.receive({ type: 'command', command: 'mltrack.setPreference', args: [{ tableDensity: 'comfortable' }] });
  assert.deepEqual(stub.settingUpdates, [{ key: 'mltrack.table.density', value: 'comfortable', target: stub.ConfigurationTarget.Global }]);
  assert.equal((preferenceMessages(analytics).at(-1) as { preferences: { tableDensity: string } }).preferences.tableDensity, 'comfortable');
  reset();
});

test('a panel posting an invalid preference changes no setting and the user is told why', async () => {
  reset();
  panelHost();
  const runs = openRunsPanel().panel as unknown as import('../support/vscode').FakeWebviewPanel;
  await runs.webview.receive({ type: 'command', command: 'mltrack.setPreference', args: [{ chartXAxis: 'epochs' }] });
  assert.equal(stub.settingUpdates.length, 0);
  assert.match(stub.shown.at(-1)!.message, /chartXAxis must be one of step, wall, relative/);
  reset();
});

test('reports/export is refused from a panel (its path comes from a save dialog), analytics and reports reads are forwarded', async () => {
  reset();
  const { backend } = panelHost({ 'analytics/timeSeries': { buckets: [] }, 'reports/list': [] });
  const p = openAnalyticsPanel().panel as unknown as import('../support/vscode').FakeWebviewPanel;
  await p.webview.receive({ type: 'rpc', id: 1, method: 'reports/export', params: { reportId: 'r', format: 'html', path: '/etc/x' } });
  await p.webview.receive({ type: 'rpc', id: 2, method: 'analytics/timeSeries', params: { preset: '7d' } });
  await p.webview.receive({ type: 'rpc', id: 3, method: 'reports/list' });
  const byId = (id: number) => p.webview.posted.find((m) => (m as { id?: number }).id === id) as { type: string; error?: { code: number } };
  assert.equal(byId(1).type, 'rpcError');
  assert.equal(byId(1).error!.code, -32601);
  assert.equal(byId(2).type, 'rpcResult');
  assert.equal(byId(3).type, 'rpcResult');
  assert.deepEqual(backend.requests.map((r) => r.method), ['analytics/timeSeries', 'reports/list']);
  reset();
});

test('the allow-lists: the issue-7 methods and commands are in, reports/export is out', () => {
  for (const m of ['analytics/timeSeries', 'analytics/heatmap', 'analytics/facets', 'analytics/production', 'reports/generate', 'reports/list', 'reports/content', 'reports/delete', 'preferences/get', 'preferences/set']) {
    assert.ok(ALLOWED_METHODS.has(m), m);
  }
  assert.ok(!ALLOWED_METHODS.has('reports/export'));
  assert.ok(ALLOWED_COMMANDS.has('mltrack.setPreference'));
  assert.ok(ALLOWED_COMMANDS.has('mltrack.exportReport'));
});

test('a command outside the allow-list posted by a panel is not run', async () => {
  reset();
  panelHost();
  const p = openRunsPanel().panel as unknown as import('../support/vscode').FakeWebviewPanel;
  await p.webview.receive({ type: 'command', command: 'workbench.action.terminal.sendSequence', args: [{ text: 'rm -rf ~\n' }] });
  assert.deepEqual(stub.executed, []);
  reset();
});

test('navigation from a panel opens the analytics, activity, reports and production panels with their args (unknown fields dropped)', async () => {
  reset();
  panelHost();
  const from = openRunsPanel().panel as unknown as import('../support/vscode').FakeWebviewPanel;
  const cases: Array<[string, unknown, PanelKind, Record<string, unknown>]> = [
    ['mltrack.openAnalytics', { preset: '7d', metricKey: 'loss', evil: '<x>' }, 'analytics', { preset: '7d', metricKey: 'loss' }],
    ['mltrack.openActivity', { user: 'ada', preset: 3 }, 'activity', { user: 'ada' }],
    ['mltrack.openReports', { reportId: 'r1' }, 'reports', { reportId: 'r1' }],
    ['mltrack.openProduction', { deploymentId: 12 }, 'production', {}],
  ];
  for (const [command, args, kind, expected] of cases) {
    await from.webview.receive({ type: 'command', command, args: [args] });
    const opened = stub.createdPanels.filter((p) => p.viewType === VIEW_TYPES[kind]);
    assert.equal(opened.length, 1, `${command} opens one ${kind} panel`);
    assert.deepEqual(JSON.parse(dataAttribute(opened[0]!.webview.html, 'data-args')!), expected, command);
  }
  reset();
});

test('the analytics, activity, reports and production panels are one each: opening again re-targets and reveals it', async () => {
  reset();
  panelHost();
  const from = openRunsPanel().panel as unknown as import('../support/vscode').FakeWebviewPanel;
  await from.webview.receive({ type: 'command', command: 'mltrack.openReports', args: [{ reportId: 'r1' }] });
  await from.webview.receive({ type: 'command', command: 'mltrack.openReports', args: [{ reportId: 'r2' }] });
  const reports = stub.createdPanels.filter((p) => p.viewType === 'mltrack.reports');
  assert.equal(reports.length, 1);
  assert.equal(reports[0]!.revealed, 1);
  assert.deepEqual(JSON.parse(dataAttribute(reports[0]!.webview.html, 'data-args')!), { reportId: 'r2' });
  reset();
});

test('opening an open panel again with the same args reveals it without reloading its page', async () => {
  reset();
  panelHost();
  await vscode.commands.executeCommand('mltrack.showReports');
  const reports = stub.createdPanels.find((p) => p.viewType === 'mltrack.reports')!;
  const page = reports.webview.html;
  await vscode.commands.executeCommand('mltrack.showReports');
  assert.equal(reports.revealed, 1);
  assert.equal(reports.webview.html, page, 'same page (a new render has a new nonce)');
  await vscode.commands.executeCommand('mltrack.showReports', { reportId: 'r9' });
  assert.notEqual(reports.webview.html, page);
  reset();
});

test('the palette command of an open analytics, activity, reports or production panel only reveals it, keeping what it shows', async () => {
  reset();
  panelHost();
  await vscode.commands.executeCommand('mltrack.showReports', { reportId: 'r1' });
  const reports = stub.createdPanels.find((p) => p.viewType === 'mltrack.reports')!;
  const page = reports.webview.html;
  await vscode.commands.executeCommand('mltrack.showReports');
  assert.equal(reports.revealed, 1);
  assert.equal(reports.webview.html, page);
  assert.deepEqual(JSON.parse(dataAttribute(reports.webview.html, 'data-args')!), { reportId: 'r1' });
  reset();
});

test('the palette commands open the panels', async () => {
  reset();
  panelHost();
  for (const [command, viewType] of [
    ['mltrack.showAnalytics', 'mltrack.analytics'],
    ['mltrack.showActivity', 'mltrack.activity'],
    ['mltrack.showReports', 'mltrack.reports'],
    ['mltrack.showProduction', 'mltrack.production'],
  ] as const) {
    await vscode.commands.executeCommand(command);
    assert.equal(stub.createdPanels.filter((p) => p.viewType === viewType).length, 1, command);
  }
  // from the Deployments tree: the row's deployment is shown first
  await vscode.commands.executeCommand('mltrack.showProduction', { deploymentId: 'd1', status: 'READY' });
  const prod = stub.createdPanels.find((p) => p.viewType === 'mltrack.production')!;
  assert.deepEqual(JSON.parse(dataAttribute(prod.webview.html, 'data-args')!), { deploymentId: 'd1' });
  reset();
});

test('every panel type has a serializer and an onWebviewPanel activation event, and every command has a contribution', () => {
  panelHost();
  const pkg = JSON.parse(fs.readFileSync(path.join(extRoot, 'package.json'), 'utf8')) as {
    activationEvents: string[];
    contributes: { commands: Array<{ command: string; title: string }>; menus: Record<string, Array<{ command: string; when?: string; group?: string }>> };
  };
  for (const viewType of Object.values(VIEW_TYPES)) {
    assert.ok(stub.serializers.has(viewType), `serializer for ${viewType}`);
    assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${viewType}`), `activation event for ${viewType}`);
  }
  const titles = Object.fromEntries(pkg.contributes.commands.map((c) => [c.command, c.title]));
  assert.deepEqual(
    ['mltrack.showAnalytics', 'mltrack.showActivity', 'mltrack.showReports', 'mltrack.showProduction', 'mltrack.generateReport'].map((c) => titles[c]),
    ['Show Analytics', 'Show Activity Heatmap', 'Show Reports', 'Show Production Dashboard', 'Generate Report…'],
  );
  const runsOverflow = pkg.contributes.menus['view/title']!.filter((m) => m.when === 'view == mltrack.runs' && !m.group?.startsWith('navigation')).map((m) => m.command);
  for (const c of ['mltrack.showAnalytics', 'mltrack.showActivity', 'mltrack.showReports', 'mltrack.generateReport', 'mltrack.showProduction']) assert.ok(runsOverflow.includes(c), c);
  assert.ok(pkg.contributes.menus['view/title']!.some((m) => m.command === 'mltrack.showProduction' && m.when === 'view == mltrack.deployments'));
});
