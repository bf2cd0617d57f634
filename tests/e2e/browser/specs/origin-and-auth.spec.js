'use strict';
// Every panel loads from `mltrack ui` and reaches no address but its own origin; the API needs the token and a
// loopback Host; a browser signs in with a one-time code and then holds only an HttpOnly cookie (the token is in no
// URL, page or script-visible value). Seeds two runs (metrics, params, tags, files) through the public REST API first.
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
        const meta = await page.evaluate((token) => ({
          panel: document.body.dataset.panel,
          hasToken: 'token' in document.body.dataset || document.documentElement.outerHTML.includes(token),
          cookie: document.cookie,
          app: document.getElementById('app').childNodes.length,
          text: document.body.innerText.replace(/\s+/g, ' ').slice(0, 120),
        }), ui.token);
        assert.equal(meta.panel, panel);
        assert.ok(!meta.hasToken, 'the page holds no token');
        assert.equal(meta.cookie, '', 'the session cookie is HttpOnly');
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

      // pages: not signed in → 401 page; events: no cookie or token → 401; the token in a URL → 401
      await page.context().clearCookies();
      const page401 = await page.goto(`${ui.baseUrl}/ui/runs`);
      assert.equal(page401.status(), 401);
      assert.match(await page.textContent('body'), /mltrack ui --open/);
      const events = await fetch(`${ui.baseUrl}/rpc/events`);
      assert.equal(events.status, 401);
      const inUrl = await page.goto(`${ui.baseUrl}/ui/runs?token=${ui.token}`);
      assert.equal(inUrl.status(), 401, 'the token is not taken from a URL');
      assert.ok(!(await page.content()).includes(ui.token));
      // a foreign Host (DNS rebinding) is refused even with the token (fetch may not set Host: use http directly)
      const status = await new Promise((resolve, reject) => {
        const u = new URL(ui.baseUrl);
        require('http').get({ host: u.hostname, port: u.port, path: '/ui/runs', headers: { Host: 'rebound.example', Authorization: `Bearer ${ui.token}` } },
          (res) => { res.resume(); resolve(res.statusCode); }).on('error', reject);
      });
      assert.equal(status, 403);
      return { noToken: noToken.status, foreignOrigin: foreignOrigin.status, foreignHost: status };
    },
  },
  {
    name: 'a one-time link signs the browser in, leaves the address bar and works once',
    async run({ ui, assert, page, consoleErrors }) {
      await page.context().clearCookies();
      const { url } = await ui.api.mintCode();
      const res = await page.goto(url);
      assert.equal(res.status(), 200);
      assert.equal(page.url(), `${ui.baseUrl}/ui/runs`, 'the code is gone from the address bar');
      await page.waitForFunction(() => document.getElementById('app').childNodes.length > 0);
      // the panel's own calls go through on the cookie alone
      const runs = await page.evaluate(async () => {
        const r = await fetch('/rpc', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ method: 'runs/list', params: {} }) });
        return { status: r.status, ok: Array.isArray((await r.json()).result?.runs) };
      });
      assert.deepEqual(runs, { status: 200, ok: true });
      const [cookie] = await page.context().cookies(ui.baseUrl);
      assert.ok(cookie && cookie.httpOnly && cookie.sameSite === 'Strict' && cookie.value !== ui.token, JSON.stringify(cookie));
      assert.equal(await page.evaluate(() => document.cookie), '');

      // the same link in a browser that is not signed in: refused, and it says what to do
      await page.context().clearCookies();
      const again = await page.goto(url);
      assert.equal(again.status(), 401);
      const text = await page.textContent('body');
      assert.match(text, /already used/);
      assert.match(text, /mltrack ui --open/);
      assert.deepEqual(consoleErrors.filter((e) => !/401/.test(e)), []);
      return { signedIn: runs.status, reused: again.status() };
    },
  },
  {
    name: 'a page whose session ended says how to sign in again',
    async run({ ui, page, context, openPanel, assert }) {
      const exp = await ui.api.createExperiment('signed-out');
      await ui.api.seedRun({ experimentId: exp, name: 'before', metrics: { loss: [1, 0.5] } });
      await openPanel('runs', {});
      await page.waitForSelector('text=before', { timeout: 15000 });
      assert.equal(await page.locator('.mt-signed-out').count(), 0, 'no banner while signed in');
      await context.clearCookies(); // as when mltrack ui restarted: the page's session is unknown to the server
      await ui.api.seedRun({ experimentId: exp, name: 'after', metrics: { loss: [1] } }); // the table re-reads: 401
      const banner = page.locator('.mt-signed-out');
      await banner.waitFor({ timeout: 15000 });
      assert.match(await banner.innerText(), /mltrack ui --open/);
      assert.equal(await banner.count(), 1, 'said once');
    },
  },
];
