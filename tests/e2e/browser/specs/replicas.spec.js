'use strict';
// Two replicas on one PostgreSQL database: replica A is `mltrack server --store postgresql://…` and takes the
// writes through the public REST API; replica B is this file's `mltrack ui` on the same database and serves the
// browser. What A writes reaches B's open panels through the database's change feed (LISTEN/NOTIFY), with no reload.

async function withReplicaA(startServer, name, body) {
  const a = await startServer({ name });
  try {
    return await body(a);
  } finally {
    await a.stop();
  }
}

const runs = [
  {
    name: 'replicas: the runs table on replica B shows a run created through replica A, without reload',
    async run({ ui, page, openPanel, startServer, assert, screenshot }) {
      await withReplicaA(startServer, 'replicas-runs', async (a) => {
        assert.notEqual(a.baseUrl, ui.baseUrl);
        const exp = await a.api.createExperiment('team');
        const first = await a.api.seedRun({ experimentId: exp, name: 'from-a-first', metrics: { acc: [0.5] } });
        await openPanel('runs');
        await page.waitForSelector(`.mt-rt-row[data-run-id="${first}"]`, { timeout: 10000 });
        const loads = await page.evaluate(() => performance.getEntriesByType('navigation').length);

        const live = await a.api.createRun({ experimentId: exp, name: 'from-a-live' });
        await page.waitForSelector(`.mt-rt-row[data-run-id="${live}"]`, { timeout: 10000 });
        await a.api.logBatch(live, { metrics: [{ key: 'acc', value: 0.4242, step: 1 }] });
        await page.waitForFunction((id) => document.querySelector(`.mt-rt-row[data-run-id="${id}"]`)?.textContent.includes('0.4242'), live, { timeout: 10000 });
        assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), loads, 'the page was not reloaded');
        // B serves it from the shared database, not from a copy of its own
        const onB = await ui.api.get('/api/2.0/mlflow/runs/get', { run_id: live });
        assert.equal(onB.run.info.run_name, 'from-a-live');
        await screenshot('replicas-runs-table');
      });
    },
  },
  {
    name: 'replicas: an open charts panel on replica B live-appends points logged through replica A',
    async run({ ui, page, openPanel, startServer, assert, screenshot }) {
      await withReplicaA(startServer, 'replicas-charts', async (a) => {
        const exp = await a.api.createExperiment('team-live');
        const run = await a.api.createRun({ experimentId: exp, name: 'live-from-a' });
        await a.api.logBatch(run, { metrics: [0, 1, 2].map((s) => ({ key: 'reward', value: s, step: s })) });
        await openPanel('charts', { runIds: [run] });
        await page.waitForSelector('.mt-chart[data-key="reward"][data-drawn]');
        assert.equal(await page.$eval('.mt-chart[data-key="reward"]', (e) => e.dataset.points), '3');
        await a.api.logBatch(run, { metrics: [3, 4, 5, 6].map((s) => ({ key: 'reward', value: s * 2, step: s })) });
        await page.waitForFunction(() => document.querySelector('.mt-chart[data-key="reward"]').dataset.points === '7', null, { timeout: 10000 });
        await a.api.logBatch(run, { metrics: [7, 8].map((s) => ({ key: 'reward', value: s * 2, step: s })) });
        await page.waitForFunction(() => document.querySelector('.mt-chart[data-key="reward"]').dataset.points === '9', null, { timeout: 10000 });
        const onB = await ui.api.get('/api/2.0/mlflow/metrics/get-history', { run_id: run, metric_key: 'reward' });
        assert.equal(onB.metrics.length, 9);
        await screenshot('replicas-live-chart');
      });
    },
  },
];

// run.js starts this file's `mltrack ui` (replica B) on a fresh database of $MLTRACK_TEST_POSTGRES.
runs.options = { store: 'postgresql' };
module.exports = runs;
