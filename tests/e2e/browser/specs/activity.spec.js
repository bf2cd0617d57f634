'use strict';
// The activity heatmap against a real `mltrack ui`: runs seeded on known days through the REST API, then what the
// user sees: one cell per day of the last 52 weeks (weeks × weekdays), a seeded day's colour level and tooltip, the
// coverage and streak numbers, the three modes, the user filter, a click on a day opening the runs table filtered to
// exactly that day's runs, an empty range's message, and live refresh.
const { localDate, localDayStart, localTimeZone } = require('../harness');

const HOUR = 3600_000;
const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// Day -3: two runs (one failed) in two experiments by two users; days -11 and -10: a two-day streak of alice's.
const T3 = localDayStart(-3), T10 = localDayStart(-10), T11 = localDayStart(-11);
// Each run lasts half an hour.
const SEEDS = [
  { name: 'x1', experiment: 'vision', user: 'alice', startTime: T3 + 9 * HOUR, status: 'FINISHED' },
  { name: 'x2', experiment: 'nlp', user: 'bob', startTime: T3 + 15 * HOUR, status: 'FAILED' },
  { name: 'y1', experiment: 'vision', user: 'alice', startTime: T10 + 10 * HOUR, status: 'FINISHED' },
  { name: 'y2', experiment: 'vision', user: 'alice', startTime: T11 + 11 * HOUR, status: 'FINISHED' },
  { name: 'y3', experiment: 'vision', user: 'alice', startTime: T11 + 12 * HOUR, status: 'FINISHED' },
].map((s) => ({ ...s, endTime: s.startTime + HOUR / 2 }));

let seeded = null;
/** Seeds the store once (one store per spec file): { exps, ids }. */
const seed = (api) => (seeded ??= api.seedRuns(SEEDS));

/** Opens the heatmap and waits for its first data. */
async function openActivity({ openPanel, page }, args) {
  await openPanel('activity', args);
  await page.waitForFunction(() => Number(document.querySelector('.mt-act')?.dataset.loads) >= 1);
}

const cell = (page, ms) => page.$eval(`.mt-act-cell[data-date="${localDate(ms)}"]`, (e) => ({ ...e.dataset, title: e.querySelector('title').textContent }));
const levelsOf = (page) => page.$$eval('.mt-act-cell', (els) => [...new Set(els.map((e) => e.dataset.level))].sort());
const stat = (page, key) => page.textContent(`.mt-act-stat[data-stat="${key}"] .mt-act-stat-value`);

/** The runs the runs table shows once it has loaded (every case here expects some). */
async function tableRunIds(page) {
  await page.waitForFunction(() => window.__mltrackRuns?.rows() > 0 && !/loading/.test(document.querySelector('.mt-rt-status')?.textContent ?? 'loading')
    && document.querySelectorAll('.mt-rt-body .mt-rt-row[data-run-id]:not([data-run-id=""])').length === window.__mltrackRuns.rows());
  return page.$$eval('.mt-rt-body .mt-rt-row', (els) => els.filter((e) => e.style.display !== 'none' && e.dataset.runId).map((e) => e.dataset.runId).sort());
}

module.exports = [
  {
    name: 'activity: one cell per day of the last 52 weeks, the seeded day\'s level and tooltip, coverage and streaks; light and dark',
    async run({ ui, page, openPanel, screenshot, setTheme, assert, consoleErrors }) {
      await seed(ui.api);
      await openActivity({ openPanel, page });
      const backend = await ui.api.rpc('analytics/heatmap', { timeZone: localTimeZone() });
      const n = backend.days.length;
      assert.ok(n >= 364 && n <= 371, `52 weeks of days: ${n}`);
      assert.equal(await page.$eval('.mt-act', (e) => Number(e.dataset.days)), n);
      assert.equal(await page.locator('.mt-act-cell').count(), n);
      const weeks = await page.$eval('.mt-act-grid', (e) => Number(e.dataset.weeks));
      assert.ok(weeks >= 52 && weeks <= 54, `weeks ${weeks}`);
      // Rows are weekdays Monday..Sunday: every cell of a row has the same y, and that row's weekday.
      const rows = await page.$$eval('.mt-act-cell', (els) => els.map((e) => [e.getAttribute('y'), e.dataset.date]));
      const byY = new Map();
      for (const [y, date] of rows) {
        const [yy, mm, dd] = date.split('-').map(Number);
        const wd = (new Date(yy, mm - 1, dd).getDay() + 6) % 7;
        if (!byY.has(y)) byY.set(y, new Set());
        byY.get(y).add(wd);
      }
      assert.equal(byY.size, 7);
      assert.ok([...byY.values()].every((s) => s.size === 1), 'one weekday per row');
      // Weekday and month labels are drawn.
      assert.deepEqual(await page.$$eval('.mt-act-weekday', (els) => els.map((e) => e.textContent)), ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
      assert.ok(await page.locator('.mt-act-month').count() >= 11);

      const c3 = await cell(page, T3);
      assert.deepEqual([c3.runs, c3.failed, c3.experiments, c3.level], ['2', '1', '2', '4']);
      assert.equal(c3.title, `${localDate(T3)} (${WEEKDAY[new Date(T3).getDay()]})\n2 runs, 1 failed\n2 experiments`);
      assert.equal((await cell(page, T10)).level, '1', 'a one-run day among days of 1 and 2 runs: the lowest level');
      assert.equal((await cell(page, T11)).level, '4');
      assert.equal((await cell(page, localDayStart(-5))).level, '0');
      // The hover tooltip shows the same numbers.
      await page.hover(`.mt-act-cell[data-date="${localDate(T3)}"]`);
      await page.waitForSelector('.mt-act-tip:not([hidden])');
      assert.equal(await page.$eval('.mt-act-tip', (e) => e.textContent), c3.title);

      assert.equal(await stat(page, 'runs'), '5');
      assert.equal(await stat(page, 'activeDays'), `3 / ${n}`);
      assert.equal(await stat(page, 'longestStreak'), '2 d');
      assert.equal(await stat(page, 'currentStreak'), '0 d');
      assert.equal(await stat(page, 'coverage'), `${(3 / n * 100).toFixed(1)}%`);
      await screenshot('activity-light');
      await setTheme('dark');
      await screenshot('activity-dark');
      assert.deepEqual(consoleErrors, []);
    },
  },
  {
    name: 'activity: modes colour by runs, by distinct experiments, or active vs idle (coverage)',
    async run({ ui, page, openPanel, screenshot, assert }) {
      await seed(ui.api);
      await openActivity({ openPanel, page });
      assert.equal(await page.$eval('.mt-act', (e) => e.dataset.mode), 'runs');
      await page.click('.mt-act-mode[data-mode="diversity"]');
      await page.waitForFunction(() => document.querySelector('.mt-act').dataset.mode === 'diversity');
      // Experiments per active day: 2, 1, 1 → the two one-experiment days are the lowest level, day -3 the highest.
      assert.deepEqual([(await cell(page, T3)).level, (await cell(page, T10)).level, (await cell(page, T11)).level], ['4', '1', '1']);
      assert.equal(await page.getAttribute('.mt-act-mode[data-mode="diversity"]', 'aria-pressed'), 'true');
      await page.click('.mt-act-mode[data-mode="coverage"]');
      await page.waitForFunction(() => document.querySelector('.mt-act').dataset.mode === 'coverage');
      assert.deepEqual(await levelsOf(page), ['0', '4'], 'active or idle');
      assert.equal(await page.locator('.mt-act-cell[data-level="4"]').count(), 3);
      assert.match(await page.textContent('.mt-act-legend'), /Idle.*Active/);
      await screenshot('activity-coverage');
      // The mode is kept on reload.
      await page.reload();
      await page.waitForFunction(() => Number(document.querySelector('.mt-act')?.dataset.loads) >= 1);
      assert.equal(await page.$eval('.mt-act', (e) => e.dataset.mode), 'coverage');
    },
  },
  {
    name: 'activity: clicking a day opens the runs table with exactly that day\'s runs (and the user\'s, when filtered)',
    async run({ ui, page, openPanel, assert }) {
      const { ids } = await seed(ui.api);
      await openActivity({ openPanel, page });
      await Promise.all([page.waitForURL(/\/ui\/runs\?/), page.click(`.mt-act-cell[data-date="${localDate(T3)}"]`)]);
      const args = JSON.parse(new URL(page.url()).searchParams.get('args'));
      assert.match(args.filter, /^attributes\.start_time >= \d+ and attributes\.start_time < \d+$/);
      assert.deepEqual(await tableRunIds(page), [ids.x1, ids.x2].sort());
      assert.equal(await page.inputValue('.mt-rt-filter'), args.filter);

      await openActivity({ openPanel, page });
      await page.waitForFunction(() => [...document.querySelectorAll('.mt-act-user option')].some((o) => o.value === 'bob'));
      await page.selectOption('.mt-act-user', 'bob');
      await page.waitForFunction((d) => document.querySelector(`.mt-act-cell[data-date="${d}"]`)?.dataset.runs === '1', localDate(T3));
      assert.equal((await cell(page, T11)).runs, '0', 'alice\'s days are idle for bob');
      await Promise.all([page.waitForURL(/\/ui\/runs\?/), page.click(`.mt-act-cell[data-date="${localDate(T3)}"]`)]);
      assert.match(JSON.parse(new URL(page.url()).searchParams.get('args')).filter, / and attributes\.user_id = 'bob'$/);
      assert.deepEqual(await tableRunIds(page), [ids.x2]);
    },
  },
  {
    name: 'activity: an empty range says so; a run created while open appears (live refresh)',
    async run({ ui, page, openPanel, screenshot, assert }) {
      const { exps } = await seed(ui.api);
      await openActivity({ openPanel, page });
      await page.selectOption('.mt-act-range', 'custom');
      await page.fill('.mt-act-from', '2001-01-01');
      await page.fill('.mt-act-to', '2001-01-07');
      await page.waitForFunction(() => document.querySelector('.mt-act').dataset.days === '7' && document.querySelector('.mt-act').dataset.empty === 'true');
      assert.equal(await page.textContent('.mt-act-empty'), 'No runs between 2001-01-01 and 2001-01-07.');
      assert.equal(await page.locator('.mt-act-error').isVisible(), false);
      assert.equal(await page.locator('.mt-act-cell').count(), 7);
      await screenshot('activity-empty');

      await page.selectOption('.mt-act-range', '30d');
      await page.waitForFunction(() => document.querySelector('.mt-act').dataset.empty === 'false');
      const today = localDate(localDayStart(0));
      assert.equal((await cell(page, localDayStart(0))).runs, '0');
      const runId = await ui.api.createRun({ experimentId: exps.nlp, name: 'now', user: 'carol', startTime: Date.now() - 1000 });
      await page.waitForFunction((d) => document.querySelector(`.mt-act-cell[data-date="${d}"]`)?.dataset.runs === '1', today, { timeout: 15000 });
      assert.equal(await stat(page, 'currentStreak'), '1 d');
      await ui.api.post('/api/2.0/mlflow/runs/delete', { run_id: runId });
    },
  },
];
