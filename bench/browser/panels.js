'use strict';
// What the user sees of issue 7's panels on a store of 100,000 runs over two years (analyticsStore.js): the analytics
// panel's range "all" by day (navigation → charts, choosing the range → charts, a drag zoom → charts), the activity
// heatmap (navigation → grid, mode runs → coverage) and the reports panel (Generate an executive report for the year
// to date → its card, → its preview). Every figure ends when the frame holding the result was painted (paintProbe.js).
const { paintProbe, within } = require('./paintProbe');

const NAV_TIMEOUT = 60_000;
const ALL_MIN_BUCKETS = 700; // "all" by day over two years: ≥ 731 days
const YEAR_MIN_DAYS = 364; // last 52 weeks

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (v, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

/** A fresh context (cold cache, empty sessionStorage, like a new tab) with the probe; `state`: the panel's saved
 *  state ({key, value}) as a reopened panel finds it. Navigates without waiting. */
async function openProbed(h, browser, ui, panel, nav, { args = {}, state = null } = {}) {
  const p = await h.newPage(browser, ui);
  if (state) await p.page.addInitScript((s) => { try { sessionStorage.setItem(s.key, s.value); } catch { /* no storage */ } }, state);
  await p.page.addInitScript(paintProbe, nav);
  // Every POST /rpc: its method and when it was sent and answered (epoch ms), for the navigation's breakdown.
  p.rpcs = [];
  p.page.on('requestfinished', (r) => {
    if (r.method() !== 'POST' || new URL(r.url()).pathname !== '/rpc') return;
    let body = {};
    try { body = JSON.parse(r.postData() || '{}'); } catch { /* not JSON */ }
    const t = r.timing();
    p.rpcs.push({ method: body.method ?? '?', params: body.params, sent: t.startTime, answered: t.startTime + t.responseEnd });
  });
  await p.openPanel(panel, args, { wait: false });
  return p;
}

const navTime = (p, what) => within(NAV_TIMEOUT, what, p.page.evaluate(() => window.__bench.nav));
/** Where a navigation's time went: the page's DOMContentLoaded and when each /rpc request sent before `drawn` was
 *  answered (ms after navigation start; the panel sends them in parallel, and they share the machine's 2 cores). */
async function navBreakdown(h, p, drawn) {
  const { origin, domReady } = await p.page.evaluate(() => ({
    origin: performance.timeOrigin, domReady: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? null,
  }));
  await h.sleep(100); // requestfinished reaches us a little after the page saw the answer
  const answers = {};
  const sent = p.rpcs.filter((r) => r.sent - origin <= drawn);
  for (const r of sent) answers[r.method] = r.answered - origin;
  return { domReady, firstSent: sent.length ? Math.min(...sent.map((r) => r.sent - origin)) : null, answers, sent };
}
/** The same requests one at a time from Node (median of 5 each): what the backend needs for them without the page. */
async function alone(ui, sent) {
  const out = [];
  for (const r of sent) {
    const ms = [];
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      await ui.api.rpc(r.method, r.params);
      ms.push(performance.now() - t0);
    }
    out.push(`${r.method} ${round(median(ms))} ms`);
  }
  return out.join(', ');
}
/** Medians of navigation breakdowns: "DOMContentLoaded X ms; answered at: method Y ms, …". */
const breakdownText = (list) => {
  const methods = [...new Set(list.flatMap((b) => Object.keys(b.answers)))];
  const at = methods.map((m) => [m, median(list.map((b) => b.answers[m]).filter((v) => v !== undefined))]).sort((a, b) => a[1] - b[1]);
  return `DOMContentLoaded ${round(median(list.map((b) => b.domReady)))} ms; first request sent at ${round(median(list.map((b) => b.firstSent)))} ms; answered at ${at.map(([m, v]) => `${m} ${round(v)} ms`).join(', ')}`;
};
const assertClean = (p, what) => {
  if (p.consoleErrors.length) throw new Error(`${what}: console errors ${JSON.stringify(p.consoleErrors.slice(0, 3))}`);
};

// ---------------------------------------------------------------------------------------------------------------
async function analytics(h, browser, ui, results) {
  // The panel keeps its range in sessionStorage under its panel and args: learn the key from a first (warm-up) page.
  let key;
  {
    const p = await openProbed(h, browser, ui, 'analytics', { cond: 'analyticsDrawn', arg: 1 });
    await navTime(p, 'analytics warm-up');
    key = await p.page.evaluate(() => `mltrack:analytics:${document.body.dataset.args ?? ''}`);
    await p.context.close();
  }
  const saved = {
    panel: { preset: 'all', fromDate: '', toDate: '', granularity: 'day', metricKey: null, metricGoal: 'auto', experimentId: null, user: null, zoom: null, granularityBeforeZoom: null },
  };
  const navs = [], parts = [];
  let page = null;
  for (let k = 0; k < 5; k++) {
    const p = await openProbed(h, browser, ui, 'analytics', { cond: 'analyticsDrawn', arg: ALL_MIN_BUCKETS }, { state: { key, value: JSON.stringify(saved) } });
    navs.push(await navTime(p, 'analytics "all" by day'));
    parts.push(await navBreakdown(h, p, navs[k]));
    if (k < 4) await p.context.close();
    else page = p;
  }
  const shown = await page.page.evaluate(() => {
    const p = document.querySelector('.mt-an');
    return { buckets: Number(p.dataset.buckets), granularity: p.dataset.granularity, charts: document.querySelectorAll('.mt-an-chart').length,
      runs: window.__mltrackAnalytics.result().totals.runsStarted };
  });
  if (shown.granularity !== 'day') throw new Error(`analytics "all" drew by ${shown.granularity}, not by day`);
  results.analyticsNavMs = round(median(navs));
  results.analyticsNavAllMs = navs.map((x) => round(x));
  results.analyticsNavBreakdown = breakdownText(parts);
  results.analyticsNavRequestsAlone = await alone(ui, parts[4].sent);
  results.analyticsBuckets = shown.buckets;
  results.analyticsCharts = shown.charts;
  results.analyticsRuns = shown.runs;
  await page.screenshot('bench-analytics-all-by-day');

  // Choosing the range in the open panel: 30 days (not timed) → "all" (timed), five times.
  const pickRange = (preset, min) => page.page.evaluate(([value, minBuckets]) => {
    const p = document.querySelector('.mt-an');
    const after = Number(p.dataset.loads);
    const sel = document.querySelector('.mt-an-preset');
    const t0 = performance.now();
    sel.value = value;
    sel.dispatchEvent(new Event('change'));
    return window.__bench.painted(() => window.__bench.conds.analyticsRedrawn(after) && Number(p.dataset.buckets) >= minBuckets).then((t) => t - t0);
  }, [preset, min]);
  const picks = [];
  for (let k = 0; k < 5; k++) {
    await within(NAV_TIMEOUT, 'analytics 30 days', pickRange('30d', 28));
    await h.sleep(300);
    picks.push(await within(NAV_TIMEOUT, 'analytics choose "all"', pickRange('all', ALL_MIN_BUCKETS)));
    await h.sleep(300);
  }
  results.analyticsSelectMs = round(median(picks));
  results.analyticsSelectAllMs = picks.map((x) => round(x));

  // Zooms: a real mouse drag over the runs chart (its width share, its start share), mouseup → every chart redrawn
  // with the sub-range (re-requested at the finest granularity that fits); "Reset zoom" between (not timed).
  const drags = [[0.5, 0.1], [0.25, 0.4], [0.1, 0.6], [0.04, 0.3], [0.015, 0.8]];
  const zooms = [], zoomed = [];
  for (const [width, start] of drags) {
    const box = await page.page.locator('.mt-an-chart[data-chart="runs"] .u-over').boundingBox();
    const after = await page.page.evaluate(() => {
      const after = Number(document.querySelector('.mt-an').dataset.loads);
      window.__bench.pending = window.__bench.painted(() => window.__bench.conds.analyticsRedrawn(after));
      return after;
    });
    const y = box.y + box.height / 2;
    const x1 = box.x + box.width * start;
    await page.page.mouse.move(x1, y);
    await page.page.mouse.down();
    await page.page.mouse.move(x1 + box.width * width, y, { steps: 8 });
    await page.page.mouse.up();
    const z = await within(NAV_TIMEOUT, 'analytics zoom', page.page.evaluate(async () => {
      const t = await window.__bench.pending;
      const p = document.querySelector('.mt-an');
      return { ms: t - window.__bench.lastMouseUp, buckets: Number(p.dataset.buckets), granularity: p.dataset.granularity, loads: Number(p.dataset.loads) };
    }));
    if (z.loads !== after + 1) throw new Error(`analytics zoom: expected one load, the panel made ${z.loads - after}`);
    zooms.push(z.ms);
    zoomed.push(`${z.buckets} ${z.granularity}s`);
    if (width === 0.1) await page.screenshot('bench-analytics-zoomed');
    await within(NAV_TIMEOUT, 'analytics reset zoom', page.page.evaluate(() => {
      const p = document.querySelector('.mt-an');
      const after = Number(p.dataset.loads);
      const done = window.__bench.painted(() => window.__bench.conds.analyticsRedrawn(after) && Number(p.dataset.buckets) >= 700);
      document.querySelector('.mt-an-reset-zoom').click();
      return done;
    }));
    await h.sleep(300);
  }
  results.analyticsZoomMs = round(median(zooms));
  results.analyticsZoomMaxMs = round(Math.max(...zooms));
  results.analyticsZoomAllMs = zooms.map((x) => round(x));
  results.analyticsZoomed = zoomed;
  assertClean(page, 'analytics');
  await page.context.close();
}

// ---------------------------------------------------------------------------------------------------------------
async function activity(h, browser, ui, results) {
  { // warm-up
    const p = await openProbed(h, browser, ui, 'activity', { cond: 'heatmapDrawn', arg: YEAR_MIN_DAYS });
    await navTime(p, 'activity warm-up');
    await p.context.close();
  }
  const navs = [], parts = [];
  let page = null;
  for (let k = 0; k < 5; k++) {
    const p = await openProbed(h, browser, ui, 'activity', { cond: 'heatmapDrawn', arg: YEAR_MIN_DAYS });
    navs.push(await navTime(p, 'activity heatmap'));
    parts.push(await navBreakdown(h, p, navs[k]));
    if (k < 4) await p.context.close();
    else page = p;
  }
  const shown = await page.page.evaluate(() => {
    const r = window.__mltrackActivity.result();
    return { days: r.days.length, runs: r.totalRuns, weeks: Number(document.querySelector('.mt-act-grid').dataset.weeks) };
  });
  results.heatmapNavMs = round(median(navs));
  results.heatmapNavAllMs = navs.map((x) => round(x));
  results.heatmapNavBreakdown = breakdownText(parts);
  results.heatmapNavRequestsAlone = await alone(ui, parts[4].sent);
  results.heatmapDays = shown.days;
  results.heatmapWeeks = shown.weeks;
  results.heatmapRuns = shown.runs;
  await page.screenshot('bench-activity-runs');

  // Mode runs → coverage (timed) and back (not timed): the panel recolours from the data it holds, no request.
  const mode = (m) => page.page.evaluate((value) => {
    const p = document.querySelector('.mt-act');
    const t0 = performance.now();
    document.querySelector(`.mt-act-mode[data-mode="${value}"]`).click();
    const stats = document.querySelector('.mt-act-stats');
    return window.__bench.painted(() => p.dataset.mode === value && stats.classList.contains('mt-act-coverage') === (value === 'coverage')
      && window.__bench.conds.heatmapDrawn(364)).then((t) => t - t0);
  }, m);
  const modes = [];
  for (let k = 0; k < 5; k++) {
    modes.push(await within(NAV_TIMEOUT, 'activity coverage', mode('coverage')));
    if (k === 4) await page.screenshot('bench-activity-coverage');
    await h.sleep(200);
    await within(NAV_TIMEOUT, 'activity runs', mode('runs'));
    await h.sleep(200);
  }
  results.heatmapModeMs = round(median(modes));
  results.heatmapModeAllMs = modes.map((x) => round(x));
  assertClean(page, 'activity');
  await page.context.close();
}

// ---------------------------------------------------------------------------------------------------------------
async function reports(h, browser, ui, results) {
  // The first generation after the backend started runs its report code cold: measured (k = 0) but not in the median.
  const cards = [], previews = [];
  let last = null;
  for (let k = 0; k < 4; k++) {
    const p = await openProbed(h, browser, ui, 'reports', null);
    // Ready: the experiments are in the form and the list has loaded (cards or its empty message).
    await p.page.waitForFunction(() => document.querySelectorAll('.rep-gen-experiment option').length > 1
      && document.querySelector('.rep-list')?.childElementCount > 0, null, { timeout: NAV_TIMEOUT });
    await p.page.selectOption('.rep-gen-type', 'executive');
    await p.page.selectOption('.rep-gen-preset', 'ytd');
    await h.sleep(300);
    const r = await within(120_000, 'report generation', p.page.evaluate(() => {
      const before = new Set(Array.from(document.querySelectorAll('.rep-card'), (c) => c.dataset.id));
      const t0 = performance.now();
      const card = window.__bench.painted(() => {
        const c = document.querySelector('.rep-card.rep-selected');
        return c && !before.has(c.dataset.id);
      });
      const preview = window.__bench.painted(() => {
        const r = document.querySelector('.mt-report[data-report-id]');
        return r && !before.has(r.dataset.reportId) && r.hasAttribute('data-charts');
      });
      document.querySelector('.rep-generate').click();
      return Promise.all([card, preview]).then(([a, b]) => {
        const r = document.querySelector('.mt-report');
        return { card: a - t0, preview: b - t0, id: r.dataset.reportId, charts: Number(r.dataset.charts), nodes: r.querySelectorAll('*').length };
      });
    }));
    if (k === 0) {
      results.reportColdCardMs = round(r.card);
      results.reportColdPreviewMs = round(r.preview);
    } else {
      cards.push(r.card);
      previews.push(r.preview);
    }
    if (k === 3) await p.screenshot('bench-report-executive-ytd');
    assertClean(p, 'reports');
    await p.context.close();
    const info = (await ui.api.rpc('reports/list', {})).find((x) => x.reportId === r.id);
    last = { ...r, sizeBytes: info?.sizeBytes ?? null };
    // Each measurement starts from the same store: no report left over.
    await ui.api.rpc('reports/delete', { reportId: r.id });
  }
  results.reportCardMs = round(median(cards));
  results.reportCardAllMs = cards.map((x) => round(x));
  results.reportPreviewMs = round(median(previews));
  results.reportPreviewAllMs = previews.map((x) => round(x));
  results.reportCharts = last.charts;
  results.reportElements = last.nodes;
  results.reportSizeBytes = last.sizeBytes;
  const ytd = await ui.api.rpc('analytics/timeSeries', { preset: 'ytd', granularity: 'month', timeZone: h.localTimeZone() });
  results.reportRuns = ytd.totals.runsStarted;
}

module.exports = { analytics, activity, reports };
