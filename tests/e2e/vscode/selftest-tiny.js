'use strict';
// Self-test of the harness against ../shared/examples/tiny-extension (copied to a temp dir, packaged there):
// proves code-server + Chromium + Playwright and every helper work on this machine, independently of MLTrack.
const fs = require('fs');
const path = require('path');
const h = require('./lib');

function packageTinyExtension(runDir) {
  const src = process.env.TINY_EXTENSION_DIR || path.resolve(h.REPO, '../shared/examples/tiny-extension');
  const dir = path.join(runDir, 'tiny-extension');
  fs.cpSync(src, dir, { recursive: true });
  for (const f of fs.readdirSync(dir, { recursive: true })) fs.chmodSync(path.join(dir, f), 0o755);
  const vsce = [path.join(h.REPO, 'extension/node_modules/.bin/vsce'), path.join(h.E2E_ROOT, 'node_modules/.bin/vsce')].find(fs.existsSync);
  if (!vsce) throw new Error('vsce not found (extension/node_modules/.bin/vsce): run npm ci in extension/');
  h.sh(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '-o', path.join(runDir, 'cstest.vsix')], { cwd: dir });
  return path.join(runDir, 'cstest.vsix');
}

const scenarios = [
  ['tree_view_in_activity_bar', async ({ page }) => {
    await h.showActivity(page, 'CSTest');
    return (await h.waitForTree(page, 'CSTest Side', (rows) => rows.some((r) => r.text === 'Side two') && rows)).map((r) => r.text);
  }],
  ['palette_command_and_notification', async ({ page }) => {
    await h.runCommand(page, 'CSTest: Say Hello');
    return h.waitForNotification(page, /CSTest hello/);
  }],
  ['codelens_click', async ({ page }) => {
    await h.clearNotifications(page);
    await h.openFile(page, 'train.py');
    const lenses = await (async () => { await h.clickCodeLens(page, 'CSTest lens: run main'); return h.codeLensTexts(page); })();
    await h.waitForNotification(page, /CSTest hello/);
    return lenses;
  }],
  ['hover', async ({ page }) => h.hoverWord(page, 'import math', 'math', { expect: /CSTest hover/ })],
  ['webview', async ({ page }) => {
    await page.mouse.move(5, 5);
    await h.runCommand(page, 'CSTest: Open Webview');
    const { text } = await h.findWebviewFrame(page, /Hello from CSTest webview/);
    return text.replace(/\s+/g, ' ').slice(0, 100);
  }],
];

module.exports = { packageTinyExtension, scenarios };
