'use strict';
// Deployments in the browser UI: a run without a model has its Deploy button disabled with the reason
// (deployments/canDeploy), and the Deployments list panel shows its empty state.

module.exports = [
  {
    name: 'run page Deploy is disabled with the reason for a run without a model',
    async run({ ui, page, openPanel, screenshot, assert, consoleErrors }) {
      const exp = await ui.api.createExperiment('deploy-e2e');
      const runId = await ui.api.seedRun({ experimentId: exp, name: 'no-model', params: { lr: '0.1' }, metrics: { loss: [0.5, 0.3] } });
      const can = await ui.api.rpc('deployments/canDeploy', { runId });
      assert.equal(can.ok, false);
      assert.ok(can.reason, 'canDeploy gives a reason');
      await openPanel('run', { runId });
      const btn = page.locator('button.rp-deploy');
      await btn.waitFor();
      // the title changes from "Checking…" to the reason once canDeploy answered
      await page.waitForFunction(() => /^Cannot deploy:/.test(document.querySelector('button.rp-deploy')?.getAttribute('title') ?? ''), null, { timeout: 10000 });
      assert.equal(await btn.isDisabled(), true);
      const title = await btn.getAttribute('title');
      assert.ok(title.includes(can.reason), `title ${JSON.stringify(title)} holds the reason ${JSON.stringify(can.reason)}`);
      await screenshot('deployments-run-no-model');
      assert.deepEqual(consoleErrors, []);
    },
  },
  {
    name: 'deployments panel shows its empty state',
    async run({ ui, page, openPanel, screenshot, assert, consoleErrors }) {
      const list = await ui.api.rpc('deployments/list', {});
      assert.deepEqual(list, []);
      await openPanel('deployments');
      await page.locator('.dp-empty').waitFor({ timeout: 10000 });
      assert.match(await page.locator('.dp-empty').innerText(), /No deployments yet/);
      assert.equal(await page.locator('.dp-table').count(), 0);
      assert.match(await page.locator('.dp-root h1').innerText(), /Deployments/);
      await screenshot('deployments-empty');
      assert.deepEqual(consoleErrors, []);
    },
  },
];
