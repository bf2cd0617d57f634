import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeRelation, compareMetrics, diffParams, sameParamValue, winners } from '../src/panels/compare/diff';
import type { MetricSummary } from '../../extension/src/protocol';

test('params: equal values are not a difference, numbers compare by value', () => {
  assert.equal(sameParamValue('0.1', '0.1'), true);
  assert.equal(sameParamValue('0.1', '1e-1'), true);
  assert.equal(sameParamValue('0.1', '0.10'), true);
  assert.equal(sameParamValue('adam', 'Adam'), false);
  assert.equal(sameParamValue('1', null), false);
  assert.equal(sameParamValue(null, null), true);
  assert.equal(sameParamValue('', '0'), false);
});

test('params: differing rows and changed cells against the first run', () => {
  const rows = diffParams([
    { lr: '0.01', epochs: '10', opt: 'adam' },
    { lr: '0.1', epochs: '10', opt: 'adam' },
    { lr: '0.01', epochs: '10.0' },
  ]);
  assert.deepEqual(rows.map((r) => r.key), ['epochs', 'lr', 'opt']);
  const by = Object.fromEntries(rows.map((r) => [r.key, r]));
  assert.equal(by.epochs!.differs, false);
  assert.deepEqual(by.epochs!.changed, [false, false, false]);
  assert.equal(by.lr!.differs, true);
  assert.deepEqual(by.lr!.changed, [false, true, false]);
  assert.equal(by.opt!.differs, true, 'a missing param is a difference');
  assert.deepEqual(by.opt!.values, ['adam', 'adam', null]);
  assert.deepEqual(by.opt!.changed, [false, false, true]);
});

test('params: a param only the second run has differs; differencesFirst puts differing rows on top', () => {
  const rows = diffParams([{ a: '1', b: '2' }, { a: '1', b: '2', c: 'x' }], { differencesFirst: true });
  assert.deepEqual(rows.map((r) => [r.key, r.differs]), [['c', true], ['a', false], ['b', false]]);
  assert.deepEqual(rows[0]!.changed, [false, true]);
});

test('winners: lower or higher is better, ties, too few values, non-finite ignored', () => {
  assert.deepEqual(winners([0.3, 0.1, 0.2], true), [1]);
  assert.deepEqual(winners([0.3, 0.1, 0.2], false), [0]);
  assert.deepEqual(winners([0.1, 0.1, 0.2], true), [0, 1]);
  assert.deepEqual(winners([0.1, 0.1], true), [], 'all equal: no winner');
  assert.deepEqual(winners([0.1, null], true), [], 'one value: no winner');
  assert.deepEqual(winners([NaN, 0.5, Infinity, 0.7], false), [3]);
  assert.deepEqual(winners([], false), []);
});

function summary(key: string, latest: number | 'NaN', min: number, max: number, lowerIsBetter: boolean): MetricSummary {
  return { key, latest, latestStep: 9, latestTimestamp: 0, min, max, count: 10, lowerIsBetter };
}

test('metrics: final and best winners per row, lower-is-better from the summaries, system metrics apart', () => {
  const rows = compareMetrics([
    [summary('loss', 0.2, 0.15, 1, true), summary('acc', 0.9, 0.1, 0.95, false), summary('system/cpu_percent', 50, 1, 90, false)],
    [summary('loss', 0.3, 0.1, 1, true), summary('acc', 0.92, 0.1, 0.93, false)],
  ]);
  assert.deepEqual(rows.map((r) => r.key), ['acc', 'loss']);
  const [acc, loss] = rows;
  assert.deepEqual(acc!.latestWinners, [1]);
  assert.deepEqual(acc!.bestWinners, [0]);
  assert.equal(loss!.lowerIsBetter, true);
  assert.deepEqual(loss!.latestWinners, [0]);
  assert.deepEqual(loss!.bestWinners, [1]);
  assert.equal(loss!.cells[1]!.best, 0.1);

  const withSys = compareMetrics([[summary('system/cpu_percent', 50, 1, 90, false)], []], { includeSystem: true });
  assert.equal(withSys.length, 1);
  assert.deepEqual(withSys[0]!.cells[1], null);
  assert.deepEqual(withSys[0]!.latestWinners, []);
});

test('metrics: NaN latest values never win', () => {
  const rows = compareMetrics([[summary('loss', 'NaN', 0.1, 1, true)], [summary('loss', 0.5, 0.5, 1, true)]]);
  assert.ok(Number.isNaN(rows[0]!.cells[0]!.latest));
  assert.deepEqual(rows[0]!.latestWinners, []);
  assert.deepEqual(rows[0]!.bestWinners, [0]);
});

test('code relation of two runs', () => {
  const g = (commit: string | null, dirty = false, diff = false) => ({ commit, branch: 'main', dirty, hasDiffArtifact: diff });
  assert.equal(codeRelation(g(null), g('a')), 'no-git');
  assert.equal(codeRelation(g('a'), g('b')), 'different-commits');
  assert.equal(codeRelation(g('a'), g('a')), 'same');
  assert.equal(codeRelation(g('a', true), g('a')), 'same-commit-dirty');
  assert.equal(codeRelation(g('a'), g('a', false, true)), 'same-commit-dirty');
});
