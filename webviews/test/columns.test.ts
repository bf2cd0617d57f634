import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunRow } from '../../extension/src/protocol';
import {
  allColumns, cellValue, compareRows, discoverKeys, emptyLayout, groupRows, isGroupHeader, moveColumn, orderByFor,
  quoteKey, rowsToCsv, setHidden, setPinned, visibleColumns,
} from '../src/panels/runs/columns';

const row = (id: string, over: Partial<RunRow> = {}): RunRow => ({
  runId: id, name: `run-${id}`, experimentId: '1', experimentName: 'exp', status: 'FINISHED', startTime: 1000,
  endTime: 2000, durationMs: 1000, user: 'u', sourceFile: 'train.py', lifecycleStage: 'active', metrics: {}, params: {}, ...over,
});

test('discoverKeys finds every param and metric key, sorted', () => {
  const k = discoverKeys([row('a', { params: { lr: '0.1' }, metrics: { acc: 1 } }), row('b', { params: { bs: '32' }, metrics: { loss: 'NaN' } })]);
  assert.deepEqual(k, { params: ['bs', 'lr'], metrics: ['acc', 'loss'] });
});

test('columns: default order, hide, move, pin; min/max columns on demand', () => {
  const keys = { params: ['lr'], metrics: ['acc'] };
  let layout = emptyLayout();
  let all = allColumns(keys, layout);
  let vis = visibleColumns(all, layout, keys).map((c) => c.id);
  assert.deepEqual(vis, ['attr:name', 'attr:status', 'attr:experiment', 'attr:start', 'attr:duration', 'param:lr', 'metric:acc']);
  layout = setHidden(layout, all, keys, 'attr:status', true);
  layout = moveColumn(all, layout, 'metric:acc', 'attr:name');
  layout = setPinned(layout, 'param:lr', true);
  vis = visibleColumns(all, layout, keys).map((c) => c.id);
  assert.deepEqual(vis, ['param:lr', 'metric:acc', 'attr:name', 'attr:experiment', 'attr:start', 'attr:duration']);
  // A new key discovered later appears (after its default predecessor) without disturbing the layout.
  const keys2 = { params: ['lr', 'momentum'], metrics: ['acc'] };
  all = allColumns(keys2, layout);
  vis = visibleColumns(all, layout, keys2).map((c) => c.id);
  assert.deepEqual(vis, ['param:lr', 'metric:acc', 'attr:name', 'attr:experiment', 'attr:start', 'attr:duration', 'param:momentum']);
  layout = { ...layout, minMax: ['acc'] };
  all = allColumns(keys2, layout);
  assert.ok(all.some((c) => c.id === 'metricMin:acc') && all.some((c) => c.id === 'metricMax:acc'));
});

test('orderBy for server-sortable columns; null for client-side ones; keys quoted', () => {
  const keys = { params: ['learning rate'], metrics: ['val.acc'] };
  const all = allColumns(keys, emptyLayout());
  assert.deepEqual(orderByFor({ columnId: 'metric:val.acc', desc: true }, all), ['metrics.val.acc DESC']);
  assert.deepEqual(orderByFor({ columnId: 'param:learning rate', desc: false }, all), ['params.`learning rate` ASC']);
  assert.deepEqual(orderByFor({ columnId: 'attr:start', desc: false }, all), ['attributes.start_time ASC']);
  assert.equal(orderByFor({ columnId: 'attr:duration', desc: false }, all), null);
  assert.equal(quoteKey('a`b'), '`a``b`');
});

test('cell values decode JsonDouble; client sort puts missing last', () => {
  const keys = { params: [], metrics: ['loss'] };
  const col = allColumns(keys, emptyLayout()).find((c) => c.id === 'metric:loss')!;
  const a = row('a', { metrics: { loss: 2 } }), b = row('b', { metrics: { loss: 'Infinity' } }), c = row('c');
  assert.equal(cellValue(b, col), Infinity);
  assert.equal(cellValue(c, col), undefined);
  const sorted = [c, b, a].sort((x, y) => compareRows(x, y, col, false)).map((r) => r.runId);
  assert.deepEqual(sorted, ['a', 'b', 'c']);
  const desc = [c, a, b].sort((x, y) => compareRows(x, y, col, true)).map((r) => r.runId);
  assert.deepEqual(desc, ['b', 'a', 'c']);
});

test('groupRows by experiment and param, collapsed groups hide their rows', () => {
  const rows = [row('a', { params: { opt: 'adam' } }), row('b', { experimentId: '2', experimentName: 'other', params: { opt: 'sgd' } }), row('c', { params: { opt: 'adam' } })];
  const byExp = groupRows(rows, { kind: 'experiment' }, new Set());
  assert.equal(byExp.filter(isGroupHeader).length, 2);
  assert.deepEqual(byExp.map((x) => (isGroupHeader(x) ? `[${x.label}:${x.count}]` : x.runId)), ['[exp:2]', 'a', 'c', '[other:1]', 'b']);
  const byOpt = groupRows(rows, { kind: 'param', key: 'opt' }, new Set(['p=sgd']));
  assert.deepEqual(byOpt.map((x) => (isGroupHeader(x) ? `[${x.label}]` : x.runId)), ['[opt = adam]', 'a', 'c', '[opt = sgd]']);
});

test('rowsToCsv quotes fields and writes NaN', () => {
  const keys = { params: ['note'], metrics: ['m'] };
  const cols = visibleColumns(allColumns(keys, emptyLayout()), emptyLayout(), keys).filter((c) => c.kind !== 'attr' || c.key === 'name');
  const csv = rowsToCsv([row('x', { name: 'a,b', params: { note: 'say "hi"' }, metrics: { m: 'NaN' } })], cols);
  assert.equal(csv, 'run_id,name,param.note,metric.m\nx,"a,b","say ""hi""",NaN\n');
});
