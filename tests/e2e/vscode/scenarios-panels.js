'use strict';
// The panels of the webviews app inside VS Code (issue 5): the Runs table and a metric chart open as webview panels,
// talk to the backend through the extension's bridge, and show the store's real data. The store is seeded through
// the backend's public REST API (its tracking server, found through <workspace>/.mltrack/server.json).
const fs = require('fs');
const path = require('path');
const h = require('./lib');
const { makeApi } = require('../browser/harness');

/** The first workbench window (a later scenario may have opened a second one). */
function mainPage(ctx) {
  const page = ctx.state.mainPage || ctx.context.pages()[0] || ctx.page;
  ctx.state.mainPage = page;
  ctx.page = page; // run.js screenshots ctx.page after the scenario
  return page;
}

/** The REST API of the extension's backend: waits for its server.json (the backend starts with the Runs view). */
async function backendApi(ctx, page) {
  const dir = path.join(ctx.ws, '.mltrack');
  const deadline = Date.now() + 45000;
  await h.showActivity(page, 'MLTrack').catch(() => {});
  for (;;) {
    try {
      const info = JSON.parse(fs.readFileSync(path.join(dir, 'server.json'), 'utf8'));
      const token = fs.readFileSync(path.join(dir, 'token'), 'utf8').trim();
      const r = await fetch(`${info.url}/health`);
      if (r.ok && token) return makeApi(info.url, token);
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`the backend's tracking server did not show up in ${dir}/server.json in 45 s`);
    await h.sleep(300);
  }
}

async function seed(ctx, page) {
  if (ctx.state.panels) return ctx.state.panels;
  const api = await backendApi(ctx, page);
  const exp = await api.createExperiment(`panels-e2e-${Date.now()}`);
  const loss = Array.from({ length: 300 }, (_, i) => 2 * Math.exp(-i / 60) + 0.05 * Math.sin(i / 5));
  const a = await api.seedRun({ experimentId: exp, name: 'panels-alpha', params: { lr: '0.1', optimizer: 'adam' }, tags: { team: 'e2e' }, metrics: { loss, acc: loss.map((v) => 1 - v / 2.1) } });
  const b = await api.seedRun({ experimentId: exp, name: 'panels-beta', params: { lr: '0.01', optimizer: 'sgd' }, metrics: { loss: loss.map((v) => v * 1.2) } });
  ctx.state.panels = { exp, a, b };
  return ctx.state.panels;
}

/**
 * Waits until the palette's command closed and an extension QuickPick (not ">command") offers `text`, then picks it.
 * Retries the fill: between two QuickPicks of one command the old widget hides and a new one shows, and a fill that
 * lands in that gap types into nothing.
 */
async function pick(page, text, timeout = 30000) {
  const deadline = Date.now() + timeout;
  const rowOf = () => page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  let lastError = '';
  while (Date.now() < deadline) {
    const ready = await page.waitForFunction(() => {
      const i = document.querySelector('.quick-input-widget input[type="text"]');
      return i && i.offsetParent !== null && !i.value.startsWith('>');
    }, null, { timeout: Math.max(1000, deadline - Date.now()) }).then(() => true, () => false);
    if (!ready) break;
    try {
      // Already offered (a short list shows every row): pick it without typing, which sometimes cannot reach the input.
      if (await rowOf().isVisible().catch(() => false)) {
        await rowOf().click({ timeout: 5000 });
        return;
      }
      await h.quickInput(page).fill(text, { timeout: 5000 });
      await rowOf().waitFor({ timeout: 5000 });
      await rowOf().click({ timeout: 5000 });
      return;
    } catch (e) {
      lastError = String(e && e.message ? e.message : e).split('\n')[0];
      await h.sleep(300);
    }
  }
  const rows = await page.locator('.quick-input-widget .monaco-list-row').allInnerTexts().catch(() => []);
  const title = await page.locator('.quick-input-widget .quick-input-title').allInnerTexts().catch(() => []);
  throw new Error(`"${text}" not offered in ${timeout / 1000} s (title: ${JSON.stringify(title)}; rows: ${JSON.stringify(rows.slice(0, 8))}; last: ${lastError})`);
}

/** Frames (webviews) holding a canvas with drawn pixels: [{frame, drawn, canvases, text}]. */
async function drawnCanvases(page) {
  const out = [];
  for (const f of page.frames()) {
    if (f === page.mainFrame()) continue;
    const r = await f.evaluate(() => {
      const cs = [...document.querySelectorAll('canvas')];
      let drawn = 0;
      for (const c of cs) {
        if (!c.width || !c.height) continue;
        try {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 3; i < d.length; i += 16) if (d[i] !== 0) drawn++;
        } catch { /* webgl or tainted */ }
      }
      return { canvases: cs.length, drawn, text: document.body ? document.body.innerText.replace(/\s+/g, ' ').slice(0, 300) : '' };
    }).catch(() => null);
    if (r && r.canvases) out.push({ frame: f, ...r });
  }
  return out;
}

const scenarios = [
  // the Runs table panel (palette: MLTrack: Open Runs Table) lists the seeded runs, with their params/metrics
  ['panels_runs_table', async (ctx) => {
    const page = mainPage(ctx);
    const s = await seed(ctx, page);
    await h.runCommand(page, 'MLTrack: Open Runs Table');
    await page.locator('.tabs-container .tab', { hasText: 'MLTrack Runs' }).first().waitFor({ timeout: 30000 });
    const { frame, text } = await h.findWebviewFrame(page, /panels-alpha[\s\S]*panels-beta|panels-beta[\s\S]*panels-alpha/, 45000);
    const rows = await frame.evaluate(() => {
      const els = [...document.querySelectorAll('[role="row"], tr, .row')];
      return els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()).filter((t) => /panels-(alpha|beta)/.test(t));
    });
    if (rows.length < 2) throw new Error(`the runs table does not show both runs as rows (rows: ${JSON.stringify(rows)}; text: ${text.slice(0, 300)})`);
    await h.screenshot(page, 'panels-runs-table');
    return { rows: rows.map((r) => r.slice(0, 120)), runIds: [s.a, s.b] };
  }],

  // MLTrack: Show Chart → a run → "loss": the charts panel draws the metric on a canvas
  ['panels_chart_canvas', async (ctx) => {
    const page = mainPage(ctx);
    await seed(ctx, page);
    const before = (await drawnCanvases(page)).length;
    await h.runCommand(page, 'MLTrack: Show Chart');
    await pick(page, 'panels-alpha');
    await pick(page, 'loss');
    await page.locator('.tabs-container .tab.active', { hasText: 'loss' }).first().waitFor({ timeout: 30000 });
    const deadline = Date.now() + 45000;
    let seen = [];
    while (Date.now() < deadline) {
      seen = await drawnCanvases(page);
      const hit = seen.find((c) => c.drawn > 200 && /loss/.test(c.text));
      if (hit) {
        await h.screenshot(page, 'panels-chart');
        return { drawnPixels: hit.drawn, canvases: hit.canvases, framesWithCanvasBefore: before, text: hit.text.slice(0, 200) };
      }
      await h.sleep(500);
    }
    throw new Error(`no webview with a drawn chart of "loss" in 45 s (frames with canvases: ${JSON.stringify(seen.map((c) => ({ canvases: c.canvases, drawn: c.drawn, text: c.text.slice(0, 120) })))})`);
  }],
];

module.exports = { scenarios, mainPage, backendApi, seed, pick };
