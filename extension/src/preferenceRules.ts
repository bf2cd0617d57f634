// What a valid `Preferences` (protocol.ts) is: the defaults, the allowed values and the colour rule. One module for
// the extension (settings ⇄ panels) and the panels (webviews/src/preferences.ts imports it), so that a value one side
// accepts is never dropped by the other. Pure: no `vscode`, no DOM. The backend's per-user store applies the same
// rules (server/MLTrack.Core/Preferences/PreferencesService.cs); keep them in step.
import type { Preferences } from './protocol';

/** The values used when a preference is unset or unusable (the extension's package.json declares the same). */
export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  theme: 'auto',
  notifications: 'all',
  chartXAxis: 'step',
  chartSmoothing: 0,
  runColors: [],
  tableDensity: 'normal',
  reportType: 'executive',
  cpuHourUsd: 0.047,
  gpuHourUsd: 1.1,
});

export const PREFERENCE_KEYS: readonly (keyof Preferences)[] = Object.freeze(Object.keys(DEFAULT_PREFERENCES) as (keyof Preferences)[]);

/** The allowed values of the preferences that are a choice. */
export const PREFERENCE_CHOICES = {
  theme: ['auto', 'light', 'dark'],
  notifications: ['all', 'failures', 'none'],
  chartXAxis: ['step', 'wall', 'relative'],
  tableDensity: ['compact', 'normal', 'comfortable'],
  reportType: ['executive', 'technical', 'cost'],
} as const satisfies Partial<Record<keyof Preferences, readonly string[]>>;

export const MAX_SMOOTHING = 0.99;
export const MAX_RUN_COLORS = 64;
const MAX_COLOR_LENGTH = 64;

// A CSS colour we are willing to hand to a canvas or a style: #rgb, #rgba, #rrggbb, #rrggbbaa; rgb()/rgba()/hsl()/
// hsla() with plain numbers (commas, spaces, %); or a colour name (letters; the longest CSS name has 20). Nothing
// else (url(), var(), expressions, quotes, semicolons) can reach a style. Every colour this accepts the backend
// accepts too (its rule also lets 5 or 7 hex digits through, which no CSS colour has).
const COLOR = /^(#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|(rgba?|hsla?)\([0-9.,%\s]+\)|[a-zA-Z]{3,20})$/;

/** True for a string that is a usable CSS colour once trimmed (see COLOR). */
export function isCssColor(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_COLOR_LENGTH && COLOR.test(v.trim());
}

/** The usable colours of a list, trimmed, in order, at most MAX_RUN_COLORS: for values read leniently (a hand-edited
 *  setting, a message), where one bad colour should not cost the good ones. */
export function usableRunColors(list: readonly unknown[]): string[] {
  return list.filter(isCssColor).map((c) => c.trim()).slice(0, MAX_RUN_COLORS);
}

export type PreferenceCheck = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Checks one preference value strictly. Returns the value to keep (colours trimmed) or the reason it is refused
 * (an unknown key included).
 */
export function checkPreference(key: string, value: unknown): PreferenceCheck {
  const got = `(got ${JSON.stringify(value)})`;
  switch (key) {
    case 'theme':
    case 'notifications':
    case 'chartXAxis':
    case 'tableDensity':
    case 'reportType': {
      const allowed: readonly string[] = PREFERENCE_CHOICES[key];
      return typeof value === 'string' && allowed.includes(value)
        ? { ok: true, value }
        : { ok: false, reason: `${key} must be one of ${allowed.join(', ')} ${got}` };
    }
    case 'chartSmoothing':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_SMOOTHING
        ? { ok: true, value }
        : { ok: false, reason: `chartSmoothing must be a number from 0 to ${MAX_SMOOTHING} ${got}` };
    case 'cpuHourUsd':
    case 'gpuHourUsd':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0
        ? { ok: true, value }
        : { ok: false, reason: `${key} must be a price of 0 or more in USD ${got}` };
    case 'runColors': {
      if (!Array.isArray(value)) return { ok: false, reason: `runColors must be a list of CSS colours ${got}` };
      if (value.length > MAX_RUN_COLORS) return { ok: false, reason: `runColors holds at most ${MAX_RUN_COLORS} colours (got ${value.length})` };
      const bad = value.findIndex((c) => !isCssColor(c));
      if (bad >= 0) return { ok: false, reason: `runColors: ${JSON.stringify(value[bad])} is not a CSS colour` };
      return { ok: true, value: (value as string[]).map((c) => c.trim()) };
    }
    default:
      return { ok: false, reason: `unknown preference ${JSON.stringify(key)}` };
  }
}
