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

import { diffStats, parseUnifiedDiff } from '../src/panels/compare/diff';

const GIT_DIFF = [
  'diff --git a/train.py b/train.py',
  'index 1111111..2222222 100644',
  '--- a/train.py',
  '+++ b/train.py',
  '@@ -1,4 +1,5 @@',
  ' import torch',
  '-lr = 0.1',
  '+lr = 0.01',
  '+epochs = 20',
  ' ',
  '-- not a header: a removed line starting with "- "',
  '@@ -10 +11 @@ def main():',
  '-    pass',
  '+    run()',
  '\\ No newline at end of file',
  'diff --git a/new.txt b/new.txt',
  'new file mode 100644',
  'index 0000000..3333333',
  '--- /dev/null',
  '+++ b/new.txt',
  '@@ -0,0 +1 @@',
  '+hello',
  'diff --git a/old.txt b/old.txt',
  'deleted file mode 100644',
  '--- a/old.txt',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-bye',
  'diff --git a/a.py b/b.py',
  'similarity index 100%',
  'rename from a.py',
  'rename to b.py',
  'diff --git a/img.png b/img.png',
  'Binary files a/img.png and b/img.png differ',
  '',
].join('\n');

test('unified diff: files, hunks, counts, added/deleted/renamed/binary files', () => {
  const files = parseUnifiedDiff(GIT_DIFF);
  assert.deepEqual(files.map((f) => [f.path, f.status]), [
    ['train.py', 'modified'],
    ['new.txt', 'added'],
    ['old.txt', 'deleted'],
    ['b.py', 'renamed'],
    ['img.png', 'binary'],
  ]);
  const [train, added, deleted, renamed] = files;
  assert.equal(train!.hunks.length, 2);
  assert.equal(train!.hunks[0]!.header, '@@ -1,4 +1,5 @@');
  assert.deepEqual(train!.hunks[0]!.lines.map((l) => l.kind), ['ctx', 'del', 'add', 'add', 'ctx', 'del']);
  assert.equal(train!.hunks[0]!.lines[5]!.text, '- not a header: a removed line starting with "- "');
  assert.deepEqual(train!.hunks[1]!.lines.map((l) => l.kind), ['del', 'add', 'note']);
  assert.deepEqual([train!.added, train!.removed], [3, 3]);
  assert.deepEqual([added!.oldPath, added!.newPath, added!.added], [null, 'new.txt', 1]);
  assert.deepEqual([deleted!.oldPath, deleted!.newPath, deleted!.removed], ['old.txt', null, 1]);
  assert.equal(renamed!.oldPath, 'a.py');
  assert.equal(renamed!.hunks.length, 0);
  assert.deepEqual(diffStats(files), { files: 5, added: 4, removed: 4 });
});

test('unified diff: plain diff -u with timestamps, CRLF, empty and junk input', () => {
  const plain = '--- a/x.txt\t2024-01-01 10:00:00\r\n+++ b/x.txt\t2024-01-02 10:00:00\r\n@@ -1,2 +1,2 @@\r\n-one\r\n+uno\r\n two\r\n--- y.txt\n+++ y.txt\n@@ -1 +1 @@\n-a\n+b\n';
  const files = parseUnifiedDiff(plain);
  assert.deepEqual(files.map((f) => f.path), ['x.txt', 'y.txt']);
  assert.deepEqual(files[0]!.hunks[0]!.lines, [
    { kind: 'del', text: 'one' },
    { kind: 'add', text: 'uno' },
    { kind: 'ctx', text: 'two' },
  ]);
  assert.deepEqual(parseUnifiedDiff(''), []);
  assert.deepEqual(parseUnifiedDiff(null), []);
  assert.deepEqual(parseUnifiedDiff('just some text\nno diff here\n'), []);
});
