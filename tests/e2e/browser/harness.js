'use strict';
// Harness of the browser tests of the panels: `mltrack ui` on a temporary store, a REST/RPC client that seeds it
// through the public API, and Debian's Chromium driven by playwright-core (from E2E_ROOT, see .ci/install-e2e.sh)
// with every request to another origin aborted and recorded. See README.md.
const assert = require('node:assert/strict');
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const HERE = __dirname;
const REPO = path.resolve(HERE, '../../..');
const E2E_ROOT = process.env.E2E_ROOT
  || (isWritableDir('/work') ? '/work/.e2e-cache' : path.join(os.homedir(), '.cache/mltrack-e2e'));
const RESULTS_DIR = process.env.BROWSER_RESULTS_DIR || path.join(REPO, 'test-results/browser');
const PANELS = ['runs', 'charts', 'compare', 'run', 'lineage', 'search', 'deployForm', 'openapi', 'deployments',
  'analytics', 'activity', 'reports', 'production'];
const T0 = Date.now();

function isWritableDir(d) { try { fs.accessSync(d, fs.constants.W_OK); return fs.statSync(d).isDirectory(); } catch { return false; } }
const log = (...a) => console.log(`[${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Local days, as the panels' date inputs and day cells show them. The browser runs in this process's time zone (it
// gets our environment and no timezoneId), so a spec can compute here what a page shows.
/** Local midnight `n` calendar days from today's (negative: the past). */
function localDayStart(n) {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n).getTime();
}
/** "YYYY-MM-DD" of the local day holding `ms` (what a date input holds). */
function localDate(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
/** The IANA time zone of this process and of the browser. */
const localTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

function loadPlaywright() {
  try { return require(path.join(E2E_ROOT, 'node_modules/playwright-core')); }
  catch (e) { throw new Error(`playwright-core not found under ${E2E_ROOT}: run bash .ci/install-e2e.sh (${e.message})`); }
}

// ---------------------------------------------------------------------------------------------------------------
// Processes we start are killed (whole process group) at the end, also on failure or a signal.
const children = new Set();
function killGroup(child, signal) { try { process.kill(-child.pid, signal); } catch { try { child.kill(signal); } catch { /* gone */ } } }
function killAllSync() { for (const c of children) killGroup(c, 'SIGKILL'); children.clear(); }
let hooked = false;
/** Installed by the first startUi only, so other suites (tests/e2e/vscode) can require this file for makeApi. */
function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => { killAllSync(); console.log(`interrupted by ${sig}\n0 passed, 1 failed`); process.exit(130); });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// mltrack ui

/** The command that runs mltrack: $MLTRACK_BIN, else the repository's ./mltrack (builds when sources changed). */
function mltrackCommand() {
  if (process.env.MLTRACK_BIN) return [process.env.MLTRACK_BIN];
  return [path.join(REPO, 'mltrack')];
}

// ---------------------------------------------------------------------------------------------------------------
// Team store: a fresh PostgreSQL database on the test cluster ($MLTRACK_TEST_POSTGRES, started by ./test.sh)

/** The test cluster's URI, or null when there is none (a spec file asking for it is then skipped). */
const postgresServer = () => process.env.MLTRACK_TEST_POSTGRES || null;

function psql(serverUri, sql) {
  cp.execFileSync('psql', [serverUri, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Creates an empty, uniquely named database on the test cluster: { uri, drop() }. */
function createPostgresDatabase(serverUri = postgresServer()) {
  if (!serverUri) throw new Error('MLTRACK_TEST_POSTGRES is not set (./test.sh starts a test cluster)');
  const name = `browser_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
  psql(serverUri, `CREATE DATABASE ${name}`);
  const uri = serverUri.slice(0, serverUri.lastIndexOf('/') + 1) + name;
  return { uri, drop: () => psql(serverUri, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * Starts `mltrack ui --store <dir>/mltrack.db --port 0 --webviews <repo>/webviews` and resolves when it printed its
 * sign-in URL: { baseUrl, token, url, storeDir, store, tokenFile, api, logFile, stop() }. `url` carries a one-time
 * code (unused: pages sign in through POST /ui/codes, see signIn); `token` is read from the store's token file, as
 * programs do. With `store: 'postgresql'` the ui runs on a fresh database of the test cluster (dropped by stop()),
 * with its state (token) in storeDir; `store` is then that database's URI, for other replicas (startServer).
 */
async function startUi({ name = 'ui', storeDir, store } = {}) {
  hookExit();
  storeDir = storeDir || fs.mkdtempSync(path.join(os.tmpdir(), 'mltrack-browser-'));
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const database = store === 'postgresql' ? createPostgresDatabase() : null;
  if (store && !database) throw new Error(`unknown store "${store}" (only 'postgresql', or none for a SQLite file)`);
  const storeArgs = database ? ['--store', database.uri, '--state-dir', storeDir] : ['--store', path.join(storeDir, 'mltrack.db')];
  const logFile = path.join(RESULTS_DIR, `ui-${name}.log`);
  const errFd = fs.openSync(logFile, 'w');
  const [cmd, ...pre] = mltrackCommand();
  const webviews = process.env.MLTRACK_WEBVIEWS || path.join(REPO, 'webviews');
  const args = [...pre, 'ui', ...storeArgs, '--port', '0', '--webviews', webviews];
  const child = cp.spawn(cmd, args, { cwd: storeDir, detached: true, stdio: ['ignore', 'pipe', errFd], env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  fs.closeSync(errFd);
  children.add(child);
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mltrack ui printed no URL in 180 s (log: ${logFile})`)), 180000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^(http:\/\/127\.0\.0\.1:\d+\/ui\/\S*[?&]code=\S+)$/m);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`mltrack ui exited (${signal || code}) before printing its URL: ${fs.readFileSync(logFile, 'utf8').slice(-1500)}`));
    });
  }).catch(async (e) => { await stopChild(child); if (database) database.drop(); throw e; });
  const baseUrl = new URL(url).origin;
  const tokenFile = path.join(storeDir, 'token');
  const token = fs.readFileSync(tokenFile, 'utf8').trim();
  const stop = async () => {
    await stopChild(child);
    if (database && !process.env.BROWSER_KEEP) database.drop();
    if (!process.env.BROWSER_KEEP) fs.rmSync(storeDir, { recursive: true, force: true });
  };
  log(`mltrack ui up at ${baseUrl} (store ${database ? database.uri : storeDir})`);
  return { baseUrl, token, url, storeDir, store: database ? database.uri : path.join(storeDir, 'mltrack.db'), tokenFile, logFile, api: makeApi(baseUrl, token), stop };
}

/** SIGTERM to the child's process group, SIGKILL after 8 s. */
async function stopChild(child) {
  if (child.exitCode === null && child.signalCode === null) {
    killGroup(child, 'SIGTERM');
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) await sleep(100);
    if (child.exitCode === null && child.signalCode === null) killGroup(child, 'SIGKILL');
  }
  children.delete(child);
}

/**
 * Starts another replica on a store: `mltrack server --store <store> --http 127.0.0.1:0 --token-file <tokenFile>
 * --state-dir <tmp>` and resolves when it printed its URL: { baseUrl, token, api, logFile, stop() }. Give it the
 * ui's store and tokenFile (replicas of a team server share the token).
 */
async function startServer({ name = 'server', store, tokenFile, args: extra = [] }) {
  hookExit();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mltrack-browser-server-'));
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const logFile = path.join(RESULTS_DIR, `server-${name}.log`);
  const errFd = fs.openSync(logFile, 'w');
  const [cmd, ...pre] = mltrackCommand();
  const args = [...pre, 'server', '--store', store, '--http', '127.0.0.1:0', '--token-file', tokenFile, '--state-dir', stateDir, ...extra];
  const child = cp.spawn(cmd, args, { cwd: stateDir, detached: true, stdio: ['ignore', 'pipe', errFd], env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  fs.closeSync(errFd);
  children.add(child);
  let out = '';
  const baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mltrack server printed no URL in 180 s (log: ${logFile})`)), 180000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^(http:\/\/127\.0\.0\.1:\d+)\s*$/m);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`mltrack server exited (${signal || code}) before printing its URL: ${fs.readFileSync(logFile, 'utf8').slice(-1500)}`));
    });
  }).catch(async (e) => { await stopChild(child); fs.rmSync(stateDir, { recursive: true, force: true }); throw e; });
  const token = fs.readFileSync(tokenFile, 'utf8').trim();
  const stop = async () => {
    await stopChild(child);
    if (!process.env.BROWSER_KEEP) fs.rmSync(stateDir, { recursive: true, force: true });
  };
  log(`mltrack server up at ${baseUrl} (store ${store})`);
  return { baseUrl, token, logFile, api: makeApi(baseUrl, token), stop };
}

// ---------------------------------------------------------------------------------------------------------------
// The public REST API and /rpc, with the token.

function makeApi(baseUrl, token) {
  const auth = { Authorization: `Bearer ${token}` };
  // log-batch takes JSON numbers; NaN/Infinity go as MLflow's strings
  const num = (v) => (Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
  const kv = (o) => (Array.isArray(o) ? o : Object.entries(o || {}).map(([key, value]) => ({ key, value: String(value) })));

  async function request(method, p, body, query) {
    const url = new URL(p, baseUrl);
    for (const [k, v] of Object.entries(query || {})) url.searchParams.set(k, String(v));
    const res = await fetch(url, {
      method,
      headers: { ...auth, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json;
    try { json = text ? JSON.parse(text) : {}; } catch { json = { raw: text }; }
    if (!res.ok) {
      const e = new Error(`${method} ${p} → ${res.status}: ${text.slice(0, 500)}`);
      e.status = res.status; e.body = json;
      throw e;
    }
    return json;
  }
  const post = (p, body) => request('POST', p, body ?? {});
  const get = (p, query) => request('GET', p, undefined, query);

  async function rpcRaw(method, params, { token: tok = token, headers = {} } = {}) {
    const res = await fetch(new URL('/rpc', baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(tok ? { Authorization: `Bearer ${tok}` } : {}), ...headers },
      body: JSON.stringify({ method, params }),
    });
    const text = await res.text();
    let body;
    try { body = JSON.parse(text); } catch { body = { raw: text }; }
    return { status: res.status, body };
  }
  /** POST /ui/codes: a fresh one-time sign-in code → { code, url, expiresInSeconds }. */
  async function mintCode() {
    return request('POST', '/ui/codes', undefined);
  }
  async function rpc(method, params) {
    const { status, body } = await rpcRaw(method, params);
    if (status !== 200 || !('result' in body)) {
      const err = body.error || {};
      const e = new Error(`rpc ${method} → ${status}: ${err.message || JSON.stringify(body).slice(0, 300)}`);
      Object.assign(e, { status, code: err.code, data: err.data });
      throw e;
    }
    return body.result;
  }

  const M = '/api/2.0/mlflow';
  const api = {
    baseUrl, token, post, get, rpc, rpcRaw, mintCode,
    async createExperiment(name, tags) {
      const r = await post(`${M}/experiments/create`, { name, ...(tags ? { tags: kv(tags) } : {}) });
      return r.experiment_id;
    },
    /** user: the run's user_id (default: the backend's user). */
    async createRun({ experimentId, name, user, startTime, tags } = {}) {
      const r = await post(`${M}/runs/create`, {
        ...(experimentId ? { experiment_id: experimentId } : {}),
        ...(name ? { run_name: name } : {}),
        ...(user ? { user_id: user } : {}),
        start_time: startTime ?? Date.now(),
        ...(tags ? { tags: kv(tags) } : {}),
      });
      return r.run.info.run_id;
    },
    /** metrics: [{key, value, timestamp?, step?}]; params/tags: [{key, value}] or {key: value}. */
    async logBatch(runId, { metrics = [], params, tags } = {}) {
      const now = Date.now();
      await post(`${M}/runs/log-batch`, {
        run_id: runId,
        metrics: metrics.map((m, i) => ({ key: m.key, value: num(m.value), timestamp: m.timestamp ?? now + i, step: m.step ?? 0 })),
        params: kv(params),
        tags: kv(tags),
      });
    },
    /** Logs values[i] at step startStep+i, 1000 points per request. */
    async logMetricSeries(runId, key, values, { startStep = 0, t0 = Date.now() - values.length * 1000, dtMs = 1000 } = {}) {
      for (let i = 0; i < values.length; i += 1000) {
        const chunk = values.slice(i, i + 1000).map((v, j) => ({ key, value: v, step: startStep + i + j, timestamp: t0 + (i + j) * dtMs }));
        await api.logBatch(runId, { metrics: chunk });
      }
    },
    async updateRun(runId, status, endTime) {
      await post(`${M}/runs/update`, { run_id: runId, status, ...(endTime || status !== 'RUNNING' ? { end_time: endTime ?? Date.now() } : {}) });
    },
    async setTag(runId, key, value) { await post(`${M}/runs/set-tag`, { run_id: runId, key, value: String(value) }); },
    /** inputs/outputs: [{path, size, sha256}] (lineage: runs connect through files with the same sha256). */
    async logFiles(runId, { inputs = [], outputs = [] } = {}) {
      await post('/api/2.0/mltrack/runs/log-files', { run_id: runId, inputs, outputs });
    },
    /** One run with everything: params, tags, metric series, files, final status (default FINISHED). */
    async seedRun({ experimentId, name, user, params, tags, metrics = {}, status = 'FINISHED', startTime, endTime, inputs, outputs } = {}) {
      const t0 = startTime ?? Date.now() - 3600_000;
      const runId = await api.createRun({ experimentId, name, user, startTime: t0 });
      if (params || tags) await api.logBatch(runId, { params, tags });
      for (const [key, values] of Object.entries(metrics)) await api.logMetricSeries(runId, key, values, { t0: t0 + 1000 });
      if (inputs || outputs) await api.logFiles(runId, { inputs, outputs });
      if (status && status !== 'RUNNING') await api.updateRun(runId, status, endTime ?? t0 + 60_000);
      return runId;
    },
    /** seedRun for each of `runs`, in the experiment its `experiment` names (created at its first use). Resolves
     *  { exps: { [experiment name]: id }, ids: { [run name]: id } }. */
    async seedRuns(runs) {
      const exps = {}, ids = {};
      for (const { experiment, ...run } of runs) {
        exps[experiment] ??= await api.createExperiment(experiment);
        ids[run.name] = await api.seedRun({ ...run, experimentId: exps[experiment] });
      }
      return { exps, ids };
    },
  };
  return api;
}

// ---------------------------------------------------------------------------------------------------------------
// Browser

async function launchBrowser() {
  const { chromium } = loadPlaywright();
  return chromium.launch({
    executablePath: process.env.CHROME_BIN || '/usr/bin/chromium',
    headless: true,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(os.tmpdir(), 'mltrack-browser-xdg'), XDG_CACHE_HOME: path.join(os.tmpdir(), 'mltrack-browser-xdg') },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
      '--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter,Translate',
      '--disable-default-apps', '--no-pings'],
  });
}

/**
 * Signs a browser context in as `mltrack ui --open` would, without a page load: mints a code (POST /ui/codes), spends
 * it (GET …?code=, 303 + Set-Cookie) and gives the context that session cookie. Resolves the cookie's name.
 */
async function signIn(context, ui) {
  const { url } = await ui.api.mintCode();
  const res = await fetch(url, { redirect: 'manual' });
  const setCookie = res.headers.get('set-cookie') || '';
  const m = setCookie.match(/^([^=;\s]+)=([^;]*)/);
  if (res.status !== 303 || !m) throw new Error(`sign-in with a fresh code → ${res.status} ${setCookie ? '(a cookie)' : '(no cookie)'}: ${(await res.text()).slice(0, 300)}`);
  await context.addCookies([{ name: m[1], value: m[2], url: `${ui.baseUrl}/`, httpOnly: true, sameSite: 'Strict' }]);
  return m[1];
}

/**
 * A fresh context and page for one spec, signed in (signIn): only ui.baseUrl's origin is reachable (everything else is aborted and
 * pushed to foreignRequests), console errors and page errors are collected, and POST /rpc calls are observable.
 */
async function newPage(browser, ui, { colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme, deviceScaleFactor: 1 });
  await signIn(context, ui);
  const origin = new URL(ui.baseUrl).origin;
  const foreignRequests = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    let o = null;
    try { o = new URL(url).origin; } catch { /* data:, blob: … */ }
    if (o === origin || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 500)); });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${String((e && e.message) || e).slice(0, 500)}`));
  // data: and blob: URLs never reach route(): record any the page starts to another origin via requests anyway
  page.on('request', (r) => {
    const url = r.url();
    if (/^(https?|wss?|ftp):/i.test(url) && !url.startsWith(origin + '/') && !foreignRequests.includes(url)) foreignRequests.push(url);
  });
  page.on('websocket', (ws) => { if (!ws.url().startsWith(origin.replace(/^http/, 'ws'))) foreignRequests.push(ws.url()); });

  const rpcWaiters = [];
  page.on('requestfinished', async (req) => {
    if (req.method() !== 'POST' || new URL(req.url()).pathname !== '/rpc' || rpcWaiters.length === 0) return;
    let body;
    try { body = JSON.parse(req.postData() || '{}'); } catch { return; }
    let result;
    try { const res = await req.response(); result = res ? (await res.json()).result : undefined; } catch { /* streamed / gone */ }
    for (const w of [...rpcWaiters]) {
      if (w.method === body.method && (!w.pred || w.pred(body.params, result))) {
        rpcWaiters.splice(rpcWaiters.indexOf(w), 1);
        w.resolve({ params: body.params, result });
      }
    }
  });
  /** Resolves with {params, result} of the next POST /rpc for `method` (matching pred(params, result)). */
  const waitForRpc = (method, pred, timeout = 15000) => new Promise((resolve, reject) => {
    const w = { method, pred, resolve };
    rpcWaiters.push(w);
    setTimeout(() => {
      const i = rpcWaiters.indexOf(w);
      if (i >= 0) { rpcWaiters.splice(i, 1); reject(new Error(`no POST /rpc ${method} in ${timeout} ms`)); }
    }, timeout).unref();
  });

  async function openPanel(panel, args = {}, { wait = true, timeout = 20000 } = {}) {
    if (!PANELS.includes(panel)) throw new Error(`unknown panel "${panel}" (panels: ${PANELS.join(', ')})`);
    const url = `${ui.baseUrl}/ui/${panel}?args=${encodeURIComponent(JSON.stringify(args || {}))}`;
    const res = await page.goto(url, { waitUntil: 'domcontentloaded' });
    if (!res || res.status() !== 200) throw new Error(`GET /ui/${panel} → ${res ? res.status() : 'no response'}`);
    if (wait) {
      await page.waitForFunction(() => {
        const app = document.getElementById('app');
        return !!app && app.childNodes.length > 0;
      }, null, { timeout }).catch(() => { throw new Error(`panel "${panel}" rendered nothing into #app in ${timeout} ms (console: ${JSON.stringify(consoleErrors.slice(0, 3))})`); });
    }
    return page;
  }

  async function screenshot(name, { fullPage = false } = {}) {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await page.screenshot({ path: file, fullPage });
    return path.relative(REPO, file);
  }

  const setTheme = (scheme) => page.emulateMedia({ colorScheme: scheme });

  return { context, page, foreignRequests, consoleErrors, openPanel, screenshot, setTheme, waitForRpc };
}

module.exports = {
  REPO, E2E_ROOT, RESULTS_DIR, PANELS, assert, log, sleep, localDayStart, localDate, localTimeZone, postgresServer, startUi, startServer, makeApi, launchBrowser, newPage, signIn, killAllSync,
};
