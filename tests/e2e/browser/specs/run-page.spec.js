'use strict';
// Run page: overview, params, tags (edit, add, delete through the page), metric and system charts, inputs/outputs,
// the deleted-run banner; screenshots in light and dark.

module.exports = [
  {
    name: 'run page shows params and tags and edits a tag',
    async run({ ui, page, openPanel, screenshot, setTheme, assert }) {
      const exp = await ui.api.createExperiment('run-page-e2e');
      const loss = Array.from({ length: 40 }, (_, i) => 1 / (1 + i * 0.2));
      const runId = await ui.api.seedRun({
        experimentId: exp, name: 'rp-train', params: { lr: '0.001', epochs: '40', model: 'resnet18' },
        tags: { team: 'vision', 'mlflow.note.content': 'seeded' },
        metrics: { loss, acc: loss.map((v) => 1 - v), 'system/cpu_percent': loss.map((v) => 100 * v) },
        inputs: [{ path: 'data/train.csv', size: 2048, sha256: 'c'.repeat(64) }],
        outputs: [{ path: 'out/model.pt', size: 5 * 1024 * 1024, sha256: 'd'.repeat(64) }],
      });
      await openPanel('run', { runId });
      await page.locator('.rp-params tr[data-key="lr"]').waitFor({ timeout: 15000 });
      assert.match(await page.locator('.rp-header').innerText(), /rp-train/);
      assert.match(await page.locator('.rp-header').innerText(), /FINISHED/);
      assert.equal(await page.locator('.rp-params tbody tr').count(), 3);
      assert.match(await page.locator('.rp-params tr[data-key="model"]').innerText(), /resnet18/);
      assert.match(await page.locator('tr.rp-tag[data-key="team"]').innerText(), /vision/);
      assert.equal(await page.locator('tr.rp-tag[data-key="mlflow.note.content"]').count(), 0, 'system tags are apart, read-only');
      assert.ok(await page.locator('.rp-deploy').isDisabled());
      assert.match((await page.locator('.rp-deploy').getAttribute('title')) || '', /arrives with deployments/);
      await screenshot('run-page-light');

      // edit a tag
      await page.locator('tr.rp-tag[data-key="team"] .rp-tag-edit').click();
      const input = page.locator('tr.rp-tag[data-key="team"] input.rp-tag-input');
      await input.fill('nlp');
      await input.press('Enter');
      await page.locator('tr.rp-tag[data-key="team"]', { hasText: 'nlp' }).waitFor();
      assert.equal((await ui.api.rpc('runs/get', { runId })).tags.team, 'nlp');

      // add one, then delete it
      await page.locator('.rp-new-tag-key').fill('stage');
      await page.locator('.rp-new-tag-value').fill('candidate');
      await page.locator('.rp-add-tag').click();
      await page.locator('tr.rp-tag[data-key="stage"]').waitFor();
      assert.equal((await ui.api.rpc('runs/get', { runId })).tags.stage, 'candidate');
      await page.locator('.rp-new-tag-key').fill('mlflow.user');
      await page.locator('.rp-add-tag').click();
      await page.locator('.rp-tag-error', { hasText: 'reserved' }).waitFor();
      await page.locator('tr.rp-tag[data-key="stage"] .rp-tag-delete').click();
      await page.locator('tr.rp-tag[data-key="stage"]').waitFor({ state: 'detached' });
      assert.equal((await ui.api.rpc('runs/get', { runId })).tags.stage, undefined);

      // metrics and system charts, files
      await page.locator('.rp-tab[data-tab="metrics"]').click();
      await page.locator('.rp-pane-metrics canvas').first().waitFor({ timeout: 20000 });
      await page.waitForTimeout(300);
      await screenshot('run-page-metrics-light');
      await page.locator('.rp-tab[data-tab="system"]').click();
      await page.locator('.rp-pane-system canvas').first().waitFor({ timeout: 20000 });
      await page.locator('.rp-tab[data-tab="files"]').click();
      assert.match(await page.locator('.rp-pane-files').innerText(), /data\/train\.csv/);
      assert.match(await page.locator('.rp-pane-files').innerText(), /5\.0 MB/);
      await page.locator('.rp-tab[data-tab="logs"]').click();
      assert.ok(await page.locator('.rp-log-search').isVisible());

      await page.locator('.rp-tab[data-tab="overview"]').click();
      await setTheme('dark');
      await page.waitForTimeout(200);
      await screenshot('run-page-dark');

      // the tab survives a reload
      await page.locator('.rp-tab[data-tab="files"]').click();
      await page.reload();
      await page.locator('.rp-tab.rp-tab-active[data-tab="files"]').waitFor();
      return { runId };
    },
  },
  {
    name: 'run page says when the run was deleted',
    async run({ ui, page, openPanel, assert }) {
      const exp = await ui.api.createExperiment('run-page-delete');
      const runId = await ui.api.seedRun({ experimentId: exp, name: 'rp-doomed', params: { a: '1' }, metrics: { loss: [1, 0.5] } });
      await openPanel('run', { runId });
      await page.locator('.rp-params tr[data-key="a"]').waitFor({ timeout: 15000 });
      // Deleted through the REST API (what `mlflow.delete_run` does). The backend sends no runs/changed "deleted" for
      // REST deletions yet, so the page learns it on its next load (reload, reconnect, becoming visible again).
      await ui.api.post('/api/2.0/mlflow/runs/delete', { run_id: runId });
      await page.reload();
      await page.locator('.rp-deleted', { hasText: 'This run was deleted' }).waitFor({ timeout: 15000 });
      assert.ok(await page.locator('.rp-add-tag').isDisabled(), 'no editing of a deleted run');

      await openPanel('run', { runId: 'e'.repeat(32) });
      await page.locator('.rp-deleted', { hasText: 'This run was deleted' }).waitFor({ timeout: 15000 });
    },
  },
];
