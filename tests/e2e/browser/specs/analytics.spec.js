'use strict';
// The time-series analytics panel against a real `mltrack ui`: runs seeded at known times through the REST API
// (runs/create start_time, runs/update end_time), then what the user sees: the totals and periods of a custom range,
// the CSV export (exactly the periods and series shown), drag-zoom re-requesting the sub-range, a from-after-to range
// refused with the backend's reason (last good data kept), an empty range's message, the coarsening note, live
// refresh; and preferences changed through preferences/set applied live to open charts and runs panels.
const fs = require('node:fs');
const { localDate, localDayStart } = require('../harness');

const HOUR = 3600_000;

// Four runs over a week starting D0 (40 days ago, so no preset window ends inside it by accident).
const D0 = localDayStart(-40);
const DAY = (i) => new Date(new Date(D0).setDate(new Date(D0).getDate() + i)).getTime();
// Each logs one loss (step 0, a second after its start).
const SEEDS = [
  { name: 'a1', experiment: 'vision', user: 'alice', startTime: D0 + 10 * HOUR, endTime: D0 + 12 * HOUR, status: 'FINISHED', metrics: { loss: [0.5] } },
  { name: 'a2', experiment: 'vision', user: 'alice', startTime: D0 + 14 * HOUR, endTime: D0 + 14.5 * HOUR, status: 'FAILED', metrics: { loss: [0.9] } },
  { name: 'b1', experiment: 'nlp', user: 'bob', startTime: DAY(1) + 9 * HOUR, endTime: DAY(1) + 10 * HOUR, status: 'FINISHED', metrics: { loss: [0.3] } },
  { name: 'b2', experiment: 'vision', user: 'bob', startTime: DAY(3) + 20 * HOUR, endTime: DAY(3) + 21 * HOUR, status: 'FINISHED', metrics: { loss: [0.4] } },
];

let seeded = null;
/** Seeds the store once (one store per spec file): { exps, ids }. */
const seed = (api) => (seeded ??= api.seedRuns(SEEDS));

const loads = (page) => page.$eval('.mt-an', (e) => Number(e.dataset.loads));
/** Waits for the panel to show a window starting at `from` (and more conditions on its data-* attributes). */
async function waitWindow(page, want) {
  await page.waitForFunction((want) => {
    const e = document.querySelector('.mt-an');
    return e && !e.dataset.loading && Object.entries(want).every(([k, v]) => e.dataset[k] === String(v));
  }, want, { timeout: 15000 });
}

/** Custom range [fromDay, toDay] (inclusive, local dates) by day, through the toolbar. */
async function customRange(page, fromMs, toMs, granularity = 'day') {
  await page.selectOption('.mt-an-preset', 'custom');
  await page.selectOption('.mt-an-granularity', granularity);
  await page.fill('.mt-an-from', localDate(fromMs));
  await page.fill('.mt-an-to', localDate(toMs));
}

const totals = (page) => page.$$eval('.mt-an-total', (els) => Object.fromEntries(els.map((e) => [e.dataset.total, e.querySelector('.mt-an-total-value').textContent])));

async function downloadCsv(page) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('.mt-an-csv')]);
  return { name: dl.suggestedFilename(), lines: fs.readFileSync(await dl.path(), 'utf8').trim().split('\n').map((l) => l.split(',')) };
}

module.exports = [
  {
    name: 'analytics: a custom week by day shows the seeded totals and 7 periods, one timeSeries request per change',
    async run({ ui, page, openPanel, screenshot, setTheme, assert, consoleErrors, waitForRpc }) {
      await seed(ui.api);
      const first = waitForRpc('analytics/timeSeries');
      await openPanel('analytics');
      const { params } = await first;
      assert.equal(params.preset, '30d', 'default range');
      await waitWindow(page, { loads: 1 });
      const calls = [];
      page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/rpc') && JSON.parse(r.postData()).method === 'analytics/timeSeries' && calls.push(JSON.parse(r.postData()).params));
      await customRange(page, D0, DAY(6));
      await waitWindow(page, { from: D0, to: DAY(7), granularity: 'day', buckets: 7 });
      // preset, granularity, from, to: four changes, four requests (none doubled)
      assert.equal(calls.length, 4, JSON.stringify(calls));
      const last = calls[calls.length - 1];
      assert.deepEqual({ preset: last.preset, from: last.from, to: last.to, granularity: last.granularity }, { preset: 'custom', from: D0, to: DAY(7), granularity: 'day' });
      assert.deepEqual(await totals(page), { runsStarted: '4', runsFinished: '3', runsFailed: '1', computeHours: '4.5', experiments: '2', users: '2' });
      assert.equal(await page.locator('.mt-an-empty').isVisible(), false);
      assert.equal(await page.locator('.mt-an-error').isVisible(), false);
      const charts = await page.$$eval('.mt-an-chart', (els) => els.map((e) => [e.dataset.chart, e.dataset.points]));
      assert.deepEqual(charts, [['runs', '7'], ['compute', '7'], ['diversity', '7']]);
      // Hovering a period shows its local label and numbers in the legend (periods run left to right).
      const box = await page.$eval('.mt-an-chart[data-chart="runs"] .u-over', (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
      await page.mouse.move(box.x + box.w * (0.5 / 7), box.y + box.h / 2);
      const legend = () => page.$$eval('.mt-an-chart[data-chart="runs"] .u-legend .u-series', (els) => els.map((e) => e.querySelector('.u-value').textContent));
      assert.deepEqual(await legend(), [localDate(D0), '2', '1', '1']);
      await page.mouse.move(box.x + box.w * (3.5 / 7), box.y + box.h / 2);
      assert.deepEqual(await legend(), [localDate(DAY(3)), '1', '1', '0']);
      await page.mouse.move(0, 0);
      await screenshot('analytics-week-light');
      await setTheme('dark');
      await screenshot('analytics-week-dark');
      assert.deepEqual(consoleErrors, []);
    },
  },
  {
    name: 'analytics: CSV export holds exactly the shown periods and series (a series hidden in its legend is left out)',
    async run({ ui, page, openPanel, assert }) {
      await seed(ui.api);
      await openPanel('analytics');
      await waitWindow(page, { loads: 1 });
      await customRange(page, D0, DAY(6));
      await waitWindow(page, { from: D0, to: DAY(7), buckets: 7 });
      let csv = await downloadCsv(page);
      assert.equal(csv.name, `analytics_${localDate(D0)}_${localDate(DAY(6))}.csv`);
      assert.deepEqual(csv.lines[0], ['period', 'start', 'end', 'runs_started', 'runs_finished', 'runs_failed', 'compute_hours', 'experiments', 'users']);
      assert.equal(csv.lines.length, 1 + 7);
      const row = (label) => csv.lines.find((l) => l[0] === label);
      assert.deepEqual(row(localDate(D0)).slice(1), [new Date(D0).toISOString(), new Date(DAY(1)).toISOString(), '2', '1', '1', '2.5', '1', '1']);
      assert.deepEqual(row(localDate(DAY(1))).slice(3), ['1', '1', '0', '1', '1', '1']);
      assert.deepEqual(row(localDate(DAY(2))).slice(3), ['0', '0', '0', '0', '0', '0']);
      assert.deepEqual(row(localDate(DAY(3))).slice(3), ['1', '1', '0', '1', '1', '1']);
      // Hide "Users" in its chart's legend: the CSV follows what is shown.
      await page.click('.mt-an-chart[data-chart="diversity"] .u-legend .u-series:has-text("Users")');
      csv = await downloadCsv(page);
      assert.deepEqual(csv.lines[0], ['period', 'start', 'end', 'runs_started', 'runs_finished', 'runs_failed', 'compute_hours', 'experiments']);
      // A metric adds its chart and its column: best (lowest) loss per day.
      await page.selectOption('.mt-an-metric', 'loss');
      await waitWindow(page, { buckets: 7 });
      await page.waitForSelector('.mt-an-chart[data-chart="metric"]');
      csv = await downloadCsv(page);
      assert.equal(csv.lines[0].pop(), 'best_loss');
      assert.equal(csv.lines.find((l) => l[0] === localDate(D0)).pop(), '0.5');
      assert.equal(csv.lines.find((l) => l[0] === localDate(DAY(2))).pop(), '', 'no run, no best');
    },
  },
  {
    name: 'analytics: drag over the chart zooms into those periods (re-requested at auto granularity); reset zoom returns',
    async run({ ui, page, openPanel, screenshot, waitForRpc, assert }) {
      await seed(ui.api);
      await openPanel('analytics');
      await waitWindow(page, { loads: 1 });
      await customRange(page, D0, DAY(6));
      await waitWindow(page, { from: D0, to: DAY(7), buckets: 7 });
      const box = await page.$eval('.mt-an-chart[data-chart="runs"] .u-over', (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
      const zoomed = waitForRpc('analytics/timeSeries', (p) => p.preset === undefined && p.from != null);
      // From the middle of period 0 to the middle of period 1 (7 periods across the width).
      await page.mouse.move(box.x + box.w * (0.5 / 7), box.y + box.h / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.w * (1.5 / 7), box.y + box.h / 2, { steps: 6 });
      await page.mouse.up();
      const { params, result } = await zoomed;
      assert.equal(params.from, D0);
      assert.equal(params.to, DAY(2));
      assert.equal(params.granularity, null, 'auto granularity');
      assert.equal(result.granularity, 'hour');
      await waitWindow(page, { from: D0, to: DAY(2), granularity: 'hour' });
      assert.equal(await page.$eval('.mt-an', (e) => Number(e.dataset.buckets)), (DAY(2) - D0) / HOUR);
      assert.deepEqual(await totals(page), { runsStarted: '3', runsFinished: '2', runsFailed: '1', computeHours: '3.5', experiments: '2', users: '2' });
      assert.ok(await page.locator('.mt-an-reset-zoom').isVisible());
      await screenshot('analytics-zoomed');
      await page.click('.mt-an-reset-zoom');
      await waitWindow(page, { from: D0, to: DAY(7), buckets: 7 });
      assert.equal(await page.locator('.mt-an-reset-zoom').isVisible(), false);
    },
  },
  {
    name: 'analytics: a range ending before it starts shows the backend\'s reason and keeps the last good data',
    async run({ ui, page, openPanel, screenshot, assert }) {
      await seed(ui.api);
      await openPanel('analytics');
      await waitWindow(page, { loads: 1 });
      await customRange(page, D0, DAY(6));
      await waitWindow(page, { from: D0, buckets: 7 });
      // Both dates at once (one change): from the 7th day to the 1st.
      await page.$eval('.mt-an-custom', (el, [from, to]) => {
        el.querySelector('.mt-an-from').value = from;
        el.querySelector('.mt-an-to').value = to;
        el.querySelector('.mt-an-to').dispatchEvent(new Event('change'));
      }, [localDate(DAY(6)), localDate(D0)]);
      await page.waitForSelector('.mt-an-error:not([hidden])');
      const text = await page.textContent('.mt-an-error');
      assert.match(text, /starts after it ends/i);
      assert.match(text, /last good result/);
      // still the week on screen
      assert.equal(await page.$eval('.mt-an', (e) => e.dataset.buckets), '7');
      assert.equal((await totals(page)).runsStarted, '4');
      assert.equal(await page.locator('.mt-an-chart').count(), 3);
      await screenshot('analytics-error');
      // a valid range clears the error
      await page.fill('.mt-an-to', localDate(DAY(7)));
      await waitWindow(page, { from: DAY(6), buckets: 2 });
      assert.equal(await page.locator('.mt-an-error').isVisible(), false);
    },
  },
  {
    name: 'analytics: an empty range says so (no error, no chart); hourly over two months is coarsened with a note',
    async run({ ui, page, openPanel, screenshot, assert }) {
      await seed(ui.api);
      await openPanel('analytics');
      await waitWindow(page, { loads: 1 });
      const from = new Date(2001, 0, 1).getTime(), to = new Date(2001, 0, 7).getTime();
      await customRange(page, from, to);
      await waitWindow(page, { from, empty: 'true' });
      assert.equal(await page.textContent('.mt-an-empty'), 'No runs between 2001-01-01 and 2001-01-07.');
      assert.equal(await page.locator('.mt-an-error').isVisible(), false);
      assert.equal(await page.locator('.mt-an-chart').count(), 0);
      assert.equal((await totals(page)).runsStarted, '0');
      await screenshot('analytics-empty');

      await customRange(page, DAY(-30), DAY(29), 'hour');
      await waitWindow(page, { from: DAY(-30), empty: 'false', granularity: 'day' });
      const note = await page.textContent('.mt-an-note');
      assert.ok(await page.locator('.mt-an-note').isVisible());
      assert.match(note, /Hourly over 60 days would be [\d,]+ periods.*shown by day/);
      assert.equal(await page.$eval('.mt-an', (e) => e.dataset.buckets), '60');
    },
  },
  {
    name: 'analytics: filters by user and experiment; a run created while open is counted (live refresh)',
    async run({ ui, page, openPanel, assert }) {
      const { exps } = await seed(ui.api);
      await openPanel('analytics');
      await waitWindow(page, { loads: 1 });
      await customRange(page, D0, DAY(6));
      await waitWindow(page, { from: D0, buckets: 7 });
      await page.waitForFunction(() => [...document.querySelectorAll('.mt-an-user option')].some((o) => o.value === 'bob'));
      await page.selectOption('.mt-an-user', 'bob');
      await page.waitForFunction(() => document.querySelector('.mt-an-total[data-total="runsStarted"] .mt-an-total-value').textContent === '2');
      assert.deepEqual(await totals(page), { runsStarted: '2', runsFinished: '2', runsFailed: '0', computeHours: '2', experiments: '2', users: '1' });
      await page.selectOption('.mt-an-experiment', exps.nlp);
      await page.waitForFunction(() => document.querySelector('.mt-an-total[data-total="runsStarted"] .mt-an-total-value').textContent === '1');
      await page.selectOption('.mt-an-user', '');
      await page.selectOption('.mt-an-experiment', '');
      await page.waitForFunction(() => document.querySelector('.mt-an-total[data-total="runsStarted"] .mt-an-total-value').textContent === '4');
      // Live: a fifth run in the window appears without a reload.
      const before = await loads(page);
      const late = await ui.api.seedRun({ experimentId: exps.nlp, name: 'late', user: 'carol', startTime: DAY(5) + 8 * HOUR, endTime: DAY(5) + 9 * HOUR });
      await page.waitForFunction(() => document.querySelector('.mt-an-total[data-total="runsStarted"] .mt-an-total-value').textContent === '5', null, { timeout: 15000 });
      assert.ok(await loads(page) > before);
      assert.equal((await totals(page)).users, '3');
      await ui.api.post('/api/2.0/mlflow/runs/delete', { run_id: late });
    },
  },
  {
    name: 'preferences: preferences/set changes an open charts panel (x axis, smoothing, run colours) and the runs table density live',
    async run({ ui, page, openPanel, context, screenshot, assert, consoleErrors }) {
      const { ids } = await seed(ui.api);
      const reset = () => ui.api.rpc('preferences/set', { values: { chartXAxis: 'step', chartSmoothing: 0, runColors: [], tableDensity: 'normal', theme: 'auto' } });
      await reset();
      try {
        await openPanel('charts', { runIds: [ids.a1, ids.b1] });
        await page.waitForSelector('.mt-chart[data-key="loss"][data-drawn]');
        assert.equal(await page.$eval('.mt-x-axis', (e) => e.value), 'step');
        const drawn = await page.$eval('.mt-chart[data-key="loss"]', (e) => Number(e.dataset.drawn));
        await ui.api.rpc('preferences/set', { values: { chartXAxis: 'wall', chartSmoothing: 0.5, runColors: ['#ff0000', '#0000ff'] } });
        await page.waitForFunction(() => document.querySelector('.mt-x-axis').value === 'wall', null, { timeout: 10000 });
        await page.waitForFunction((n) => Number(document.querySelector('.mt-chart[data-key="loss"]').dataset.drawn) > n, drawn);
        assert.equal(await page.$eval('.mt-smoothing', (e) => e.value), '0.5');
        const swatches = await page.$$eval('.mt-chart[data-key="loss"] .mt-legend-item', (els) => Object.fromEntries(els.map((e) => [e.dataset.run, e.querySelector('.mt-swatch').style.background])));
        assert.deepEqual(swatches, { [ids.a1]: 'rgb(255, 0, 0)', [ids.b1]: 'rgb(0, 0, 255)' });
        await screenshot('preferences-charts-wall');

        // A newly opened panel starts from the stored preferences (here: another page of the same browser UI, signed
        // in by the context's session cookie).
        const other = await context.newPage();
        await other.goto(`${ui.baseUrl}/ui/charts?args=${encodeURIComponent(JSON.stringify({ runIds: [ids.b2] }))}`);
        await other.waitForSelector('.mt-chart[data-key="loss"][data-drawn]');
        await other.waitForFunction(() => document.querySelector('.mt-x-axis').value === 'wall');
        await other.close();

        // The runs table: row height follows the density; the theme class follows the theme.
        await openPanel('runs');
        await page.waitForSelector('.mt-rt-row[data-run-id]:not([data-run-id=""])');
        const rowH = () => page.$eval('.mt-rt-row[data-run-id]:not([data-run-id=""])', (e) => e.getBoundingClientRect().height);
        assert.equal(await rowH(), 24);
        await ui.api.rpc('preferences/set', { values: { tableDensity: 'comfortable', theme: 'dark' } });
        await page.waitForFunction(() => window.__mltrackRuns.rowHeight() === 32, null, { timeout: 10000 });
        assert.equal(await rowH(), 32);
        // The rows are re-laid out on the next animation frame after the height changes: wait for that frame.
        const rowTops = () => page.$$eval('.mt-rt-row[data-run-id]:not([data-run-id=""])', (els) => els.filter((e) => e.style.display !== 'none').map((e) => e.getBoundingClientRect().top).sort((a, b) => a - b));
        await page.waitForFunction(() => {
          const t = [...document.querySelectorAll('.mt-rt-row[data-run-id]:not([data-run-id=""])')].filter((e) => e.style.display !== 'none').map((e) => e.getBoundingClientRect().top).sort((a, b) => a - b);
          return t.length > 1 && t.slice(1).every((v, i) => Math.round(v - t[i]) === 32);
        }, null, { timeout: 5000 }).catch(() => {});
        const tops = await rowTops();
        assert.ok(tops.slice(1).every((t, i) => Math.round(t - tops[i]) === 32), `rows 32 px apart: ${tops}`);
        await page.waitForFunction(() => document.documentElement.classList.contains('mt-theme-dark'));
        const bg = await page.$eval('body', (e) => getComputedStyle(e).backgroundColor);
        assert.equal(bg, 'rgb(30, 30, 30)', 'dark background in a light-scheme browser');
        await screenshot('preferences-runs-comfortable-dark');
        assert.deepEqual(consoleErrors, []);
      } finally {
        await reset();
      }
    },
  },
];
