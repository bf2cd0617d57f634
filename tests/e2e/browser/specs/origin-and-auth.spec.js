'use strict';
// Every panel loads from `mltrack ui` and reaches no address but its own origin; the API needs the token and a
// loopback Host. Seeds two runs (metrics, params, tags, files) through the public REST API first.
const { PANELS } = require('../harness');

async function seed(api) {
  const exp = await api.createExperiment('origin-check');
  const loss = Array.from({ length: 50 }, (_, i) => 1 / (1 + i * 0.1));
  const a = await api.seedRun({
    experimentId: exp, name: 'origin-a', params: { lr: '0.1', epochs: '5' }, tags: { team: 'vision' },
    metrics: { loss, acc: loss.map((v) => 1 - v) },
    outputs: [{ path: 'model.pt', size: 10, sha256: 'a'.repeat(64) }],
  });
  const b = await api.seedRun({
    experimentId: exp, name: 'origin-b', params: { lr: '0.01', epochs: '5' },
    metrics: { loss: loss.map((v) => v * 1.1) },
    inputs: [{ path: 'model.pt', size: 10, sha256: 'a'.repeat(64) }],
  });
  return { exp, a, b };
}

let seeded;

module.exports = [
  {
    name: 'every panel loads with no request to another origin',
    async run({ ui, page, openPanel, screenshot, assert, foreignRequests, consoleErrors }) {
      seeded = seeded || await seed(ui.api);
      const args = {
        runs: {},
        charts: { runIds: [seeded.a, seeded.b], keys: ['loss'] },
        compare: { runIds: [seeded.a, seeded.b] },
        run: { runId: seeded.a },
        lineage: { runId: seeded.a },
        search: { text: 'origin' },
      };
      const cspViolations = [];
      await page.exposeFunction('__cspViolation', (v) => cspViolations.push(v));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          window.__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
        });
      });
      const loaded = {};
      for (const panel of PANELS) {
        await openPanel(panel, args[panel]);
        await page.waitForLoadState('networkidle').catch(() => {});
        const meta = await page.evaluate(() => ({
          panel: document.body.dataset.panel,
          hasToken: !!document.body.dataset.token,
          app: document.getElementById('app').childNodes.length,
          text: document.body.innerText.replace(/\s+/g, ' ').slice(0, 120),
        }));
        assert.equal(meta.panel, panel);
        assert.ok(meta.hasToken, 'the shell carries the token');
        assert.ok(meta.app > 0, `${panel} rendered into #app`);
        loaded[panel] = meta.text;
        await screenshot(`origin-${panel}`);
      }
      assert.deepEqual(foreignRequests, [], `requests to other origins: ${foreignRequests.join(' ')}`);
      assert.deepEqual(cspViolations, [], `CSP violations: ${cspViolations.join(' | ')}`);
      const cspErrors = consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e));
      assert.deepEqual(cspErrors, [], 'no CSP errors in the console');
      return loaded;
    },
  },
  {
    name: '/rpc needs the token, a loopback Host and our origin',
    async run({ ui, assert, page }) {
      const noToken = await ui.api.rpcRaw('runs/list', {}, { token: null });
      assert.equal(noToken.status, 401);
      assert.equal(noToken.body.error.data.errorCode, 'UNAUTHENTICATED');
      const wrong = await ui.api.rpcRaw('runs/list', {}, { token: 'not-the-token' });
      assert.equal(wrong.status, 401);
      const ok = await ui.api.rpcRaw('runs/list', {});
      assert.equal(ok.status, 200);
      assert.ok(Array.isArray(ok.body.result.runs));
      const foreignOrigin = await ui.api.rpcRaw('runs/list', {}, { headers: { Origin: 'http://evil.example' } });
      assert.equal(foreignOrigin.status, 403);
      const refused = await ui.api.rpcRaw('shutdown', {});
      assert.equal(refused.status, 404, 'shutdown is not on the allow-list');

      // pages: no token → 401 page; events: no token → 401
      const page401 = await page.goto(`${ui.baseUrl}/ui/runs`);
      assert.equal(page401.status(), 401);
      const events = await fetch(`${ui.baseUrl}/rpc/events`);
      assert.equal(events.status, 401);
      // a foreign Host (DNS rebinding) is refused even with the token (fetch may not set Host: use http directly)
      const status = await new Promise((resolve, reject) => {
        const u = new URL(ui.baseUrl);
        require('http').get({ host: u.hostname, port: u.port, path: `/ui/runs?token=${ui.token}`, headers: { Host: 'rebound.example' } },
          (res) => { res.resume(); resolve(res.statusCode); }).on('error', reject);
      });
      assert.equal(status, 403);
      return { noToken: noToken.status, foreignOrigin: foreignOrigin.status, foreignHost: status };
    },
  },
];
