// The user's preferences (protocol.ts "preferences") as the panels see them.
// VS Code: the extension fills <body data-preferences="<Preferences JSON>"> and posts {type:'preferences', preferences}
//   whenever a mltrack.* setting changes; writes go to the extension as the command 'mltrack.setPreference' [partial]
//   (it writes the settings, which comes back here as a 'preferences' message).
// Browser (`mltrack ui`): data-preferences is empty; the backend keeps the preferences per user: preferences/get once,
//   then the preferences/changed notification (from any window), writes with preferences/set.
// Everything that arrives is validated field by field, by the rules the extension applies too
// (extension/src/preferenceRules.ts): an unknown or bad field never reaches a panel (defaults, or the value it had,
// stand in for it).
import type { Preferences, PreferencesResult } from '../../extension/src/protocol';
import { checkPreference, DEFAULT_PREFERENCES, PREFERENCE_KEYS, usableRunColors } from '../../extension/src/preferenceRules';
import { inVsCode, onNotification, postCommand, rpc } from './transport';

export type { Preferences };

/** The command the VS Code host runs for a write (args: [Partial<Preferences>]). */
export const SET_PREFERENCE_COMMAND = 'mltrack.setPreference';

/** The value of one field if `v` is valid for it, else undefined. A list of run colours with some bad entries keeps
 *  the good ones (in order); a non-list is bad as a whole. */
function validField<K extends keyof Preferences>(key: K, v: unknown): Preferences[K] | undefined {
  if (key === 'runColors') return Array.isArray(v) ? (usableRunColors(v) as Preferences[K]) : undefined;
  const checked = checkPreference(key, v);
  return checked.ok ? (checked.value as Preferences[K]) : undefined;
}

/** The valid known fields of `raw` (anything: a parsed message, a partial write); the rest is dropped. */
export function validPartial(raw: unknown): Partial<Preferences> {
  const out: Partial<Preferences> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const k of PREFERENCE_KEYS) {
    const v = validField(k, (raw as Record<string, unknown>)[k]);
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** `base` with the valid fields of `raw` laid over it (a fresh object; runColors copied). */
export function mergePreferences(base: Readonly<Preferences>, raw: unknown): Preferences {
  const merged = { ...base, ...validPartial(raw) };
  return { ...merged, runColors: [...merged.runColors] };
}

/** The fields whose values differ. */
export function changedKeys(a: Readonly<Preferences>, b: Readonly<Preferences>): (keyof Preferences)[] {
  return PREFERENCE_KEYS.filter((k) => (k === 'runColors' ? a.runColors.join('\n') !== b.runColors.join('\n') : a[k] !== b[k]));
}

/** The body's data-preferences, parsed; null when empty, unfilled ("{{preferencesJson}}") or not a JSON object. */
export function parsePreferencesAttr(raw: string | undefined | null): Record<string, unknown> | null {
  if (!raw || !raw.trim().startsWith('{')) return null;
  try {
    const v = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

// ---- the live preferences of this page ------------------------------------------------------------------------

export interface PreferencesChange {
  previous: Preferences;
  changed: (keyof Preferences)[];
  /** The first answer in a browser (preferences/get), replacing the defaults the page started with: a panel keeps
   *  choices the user made in it (saved state) over such a change, but applies later changes. */
  initial: boolean;
}
type Listener = (p: Preferences, change: PreferencesChange) => void;

let current: Preferences = mergePreferences(DEFAULT_PREFERENCES, {});
let started = false;
let user: string | null = null;
let loaded: Promise<Preferences> | null = null;
const listeners = new Set<Listener>();

function update(next: Preferences, initial = false): void {
  const previous = current;
  const changed = changedKeys(previous, next);
  current = next;
  if (changed.length === 0) return;
  for (const l of [...listeners]) {
    try {
      l(next, { previous, changed, initial });
    } catch (e) {
      console.error('preferences listener failed', e);
    }
  }
}

function fromResult(r: PreferencesResult | null | undefined): Preferences {
  return mergePreferences(DEFAULT_PREFERENCES, r?.preferences);
}

/** Reads the host's preferences and starts listening (once per page; a no-op outside a page, e.g. in unit tests). */
function start(): void {
  if (started) return;
  started = true;
  if (typeof document === 'undefined') {
    loaded = Promise.resolve(current);
    return;
  }
  const attr = parsePreferencesAttr(document.body?.dataset.preferences);
  if (attr) current = mergePreferences(DEFAULT_PREFERENCES, attr);
  if (inVsCode()) {
    // The extension filled data-preferences and tells us about every change.
    window.addEventListener('message', (ev: MessageEvent) => {
      const m = ev.data as { type?: unknown; preferences?: unknown } | null;
      if (m && typeof m === 'object' && m.type === 'preferences') update(mergePreferences(DEFAULT_PREFERENCES, m.preferences));
    });
    loaded = Promise.resolve(current);
    return;
  }
  onNotification('preferences/changed', (p) => {
    // Another user's preferences (a shared backend) are none of this page's business.
    if (user !== null && p && p.user !== user) return;
    update(fromResult(p));
  });
  loaded = rpc('preferences/get', {})
    .then((r) => {
      user = r.user;
      update(fromResult(r), !attr);
      return current;
    })
    .catch((e) => {
      // An older backend without preferences: the defaults stay.
      console.warn('preferences/get failed; using the defaults', e);
      return current;
    });
}

/** The preferences now (the host's, or the defaults until a browser page has them from the backend). */
export function currentPreferences(): Preferences {
  start();
  return current;
}

/** Resolves once the host's preferences are known (immediately in VS Code; after preferences/get in a browser). */
export function preferencesLoaded(): Promise<Preferences> {
  start();
  return loaded!;
}

/** Calls `cb` whenever a preference changes (here or in any other window). Returns the unsubscribe function. */
export function onPreferences(cb: Listener): () => void {
  start();
  listeners.add(cb);
  return () => void listeners.delete(cb);
}

/**
 * Changes some preferences (bad fields are dropped). Browser: preferences/set, applied here from its answer (the
 * other windows get preferences/changed). VS Code: the extension writes the settings and posts them back.
 */
export async function setPreferences(partial: Partial<Preferences>): Promise<Preferences> {
  start();
  const values = validPartial(partial);
  if (Object.keys(values).length === 0) return current;
  if (inVsCode()) {
    postCommand(SET_PREFERENCE_COMMAND, [values]);
    return current;
  }
  const r = await rpc('preferences/set', user !== null ? { user, values } : { values });
  user = r.user;
  update(fromResult(r));
  return current;
}

// ---- theme (browser only: VS Code panels follow VS Code's theme) ---------------------------------------------------

const THEME_CLASSES = ['mt-theme-auto', 'mt-theme-light', 'mt-theme-dark'];
let themeHooked = false;

function setThemeClass(theme: Preferences['theme']): void {
  for (const el of [document.documentElement, document.body]) {
    if (!el) continue;
    el.classList.remove(...THEME_CLASSES);
    el.classList.add(`mt-theme-${theme}`);
  }
}

/** Puts the theme preference on <html> and <body> (theme.css honours it) and keeps it there as it changes. */
export function applyTheme(): void {
  if (typeof document === 'undefined' || inVsCode()) return;
  setThemeClass(currentPreferences().theme);
  if (themeHooked) return;
  themeHooked = true;
  onPreferences((p, c) => c.changed.includes('theme') && setThemeClass(p.theme));
}
