import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { affectsPreferences, preferenceUpdate, readPreferences, setPreferences, SETTING_OF, watchPreferences } from '../../src/preferences';
import { DEFAULT_PREFERENCES, MAX_RUN_COLORS, MAX_SMOOTHING, PREFERENCE_CHOICES } from '../../src/preferenceRules';
import { notifiesRunEnd } from '../../src/statusBar';

const stub = vscode as unknown as typeof import('../support/vscode');
const extRoot = process.env.MLTRACK_EXT_ROOT ?? process.cwd();

function clearSettings(): void {
  for (const k of Object.keys(stub.settings)) delete stub.settings[k];
  stub.settingUpdates.length = 0;
  stub.shown.length = 0;
}

const reader = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });

test('readPreferences gives the defaults when no setting is set', () => {
  assert.deepEqual(readPreferences(reader({})), DEFAULT_PREFERENCES);
});

test('readPreferences reads each mltrack.* setting into its preference', () => {
  const prefs = readPreferences(reader({
    notifications: 'failures',
    'chart.xAxis': 'relative',
    'chart.smoothing': 0.6,
    'chart.runColors': ['#ff0000', 'rgb(0, 128, 0)'],
    'table.density': 'compact',
    'reports.defaultType': 'cost',
    'cost.cpuHourUsd': 0.1,
    'cost.gpuHourUsd': 2.5,
  }));
  assert.deepEqual(prefs, {
    theme: 'auto',
    notifications: 'failures',
    chartXAxis: 'relative',
    chartSmoothing: 0.6,
    runColors: ['#ff0000', 'rgb(0, 128, 0)'],
    tableDensity: 'compact',
    reportType: 'cost',
    cpuHourUsd: 0.1,
    gpuHourUsd: 2.5,
  });
});

test('readPreferences falls back to the default for a hand-edited value it cannot use', () => {
  const prefs = readPreferences(reader({ 'chart.xAxis': 'epoch', 'table.density': 3, 'cost.cpuHourUsd': -1, 'cost.gpuHourUsd': 'cheap', notifications: null }));
  assert.equal(prefs.chartXAxis, 'step');
  assert.equal(prefs.tableDensity, 'normal');
  assert.equal(prefs.cpuHourUsd, DEFAULT_PREFERENCES.cpuHourUsd);
  assert.equal(prefs.gpuHourUsd, DEFAULT_PREFERENCES.gpuHourUsd);
  assert.equal(prefs.notifications, 'all');
});

test('readPreferences clamps the smoothing into 0..0.99 and drops unusable colours', () => {
  assert.equal(readPreferences(reader({ 'chart.smoothing': 5 })).chartSmoothing, 0.99);
  assert.equal(readPreferences(reader({ 'chart.smoothing': -2 })).chartSmoothing, 0);
  assert.deepEqual(readPreferences(reader({ 'chart.runColors': ['red', 42, 'x;background:url(y)', ' #00f '] })).runColors, ['red', '#00f']);
});

test('preferenceUpdate maps each preference to its setting', () => {
  const u = preferenceUpdate({ chartXAxis: 'wall', chartSmoothing: 0.3, tableDensity: 'comfortable', runColors: ['teal'], reportType: 'technical', cpuHourUsd: 0, gpuHourUsd: 3, notifications: 'none' });
  assert.ok(u.ok);
  assert.deepEqual(Object.fromEntries(u.settings.map((s) => [s.setting, s.value])), {
    'chart.xAxis': 'wall',
    'chart.smoothing': 0.3,
    'table.density': 'comfortable',
    'chart.runColors': ['teal'],
    'reports.defaultType': 'technical',
    'cost.cpuHourUsd': 0,
    'cost.gpuHourUsd': 3,
    notifications: 'none',
  });
});

test('preferenceUpdate refuses the whole update when one value is invalid, naming it', () => {
  const u = preferenceUpdate({ chartXAxis: 'wall', chartSmoothing: 1.5 });
  assert.equal(u.ok, false);
  assert.ok(!u.ok && u.errors.length === 1 && /chartSmoothing/.test(u.errors[0]!));
  for (const bad of [{ tableDensity: 'tiny' }, { cpuHourUsd: -0.5 }, { gpuHourUsd: Number.NaN }, { runColors: 'red' }, { runColors: ['}'] }, { reportType: 'weekly' }, { colour: 'red' }]) {
    const r = preferenceUpdate(bad);
    assert.equal(r.ok, false, JSON.stringify(bad));
    assert.match((r as { errors: string[] }).errors[0]!, new RegExp(Object.keys(bad)[0]!), JSON.stringify(bad));
  }
  assert.equal(preferenceUpdate(null).ok, false);
  assert.equal(preferenceUpdate(['chartXAxis']).ok, false);
});

test('preferenceUpdate accepts theme but writes no setting for it (VS Code panels follow VS Code)', () => {
  const u = preferenceUpdate({ theme: 'dark', tableDensity: 'compact' });
  assert.ok(u.ok);
  assert.deepEqual(u.settings, [{ setting: 'table.density', value: 'compact' }]);
  assert.deepEqual(u.ignored, ['theme']);
});

test('setPreferences writes user settings (ConfigurationTarget.Global) so every window follows', async () => {
  clearSettings();
  assert.equal(await setPreferences({ chartXAxis: 'relative', tableDensity: 'compact' }), true);
  assert.deepEqual(stub.settingUpdates, [
    { key: 'mltrack.chart.xAxis', value: 'relative', target: stub.ConfigurationTarget.Global },
    { key: 'mltrack.table.density', value: 'compact', target: stub.ConfigurationTarget.Global },
  ]);
  assert.equal(readPreferences().chartXAxis, 'relative');
  clearSettings();
});

test('setPreferences shows why a value is refused and writes nothing', async () => {
  clearSettings();
  assert.equal(await setPreferences({ chartXAxis: 'wall', chartSmoothing: 'lots' }), false);
  assert.equal(stub.settingUpdates.length, 0);
  assert.equal(stub.shown.at(-1)?.level, 'error');
  assert.match(stub.shown.at(-1)!.message, /chartSmoothing must be a number from 0 to 0\.99/);
  clearSettings();
});

test('affectsPreferences: the preference settings, not the others under mltrack.*', () => {
  const event = (key: string) => ({ affectsConfiguration: (s: string) => key === s || key.startsWith(`${s}.`) }) as vscode.ConfigurationChangeEvent;
  assert.ok(affectsPreferences(event('mltrack.chart.xAxis')));
  assert.ok(affectsPreferences(event('mltrack.notifications')));
  assert.ok(affectsPreferences(event('mltrack.cost.gpuHourUsd')));
  assert.ok(!affectsPreferences(event('mltrack.backendPath')));
  assert.ok(!affectsPreferences(event('editor.fontSize')));
});

test('watchPreferences posts the new preferences after a preference setting changes, and nothing for other settings', () => {
  clearSettings();
  const posted: unknown[] = [];
  const d = watchPreferences((m) => posted.push(m));
  try {
    stub.changeSettings({ 'mltrack.storePath': '/elsewhere' });
    assert.equal(posted.length, 0);
    stub.changeSettings({ 'mltrack.chart.smoothing': 0.8 });
    assert.deepEqual(posted, [{ type: 'preferences', preferences: { ...DEFAULT_PREFERENCES, chartSmoothing: 0.8 } }]);
  } finally {
    d.dispose();
    clearSettings();
  }
});

test('the notification level setting drives run-end notifications', () => {
  assert.deepEqual(['FINISHED', 'FAILED', 'KILLED', 'CRASHED'].map((s) => notifiesRunEnd('all', s)), [true, true, true, true]);
  assert.deepEqual(['FINISHED', 'FAILED', 'KILLED', 'CRASHED'].map((s) => notifiesRunEnd('failures', s)), [false, true, false, true]);
  assert.deepEqual(['FINISHED', 'FAILED'].map((s) => notifiesRunEnd('none', s)), [false, false]);
  clearSettings();
  stub.settings['mltrack.notifications'] = 'failures';
  assert.equal(notifiesRunEnd(readPreferences().notifications, 'FINISHED'), false);
  clearSettings();
});

test('package.json contributes every preference setting with the default the code falls back to', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(extRoot, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default: unknown; enum?: unknown[]; minimum?: number; maximum?: number; maxItems?: number }> } };
  };
  const props = pkg.contributes.configuration.properties;
  const choices: Partial<Record<string, readonly string[]>> = PREFERENCE_CHOICES;
  for (const [pref, setting] of Object.entries(SETTING_OF)) {
    const p = props[`mltrack.${setting}`];
    assert.ok(p, `mltrack.${setting} is contributed`);
    assert.deepEqual(p.default, DEFAULT_PREFERENCES[pref as keyof typeof SETTING_OF], `default of mltrack.${setting}`);
    assert.deepEqual(p.enum, choices[pref] ? [...choices[pref]!] : undefined, `the values mltrack.${setting} offers are the allowed ones`);
  }
  assert.equal(props['mltrack.chart.smoothing']!.maximum, MAX_SMOOTHING);
  assert.equal(props['mltrack.chart.runColors']!.maxItems, MAX_RUN_COLORS);
});
