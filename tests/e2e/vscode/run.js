'use strict';
// End-to-end suite in a real VS Code (code-server + playwright-core + Debian chromium).
// Usage: node run.js --vsix extension/mltrack-X.vsix [--keep]     the MLTrack scenarios (issue 4)
//        node run.js --self-test [--keep]                         the harness itself, against shared/examples/tiny-extension
// Prints "N passed, N failed" as its last line; exits 1 when a scenario failed, 2 when the set-up failed.
const fs = require('fs');
const os = require('os');
const path = require('path');
const h = require('./lib');

const argv = process.argv.slice(2);
const arg = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const selfTest = argv.includes('--self-test');
const keep = argv.includes('--keep') || !!process.env.E2E_KEEP;
const only = arg('--only'); // comma-separated scenario names
const SUITE_TIMEOUT_MS = Number(process.env.E2E_SUITE_TIMEOUT_MS || 9 * 60 * 1000);

async function main() {
  const t0 = Date.now();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mltrack-e2e-'));
  h.log(`E2E_ROOT=${h.E2E_ROOT} run dir ${runDir}`);
  if (!keep) h.onInterrupt(() => fs.rmSync(runDir, { recursive: true, force: true }));
  fs.rmSync(h.RESULTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(h.RESULTS_DIR, { recursive: true });

  const watchdog = setTimeout(() => {
    console.error(`suite timed out after ${SUITE_TIMEOUT_MS / 1000} s`);
    h.killAllSync();
    console.log('0 passed, 1 failed');
    process.exit(1);
  }, SUITE_TIMEOUT_MS);
  watchdog.unref();

  const suite = selfTest ? require('./selftest-tiny') : require('./scenarios-mltrack');
  if (!selfTest) {
    // the panels' scenarios (issue 5) run before the one that opens a second window
    const panels = require('./scenarios-panels').scenarios;
    const at = suite.scenarios.findIndex(([n]) => n === 'missing_backend_clear_error');
    suite.scenarios.splice(at < 0 ? suite.scenarios.length : at, 0, ...panels);
    // the deployment scenario (issue 6), likewise before the second window; its training script joins the workspace
    const deploy = require('./scenarios-deploy');
    const at2 = suite.scenarios.findIndex(([n]) => n === 'missing_backend_clear_error');
    suite.scenarios.splice(at2 < 0 ? suite.scenarios.length : at2, 0, ...deploy.scenarios);
    suite.workspaceFiles = { ...(suite.workspaceFiles || {}), ...deploy.workspaceFiles };
    // analytics, preferences, reports, the activity heatmap and the production dashboard (issue 7), likewise before
    // the second window
    const analytics = [...require('./scenarios-analytics').scenarios, ...require('./scenarios-activity-production').scenarios];
    const at3 = suite.scenarios.findIndex(([n]) => n === 'missing_backend_clear_error');
    suite.scenarios.splice(at3 < 0 ? suite.scenarios.length : at3, 0, ...analytics);
  }
  const ctx = { runDir, argv, arg, servers: [], pages: [], state: {} };
  let results = [];
  let setupError = null;
  let browser = null;
  try {
    const vsix = selfTest ? suite.packageTinyExtension(runDir) : path.resolve(arg('--vsix') || '');
    if (!vsix || !fs.existsSync(vsix)) throw new Error(`no .vsix: pass --vsix PATH (got ${vsix || 'nothing'})`);
    ctx.vsix = vsix;
    ctx.userDataDir = path.join(runDir, 'ud');
    ctx.extensionsDir = path.join(runDir, 'exts');
    h.writeUserSettings(ctx.userDataDir, { ...h.BASE_SETTINGS, ...(suite.settings || {}) });
    h.installVsix(vsix, ctx.userDataDir, ctx.extensionsDir);
    ctx.ws = h.makeWorkspace(path.join(runDir, 'ws'), suite.workspaceFiles || {});
    if (suite.prepare) await suite.prepare(ctx);

    const cs = await h.startCodeServer({ runDir, userDataDir: ctx.userDataDir, extensionsDir: ctx.extensionsDir });
    ctx.servers.push(cs);
    ctx.base = cs.base;
    browser = await h.launchBrowser(runDir);
    ctx.context = browser.context;
    ctx.page = browser.page;
    ctx.consoleErrors = browser.consoleErrors;
    // appended to a failed scenario's message: what the extension said meanwhile
    ctx.diagnose = async (c, mark) => {
      const notes = c.page ? await h.allNotifications(c.page) : [];
      const errs = c.consoleErrors.slice(mark).filter((m) => /mltrack/i.test(m));
      return (notes.length ? ` || notifications: ${JSON.stringify(notes.map((n) => n.slice(0, 300)))}` : '')
        + (errs.length ? ` || console: ${JSON.stringify(errs.slice(0, 3))}` : '');
    };
    await h.openWorkbench(ctx.page, ctx.base, ctx.ws, 'train.py');
    await h.screenshot(ctx.page, '00-workbench');

    let scenarios = suite.scenarios;
    if (only) { const want = only.split(','); scenarios = scenarios.filter(([n]) => want.includes(n)); }
    results = await h.runScenarios(scenarios, ctx);
  } catch (e) {
    setupError = e;
    h.log('SETUP FAILED', (e && e.stack) || e);
    if (ctx.page) await h.screenshot(ctx.page, 'setup-FAIL');
  } finally {
    if (browser) {
      browser.blocked.length && h.log(`blocked ${browser.blocked.length} non-loopback requests, e.g. ${browser.blocked.slice(0, 3).join(' ')}`);
      await browser.context.close().catch(() => {});
    }
    for (const s of ctx.servers) await s.stop();
    h.killAllSync();
    for (const [i, ud] of [ctx.userDataDir, ctx.userDataDir2].entries()) {
      if (ud) h.copyLogs(ud, path.join(h.RESULTS_DIR, `logs${i ? i + 1 : ''}`));
    }
    for (const f of fs.readdirSync(runDir)) if (f.endsWith('.log')) fs.copyFileSync(path.join(runDir, f), path.join(h.RESULTS_DIR, f));
    fs.writeFileSync(path.join(h.RESULTS_DIR, 'results.json'), JSON.stringify({
      setupError: setupError ? String(setupError.message || setupError) : null,
      totalMs: Date.now() - t0,
      blockedRequests: browser ? browser.blocked : [],
      consoleErrors: browser ? browser.consoleErrors.slice(0, 30) : [],
      results,
    }, null, 2));
    if (keep) h.log(`kept ${runDir}`); else fs.rmSync(runDir, { recursive: true, force: true });
  }

  console.log('');
  for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'} ${r.name} (${(r.ms / 1000).toFixed(1)} s)${r.ok ? '' : ': ' + r.error}${r.shot ? '  ' + r.shot : ''}`);
  if (setupError) console.log(`SETUP FAILED: ${String(setupError.message || setupError).split('\n')[0]}`);
  console.log(`suite took ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots and logs in ${path.relative(process.cwd(), h.RESULTS_DIR) || '.'}`);
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed + (setupError ? 1 : 0);
  console.log(`${passed} passed, ${failed} failed`);
  return setupError ? 2 : failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { console.error('FATAL', e); h.killAllSync(); console.log('0 passed, 1 failed'); process.exit(2); });
