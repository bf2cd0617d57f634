import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseName, downstream, edgesWithin, fitView, pathBetween, shorten, upstream, zoomAt } from '../src/panels/lineage/graph';

// raw.csv → prepare → clean.csv → train → model.pkl → eval ; train → metrics.json ; other.csv → eval
const edges = [
  { from: 'file:raw', to: 'run:prepare' },
  { from: 'run:prepare', to: 'file:clean' },
  { from: 'file:clean', to: 'run:train' },
  { from: 'run:train', to: 'file:model' },
  { from: 'file:model', to: 'run:eval' },
  { from: 'run:train', to: 'file:metrics' },
  { from: 'file:other', to: 'run:eval' },
];

test('downstream: everything reachable along the edges, start excluded', () => {
  assert.deepEqual([...downstream(edges, 'file:clean')].sort(), ['file:metrics', 'file:model', 'run:eval', 'run:train']);
  assert.deepEqual([...downstream(edges, 'run:eval')], []);
  assert.deepEqual([...downstream(edges, 'file:other')], ['run:eval']);
  assert.deepEqual([...downstream(edges, 'nope')], []);
});

test('upstream: everything the node depends on', () => {
  assert.deepEqual([...upstream(edges, 'run:eval')].sort(), ['file:clean', 'file:model', 'file:other', 'file:raw', 'run:prepare', 'run:train']);
});

test('downstream survives cycles', () => {
  const cyc = [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'a' }];
  assert.deepEqual([...downstream(cyc, 'a')].sort(), ['b', 'c']);
});

test('edgesWithin: the edges of the impact sub-graph', () => {
  const set = new Set(['run:train', ...downstream(edges, 'run:train')]);
  assert.deepEqual([...edgesWithin(edges, set)].sort(), [3, 4, 5]);
});

test('pathBetween: forward, backward, undirected, none, same node', () => {
  const f = pathBetween(edges, 'file:raw', 'run:eval')!;
  assert.equal(f.direction, 'forward');
  assert.deepEqual(f.nodes, ['file:raw', 'run:prepare', 'file:clean', 'run:train', 'file:model', 'run:eval']);
  assert.deepEqual(f.edges, [0, 1, 2, 3, 4]);

  const b = pathBetween(edges, 'file:model', 'file:clean')!;
  assert.equal(b.direction, 'backward');
  assert.deepEqual(b.nodes, ['file:model', 'run:train', 'file:clean']);
  assert.deepEqual(b.edges, [3, 2]);

  const u = pathBetween(edges, 'file:metrics', 'file:other')!;
  assert.equal(u.direction, 'undirected');
  assert.deepEqual(u.nodes, ['file:metrics', 'run:train', 'file:model', 'run:eval', 'file:other']);
  assert.deepEqual(u.edges, [5, 3, 4, 6]);

  assert.equal(pathBetween([...edges, { from: 'x', to: 'y' }], 'x', 'run:eval'), null);
  assert.deepEqual(pathBetween(edges, 'run:train', 'run:train'), { nodes: ['run:train'], edges: [], direction: 'forward' });
});

test('pathBetween picks the shortest directed path', () => {
  const e = [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'd' }, { from: 'a', to: 'd' }];
  assert.deepEqual(pathBetween(e, 'a', 'd')!.nodes, ['a', 'd']);
});

test('labels and view helpers', () => {
  assert.equal(baseName('data/raw/train.csv'), 'train.csv');
  assert.equal(baseName('C:\\x\\m.pkl'), 'm.pkl');
  assert.equal(shorten('short'), 'short');
  const s = shorten('a-very-long-file-name-that-goes-on.csv', 20);
  assert.equal(s.length, 20);
  assert.ok(s.endsWith('.csv') && s.includes('…'));
  const v = zoomAt({ x: 0, y: 0, k: 1 }, 100, 50, 2);
  assert.deepEqual(v, { k: 2, x: -100, y: -50 });
  const fit = fitView(1000, 100, 500, 500, 0);
  assert.equal(fit.k, 0.5);
  assert.equal(fit.x, 0);
  assert.equal(fit.y, 225);
});

test('layout: left to right, every node placed, edges routed', async () => {
  const { layoutGraph, edgePath } = await import('../src/panels/lineage/layout');
  const node = (id: string, kind: 'run' | 'file', label: string) => ({ id, kind, label, runId: kind === 'run' ? id.slice(4) + '0'.repeat(28) : null, status: kind === 'run' ? ('FINISHED' as const) : null, sha256: kind === 'file' ? 'ab'.repeat(32) : null, depth: 0 });
  const nodes = [node('file:raw', 'file', 'raw.csv'), node('run:prep', 'run', 'prepare'), node('file:clean', 'file', 'clean.csv'), node('run:train', 'run', 'train')];
  const es = [
    { from: 'file:raw', to: 'run:prep', kind: 'reads' as const, label: 'data/raw.csv' },
    { from: 'run:prep', to: 'file:clean', kind: 'writes' as const, label: 'data/clean.csv' },
    { from: 'file:clean', to: 'run:train', kind: 'reads' as const, label: 'data/clean.csv' },
    { from: 'file:clean', to: 'file:missing', kind: 'reads' as const, label: null },
  ];
  const l = layoutGraph(nodes, es);
  assert.equal(l.nodes.size, 4);
  assert.equal(l.edges.length, 3, 'the edge to an unknown node is dropped');
  const xs = ['file:raw', 'run:prep', 'file:clean', 'run:train'].map((id) => l.nodes.get(id)!.x);
  assert.deepEqual([...xs].sort((a, b) => a - b), xs, 'ranks go left to right');
  assert.ok(l.width > 0 && l.height > 0);
  for (const e of l.edges) assert.ok(e.points.length >= 2);
  assert.match(edgePath(l.edges[0]!.points), /^M[\d.]+,[\d.]+/);
  assert.equal(edgePath([]), '');
});
