// Against the real backend, when MLTRACK_BACKEND names an `mltrack` executable (skipped otherwise):
// the requests and notifications the extension relies on, with the shapes protocol.ts declares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Backend } from '../../src/backend';
import { hoverFromLatest, runDescription, sparkline } from '../../src/format';
import type { LogAppendParams, RunChangedParams } from '../../src/protocol';

const stub = vscode as unknown as typeof import('../support/vscode');
const exe = process.env.MLTRACK_BACKEND;

test('real backend: launch a script, follow it, read it back', { skip: !exe && 'set MLTRACK_BACKEND to run', timeout: 120_000 }, async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mltrack-ws-'));
  const script = path.join(ws, 'train.py');
  fs.writeFileSync(
    script,
    ['import time', 'for epoch in range(5):', '    print(f"epoch {epoch} loss={1.0 / (epoch + 1):.4f} acc={epoch / 5:.2f}", flush=True)', '    time.sleep(0.05)', ''].join('\n'),
  );
  stub.settings['mltrack.backendPath'] = exe;
  stub.workspaceState.folders = [{ uri: { fsPath: ws, scheme: 'file' } }];
  const output = new stub.OutputLines();
  const backend = new Backend({ extensionPath: ws } as unknown as import('vscode').ExtensionContext, output as unknown as import('vscode').OutputChannel, () => ({
    workspaceFolder: ws,
    clientName: 'unit-test',
  }));
  const changes: RunChangedParams[] = [];
  const logs: LogAppendParams[] = [];
  backend.onNotification('runs/changed', (p) => changes.push(p));
  backend.onNotification('log/append', (p) => logs.push(p));
  try {
    const t0 = Date.now();
    const exps = await backend.request('experiments/list', {});
    const init = backend.initializeResult!;
    console.log(`# initialize + experiments/list in ${Date.now() - t0} ms; store ${init.storePath}`);
    assert.ok(init.storePath.startsWith(ws));
    assert.ok(Array.isArray(exps));

    const launched = await backend.request('runs/launch', { file: script, interpreter: '/usr/bin/python3', cwd: ws, args: [] });
    assert.match(launched.runId, /^[0-9a-f]{32}$/);
    const end = Date.now() + 60_000;
    while (!changes.some((c) => c.runId === launched.runId && c.status && c.status !== 'RUNNING')) {
      if (Date.now() > end) throw new Error(`run did not end; notifications: ${JSON.stringify(changes)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const final = changes.filter((c) => c.runId === launched.runId).pop()!;
    assert.equal(final.status, 'FINISHED', JSON.stringify(changes));
    await new Promise((r) => setTimeout(r, 300));
    const lines = logs.filter((l) => l.runId === launched.runId).flatMap((l) => l.lines);
    assert.ok(lines.some((l) => l.includes('loss=0.2000')), `log/append lines: ${JSON.stringify(lines)}`);

    const list = await backend.request('runs/list', { maxResults: 10 });
    const row = list.runs.find((r) => r.runId === launched.runId)!;
    assert.ok(row, 'run listed');
    assert.equal(row.sourceFile, script);
    console.log(`# tree row description: ${runDescription({ ...row, metrics: Object.entries(row.metrics).map(([key, latest]) => ({ key, latest })) }, Date.now())}`);
    const bySource = await backend.request('runs/list', { filter: `attributes.source_file = '${script}'`, maxResults: 1 });
    assert.equal(bySource.runs[0]?.runId, launched.runId);
    const running = await backend.request('runs/list', { filter: "attributes.status = 'RUNNING'", maxResults: 1000 });
    assert.equal(running.runs.length, 0);

    const detail = await backend.request('runs/get', { runId: launched.runId });
    assert.ok(detail.metrics.some((m) => m.key === 'loss'));
    assert.ok(detail.command && detail.command.includes('train.py'));

    const latest = await backend.request('metrics/latest', { key: 'loss' });
    assert.equal(latest.lowerIsBetter, true);
    assert.equal(latest.latest?.runId, launched.runId);
    const md = hoverFromLatest(latest, Date.now());
    console.log('# hover:\n' + md.split('\n').map((l) => '#   ' + l).join('\n'));
    assert.match(md, /Latest: \*\*0\.2\*\*/);
    assert.match(md, /Best \(min\): \*\*0\.2\*\*/);

    const hist = await backend.request('metrics/history', { runId: launched.runId, key: 'acc', buckets: 60 });
    assert.ok(hist.buckets && hist.buckets.length === 5);
    console.log(`# acc sparkline: ${sparkline(hist.buckets.map((b) => b.last))}`);
    const keys = await backend.request('metrics/keys', { runId: launched.runId });
    assert.ok(keys.some((k) => k.key === 'acc'));

    const found = await backend.request('search/query', { text: 'trai', limit: 20 });
    assert.ok(found.hits.some((h) => h.runId === launched.runId), JSON.stringify(found));
    const graph = await backend.request('lineage/graph', { runId: launched.runId, direction: 'both' });
    assert.ok(graph.nodes.some((n) => n.runId === launched.runId));
  } finally {
    await backend.dispose();
    stub.workspaceState.folders = undefined;
  }
});
