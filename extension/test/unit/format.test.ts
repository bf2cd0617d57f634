import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  commandUri,
  escapeHtml,
  escapeMarkdown,
  formatAge,
  formatDuration,
  formatValue,
  hoverMarkdown,
  keyMetric,
  lastRunLensTitle,
  runDescription,
  runLabel,
  runningText,
  sparkline,
  statusIcon,
  toNumber,
} from '../../src/format';

test('sparkline maps min to ▁ and max to █, one block per value', () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), '▁▂▃▄▅▆▇█');
  assert.equal(sparkline([7, 0]), '█▁');
});

test('sparkline shows NaN and infinities as spaces, and scales on finite values only', () => {
  assert.equal(sparkline([1, NaN, 2]), '▁ █');
  assert.equal(sparkline([1, 'NaN', 2, 'Infinity']), '▁ █ ');
  assert.equal(sparkline([NaN, NaN]), '  ');
});

test('sparkline of a flat series is mid-height; empty is empty', () => {
  assert.equal(sparkline([3, 3, 3]), '▄▄▄');
  assert.equal(sparkline([]), '');
});

test('sparkline keeps the last `width` values', () => {
  const s = sparkline([100, 0, 1, 2], 3);
  assert.equal(s.length, 3);
  assert.equal(s, '▁▅█');
});

test('toNumber reads the backend NaN/Infinity strings', () => {
  assert.ok(Number.isNaN(toNumber('NaN')));
  assert.equal(toNumber('Infinity'), Infinity);
  assert.equal(toNumber('-Infinity'), -Infinity);
  assert.equal(toNumber(0.5), 0.5);
  assert.ok(Number.isNaN(toNumber(null)));
  assert.ok(Number.isNaN(toNumber('')));
});

test('formatValue keeps 4 significant digits and uses exponents for extremes', () => {
  assert.equal(formatValue(0.123456), '0.1235');
  assert.equal(formatValue(12), '12');
  assert.equal(formatValue(1234.5678), '1235');
  assert.equal(formatValue(0.00001234), '1.234e-5');
  assert.equal(formatValue(12345678.9), '1.235e+7');
  assert.equal(formatValue('NaN'), 'NaN');
  assert.equal(formatValue(-Infinity), '-∞');
  assert.equal(formatValue(0), '0');
});

test('formatAge buckets seconds, minutes, hours, days, weeks', () => {
  const now = 1_700_000_000_000;
  assert.equal(formatAge(now - 1000, now), 'just now');
  assert.equal(formatAge(now - 42_000, now), '42s ago');
  assert.equal(formatAge(now - 5 * 60_000, now), '5m ago');
  assert.equal(formatAge(now - 3 * 3_600_000, now), '3h ago');
  assert.equal(formatAge(now - 2 * 86_400_000, now), '2d ago');
  assert.equal(formatAge(now - 21 * 86_400_000, now), '3w ago');
  assert.match(formatAge(now - 400 * 86_400_000, now), /^\d{4}-\d{2}-\d{2}$/);
});

test('formatDuration', () => {
  assert.equal(formatDuration(850), '850ms');
  assert.equal(formatDuration(12_000), '12s');
  assert.equal(formatDuration(185_000), '3m 05s');
  assert.equal(formatDuration(2 * 3_600_000 + 7 * 60_000), '2h 07m');
  assert.equal(formatDuration(-1), '');
});

test('runLabel uses the name, else the short id', () => {
  assert.equal(runLabel({ runId: '0123456789abcdef', name: 'lr sweep' }), 'lr sweep');
  assert.equal(runLabel({ runId: '0123456789abcdef', name: '  ' }), '01234567');
  assert.equal(runLabel({ runId: '0123456789abcdef' }), '01234567');
});

test('statusIcon maps each status to its codicon', () => {
  assert.equal(statusIcon('RUNNING').id, 'sync~spin');
  assert.equal(statusIcon('FINISHED').id, 'check');
  assert.equal(statusIcon('FAILED').id, 'error');
  assert.equal(statusIcon('KILLED').id, 'circle-slash');
  assert.equal(statusIcon('CRASHED').id, 'warning');
  assert.equal(statusIcon('SOMETHING').id, 'circle-outline');
});

test('keyMetric prefers validation scores and never picks system metrics', () => {
  const pick = (...keys: string[]) => keyMetric(keys.map((key) => ({ key, latest: 1 })))?.key;
  assert.equal(pick('system/cpu_percent', 'loss', 'val_acc', 'epoch'), 'val_acc');
  assert.equal(pick('system/cpu_percent', 'train_loss', 'epoch'), 'train_loss');
  assert.equal(pick('system/cpu_percent', 'epoch'), 'epoch');
  assert.equal(pick('b', 'a'), 'a');
  assert.equal(keyMetric([]), undefined);
  assert.equal(keyMetric(undefined), undefined);
});

test('runDescription: key metric and age, or running time', () => {
  const now = 1_700_000_000_000;
  assert.equal(
    runDescription({ status: 'FINISHED', startTime: now - 600_000, endTime: now - 300_000, metrics: [{ key: 'val_acc', latest: 0.91234 }] }, now),
    'val_acc 0.9123 · 5m ago',
  );
  assert.equal(runDescription({ status: 'RUNNING', startTime: now - 12_000, metrics: [] }, now), 'running 12s');
});

test('lastRunLensTitle', () => {
  assert.equal(lastRunLensTitle({ status: 'FINISHED', metrics: [{ key: 'acc', latest: 0.5 }] }), '⟳ Last run: FINISHED acc 0.5');
  assert.equal(lastRunLensTitle({ status: 'FAILED' }), '⟳ Last run: FAILED');
});

test('runningText', () => {
  assert.equal(runningText(0), '$(beaker) MLTrack');
  assert.equal(runningText(3), '$(sync~spin) 3 running');
});

test('escapeMarkdown and escapeHtml neutralise user text', () => {
  assert.equal(escapeMarkdown('a_b*[x](y)'), 'a\\_b\\*\\[x\\]\\(y\\)');
  assert.equal(escapeHtml('<img src=x onerror="a">&'), '&lt;img src=x onerror=&quot;a&quot;&gt;&amp;');
  assert.equal(escapeHtml(null), '');
});

test('commandUri encodes JSON arguments', () => {
  assert.equal(commandUri('mltrack.openRun'), 'command:mltrack.openRun');
  const u = commandUri('mltrack.showChart', 'abc', 'val loss');
  assert.ok(u.startsWith('command:mltrack.showChart?'));
  assert.deepEqual(JSON.parse(decodeURIComponent(u.split('?')[1])), ['abc', 'val loss']);
});

test('hoverMarkdown shows latest, best (direction), run, sparkline and command links', () => {
  const now = 1_700_000_000_000;
  const md = hoverMarkdown(
    {
      key: 'val_loss',
      direction: 'min',
      latest: { value: 0.25, step: 9, runId: 'aaaaaaaa1111', runName: 'baseline', status: 'FINISHED', time: now - 120_000 },
      best: { value: 0.2, runId: 'bbbbbbbb2222', runName: 'wide_net' },
      history: [1, 0.5, NaN, 0.25],
    },
    now,
  );
  assert.match(md, /metric `val_loss`/);
  assert.match(md, /Latest: \*\*0\.25\*\* \(step 9, 2m ago\)/);
  assert.match(md, /Best \(min\): \*\*0\.2\*\* \(wide\\_net\)/);
  assert.match(md, /Run: baseline · FINISHED `aaaaaaaa`/);
  assert.match(md, /`█▃ ▁`/);
  assert.match(md, /\[Open run\]\(command:mltrack\.openRun\?/);
  assert.match(md, /\[Show chart\]\(command:mltrack\.showChart\?/);
  assert.match(md, /\[Open best run\]\(command:mltrack\.openRun\?/);
});

test('hoverMarkdown for the same best run and for a metric with no runs', () => {
  const md = hoverMarkdown(
    { key: 'acc', direction: 'max', latest: { value: 0.9, runId: 'r1', step: 1 }, best: { value: 0.9, runId: 'r1' } },
    0,
  );
  assert.match(md, /Best \(max\): \*\*0\.9\*\* \(same run\)/);
  assert.doesNotMatch(md, /Open best run/);
  assert.match(hoverMarkdown({ key: 'acc', direction: 'max' }, 0), /No run has logged this metric yet/);
});

test('hoverFromLatest maps a metrics/latest answer (direction, best run, sparkline of the latest run)', async () => {
  const { hoverFromLatest } = await import('../../src/format');
  const now = 1_700_000_000_000;
  const md = hoverFromLatest(
    {
      key: 'acc',
      lowerIsBetter: false,
      latest: { runId: 'r2aaaaaaaaaa', runName: null, experimentId: '0', status: 'RUNNING', startTime: now - 60_000, value: 0.8, step: 3, count: 4 },
      best: { runId: 'r1bbbbbbbbbb', runName: 'old', experimentId: '0', status: 'FINISHED', startTime: now - 9e6, value: 'NaN', step: 9, count: 10 },
      recent: [],
      sparkline: [
        { step: 0, timestamp: now - 40_000, value: 0.1 },
        { step: 1, timestamp: now - 30_000, value: 'NaN' },
        { step: 3, timestamp: now - 10_000, value: 0.8 },
      ],
    },
    now,
  );
  assert.match(md, /Latest: \*\*0\.8\*\* \(step 3, 10s ago\)/);
  assert.match(md, /Best \(max\): \*\*NaN\*\* \(old\)/);
  assert.match(md, /Run: r2aaaaaa · RUNNING/);
  assert.match(md, /`▁ █`/);
  const none = hoverFromLatest({ key: 'x', lowerIsBetter: true, latest: null, best: null, recent: [], sparkline: [] }, now);
  assert.match(none, /No run has logged this metric yet/);
});

test('splitCommandLine undoes the backend POSIX quoting', async () => {
  const { splitCommandLine } = await import('../../src/format');
  assert.deepEqual(splitCommandLine("python3 train.py --lr 0.1"), ['python3', 'train.py', '--lr', '0.1']);
  assert.deepEqual(splitCommandLine("python3 '/my dir/train.py' --name 'it'\\''s'"), ['python3', '/my dir/train.py', '--name', "it's"]);
  assert.deepEqual(splitCommandLine('a "b c" d\\ e \'\''), ['a', 'b c', 'd e', '']);
  assert.deepEqual(splitCommandLine('  '), []);
});
