// A fake `mltrack rpc --stdio` for the Backend unit tests: answers initialize/shutdown/runs/list over vscode-jsonrpc,
// writes a stderr line, sends a runs/changed notification after initialize, and exits on `test/crash`.
const rpc = require(process.env.FAKE_JSONRPC);
const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(process.stdin), new rpc.StreamMessageWriter(process.stdout));
let initParams = null;
conn.onRequest('initialize', (p) => {
  initParams = p;
  process.stderr.write('fake backend: initialized\n');
  setTimeout(() => conn.sendNotification('runs/changed', { runId: 'abc', kind: 'created', status: 'RUNNING' }), 20);
  return { serverVersion: 'fake', protocolVersion: 1, storePath: '/tmp/x.db', workspaceFolder: p && p.workspaceFolder, schemaVersion: 1, trackingUri: null, capabilities: { textSearch: true, launch: true, trackingServer: false, lineage: true, metricBuckets: true, notifications: ['runs/changed', 'log/append'] } };
});
conn.onRequest('runs/list', (p) => ({ runs: [], nextPageToken: null, echo: p, init: initParams, pid: process.pid }));
conn.onRequest('test/crash', () => {
  setTimeout(() => process.exit(3), 5);
  return null;
});
conn.onRequest('shutdown', () => {
  process.stderr.write('fake backend: shutdown\n');
  setTimeout(() => process.exit(0), 5);
  return null;
});
conn.listen();
