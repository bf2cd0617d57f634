// Sets up the panel host (registerPanels) against the vscode stub and a fake backend, for tests of the bridge:
// an extension folder with a shell page, a backend that records requests and answers from a table.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Backend } from '../../src/backend';
import { registerPanels } from '../../src/panels/webviewHost';

const stub = vscode as unknown as typeof import('./vscode');

/** The shell's attributes as webviews/shell.html has them. */
const SHELL = `<!DOCTYPE html><html><head><title>{{title}}</title></head>
<body data-panel="{{panel}}" data-args="{{argsJson}}" data-rpc="{{rpcUrl}}" data-preferences="{{preferencesJson}}">
<div id="app"></div><script nonce="{{nonce}}" src="{{base}}/main.js"></script></body></html>`;

export interface FakeBackend {
  requests: Array<{ method: string; params: unknown }>;
  /** Answers by method (a function of the params, or a value); an unknown method rejects. */
  answers: Record<string, unknown>;
}

export function fakeBackend(answers: Record<string, unknown> = {}): FakeBackend & Backend {
  const requests: FakeBackend['requests'] = [];
  const none = () => new stub.Disposable(() => undefined);
  const b = {
    requests,
    answers,
    request(method: string, params: unknown): Promise<unknown> {
      requests.push({ method, params });
      const a = b.answers[method];
      if (a === undefined) return Promise.reject(new Error(`fake backend: no answer for ${method}`));
      return Promise.resolve(typeof a === 'function' ? (a as (p: unknown) => unknown)(params) : a);
    },
    onNotification: none,
    onDidStart: none,
    onDidStop: none,
  };
  return b as unknown as FakeBackend & Backend;
}

let registered: { backend: FakeBackend & Backend; context: vscode.ExtensionContext } | undefined;

/** registerPanels once per test file (module state), with a fresh fake backend answer table per call. */
export function panelHost(answers: Record<string, unknown> = {}): { backend: FakeBackend & Backend; context: vscode.ExtensionContext } {
  if (registered) {
    registered.backend.requests.length = 0;
    registered.backend.answers = answers;
    return registered;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mltrack-ext-host-'));
  fs.mkdirSync(path.join(root, 'webviews', 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, 'webviews', 'shell.html'), SHELL);
  fs.writeFileSync(path.join(root, 'webviews', 'dist', 'main.js'), '');
  const memento = new Map<string, unknown>();
  const context = {
    extensionUri: stub.Uri.file(root),
    subscriptions: [] as Array<{ dispose(): void }>,
    workspaceState: {
      get: (k: string) => memento.get(k),
      update: (k: string, v: unknown) => Promise.resolve(void memento.set(k, v)),
    },
  } as unknown as vscode.ExtensionContext;
  const backend = fakeBackend(answers);
  registerPanels(context, backend);
  registered = { backend, context };
  return registered;
}

/** Decodes the HTML-escaped value of a `data-*` attribute of a panel's page. */
export function dataAttribute(html: string, name: string): string | undefined {
  const m = new RegExp(`${name}="([^"]*)"`).exec(html);
  if (!m) return undefined;
  return m[1]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Closes every panel the stub created (between tests). */
export function closeAllPanels(): void {
  for (const p of stub.createdPanels) p.dispose();
  stub.createdPanels.length = 0;
}
