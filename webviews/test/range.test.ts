import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateInputToMs, dayEndMs, endToDateInput, msToDateInput, msToDateTime, presetOptions } from '../src/range';

test('a date input is the local midnight of its day', () => {
  assert.equal(dateInputToMs('2026-03-29'), new Date(2026, 2, 29).getTime());
  assert.equal(dateInputToMs(' 2026-03-29 '), new Date(2026, 2, 29).getTime(), 'surrounding blanks are ignored');
});

test('an empty, missing or malformed date input is null', () => {
  for (const s of ['', null, undefined, '29/03/2026', '2026-3-29', '2026-13-45x']) assert.equal(dateInputToMs(s), null, String(s));
  assert.equal(dayEndMs(''), null);
});

test('the end of a day is the next local midnight, across month and year ends', () => {
  assert.equal(dayEndMs('2026-03-29'), new Date(2026, 2, 30).getTime());
  assert.equal(dayEndMs('2026-01-31'), new Date(2026, 1, 1).getTime());
  assert.equal(dayEndMs('2026-12-31'), new Date(2027, 0, 1).getTime());
});

test('ms show as the local day they fall in; an exclusive end as the last day it covers', () => {
  assert.equal(msToDateInput(new Date(2026, 2, 5, 23, 59).getTime()), '2026-03-05');
  assert.equal(endToDateInput(new Date(2026, 2, 6).getTime()), '2026-03-05');
  assert.equal(msToDateInput(dateInputToMs('2026-03-05')!), '2026-03-05', 'a date input round-trips');
});

test('ms show as local day and minute', () => {
  assert.equal(msToDateTime(new Date(2026, 0, 2, 3, 4, 59).getTime()), '2026-01-02 03:04');
});

test('a range picker offers the presets asked for, in that order, with their labels', () => {
  assert.deepEqual(presetOptions(['7d', 'ytd', 'custom']), [
    { value: '7d', label: 'Last 7 days' },
    { value: 'ytd', label: 'Year to date' },
    { value: 'custom', label: 'Custom…' },
  ]);
});
