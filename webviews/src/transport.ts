// The one way a panel talks to the backend: rpc(method, params), notifications, reconnects.
// Inside VS Code: postMessage to the extension's webview bridge. In a browser (`mltrack ui`): HTTP POST to /rpc,
// notifications over EventSource(<rpc>/events); both same-origin, authenticated by the session cookie the sign-in
// link set (HttpOnly: the page itself never sees a credential, so it sends none).
import type {
  Notifications,
  NotificationMethod,
  ParamsOf,
  RequestMethod,
  ResultOf,
  ErrorData,
} from '../../extension/src/protocol';

export type { ParamsOf, ResultOf, RequestMethod, NotificationMethod };

/** An error answered by the backend (JSON-RPC code/message/data), or a transport failure (code -1). */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: ErrorData | unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }
  /** data.position of an InvalidFilter error, when present. */
  get position(): number | undefined {
    const d = this.data as { position?: unknown } | undefined;
    return d && typeof d.position === 'number' ? d.position : undefined;
  }
}

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare global {
  // eslint-disable-next-line no-var
  var acquireVsCodeApi: (() => VsCodeApi) | undefined;
}

let vscodeApi: VsCodeApi | null | undefined;
/** The VS Code webview API (acquired once), or null in a browser. */
export function vscode(): VsCodeApi | null {
  if (vscodeApi === undefined) vscodeApi = typeof globalThis.acquireVsCodeApi === 'function' ? globalThis.acquireVsCodeApi() : null;
  return vscodeApi;
}
export const inVsCode = (): boolean => vscode() !== null;

type Handler = (params: any) => void;
const notificationHandlers = new Map<string, Set<Handler>>();
const reconnectHandlers = new Set<() => void>();
const signedOutHandlers = new Set<() => void>();
let signedOut = false;

// The browser's session ended (`mltrack ui` restarted or the 12 h limit passed): every call would fail the same way,
// so say it once, and stop reopening the event stream.
function dispatchSignedOut(): void {
  if (signedOut) return;
  signedOut = true;
  for (const h of [...signedOutHandlers]) {
    try {
      h();
    } catch (e) {
      console.error('signed-out handler failed', e);
    }
  }
}

function dispatchNotification(method: string, params: unknown): void {
  const hs = notificationHandlers.get(method);
  if (!hs) return;
  for (const h of [...hs]) {
    try {
      h(params);
    } catch (e) {
      console.error(`notification handler for ${method} failed`, e);
    }
  }
}
function dispatchReconnect(): void {
  for (const h of [...reconnectHandlers]) {
    try {
      h();
    } catch (e) {
      console.error('reconnect handler failed', e);
    }
  }
}

// ---- VS Code ------------------------------------------------------------------------------------------------
let nextId = 1;
const pending = new Map<number, { resolve: (v: any) => void; reject: (e: unknown) => void }>();
let vsListening = false;
function listenVsCode(): void {
  if (vsListening) return;
  vsListening = true;
  window.addEventListener('message', (ev: MessageEvent) => {
    const m = ev.data as any;
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'rpcResult': {
        const p = pending.get(m.id);
        if (p) (pending.delete(m.id), p.resolve(m.result));
        break;
      }
      case 'rpcError': {
        const p = pending.get(m.id);
        const err = m.error ?? {};
        if (p) (pending.delete(m.id), p.reject(new RpcError(err.code ?? -1, err.message ?? 'RPC error', err.data)));
        break;
      }
      case 'notification':
        dispatchNotification(m.method, m.params);
        break;
      case 'reconnected':
        dispatchReconnect();
        break;
    }
  });
}

// ---- browser ------------------------------------------------------------------------------------------------
function bodyData(name: string): string | undefined {
  return document.body?.dataset[name] || undefined;
}
export function rpcUrl(): string {
  return bodyData('rpc') ?? '/rpc';
}

let source: EventSource | null = null;
let everOpened = false;
let lostSince = false;
function ensureEventSource(): void {
  if (source || signedOut || typeof EventSource === 'undefined') return;
  const es = new EventSource(rpcUrl() + '/events');
  source = es;
  es.onopen = () => {
    if (everOpened && lostSince) dispatchReconnect();
    everOpened = true;
    lostSince = false;
  };
  es.onerror = () => {
    lostSince = true;
    // The browser retries by itself while readyState is CONNECTING; when CLOSED (e.g. a 4xx/5xx), reopen later.
    if (es.readyState === EventSource.CLOSED) {
      source = null;
      // EventSource hides the status: ask once whether the session is gone before retrying.
      void sessionEnded().then((ended) => (ended ? dispatchSignedOut() : setTimeout(ensureEventSource, 1000)));
    }
  };
  es.onmessage = (ev: MessageEvent) => {
    try {
      const m = JSON.parse(ev.data);
      if (m && typeof m.method === 'string') dispatchNotification(m.method, m.params);
    } catch {
      /* ignore malformed events */
    }
  };
}

async function sessionEnded(): Promise<boolean> {
  const abort = new AbortController();
  try {
    const res = await fetch(rpcUrl() + '/events', { credentials: 'same-origin', signal: abort.signal });
    return res.status === 401;
  } catch {
    return false; // unreachable: the backend may be restarting, keep retrying
  } finally {
    abort.abort(); // a live stream answered 200: do not keep it open
  }
}

async function httpRpc(method: string, params: unknown): Promise<any> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  let res: Response;
  try {
    res = await fetch(rpcUrl(), { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(params === undefined ? { method } : { method, params }) });
  } catch (e) {
    throw new RpcError(-1, `backend unreachable: ${(e as Error).message ?? e}`);
  }
  let body: any = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  if (res.ok && body && 'result' in body) return body.result;
  if (res.status === 401) dispatchSignedOut();
  const err = body?.error ?? {};
  throw new RpcError(err.code ?? -1, err.message ?? `HTTP ${res.status}`, err.data);
}

// ---- public API ---------------------------------------------------------------------------------------------
/** Calls one backend method (names and types from protocol.ts). Rejects with RpcError. */
export function rpc<M extends RequestMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
  rpcHook?.(method, params);
  const api = vscode();
  if (api) {
    listenVsCode();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      api.postMessage({ type: 'rpc', id, method, params });
    });
  }
  return httpRpc(method, params);
}

/** Observes every outgoing call (tests, the bench). */
let rpcHook: ((method: string, params: unknown) => void) | undefined;
export function setRpcHook(h: ((method: string, params: unknown) => void) | undefined): void {
  rpcHook = h;
}

/** Subscribes to a backend notification (runs/changed, log/append). Returns the unsubscribe function. */
export function onNotification<N extends NotificationMethod>(method: N, handler: (params: Notifications[N]) => void): () => void {
  if (inVsCode()) listenVsCode();
  else ensureEventSource();
  let hs = notificationHandlers.get(method);
  if (!hs) notificationHandlers.set(method, (hs = new Set()));
  hs.add(handler as Handler);
  return () => void hs!.delete(handler as Handler);
}

/** Called after the backend restarted (VS Code: the host says so; browser: the event stream reopened). Reload data. */
export function onReconnect(handler: () => void): () => void {
  if (inVsCode()) listenVsCode();
  else ensureEventSource();
  reconnectHandlers.add(handler);
  return () => void reconnectHandlers.delete(handler);
}

/** Called once when the browser's session has ended (never in VS Code): the page should tell how to sign in again. */
export function onSignedOut(handler: () => void): () => void {
  signedOutHandlers.add(handler);
  if (signedOut) handler();
  return () => void signedOutHandlers.delete(handler);
}

/** Runs an allow-listed extension command (VS Code only; returns false in a browser). */
export function postCommand(command: string, args: unknown[]): boolean {
  const api = vscode();
  if (!api) return false;
  api.postMessage({ type: 'command', command, args });
  return true;
}
