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

import { base64ToBytes, bytesToBase64, contentBytes, imageDataUrl, joinLive, LogPager, parseCsv, prettyJson, readRange } from '../src/panels/run/logic';

const enc = (s: string) => new TextEncoder().encode(s);

test('log pager: newest page first, earlier pages complete the cut line, UTF-8 cut inside a character', () => {
  const text = 'first line\nsecond é line\nthird\nfourth\n';
  const bytes = enc(text);
  const pager = new LogPager(10);
  const r1 = pager.nextRange(bytes.length);
  assert.deepEqual(r1, { offset: bytes.length - 10, length: 10 });
  assert.deepEqual(pager.add(r1.offset, bytes.slice(r1.offset, r1.offset + r1.length), bytes.length), ['fourth']);
  assert.equal(pager.end, bytes.length);
  const pages: string[][] = [];
  while (pager.hasEarlier) {
    const r = pager.nextRange();
    pages.push(pager.add(r.offset, bytes.slice(r.offset, r.offset + r.length)));
  }
  assert.deepEqual(pages.flat().length, 3);
  assert.deepEqual([...pages.reverse().flat(), 'fourth'], ['first line', 'second é line', 'third', 'fourth']);
  assert.equal(pager.start, 0);
});

test('log pager: a small file is one page; no trailing newline keeps the last line; CRLF', () => {
  const pager = new LogPager();
  const b = enc('a\r\nb\nc');
  const r = pager.nextRange(b.length);
  assert.deepEqual(r, { offset: 0, length: b.length });
  assert.deepEqual(pager.add(0, b, b.length), ['a', 'b', 'c']);
  assert.equal(pager.hasEarlier, false);
  const empty = new LogPager();
  assert.deepEqual(empty.nextRange(0), { offset: 0, length: 0 });
  assert.deepEqual(empty.add(0, new Uint8Array(0), 0), []);
});

test('log pager: a line longer than a page waits for its start', () => {
  const b = enc('x'.repeat(25) + '\nend\n');
  const pager = new LogPager(10);
  let r = pager.nextRange(b.length);
  const out: string[] = [...pager.add(r.offset, b.slice(r.offset, r.offset + r.length), b.length)];
  assert.deepEqual(out, ['end']);
  const earlier: string[] = [];
  while (pager.hasEarlier) {
    r = pager.nextRange();
    earlier.unshift(...pager.add(r.offset, b.slice(r.offset, r.offset + r.length)));
  }
  assert.deepEqual(earlier, ['x'.repeat(25)]);
});

test('readRange reads on when artifacts/read trims a cut character, base64 and utf8 alike', async () => {
  const file = enc('héllo wörld');
  const calls: [number, number][] = [];
  const read = async (offset: number, maxBytes: number) => {
    calls.push([offset, maxBytes]);
    let slice = file.slice(offset, offset + maxBytes);
    try {
      // like the backend: text when valid UTF-8 (trimming a cut character at the end), else base64
      for (let trim = 0; trim <= 3; trim++) {
        try {
          const t = new TextDecoder('utf-8', { fatal: true }).decode(slice.slice(0, slice.length - trim));
          slice = slice.slice(0, slice.length - trim);
          return { data: t, encoding: 'utf8' as const, size: file.length, offset };
        } catch {}
      }
    } catch {}
    return { data: bytesToBase64(slice), encoding: 'base64' as const, size: file.length, offset };
  };
  const { bytes, size } = await readRange(read, 0, 9); // cut inside 'ö': the answer stops before it
  assert.equal(size, file.length);
  assert.deepEqual([...bytes], [...file.slice(0, 9)]);
  assert.deepEqual(calls, [[0, 9], [8, 4]]);
  const all = await readRange(read, 0, 100);
  assert.equal(new TextDecoder().decode(all.bytes), 'héllo wörld');
  assert.deepEqual([...(await readRange(read, 1, 1)).bytes], [0xc3], 'the first byte of a character alone');
});

test('artifact bytes: base64 round trip, data: URLs for images (svg arrives as text)', () => {
  const b = new Uint8Array([0, 1, 2, 250, 255]);
  assert.deepEqual([...base64ToBytes(bytesToBase64(b))], [...b]);
  assert.deepEqual([...contentBytes({ data: 'é', encoding: 'utf8' })], [0xc3, 0xa9]);
  assert.equal(imageDataUrl('plots/a.PNG', { data: 'iVBOR', encoding: 'base64' }), 'data:image/png;base64,iVBOR');
  assert.equal(imageDataUrl('x.jpg', { data: 'AA==', encoding: 'base64' }), 'data:image/jpeg;base64,AA==');
  assert.equal(imageDataUrl('x.svg', { data: '<svg/>', encoding: 'utf8' }), `data:image/svg+xml;base64,${btoa('<svg/>')}`);
});

test('live lines join the log file without repeating its last lines', () => {
  const hist = ['a', 'b', 'c', 'd'];
  assert.deepEqual(joinLive(hist, ['c', 'd', 'e']), { skip: 2, pending: [] }, 'the file ends inside the live lines');
  assert.deepEqual(joinLive(hist, ['b']), { skip: 1, pending: ['c', 'd'] }, 'the file is ahead of the live lines');
  assert.deepEqual(joinLive(hist, ['x', 'y']), { skip: 0, pending: [] }, 'nothing in common');
  assert.deepEqual(joinLive(hist, ['a', 'b', 'c', 'd', 'e']), { skip: 4, pending: [] });
  assert.deepEqual(joinLive([], ['a']), { skip: 0, pending: [] });
  assert.deepEqual(joinLive(['c', 'd'], ['c', 'd']), { skip: 2, pending: [] }, 'pending lines arrive');
});

test('log buffer: earlier lines go first, as many as fit', () => {
  const log = new LogBuffer(4);
  log.append('stderr', ['live']);
  assert.equal(log.prepend('stdout', ['h1', 'h2']), 2);
  assert.deepEqual(log.lines.map((l) => l.text), ['h1', 'h2', 'live']);
  assert.equal(log.prepend('stdout', ['x', 'y', 'z']), 1);
  assert.deepEqual(log.lines.map((l) => l.text), ['z', 'h1', 'h2', 'live']);
  assert.equal(log.full, true);
  assert.deepEqual(log.search('h'), [1, 2]);
});

test('CSV preview: quotes, escaped quotes, newlines in fields, CRLF, row limit, a cut last row', () => {
  const { rows, more } = parseCsv('a,b,c\r\n1,"x, y",3\n2,"say ""hi""","multi\nline"\n');
  assert.deepEqual(rows, [['a', 'b', 'c'], ['1', 'x, y', '3'], ['2', 'say "hi"', 'multi\nline']]);
  assert.equal(more, false);
  assert.deepEqual(parseCsv('a,b\n1,2').rows, [['a', 'b'], ['1', '2']], 'no final newline');
  const many = 'k\n' + Array.from({ length: 500 }, (_, i) => String(i)).join('\n') + '\n';
  const lim = parseCsv(many, { maxRows: 201 });
  assert.equal(lim.rows.length, 201);
  assert.equal(lim.more, true);
  const cut = parseCsv('a,b\n1,2\n3,', { truncated: true });
  assert.deepEqual(cut.rows, [['a', 'b'], ['1', '2']]);
  assert.equal(cut.more, true);
  assert.deepEqual(parseCsv('\ufeffa\tb\n1\t2\n', { delimiter: '\t' }).rows, [['a', 'b'], ['1', '2']]);
  assert.deepEqual(parseCsv('').rows, []);
});

test('JSON preview and artifact kinds', () => {
  assert.equal(prettyJson('{"a":[1,2]}'), '{\n  "a": [\n    1,\n    2\n  ]\n}');
  assert.equal(prettyJson('{"a":'), null);
  assert.equal(artifactKind('metrics.json'), 'json');
  assert.equal(artifactKind('table.tsv'), 'csv');
});
