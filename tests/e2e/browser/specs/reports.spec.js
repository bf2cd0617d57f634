'use strict';
// Reports panel in the browser UI, against a store seeded through the REST API: generate an executive report from
// the panel (its card, its preview with the report's headings and chart images under the page's CSP), export it as a
// download, a reversed custom range refused with the backend's reason, the date filter, args {reportId}, delete.
const fs = require('fs');
const { localDate, localDayStart, localTimeZone } = require('../harness');

const DAY = 86400_000;

/** "YYYY-MM-DD" of ms in a time zone (as the cards show dates). */
function day(ms, timeZone) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms));
  const get = (t) => parts.find((p) => p.type === t).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The text of the report's h1/h2 headings, from its HTML. */
function headings(html) {
  const body = html.slice(html.search(/<body\b/i));
  return [...body.matchAll(/<h([12])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi)].map((m) => m[2].replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim());
}

const state = {};

module.exports = [
  {
    name: 'reports: generate an executive report from the panel, its card and preview',
    timeout: 120000,
    async run(ctx) {
      const { page, assert, screenshot, consoleErrors, ui } = ctx;
      const api = ui.api;
      const exp = await api.createExperiment('reports-e2e');
      const now = Date.now();
      for (let i = 0; i < 6; i++) {
        await api.seedRun({
          experimentId: exp, name: `run-${i}`, params: { lr: String(0.1 / (i + 1)) },
          metrics: { loss: [1, 0.6 - i * 0.05, 0.4 - i * 0.04], accuracy: [0.5, 0.7 + i * 0.02, 0.8 + i * 0.02] },
          status: i === 4 ? 'FAILED' : 'FINISHED', startTime: now - (i + 1) * DAY, endTime: now - (i + 1) * DAY + (20 + i) * 60_000,
        });
      }
      await ctx.openPanel('reports');
      await page.locator('.rep-empty').waitFor({ timeout: 10000 });
      await page.selectOption('.rep-gen-type', 'executive');
      await page.selectOption('.rep-gen-preset', '30d');
      // hold the answer of reports/generate a moment to see the progress state
      let release;
      const held = new Promise((r) => { release = r; });
      await page.route('**/rpc', async (route) => {
        if (JSON.parse(route.request().postData() || '{}').method === 'reports/generate') await held;
        await route.continue();
      });
      await page.click('button.rep-generate');
      const button = page.locator('button.rep-generate');
      await page.waitForFunction(() => document.querySelector('button.rep-generate')?.textContent === 'Generating…', null, { timeout: 5000 });
      assert.equal(await button.isDisabled(), true, 'Generate is disabled while generating');
      release();
      const card = page.locator('.rep-card.rep-selected');
      await card.waitFor({ timeout: 60000 });
      const reportId = await card.getAttribute('data-id');
      await page.unroute('**/rpc');
      await page.waitForFunction(() => document.querySelector('button.rep-generate')?.textContent === 'Generate', null, { timeout: 5000 });
      assert.equal(await button.isDisabled(), false);
      const list = await api.rpc('reports/list', {});
      const info = list.find((r) => r.reportId === reportId);
      assert.ok(info, 'the selected card is a stored report');
      assert.equal(info.type, 'executive');
      state.executive = info;

      // the card: type, title, range, created, size, insights
      const text = await card.innerText();
      assert.match(text, /executive summary/i);
      assert.ok(text.includes(info.title), `card shows the title ${info.title}`);
      const last = day(Math.max(info.from, info.to - 1), info.timeZone);
      assert.ok(text.includes(`${day(info.from, info.timeZone)} – ${last}`), `card shows the range: ${text}`);
      assert.match(text, /Created \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      assert.ok(text.includes(`${(info.sizeBytes / 1024).toFixed(1)} KB`), `card shows the size: ${text}`);
      assert.match(text, info.insights === 0 ? /no insights/ : new RegExp(`\\b${info.insights} insights?\\b`));

      // the preview: the report's headings, its charts as images that decoded, nothing inline left
      const report = page.locator(`.mt-report[data-report-id="${reportId}"]`);
      await report.waitFor({ timeout: 15000 });
      const html = (await api.rpc('reports/content', { reportId, format: 'html' })).content;
      const expected = headings(html);
      assert.ok(expected.length >= 2, `the report has headings: ${JSON.stringify(expected)}`);
      const shown = await page.$$eval('.mt-report h1, .mt-report h2', (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
      assert.deepEqual(shown, expected);
      await page.waitForFunction(() => {
        const imgs = [...document.querySelectorAll('.mt-report img.mt-report-chart')];
        return imgs.length > 0 && imgs.every((i) => i.complete);
      }, null, { timeout: 10000 });
      const charts = await page.$$eval('.mt-report img.mt-report-chart', (imgs) => imgs.map((i) => ({ w: i.naturalWidth, h: i.naturalHeight, src: i.src.slice(0, 26) })));
      assert.ok(charts.length >= 1, 'at least one chart');
      for (const c of charts) {
        assert.equal(c.src, 'data:image/svg+xml;base64,');
        assert.ok(c.w > 0 && c.h > 0, `a chart image decoded: ${JSON.stringify(c)}`);
      }
      assert.equal(await page.locator('.mt-report svg, .mt-report style, .mt-report script, .mt-report [style]').count(), 0);
      await screenshot('reports-executive');
      await ctx.setTheme('dark');
      await screenshot('reports-executive-dark');
      assert.deepEqual(consoleErrors, [], 'no CSP violation or error while showing the report');
    },
  },
  {
    name: 'reports: export in the browser downloads the report as a file',
    async run(ctx) {
      const { page, assert, consoleErrors, ui } = ctx;
      const info = state.executive;
      assert.ok(info, 'the first spec generated a report');
      await ctx.openPanel('reports', { reportId: info.reportId });
      await page.locator(`.mt-report[data-report-id="${info.reportId}"]`).waitFor({ timeout: 15000 });
      const name = `executive-${day(info.from, info.timeZone)}-${day(Math.max(info.from, info.to - 1), info.timeZone)}`;
      for (const format of ['md', 'html']) {
        const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), page.click(`.rep-export-${format}`)]);
        assert.equal(dl.suggestedFilename(), `${name}.${format}`);
        const content = fs.readFileSync(await dl.path(), 'utf8');
        const stored = (await ui.api.rpc('reports/content', { reportId: info.reportId, format })).content;
        assert.equal(content, stored, `the ${format} download is the report`);
        if (format === 'md') assert.ok(content.startsWith(`# ${info.title}`), `the Markdown starts with the title: ${JSON.stringify(content.slice(0, 80))}`);
        else assert.ok(content.includes(info.title), 'the HTML holds the title');
      }
      assert.deepEqual(consoleErrors, []);
    },
  },
  {
    name: 'reports: a custom range with from after to is refused with the backend reason',
    async run(ctx) {
      const { page, assert, consoleErrors, screenshot, ui } = ctx;
      await ctx.openPanel('reports');
      await page.locator('.rep-card').first().waitFor({ timeout: 10000 });
      const cards = await page.locator('.rep-card').count();
      // from today to three days ago
      const fromMs = localDayStart(0), toMs = localDayStart(-3);
      await page.selectOption('.rep-gen-type', 'executive');
      await page.selectOption('.rep-gen-preset', 'custom');
      await page.fill('.rep-gen-from', localDate(fromMs));
      await page.fill('.rep-gen-to', localDate(toMs));
      await page.click('button.rep-generate');
      const box = page.locator('.rep-gen-error .mt-error-box');
      await box.waitFor({ timeout: 15000 });
      const raw = await ui.api.rpcRaw('reports/generate', { type: 'executive', from: fromMs, to: toMs, timeZone: localTimeZone() });
      assert.ok(raw.body.error, `the backend refuses from > to: ${JSON.stringify(raw.body)}`);
      assert.equal((await box.innerText()).trim(), raw.body.error.message);
      assert.equal(await page.locator('.rep-card').count(), cards, 'no card was added');
      assert.equal(await page.locator('button.rep-generate').isDisabled(), false);
      await screenshot('reports-from-after-to');
      // the refused POST /rpc is logged by Chromium as a failed resource; nothing else may be
      assert.deepEqual(consoleErrors.filter((e) => !/status of 4\d\d/.test(e)), []);
    },
  },
  {
    name: 'reports: the date filter hides a report outside the range',
    async run(ctx) {
      const { page, assert, consoleErrors, screenshot, ui, waitForRpc } = ctx;
      const old = await ui.api.rpc('reports/generate', {
        type: 'technical', from: new Date(2020, 0, 1).getTime(), to: new Date(2020, 1, 1).getTime(),
        timeZone: localTimeZone(),
      });
      state.old = old;
      await ctx.openPanel('reports', { reportId: old.reportId });
      // args {reportId}: that report is selected and previewed
      await page.locator(`.rep-card.rep-selected[data-id="${old.reportId}"]`).waitFor({ timeout: 10000 });
      await page.locator(`.mt-report[data-report-id="${old.reportId}"]`).waitFor({ timeout: 15000 });
      const recent = page.locator(`.rep-card[data-id="${state.executive.reportId}"]`);
      const stale = page.locator(`.rep-card[data-id="${old.reportId}"]`);
      assert.equal(await recent.count(), 1);
      const weekAgo = localDate(Date.now() - 7 * DAY);
      let listed = waitForRpc('reports/list', (p) => p && typeof p.from === 'number');
      await page.fill('.rep-filter-from', weekAgo);
      await listed;
      await stale.waitFor({ state: 'detached', timeout: 10000 });
      assert.equal(await recent.count(), 1, 'the recent report stays');
      await screenshot('reports-date-filter');

      listed = waitForRpc('reports/list', (p) => p && p.to === new Date(2021, 0, 1).getTime() && p.from === undefined);
      await page.fill('.rep-filter-from', '');
      await page.fill('.rep-filter-to', '2020-12-31');
      await listed;
      await recent.waitFor({ state: 'detached', timeout: 10000 });
      assert.equal(await stale.count(), 1, 'the 2020 report shows, the recent one is hidden');
      await page.click('.rep-filter-clear');
      await recent.waitFor({ timeout: 10000 });
      assert.equal(await stale.count(), 1);
      assert.deepEqual(consoleErrors, []);
    },
  },
  {
    name: 'reports: delete asks for a second click, then removes the card',
    async run(ctx) {
      const { page, assert, consoleErrors, ui } = ctx;
      const old = state.old;
      assert.ok(old, 'the previous spec made a report');
      await ctx.openPanel('reports', { reportId: old.reportId });
      await page.locator(`.mt-report[data-report-id="${old.reportId}"]`).waitFor({ timeout: 15000 });
      await page.click('.rep-delete');
      assert.equal((await page.locator('.rep-delete').innerText()).trim(), 'Confirm delete');
      assert.equal(await page.locator(`.rep-card[data-id="${old.reportId}"]`).count(), 1, 'one click deletes nothing');
      await page.click('.rep-delete');
      await page.locator(`.rep-card[data-id="${old.reportId}"]`).waitFor({ state: 'detached', timeout: 10000 });
      const list = await ui.api.rpc('reports/list', {});
      assert.equal(list.some((r) => r.reportId === old.reportId), false, 'the report is gone from the store');
      assert.equal(await page.locator('.mt-report[data-report-id]').count(), 0, 'its preview is gone');
      assert.deepEqual(consoleErrors, []);
    },
  },
];
