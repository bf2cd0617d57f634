'use strict';
// Issue 7 in VS Code: "MLTrack: Show Analytics" from the palette shows the store's headline totals; preferences
// changed in the user settings.json reach open panels live (no reload); "MLTrack: Generate Report…" goes through its
// progress notification to the Reports panel showing the new report's card. Runs are seeded through the backend's
// REST API (see scenarios-panels.js).
const fs = require('fs');
const path = require('path');
const h = require('./lib');
const { mainPage, backendApi, seed, pick } = require('./scenarios-panels');

const DAY = 86_400_000;
const M = '/api/2.0/mlflow';

/** Runs over the last week in their own experiment: three finished, one failed (their days differ). */
async function seedAnalytics(ctx, page) {
  if (ctx.state.analytics) return ctx.state.analytics;
  const api = await backendApi(ctx, page);
  const exp = await api.createExperiment(`analytics-e2e-${Date.now()}`);
  const now = Date.now();
  const loss = Array.from({ length: 50 }, (_, i) => 1 / (i + 1));
  const specs = [['an-a', 6, 'FINISHED'], ['an-b', 4, 'FINISHED'], ['an-c', 2, 'FAILED'], ['an-d', 1, 'FINISHED']];
  const runIds = [];
  for (const [name, daysAgo, status] of specs) {
    const startTime = now - daysAgo * DAY;
    runIds.push(await api.seedRun({ experimentId: exp, name, status, startTime, endTime: startTime + 30 * 60_000, metrics: { loss } }));
  }
  ctx.state.analytics = { api, exp, runIds };
  return ctx.state.analytics;
}

/** What the analytics panel's default range (last 30 days) must count: the store's active runs started in it. */
async function expectedTotals(api) {
  const exps = (await api.post(`${M}/experiments/search`, { max_results: 1000 })).experiments || [];
  const ids = exps.map((e) => e.experiment_id);
  const runs = [];
  let token;
  do {
    const r = await api.post(`${M}/runs/search`, { experiment_ids: ids, max_results: 1000, ...(token ? { page_token: token } : {}) });
    runs.push(...(r.runs || []));
    token = r.next_page_token;
  } while (token);
  const from = Date.now() - 30 * DAY;
  const inRange = runs.filter((r) => Number(r.info.start_time) >= from);
  return {
    runsStarted: inRange.length,
    // a crashed run (its launcher died) counts as failed
    runsFailed: inRange.filter((r) => r.info.status === 'FAILED' || r.info.status === 'CRASHED').length,
    experiments: new Set(inRange.map((r) => r.info.experiment_id)).size,
  };
}

/** The first webview frame where `selector` matches (polls); {frame}. */
async function frameWith(page, selector, timeout = 30000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      if (f === page.mainFrame()) continue;
      const n = await f.evaluate((s) => document.querySelectorAll(s).length, selector).catch(() => 0);
      if (n > 0) return f;
    }
    await h.sleep(300);
  }
  throw new Error(`no webview with ${selector} in ${timeout / 1000} s`);
}

/** Polls `fn` (async) until it returns a truthy value; throws `what` with the last value after `timeout`. */
async function until(fn, what, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await fn().catch((e) => `error: ${e.message}`);
    if (last && !(typeof last === 'string' && last.startsWith('error: '))) return last;
    await h.sleep(250);
  }
  throw new Error(`${what} not seen in ${timeout / 1000} s (last: ${JSON.stringify(last)})`);
}

/**
 * Runs a palette command. When F1 opens no palette (the key went to a webview that kept focus), focus goes back to
 * the workbench (the side bar's title) and the command is tried again.
 */
async function command(page, label) {
  try {
    await h.runCommand(page, label, { timeout: 8000 });
  } catch (e) {
    h.log(`palette: "${label}" failed once (${e.message.split('\n')[0].slice(0, 120)}); retrying from the side bar`);
    await page.keyboard.press('Escape').catch(() => {});
    await page.locator('.part.sidebar .composite.title').first().click().catch(() => {});
    await h.runCommand(page, label);
  }
}

// ---- user settings ----------------------------------------------------------------------------------------------
// Edited as a user does, in VS Code's own settings.json editor (code-server does not pick up a write to the file from
// outside in useful time). This VS Code opens it as a modal editor over the workbench, so the panel under test stays
// visible: a hidden webview would be discarded (retainContextWhenHidden is off) and come back reloaded.

const userSettingsFile = (ctx) => path.join(ctx.userDataDir, 'User', 'settings.json');

function readUserSettings(ctx) {
  const text = fs.readFileSync(userSettingsFile(ctx), 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    // JSONC: drop line comments and trailing commas
    return JSON.parse(text.replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1'));
  }
}

/** Sets (or, with undefined, removes) user settings through the settings.json editor, then closes it. */
async function editUserSettings(ctx, page, change) {
  const s = readUserSettings(ctx);
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) delete s[k];
    else s[k] = v;
  }
  const text = JSON.stringify(s);
  await command(page, 'Preferences: Open User Settings (JSON)');
  // the editor of this file (a modal editor over the workbench in this VS Code; a tab in others)
  const editor = page.locator('.monaco-editor', { has: page.locator('.view-line', { hasText: 'workbench.startupEditor' }) }).last();
  await editor.waitFor({ timeout: 20000 });
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  // the editor may have auto-closed a bracket or quote after the cursor: drop whatever follows the text
  await page.keyboard.press('Shift+Control+End');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Control+S');
  await until(async () => {
    const now = readUserSettings(ctx);
    return Object.entries(change).every(([k, v]) => JSON.stringify(now[k]) === JSON.stringify(v)) ? true : null;
  }, 'settings.json saved', 15000);
  const closeModal = page.locator('.modal-editor-part .action-label.codicon-close');
  if (await closeModal.count()) await closeModal.first().click();
  else await page.keyboard.press('Control+W');
  await editor.waitFor({ state: 'hidden', timeout: 10000 });
}

/** Records every notification text shown from now on (progress toasts can be shorter than a poll interval). */
async function recordNotifications(page) {
  await page.evaluate(() => {
    const seen = (window.__e2eNotes = []);
    const grab = () => {
      for (const el of document.querySelectorAll('.notification-list-item-message')) {
        const t = el.textContent.trim();
        if (t && !seen.includes(t)) seen.push(t);
      }
    };
    if (window.__e2eNotesObserver) window.__e2eNotesObserver.disconnect();
    window.__e2eNotesObserver = new MutationObserver(grab);
    window.__e2eNotesObserver.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  return () => page.evaluate(() => window.__e2eNotes || []);
}

/** Marks a webview page (a reload would lose the mark) and records the types of the messages it gets from the host. */
async function listenForMessages(frame) {
  await frame.evaluate(() => {
    window.__e2eNotReloaded = true;
    window.__e2eMessages = [];
    window.addEventListener('message', (ev) => window.__e2eMessages.push(ev.data && ev.data.type));
  });
}

const messagesSeen = (frame) => frame.evaluate(() => `messages the page got: ${JSON.stringify((window.__e2eMessages || []).slice(-10))}`).catch((e) => e.message);

const scenarios = [
  // palette → MLTrack: Show Analytics → the analytics panel shows the store's totals over its default range
  ['analytics_palette_headline_totals', async (ctx) => {
    const page = mainPage(ctx);
    const { api } = await seedAnalytics(ctx, page);
    const want = await expectedTotals(api);
    await command(page, 'MLTrack: Show Analytics');
    await page.locator('.tabs-container .tab.active', { hasText: 'MLTrack Analytics' }).first().waitFor({ timeout: 30000 });
    const frame = await frameWith(page, '[data-total]', 45000);
    const totals = await until(async () => {
      const t = await frame.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-total]')]
        .map((e) => [e.getAttribute('data-total'), (e.querySelector('.mt-an-total-value') || e).textContent.replace(/[^\d.]/g, '')])));
      return Number(t.runsStarted) === want.runsStarted ? t : null;
    }, `runs started = ${want.runsStarted} in the analytics headline`, 30000).catch(async (e) => {
      const text = await frame.evaluate(() => document.body.innerText.replace(/\s+/g, ' ').slice(0, 400)).catch(() => '');
      throw new Error(`${e.message}; panel text: ${text}`);
    });
    if (Number(totals.runsFailed) !== want.runsFailed) throw new Error(`failed runs shown ${totals.runsFailed}, expected ${want.runsFailed}`);
    if (Number(totals.experiments) !== want.experiments) throw new Error(`experiments shown ${totals.experiments}, expected ${want.experiments}`);
    // the four seeded runs alone took two hours
    if (!(Number(totals.computeHours) >= 2)) throw new Error(`compute hours shown ${totals.computeHours}, expected at least 2`);
    await h.screenshot(page, 'analytics-panel');
    return { shown: totals, expected: want };
  }],

  // an open chart panel follows mltrack.chart.xAxis and an open runs table follows mltrack.table.density, changed in
  // the user settings.json, without reloading the page
  ['preferences_settings_json_live', async (ctx) => {
    const page = mainPage(ctx);
    await seed(ctx, page);
    const before = readUserSettings(ctx);
    try {
      // the runs table: rows at the density's height
      await command(page, 'MLTrack: Open Runs Table');
      await page.locator('.tabs-container .tab.active', { hasText: 'MLTrack Runs' }).first().waitFor({ timeout: 30000 });
      const table = await frameWith(page, '.mt-rt-row:not(.mt-rt-group)', 45000);
      const rowHeight = () => table.evaluate(() => Math.round(document.querySelector('.mt-rt-row:not(.mt-rt-group)').getBoundingClientRect().height));
      const normal = await rowHeight();
      await listenForMessages(table);
      await editUserSettings(ctx, page, { 'mltrack.table.density': 'compact' });
      const compact = await until(async () => { const px = await rowHeight(); return px < normal ? px : null; }, 'compact rows in the runs table')
        .catch(async (e) => { throw new Error(`${e.message}; ${await messagesSeen(table)}`); });
      if (!(await table.evaluate(() => window.__e2eNotReloaded === true))) throw new Error('the runs table page was reloaded');
      await h.screenshot(page, 'preferences-density');

      // a chart: its x-axis picker follows the setting
      await command(page, 'MLTrack: Show Chart');
      await pick(page, 'panels-alpha');
      await pick(page, 'loss');
      await page.locator('.tabs-container .tab.active', { hasText: 'loss' }).first().waitFor({ timeout: 30000 });
      const chart = await frameWith(page, 'select.mt-x-axis', 45000);
      const xAxis = () => chart.evaluate(() => document.querySelector('select.mt-x-axis').value);
      const xBefore = await xAxis();
      const target = xBefore === 'wall' ? 'relative' : 'wall';
      await listenForMessages(chart);
      await editUserSettings(ctx, page, { 'mltrack.chart.xAxis': target });
      await until(async () => ((await xAxis()) === target ? true : null), `x axis "${target}" in the chart panel`)
        .catch(async (e) => { throw new Error(`${e.message}; ${await messagesSeen(chart)}`); });
      if (!(await chart.evaluate(() => window.__e2eNotReloaded === true))) throw new Error('the chart page was reloaded');
      await h.screenshot(page, 'preferences-x-axis');
      return { rowPx: { normal, compact }, xAxis: { before: xBefore, after: target } };
    } finally {
      await editUserSettings(ctx, page, { 'mltrack.table.density': before['mltrack.table.density'], 'mltrack.chart.xAxis': before['mltrack.chart.xAxis'] })
        .catch((e) => h.log('could not restore the user settings', e.message));
    }
  }],

  // palette → MLTrack: Generate Report… → type, range → a progress notification → the Reports panel shows and
  // previews the new report's card
  ['report_generate_progress_card', async (ctx) => {
    const page = mainPage(ctx);
    await seedAnalytics(ctx, page);
    const notes = await recordNotifications(page);
    await command(page, 'MLTrack: Generate Report…');
    await pick(page, 'Technical report');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: '2/2' }).first().waitFor({ timeout: 15000 });
    await pick(page, 'Last 30 days');
    await page.locator('.tabs-container .tab.active', { hasText: 'MLTrack Reports' }).first().waitFor({ timeout: 60000 });
    const progress = (await notes()).find((t) => /generating the technical report/i.test(t));
    if (!progress) throw new Error(`no progress notification while generating (seen: ${JSON.stringify(await notes())})`);
    const frame = await frameWith(page, '.rep-card.rep-selected[data-id]', 45000);
    const card = await frame.evaluate(() => {
      const c = document.querySelector('.rep-card.rep-selected[data-id]');
      return { id: c.getAttribute('data-id'), type: c.getAttribute('data-type'), text: c.innerText.replace(/\s+/g, ' ').trim() };
    });
    if (card.type !== 'technical') throw new Error(`the selected card is a ${card.type} report: ${card.text}`);
    const previewed = await until(
      () => frame.evaluate(() => (document.querySelector('article.mt-report[data-report-id]') || {}).getAttribute?.('data-report-id') || null),
      'the report preview', 30000);
    if (previewed !== card.id) throw new Error(`the preview shows report ${previewed}, the new card is ${card.id}`);
    await h.screenshot(page, 'report-generated');
    ctx.state.report = card;
    return { progress, card };
  }],

  // the Reports panel's "Export HTML" → the save dialog proposes <type>-<from>-<to>.html → the backend writes the
  // report where the user chose → a notification names the file
  ['report_export_save_dialog', async (ctx) => {
    const page = mainPage(ctx);
    if (!ctx.state.report) throw new Error('needs the report of report_generate_progress_card');
    await command(page, 'MLTrack: Show Reports');
    const frame = await frameWith(page, `.rep-card.rep-selected[data-id="${ctx.state.report.id}"]`, 30000);
    await frame.locator('button.rep-export-html').click();
    // code-server's save dialog is the simple file dialog: a quick input holding the proposed path
    const input = h.quickInput(page);
    await input.waitFor({ state: 'visible', timeout: 20000 });
    const proposed = await until(async () => { const v = await input.inputValue(); return /\.html$/.test(v) ? v : null; }, 'the proposed file name', 10000);
    if (!/\/technical-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.html$/.test(proposed)) throw new Error(`the save dialog proposes ${proposed}`);
    const target = path.join(ctx.runDir, 'exported-report.html');
    await input.fill(target);
    // the dialog checks the typed path as it changes; OK before that is ignored, so press it until the dialog closes
    await until(async () => {
      if (!(await input.isVisible())) return true;
      await page.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ }).first().click({ timeout: 2000 }).catch(() => {});
      await h.sleep(500);
      return !(await input.isVisible());
    }, 'the save dialog accepting the path', 15000);
    const note = await h.waitForNotification(page, /exported .* to .*exported-report\.html/, 30000);
    const html = await until(async () => (fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null), `${target} written`, 10000);
    if (!/<html[\s>]/i.test(html) || !html.includes('Technical report')) throw new Error(`${target} is not the report: ${html.slice(0, 200)}`);
    await h.screenshot(page, 'report-exported');
    return { proposed: path.basename(proposed), note, bytes: html.length };
  }],
];

// frameWith, until and command are shared with scenarios-activity-production.js
module.exports = { scenarios, frameWith, until, command };
