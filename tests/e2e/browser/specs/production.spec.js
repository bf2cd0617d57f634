'use strict';
// Production dashboard in the browser UI: the empty state; then a real local deployment (a scikit-learn model trained
// and logged by Debian's /usr/bin/python3 through the Python client, deployed with deployments/create) gets /predict
// traffic with one bad request, and the panel shows its requests, error rate, health and charts; stopping it shows
// STOPPED and no health after the live refresh, without rebuilding the charts.
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const REPO = path.resolve(__dirname, '../../../..');
const PYTHON = process.env.MLTRACK_TEST_PYTHON || '/usr/bin/python3';

const TRAIN = `
import json, sys
import mltrack
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

X, y = load_iris(return_X_y=True)
with mltrack.start_run(experiment="production-e2e", name="iris") as run:
    model = LogisticRegression(max_iter=500).fit(X, y)
    mltrack.log_metrics({"accuracy": float(model.score(X, y))})
    mltrack.log_model(model, input_example=X[:3])
mltrack.flush()
print(json.dumps({"runId": run.info.run_id, "rows": X[:4].tolist()}))
`;

/** Trains and logs the model into this spec file's ui; resolves {runId, rows}. */
function trainAndLog(ui) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mltrack-production-e2e-'));
  const script = path.join(dir, 'train.py');
  fs.writeFileSync(script, TRAIN);
  try {
    const out = cp.execFileSync(PYTHON, [script], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120000,
      env: { ...process.env, PYTHONPATH: path.join(REPO, 'clients/python'), MLTRACK_TRACKING_URI: ui.baseUrl, MLTRACK_TOKEN: ui.token, MLTRACK_RUN_ID: '', MLTRACK_EXPERIMENT_ID: '' },
    });
    return JSON.parse(out.trim().split('\n').pop());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function until(what, fn, timeoutMs, sleep) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function post(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  await res.text();
  return res.status;
}

const state = {};

module.exports = [
  {
    name: 'production panel: empty state without deployments',
    async run(ctx) {
      const { page, assert, screenshot, consoleErrors } = ctx;
      const r = await ctx.ui.api.rpc('analytics/production', { preset: '24h' });
      assert.deepEqual(r.deployments, []);
      await ctx.openPanel('production');
      await page.locator('.pd-empty').waitFor({ timeout: 10000 });
      assert.match(await page.locator('.pd-empty').innerText(), /No deployments yet/);
      assert.equal(await page.locator('.pd-section').count(), 0);
      await screenshot('production-empty');
      assert.deepEqual(consoleErrors, []);
    },
  },
  {
    name: 'production panel: a local deployment with traffic, then stopped',
    timeout: 300000,
    async run(ctx) {
      const { page, assert, screenshot, consoleErrors, sleep, log } = ctx;
      const api = ctx.ui.api;
      const { runId, rows } = trainAndLog(ctx.ui);
      log(`trained and logged run ${runId}`);
      let d = await api.rpc('deployments/create', { runId, target: 'local', config: { appName: 'iris-production' } });
      state.deploymentId = d.deploymentId;
      d = await until('READY', async () => {
        const x = await api.rpc('deployments/get', { deploymentId: d.deploymentId });
        if (x.status === 'FAILED') throw new Error(`deployment failed: ${x.message}`);
        return x.status === 'READY' ? x : null;
      }, 180000, sleep);
      log(`READY at ${d.endpointUrl}`);

      // 5 good requests and one with the wrong number of features (400)
      const good = 5;
      for (let i = 0; i < good; i++) assert.equal(await post(`${d.endpointUrl}/predict`, { instances: rows }), 200);
      assert.equal(await post(`${d.endpointUrl}/predict`, { instances: [[1.0, 2.0]] }), 400);
      const sent = good + 1;

      // the backend's own answer first, so a wrong number is reported where it comes from
      const totals = await until(`analytics/production counting ${sent} requests`, async () => {
        const r = await api.rpc('analytics/production', { preset: '24h' });
        const x = r.deployments.find((y) => y.deploymentId === d.deploymentId);
        return x && x.totals.requests === sent ? x : null;
      }, 15000, sleep).catch(async (e) => {
        const r = await api.rpc('analytics/production', { preset: '24h' });
        throw new Error(`${e.message}: ${JSON.stringify(r.deployments.map((y) => y.totals))}`);
      });
      assert.equal(totals.totals.errors, 1);
      assert.equal(totals.healthy, true);

      await ctx.openPanel('production');
      const section = page.locator(`.pd-section[data-id="${d.deploymentId}"]`);
      await section.waitFor({ timeout: 15000 });
      assert.equal(await section.getAttribute('data-requests'), String(sent));
      assert.ok(Number(await section.getAttribute('data-error-rate')) > 0, 'error rate > 0');
      assert.equal(await section.getAttribute('data-status'), 'READY');
      assert.equal(await section.getAttribute('data-health'), 'healthy');
      const summary = await section.locator('summary').innerText();
      assert.match(summary, /iris-production/);
      assert.match(summary, /\blocal\b/);
      assert.match(summary, /READY/);
      assert.match(summary, /healthy/);
      assert.match(summary, new RegExp(`\\b${sent} requests`));
      assert.match(summary, /16\.7% errors/);
      assert.match(summary, /p95 /);
      assert.equal(await section.evaluate((e) => e.open), true, 'sections start open');
      for (const key of ['requests', 'latency', 'errors', 'cost']) {
        await section.locator(`.pd-chart[data-chart="${key}"][data-drawn]`).waitFor({ timeout: 10000 });
        assert.equal(await section.locator(`.pd-chart[data-chart="${key}"] canvas`).count(), 1, `${key} chart drawn`);
      }
      await screenshot('production-traffic');

      // mark the live chart so a rebuilt one would show
      await section.locator('.pd-chart[data-chart="requests"] .uplot').evaluate((e) => { e.dataset.mark = 'kept'; });
      await api.rpc('deployments/stop', { deploymentId: d.deploymentId });
      await page.locator(`.pd-section[data-id="${d.deploymentId}"][data-status="STOPPED"]`).waitFor({ timeout: 15000 });
      assert.equal(await section.getAttribute('data-health'), '—');
      assert.match(await section.locator('summary').innerText(), /STOPPED[\s\S]*—/);
      assert.equal(await section.getAttribute('data-requests'), String(sent), 'traffic stays counted after the stop');
      assert.equal(await section.locator('.pd-chart[data-chart="requests"] .uplot[data-mark="kept"]').count(), 1, 'the chart was updated, not rebuilt');
      await screenshot('production-stopped');
      assert.deepEqual(consoleErrors, []);
    },
  },
  {
    name: 'production panel: a closed section stays closed across live refreshes',
    async run(ctx) {
      const { page, assert, consoleErrors, waitForRpc } = ctx;
      assert.ok(state.deploymentId, 'the previous spec made a deployment');
      await ctx.openPanel('production');
      const section = page.locator(`.pd-section[data-id="${state.deploymentId}"]`);
      await section.waitFor({ timeout: 15000 });
      await section.locator('summary').click();
      assert.equal(await section.evaluate((e) => e.open), false);
      await waitForRpc('analytics/production', null, 12000);
      await waitForRpc('analytics/production', null, 12000);
      assert.equal(await section.evaluate((e) => e.open), false, 'still closed after two refreshes');
      // and after a reload (the panel's saved state)
      await page.reload({ waitUntil: 'domcontentloaded' });
      await section.waitFor({ timeout: 15000 });
      assert.equal(await section.evaluate((e) => e.open), false, 'still closed after a reload');
      await section.locator('summary').click();
      await section.locator('.pd-chart[data-chart="latency"][data-drawn]').waitFor({ timeout: 10000 });
      assert.deepEqual(consoleErrors, []);
      await ctx.ui.api.rpc('deployments/delete', { deploymentId: state.deploymentId }).catch(() => {});
    },
  },
];
