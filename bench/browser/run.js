'use strict';
// Browser benchmark of the panels, `mltrack ui` + Debian's Chromium via playwright-core (the browser-test harness),
// in two parts, each on its own store, seeded through the public REST API once and cached under /tmp/mltrack-bench:
//
//   runs    10,000 runs and one run with a 10,000,000-point metric (runs/log-batch with 1,000 points per request;
//           /tmp/mltrack-bench/browser-store): runs table first render (navigation → rows visible), scroll frame times
//           (rAF deltas while scrolling programmatically through the 10,000 rows), the 10M-point chart request →
//           pixels, zoom re-draw, 50 runs overlaid on one chart.
//   panels  100,000 runs over two years, 20 experiments, 8 users (analyticsStore.js;
//           /tmp/mltrack-bench/browser-analytics-store): the analytics panel's range "all" by day (navigation →
//           charts drawn, choosing the range → drawn, a mouse-drag zoom → redrawn), the activity heatmap (navigation →
//           grid drawn, mode runs → coverage) and the reports panel (Generate an executive report for the year to date
//           → card shown, → preview rendered). See panels.js and paintProbe.js.
//
//   node bench/browser/run.js            (uses E2E_ROOT's playwright-core; run `bash .ci/install-e2e.sh` once)
//   BENCH_PARTS=panels node bench/browser/run.js   one part; the other part's figures stay as results.json had them
//   BENCH_RESEED=1 node bench/browser/run.js      rebuild the cached stores (of the parts that run)
//   BENCH_RUNS=1000 BENCH_POINTS=1000000 BENCH_ANALYTICS_RUNS=10000 ...   smaller stores (separate cache folders)
//
// Prints a table and writes bench/browser/results.json (`./mltrack bench report` puts it into bench/README.md). The
// webviews bundle must be built (cd webviews && npm run build).
const fs = require('node:fs');
const path = require('node:path');

process.env.BROWSER_KEEP = '1'; // the harness must not delete the cached store on stop
process.env.BROWSER_RESULTS_DIR = process.env.BROWSER_RESULTS_DIR || '/tmp/mltrack-bench/browser-results'; // logs, screenshots
const h = require('../../tests/e2e/browser/harness.js');
const analyticsStore = require('./analyticsStore');
const panels = require('./panels');

const RUNS = Number(process.env.BENCH_RUNS || 10000);
const POINTS = Number(process.env.BENCH_POINTS || 10_000_000);
const OVERLAY = 50;
const OVERLAY_POINTS = 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 16);
const STORE = process.env.BENCH_STORE || (RUNS === 10000 && POINTS === 10_000_000 ? '/tmp/mltrack-bench/browser-store' : `/tmp/mltrack-bench/browser-store-${RUNS}-${POINTS}`);
const MARK = path.join(STORE, 'seed.json');
const OUT = path.join(__dirname, 'results.json');

// label: text, or a function of the results (figures that depend on the store, e.g. how many days "all" holds).
const TARGETS = {
  tableFirstRenderMs: { part: 'runs', target: 300, better: 'lower', label: 'runs table first render (navigation → rows visible)', unit: 'ms' },
  scrollFpsP50: { part: 'runs', target: 60, better: 'higher', label: 'runs table scroll, 10,000 rows: fps p50', unit: 'fps' },
  scrollFpsP5: { part: 'runs', target: null, better: 'higher', label: 'runs table scroll: fps at the p95 frame time', unit: 'fps' },
  chart10mMs: { part: 'runs', target: 200, better: 'lower', label: 'chart of the 10M-point metric, request → pixels', unit: 'ms' },
  chart10mNavMs: { part: 'runs', target: null, better: 'lower', label: 'chart of the 10M-point metric, navigation → pixels', unit: 'ms' },
  zoomRedrawMs: { part: 'runs', target: 100, better: 'lower', label: 'zoom re-draw of the 10M-point chart (median of 6)', unit: 'ms' },
  zoomRedrawMaxMs: { part: 'runs', target: null, better: 'lower', label: 'zoom re-draw, slowest of 6', unit: 'ms' },
  overlay50Ms: { part: 'runs', target: 300, better: 'lower', label: `${OVERLAY} runs overlaid on one chart, request → pixels`, unit: 'ms' },
  overlay50NavMs: { part: 'runs', target: null, better: 'lower', label: `${OVERLAY} runs overlaid, navigation → pixels`, unit: 'ms' },
  analyticsNavMs: { part: 'panels', target: null, better: 'lower', unit: 'ms',
    label: (r) => `analytics panel, range "all" by day (${r.analyticsBuckets} days, ${n(r.analyticsRuns)} runs, ${r.analyticsCharts} charts): navigation → charts drawn (median of 5)` },
  analyticsSelectMs: { part: 'panels', target: null, better: 'lower', unit: 'ms',
    label: 'analytics panel: choosing "all" (from 30 days) in the open panel → charts redrawn (median of 5)' },
  analyticsZoomMs: { part: 'panels', target: null, better: 'lower', unit: 'ms',
    label: (r) => `analytics zoom, mouse drag over a chart (50 % down to 1.5 % of "all"; ${r.analyticsZoomed.join(', ')}) → charts redrawn (median of 5)` },
  analyticsZoomMaxMs: { part: 'panels', target: null, better: 'lower', unit: 'ms', label: 'analytics zoom, slowest of 5' },
  heatmapNavMs: { part: 'panels', target: null, better: 'lower', unit: 'ms',
    label: (r) => `activity heatmap, last 52 weeks (${r.heatmapDays} days, ${n(r.heatmapRuns)} runs): navigation → grid drawn (median of 5)` },
  heatmapModeMs: { part: 'panels', target: null, better: 'lower', unit: 'ms', label: 'activity heatmap: mode runs → coverage, click → redrawn (median of 5)' },
  reportCardMs: { part: 'panels', target: null, better: 'lower', unit: 'ms',
    label: (r) => `reports panel: Generate an executive report, year to date (${n(r.reportRuns)} runs) → its card shown (median of 3; the first after the backend started, not counted: ${r.reportColdCardMs} ms)` },
  reportPreviewMs: { part: 'panels', target: null, better: 'lower', unit: 'ms',
    label: (r) => `reports panel: Generate → the report's preview rendered (${r.reportCharts} charts, ${Math.round(r.reportSizeBytes / 1024)} KiB HTML; median of 3; the first: ${r.reportColdPreviewMs} ms)` },
};
const n = (v) => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v));

async function pool(n, items, fn) {
  let i = 0;
  const workers = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (i < items.length) {
      const k = i++;
      await fn(items[k], k);
    }
  });
  await Promise.all(workers);
}

async function seed(api) {
  const t0 = Date.now();
  const exps = [];
  for (let e = 0; e < 10; e++) exps.push(await api.createExperiment(`bench-${e}`));
  const overlayExp = await api.createExperiment('bench-overlay');
  const bigExp = await api.createExperiment('bench-10m');
  const start = Date.now() - RUNS * 60_000;
  const opts = ['adam', 'sgd', 'adamw', 'rmsprop'];
  let done = 0;
  const idx = Array.from({ length: RUNS }, (_, i) => i);
  await pool(CONCURRENCY, idx, async (i) => {
    const t = start + i * 60_000;
    const runId = await api.createRun({ experimentId: exps[i % 10], name: `run-${String(i).padStart(5, '0')}`, startTime: t });
    const acc = 0.5 + 0.5 * ((i * 7919) % 1000) / 1000;
    await api.logBatch(runId, {
      params: { lr: String([0.1, 0.03, 0.01, 0.003, 0.001][i % 5]), batch_size: String(32 << (i % 4)), optimizer: opts[i % 4], seed: String(i), layers: String(2 + (i % 6)) },
      metrics: [
        { key: 'acc', value: acc, step: 10, timestamp: t + 30_000 },
        { key: 'loss', value: 1 - acc + 0.01, step: 10, timestamp: t + 30_000 },
        { key: 'f1', value: acc * 0.97, step: 10, timestamp: t + 30_000 },
        { key: 'val_loss', value: 1.1 - acc, step: 10, timestamp: t + 30_000 },
      ],
    });
    await api.updateRun(runId, i % 17 === 0 ? 'FAILED' : 'FINISHED', t + 45_000);
    if (++done % 1000 === 0) h.log(`seeded ${done}/${RUNS} runs`);
  });
  // 50 runs with a 1,000-point series each, for the overlay.
  const overlay = [];
  for (let r = 0; r < OVERLAY; r++) {
    const t = Date.now() - 3600_000;
    const runId = await api.createRun({ experimentId: overlayExp, name: `overlay-${r}`, startTime: t });
    const values = Array.from({ length: OVERLAY_POINTS }, (_, i) => Math.exp(-i / (200 + r * 10)) + 0.02 * Math.sin(i / 15 + r));
    await api.logMetricSeries(runId, 'loss', values, { t0: t, dtMs: 1000 });
    await api.updateRun(runId, 'FINISHED', t + OVERLAY_POINTS * 1000);
    overlay.push(runId);
  }
  // One run with a 10M-point series, 1,000 points per log-batch.
  const t10 = Date.now() - POINTS * 10;
  const big = await api.createRun({ experimentId: bigExp, name: 'ten-million', startTime: t10 });
  const chunks = Array.from({ length: Math.ceil(POINTS / 1000) }, (_, c) => c);
  let sent = 0;
  await pool(Math.min(4, CONCURRENCY), chunks, async (c) => {
    const metrics = [];
    for (let j = 0; j < 1000 && c * 1000 + j < POINTS; j++) {
      const s = c * 1000 + j;
      metrics.push({ key: 'loss', step: s, timestamp: t10 + s * 10, value: 2 * Math.exp(-s / 2e6) + 0.05 * Math.sin(s / 5000) + 0.01 * Math.sin(s * 0.37) });
    }
    await api.logBatch(big, { metrics });
    if (++sent % 1000 === 0) h.log(`seeded ${sent * 1000}/${POINTS} points`);
  });
  await api.updateRun(big, 'FINISHED', t10 + POINTS * 10);
  const info = { runs: RUNS, points: POINTS, overlay, big, seededInSeconds: (Date.now() - t0) / 1000, at: new Date().toISOString() };
  fs.writeFileSync(MARK, JSON.stringify(info, null, 2));
  return info;
}

const pct = (arr, p) => {
  const s = [...arr].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round((p / 100) * (s.length - 1))))];
};
const round = (v, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

/** The runs part: the 10,000-run store with the 10M-point metric. */
async function benchRuns(browser, ui, info, results) {
  // Warm the backend and the browser's cache of the bundle once (a first page in its own context).
  {
    const p = await h.newPage(browser, ui);
    await p.openPanel('runs');
    await p.page.waitForSelector('.mt-rt-row[data-run-id]');
    await p.context.close();
  }

  // ---- runs table: first render and scrolling ----
  {
    const firsts = [];
    for (let k = 0; k < 5; k++) {
      const p = await h.newPage(browser, ui);
      await p.page.addInitScript(() => {
        const tick = () => {
          if (document.querySelector('.mt-rt-row[data-run-id]:not([data-run-id=""])')) {
            // rows are in the DOM in this frame: the next rAF runs after they were painted
            requestAnimationFrame(() => (window.__firstRows = performance.now()));
          } else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      await p.openPanel('runs', {}, { wait: false });
      await p.page.waitForFunction(() => window.__firstRows !== undefined, null, { timeout: 30000 });
      firsts.push(await p.page.evaluate(() => window.__firstRows));
      // Let the page finish loading every row before the next measurement, so the backend is idle again.
      await p.page.waitForFunction((n) => window.__mltrackRuns && window.__mltrackRuns.rows() >= n && !/loading/.test(document.querySelector('.mt-rt-status').textContent), RUNS, { timeout: 60000 });
      await h.sleep(500);
      if (k < 4) await p.context.close();
      else {
        const frames = await p.page.evaluate(() => new Promise((resolve) => {
          const sc = document.querySelector('.mt-rt');
          const deltas = [];
          let last = performance.now();
          let dir = 1;
          const t0 = last;
          const step = () => {
            const now = performance.now();
            deltas.push(now - last);
            last = now;
            sc.scrollTop += dir * 240; // 10 rows per frame
            if (sc.scrollTop + sc.clientHeight >= sc.scrollHeight - 1) dir = -1;
            else if (sc.scrollTop <= 0) dir = 1;
            if (now - t0 < 4000) requestAnimationFrame(step);
            else resolve(deltas.slice(5));
          };
          requestAnimationFrame(step);
        }));
        const rowsInDom = await p.page.$$eval('.mt-rt-row', (e) => e.length);
        await p.screenshot('bench-runs-table');
        await p.context.close();
        results.scrollFrames = frames.length;
        results.scrollFrameP50Ms = round(pct(frames, 50), 2);
        results.scrollFrameP95Ms = round(pct(frames, 95), 2);
        results.scrollFrameMaxMs = round(Math.max(...frames), 2);
        results.scrollFpsP50 = round(1000 / pct(frames, 50));
        results.scrollFpsP5 = round(1000 / pct(frames, 95));
        results.rowsInDom = rowsInDom;
      }
    }
    results.tableFirstRenderMs = round(pct(firsts, 50));
    results.tableFirstRenderAllMs = firsts.map((x) => round(x));
  }

  // ---- the 10M-point chart, and zooms ----
  {
    const measureChart = async (args, expectRuns) => {
      const p = await h.newPage(browser, ui);
      await p.page.addInitScript(() => {
        window.__draws = [];
        document.addEventListener('mt-chart-drawn', (e) => {
          const d = e.detail;
          requestAnimationFrame(() => window.__draws.push({ ...d, painted: performance.now() }));
        });
      });
      await p.openPanel('charts', args, { wait: false });
      await p.page.waitForFunction((n) => window.__draws.some((d) => d.runs >= n), expectRuns, { timeout: 60000 });
      const d = await p.page.evaluate((n) => window.__draws.find((x) => x.runs >= n), expectRuns);
      return { p, d };
    };
    const navs = [], reqs = [];
    let page10m = null;
    for (let k = 0; k < 5; k++) {
      const { p, d } = await measureChart({ runIds: [info.big], keys: ['loss'] }, 1);
      navs.push(d.painted);
      reqs.push(d.painted - d.requestedAt);
      if (k < 4) await p.context.close();
      else page10m = p;
    }
    results.chart10mMs = round(pct(reqs, 50));
    results.chart10mNavMs = round(pct(navs, 50));
    results.chart10mPoints = await page10m.page.$eval('.mt-chart', (e) => Number(e.dataset.points));
    // Zooms: 6 ranges from 10 % down to 0.001 % of the series.
    const zooms = [];
    const spans = [0.1, 0.01, 0.001, 0.0001, 0.00001, 0.3];
    for (let z = 0; z < spans.length; z++) {
      const span = Math.max(100, Math.round(POINTS * spans[z]));
      const from = Math.round((POINTS - span) * (0.1 + 0.13 * z));
      const ms = await page10m.page.evaluate(([a, b]) => new Promise((resolve) => {
        const t0 = performance.now();
        const card = document.querySelector('.mt-chart[data-key="loss"]');
        const onDraw = (e) => {
          // The first draw is the instant re-scale with the data at hand; wait for the re-fetched buckets.
          if (e.detail.requestedAt < t0) return;
          card.removeEventListener('mt-chart-drawn', onDraw);
          requestAnimationFrame(() => resolve(performance.now() - t0));
        };
        card.addEventListener('mt-chart-drawn', onDraw);
        Object.values(window.__mltrackCharts)[0].zoom('loss', a, b);
      }), [from, from + span]);
      zooms.push(ms);
    }
    results.zoomRedrawMs = round(pct(zooms, 50));
    results.zoomRedrawMaxMs = round(Math.max(...zooms));
    results.zoomRedrawAllMs = zooms.map((x) => round(x));
    await page10m.screenshot('bench-chart-10m-zoomed');
    await page10m.context.close();

    const onavs = [], oreqs = [];
    for (let k = 0; k < 3; k++) {
      const { p, d } = await measureChart({ runIds: info.overlay, keys: ['loss'] }, OVERLAY);
      onavs.push(d.painted);
      oreqs.push(d.painted - d.requestedAt);
      if (k === 2) await p.screenshot('bench-chart-overlay-50');
      await p.context.close();
    }
    results.overlay50Ms = round(pct(oreqs, 50));
    results.overlay50NavMs = round(pct(onavs, 50));
  }
}

const loadavg = () => require('node:os').loadavg().map((x) => round(x, 2));
const uptime = () => { try { return require('node:child_process').execFileSync('uptime', { encoding: 'utf8' }).trim(); } catch { return null; } };

/** Starts `mltrack ui` on a cached store (seeding it first when it has no mark), runs fn(ui, mark) and stops it.
 *  Resolves { mark, load }: the machine's load around fn (seeding loads the machine: it is not part of that). */
async function withStore(name, storeDir, mark, seedIt, fn) {
  const ui = await h.startUi({ name, storeDir });
  try {
    if (!mark) {
      mark = await seedIt(ui.api);
      h.log(`seeded in ${mark.seededInSeconds.toFixed(0)} s`);
    }
    const load = { at: new Date().toISOString(), loadAverageAtStart: loadavg(), uptimeAtStart: uptime() };
    await fn(ui, mark);
    return { mark, load: { ...load, loadAverageAtEnd: loadavg(), uptimeAtEnd: uptime() } };
  } finally {
    await ui.stop();
  }
}

async function main() {
  const parts = (process.env.BENCH_PARTS || 'runs,panels').split(',').map((x) => x.trim()).filter(Boolean);
  for (const p of parts) if (!['runs', 'panels'].includes(p)) throw new Error(`unknown part "${p}" (parts: runs, panels)`);
  if (!fs.existsSync(path.join(h.REPO, 'webviews/dist/main.js'))) throw new Error('build the panels first: cd webviews && npm ci && npm run build');
  // A part that does not run keeps its figures (and their store and time) from the last results.json.
  const prev = fs.existsSync(OUT) ? JSON.parse(fs.readFileSync(OUT, 'utf8')) : null;
  const results = {};
  const meta = { ...(prev?.parts ?? {}) };
  for (const part of ['runs', 'panels']) if (!parts.includes(part) && prev?.results) Object.assign(results, pick(prev.results, part));
  if (!parts.includes('runs') && prev && !meta.runs) meta.runs = { at: prev.at, loadAverageAtStart: prev.loadAverageAtStart, loadAverageAtEnd: prev.loadAverageAtEnd, store: prev.store };

  const browser = await h.launchBrowser();
  try {
    if (parts.includes('runs')) {
      if (process.env.BENCH_RESEED) fs.rmSync(STORE, { recursive: true, force: true });
      fs.mkdirSync(STORE, { recursive: true });
      let info = fs.existsSync(MARK) ? JSON.parse(fs.readFileSync(MARK, 'utf8')) : null;
      if (!info) for (const f of fs.readdirSync(STORE)) fs.rmSync(path.join(STORE, f), { recursive: true, force: true }); // half-seeded: start over
      else h.log(`reusing the seeded store ${STORE} (${info.runs} runs, ${info.points} points, seeded ${info.at})`);
      const { mark, load } = await withStore('bench', STORE, info, (api) => {
        h.log(`seeding ${RUNS} runs and a ${POINTS}-point metric into ${STORE} (once; cached)`);
        return seed(api);
      }, (ui, m) => benchRuns(browser, ui, m, results));
      meta.runs = { ...load, store: { runs: mark.runs, points: mark.points, overlayRuns: OVERLAY, overlayPointsPerRun: OVERLAY_POINTS, seededInSeconds: mark.seededInSeconds } };
    }
    if (parts.includes('panels')) {
      const info = analyticsStore.prepare({ reseed: !!process.env.BENCH_RESEED });
      if (info) h.log(`reusing the seeded store ${analyticsStore.STORE} (${info.runs} runs ${info.from} → ${info.to}, seeded ${info.at})`);
      // The panels' windows (last 52 weeks, year to date) follow the real clock while the store's runs stay put.
      if (info && Date.now() - Date.parse(info.to) > 14 * 86_400_000) h.log('WARNING: the store ended more than 14 days ago: its recent windows hold fewer runs (BENCH_RESEED=1 reseeds it)');
      const { mark, load } = await withStore('bench-panels', analyticsStore.STORE, info, (api) => {
        h.log(`seeding ${analyticsStore.RUNS} runs over two years into ${analyticsStore.STORE} (once; cached)`);
        return analyticsStore.seed(api, h.log);
      }, async (ui) => {
        h.log('analytics panel');
        await panels.analytics(h, browser, ui, results);
        h.log('activity heatmap');
        await panels.activity(h, browser, ui, results);
        h.log('reports panel');
        await panels.reports(h, browser, ui, results);
      });
      meta.panels = { ...load, store: mark };
    }
  } finally {
    await browser.close().catch(() => {});
  }

  const rows = [];
  for (const [k, t] of Object.entries(TARGETS)) {
    const v = results[k];
    if (v === undefined) continue; // a part that never ran
    // Frames come at the display's 60 Hz at best (16.67 ms, shown rounded as 59.9 fps): allow that rounding.
    const slack = t.unit === 'fps' ? 0.5 : 0;
    const met = t.target === null ? null : t.better === 'lower' ? v <= t.target : v >= t.target - slack;
    const label = typeof t.label === 'function' ? t.label(results) : t.label;
    rows.push({ key: k, benchmark: label, result: `${v} ${t.unit}`, target: t.target === null ? '(none)' : `${t.better === 'lower' ? '≤' : '≥'} ${t.target} ${t.unit}`, met });
  }
  const os = require('node:os');
  const out = {
    suite: 'browser',
    at: new Date().toISOString(),
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model?.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    commit: gitState(),
    // The runs part's (kept at the top level as before).
    loadAverageAtStart: meta.runs?.loadAverageAtStart ?? null,
    loadAverageAtEnd: meta.runs?.loadAverageAtEnd ?? null,
    store: meta.runs?.store ?? null,
    parts: meta,
    results,
    table: rows,
  };
  fs.writeFileSync(OUT, JSON.stringify(out, null, 2) + '\n');
  console.log('\n| benchmark | result | target | met |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.benchmark} | ${r.result} | ${r.target} | ${r.met === null ? '' : r.met ? 'yes' : '**no**'} |`);
  if (parts.includes('runs')) {
    console.log(`\n(rows in the DOM while scrolling: ${results.rowsInDom}; scroll frame p50/p95/max ${results.scrollFrameP50Ms}/${results.scrollFrameP95Ms}/${results.scrollFrameMaxMs} ms; zooms ${results.zoomRedrawAllMs.join(', ')} ms; 10M chart drew ${results.chart10mPoints} x-values)`);
  }
  if (parts.includes('panels')) {
    console.log(`\n(analytics navigation ${results.analyticsNavAllMs.join(', ')} ms; choosing "all" ${results.analyticsSelectAllMs.join(', ')} ms; zooms ${results.analyticsZoomAllMs.join(', ')} ms;`
      + ` heatmap navigation ${results.heatmapNavAllMs.join(', ')} ms; coverage ${results.heatmapModeAllMs.join(', ')} ms; report card ${results.reportCardAllMs.join(', ')} ms,`
      + ` preview ${results.reportPreviewAllMs.join(', ')} ms, ${results.reportElements} elements; the first report after the backend started:`
      + ` card ${results.reportColdCardMs} ms, preview ${results.reportColdPreviewMs} ms)`);
    console.log(`(analytics navigation, medians: ${results.analyticsNavBreakdown}; the same requests alone: ${results.analyticsNavRequestsAlone})`);
    console.log(`(heatmap navigation, medians: ${results.heatmapNavBreakdown}; the same requests alone: ${results.heatmapNavRequestsAlone})`);
  }
  for (const p of parts) {
    const m = meta[p];
    console.log(`${p}: load average at start ${m.loadAverageAtStart.join(' ')}, at end ${m.loadAverageAtEnd.join(' ')}; uptime at start: ${m.uptimeAtStart}; at end: ${m.uptimeAtEnd}`);
  }
  console.log('(other work on the machine inflates every figure)');
  console.log(`wrote ${path.relative(h.REPO, OUT)}`);
}

/** The figures of `part` in a results object: its TARGETS keys and their companions (same prefix). */
function pick(prevResults, part) {
  const prefixes = { runs: ['table', 'scroll', 'rows', 'chart10m', 'zoomRedraw', 'overlay50'], panels: ['analytics', 'heatmap', 'report'] }[part];
  return Object.fromEntries(Object.entries(prevResults).filter(([k]) => prefixes.some((p) => k.startsWith(p))));
}

/** HEAD and whether the working tree had changes (the panels and the backend are built from it). */
function gitState() {
  try {
    const cp = require('node:child_process');
    const head = cp.execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: h.REPO, encoding: 'utf8' }).trim();
    const dirty = cp.execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: h.REPO, encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes in ${dirty.split('\n').length} file(s)` : head;
  } catch {
    return null;
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
