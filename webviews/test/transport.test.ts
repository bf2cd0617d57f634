import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onNotification, rpc } from '../src/transport';

// A panel in a browser (`mltrack ui`): no VS Code API, a shell page whose body names the /rpc URL. The page is
// signed in by an HttpOnly cookie it cannot see, so the transport must send no credential of its own — not even one
// an old or tampered page left in a data attribute.
const g = globalThis as any;
g.document = { body: { dataset: { rpc: '/rpc', token: 'token-left-in-the-page' } } };

test('in a browser, rpc posts same-origin with the cookie and no Authorization header', async () => {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  g.fetch = async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify({ result: { runs: [] } }), { status: 200 });
  };
  const result = await rpc('runs/list', { maxResults: 1 });
  assert.deepEqual(result, { runs: [] });
  const call = calls[0]!;
  assert.equal(call.url, '/rpc');
  assert.equal(call.init.credentials, 'same-origin');
  const headers = call.init.headers as Record<string, string>;
  assert.deepEqual(Object.keys(headers).map((h) => h.toLowerCase()), ['content-type']);
  assert.ok(!JSON.stringify(call.init).includes('token-left-in-the-page'));
});

test('in a browser, notifications come from <rpc>/events with nothing in the query', () => {
  const opened: string[] = [];
  g.EventSource = class {
    static readonly CLOSED = 2;
    constructor(url: string) {
      opened.push(url);
    }
  };
  const off = onNotification('runs/changed', () => undefined);
  off();
  assert.deepEqual(opened, ['/rpc/events']);
});

test('in a browser, a 401 from /rpc signs the page out once, and the event stream is not reopened', async () => {
  const { onSignedOut } = await import('../src/transport');
  let told = 0;
  onSignedOut(() => told++);
  g.fetch = async () => new Response(JSON.stringify({ error: { code: -32001, message: 'Missing or wrong credentials' } }), { status: 401 });
  await assert.rejects(rpc('runs/list', { maxResults: 1 }), /credentials/);
  await assert.rejects(rpc('runs/list', { maxResults: 1 }));
  assert.equal(told, 1);
  const opened: string[] = [];
  g.EventSource = class {
    static readonly CLOSED = 2;
    constructor(url: string) {
      opened.push(url);
    }
  };
  onNotification('runs/changed', () => undefined)();
  assert.deepEqual(opened, [], 'a signed-out page does not reopen the event stream');
  let late = 0;
  onSignedOut(() => late++);
  assert.equal(late, 1, 'a handler added after the sign-out hears of it at once');
});
