import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SET_PREFERENCE_COMMAND, changedKeys, currentPreferences, mergePreferences, onPreferences, parsePreferencesAttr, setPreferences, validPartial,
  type Preferences,
} from '../src/preferences';
import { DEFAULT_PREFERENCES, isCssColor } from '../../extension/src/preferenceRules';
import { runColorsWith, runColor, withAlpha } from '../src/colors';
import { rowHeight } from '../src/panels/runs/density';

// ---- validation and merge (pure) ----

test('defaults are the documented setting defaults', () => {
  assert.deepEqual({ ...DEFAULT_PREFERENCES }, {
    theme: 'auto', notifications: 'all', chartXAxis: 'step', chartSmoothing: 0, runColors: [], tableDensity: 'normal',
    reportType: 'executive', cpuHourUsd: 0.047, gpuHourUsd: 1.1,
  });
});

test('merge takes every valid known field', () => {
  const p = mergePreferences(DEFAULT_PREFERENCES, {
    theme: 'dark', notifications: 'failures', chartXAxis: 'relative', chartSmoothing: 0.6, runColors: ['#ff0000', 'rgb(0, 0, 255)'],
    tableDensity: 'compact', reportType: 'cost', cpuHourUsd: 0.1, gpuHourUsd: 2,
  });
  assert.deepEqual(p, {
    theme: 'dark', notifications: 'failures', chartXAxis: 'relative', chartSmoothing: 0.6, runColors: ['#ff0000', 'rgb(0, 0, 255)'],
    tableDensity: 'compact', reportType: 'cost', cpuHourUsd: 0.1, gpuHourUsd: 2,
  });
});

test('merge keeps the base value for bad fields and ignores unknown ones', () => {
  const base = mergePreferences(DEFAULT_PREFERENCES, { chartXAxis: 'wall', chartSmoothing: 0.5 });
  const p = mergePreferences(base, {
    theme: 'blue', notifications: 3, chartXAxis: 'time', chartSmoothing: 1.5, runColors: 'red', tableDensity: null,
    reportType: 'summary', cpuHourUsd: -1, gpuHourUsd: 'NaN', extra: true,
  });
  assert.deepEqual(p, base);
  assert.equal('extra' in p, false);
});

test('smoothing outside 0..0.99 and non-finite prices are bad', () => {
  for (const v of [-0.1, 1, NaN, Infinity, '0.5']) assert.equal(mergePreferences(DEFAULT_PREFERENCES, { chartSmoothing: v }).chartSmoothing, 0, String(v));
  assert.equal(mergePreferences(DEFAULT_PREFERENCES, { chartSmoothing: 0.99 }).chartSmoothing, 0.99);
  assert.equal(mergePreferences(DEFAULT_PREFERENCES, { gpuHourUsd: Infinity }).gpuHourUsd, 1.1);
  assert.equal(mergePreferences(DEFAULT_PREFERENCES, { cpuHourUsd: 0 }).cpuHourUsd, 0);
});

test('run colours keep the valid CSS colours in order and drop the others', () => {
  const p = mergePreferences(DEFAULT_PREFERENCES, { runColors: ['#abc', 'url(x)', 'tomato', 7, 'hsl(10 50% 40%)', 'var(--x)', ' #112233 '] });
  assert.deepEqual(p.runColors, ['#abc', 'tomato', 'hsl(10 50% 40%)', '#112233']);
  assert.equal(isCssColor('expression(alert(1))'), false);
  assert.equal(isCssColor('#12345'), false);
});

test('merge of a non-object keeps the base', () => {
  for (const raw of [null, undefined, 'dark', 42, ['theme']]) assert.deepEqual(mergePreferences(DEFAULT_PREFERENCES, raw), { ...DEFAULT_PREFERENCES });
});

test('merge does not share the base run colour list', () => {
  const base = mergePreferences(DEFAULT_PREFERENCES, { runColors: ['#ff0000'] });
  const p = mergePreferences(base, {});
  p.runColors.push('#00ff00');
  assert.deepEqual(base.runColors, ['#ff0000']);
});

test('validPartial keeps only the valid fields given', () => {
  assert.deepEqual(validPartial({ chartXAxis: 'wall', tableDensity: 'huge' }), { chartXAxis: 'wall' });
});

test('changedKeys names the fields that differ (run colours by content)', () => {
  const a = mergePreferences(DEFAULT_PREFERENCES, { runColors: ['#ff0000'] });
  assert.deepEqual(changedKeys(a, mergePreferences(a, { runColors: ['#ff0000'] })), []);
  assert.deepEqual(changedKeys(a, mergePreferences(a, { runColors: ['#00ff00'], chartXAxis: 'wall' })).sort(), ['chartXAxis', 'runColors']);
});

test('the body attribute is ignored when empty, unfilled or not a JSON object', () => {
  assert.equal(parsePreferencesAttr(undefined), null);
  assert.equal(parsePreferencesAttr(''), null);
  assert.equal(parsePreferencesAttr('{{preferencesJson}}'), null);
  assert.equal(parsePreferencesAttr('[1]'), null);
  assert.deepEqual(parsePreferencesAttr('{"theme":"dark"}'), { theme: 'dark' });
});

// ---- applying preferences (pure parts) ----

test('preferred run colours go to the first runs in order; the rest keep distinct stable colours', () => {
  const ids = ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)];
  const m = runColorsWith(ids, ['#111111', '#222222']);
  assert.equal(m.get(ids[0]!), '#111111');
  assert.equal(m.get(ids[1]!), '#222222');
  assert.equal(m.get(ids[2]!), runColor(ids[2]!));
  assert.deepEqual(runColorsWith(ids, []), runColorsWith(ids, []));
  assert.equal(runColorsWith(ids, []).get(ids[0]!), runColor(ids[0]!));
});

test('a run listed twice keeps one colour and uses one preferred colour', () => {
  const a = 'a'.repeat(32), b = 'b'.repeat(32);
  const m = runColorsWith([a, a, b], ['#111111', '#222222']);
  assert.equal(m.get(a), '#111111');
  assert.equal(m.get(b), '#222222');
});

test('withAlpha handles the colour forms a preference may hold', () => {
  assert.equal(withAlpha('#abc', 0.5), '#aabbcc80');
  assert.equal(withAlpha('#aabbccff', 0), '#aabbcc00');
  assert.equal(withAlpha('rgb(1, 2, 3)', 0.2), 'rgba(1, 2, 3, 0.2)');
  assert.equal(withAlpha('rgb(1 2 3)', 0.2), 'rgb(1 2 3 / 0.2)');
  assert.equal(withAlpha('rgba(1, 2, 3, 0.9)', 0.2), 'rgba(1, 2, 3, 0.9)');
  assert.equal(withAlpha('tomato', 0.2), 'tomato');
});

test('table density maps to the row height the virtualization uses', () => {
  assert.equal(rowHeight('compact'), 20);
  assert.equal(rowHeight('normal'), 24);
  assert.equal(rowHeight('comfortable'), 32);
  assert.equal(rowHeight('bogus'), 24);
  assert.ok(rowHeight('compact') < rowHeight('normal') && rowHeight('normal') < rowHeight('comfortable'));
});

// ---- the live preferences inside a VS Code webview (host faked: the API, window messages, the body attribute) ----

const posted: any[] = [];
const messageHandlers: ((ev: { data: unknown }) => void)[] = [];
function fakeVsCode(attr: string): void {
  (globalThis as any).acquireVsCodeApi = () => ({ postMessage: (m: unknown) => posted.push(m), getState: () => ({}), setState() {} });
  (globalThis as any).window = { addEventListener: (type: string, fn: any) => type === 'message' && messageHandlers.push(fn) };
  (globalThis as any).document = { body: { dataset: { preferences: attr } } };
}
const hostSays = (data: unknown) => messageHandlers.forEach((f) => f({ data }));

test('in VS Code: the body attribute gives the preferences, its bad fields replaced by defaults', () => {
  fakeVsCode(JSON.stringify({ chartXAxis: 'wall', chartSmoothing: 5, theme: 'blue', tableDensity: 'compact' }));
  const p = currentPreferences();
  assert.equal(p.chartXAxis, 'wall');
  assert.equal(p.tableDensity, 'compact');
  assert.equal(p.chartSmoothing, DEFAULT_PREFERENCES.chartSmoothing);
  assert.equal(p.theme, DEFAULT_PREFERENCES.theme);
});

test('in VS Code: a preferences message reaches the listeners with what changed', () => {
  const seen: { p: Preferences; changed: string[]; initial: boolean }[] = [];
  const off = onPreferences((p, c) => seen.push({ p, changed: c.changed, initial: c.initial }));
  hostSays({ type: 'preferences', preferences: { ...currentPreferences(), chartXAxis: 'relative' } });
  assert.equal(seen.length, 1);
  assert.deepEqual(seen[0]!.changed, ['chartXAxis']);
  assert.equal(seen[0]!.initial, false);
  assert.equal(currentPreferences().chartXAxis, 'relative');
  // The same preferences again: nothing changed, nobody is called.
  hostSays({ type: 'preferences', preferences: currentPreferences() });
  assert.equal(seen.length, 1);
  off();
  hostSays({ type: 'preferences', preferences: { ...currentPreferences(), chartXAxis: 'step' } });
  assert.equal(seen.length, 1, 'unsubscribed');
});

test('in VS Code: other messages are not preferences', () => {
  const before = currentPreferences();
  hostSays({ type: 'notification', method: 'runs/changed', params: { theme: 'dark' } });
  hostSays(null);
  assert.deepEqual(currentPreferences(), before);
});

test('in VS Code: setPreferences posts the mltrack.setPreference command with the valid fields only', async () => {
  posted.length = 0;
  await setPreferences({ tableDensity: 'comfortable', chartXAxis: 'bogus' as any });
  assert.deepEqual(posted, [{ type: 'command', command: SET_PREFERENCE_COMMAND, args: [{ tableDensity: 'comfortable' }] }]);
  posted.length = 0;
  await setPreferences({ chartXAxis: 'bogus' as any });
  assert.deepEqual(posted, [], 'nothing valid: nothing posted');
});
