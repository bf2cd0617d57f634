'use strict';
// The MLTrack end-to-end scenarios (issue 4), run in code-server with the packaged .vsix installed.
// Each scenario is an async function of the shared context; run.js takes a screenshot after each one.
const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const h = require('./lib');

// A second script in the workspace that logs metrics by name; it is never run: the suite hovers its names.
const METRICS_SCRIPT = `"""Hovered by the e2e suite: MLTrack shows a metric's latest value over its name. Not run."""
from mltrack import log_metric


def report(step, loss, acc):
    log_metric("loss", loss, step=step)
    log_metric("acc", acc, step=step)
`;

const workspaceFiles = { 'report_metrics.py': METRICS_SCRIPT };

const reEscape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// A run row shows its status as a codicon (format.ts statusIcon: check, sync~spin, error, circle-slash, warning).
const STATUS_ICON = /\bcodicon-(check|pass|pass-filled|sync|loading|error|circle-slash|warning|circle-outline)\b/;
const isFinished = (r) => /\bFINISHED\b/.test(`${r.text} ${r.aria} ${r.title}`) || r.icons.some((c) => /\bcodicon-(check|pass|pass-filled)\b/.test(c));
const isRunning = (r) => /\bRUNNING\b|\brunning\b/.test(`${r.text} ${r.aria}`) || r.icons.some((c) => /\bcodicon-(sync|loading)\b/.test(c));
// runs sit under their experiment (level 2); root-level rows are experiments or messages ("Could not load runs")
const isRunRow = (r) => r.level >= 2 && (r.icons.some((c) => STATUS_ICON.test(c)) || /\b(FINISHED|RUNNING|FAILED|CRASHED|KILLED)\b/.test(`${r.text} ${r.aria}`));

/** Rows of the Runs view, with the codicon classes of each row (run status is shown as an icon). */
async function runRows(page) {
  return h.pane(page, 'Runs').locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => ({
    text: r.innerText.replace(/\s+/g, ' ').trim(),
    label: ((r.querySelector('.label-name') || {}).innerText || '').trim(),
    aria: r.getAttribute('aria-label') || '',
    title: (r.querySelector('.label-name') && (r.querySelector('.label-name').getAttribute('title') || '')) || '',
    expanded: r.getAttribute('aria-expanded'),
    level: Number(r.getAttribute('aria-level') || 0),
    icons: [...r.querySelectorAll('.codicon, .custom-view-tree-node-item-icon')].map((e) => e.className),
  }))).catch(() => []);
}

async function waitForRun(page, pred, what, timeout) {
  const deadline = Date.now() + timeout;
  let rows = [];
  while (Date.now() < deadline) {
    await h.expandTreeRows(page, 'Runs', 1); // experiments only, not the runs
    rows = await runRows(page);
    const hit = rows.find(pred);
    if (hit) return hit;
    await h.sleep(500);
  }
  throw new Error(`${what} not seen in the MLTrack Runs view in ${timeout / 1000} s; rows: ${JSON.stringify(rows.map((r) => `${r.text} {aria: ${r.aria}; icons: ${r.icons.join(' ').replace(/\s+/g, ' ').slice(0, 120)}}`))}`);
}

/** The training script's final `loss=` value, computed by running it once outside VS Code (deterministic, seed 0). */
function expectedFinalLoss(ws) {
  const r = cp.spawnSync('/usr/bin/python3', ['train.py'], { cwd: ws, encoding: 'utf8', timeout: 120000 });
  const m = [...(r.stdout || '').matchAll(/\bloss=([0-9.]+)/g)];
  return m.length ? Number(m[m.length - 1][1]) : null;
}

/** The backend bundled in the installed extension, to read the store independently (diagnostics only). */
function storeRuns(ctx) {
  try {
    const ext = fs.readdirSync(ctx.extensionsDir).find((d) => d.startsWith('mltrack.mltrack-'));
    const exe = ext && path.join(ctx.extensionsDir, ext, 'server/mltrack');
    if (!exe || !fs.existsSync(exe)) return null;
    const r = cp.spawnSync(exe, ['runs', '--json'], { cwd: ctx.ws, encoding: 'utf8', timeout: 20000 });
    return r.status === 0 ? JSON.parse(r.stdout).runs : null;
  } catch { return null; }
}

async function prepare(ctx) {
  const t = Date.now();
  ctx.state.expectedLoss = expectedFinalLoss(ctx.ws);
  h.log(`train.py's final loss=${ctx.state.expectedLoss} (computed in ${Date.now() - t} ms)`);
  // the training run above must leave no trace in the workspace
  fs.rmSync(path.join(ctx.ws, '.mltrack'), { recursive: true, force: true });
}

const scenarios = [
  // (1) the MLTrack activity-bar view shows, with its Runs tree
  ['activity_bar_view', async ({ page }) => {
    await h.showActivity(page, 'MLTrack');
    await h.expandPane(page, 'Runs');
    const titles = await page.locator('.part.sidebar .pane-header h3.title').allInnerTexts();
    // the backend answered: the "No runs yet" welcome (shown once mltrack.backendReady) or rows that are not an error
    const errorRow = /^(Could not load runs|MLTrack backend unavailable)/;
    const deadline = Date.now() + 30000;
    let rows = [];
    let welcome = false;
    while (Date.now() < deadline) {
      welcome = await h.pane(page, 'Runs').locator('.welcome-view-content', { hasText: 'No runs yet' }).isVisible().catch(() => false);
      rows = await runRows(page);
      if (welcome || (rows.length && !rows.some((r) => errorRow.test(r.text)))) break;
      await h.sleep(500);
    }
    if (!welcome && !(rows.length && !rows.some((r) => errorRow.test(r.text)))) {
      throw new Error(`Runs view shows neither the "No runs yet" welcome nor runs in 30 s; views: ${JSON.stringify(titles)}; rows: ${JSON.stringify(rows.map((r) => r.text))}`);
    }
    return { views: titles, welcome, rows: rows.map((r) => r.text) };
  }],

  // (2) ▶ Track above `if __name__ == "__main__":` -> the run shows in the Runs tree and reaches FINISHED
  ['track_codelens_run_finishes', async (ctx) => {
    const { page } = ctx;
    await h.openFile(page, 'train.py');
    // scroll to the end, where `if __name__ == "__main__":` is, so its lens is rendered
    await page.keyboard.press('Control+End');
    await page.locator('.monaco-editor .view-line', { hasText: '__name__' }).first().waitFor({ timeout: 20000 });
    await page.locator('.monaco-editor .codelens-decoration', { hasText: 'Track' }).first().waitFor({ timeout: 30000 }).catch(() => {});
    const lensesBefore = await h.codeLensTexts(page);
    const t = Date.now();
    await h.clickCodeLens(page, /Track/);
    await h.screenshot(page, '02a-track-clicked');
    await h.showActivity(page, 'MLTrack');
    const first = await waitForRun(page, isRunRow, 'a run of train.py', 30000);
    const appearedMs = Date.now() - t;
    await h.screenshot(page, '02b-run-in-tree');
    const done = await waitForRun(page, (r) => isRunRow(r) && isFinished(r), 'a FINISHED run', 60000);
    ctx.state.runLabel = done.label || done.aria.split(',')[0].trim();
    ctx.state.runRow = done;
    // the `⟳ Last run` lens is a bonus check, reported but not required here
    await h.openFile(page, 'train.py');
    await page.keyboard.press('Control+End');
    const lastRunLens = await page.locator('.monaco-editor .codelens-decoration', { hasText: 'Last run' }).first()
      .innerText({ timeout: 10000 }).catch(() => null);
    const store = storeRuns(ctx);
    if (store && store[0]) { ctx.state.runId = store[0].run_id; ctx.state.runName = store[0].name; }
    return { lensesBefore, appearedMs, finishedMs: Date.now() - t, row: done.text, rowAria: done.aria, firstSeen: first.text, lastRunLens,
      store: store && store.map((r) => ({ id: r.run_id, name: r.name, status: r.status, loss: r.metrics && r.metrics.loss && r.metrics.loss.latest })) };
  }],

  // (3) hover "loss" in a second script's log_metric("loss", ...) -> the latest value from the run of (2)
  ['metric_hover_latest_value', async (ctx) => {
    const { page } = ctx;
    await h.openFile(page, 'report_metrics.py');
    const text = await h.hoverWord(page, 'log_metric("loss"', 'loss', { expect: /\d\.\d/, timeout: 30000 });
    const want = ctx.state.expectedLoss;
    const nums = (text.match(/-?\d+\.\d+(e-?\d+)?/g) || []).map(Number);
    if (want == null) throw new Error(`could not compute train.py's final loss; hover: ${JSON.stringify(text)}`);
    if (!nums.some((n) => Math.abs(n - want) < 0.0011)) throw new Error(`hover does not show the latest loss ${want}: ${JSON.stringify(text)}`);
    const sid = text.match(/`?\b([0-9a-f]{8})\b`?/);
    if (sid && !ctx.state.runId) ctx.state.shortId = sid[1];
    await h.screenshot(page, '03a-hover');
    await page.mouse.move(5, 5);
    return { hover: text, expectedLoss: want };
  }],

  // (4) palette -> MLTrack: Search, type part of the run name / "loss", Enter -> the run panel (a webview) opens
  ['search_palette_opens_run', async (ctx) => {
    const { page } = ctx;
    const name = ctx.state.runName || ctx.state.runLabel || 'train';
    // part of the run name (a prefix: the search is typo-tolerant prefix match), or the metric name
    const query = name.length >= 4 ? name.slice(0, Math.min(name.length - 1, 8)) : 'loss';
    await h.runCommand(page, 'MLTrack: Search');
    const input = h.quickInput(page);
    // the palette closes and the extension's QuickPick opens: wait for an input not holding the ">command" text
    await page.waitForFunction(() => {
      const i = document.querySelector('.quick-input-widget input[type="text"]');
      return i && i.offsetParent !== null && !i.value.startsWith('>');
    }, null, { timeout: 30000 });
    await input.fill(query);
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    const runHit = rows.filter({ hasText: new RegExp(reEscape(name), 'i') });
    await rows.first().waitFor({ timeout: 30000 }).catch(() => { throw new Error(`no search hits for "${query}"`); });
    await runHit.first().waitFor({ timeout: 15000 }).catch(() => {});
    await h.sleep(600); // debounced query: let the last answer land
    const hits = (await rows.allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
    await h.screenshot(page, '04a-search-hits');
    const focused = (await page.locator('.quick-input-widget .monaco-list-row.focused').allInnerTexts().catch(() => []))[0] || '';
    if (new RegExp(reEscape(name), 'i').test(focused) || !(await runHit.count())) await page.keyboard.press('Enter');
    else await runHit.first().click();
    // the run panel must name this run: its id when known (from the store or the hover), else its name
    const ids = [ctx.state.runId, ctx.state.runId && ctx.state.runId.slice(0, 8), ctx.state.shortId].filter(Boolean);
    const want = (ids.length ? ids : [name]).map(reEscape);
    const { text } = await h.findWebviewFrame(page, new RegExp(want.join('|')), 30000);
    const tab = await page.locator('.tabs-container .tab.active').innerText().catch(() => '');
    return { query, hits: hits.slice(0, 6), activeTab: tab, webview: text.replace(/\s+/g, ' ').slice(0, 300) };
  }],

  // (5) a clear error when mltrack.backendPath points at a missing file (second user-data dir, same extensions)
  ['missing_backend_clear_error', async (ctx) => {
    const missing = path.join(ctx.runDir, 'no-such-dir/mltrack');
    ctx.userDataDir2 = path.join(ctx.runDir, 'ud2');
    h.writeUserSettings(ctx.userDataDir2, { ...h.BASE_SETTINGS, 'mltrack.backendPath': missing });
    const ws2 = h.makeWorkspace(path.join(ctx.runDir, 'ws2'));
    const cs2 = await h.startCodeServer({ runDir: ctx.runDir, userDataDir: ctx.userDataDir2, extensionsDir: ctx.extensionsDir, logName: 'code-server-2' });
    ctx.servers.push(cs2);
    const page = await ctx.context.newPage();
    ctx.page = page; // the screenshot after this scenario is of this window
    await h.openWorkbench(page, cs2.base, ws2, 'train.py');
    await h.showActivity(page, 'MLTrack').catch(() => {}); // the tree asks the backend for runs
    const msg = await h.waitForNotification(page, /mltrack\.backendPath/, 30000);
    if (!msg.includes(missing) && !/not found|missing|does not exist/i.test(msg)) throw new Error(`error does not say what is wrong: ${JSON.stringify(msg)}`);
    return { notification: msg };
  }],
];

module.exports = { scenarios, workspaceFiles, prepare };
