// Panel state (selection, zoom, columns, sort, filter) that survives hiding and reloading the panel.
// VS Code: the webview's getState/setState (restored by the panel serializer). Browser: sessionStorage, keyed by
// panel + args, so two tabs of different panels do not share state.
// One webview holds one state object; `scope` lets embedded components (e.g. a chart grid inside the compare panel)
// keep their own slice of it: loadState('charts') / saveState(s, 'charts').
import { vscode } from './transport';

const DEFAULT_SCOPE = 'panel';

function storageKey(): string {
  const b = document.body;
  return `mltrack:${b?.dataset.panel ?? ''}:${b?.dataset.args ?? ''}`;
}

function readAll(): Record<string, unknown> {
  const api = vscode();
  if (api) {
    const s = api.getState();
    return s && typeof s === 'object' ? (s as Record<string, unknown>) : {};
  }
  try {
    const raw = sessionStorage.getItem(storageKey());
    const s = raw ? JSON.parse(raw) : null;
    return s && typeof s === 'object' ? s : {};
  } catch {
    return {};
  }
}

function writeAll(all: Record<string, unknown>): void {
  const api = vscode();
  if (api) return api.setState(all);
  try {
    sessionStorage.setItem(storageKey(), JSON.stringify(all));
  } catch {
    /* storage full or disabled: state just does not survive */
  }
}

/** The saved state of this panel (or of one scope in it), or undefined. */
export function loadState<T>(scope: string = DEFAULT_SCOPE): T | undefined {
  return readAll()[scope] as T | undefined;
}

/** Saves the state of this panel (or of one scope in it). Must be JSON-serialisable. */
export function saveState<T>(s: T, scope: string = DEFAULT_SCOPE): void {
  const all = readAll();
  all[scope] = s;
  writeAll(all);
}

/**
 * saveState, at most once per `ms` (for state that changes on every scroll or drag); a pending save is flushed when
 * the page is hidden or unloaded (navigation, reload, the webview being hidden).
 */
export function debouncedSaver<T>(scope: string = DEFAULT_SCOPE, ms = 200): (s: T) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: T;
  let dirty = false;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (dirty) {
      dirty = false;
      saveState(last, scope);
    }
  };
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flush());
  return (s: T) => {
    last = s;
    dirty = true;
    if (timer) return;
    timer = setTimeout(flush, ms);
  };
}
