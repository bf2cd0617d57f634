// Small DOM and formatting helpers shared by every panel (no framework).
import type { JsonDouble } from '../../extension/src/protocol';
import { vscode } from './transport';

type Attrs = Record<string, string | number | boolean | null | undefined | EventListener | Partial<CSSStyleDeclaration>>;
type Child = Node | string | number | null | undefined | false | Child[];

/**
 * Creates an element: h('div', {class: 'x', onclick: fn, style: {color: 'red'}, 'data-id': '1'}, 'text', child).
 * `on*` attributes become event listeners (addEventListener, so CSP-safe); false/null/undefined attributes are skipped.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k === 'class') el.className = String(v);
      else if (k in el && typeof v !== 'string' && typeof v !== 'object') (el as any)[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/** Removes every child of el. */
export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Replaces el's children. */
export function render(el: Node, ...children: Child[]): void {
  clear(el);
  append(el, children);
}

export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): ((...a: A) => void) & { cancel(): void } {
  let t: ReturnType<typeof setTimeout> | undefined;
  const f = (...a: A) => {
    if (t) clearTimeout(t);
    t = setTimeout(() => ((t = undefined), fn(...a)), ms);
  };
  f.cancel = () => t && clearTimeout(t);
  return f;
}

/** JsonDouble → number ("NaN"/"Infinity"/"-Infinity" strings → the non-finite numbers; null/undefined → NaN). */
export function num(v: JsonDouble | null | undefined): number {
  if (v === null || v === undefined) return NaN;
  return typeof v === 'string' ? Number(v) : v;
}

/** A metric value for display: 4 significant digits, exponent for tiny/huge, NaN/∞ named. */
export function formatValue(v: JsonDouble | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const n = num(v as JsonDouble);
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '∞';
  if (n === -Infinity) return '-∞';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return n.toExponential(3);
  return String(Number(n.toPrecision(5)));
}

/** Duration in ms → "1h 02m", "3m 05s", "4.2s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const hr = Math.floor(m / 60);
  if (hr < 48) return `${hr}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(hr / 24)}d ${hr % 24}h`;
}

/** Epoch ms → "2024-05-01 13:04:05" (local time). */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export const shortId = (id: string): string => id.slice(0, 8);

/**
 * Saves text or a blob as a file. Browser: an anchor download. VS Code (webviews cannot download): posts
 * {type:'saveFile', filename, mime, base64} for the host to offer a save dialog.
 */
export function download(filename: string, data: string | Blob, mime = 'text/plain'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type: mime }) : data;
  const api = vscode();
  if (api) {
    void blob.arrayBuffer().then((buf) => {
      const bytes = new Uint8Array(buf);
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      api.postMessage({ type: 'saveFile', filename, mime: blob.type || mime, base64: btoa(bin) });
    });
    return;
  }
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, style: { display: 'none' } });
  document.body.appendChild(a);
  a.click();
  setTimeout(() => (a.remove(), URL.revokeObjectURL(url)), 1000);
}

/** A status line / error box helper: `message(el, text, 'error')`. */
export function message(text: string, kind: 'info' | 'error' | 'loading' = 'info'): HTMLElement {
  return h('div', { class: `mt-message mt-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** The `mt-status` pill for a run status. */
export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `mt-status mt-status-${status.toLowerCase()}` }, status);
}

/** One CSV field (RFC 4180): quoted when it holds a quote, comma or line break; numbers with NaN/±Infinity spelled out;
 *  null/undefined empty. Every CSV export (runs table, charts, analytics) writes its cells with this. */
export function csvField(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'number' ? (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v)) : String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/** The message of a failure (an RpcError, an Error or anything thrown), for "Could not …: <text>". */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
