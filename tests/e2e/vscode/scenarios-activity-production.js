'use strict';
// Issue 7's other two panels in VS Code, through the extension's webview bridge: "MLTrack: Show Activity Heatmap"
// shows the runs of seeded local days, and a click on a day opens the Runs table filtered to exactly that day's
// runs; "MLTrack: Show Production Dashboard" shows a local deployment's traffic (requests, error rate, health) and
// follows new traffic while open. Runs are seeded and deployments made through the backend's REST API.
const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const h = require('./lib');
const { mainPage, backendApi } = require('./scenarios-panels');
const { frameWith, until, command } = require('./scenarios-analytics');
const { localDayStart, localDate } = require('../browser/harness');

const HOUR = 3_600_000;
const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// Days no other scenario seeds (they use the last week): two runs (one failed) on day -15, one run on day -18.
const BUSY_DAY = localDayStart(-15);
const QUIET_DAY = localDayStart(-18);

/** What the Runs table shows in some webview frame: {frame, filter, rows, ids, status}, or null when none is open. */
async function runsTable(page) {
  for (const f of page.frames()) {
    if (f === page.mainFrame()) continue;
    const s = await f.evaluate(() => {
      const input = document.querySelector('.mt-rt-filter');
      if (!input || !window.__mltrackRuns) return null;
      const ids = [...document.querySelectorAll('.mt-rt-body .mt-rt-row[data-run-id]')]
        .filter((e) => e.style.display !== 'none' && e.dataset.runId).map((e) => e.dataset.runId).sort();
      const status = (document.querySelector('.mt-rt-status') || {}).textContent || '';
      return { filter: input.value, rows: window.__mltrackRuns.rows(), ids, status, loading: /loading/i.test(status) };
    }).catch(() => null);
    if (s) return { frame: f, ...s };
  }
  return null;
}

// ---- a deployable model ------------------------------------------------------------------------------------------

const TRAIN = `
import json
import mltrack
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

X, y = load_iris(return_X_y=True)
with mltrack.start_run(experiment="production-e2e", name="iris") as run:
    model = LogisticRegression(max_iter=500).fit(X, y)
    mltrack.log_model(model, input_example=X[:3])
mltrack.flush()
print(json.dumps({"runId": run.info.run_id}))
`;

/**
 * A run with a logged scikit-learn model: the one the deploy scenario deployed when it ran, else one trained now
 * (Debian's /usr/bin/python3 with the repository's Python client, as tests/e2e/browser/specs/production.spec.js).
 */
async function modelRun(ctx, api) {
  const { deployments = [] } = await api.get('/api/deployments');
  const deployed = deployments.find((d) => d.target === 'local' && d.run_id);
  if (deployed) return deployed.run_id;
  const script = path.join(ctx.runDir, 'train_production.py');
  fs.writeFileSync(script, TRAIN);
  const out = cp.execFileSync('/usr/bin/python3', [script], {
    cwd: ctx.runDir,
    encoding: 'utf8',
    timeout: 120000,
    env: { ...process.env, PYTHONPATH: path.join(h.REPO, 'clients/python'), MLTRACK_TRACKING_URI: api.baseUrl, MLTRACK_TOKEN: api.token, MLTRACK_RUN_ID: '', MLTRACK_EXPERIMENT_ID: '' },
  });
  return JSON.parse(out.trim().split('\n').pop()).runId;
}

/** POSTs a /predict body to a deployment; resolves the HTTP status. */
async function predict(endpointUrl, instances) {
  const res = await fetch(`${endpointUrl}/predict`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ instances }) });
  await res.text();
  return res.status;
}

/** The production dashboard's section of a deployment, as shown: data attributes and the summary's texts. */
const sectionOf = (frame, id) => frame.evaluate((id) => {
  const s = document.querySelector(`.pd-section[data-id="${id}"]`);
  if (!s) return null;
  const text = (sel) => ((s.querySelector(sel) || {}).textContent || '').trim();
  return {
    status: s.dataset.status, health: s.dataset.health, requests: s.dataset.requests, errors: s.dataset.errors, errorRate: s.dataset.errorRate,
    shown: { requests: text('.pd-requests'), errorRate: text('.pd-error-rate'), health: text('.pd-health') },
  };
}, id);

const IRIS_ROWS = [[5.1, 3.5, 1.4, 0.2], [6.2, 2.9, 4.3, 1.3], [7.7, 3.0, 6.1, 2.3]];

const scenarios = [
  // palette → MLTrack: Show Activity Heatmap → the seeded days' cells hold their run counts (tooltip and data-*) →
  // a click on the busy day → the MLTrack Runs panel, filtered to that day, lists exactly its two runs
  ['activity_heatmap_click_opens_runs', async (ctx) => {
    const page = mainPage(ctx);
    const api = await backendApi(ctx, page);
    const exp = await api.createExperiment(`activity-e2e-${Date.now()}`);
    const run = (name, startTime, status) => api.seedRun({ experimentId: exp, name, status, startTime, endTime: startTime + HOUR / 2 });
    const busy = [await run('act-busy-1', BUSY_DAY + 9 * HOUR, 'FINISHED'), await run('act-busy-2', BUSY_DAY + 15 * HOUR, 'FAILED')].sort();
    await run('act-quiet', QUIET_DAY + 11 * HOUR, 'FINISHED');
    const busyDate = localDate(BUSY_DAY);
    const quietDate = localDate(QUIET_DAY);

    await command(page, 'MLTrack: Show Activity Heatmap');
    await page.locator('.tabs-container .tab.active', { hasText: 'MLTrack Activity' }).first().waitFor({ timeout: 30000 });
    const frame = await frameWith(page, `.mt-act-cell[data-date="${busyDate}"]`, 45000);
    const cell = (date) => frame.evaluate((d) => {
      const e = document.querySelector(`.mt-act-cell[data-date="${d}"]`);
      return e && { runs: e.dataset.runs, failed: e.dataset.failed, experiments: e.dataset.experiments, level: e.dataset.level, title: e.querySelector('title').textContent };
    }, date);
    const busyCell = await until(async () => { const c = await cell(busyDate); return c && c.runs === '2' ? c : null; }, `2 runs in the ${busyDate} cell`, 20000);
    const wantTitle = `${busyDate} (${WEEKDAY[new Date(BUSY_DAY).getDay()]})\n2 runs, 1 failed\n1 experiment`;
    if (busyCell.title !== wantTitle) throw new Error(`the ${busyDate} cell's tooltip is ${JSON.stringify(busyCell.title)}, expected ${JSON.stringify(wantTitle)}`);
    const quietCell = await cell(quietDate);
    if (!quietCell || quietCell.runs !== '1') throw new Error(`the ${quietDate} cell shows ${JSON.stringify(quietCell)}, expected 1 run`);
    // more runs, a darker cell
    if (!(Number(busyCell.level) > Number(quietCell.level))) throw new Error(`levels: ${busyDate} ${busyCell.level}, ${quietDate} ${quietCell.level}`);
    // hovering shows the same numbers in the panel's own tooltip
    const target = frame.locator(`.mt-act-cell[data-date="${busyDate}"]`);
    await target.hover();
    const tip = await until(() => frame.evaluate(() => {
      const t = document.querySelector('.mt-act-tip');
      return t && !t.hidden ? t.textContent : null;
    }), 'the hover tooltip', 10000);
    if (tip !== wantTitle) throw new Error(`the hover tooltip says ${JSON.stringify(tip)}, expected ${JSON.stringify(wantTitle)}`);
    await h.screenshot(page, 'activity-heatmap');

    // the Runs table is a single panel: an open one (earlier scenarios open it) is re-targeted, not duplicated
    const runsTabs = () => page.locator('.tabs-container .tab', { hasText: 'MLTrack Runs' }).count();
    const runsTabsBefore = await runsTabs();
    await target.click();
    await page.locator('.tabs-container .tab.active', { hasText: 'MLTrack Runs' }).first().waitFor({ timeout: 30000 });
    const runsTabsAfter = await runsTabs();
    if (runsTabsAfter !== 1) throw new Error(`${runsTabsAfter} MLTrack Runs tabs after the click (${runsTabsBefore} before)`);
    const wantFilter = `attributes.start_time >= ${BUSY_DAY} and attributes.start_time < ${localDayStart(-14)}`;
    let last = null;
    const table = await until(async () => {
      last = await runsTable(page);
      return last && last.filter === wantFilter && !last.loading && last.rows === last.ids.length ? last : null;
    }, 'the Runs table filtered to the clicked day', 30000).catch((e) => {
      const seen = last && { filter: last.filter, rows: last.rows, status: last.status, ids: last.ids.slice(0, 5) };
      throw new Error(`${e.message.replace(/ \(last: .*$/, '')}; expected filter ${JSON.stringify(wantFilter)}; the table shows ${JSON.stringify(seen)}`);
    });
    if (JSON.stringify(table.ids) !== JSON.stringify(busy)) throw new Error(`the Runs table lists ${JSON.stringify(table.ids)}, expected ${JSON.stringify(busy)}`);
    await h.screenshot(page, 'activity-day-runs');
    return { day: busyDate, cell: busyCell, quiet: quietCell, runsPanel: runsTabsBefore ? 're-targeted' : 'opened', filter: table.filter, runIds: table.ids };
  }],

  // a fresh local deployment (READY) gets 4 good /predict requests and a bad one → palette: MLTrack: Show Production
  // Dashboard → its section shows 5 requests, an error rate above 0 and "healthy"; one more request shows up while
  // the dashboard is open (its live refresh)
  ['production_dashboard_live', async (ctx) => {
    const page = mainPage(ctx);
    const api = await backendApi(ctx, page);
    const t0 = Date.now();
    const runId = await modelRun(ctx, api);
    const tRun = Date.now();
    const d = await api.post('/api/deployments?wait=true', { run_id: runId, target: 'local', config: { app_name: `production-e2e-${Date.now() % 100000}` } });
    const id = d.deployment_id;
    try {
      if (d.status !== 'READY') throw new Error(`the deployment is ${d.status}: ${d.message}`);
      const tReady = Date.now();
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await predict(d.endpoint_url, IRIS_ROWS));
      statuses.push(await predict(d.endpoint_url, [[1.0, 2.0]])); // two features where the model takes four
      if (JSON.stringify(statuses) !== '[200,200,200,200,400]') throw new Error(`/predict answered ${JSON.stringify(statuses)}`);
      const sent = statuses.length;

      await command(page, 'MLTrack: Show Production Dashboard');
      await page.locator('.tabs-container .tab.active', { hasText: 'MLTrack Production' }).first().waitFor({ timeout: 30000 });
      const frame = await frameWith(page, `.pd-section[data-id="${id}"]`, 45000);
      const shown = await until(async () => {
        const s = await sectionOf(frame, id);
        return s && s.requests === String(sent) && s.health === 'healthy' ? s : null;
      }, `${sent} requests and "healthy" in the deployment's section`, 15000);
      if (shown.status !== 'READY') throw new Error(`the section's status is ${shown.status}`);
      if (shown.errors !== '1' || !(Number(shown.errorRate) > 0)) throw new Error(`errors ${shown.errors}, error rate ${shown.errorRate}; expected 1 and > 0`);
      if (shown.shown.requests !== `${sent} requests` || !/^[1-9][\d.]*% errors$/.test(shown.shown.errorRate) || shown.shown.health !== 'healthy') {
        throw new Error(`the summary reads ${JSON.stringify(shown.shown)}`);
      }
      const tShown = Date.now();
      await h.screenshot(page, 'production-dashboard');

      // live: the open dashboard counts a request made after it was shown
      if ((await predict(d.endpoint_url, IRIS_ROWS)) !== 200) throw new Error('the extra /predict request failed');
      const after = await until(async () => {
        const s = await sectionOf(frame, id);
        return s && s.requests === String(sent + 1) ? s : null;
      }, `${sent + 1} requests after one more, without reopening the dashboard`, 15000);
      return {
        deployment: { id, name: d.name, endpoint: d.endpoint_url },
        shown: shown.shown,
        errorRate: Number(shown.errorRate),
        live: after.shown.requests,
        msModelRun: tRun - t0,
        msDeployToReady: tReady - tRun,
        msCommandToShown: tShown - tReady,
        msLiveRefresh: Date.now() - tShown,
      };
    } finally {
      // stops it, then deletes it (its endpoint process ends with it)
      await fetch(new URL(`/api/deployments/${id}`, api.baseUrl), { method: 'DELETE', headers: { Authorization: `Bearer ${api.token}` } })
        .then((r) => r.text()).catch((e) => h.log(`could not delete deployment ${id}: ${e.message}`));
    }
  }],
];

module.exports = { scenarios };
