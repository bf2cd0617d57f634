'use strict';
// Run page: overview, params, tags (edit, add, delete through the page), metric and system charts, inputs/outputs,
// the log history (logs/output.log through artifacts/read, paged from the end), artifact previews, the deleted-run
// banner; screenshots in light and dark.

/** Uploads an artifact through the REST proxied artifact API (what mlflow.log_artifact does). */
async function putArtifact(ui, runId, path, body) {
  const run = await ui.api.rpc('runs/get', { runId });
  const res = await fetch(new URL(`/api/2.0/mlflow-artifacts/artifacts/${run.experimentId}/${runId}/artifacts/${path}`, ui.baseUrl), {
    method: 'PUT',
    headers: { Authorization: `Bearer ${ui.token}`, 'Content-Type': 'application/octet-stream' },
    body,
  });
  if (!res.ok) throw new Error(`PUT ${path} → ${res.status}: ${await res.text()}`);
}

// a 1×1 red PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

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
      // no model logged: deployments/canDeploy's reason
      await page.waitForFunction(() => /^Cannot deploy:/.test(document.querySelector('.rp-deploy')?.getAttribute('title') ?? ''));
      assert.match((await page.locator('.rp-deploy').getAttribute('title')) || '', /no model/);
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
    name: 'run page shows the log history and previews artifacts',
    async run({ ui, page, openPanel, screenshot, setTheme, assert, consoleErrors }) {
      const exp = await ui.api.createExperiment('run-page-logs');
      const runId = await ui.api.seedRun({ experimentId: exp, name: 'rp-logged', params: { lr: '0.1' }, metrics: { loss: [1, 0.5] } });
      // ~1.3 MB of output: more than the first page (1 MiB), so "Load earlier" has something to load
      const lines = Array.from({ length: 20000 }, (_, i) => `epoch ${String(i + 1).padStart(5, '0')} loss=${(1 / (i + 1)).toFixed(6)} — ünïcode ok ${'.'.repeat(20)}`);
      lines[0] = 'starting training: the very first line';
      lines[12345] = 'NEEDLE checkpoint saved to out/model.pt';
      await putArtifact(ui, runId, 'logs/output.log', lines.join('\n') + '\n');
      await putArtifact(ui, runId, 'notes.txt', 'hello from the notes artifact\nsecond line\n');
      await putArtifact(ui, runId, 'data/preds.csv', 'id,label,score\n1,cat,0.9\n2,"dog, big",0.7\n');
      await putArtifact(ui, runId, 'config.json', '{"lr":0.1,"layers":[64,32]}');
      await putArtifact(ui, runId, 'plots/red.png', PNG);
      await putArtifact(ui, runId, 'model.bin', Buffer.from([0, 1, 2, 3, 0, 255, 254, 0]));

      await openPanel('run', { runId });
      await page.locator('.rp-params tr[data-key="lr"]').waitFor({ timeout: 15000 });
      await page.locator('.rp-tab[data-tab="logs"]').click();
      // the newest lines first, following the end
      await page.locator('.rp-log-line', { hasText: 'epoch 20000' }).waitFor({ timeout: 15000 });
      assert.match(await page.locator('.rp-log-note').innerText(), /Showing the last 1\.0 MB of 1\.\d MB of logs\/output\.log/);
      assert.equal(await page.locator('.rp-log-line').count() < 200, true, 'virtualized: only the visible rows exist');
      // search
      await page.locator('.rp-log-search').fill('needle');
      await page.locator('.rp-log-count', { hasText: '1 match' }).waitFor();
      await page.locator('.rp-log-search').press('Enter');
      await page.locator('.rp-log-line.rp-log-current mark', { hasText: 'NEEDLE' }).waitFor();
      await screenshot('run-page-logs-light');
      // load the earlier part: the first line appears, the note goes
      await page.locator('.rp-log-search').fill('');
      await page.locator('.rp-log-earlier').click();
      await page.locator('.rp-log-count', { hasText: '20,000 lines' }).waitFor({ timeout: 15000 });
      assert.equal(await page.locator('.rp-log-earlier').count(), 0);
      await page.locator('.rp-log-search').fill('very first line');
      await page.locator('.rp-log-count', { hasText: '1 match' }).waitFor();
      await page.locator('.rp-log-search').press('Enter');
      await page.locator('.rp-log-line.rp-log-current', { hasText: 'starting training' }).waitFor();
      assert.match(await page.locator('.rp-log-line.rp-log-current').innerText(), /^\s*1\s*starting training/, 'numbered from the first line of the file');

      // artifacts: text, CSV, JSON, image, binary
      await page.locator('.rp-tab[data-tab="artifacts"]').click();
      const previewOf = async (path) => {
        await page.locator(`.rp-artifacts tr[data-path="${path}"] .rp-artifact-link`).click();
        await page.locator('.rp-preview-title', { hasText: path }).waitFor();
        await page.locator('.rp-preview-body .mt-message.mt-loading').waitFor({ state: 'detached' });
        return page.locator('.rp-preview-body');
      };
      assert.match(await (await previewOf('notes.txt')).locator('pre.rp-preview-text').innerText(), /hello from the notes artifact/);
      await screenshot('run-page-artifact-text-light');
      const csv = await previewOf('data/preds.csv');
      assert.deepEqual(await csv.locator('table.rp-csv thead th').allInnerTexts(), ['id', 'label', 'score']);
      assert.equal(await csv.locator('table.rp-csv tbody tr').count(), 2);
      assert.equal(await csv.locator('table.rp-csv tbody tr').nth(1).locator('td').nth(1).innerText(), 'dog, big');
      assert.match(await (await previewOf('config.json')).locator('pre').innerText(), /"layers": \[\n\s+64,/);
      const img = (await previewOf('plots/red.png')).locator('img.rp-preview-img');
      assert.match((await img.getAttribute('src')) || '', /^data:image\/png;base64,iVBOR/);
      await page.waitForFunction(() => document.querySelector('img.rp-preview-img')?.naturalWidth === 1);
      assert.match(await (await previewOf('model.bin')).innerText(), /8 B .*binary, no preview/);
      await setTheme('dark');
      await previewOf('notes.txt');
      await screenshot('run-page-artifact-text-dark');
      // the previewed artifact survives a reload
      await page.reload();
      await page.locator('.rp-preview pre.rp-preview-text', { hasText: 'hello from the notes' }).waitFor({ timeout: 15000 });
      assert.deepEqual(consoleErrors.filter((e) => !/favicon/.test(e)), []);
    },
  },
  {
    name: 'run page joins the log file and live output of a running run without repeats',
    async run({ ui, page, openPanel, assert, sleep }) {
      // launched by this backend (runs/launch): its output is written to logs/output.log and sent as log/append
      const { runId } = await ui.api.rpc('runs/launch', {
        command: ['sh', '-c', 'for i in $(seq 1 30); do echo "live line $i"; sleep 0.1; done'],
        experiment: 'run-page-live', name: 'rp-live',
      });
      await sleep(1200); // some output is in the file before the page reads it
      await openPanel('run', { runId });
      await page.locator('.rp-tab[data-tab="logs"]').click();
      await page.locator('.rp-log-line', { hasText: 'live line 30' }).waitFor({ timeout: 20000 });
      // when the run ends the page reads the complete file again (lines sent before it listened are not lost)
      await page.locator('.rp-header', { hasText: 'FINISHED' }).waitFor({ timeout: 20000 });
      await page.locator('.rp-log-count', { hasText: /^30 lines$/ }).waitFor({ timeout: 10000 });
      // The final re-read re-renders the (virtualized) list: read it until it has settled, for up to 10 s.
      const expected = Array.from({ length: 30 }, (_, i) => `live line ${i + 1}`);
      let live = [];
      for (const started = Date.now(); Date.now() - started < 10000; await sleep(200)) {
        const texts = (await page.locator('.rp-log-line').allInnerTexts()).map((t) => t.replace(/^\s*\d+\s*/, ''));
        live = texts.filter((t) => /^live line \d+$/.test(t));
        if (live.length === expected.length) break;
      }
      assert.deepEqual(live, expected, 'each line once, in order');
    },
  },
  {
    name: 'run page says when the run was deleted',
    async run({ ui, page, openPanel, assert, sleep }) {
      const exp = await ui.api.createExperiment('run-page-delete');
      const runId = await ui.api.seedRun({ experimentId: exp, name: 'rp-doomed', params: { a: '1' }, metrics: { loss: [1, 0.5] } });
      await openPanel('run', { runId });
      await page.locator('.rp-params tr[data-key="a"]').waitFor({ timeout: 15000 });
      // Deleted through the REST API (what `mlflow.delete_run` does): the backend's store watcher notices and sends
      // runs/changed "deleted", so the open page shows it without a reload; restored likewise.
      await ui.api.post('/api/2.0/mlflow/runs/delete', { run_id: runId });
      await page.locator('.rp-deleted', { hasText: 'This run was deleted' }).waitFor({ timeout: 15000 });
      await page.locator('.rp-add-tag:disabled').waitFor();
      // The page may have read the deletion itself (a reload after the seeding's notifications) before the watcher's
      // next poll; a deletion and a restoration within one poll (500 ms) leave the store as it was and go unreported.
      await sleep(800);
      await ui.api.post('/api/2.0/mlflow/runs/restore', { run_id: runId });
      await page.locator('.rp-deleted').waitFor({ state: 'detached', timeout: 15000 });
      await ui.api.post('/api/2.0/mlflow/runs/delete', { run_id: runId });
      await page.reload();
      await page.locator('.rp-deleted', { hasText: 'This run was deleted' }).waitFor({ timeout: 15000 });
      assert.ok(await page.locator('.rp-add-tag').isDisabled(), 'no editing of a deleted run');

      await openPanel('run', { runId: 'e'.repeat(32) });
      await page.locator('.rp-deleted', { hasText: 'This run was deleted' }).waitFor({ timeout: 15000 });
    },
  },
];
