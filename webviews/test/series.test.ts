import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricHistoryManyResult, MetricHistoryResult } from '../../extension/src/protocol';
import {
  align, chunks, clippedRange, ema, fromHistory, fromMany, historiesOf, indexRange, interpolate, nearestIndex, percentile, SeriesError, stepAt,
  toCsv, toSvg, xValues,
} from '../src/panels/charts/series';

test('ema: weight 0 is identity, smoothing is debiased, gaps stay gaps', () => {
  assert.deepEqual(ema([1, 2, 3], 0), [1, 2, 3]);
  const s = ema([10, 10, 10], 0.9);
  for (const v of s) assert.ok(Math.abs((v as number) - 10) < 1e-9, 'debiased EMA of a constant is the constant');
  const g = ema([1, null, 3], 0.5);
  assert.equal(g[1], null);
  assert.equal(g[0], 1);
  // acc = 0.5*1 = 0.5 → /0.5 = 1 ; then acc = 0.25 + 1.5 = 1.75, n=2 → /(1-0.25) = 2.333…
  assert.ok(Math.abs((g[2] as number) - 1.75 / 0.75) < 1e-12);
});

test('percentile and clippedRange ignore outliers, NaN gaps and non-positive values on log', () => {
  assert.equal(percentile([1, 2, 3, 4, 5], 50), 3);
  assert.equal(percentile([0, 10], 25), 2.5);
  const vals: (number | null)[] = Array.from({ length: 1000 }, (_, i) => i / 1000);
  vals.push(1e9, null);
  const full = clippedRange([vals], 0)!;
  assert.ok(full[1] > 1e8);
  const clipped = clippedRange([vals], 1)!;
  assert.ok(clipped[1] < 1.1 && clipped[0] > -0.1, `clipped ${clipped}`);
  assert.equal(clippedRange([[null, null]], 1), null);
  const c = clippedRange([[5, 5]], 0)!;
  assert.ok(c[0] < 5 && c[1] > 5, 'a flat line gets a non-empty range');
  const lg = clippedRange([[-1, 0, 1, 100]], 0, true)!;
  assert.ok(lg[0] > 0 && lg[0] < 1 && lg[1] > 100);
});

test('fromHistory decodes buckets and raw points; NaN and Infinity strings become gaps', () => {
  const b = fromHistory({
    runId: 'r', key: 'loss', points: null, truncated: false,
    buckets: [
      { fromStep: 0, toStep: 9, count: 10, min: 0.5, max: 2, lastStep: 9, last: 0.7 },
      { fromStep: 10, toStep: 19, count: 10, min: 'NaN', max: 'NaN', lastStep: 19, last: 'NaN' },
      { fromStep: 20, toStep: 29, count: 1, min: 1, max: 1, lastStep: 29, last: 'Infinity' },
    ],
  });
  assert.deepEqual(b.steps, [9, 19, 29]);
  assert.deepEqual(b.last, [0.7, null, null]);
  assert.deepEqual(b.min, [0.5, null, 1]);
  assert.equal(b.banded, true);
  assert.equal(b.times, null);
  const r = fromHistory({
    runId: 'r', key: 'acc', buckets: null, truncated: true,
    points: [{ step: 0, timestamp: 1000, value: 1 }, { step: 1, timestamp: 2000, value: '-Infinity' }],
  });
  assert.deepEqual(r.last, [1, null]);
  assert.deepEqual(r.times, [1000, 2000]);
  assert.equal(r.banded, false);
  assert.equal(r.truncated, true);
  assert.deepEqual(xValues(r, 'relative', 1000), [0, 1]);
  assert.deepEqual(xValues(r, 'wall', 0), [1, 2]);
});

test('interpolate maps steps to times through anchors and back', () => {
  const a = { steps: [0, 100, 200], times: [1000, 2000, 4000] };
  assert.equal(interpolate(a, 50), 1500);
  assert.equal(interpolate(a, 150), 3000);
  assert.equal(interpolate(a, 300), 6000);
  assert.equal(stepAt(a, 3000), 150);
});

test('align unions x; missing is undefined (connected), gaps are null (broken)', () => {
  const [x, a, b] = align([[1, 3], [2, 3, 4]], [[[10, null]], [[20, 30, 40]]]);
  assert.deepEqual(x, [1, 2, 3, 4]);
  assert.deepEqual(Array.from(a!), [10, undefined, null, undefined]);
  assert.deepEqual(Array.from(b!), [undefined, 20, 30, 40]);
});

test('indexRange and nearestIndex', () => {
  const x = [0, 10, 20, 30];
  assert.deepEqual(indexRange(x, 5, 25), [1, 3]);
  assert.deepEqual(indexRange(x, 10, 20), [1, 3]);
  assert.deepEqual(indexRange(x, 100, 200), [4, 4]);
  assert.equal(nearestIndex(x, 14), 1);
  assert.equal(nearestIndex(x, 16), 2);
  assert.equal(nearestIndex(x, -5), 0);
  assert.equal(nearestIndex(x, 99), 3);
  assert.equal(nearestIndex([], 1), -1);
});

test('toCsv exports only the visible x range, with gaps as empty cells', () => {
  const s = fromHistory({
    runId: 'abc', key: 'loss', buckets: null, truncated: false,
    points: [0, 1, 2, 3].map((i) => ({ step: i, timestamp: 1000 * i, value: i === 2 ? 'NaN' : i * 0.5 })),
  });
  const csv = toCsv('loss', 'step', [{ runId: 'abc', name: 'run, one', series: s, x: s.steps }], 1, 2);
  assert.equal(csv, 'run_id,run_name,key,step,value,min,max,count\nabc,"run, one",loss,1,0.5,0.5,0.5,1\nabc,"run, one",loss,2,,,,1\n');
});

test('toSvg draws one polyline per unbroken segment, escapes names', () => {
  const svg = toSvg('loss <1>', [{ name: 'a&b', color: '#ff0000', x: [0, 1, 2, 3, 4], y: [1, 2, null, 3, 4] }], [0, 4], [0, 5]);
  assert.ok(svg.startsWith('<svg'));
  assert.equal(svg.match(/<polyline/g)?.length, 2);
  assert.ok(svg.includes('a&#38;b'));
  assert.ok(svg.includes('loss &#60;1&#62;'));
});

test('chunks slices in order, the last slice shorter', () => {
  assert.deepEqual(chunks([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(chunks([], 500), []);
  assert.equal(chunks(Array.from({ length: 1001 }, (_, i) => i), 500).map((c) => c.length).join(','), '500,500,1');
});

test('fromMany turns historyMany entries into history answers (NaN/Infinity still gaps) and errors into SeriesError', () => {
  const res: MetricHistoryManyResult = {
    series: [
      { runId: 'a', points: [{ step: 0, timestamp: 1, value: 'NaN' }, { step: 1, timestamp: 2, value: 0.5 }, { step: 2, timestamp: 3, value: '-Infinity' }], buckets: null, truncated: false, error: null },
      { runId: 'gone', points: null, buckets: null, truncated: false, error: { code: 1001, message: 'Run gone not found', data: { errorCode: 'RESOURCE_DOES_NOT_EXIST' } } },
      { runId: 'b', points: null, buckets: [{ fromStep: 0, toStep: 9, count: 10, min: 'NaN', max: 'Infinity', lastStep: 9, last: 2 }], truncated: false },
    ],
  };
  const [a, gone, b] = fromMany(res, 'loss');
  assert.ok(!(a instanceof Error) && !(b instanceof Error));
  assert.equal(a.key, 'loss');
  assert.deepEqual(fromHistory(a).last, [null, 0.5, null]);
  assert.ok(gone instanceof SeriesError);
  assert.equal(gone.runId, 'gone');
  assert.equal(gone.code, 1001);
  assert.match(gone.message, /not found/);
  const sb = fromHistory(b, 0, 9);
  assert.deepEqual([sb.last, sb.min, sb.max, sb.banded, sb.fromStep], [[2], [null], [null], true, 0]);
});

test('historiesOf: one run → metrics/history; several → one historyMany per 500, in order; failures stay per run', async () => {
  const hist = (runId: string): MetricHistoryResult => ({ runId, key: 'loss', points: [{ step: 0, timestamp: 0, value: runId.length }], buckets: null, truncated: false });
  const oneCalls: string[] = [];
  const manyCalls: string[][] = [];
  const one = async (id: string) => (oneCalls.push(id), hist(id));
  const many = async (ids: string[]): Promise<MetricHistoryManyResult> => {
    manyCalls.push(ids);
    if (ids.includes('boom')) throw new Error('backend down');
    return { series: ids.map((id) => (id.startsWith('x') ? { runId: id, points: null, buckets: null, truncated: false, error: { code: 1001, message: `no ${id}`, data: { errorCode: 'RESOURCE_DOES_NOT_EXIST' } } } : { ...hist(id), error: null })) };
  };

  assert.deepEqual(await historiesOf([], 'loss', one, many), []);
  const single = await historiesOf(['r1'], 'loss', one, many);
  assert.deepEqual([oneCalls, manyCalls.length], [['r1'], 0]);
  assert.equal((single[0] as MetricHistoryResult).runId, 'r1');

  const ids = Array.from({ length: 1001 }, (_, i) => (i === 7 ? 'x7' : `r${i}`));
  const all = await historiesOf(ids, 'loss', one, many);
  assert.deepEqual(manyCalls.map((c) => c.length), [500, 500, 1]);
  assert.equal(oneCalls.length, 1, 'no per-run requests for an overlay');
  assert.equal(all.length, ids.length);
  all.forEach((r, i) => (i === 7 ? assert.ok(r instanceof SeriesError && r.message === 'no x7') : assert.equal((r as MetricHistoryResult).runId, ids[i])));

  // A failed request fails only its own slice's runs.
  manyCalls.length = 0;
  const mixed = await historiesOf(['a', 'b', 'boom', 'c'], 'loss', one, many, 2);
  assert.deepEqual(manyCalls, [['a', 'b'], ['boom', 'c']]);
  assert.deepEqual(mixed.map((r) => (r instanceof Error ? r.message : r.runId)), ['a', 'b', 'backend down', 'backend down']);

  // A failing single request is an Error in its place, not a rejection.
  const failed = await historiesOf(['r'], 'loss', async () => { throw new Error('nope'); }, many);
  assert.ok(failed[0] instanceof Error && failed[0].message === 'nope');
});
