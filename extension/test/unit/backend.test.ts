import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Backend, BackendUnavailableError } from '../../src/backend';

// `vscode` is test/support/vscode.ts here (aliased by scripts/test.mjs).
const stub = vscode as unknown as typeof import('../support/vscode');

// the compiled test runs from a temp folder; scripts/test.mjs passes the extension root
const extRoot = process.env.MLTRACK_EXT_ROOT ?? process.cwd();

function fakeExecutable(dir: string): string {
  const exe = path.join(dir, 'fake-mltrack');
  fs.writeFileSync(exe, `#!/bin/sh\nexec "${process.execPath}" "${path.join(extRoot, 'test', 'support', 'fakeBackend.cjs')}" "$@"\n`);
  fs.chmodSync(exe, 0o755);
  return exe;
}

function makeBackend(exe: string) {
  stub.settings['mltrack.backendPath'] = exe;
  const output = new stub.OutputLines();
  const context = { extensionPath: extRoot } as unknown as import('vscode').ExtensionContext;
  const backend = new Backend(context, output as unknown as import('vscode').OutputChannel, () => ({ workspaceFolder: '/ws', clientName: 'test' }));
  return { backend, output };
}

const waitFor = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

process.env.FAKE_JSONRPC = require.resolve('vscode-jsonrpc/node');

test('a missing backend is reported once, naming the mltrack.backendPath setting', async () => {
  stub.shown.length = 0;
  const { backend } = makeBackend('/nonexistent/mltrack');
  await assert.rejects(backend.request('runs/list', {}), BackendUnavailableError);
  await assert.rejects(backend.request('runs/list', {}), BackendUnavailableError);
  const errors = stub.shown.filter((m) => m.level === 'error');
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /mltrack\.backendPath/);
  assert.match(errors[0].message, /was not found/);
  assert.deepEqual(errors[0].items, ['Open Settings']);
  await backend.dispose();
});

test('a backend that is not executable is reported as such', async () => {
  stub.shown.length = 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mltrack-be-'));
  const exe = path.join(dir, 'mltrack');
  fs.writeFileSync(exe, 'not a program');
  fs.chmodSync(exe, 0o644);
  const { backend } = makeBackend(exe);
  await assert.rejects(backend.request('runs/list', {}), BackendUnavailableError);
  assert.match(stub.shown.filter((m) => m.level === 'error')[0].message, /is not executable/);
  await backend.dispose();
});

test('starts lazily, initializes, relays stderr and notifications, sends shutdown on dispose', async () => {
  stub.shown.length = 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mltrack-be-'));
  const { backend, output } = makeBackend(fakeExecutable(dir));
  assert.equal(backend.isRunning, false);
  const notes: unknown[] = [];
  backend.onNotification('runs/changed', (p) => notes.push(p));
  const res = (await backend.request('runs/list', { maxResults: 5 })) as unknown as { echo: unknown; init: { workspaceFolder: string } };
  assert.equal(backend.isRunning, true);
  assert.deepEqual(res.echo, { maxResults: 5 });
  assert.equal(res.init.workspaceFolder, '/ws');
  assert.equal(backend.initializeResult?.serverVersion, 'fake');
  await waitFor(() => notes.length === 1);
  assert.deepEqual(notes[0], { runId: 'abc', kind: 'created', status: 'RUNNING' });
  await waitFor(() => output.lines.some((l) => l.includes('fake backend: initialized')));
  await backend.dispose();
  await waitFor(() => output.lines.some((l) => l.includes('fake backend: shutdown')));
  assert.equal(stub.shown.length, 0);
});

test('a crashed backend is restarted with a message, at most 3 times a minute', async () => {
  stub.shown.length = 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mltrack-be-'));
  const { backend } = makeBackend(fakeExecutable(dir));
  let starts = 0;
  backend.onDidStart(() => starts++);
  const crash = () => backend.request('test/crash' as 'runs/list');
  await backend.request('runs/list', {});
  for (let i = 1; i <= 3; i++) {
    await crash();
    await waitFor(() => starts === i + 1);
  }
  assert.equal(stub.shown.filter((m) => m.level === 'warning' && /restarting/.test(m.message)).length, 3);
  await crash();
  await waitFor(() => stub.shown.some((m) => m.level === 'error'));
  assert.match(stub.shown.find((m) => m.level === 'error')!.message, /will not be restarted/);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(starts, 4);
  assert.equal(backend.isRunning, false);
  await assert.rejects(backend.request('runs/list', {}), BackendUnavailableError);
  await backend.restart();
  assert.equal(backend.isRunning, true);
  await backend.dispose();
});
