'use strict';
// The metric charts against a real `mltrack ui`: canvas drawn, legend names the runs, overlaid runs are fetched in one
// metrics/historyMany per chart, drag-zoom asks for new buckets over the narrower range, double-click resets, NaN/Infinity points are gaps, CSV/SVG/PNG
// export, the controls (smoothing, log, clipping, x axis), screenshots light and dark.
const fs = require('node:fs');

const N = 6000; // more points than a chart is wide: the chart asks for buckets
let seeded = null;

async function seed(api) {
  if (seeded) return seeded;
  const exp = await api.createExperiment('charts');
  const wave = (phase) => Array.from({ length: N }, (_, i) => {
    if (i >= 3000 && i < 3100) return NaN; // a gap
    if (i === 4000) return Infinity;
    return Math.exp(-i / 2000) + 0.05 * Math.sin(i / 40 + phase);
  });
  const a = await api.seedRun({ experimentId: exp, name: 'wide-lr', params: { lr: '0.1' }, metrics: { loss: wave(0), acc: [0.2, 0.5, 0.7, 0.8] } });
  const b = await api.seedRun({ experimentId: exp, name: 'narrow-lr', params: { lr: '0.01' }, metrics: { loss: wave(2), acc: [0.1, 0.4, 0.6, 0.9] } });
  seeded = { a, b };
  return seeded;
}

/** Non-background pixels of a chart's canvas. */
const inkOf = (page, key) => page.$eval(`.mt-chart[data-key="${key}"] canvas`, (c) => {
  const ctx = c.getContext('2d');
  const { data } = ctx.getImageData(0, 0, c.width, c.height);
  const counts = new Map();
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) continue;
    const k = `${data[i]},${data[i + 1]},${data[i + 2]}`;
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  let ink = 0;
  for (const v of counts.values()) ink += v;
  return { ink, colours: counts.size };
});

async function openCharts(openPanel, page, ids, keys) {
  await openPanel('charts', { runIds: ids, ...(keys ? { keys } : {}) });
  await page.waitForSelector('.mt-chart[data-key="loss"][data-drawn]');
}

module.exports = [
  {
    name: 'charts: canvas drawn, legend names the runs in their colours, screenshots light and dark',
    async run({ ui, page, openPanel, screenshot, setTheme, assert, consoleErrors, waitForRpc }) {
      const { a, b } = await seed(ui.api);
      const first = waitForRpc('metrics/historyMany', (p) => p.key === 'loss' && p.buckets > 0);
      await openCharts(openPanel, page, [a, b]);
      const req = await first;
      assert.deepEqual([...req.params.runIds].sort(), [a, b].sort(), 'both runs in one request');
      assert.ok(req.params.buckets >= 200 && req.params.buckets <= 1400, `buckets ≈ chart width: ${req.params.buckets}`);
      assert.equal(req.result.series.length, 2);
      assert.ok(req.result.series.every((s) => !s.error && s.buckets.length > 0 && s.buckets.length <= req.params.buckets));
      const keys = await page.$$eval('.mt-chart', (els) => els.map((e) => e.dataset.key));
      assert.deepEqual(keys, ['acc', 'loss']);
      const ink = await inkOf(page, 'loss');
      assert.ok(ink.ink > 2000 && ink.colours > 3, `canvas has drawing: ${JSON.stringify(ink)}`);
      const legend = await page.$$eval('.mt-chart[data-key="loss"] .mt-legend-item', (els) => els.map((e) => ({ name: e.textContent, color: e.querySelector('.mt-swatch').style.background })));
      assert.deepEqual(legend.map((l) => l.name).sort(), ['narrow-lr', 'wide-lr']);
      assert.notEqual(legend[0].color, legend[1].color);
      // Hover: the tooltip shows exact values.
      const box = await page.$eval('.mt-chart[data-key="acc"] .u-over', (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
      await page.mouse.move(box.x + box.w - 2, box.y + box.h / 2);
      await page.waitForSelector('.mt-chart[data-key="acc"] .mt-chart-tip:not([hidden])');
      const tip = await page.textContent('.mt-chart[data-key="acc"] .mt-chart-tip');
      assert.match(tip, /step 3/);
      assert.match(tip, /0\.9/);
      assert.match(tip, /0\.8/);
      await page.mouse.move(0, 0);
      await screenshot('charts-light');
      await setTheme('dark');
      await page.reload();
      await page.waitForSelector('.mt-chart[data-key="loss"][data-drawn]');
      await screenshot('charts-dark');
      assert.deepEqual(consoleErrors, []);
    },
  },
  {
    name: 'charts: drag-zoom re-requests buckets for the narrower range (one request for both runs); double-click resets',
    async run({ ui, page, openPanel, screenshot, waitForRpc, assert }) {
      const { a, b } = await seed(ui.api);
      await openCharts(openPanel, page, [a, b], ['loss']);
      const box = await page.$eval('.mt-chart[data-key="loss"] .u-over', (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
      const zoomed = waitForRpc('metrics/historyMany', (p) => p.key === 'loss' && p.buckets > 0 && p.fromStep != null && p.toStep != null);
      await page.mouse.move(box.x + box.w * 0.30, box.y + box.h / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.w * 0.40, box.y + box.h / 2, { steps: 5 });
      await page.mouse.up();
      const { params, result } = await zoomed;
      const span = params.toStep - params.fromStep;
      assert.ok(span > 0 && span < N * 0.2, `narrower range: ${params.fromStep}..${params.toStep}`);
      assert.ok(params.fromStep > N * 0.2 && params.toStep < N * 0.5, `range where the drag was: ${params.fromStep}..${params.toStep}`);
      assert.equal(params.runIds.length, 2, 'both runs in one request');
      // Zoomed in far enough, every bucket holds one point: full fidelity.
      for (const s of result.series) {
        assert.ok(s.buckets.every((bk) => bk.fromStep >= params.fromStep && bk.toStep <= params.toStep));
        assert.ok(s.buckets.length >= Math.min(span, params.buckets) * 0.9, `${s.buckets.length} buckets for ${span} steps`);
      }
      await page.waitForFunction(() => {
        const c = document.querySelector('.mt-chart[data-key="loss"]');
        return c && Number(c.dataset.points) < 1000;
      });
      await screenshot('charts-zoomed');
      const reset = waitForRpc('metrics/historyMany', (p) => p.key === 'loss' && p.fromStep == null);
      await page.dblclick('.mt-chart[data-key="loss"] .u-over');
      await reset;
    },
  },
  {
    name: 'charts: NaN and Infinity are gaps; CSV, SVG and PNG export the visible data',
    async run({ ui, page, openPanel, assert }) {
      const { a, b } = await seed(ui.api);
      await openCharts(openPanel, page, [a, b], ['loss']);
      // Zoom onto the NaN stretch (steps 3000..3099) through the grid's hook, then export.
      await page.evaluate(() => Object.values(window.__mltrackCharts)[0].zoom('loss', 2950, 3150));
      await page.waitForFunction(() => Number(document.querySelector('.mt-chart[data-key="loss"]').dataset.points) <= 402);
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('.mt-chart[data-key="loss"] button:has-text("CSV")')]);
      assert.equal(dl.suggestedFilename(), 'loss.csv');
      const csv = fs.readFileSync(await dl.path(), 'utf8').trim().split('\n');
      assert.equal(csv[0], 'run_id,run_name,key,step,value,min,max,count');
      const rows = csv.slice(1).map((l) => l.split(','));
      const steps = rows.map((r) => Number(r[3]));
      assert.ok(Math.min(...steps) >= 2950 && Math.max(...steps) <= 3150, `visible range only: ${Math.min(...steps)}..${Math.max(...steps)}`);
      assert.equal(new Set(rows.map((r) => r[0])).size, 2, 'both runs');
      const gap = rows.filter((r) => Number(r[3]) >= 3000 && Number(r[3]) < 3100);
      assert.ok(gap.length > 0 && gap.every((r) => r[4] === ''), 'NaN points are empty (gaps)');
      assert.ok(rows.filter((r) => Number(r[3]) < 3000).every((r) => r[4] !== '' && Number.isFinite(Number(r[4]))));

      const [svgDl] = await Promise.all([page.waitForEvent('download'), page.click('.mt-chart[data-key="loss"] button:has-text("SVG")')]);
      const svg = fs.readFileSync(await svgDl.path(), 'utf8');
      assert.ok(svg.startsWith('<svg') && svg.includes('wide-lr') && svg.includes('narrow-lr'));
      assert.ok((svg.match(/<polyline/g) || []).length >= 4, 'each run is split at the NaN gap');
      const [pngDl] = await Promise.all([page.waitForEvent('download'), page.click('.mt-chart[data-key="loss"] button:has-text("PNG")')]);
      const png = fs.readFileSync(await pngDl.path());
      assert.equal(png.subarray(1, 4).toString(), 'PNG');
      assert.ok(png.length > 2000);
    },
  },
  {
    name: 'charts: smoothing, log scale, clipping and wall-time axis keep drawing; settings survive reload',
    async run({ ui, page, openPanel, screenshot, assert }) {
      const { a, b } = await seed(ui.api);
      await openCharts(openPanel, page, [a, b], ['loss']);
      const drawn = () => page.$eval('.mt-chart[data-key="loss"]', (e) => Number(e.dataset.drawn));
      let n = await drawn();
      await page.$eval('.mt-smoothing', (e) => { e.value = '0.9'; e.dispatchEvent(new Event('input')); });
      await page.waitForFunction((n) => Number(document.querySelector('.mt-chart[data-key="loss"]').dataset.drawn) > n, n);
      n = await drawn();
      await page.check('.mt-log');
      await page.waitForFunction((n) => Number(document.querySelector('.mt-chart[data-key="loss"]').dataset.drawn) > n, n);
      await page.selectOption('.mt-clip', '1');
      n = await drawn();
      await page.selectOption('.mt-x-axis', 'wall');
      await page.waitForFunction((n) => Number(document.querySelector('.mt-chart[data-key="loss"]').dataset.drawn) > n, n);
      const ink = await inkOf(page, 'loss');
      assert.ok(ink.ink > 2000, JSON.stringify(ink));
      await screenshot('charts-smoothed-log-walltime');
      await page.reload();
      await page.waitForSelector('.mt-chart[data-key="loss"][data-drawn]');
      assert.equal(await page.$eval('.mt-x-axis', (e) => e.value), 'wall');
      assert.equal(await page.$eval('.mt-smoothing', (e) => e.value), '0.9');
      assert.ok(await page.isChecked('.mt-log'));
    },
  },
  {
    name: 'charts: a running run live-appends new points',
    async run({ ui, page, openPanel, assert }) {
      const exp = await ui.api.createExperiment('live');
      const run = await ui.api.createRun({ experimentId: exp, name: 'live' });
      await ui.api.logBatch(run, { metrics: [0, 1, 2].map((s) => ({ key: 'reward', value: s, step: s })) });
      await openPanel('charts', { runIds: [run] });
      await page.waitForSelector('.mt-chart[data-key="reward"][data-drawn]');
      assert.equal(await page.$eval('.mt-chart[data-key="reward"]', (e) => e.dataset.points), '3');
      await ui.api.logBatch(run, { metrics: [3, 4, 5, 6].map((s) => ({ key: 'reward', value: s * 2, step: s })) });
      await page.waitForFunction(() => document.querySelector('.mt-chart[data-key="reward"]').dataset.points === '7', null, { timeout: 10000 });
    },
  },
];
