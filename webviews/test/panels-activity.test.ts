import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeatmapDay } from '../../extension/src/protocol';
import { dayFilter, dayTooltip, layoutHeatmap, legendRanges, levelOf, levels, quantile, scaleOf } from '../src/panels/activity/layout';

/** Consecutive local days from a date (weekday 0 = Monday), with the given run counts. */
function days(first: string, runs: number[], experiments?: number[]): HeatmapDay[] {
  const [y, m, d] = first.split('-').map(Number) as [number, number, number];
  return runs.map((r, i) => {
    const dt = new Date(y, m - 1, d + i);
    const p = (n: number) => String(n).padStart(2, '0');
    return {
      date: `${dt.getFullYear()}-${p(dt.getMonth() + 1)}-${p(dt.getDate())}`, weekday: (dt.getDay() + 6) % 7,
      start: dt.getTime(), end: new Date(y, m - 1, d + i + 1).getTime(), runs: r, failed: 0, experiments: experiments?.[i] ?? Math.min(r, 1),
    };
  });
}

test('layout: weeks are columns starting on Monday, weekdays are rows', () => {
  // 2026-03-04 is a Wednesday.
  const l = layoutHeatmap(days('2026-03-04', new Array(14).fill(0)));
  assert.deepEqual(l.cells.slice(0, 6).map((c) => [c.col, c.row]), [[0, 2], [0, 3], [0, 4], [0, 5], [0, 6], [1, 0]]);
  assert.equal(l.weeks, 3);
  assert.equal(l.cells.length, 14);
});

test('layout: 52 weeks of days fill 53 columns at most, each cell once', () => {
  const l = layoutHeatmap(days('2025-03-10', new Array(364).fill(0)));
  assert.ok(l.weeks >= 52 && l.weeks <= 53, String(l.weeks));
  assert.equal(new Set(l.cells.map((c) => `${c.col}:${c.row}`)).size, 364);
});

test('layout: month labels at the week of each first day, none crowding the first column', () => {
  const l = layoutHeatmap(days('2026-01-29', new Array(70).fill(0)));
  // Jan 29 is in column 0; Feb 1 (a Sunday) is still in column 0, so "Feb" takes that column and "Jan" is not shown.
  assert.deepEqual(l.months.map((m) => m.label), ['Feb', 'Mar', 'Apr']);
  assert.equal(l.months[0]!.col, 0);
  const l2 = layoutHeatmap(days('2026-01-05', new Array(40).fill(0)));
  assert.deepEqual(l2.months.map((m) => [m.label, m.col]), [['Jan', 0], ['Feb', 3]]);
});

test('layout: no days, no cells', () => {
  assert.deepEqual(layoutHeatmap([]), { cells: [], weeks: 0, months: [] });
});

test('quantile interpolates between neighbours', () => {
  assert.equal(quantile([1, 2, 3, 4, 5], 0.5), 3);
  assert.equal(quantile([0, 10], 0.25), 2.5);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});

test('levels: zero is level 0; the others by quartiles of the non-zero values; the busiest day is level 4', () => {
  const vals = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0];
  const s = scaleOf(vals)!;
  assert.deepEqual(vals.map((v) => levelOf(v, s)), [0, 1, 1, 2, 2, 3, 3, 4, 4, 0]);
});

test('levels: zeros do not count toward the quartiles', () => {
  const many = [...new Array(300).fill(0), 1, 2, 3, 4];
  const s = scaleOf(many)!;
  assert.equal(levelOf(1, s), 1);
  assert.equal(levelOf(4, s), 4);
});

test('levels: a skewed window keeps the rare busy days darker than the common quiet ones', () => {
  const vals = [...new Array(90).fill(1), ...new Array(10).fill(10)];
  const lv = levels(days('2026-01-01', vals), 'runs');
  assert.equal(lv[0], 1);
  assert.equal(lv[99], 4);
});

test('levels: all active days equal → all level 4; no activity → all 0', () => {
  assert.deepEqual(levels(days('2026-01-01', [2, 0, 2]), 'runs'), [4, 0, 4]);
  assert.deepEqual(levels(days('2026-01-01', [0, 0]), 'runs'), [0, 0]);
  assert.equal(scaleOf([0, 0]), null);
});

test('modes: diversity colours by experiments, coverage only active vs idle', () => {
  const ds = days('2026-01-01', [10, 1, 0, 5], [1, 1, 0, 3]);
  assert.deepEqual(levels(ds, 'diversity'), [1, 1, 0, 4]);
  assert.deepEqual(levels(ds, 'runs'), [4, 1, 0, 2]); // quartiles of 1, 5, 10: 3, 5, 7.5
  assert.deepEqual(levels(ds, 'coverage'), [4, 4, 0, 4]);
});

test('legend ranges: the whole numbers each level holds, empty for a level that holds none', () => {
  assert.deepEqual(legendRanges(scaleOf([1, 2, 3, 4, 5, 6, 7, 8])), ['1–2', '3–4', '5–6', '7–8']);
  assert.deepEqual(legendRanges(scaleOf([3, 3])), ['1–2', '', '', '3']);
  // The ranges agree with levelOf.
  const s = scaleOf([1, 1, 2, 9, 30])!;
  legendRanges(s).forEach((r, i) => {
    if (!r) return;
    const [lo, hi] = r.split('–').map(Number);
    assert.equal(levelOf(lo!, s), i + 1, r);
    assert.equal(levelOf(hi ?? lo!, s), i + 1, r);
  });
  assert.deepEqual(legendRanges(null), []);
});

test('tooltip: date, weekday and the day’s numbers', () => {
  const d = { ...days('2026-03-05', [3])[0]!, failed: 1, experiments: 2 };
  assert.equal(dayTooltip(d), '2026-03-05 (Thu)\n3 runs, 1 failed\n2 experiments');
  assert.equal(dayTooltip({ ...d, runs: 1, experiments: 1, failed: 0 }), '2026-03-05 (Thu)\n1 run, 0 failed\n1 experiment');
});

test('click filter: the runs started in the day, and by the user when filtered (quotes doubled)', () => {
  assert.equal(dayFilter({ start: 100, end: 200 }, null), 'attributes.start_time >= 100 and attributes.start_time < 200');
  assert.equal(dayFilter({ start: 100, end: 200 }, "o'neil"), "attributes.start_time >= 100 and attributes.start_time < 200 and attributes.user_id = 'o''neil'");
});
