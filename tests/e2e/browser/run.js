'use strict';
// Runs the browser specs of the panels: node run.js [--only word,word] [specs/x.spec.js ...]
// One `mltrack ui` (fresh temporary store) per spec file, a fresh browser context and page per spec.
// Prints "N passed, N failed" as its last line; exits 1 when a spec failed, 2 when the set-up failed.
const fs = require('fs');
const path = require('path');
const h = require('./harness');

const argv = process.argv.slice(2);
const onlyArg = argv.indexOf('--only');
const only = onlyArg >= 0 ? argv[onlyArg + 1].split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : null;
// A spec path is taken from the working directory, else from this folder (so `run.sh specs/x.spec.js` works too).
const files = argv.filter((a, i) => a.endsWith('.js') && argv[i - 1] !== '--only').map((f) => {
  const fromCwd = path.resolve(process.cwd(), f);
  return fs.existsSync(fromCwd) ? fromCwd : path.resolve(__dirname, f);
});
const SPEC_TIMEOUT_MS = Number(process.env.BROWSER_SPEC_TIMEOUT_MS || 60000);
const SUITE_TIMEOUT_MS = Number(process.env.BROWSER_SUITE_TIMEOUT_MS || 15 * 60 * 1000);

function specFiles() {
  if (files.length) return files;
  const dir = path.join(__dirname, 'specs');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.spec.js')).sort().map((f) => path.join(dir, f));
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms); })])
    .finally(() => clearTimeout(timer));
}

async function main() {
  const t0 = Date.now();
  fs.rmSync(h.RESULTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(h.RESULTS_DIR, { recursive: true });
  const watchdog = setTimeout(() => { console.error(`suite timed out after ${SUITE_TIMEOUT_MS / 1000} s`); h.killAllSync(); console.log('0 passed, 1 failed'); process.exit(1); }, SUITE_TIMEOUT_MS);
  watchdog.unref();

  const results = [];
  let setupError = null;
  let browser = null;
  try {
    browser = await h.launchBrowser();
    for (const file of specFiles()) {
      const base = path.basename(file, '.spec.js');
      let specs, options;
      try {
        const mod = require(file);
        options = mod.options || {};
        specs = (Array.isArray(mod) ? mod : [mod]).filter((s) => s && typeof s.run === 'function');
        if (specs.length === 0) throw new Error('exports no { name, run }');
      } catch (e) {
        results.push({ file: base, name: base, ok: false, ms: 0, error: `cannot load ${path.relative(h.REPO, file)}: ${e.message}` });
        continue;
      }
      if (only) specs = specs.filter((s) => only.some((w) => base.toLowerCase().includes(w) || String(s.name).toLowerCase().includes(w)));
      if (specs.length === 0) continue;
      if (options.store === 'postgresql' && !h.postgresServer()) {
        for (const s of specs) results.push({ file: base, name: s.name, ok: false, skipped: true, ms: 0, error: 'skipped: MLTRACK_TEST_POSTGRES is not set (./test.sh starts a test cluster)' });
        continue;
      }
      let ui;
      try {
        ui = await h.startUi({ name: base, store: options.store });
      } catch (e) {
        for (const s of specs) results.push({ file: base, name: s.name, ok: false, ms: 0, error: `mltrack ui did not start: ${e.message}` });
        continue;
      }
      try {
        for (const spec of specs) {
          const t = Date.now();
          const p = await h.newPage(browser, ui);
          const ctx = {
            ui: { baseUrl: ui.baseUrl, token: ui.token, storeDir: ui.storeDir, store: ui.store, tokenFile: ui.tokenFile, api: ui.api },
            startServer: (o = {}) => h.startServer({ store: ui.store, tokenFile: ui.tokenFile, ...o }),
            page: p.page, context: p.context, openPanel: p.openPanel, screenshot: p.screenshot, setTheme: p.setTheme,
            waitForRpc: p.waitForRpc, foreignRequests: p.foreignRequests, consoleErrors: p.consoleErrors, assert: h.assert, log: h.log, sleep: h.sleep,
          };
          const r = { file: base, name: spec.name, ok: false, ms: 0 };
          try {
            r.value = await withTimeout(Promise.resolve().then(() => spec.run(ctx)), spec.timeout || SPEC_TIMEOUT_MS, `spec "${spec.name}"`);
            r.ok = true;
          } catch (e) {
            r.error = String((e && e.stack) || e).split('\n').slice(0, 6).join(' | ');
            r.shot = await p.screenshot(`${base}-${spec.name}-FAIL`).catch(() => null);
          }
          r.ms = Date.now() - t;
          r.foreignRequests = [...p.foreignRequests];
          r.consoleErrors = [...p.consoleErrors];
          results.push(r);
          h.log(`${r.ok ? 'PASS' : 'FAIL'} ${base} › ${spec.name} (${r.ms} ms)${r.ok ? '' : ': ' + r.error}`);
          await p.context.close().catch(() => {});
        }
      } finally {
        await ui.stop();
      }
    }
  } catch (e) {
    setupError = e;
    h.log('SETUP FAILED', (e && e.stack) || e);
  } finally {
    if (browser) await browser.close().catch(() => {});
    h.killAllSync();
    fs.writeFileSync(path.join(h.RESULTS_DIR, 'results.json'), JSON.stringify({
      setupError: setupError ? String(setupError.message || setupError) : null, totalMs: Date.now() - t0, results,
    }, null, 2));
  }

  console.log('');
  for (const r of results) console.log(`${r.ok ? 'PASS' : r.skipped ? 'SKIP' : 'FAIL'} ${r.file} › ${r.name} (${(r.ms / 1000).toFixed(1)} s)${r.ok ? '' : ': ' + r.error}${r.shot ? '  ' + r.shot : ''}`);
  if (setupError) console.log(`SETUP FAILED: ${String(setupError.message || setupError).split('\n')[0]}`);
  console.log(`suite took ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${path.relative(process.cwd(), h.RESULTS_DIR) || '.'}`);
  const passed = results.filter((r) => r.ok).length;
  // A skip means a missing prerequisite (the PostgreSQL test cluster): on CI, or with MLTRACK_TESTS_NO_SKIPS=1, a failure.
  const skipsFail = !!(process.env.CI || process.env.MLTRACK_TESTS_NO_SKIPS === '1');
  const skipped = results.filter((r) => r.skipped).length;
  const failed = results.length - passed - (skipsFail ? 0 : skipped) + (setupError ? 1 : 0);
  console.log(`${passed} passed, ${failed} failed`);
  return setupError ? 2 : failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { console.error('FATAL', e); h.killAllSync(); console.log('0 passed, 1 failed'); process.exit(2); });
