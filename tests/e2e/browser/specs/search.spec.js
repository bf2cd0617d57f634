'use strict';
// Search results page: hits grouped by kind, matched text highlighted, kind and date filters, keyboard navigation;
// screenshots in light and dark.

const DAY = 24 * 3600_000;

async function seed(api) {
  const exp = await api.createExperiment('vision-search');
  const wide = await api.seedRun({ experimentId: exp, name: 'resnet-wide', params: { arch: 'resnet50', lr: '0.1' }, tags: { family: 'resnet' }, metrics: { loss: [1, 0.4] }, startTime: Date.now() - 2 * 3600_000 });
  const base = await api.seedRun({ experimentId: exp, name: 'resnet-baseline', params: { arch: 'resnet18', lr: '0.01' }, metrics: { loss: [1, 0.5] }, startTime: Date.now() - 3 * 3600_000 });
  const old = await api.seedRun({ experimentId: exp, name: 'resnet-ancient', params: { arch: 'resnet101' }, startTime: Date.now() - 100 * DAY, endTime: Date.now() - 100 * DAY + 60_000 });
  await api.seedRun({ experimentId: exp, name: 'vit-small', params: { arch: 'vit' } });
  return { wide, base, old };
}
let seeded;

module.exports = [
  {
    name: 'search page groups, highlights, filters and navigates by keyboard',
    async run({ ui, page, openPanel, screenshot, setTheme, assert, consoleErrors }) {
      seeded = seeded || (await seed(ui.api));
      const direct = await ui.api.rpc('search/query', { text: 'resnet', limit: 200 });
      assert.ok(direct.hits.length >= 3);
      await openPanel('search', { query: 'resnet' });
      await page.locator('.sr-hit').first().waitFor({ timeout: 15000 });
      assert.equal(await page.locator('.sr-hit').count(), direct.hits.length);

      // grouped by kind, runs first, each kind once
      const kinds = await page.locator('.sr-group').evaluateAll((els) => els.map((e) => e.dataset.kind));
      assert.equal(kinds[0], 'run');
      assert.equal(new Set(kinds).size, kinds.length);
      const expectedKinds = [...new Set(direct.hits.map((h) => h.kind))].sort();
      assert.deepEqual([...kinds].sort(), expectedKinds);
      const runTitles = await page.locator('.sr-group[data-kind="run"] .sr-title').allInnerTexts();
      for (const n of ['resnet-wide', 'resnet-baseline', 'resnet-ancient']) assert.ok(runTitles.includes(n), `${n} in ${runTitles}`);
      // the matched prefix is highlighted
      const marks = await page.locator('.sr-group[data-kind="run"] .sr-title mark').allInnerTexts();
      assert.ok(marks.length >= 3 && marks.every((m) => m.toLowerCase() === 'resnet'), `marks: ${marks}`);
      await screenshot('search-light');
      await setTheme('dark');
      await page.waitForTimeout(200);
      await screenshot('search-dark');

      // the date filter leaves the 100-day-old run out
      await page.locator('.sr-range').selectOption('30d');
      await page.waitForFunction(() => ![...document.querySelectorAll('.sr-group[data-kind="run"] .sr-title')].some((e) => e.textContent === 'resnet-ancient'), null, { timeout: 10000 });
      assert.match(await page.locator('.sr-status').innerText(), /hidden by the filters/);
      await page.locator('.sr-range').selectOption('any');

      // kind filter: params only
      const paramCount = direct.hits.filter((h) => h.kind === 'param').length;
      if (paramCount) {
        await page.locator('.sr-chip[data-kind="param"]').click();
        assert.deepEqual(await page.locator('.sr-group').evaluateAll((els) => els.map((e) => e.dataset.kind)), ['param']);
        assert.equal(await page.locator('.sr-hit').count(), paramCount);
        await page.locator('.sr-chip[data-kind="all"]').click();
      }

      // keyboard: ↓ ↓ selects the second hit, ↑ back to the first, Enter opens it
      await page.locator('.sr-query').focus();
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.locator('.sr-hit.sr-selected').getAttribute('data-index'), '0');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.locator('.sr-hit.sr-selected').getAttribute('data-index'), '1');
      await page.keyboard.press('ArrowUp');
      const first = await page.locator('.sr-hit.sr-selected .sr-title').innerText();
      const firstHit = direct.hits.filter((h) => h.kind === 'run').sort((a, b) => b.score - a.score)[0];
      assert.equal(first, firstHit.title);
      await Promise.all([page.waitForURL(/\/ui\/run\?/, { timeout: 10000 }), page.keyboard.press('Enter')]);
      assert.equal(JSON.parse(new URL(page.url()).searchParams.get('args')).runId, firstHit.runId);
      assert.deepEqual(consoleErrors.filter((e) => !/favicon/.test(e)), []);
      return { hits: direct.hits.length, kinds };
    },
  },
  {
    name: 'search page query box runs a new search',
    async run({ ui, page, openPanel, assert }) {
      seeded = seeded || (await seed(ui.api));
      await openPanel('search', { text: 'resnet' });
      await page.locator('.sr-hit').first().waitFor({ timeout: 15000 });
      await page.locator('.sr-query').fill('vit');
      await page.locator('.sr-query').press('Enter');
      await page.locator('.sr-group[data-kind="run"] .sr-title', { hasText: 'vit-small' }).waitFor({ timeout: 10000 });
      assert.equal(await page.locator('.sr-group[data-kind="run"] .sr-title', { hasText: 'resnet-wide' }).count(), 0);
      await page.locator('.sr-query').fill('zzzqqq');
      await page.locator('.sr-query').press('Enter');
      await page.locator('.sr-results', { hasText: 'No results' }).waitFor({ timeout: 10000 });
    },
  },
];
