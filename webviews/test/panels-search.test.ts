import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countByKind, editDistance, filterHits, groupHits, highlight, moveSelection, queryTerms } from '../src/panels/search/logic';
import type { SearchHit } from '../../extension/src/protocol';

const hit = (kind: SearchHit['kind'], title: string, score: number, runId: string | null = 'r1', experimentId: string | null = '1'): SearchHit => ({
  kind, title, detail: '', runId, experimentId, score, matchedText: title,
});

test('groupHits: kind order, best score first, empty kinds omitted', () => {
  const groups = groupHits([
    hit('metric', 'val_loss', 1),
    hit('run', 'train-b', 2),
    hit('param', 'lr = 0.1', 5),
    hit('run', 'train-a', 7),
    hit('metric', 'loss', 3),
  ]);
  assert.deepEqual(groups.map((g) => g.kind), ['run', 'param', 'metric']);
  assert.deepEqual(groups[0]!.hits.map((h) => h.title), ['train-a', 'train-b']);
  assert.deepEqual(groups[2]!.hits.map((h) => h.title), ['loss', 'val_loss']);
  assert.equal(groups[0]!.label, 'Runs');
  assert.deepEqual([...countByKind([hit('run', 'a', 1), hit('run', 'b', 1), hit('tag', 'c', 1)])], [['run', 2], ['tag', 1]]);
});

test('filterHits: by kind and by date (run start or experiment creation), unknown times left out of a range', () => {
  const now = 1_000 * 24 * 3600 * 1000;
  const day = 24 * 3600 * 1000;
  const hits = [hit('run', 'new', 1, 'new'), hit('run', 'old', 1, 'old'), hit('experiment', 'exp', 1, null, 'e1'), hit('tag', 'unknown', 1, 'zzz')];
  const runTimes = new Map([['new', now - day / 2], ['old', now - 40 * day]]);
  const expTimes = new Map([['e1', now - 3 * day]]);
  const f = (kinds: SearchHit['kind'][], range: any) => filterHits(hits, { kinds: new Set(kinds), range }, runTimes, expTimes, now).map((h) => h.title);
  assert.deepEqual(f([], 'any'), ['new', 'old', 'exp', 'unknown']);
  assert.deepEqual(f(['run'], 'any'), ['new', 'old']);
  assert.deepEqual(f([], '24h'), ['new']);
  assert.deepEqual(f([], '7d'), ['new', 'exp']);
  assert.deepEqual(f([], '365d'), ['new', 'old', 'exp']);
  assert.deepEqual(f(['experiment', 'tag'], '30d'), ['exp']);
});

test('highlight: prefixes of words matched by the query terms', () => {
  assert.deepEqual(queryTerms('Val  LOSS, lr'), ['val', 'loss', 'lr']);
  assert.deepEqual(highlight('val_loss', 'val'), [{ text: 'val', match: true }, { text: '_loss', match: false }]);
  assert.deepEqual(highlight('train loss curve', 'loss'), [
    { text: 'train ', match: false },
    { text: 'loss', match: true },
    { text: ' curve', match: false },
  ]);
  assert.deepEqual(highlight('Learning rate', 'learn RATE'), [
    { text: 'Learn', match: true },
    { text: 'ing ', match: false },
    { text: 'rate', match: true },
  ]);
  assert.deepEqual(highlight('nothing here', 'zzz'), [{ text: 'nothing here', match: false }]);
  assert.deepEqual(highlight('', 'a'), [{ text: '', match: false }]);
  // not a prefix: no match in the middle of a word
  assert.deepEqual(highlight('preloss', 'loss'), [{ text: 'preloss', match: false }]);
});

test('highlight: one typo tolerated only in fuzzy mode', () => {
  assert.deepEqual(highlight('accuracy', 'acuracy'), [{ text: 'accuracy', match: false }]);
  assert.deepEqual(highlight('accuracy', 'acuracy', true), [{ text: 'accuracy', match: true }]);
  assert.deepEqual(highlight('resnet50 model', 'resmet', true), [{ text: 'resnet', match: true }, { text: '50 model', match: false }]);
  assert.equal(editDistance('kitten', 'sitten'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 2);
});

test('moveSelection: clamped, starting from nothing selected', () => {
  assert.equal(moveSelection(-1, 1, 5), 0);
  assert.equal(moveSelection(-1, -1, 5), 4);
  assert.equal(moveSelection(0, -1, 5), 0);
  assert.equal(moveSelection(4, 1, 5), 4);
  assert.equal(moveSelection(2, 1, 5), 3);
  assert.equal(moveSelection(0, 1, 0), -1);
});
