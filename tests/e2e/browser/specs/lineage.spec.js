'use strict';
// Lineage graph: a prepare → train → eval chain connected through files with the same sha256; node count, the path
// between two nodes, impact mode, pan/zoom, double-click opens a run; screenshots in light and dark.

const sha = (c) => c.repeat(64);

async function seed(api) {
  const exp = await api.createExperiment('lineage-e2e');
  const t = Date.now() - 3 * 3600_000;
  const prepare = await api.seedRun({
    experimentId: exp, name: 'prepare', startTime: t,
    inputs: [{ path: '/data/raw.csv', size: 4096, sha256: sha('1') }],
    outputs: [{ path: '/data/clean.csv', size: 2048, sha256: sha('2') }],
  });
  const train = await api.seedRun({
    experimentId: exp, name: 'train', startTime: t + 3600_000, params: { lr: '0.1' }, metrics: { loss: [1, 0.5] },
    inputs: [{ path: '/data/clean.csv', size: 2048, sha256: sha('2') }],
    outputs: [{ path: '/models/model.pt', size: 9000, sha256: sha('3') }],
  });
  const evaluate = await api.seedRun({
    experimentId: exp, name: 'evaluate', startTime: t + 7200_000,
    inputs: [{ path: '/models/model.pt', size: 9000, sha256: sha('3') }],
  });
  return { prepare, train, evaluate };
}
let seeded;

module.exports = [
  {
    name: 'lineage graph: node count, path, impact, pan/zoom, click-through',
    async run({ ui, page, openPanel, screenshot, setTheme, assert, consoleErrors }) {
      seeded = seeded || (await seed(ui.api));
      const expected = await ui.api.rpc('lineage/graph', { runId: seeded.train });
      assert.equal(expected.nodes.length, 6, 'raw, prepare, clean, train, model, evaluate');
      await openPanel('lineage', { runId: seeded.train });
      await page.locator('.lg-node').first().waitFor({ timeout: 15000 });
      assert.equal(await page.locator('.lg-node').count(), expected.nodes.length);
      assert.equal(await page.locator('.lg-edge').count(), expected.edges.length);
      assert.match(await page.locator('.lg-count').innerText(), /6 nodes · 5 edges/);
      assert.equal(await page.locator('.lg-node.lg-root-node').getAttribute('data-id'), `run:${seeded.train}`);

      // left to right: prepare is left of train, train left of evaluate
      const x = async (id) => (await page.locator(`.lg-node[data-id="${id}"]`).boundingBox()).x;
      assert.ok((await x(`run:${seeded.prepare}`)) < (await x(`run:${seeded.train}`)));
      assert.ok((await x(`run:${seeded.train}`)) < (await x(`run:${seeded.evaluate}`)));
      await screenshot('lineage-light');

      // path between prepare and evaluate: prepare → clean → train → model → evaluate
      await page.locator(`.lg-node[data-id="run:${seeded.prepare}"]`).click();
      await page.locator(`.lg-node[data-id="run:${seeded.evaluate}"]`).click({ modifiers: ['Shift'] });
      assert.equal(await page.locator('.lg-node.lg-path').count(), 5);
      assert.equal(await page.locator('.lg-edge.lg-path').count(), 4);
      assert.match(await page.locator('.lg-path-info').innerText(), /4 hops/);
      await screenshot('lineage-path-light');

      // impact of clean.csv: train, model.pt, evaluate
      await page.locator(`.lg-node[data-id="file:${sha('2')}"]`).click();
      await page.locator('.lg-impact-btn').click();
      assert.equal(await page.locator('.lg-node.lg-impact').count(), 3);
      assert.equal(await page.locator(`.lg-node.lg-impact-source[data-id="file:${sha('2')}"]`).count(), 1);
      assert.match(await page.locator('.lg-impact-info').innerText(), /2 runs, 1 file/);
      await setTheme('dark');
      await page.waitForTimeout(200);
      await screenshot('lineage-impact-dark');
      await page.locator('.lg-impact-btn').click();
      assert.equal(await page.locator('.lg-node.lg-impact').count(), 0);

      // zoom with the wheel, pan by dragging the background
      const vp = page.locator('.lg-viewport');
      const before = await vp.getAttribute('transform');
      const box = await page.locator('.lg-svg').boundingBox();
      await page.mouse.move(box.x + 30, box.y + 30);
      await page.mouse.wheel(0, -300);
      await page.waitForTimeout(100);
      const zoomed = await vp.getAttribute('transform');
      assert.notEqual(zoomed, before);
      const scale = (t) => Number(/scale\(([\d.]+)\)/.exec(t)[1]);
      assert.ok(scale(zoomed) > scale(before), `zoomed in: ${before} → ${zoomed}`);
      await page.mouse.down();
      await page.mouse.move(box.x + 130, box.y + 80, { steps: 5 });
      await page.mouse.up();
      assert.notEqual(await vp.getAttribute('transform'), zoomed, 'dragging pans');

      // double-click a run node opens its run page
      await page.locator('.lg-fit').click();
      await Promise.all([
        page.waitForURL(/\/ui\/run\?/, { timeout: 10000 }),
        page.locator(`.lg-node[data-id="run:${seeded.evaluate}"]`).dblclick(),
      ]);
      const args = JSON.parse(new URL(page.url()).searchParams.get('args'));
      assert.equal(args.runId, seeded.evaluate);
      await page.locator('.rp-header', { hasText: 'evaluate' }).waitFor({ timeout: 15000 });
      assert.deepEqual(consoleErrors.filter((e) => !/favicon/.test(e)), []);
      return { nodes: expected.nodes.length };
    },
  },
  {
    name: 'lineage depth and direction controls re-query the graph',
    async run({ ui, page, openPanel, assert, waitForRpc }) {
      seeded = seeded || (await seed(ui.api));
      await openPanel('lineage', { runId: seeded.train });
      await page.locator('.lg-node').first().waitFor({ timeout: 15000 });
      const next = waitForRpc('lineage/graph', (p) => p.direction === 'down');
      await page.locator('.lg-direction').selectOption('down');
      await next;
      await page.waitForFunction(() => document.querySelectorAll('.lg-node').length === 3);
      const d1 = waitForRpc('lineage/graph', (p) => p.depth === 1);
      await page.locator('.lg-direction').selectOption('both');
      await page.locator('.lg-depth').fill('1');
      await page.locator('.lg-depth').press('Enter');
      await d1;
      await page.waitForFunction(() => document.querySelectorAll('.lg-node').length === 3, null, { timeout: 5000 });
      assert.equal(await page.locator('.lg-node').count(), 3, 'depth 1: clean.csv, train, model.pt');
    },
  },
];
