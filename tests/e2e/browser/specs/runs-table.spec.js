'use strict';
// The runs table against a real `mltrack ui` seeded through the public REST API: server-side sort, MLflow filter
// (error position shown inline, last good result kept), grouping, column menu, stars, selection → Compare/Chart.

const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
let seeded = null;

async function seed(api) {
  if (seeded) return seeded;
  const mnist = await api.createExperiment('mnist');
  const cifar = await api.createExperiment('cifar');
  const ids = {};
  for (let i = 0; i < NAMES.length; i++) {
    const acc = 0.5 + i * 0.08; // foxtrot best (0.90)
    ids[NAMES[i]] = await api.seedRun({
      experimentId: i % 2 ? cifar : mnist,
      name: NAMES[i],
      params: { lr: String([0.1, 0.01, 0.001][i % 3]), optimizer: i < 3 ? 'adam' : 'sgd' },
      metrics: { acc: [acc - 0.2, acc - 0.1, acc], loss: [2 - i * 0.1, 1.5 - i * 0.1, 1 - i * 0.1] },
      startTime: Date.now() - (10 - i) * 60_000,
    });
  }
  seeded = { mnist, cifar, ids };
  return seeded;
}

const rowNames = (page) => page.$$eval('.mt-rt-body .mt-rt-row:not(.mt-rt-group)', (els) =>
  els.filter((e) => e.style.display !== 'none' && e.dataset.runId)
    .sort((a, b) => Number(a.dataset.idx) - Number(b.dataset.idx))
    .map((e) => e.querySelector('.mt-rt-cell:nth-child(3)').textContent));

async function waitRows(page, n) {
  await page.waitForFunction((n) => document.querySelectorAll('.mt-rt-body .mt-rt-row[data-run-id]:not([data-run-id=""])').length >= n && !/loading/.test(document.querySelector('.mt-rt-status').textContent), n);
}

module.exports = [
  {
    name: 'runs table: rows, sort by a metric server-side, screenshots light and dark',
    async run({ ui, page, openPanel, screenshot, setTheme, waitForRpc, assert, consoleErrors }) {
      await seed(ui.api);
      await openPanel('runs');
      await waitRows(page, NAMES.length);
      assert.match(await page.textContent('.mt-rt-status'), /6 runs/);
      const head = await page.$$eval('.mt-rt-head .mt-rt-hcell', (els) => els.map((e) => e.dataset.col));
      for (const c of ['attr:name', 'attr:status', 'param:lr', 'param:optimizer', 'metric:acc', 'metric:loss']) assert.ok(head.includes(c), `column ${c} in ${head}`);
      // Default order: newest first.
      assert.deepEqual(await rowNames(page), [...NAMES].reverse());
      await screenshot('runs-table-light');
      await setTheme('dark');
      await screenshot('runs-table-dark');
      await setTheme('light');

      const req = waitForRpc('runs/list', (p) => Array.isArray(p.orderBy) && p.orderBy[0] === 'metrics.acc DESC');
      await page.click('.mt-rt-hcell[data-col="metric:acc"]');
      await req;
      await page.waitForFunction(() => document.querySelector('.mt-rt-body .mt-rt-row[data-idx="0"] .mt-rt-cell:nth-child(3)')?.textContent === 'foxtrot');
      assert.deepEqual(await rowNames(page), ['foxtrot', 'echo', 'delta', 'charlie', 'bravo', 'alpha']);
      const asc = waitForRpc('runs/list', (p) => Array.isArray(p.orderBy) && p.orderBy[0] === 'metrics.acc ASC');
      await page.click('.mt-rt-hcell[data-col="metric:acc"]');
      await asc;
      await page.waitForFunction(() => document.querySelector('.mt-rt-body .mt-rt-row[data-idx="0"] .mt-rt-cell:nth-child(3)')?.textContent === 'alpha');
      assert.equal(await page.getAttribute('.mt-rt-hcell[data-col="metric:acc"]', 'aria-sort'), 'ascending');
      assert.deepEqual(consoleErrors, []);
    },
  },
  {
    name: 'runs table: filter, error position inline, last good result kept',
    async run({ ui, page, openPanel, screenshot, waitForRpc, assert }) {
      await seed(ui.api);
      await openPanel('runs');
      await waitRows(page, NAMES.length);
      const good = waitForRpc('runs/list', (p) => p.filter === 'metrics.acc > 0.7');
      await page.fill('.mt-rt-filter', 'metrics.acc > 0.7');
      await page.press('.mt-rt-filter', 'Enter');
      await good;
      await page.waitForFunction(() => /^3 runs/.test(document.querySelector('.mt-rt-status').textContent));
      assert.deepEqual((await rowNames(page)).sort(), ['delta', 'echo', 'foxtrot']);

      const bad = "metrics.acc > 0.7 and params.lr = = '0.1'";
      await page.fill('.mt-rt-filter', bad);
      await page.press('.mt-rt-filter', 'Enter');
      await page.waitForSelector('.mt-rt-filter-error:not([hidden])');
      const pos = Number(await page.getAttribute('.mt-rt-filter-error', 'data-position'));
      assert.ok(pos > 'metrics.acc > 0.7 and params.lr'.length - 1 && pos < bad.length, `error position ${pos}`);
      const caret = await page.textContent('.mt-rt-filter-caret');
      const [line, marks] = caret.split('\n');
      assert.equal(line, bad);
      assert.equal(marks.indexOf('^'), pos, 'the caret sits under the error position');
      assert.match(await page.textContent('.mt-rt-filter-error'), /last good result/);
      assert.ok(await page.$eval('.mt-rt-filter', (e) => e.classList.contains('mt-invalid')));
      // The last good result stays.
      assert.deepEqual((await rowNames(page)).sort(), ['delta', 'echo', 'foxtrot']);
      await screenshot('runs-table-filter-error');

      await page.fill('.mt-rt-filter', '');
      await page.press('.mt-rt-filter', 'Enter');
      await page.waitForSelector('.mt-rt-filter-error', { state: 'hidden' });
      await waitRows(page, NAMES.length);
    },
  },
  {
    name: 'runs table: group by experiment and by a param, collapse a group',
    async run({ ui, page, openPanel, screenshot, assert }) {
      await seed(ui.api);
      await openPanel('runs');
      await waitRows(page, NAMES.length);
      await page.selectOption('.mt-rt-group-by', 'experiment');
      await page.waitForSelector('.mt-rt-row.mt-rt-group');
      const groups = await page.$$eval('.mt-rt-row.mt-rt-group', (els) => els.filter((e) => e.style.display !== 'none').map((e) => e.textContent.trim()));
      assert.equal(groups.length, 2);
      assert.ok(groups.some((g) => /mnist\s+\(3\)/.test(g)) && groups.some((g) => /cifar\s+\(3\)/.test(g)), String(groups));
      await screenshot('runs-table-grouped');
      // Collapse the first group: its rows leave the table.
      await page.click('.mt-rt-row.mt-rt-group[data-idx="0"]');
      await page.waitForFunction(() => document.querySelectorAll('.mt-rt-body .mt-rt-row[data-run-id]:not([data-run-id=""])').length === 3 || [...document.querySelectorAll('.mt-rt-body .mt-rt-row[data-run-id]')].filter((e) => e.dataset.runId && e.style.display !== 'none').length === 3);
      await page.selectOption('.mt-rt-group-by', 'param:optimizer');
      await page.waitForFunction(() => [...document.querySelectorAll('.mt-rt-row.mt-rt-group')].some((e) => e.style.display !== 'none' && /optimizer = adam/.test(e.textContent)));
      const g2 = await page.$$eval('.mt-rt-row.mt-rt-group', (els) => els.filter((e) => e.style.display !== 'none').map((e) => e.textContent.trim()));
      assert.ok(g2.some((g) => /optimizer = sgd\s+\(3\)/.test(g)), String(g2));
    },
  },
  {
    name: 'runs table: columns menu hides and pins, state survives reload',
    async run({ ui, page, openPanel, screenshot, assert }) {
      await seed(ui.api);
      await openPanel('runs');
      await waitRows(page, NAMES.length);
      await page.click('.mt-rt-columns-btn');
      await page.uncheck('.mt-menu input[data-col="attr:status"]');
      await page.keyboard.press('Escape');
      await page.waitForSelector('.mt-rt-hcell[data-col="attr:status"]', { state: 'detached' });
      await page.click('.mt-rt-hcell[data-col="metric:loss"]', { button: 'right' });
      await page.click('.mt-menu-item:has-text("Pin to the left")');
      await page.waitForFunction(() => document.querySelector('.mt-rt-head .mt-rt-hcell')?.dataset.col === 'metric:loss');
      // Scrolled sideways, the pinned column stays at the left edge (after the checkbox and star columns).
      await page.setViewportSize({ width: 600, height: 700 });
      await page.$eval('.mt-rt', (e) => { e.scrollLeft = 300; });
      await page.waitForFunction(() => document.querySelector('.mt-rt').classList.contains('mt-rt-hscrolled'));
      const x = await page.$eval('.mt-rt-hcell[data-col="metric:loss"]', (e) => e.getBoundingClientRect().x);
      const cellX = await page.$eval('.mt-rt-row[data-idx="0"] .mt-rt-cell:nth-child(3)', (e) => e.getBoundingClientRect().x);
      assert.ok(Math.abs(x - 52) <= 2 && Math.abs(cellX - 52) <= 2, `pinned header at ${x}, pinned cell at ${cellX}`);
      await screenshot('runs-table-pinned-scrolled');
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.reload();
      await waitRows(page, NAMES.length);
      const cols = await page.$$eval('.mt-rt-head .mt-rt-hcell', (els) => els.map((e) => e.dataset.col));
      assert.equal(cols[0], 'metric:loss');
      assert.ok(!cols.includes('attr:status'));
    },
  },
  {
    name: 'runs table: star a run, select two runs, Compare opens the compare panel',
    async run({ ui, page, openPanel, waitForRpc, assert }) {
      const { ids } = await seed(ui.api);
      await openPanel('runs');
      await waitRows(page, NAMES.length);
      const star = waitForRpc('runs/setTag', (p) => p.key === 'mltrack.starred' && p.runId === ids.alpha);
      await page.click(`.mt-rt-row[data-run-id="${ids.alpha}"] .mt-rt-star`);
      await star;
      const detail = await ui.api.rpc('runs/get', { runId: ids.alpha });
      assert.equal(detail.tags['mltrack.starred'], 'true');

      assert.ok(await page.isDisabled('.mt-rt-compare'));
      await page.check(`.mt-rt-row[data-run-id="${ids.alpha}"] input[type=checkbox]`);
      await page.check(`.mt-rt-row[data-run-id="${ids.echo}"] input[type=checkbox]`);
      assert.match(await page.textContent('.mt-rt-selinfo'), /2 selected/);
      assert.ok(!(await page.isDisabled('.mt-rt-compare')));
      await Promise.all([page.waitForURL(/\/ui\/compare\?/), page.click('.mt-rt-compare')]);
      const args = JSON.parse(new URL(page.url()).searchParams.get('args'));
      assert.deepEqual([...args.runIds].sort(), [ids.alpha, ids.echo].sort());
      assert.deepEqual([...new URL(page.url()).searchParams.keys()], ['args'], 'no token or code rides along: the cookie signs the page in');
      await page.goBack();
      await waitRows(page, NAMES.length);
      // Selection survives the round trip; Chart opens the charts panel.
      assert.match(await page.textContent('.mt-rt-selinfo'), /2 selected/);
      await Promise.all([page.waitForURL(/\/ui\/charts\?/), page.click('.mt-rt-chart')]);
      const cargs = JSON.parse(new URL(page.url()).searchParams.get('args'));
      assert.equal(cargs.runIds.length, 2);
    },
  },
  {
    name: 'runs table: live update when a run logs a metric; double-click opens the run',
    async run({ ui, page, openPanel, assert }) {
      const { ids, mnist } = await seed(ui.api);
      await openPanel('runs');
      await waitRows(page, NAMES.length);
      const live = await ui.api.createRun({ experimentId: mnist, name: 'live-run' });
      await page.waitForSelector(`.mt-rt-row[data-run-id="${live}"]`, { timeout: 10000 });
      await ui.api.logBatch(live, { metrics: [{ key: 'acc', value: 0.4242, step: 1 }] });
      await page.waitForFunction((id) => document.querySelector(`.mt-rt-row[data-run-id="${id}"]`)?.textContent.includes('0.4242'), live, { timeout: 10000 });
      await Promise.all([page.waitForURL(/\/ui\/run\?/), page.dblclick(`.mt-rt-row[data-run-id="${ids.bravo}"] .mt-rt-cell:nth-child(3)`)]);
      assert.equal(JSON.parse(new URL(page.url()).searchParams.get('args')).runId, ids.bravo);
    },
  },
];
