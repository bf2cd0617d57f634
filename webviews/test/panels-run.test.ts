import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactKind, formatBytes, LogBuffer, runDuration, splitFiles, splitMatches, splitMetrics, tagKeyError, visibleRange } from '../src/panels/run/logic';
import type { MetricSummary } from '../../extension/src/protocol';

const m = (key: string): MetricSummary => ({ key, latest: 1, latestStep: 1, latestTimestamp: 1, min: 1, max: 1, count: 1, lowerIsBetter: false });

test('metrics split into training and system sections', () => {
  const { user, system } = splitMetrics([m('system/cpu_percent'), m('loss'), m('acc'), m('system/memory_rss_mb')]);
  assert.deepEqual(user.map((x) => x.key), ['acc', 'loss']);
  assert.deepEqual(system.map((x) => x.key), ['system/cpu_percent', 'system/memory_rss_mb']);
});

test('formatBytes and artifact kinds', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatBytes(5 * 1024 * 1024), '5.0 MB');
  assert.equal(formatBytes(300 * 1024 * 1024), '300 MB');
  assert.equal(formatBytes(-1), '');
  assert.equal(artifactKind('plots/loss.PNG'), 'image');
  assert.equal(artifactKind('data/x.csv'), 'csv');
  assert.equal(artifactKind('logs/output.log'), 'text');
  assert.equal(artifactKind('code.diff'), 'text');
  assert.equal(artifactKind('model.pkl'), 'other');
  assert.equal(artifactKind('README'), 'other');
});

test('tag keys: system tags reserved', () => {
  assert.equal(tagKeyError('team'), null);
  assert.ok(tagKeyError('  '));
  assert.ok(tagKeyError('mlflow.runName'));
  assert.ok(tagKeyError('mltrack.error'));
  assert.ok(tagKeyError('x'.repeat(251)));
});

test('files split into inputs and outputs', () => {
  const f = (direction: 'input' | 'output', path: string) => ({ direction, path, size: 1, sha256: 'a' });
  const { inputs, outputs } = splitFiles([f('output', 'b'), f('input', 'z'), f('input', 'a')]);
  assert.deepEqual(inputs.map((x) => x.path), ['a', 'z']);
  assert.deepEqual(outputs.map((x) => x.path), ['b']);
});

test('log buffer: bounded, searchable', () => {
  const log = new LogBuffer(3);
  log.append('stdout', ['epoch 1 loss=0.5', 'epoch 2 loss=0.4']);
  log.append('stderr', ['Warning: slow', 'epoch 3 LOSS=0.3']);
  assert.equal(log.lines.length, 3);
  assert.equal(log.dropped, 1);
  assert.deepEqual(log.search('loss'), [0, 2]);
  assert.deepEqual(log.search(''), [0, 1, 2]);
  assert.equal(log.lines[1]!.stream, 'stderr');
});

test('virtualized window and match splitting', () => {
  assert.deepEqual(visibleRange(0, 100, 20, 1000, 0), [0, 5]);
  assert.deepEqual(visibleRange(2000, 100, 20, 1000, 2), [98, 107]);
  assert.deepEqual(visibleRange(19990, 100, 20, 1000, 2), [997, 1000]);
  assert.deepEqual(visibleRange(0, 100, 20, 0), [0, 0]);
  assert.deepEqual(splitMatches('Loss and loss', 'loss'), [
    { text: 'Loss', match: true },
    { text: ' and ', match: false },
    { text: 'loss', match: true },
  ]);
  assert.deepEqual(splitMatches('abc', ''), [{ text: 'abc', match: false }]);
});

test('duration: recorded, running, or from the end time', () => {
  assert.equal(runDuration({ durationMs: 5, startTime: 0, endTime: 5, status: 'FINISHED' }, 100), 5);
  assert.equal(runDuration({ durationMs: null, startTime: 10, endTime: null, status: 'RUNNING' }, 100), 90);
  assert.equal(runDuration({ durationMs: null, startTime: 10, endTime: 30, status: 'KILLED' }, 100), 20);
  assert.equal(runDuration({ durationMs: null, startTime: 10, endTime: null, status: 'CRASHED' }, 100), null);
});
