import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { TimeSeriesBucket } from '../../extension/src/protocol';
import { emptyText, formatWindowEdge, rangeParams, windowText, zoomRange } from '../src/panels/analytics/range';
import { SERIES, chartsFor, formatTotal, metricSeries, toCsv } from '../src/panels/analytics/series';
import { coalescer } from '../src/panels/analytics/live';

const bucket = (over: Partial<TimeSeriesBucket> = {}): TimeSeriesBucket => ({
  start: Date.UTC(2026, 2, 5), end: Date.UTC(2026, 2, 6), label: '2026-03-05', runsStarted: 3, runsFinished: 2, runsFailed: 1,
  computeHours: 1.5, experiments: 2, users: 1, metricBest: null, metricBestRunId: null, ...over,
});

// ---- range → params ----

test('a preset is sent by name with the time zone', () => {
  assert.deepEqual(rangeParams({ preset: '7d', fromDate: '2026-01-01', toDate: '2026-01-02' }, null, 'Europe/Paris'), { preset: '7d', timeZone: 'Europe/Paris' });
});

test('no preset sends no window (the backend default) and no time zone when unknown', () => {
  assert.deepEqual(rangeParams({ preset: null, fromDate: '', toDate: '' }, null, null), {});
});

test('a custom range covers both dates whole: local midnight of from to local midnight after to', () => {
  const p = rangeParams({ preset: 'custom', fromDate: '2026-03-05', toDate: '2026-03-07' }, null, null);
  assert.equal(p.preset, 'custom');
  assert.equal(p.from, new Date(2026, 2, 5).getTime());
  assert.equal(p.to, new Date(2026, 2, 8).getTime());
});

test('a one-day custom range is that day', () => {
  const p = rangeParams({ preset: 'custom', fromDate: '2026-03-05', toDate: '2026-03-05' }, null, null);
  assert.equal(p.to! - p.from!, new Date(2026, 2, 6).getTime() - new Date(2026, 2, 5).getTime());
});

test('a custom range with from after to is sent as is (the backend gives the reason)', () => {
  const p = rangeParams({ preset: 'custom', fromDate: '2026-03-10', toDate: '2026-03-05' }, null, null);
  assert.ok(p.from! > p.to!);
});

test('a zoom wins over the preset and sends its edges', () => {
  assert.deepEqual(rangeParams({ preset: '30d', fromDate: '', toDate: '' }, { from: 100, to: 200 }, 'UTC'), { from: 100, to: 200, timeZone: 'UTC' });
});

test('a window edge shows its local day, and its time unless it is midnight', () => {
  assert.equal(formatWindowEdge(new Date(2026, 2, 5).getTime()), '2026-03-05');
  assert.equal(formatWindowEdge(new Date(2026, 2, 5, 14, 7).getTime()), '2026-03-05 14:07');
});

test('zoom over bucket indices selects from the first touched bucket start to the last touched bucket end', () => {
  const bs = [0, 1, 2, 3].map((i) => ({ start: i * 10, end: (i + 1) * 10 }));
  assert.deepEqual(zoomRange(bs, 0.8, 2.2), { from: 10, to: 30 });
  assert.deepEqual(zoomRange(bs, 2.2, 0.8), { from: 10, to: 30 }, 'either drag direction');
  assert.deepEqual(zoomRange(bs, -3, 99), { from: 0, to: 40 }, 'clamped to the buckets');
  assert.deepEqual(zoomRange(bs, 1.9, 2.1), { from: 20, to: 30 }, 'one bucket');
  assert.equal(zoomRange([], 0, 1), null);
  assert.equal(zoomRange(bs, NaN, 1), null);
});

test('the empty text names the window, its last day inclusive when it ends at midnight', () => {
  assert.equal(emptyText(new Date(2026, 2, 1).getTime(), new Date(2026, 2, 8).getTime()), 'No runs between 2026-03-01 and 2026-03-07.');
  assert.equal(emptyText(new Date(2026, 2, 1, 10).getTime(), new Date(2026, 2, 2, 10, 30).getTime()), 'No runs between 2026-03-01 10:00 and 2026-03-02 10:30.');
});

// ---- charts and CSV ----

test('charts: runs, compute, diversity; the metric chart only with a metric', () => {
  assert.deepEqual(chartsFor('day', null, null).map((c) => c.id), ['runs', 'compute', 'diversity']);
  const withMetric = chartsFor('week', 'loss', 'min');
  assert.deepEqual(withMetric.map((c) => c.id), ['runs', 'compute', 'diversity', 'metric']);
  assert.match(withMetric[3]!.title, /Lowest loss per week/);
  assert.deepEqual(withMetric[0]!.series.map((s) => s.id), ['runsStarted', 'runsFinished', 'runsFailed']);
});

test('CSV: header, then label, ISO start and end and one column per series, per bucket', () => {
  const b1 = bucket();
  const b2 = bucket({ start: Date.UTC(2026, 2, 6), end: Date.UTC(2026, 2, 7), label: '2026-03-06', runsStarted: 0, runsFinished: 0, runsFailed: 0, computeHours: 0 });
  const csv = toCsv([b1, b2], [SERIES.runsStarted, SERIES.computeHours]);
  assert.equal(csv, [
    'period,start,end,runs_started,compute_hours',
    '2026-03-05,2026-03-05T00:00:00.000Z,2026-03-06T00:00:00.000Z,3,1.5',
    '2026-03-06,2026-03-06T00:00:00.000Z,2026-03-07T00:00:00.000Z,0,0',
    '',
  ].join('\n'));
});

test('CSV: a period without the metric is empty; non-finite bests are named; odd keys are quoted', () => {
  const s = metricSeries('val,"acc"', 'max');
  const csv = toCsv([bucket({ metricBest: 0.25 }), bucket({ metricBest: null }), bucket({ metricBest: 'NaN' }), bucket({ metricBest: '-Infinity' })], [s]);
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], 'period,start,end,"best_val,""acc"""');
  assert.deepEqual(lines.slice(1).map((l) => l.split(',').pop()), ['0.25', '', 'NaN', '-Infinity']);
});

test('CSV: labels with commas are quoted', () => {
  const csv = toCsv([bucket({ label: 'Mar 5, 2026' })], []);
  assert.ok(csv.split('\n')[1]!.startsWith('"Mar 5, 2026",2026-03-05T'), csv);
});

test('totals: counts with separators, hours with at most two decimals', () => {
  assert.equal(formatTotal('runsStarted', 12345), '12,345');
  assert.equal(formatTotal('computeHours', 1.23456), '1.23');
  assert.equal(formatTotal('computeHours', 123.456), '123.5');
});

// ---- live refresh ----

test('live: a burst of changes is one reload after the delay, never two at once', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    let calls = 0;
    let release: () => void = () => {};
    const c = coalescer(() => { calls++; return new Promise<void>((r) => (release = r)); }, 1000);
    for (let i = 0; i < 50; i++) c.trigger();
    mock.timers.tick(999);
    assert.equal(calls, 0, 'not before the delay');
    mock.timers.tick(1);
    assert.equal(calls, 1, 'one reload for the burst');
    c.trigger(); // a change while reloading
    mock.timers.tick(1000);
    assert.equal(calls, 1, 'waits for the running reload');
    release();
    await new Promise((r) => setImmediate(r));
    mock.timers.tick(1000);
    assert.equal(calls, 2, 'then reloads once more');
    c.cancel();
  } finally {
    mock.timers.reset();
  }
});

test('the window line names the last day a midnight-aligned window holds, not its exclusive end', () => {
  assert.equal(windowText(new Date(2026, 2, 1).getTime(), new Date(2026, 2, 8).getTime()), '2026-03-01 – 2026-03-07');
  assert.equal(windowText(new Date(2026, 2, 1, 9).getTime(), new Date(2026, 2, 1, 17, 30).getTime()), '2026-03-01 09:00 – 2026-03-01 17:30');
  assert.equal(windowText(new Date(2026, 2, 1).getTime(), new Date(2026, 2, 2).getTime()), '2026-03-01');
});
