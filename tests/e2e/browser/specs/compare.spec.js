'use strict';
// Compare view: params side by side with the differing rows marked, the winner per metric row, the charts overlaid,
// the code section; screenshots in light and dark.

async function seed(api) {
  const exp = await api.createExperiment('compare-e2e');
  const a = await api.seedRun({
    experimentId: exp, name: 'cmp-adam-lr0.1', params: { lr: '0.1', epochs: '10', optimizer: 'adam', batch: '32' },
    metrics: { loss: [1.0, 0.5, 0.3], acc: [0.5, 0.8, 0.9] },
  });
  const b = await api.seedRun({
    experimentId: exp, name: 'cmp-adam-lr0.01', params: { lr: '0.01', epochs: '10', optimizer: 'adam', batch: '32.0' },
    metrics: { loss: [1.0, 0.6, 0.2], acc: [0.4, 0.95, 0.88] },
  });
  // b's uncommitted changes (what `mltrack run` saves from a dirty work tree), uploaded through the REST artifact API
  const res = await fetch(new URL(`/api/2.0/mlflow-artifacts/artifacts/${exp}/${b}/artifacts/code.diff`, api.baseUrl), {
    method: 'PUT',
    headers: { Authorization: `Bearer ${api.token}` },
    body: 'diff --git a/train.py b/train.py\n--- a/train.py\n+++ b/train.py\n@@ -1,2 +1,2 @@\n import torch\n-lr = 0.1\n+lr = 0.01\n',
  });
  if (!res.ok) throw new Error(`PUT code.diff → ${res.status}`);
  return { exp, a, b };
}
let seeded;

module.exports = [
  {
    name: 'compare marks differing params and the winner per metric',
    async run({ ui, page, openPanel, screenshot, setTheme, assert, consoleErrors }) {
      seeded = seeded || (await seed(ui.api));
      const { a, b } = seeded;
      await openPanel('compare', { runIds: [a, b] });
      await page.locator('.cmp-params tr.cmp-param').first().waitFor({ timeout: 15000 });

      // params: lr differs (marked row, changed cell in the second run's column); epochs and batch (32 = 32.0) do not
      const rowClass = (key) => page.locator(`.cmp-params tr[data-key="${key}"]`).getAttribute('class');
      assert.match(await rowClass('lr'), /cmp-differs/);
      assert.doesNotMatch(await rowClass('epochs'), /cmp-differs/);
      assert.doesNotMatch(await rowClass('batch'), /cmp-differs/, '32 and 32.0 are the same number');
      const lrCells = page.locator('.cmp-params tr[data-key="lr"] td');
      assert.equal(await lrCells.count(), 2);
      assert.doesNotMatch((await lrCells.nth(0).getAttribute('class')) || '', /cmp-changed/, 'the baseline cell is not marked');
      assert.match((await lrCells.nth(1).getAttribute('class')) || '', /cmp-changed/);
      assert.match(await page.locator('.cmp-section[data-section="params"] h2').innerText(), /1 of 4 differ/);

      // metrics: loss ↓ final winner is b (0.2), best winner b (0.2); acc ↑ final winner a (0.9), best winner b (0.95)
      const cells = (key) => page.locator(`.cmp-metrics tr[data-key="${key}"] td`);
      assert.match((await cells('loss').nth(1).getAttribute('class')) || '', /cmp-winner/);
      assert.doesNotMatch((await cells('loss').nth(0).getAttribute('class')) || '', /cmp-winner/);
      assert.match((await cells('acc').nth(0).getAttribute('class')) || '', /cmp-winner/, 'acc: higher final value wins');
      assert.equal(await cells('acc').nth(1).locator('.cmp-best.cmp-win').count(), 1, 'acc: b has the best value over the run');
      assert.equal(await cells('acc').nth(0).locator('.cmp-best.cmp-win').count(), 0);
      assert.match(await page.locator('.cmp-metrics tr[data-key="loss"] th').innerText(), /↓/);

      // the charts grid is embedded and draws both runs
      await page.locator('.cmp-charts canvas').first().waitFor({ timeout: 20000 });
      // code: git state side by side; runs/codeDiff for baseline → b: no git for these runs, so its reason is shown
      assert.equal(await page.locator('.cmp-code').count(), 1);
      const block = page.locator(`.cmp-codediff[data-run-a="${a}"][data-run-b="${b}"]`);
      await block.locator('.cmp-code-reason').waitFor({ timeout: 15000 });
      assert.match(await block.locator('.cmp-code-reason').innerText(), /no git commit recorded/);
      assert.match(await block.innerText(), /cmp-adam-lr0\.1\s*→\s*cmp-adam-lr0\.01/);
      const direct = await ui.api.rpc('runs/codeDiff', { runA: a, runB: b });
      assert.equal(direct.diff, null);
      // b's uncommitted changes (its code.diff) as a diff: file header, colored +/- lines, collapsible
      const file = block.locator('.cmp-diff[data-scope="uncommitted-b"] details.cmp-diff-file[data-path="train.py"]');
      await file.waitFor();
      assert.equal(await file.getAttribute('open'), '', 'small diffs start open');
      assert.equal(await file.locator('.cmp-dl-add').innerText(), '+lr = 0.01');
      assert.equal(await file.locator('.cmp-dl-del').innerText(), '-lr = 0.1');
      assert.match(await file.locator('summary').innerText(), /train\.py\s*\+1\s*−1/);
      await file.locator('summary').click();
      assert.equal(await file.getAttribute('open'), null, 'collapsed');
      await file.locator('summary').click();
      await file.locator('.cmp-dl-add').waitFor();
      assert.equal(await page.locator('.cmp-open-diff').count(), 0, 'Open diff is a VS Code button');

      await page.waitForTimeout(300);
      await screenshot('compare-light', { fullPage: true });
      await setTheme('dark');
      await page.waitForTimeout(200);
      await screenshot('compare-dark', { fullPage: true });

      // only differing params; survives a reload (panel state)
      await page.locator('.cmp-only-diff').check();
      assert.equal(await page.locator('.cmp-params tr.cmp-param').count(), 1);
      await page.reload();
      await page.locator('.cmp-params tr.cmp-param').first().waitFor();
      assert.equal(await page.locator('.cmp-params tr.cmp-param').count(), 1, 'the filter survives a reload');
      assert.ok(await page.locator('.cmp-only-diff').isChecked());

      // a new baseline: the first column becomes b
      await page.locator('.cmp-overview thead th.cmp-run .cmp-set-baseline').first().click();
      assert.equal(await page.locator('.cmp-overview thead th.cmp-run').first().getAttribute('data-run-id'), b);
      assert.deepEqual(consoleErrors.filter((e) => !/favicon/.test(e)), []);
      return { differing: 1 };
    },
  },
  {
    name: 'compare tells when a run is missing or deleted',
    async run({ ui, page, openPanel, assert }) {
      seeded = seeded || (await seed(ui.api));
      const c = await ui.api.seedRun({ experimentId: seeded.exp, name: 'cmp-doomed', params: { lr: '1' }, metrics: { loss: [2, 1] } });
      await openPanel('compare', { runIds: [seeded.a, seeded.b, c, 'f'.repeat(32)] });
      await page.locator('.cmp-params tr.cmp-param').first().waitFor({ timeout: 15000 });
      assert.match(await page.locator('.cmp-banners').innerText(), /ffffffff does not exist/);
      assert.equal(await page.locator('.cmp-overview thead th.cmp-run').count(), 3);
      // a REST deletion reaches the open panel as runs/changed "deleted" (the backend's store watcher)
      await ui.api.post('/api/2.0/mlflow/runs/delete', { run_id: c });
      await page.locator('.cmp-banners', { hasText: 'cmp-doomed was deleted' }).waitFor({ timeout: 15000 });
      // three runs: a code block per non-baseline run
      assert.equal(await page.locator('.cmp-codediff').count(), 2);
    },
  },
];
