import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPreference, DEFAULT_PREFERENCES, isCssColor, MAX_RUN_COLORS, PREFERENCE_CHOICES, PREFERENCE_KEYS, usableRunColors } from '../../src/preferenceRules';

test('a colour is #rgb, #rgba, #rrggbb, #rrggbbaa, rgb()/rgba()/hsl()/hsla() of numbers, or a name', () => {
  for (const c of ['#abc', '#ABCD', '#1f77b4', '#1f77b480', 'rgb(214, 39, 40)', 'rgba(0,0,0,0.5)', 'hsl(10 50% 40%)', 'hsla(120, 50%, 40%, .3)', 'teal', 'lightgoldenrodyellow', ' red ']) {
    assert.equal(isCssColor(c), true, c);
  }
});

test('anything that could carry more than a colour into a style is not a colour', () => {
  for (const c of ['url(x)', 'var(--x)', 'expression(alert(1))', 'red;background:url(y)', '"red"', '}', '<b>', 'rgb(1,2,3) url(x)', '', 42, null]) {
    assert.equal(isCssColor(c), false, String(c));
  }
});

test('forms the backend refuses are not colours either: 5 or 7 hex digits, units, slashes, capital function names', () => {
  for (const c of ['#12345', '#1234567', 'hsl(120deg, 50%, 50%)', 'rgb(1 2 3 / 50%)', 'RGB(1, 2, 3)', 'ab', 'a'.repeat(21)]) {
    assert.equal(isCssColor(c), false, c);
  }
});

test('checkPreference refuses a colour list with one bad colour or more than the maximum, naming why', () => {
  assert.deepEqual(checkPreference('runColors', [' #abc', 'teal']), { ok: true, value: ['#abc', 'teal'] });
  const oneBad = checkPreference('runColors', ['#abc', 'url(x)']);
  assert.ok(!oneBad.ok && oneBad.reason.includes('"url(x)" is not a CSS colour'));
  const tooMany = checkPreference('runColors', Array.from({ length: MAX_RUN_COLORS + 1 }, () => 'red'));
  assert.ok(!tooMany.ok && tooMany.reason.includes(`at most ${MAX_RUN_COLORS}`));
  const holes = checkPreference('runColors', [undefined]);
  assert.equal(holes.ok, false, 'a missing entry is not a colour');
});

test('usableRunColors keeps the good colours, trimmed, in order, at most the maximum', () => {
  assert.deepEqual(usableRunColors(['red', 42, 'x;y', ' #00f ', 'hsl(1, 2%, 3%)']), ['red', '#00f', 'hsl(1, 2%, 3%)']);
  assert.equal(usableRunColors(Array.from({ length: MAX_RUN_COLORS + 5 }, () => '#fff')).length, MAX_RUN_COLORS);
});

test('every default passes its own check, and every choice is allowed', () => {
  for (const key of PREFERENCE_KEYS) assert.deepEqual(checkPreference(key, DEFAULT_PREFERENCES[key]), { ok: true, value: DEFAULT_PREFERENCES[key] }, key);
  for (const [key, allowed] of Object.entries(PREFERENCE_CHOICES)) {
    for (const v of allowed) assert.equal(checkPreference(key, v).ok, true, `${key}=${v}`);
    assert.equal(checkPreference(key, 'other').ok, false, key);
  }
});

test('an unknown preference is refused by name', () => {
  const r = checkPreference('colour', 'red');
  assert.ok(!r.ok && r.reason.includes('"colour"'));
});
