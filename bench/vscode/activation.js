'use strict';
// Issue 4's last benchmark figure: "in code-server, extension activation → Runs tree populated with 10,000 runs
// ≤ 1.5 s". Run by bench/vscode/run.sh (which ensures the e2e install and an up-to-date .vsix).
//
// What is measured, per repetition (the tab navigates away and back: a fresh workbench and extension host):
//   The workspace (10,000 runs, bench/vscode/seed.js) is opened once and the MLTrack activity-bar container shown,
//   so the workbench remembers it; every measured window then opens with the MLTrack side bar (Runs view) showing,
//   as it does for a user who left it open. The Runs view being visible is what activates the extension
//   (activation event onView:mltrack.runs, or onStartupFinished if that comes first) and, lazily, starts the backend.
//   t0  = the extension host's "ExtensionService#_doActivateExtension mltrack.mltrack" log line (remoteexthost.log,
//         ms precision): the moment VS Code starts activating the extension.
//   t1  = the first moment the Runs view's DOM holds a real row: a level-1 `.monaco-list-row` with a run count
//         ("exp-3 · 1000 runs"), recorded in the page by a MutationObserver (Date-based clock, same machine).
//   Also: navigation start (performance.timeOrigin) → t1, and t1 → the first run rows (level 2: the newest
//   experiment, auto-expanded). Breakdown per repetition: backend spawn (from /proc: start time of the
//   `mltrack rpc --stdio` child), initialize (the extension's own "[backend] initialized in N ms" line).
// Then the backend alone, outside VS Code (the installed .vsix's server/mltrack over stdio, as the extension calls
// it): spawn → initialize, and the tree's first requests (experiments/list ∥ runs/list 100, then runs/list of one
// experiment, 200), to show where the time goes.
//
// Usage: node bench/vscode/activation.js --vsix PATH [--reps 5] [--keep]
// Writes bench/vscode/results.json (records like bench/results.json) and bench/vscode/last-run.json (raw figures).
const cp = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const BENCH_CACHE = process.env.BENCH_CACHE || '/tmp/mltrack-bench';
process.env.E2E_RESULTS_DIR = process.env.E2E_RESULTS_DIR || path.join(BENCH_CACHE, 'vscode-shots');
const h = require('../../tests/e2e/vscode/lib');
const { ensureSeeded } = require('./seed');

const argv = process.argv.slice(2);
const arg = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const REPS = Number(arg('--reps', 5));
const keep = argv.includes('--keep');
const RUNS = 10000;
const TARGET_MS = 1500;
const OUT_DIR = __dirname;
const WS = path.join(BENCH_CACHE, 'vscode-10k');
const TIMEOUT = 90000;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN; };
const max = (xs) => Math.max(...xs);
const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;
const fmtMs = (ms) => (ms == null || Number.isNaN(ms) ? '—' : `${Math.round(ms)} ms`);

// ---------------------------------------------------------------------------------------------------------------
// In the page: when the Runs view first shows a real row (MutationObserver over the whole document).
function pageProbe() {
  const now = () => performance.timeOrigin + performance.now();
  const marks = { nav: performance.timeOrigin };
  window.__mltrackBench = marks;
  const RUNS_COUNT = /\b\d[\d,.]*\s*k?\s+runs?\b/i;
  const check = () => {
    for (const p of document.querySelectorAll('.part.sidebar .pane')) {
      const t = p.querySelector('.pane-header h3.title');
      if (!t || !/^\s*Runs\s*$/i.test(t.textContent || '')) continue;
      if (!marks.runsPane && p.querySelector('.pane-header[aria-expanded="true"]')) marks.runsPane = now();
      for (const r of p.querySelectorAll('.monaco-list-row')) {
        const level = Number(r.getAttribute('aria-level') || 0);
        const text = `${r.getAttribute('aria-label') || ''} ${r.textContent || ''}`.replace(/\s+/g, ' ').trim();
        if (level === 1 && RUNS_COUNT.test(text)) {
          if (!marks.expRows) { marks.expRows = now(); marks.expRowText = text.slice(0, 120); }
        } else if (level >= 2) {
          if (!marks.runRows) { marks.runRows = now(); marks.runRowText = text.slice(0, 160); }
        } else if (level === 1 && !marks.otherRow) {
          marks.otherRow = now(); marks.otherRowText = text.slice(0, 200);
        }
      }
      if (marks.expRows) marks.expRowCount = p.querySelectorAll('.monaco-list-row[aria-level="1"]').length;
      if (marks.runRows) marks.runRowCount = p.querySelectorAll('.monaco-list-row[aria-level="2"]').length;
    }
    if (marks.expRows && marks.runRows) obs.disconnect();
  };
  document.addEventListener('mousedown', (e) => {
    if (!marks.click && e.target && e.target.closest && e.target.closest('.activitybar')) marks.click = now();
  }, true);
  const obs = new MutationObserver(check);
  obs.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-expanded', 'aria-label'] });
}

// ---------------------------------------------------------------------------------------------------------------
// Logs and processes

/** All remoteexthost.log files under the user-data dir's logs. */
function exthostLogs(userDataDir) {
  const out = [];
  const logs = path.join(userDataDir, 'logs');
  for (const session of fs.existsSync(logs) ? fs.readdirSync(logs) : []) {
    const dir = path.join(logs, session);
    for (const d of fs.readdirSync(dir)) {
      const f = path.join(dir, d, 'remoteexthost.log');
      if (/^exthost\d+$/.test(d) && fs.existsSync(f)) out.push(f);
    }
  }
  return out;
}

/** "2026-11-28 05:13:37.414" in the local time zone (the one code-server logs in: same machine, same env) → epoch ms. */
function parseLogTime(s) {
  const m = s.match(/^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})/);
  return m ? new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]).getTime() : null;
}

/** The activation of mltrack.mltrack logged at or after `since` (epoch ms): {t, event, log, exthostPid}. */
function findActivation(userDataDir, since) {
  for (const f of exthostLogs(userDataDir)) {
    const text = fs.readFileSync(f, 'utf8');
    const pidLine = text.match(/Extension host with pid (\d+) started/);
    for (const line of text.split('\n')) {
      const m = line.match(/_doActivateExtension mltrack\.mltrack\b.*activationEvent: '([^']*)'/);
      if (!m) continue;
      const t = parseLogTime(line);
      if (t !== null && t >= since - 5) {
        return { t, event: m[1], log: f, exthostPid: pidLine ? Number(pidLine[1]) : null, exthostStart: parseLogTime(text) };
      }
    }
  }
  return null;
}

/** The MLTrack output channel's "[backend] initialized in N ms" for the extension host whose log is `exthostLog`. */
function initializeMs(exthostLog) {
  const dir = path.dirname(exthostLog);
  for (const d of fs.readdirSync(dir).filter((x) => x.startsWith('output_logging_'))) {
    for (const f of fs.readdirSync(path.join(dir, d)).filter((x) => /MLTrack\.log$/.test(x))) {
      const m = fs.readFileSync(path.join(dir, d, f), 'utf8').match(/\[backend\] initialized in (\d+) ms/);
      if (m) return Number(m[1]);
    }
  }
  return null;
}

const CLK_TCK = 100; // USER_HZ on Linux
function procStart(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  const uptimeS = Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const bootEpoch = Date.now() - uptimeS * 1000;
  return bootEpoch + (ticks * 1000) / CLK_TCK; // ±20 ms
}

/** `mltrack rpc --stdio` processes (the extension's backends) anywhere on the machine started by our code-server. */
function backendPids(rootPid) {
  return h.descendants(rootPid).filter((c) => {
    try {
      const cmd = fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').split('\0');
      return cmd.some((a) => /(^|\/)mltrack$/.test(a)) && cmd.includes('rpc') && cmd.includes('--stdio');
    } catch {
      return false; // gone
    }
  });
}

/** Share of the machine's CPU busy over `ms` (from /proc/stat). */
async function cpuBusy(ms = 1000) {
  const read = () => { const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number); return { idle: f[3] + f[4], total: f.reduce((a, b) => a + b, 0) }; };
  const a = read(); await h.sleep(ms); const b = read();
  return 1 - (b.idle - a.idle) / Math.max(1, b.total - a.total);
}

/** Waits (at most maxMs) until the machine is mostly idle: other work running at once skews every figure here. */
async function waitQuiet(maxMs = Number(process.env.BENCH_QUIET_MAX_MS || 60000), threshold = 0.35) {
  const t = Date.now();
  let busy = await cpuBusy();
  while (busy > threshold && Date.now() - t < maxMs) busy = await cpuBusy();
  return { busy: Math.round(busy * 100) / 100, waitedMs: Date.now() - t, load1: Math.round(os.loadavg()[0] * 10) / 10 };
}

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

async function waitGone(pids, timeout = 30000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline && pids.some(alive)) await h.sleep(200);
  return !pids.some(alive);
}

// ---------------------------------------------------------------------------------------------------------------
// One window

/**
 * One window. mode 'reload': "Developer: Reload Window" in a window showing the MLTrack side bar (VS Code restores
 * the last side bar only on a reload), t0 = the extension's activation (log line). mode 'new': the tab leaves the
 * workbench, the previous extension host and backend are waited out, the workspace is opened anew (Explorer
 * showing, as for every new window), and once the extension has activated (onStartupFinished) plus 1 s the MLTrack
 * activity-bar item is clicked: t0 = that click (mousedown, in the page).
 */
async function measureWindow(ctx, label, mode) {
  const { page, cs, userDataDir } = ctx;
  const oldPids = backendPids(cs.child.pid);
  const quiet = await waitQuiet();
  let navAt;
  if (mode === 'reload') {
    navAt = Date.now();
    await h.runCommand(page, 'Developer: Reload Window');
  } else {
    await page.goto('about:blank').catch(() => {});
    const oldExthost = ctx.lastExthostPid ? [ctx.lastExthostPid] : [];
    if (!(await waitGone([...oldPids, ...oldExthost], 40000))) h.log(`${label}: the previous extension host / backend is still running after 40 s`);
    navAt = Date.now();
    await page.goto(`${cs.base}/?folder=${encodeURIComponent(WS)}`, { waitUntil: 'domcontentloaded' });
  }
  let marks = {};
  let act = null;
  let clickDue = null;
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    const m = await page.evaluate(() => window.__mltrackBench).catch(() => null);
    marks = m && m.nav > navAt - 1000 ? m : {};
    if (!act) act = findActivation(userDataDir, navAt);
    if (marks.expRows && marks.runRows && act) break;
    if (mode === 'new' && act && !marks.click) {
      if (clickDue === null) clickDue = Date.now() + 1000;
      else if (Date.now() >= clickDue) { clickDue = Infinity; await h.showActivity(page, 'MLTrack').catch((e) => h.log(`${label}: click failed: ${e.message}`)); }
    }
    await h.sleep(50);
  }
  await h.screenshot(page, label);
  if (!marks.expRows || !act) {
    throw new Error(`${label}: ${!act ? 'no activation of mltrack.mltrack in the extension host log' : 'no experiment rows with run counts in the Runs view'} in ${TIMEOUT / 1000} s `
      + `(runs pane: ${!!marks.runsPane}; other row: ${marks.otherRowText || 'none'})`);
  }
  ctx.lastExthostPid = act.exthostPid;
  const starts = backendPids(cs.child.pid).filter((p) => !oldPids.includes(p))
    .map((p) => { try { return { pid: p, t: procStart(p) }; } catch { return null; } }).filter(Boolean).sort((a, b) => a.t - b.t);
  let initMs = null;
  for (let i = 0; i < 30 && initMs === null; i++) { initMs = initializeMs(act.log); if (initMs === null) await h.sleep(100); }
  const t0 = mode === 'reload' ? act.t : marks.click;
  return {
    label, mode,
    t0Is: mode === 'reload' ? 'activation (log)' : 'activity-bar click',
    t0ToRows: marks.expRows - t0,
    activationEvent: act.event,
    navToActivation: act.t - marks.nav,
    navToRows: marks.expRows - marks.nav,
    navToRunsPane: marks.runsPane ? marks.runsPane - marks.nav : null,
    activationToRows: marks.expRows - act.t,
    clickToRows: marks.click ? marks.expRows - marks.click : null,
    t0ToBackendSpawn: starts[0] ? starts[0].t - t0 : null,
    backendInitializeMs: initMs,
    backendReadyToRows: starts[0] && initMs !== null ? marks.expRows - (starts[0].t + initMs) : null,
    rowsToRunRows: marks.runRows ? marks.runRows - marks.expRows : null,
    backendsStarted: starts.length,
    previousBackendStillRunning: oldPids.filter(alive).length,
    cpuBusyBefore: quiet.busy, load1Before: quiet.load1, waitedForQuietMs: quiet.waitedMs,
    expRowText: marks.expRowText, expRowCount: marks.expRowCount, runRowText: marks.runRowText, runRowCount: marks.runRowCount,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The backend alone, as the extension calls it (LSP-framed JSON-RPC over stdio)

function rpcClient(exe, cwd) {
  const child = cp.spawn(exe, ['rpc', '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.resume();
  let buf = Buffer.alloc(0);
  let nextId = 0;
  const pending = new Map();
  child.stdout.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const sep = buf.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(buf.slice(0, sep).toString())[1]);
      if (buf.length < sep + 4 + len) return;
      const body = buf.slice(sep + 4, sep + 4 + len);
      buf = buf.slice(sep + 4 + len);
      const msg = JSON.parse(body.toString('utf8'));
      if (msg.id !== undefined && pending.has(msg.id)) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p.reject(new Error(JSON.stringify(msg.error))); else p.resolve({ result: msg.result, bytes: len, ms: Date.now() - p.t });
      }
    }
  });
  const call = (method, params) => new Promise((resolve, reject) => {
    const id = ++nextId;
    pending.set(id, { resolve, reject, t: Date.now() });
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  });
  const close = async () => {
    await Promise.race([call('shutdown', null).catch(() => {}), h.sleep(3000)]);
    child.stdin.end();
    const deadline = Date.now() + 5000;
    while (child.exitCode === null && Date.now() < deadline) await h.sleep(50);
    try { child.kill('SIGKILL'); } catch { /* gone */ }
  };
  return { child, call, close };
}

async function backendAlone(exe, reps) {
  const rows = [];
  for (let i = 0; i < reps + 1; i++) {
    await waitQuiet(30000);
    const t = Date.now();
    const b = rpcClient(exe, WS);
    try {
      const init = await b.call('initialize', { workspaceFolder: WS, storePath: null, clientName: 'bench', clientVersion: '0' });
      const initMs = Date.now() - t;
      const t2 = Date.now();
      const [exps, recent] = await Promise.all([b.call('experiments/list', {}), b.call('runs/list', { maxResults: 100 })]);
      const rootMs = Date.now() - t2;
      const sorted = exps.result.filter((e) => e.runCount > 0);
      const first = sorted[0];
      const page = await b.call('runs/list', { experimentIds: [first.experimentId], maxResults: 200 });
      // the same again on the now-warm process (what a refresh costs)
      const t3 = Date.now();
      await Promise.all([b.call('experiments/list', {}), b.call('runs/list', { maxResults: 100 })]);
      const rootWarmMs = Date.now() - t3;
      const row = {
        spawnToInitialized: initMs, rootLists: rootMs, experimentsList: exps.ms, runsList100: recent.ms,
        runsListExp200: page.ms, rootListsWarm: rootWarmMs,
        bytes: { experiments: exps.bytes, runs100: recent.bytes, runsExp200: page.bytes },
        experiments: sorted.length, runCounts: sorted.map((e) => e.runCount).reduce((a, c) => a + c, 0), storeRuns: init.result && init.result.store,
      };
      if (i > 0) rows.push(row); // the first spawn warms the disk cache
    } finally {
      await b.close();
    }
  }
  const med = (k) => median(rows.map((r) => r[k]));
  return {
    reps: rows.length, rows,
    median: Object.fromEntries(['spawnToInitialized', 'rootLists', 'experimentsList', 'runsList100', 'runsListExp200', 'rootListsWarm'].map((k) => [k, med(k)])),
    bytes: rows[0].bytes, totalRuns: rows[0].runCounts, experiments: rows[0].experiments,
  };
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const vsix = path.resolve(arg('--vsix', ''));
  if (!vsix || !fs.existsSync(vsix)) throw new Error(`no .vsix: pass --vsix PATH (got ${vsix})`);
  fs.mkdirSync(BENCH_CACHE, { recursive: true });
  await ensureSeeded(WS, { runs: RUNS, experiments: 10 });

  const runDir = fs.mkdtempSync(path.join(BENCH_CACHE, 'vscode-run-'));
  h.log(`run dir ${runDir}; .vsix ${vsix}`);
  if (!keep) h.onInterrupt(() => fs.rmSync(runDir, { recursive: true, force: true }));
  const userDataDir = path.join(runDir, 'ud');
  const extensionsDir = path.join(runDir, 'exts');
  h.writeUserSettings(userDataDir, { ...h.BASE_SETTINGS });
  h.installVsix(vsix, userDataDir, extensionsDir);
  const extDir = fs.readdirSync(extensionsDir).find((d) => d.startsWith('mltrack.mltrack-'));
  const exe = path.join(extensionsDir, extDir, 'server/mltrack');

  let browser = null;
  let cs = null;
  const windows = [];
  let alone = null;
  let error = null;
  try {
    cs = await h.startCodeServer({ runDir, userDataDir, extensionsDir });
    browser = await h.launchBrowser(runDir);
    await browser.context.addInitScript(pageProbe);
    const ctx = { page: browser.page, cs, userDataDir };

    // once: open the workspace and show the MLTrack container (warms the disk cache, and the workbench remembers it)
    const page = browser.page;
    await h.openWorkbench(page, cs.base, WS, 'train.py');
    await h.showActivity(page, 'MLTrack');
    await page.waitForFunction(() => window.__mltrackBench && window.__mltrackBench.expRows, null, { timeout: TIMEOUT });
    ctx.lastExthostPid = (findActivation(userDataDir, 0) || {}).exthostPid;
    h.log('primed: the Runs view showed the seeded runs once');

    // (B) new windows: Explorer showing; the MLTrack activity-bar item clicked once the extension is active.
    // (A) then reloads: the last window shows the MLTrack side bar, and a reload restores it.
    for (const mode of ['new', 'reload']) {
      for (let i = 0; i <= REPS; i++) {
        const label = `${mode}-${i === 0 ? 'warmup' : `rep${i}`}`;
        const r = await measureWindow(ctx, label, mode);
        r.warmup = i === 0;
        windows.push(r);
        h.log(`${label}: ${r.t0Is} → rows ${fmtMs(r.t0ToRows)} (activation ${r.activationEvent} → rows ${fmtMs(r.activationToRows)}), navigation → rows ${fmtMs(r.navToRows)}, `
          + `t0 → backend spawn ${fmtMs(r.t0ToBackendSpawn)}, initialize ${fmtMs(r.backendInitializeMs)}, backend ready → rows ${fmtMs(r.backendReadyToRows)}, `
          + `rows → run rows ${fmtMs(r.rowsToRunRows)}; CPU busy before ${Math.round(r.cpuBusyBefore * 100)}%, load ${r.load1Before}${r.previousBackendStillRunning ? `, ${r.previousBackendStillRunning} previous backend(s) still running` : ''}`);
        if (mode === 'reload') await h.sleep(2000); // let the previous extension host finish going away
      }
    }
  } catch (e) {
    error = e;
    h.log('FAILED', (e && e.stack) || e);
  } finally {
    if (browser) await browser.context.close().catch(() => {});
    if (cs) await cs.stop();
    h.killAllSync();
    h.copyLogs(userDataDir, path.join(runDir, 'logs-copy'));
  }
  try {
    alone = await backendAlone(exe, REPS);
  } catch (e) {
    h.log('backend-alone measurement failed', e.message);
  }
  if (!keep) fs.rmSync(runDir, { recursive: true, force: true }); else h.log(`kept ${runDir}`);

  const sel = (mode) => windows.filter((w) => w.mode === mode && !w.warmup);
  const A = sel('reload');
  const B = sel('new');
  if (error && !A.length && !B.length) throw error;
  const stat = (ws, k) => { const xs = ws.map((w) => w[k]).filter((x) => x !== null && x !== undefined); return { med: median(xs), max: xs.length ? max(xs) : NaN, n: xs.length }; };
  const events = (ws) => [...new Set(ws.map((w) => w.activationEvent))].join('/');
  const breakdown = (ws, t0) => `median: ${t0} → backend spawn ${fmtMs(stat(ws, 't0ToBackendSpawn').med)}; spawn → initialize answered ${fmtMs(stat(ws, 'backendInitializeMs').med)}; `
    + `initialized → first rows (experiments/list ∥ runs/list + tree render) ${fmtMs(stat(ws, 'backendReadyToRows').med)}; first rows → run rows of the auto-expanded experiment ${fmtMs(stat(ws, 'rowsToRunRows').med)}; `
    + `machine CPU busy in the 1 s before each window: median ${Math.round(stat(ws, 'cpuBusyBefore').med * 100)}% (2 cores shared with other work)`;
  const aloneNote = alone
    ? `backend alone (median of ${alone.reps}): spawn → initialize ${fmtMs(alone.median.spawnToInitialized)}, experiments/list ∥ runs/list(100) ${fmtMs(alone.median.rootLists)} cold / ${fmtMs(alone.median.rootListsWarm)} warm, `
      + `runs/list(experiment, 200) ${fmtMs(alone.median.runsListExp200)} (${Math.round(alone.bytes.runsExp200 / 1024)} KiB)`
    : 'backend-alone measurement failed';
  const t1Def = 't1 = first level-1 row with a run count ("exp-9 1000 runs") in the Runs view\'s DOM, by a MutationObserver in the page';
  const records = [];
  const n = RUNS.toLocaleString('en');
  if (A.length) {
    const a = stat(A, 't0ToRows');
    records.push({
      Suite: 'vscode',
      Name: `code-server: extension activation → Runs tree populated, ${n} runs (window reload with the MLTrack side bar; median of ${a.n}, max ${fmtS(a.max)})`,
      Display: fmtS(a.med), Target: '≤ 1.5 s', Met: a.med <= TARGET_MS, // medians, as in bench/README.md; the max is in the name
      Note: `t0 = extension host log "_doActivateExtension mltrack.mltrack" (activation event ${events(A)}); ${t1Def}; `
        + `"Developer: Reload Window" each time (fresh workbench and extension host), 1 warm-up. Navigation → rows median ${fmtS(stat(A, 'navToRows').med)}. ${breakdown(A, 'activation')}. ${aloneNote}`,
    });
  }
  if (B.length) {
    const b = stat(B, 't0ToRows');
    records.push({
      Suite: 'vscode',
      Name: `code-server: MLTrack activity-bar click → Runs tree populated, ${n} runs (new window, extension active; median of ${b.n}, max ${fmtS(b.max)})`,
      Display: fmtS(b.med), Target: '≤ 1.5 s', Met: b.med <= TARGET_MS,
      Note: `t0 = mousedown on the activity-bar item, 1 s after the extension activated (${events(B)}; the backend starts lazily, on this first need); ${t1Def}; `
        + `new page load each time after the previous extension host exited, 1 warm-up. ${breakdown(B, 'click')}`,
    });
  }
  if (A.length) {
    const a = stat(A, 'navToRows');
    records.push({
      Suite: 'vscode', Name: `code-server: window reload → Runs tree populated, ${n} runs (median of ${a.n}, max ${fmtS(a.max)})`,
      Display: fmtS(a.med), Target: '(none)', Met: true,
      Note: 'from the reloaded page\'s performance.timeOrigin (workbench load, extension host start, activation) to the same t1',
    });
  }
  fs.writeFileSync(path.join(OUT_DIR, 'results.json'), JSON.stringify(records, null, 2) + '\n');
  fs.writeFileSync(path.join(OUT_DIR, 'last-run.json'), JSON.stringify({
    at: new Date().toISOString(), machine: `${os.cpus().length} cores (${(os.cpus()[0] || {}).model || '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    vsix, workspace: WS, windows, backendAlone: alone, error: error ? String(error.message || error) : null,
  }, null, 2) + '\n');

  console.log('');
  console.log('| window | t0 | t0 → rows | activation event | activation → rows | navigation → rows | t0 → backend spawn | initialize | backend ready → rows | rows → run rows | CPU busy before |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const w of windows) {
    console.log(`| ${w.label} | ${w.t0Is} | ${fmtMs(w.t0ToRows)} | ${w.activationEvent} | ${fmtMs(w.activationToRows)} | ${fmtMs(w.navToRows)} | ${fmtMs(w.t0ToBackendSpawn)} | ${fmtMs(w.backendInitializeMs)} | ${fmtMs(w.backendReadyToRows)} | ${fmtMs(w.rowsToRunRows)} | ${Math.round(w.cpuBusyBefore * 100)}% |`);
  }
  console.log('');
  console.log('| benchmark | result | target | met |');
  console.log('|---|---|---|---|');
  for (const r of records) console.log(`| ${r.Name} | ${r.Display} | ${r.Target} | ${r.Met ? 'yes' : '**no**'} |`);
  console.log('');
  if (A.length) console.log(`reload: ${breakdown(A, 'activation')}`);
  if (B.length) console.log(`new window: ${breakdown(B, 'click')}`);
  console.log(aloneNote);
  console.log(`wrote ${path.relative(h.REPO, path.join(OUT_DIR, 'results.json'))} and ${path.relative(h.REPO, path.join(OUT_DIR, 'last-run.json'))}`);
  return error ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { console.error('FATAL', (e && e.stack) || e); h.killAllSync(); process.exit(2); });
