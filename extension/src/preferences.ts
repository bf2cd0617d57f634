// User preferences in VS Code are the mltrack.* settings (the browser UI keeps the same `Preferences` in the backend
// per user). This module maps settings ⇄ `Preferences` (protocol.ts), validates what panels ask to change, and
// watches the settings so open panels get every change live. A user-settings change fires onDidChangeConfiguration in
// every window, so every window's panels follow.
import * as vscode from 'vscode';
import type { Preferences } from './protocol';

/** The setting (under `mltrack.`) behind each preference; `theme` has none: VS Code panels follow VS Code's theme. */
export const SETTING_OF = {
  notifications: 'notifications',
  chartXAxis: 'chart.xAxis',
  chartSmoothing: 'chart.smoothing',
  runColors: 'chart.runColors',
  tableDensity: 'table.density',
  reportType: 'reports.defaultType',
  cpuHourUsd: 'cost.cpuHourUsd',
  gpuHourUsd: 'cost.gpuHourUsd',
} as const satisfies Record<Exclude<keyof Preferences, 'theme'>, string>;

type SettingBacked = keyof typeof SETTING_OF;

/** The values used when a setting is unset or holds something unusable (same defaults as package.json). */
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

const CHOICES = {
  notifications: ['all', 'failures', 'none'],
  chartXAxis: ['step', 'wall', 'relative'],
  tableDensity: ['compact', 'normal', 'comfortable'],
  reportType: ['executive', 'technical', 'cost'],
} as const satisfies Partial<Record<SettingBacked, readonly string[]>>;

export const MAX_SMOOTHING = 0.99;
const MAX_RUN_COLORS = 64;
/** A CSS colour as a panel can use it (#hex, a name, rgb()/hsl()...): no quotes, semicolons, braces or markup. */
const COLOR = /^[#A-Za-z0-9(),.%\s/+-]{1,64}$/;

/**
 * Checks one preference value. Returns the value to store (trimmed, de-duplicated colours) or the reason it is
 * refused. Used for panel requests; settings read from settings.json go through `readPreferences`, which falls back.
 */
export function checkPreference(key: string, value: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  switch (key) {
    case 'notifications':
    case 'chartXAxis':
    case 'tableDensity':
    case 'reportType': {
      const allowed: readonly string[] = CHOICES[key];
      return typeof value === 'string' && allowed.includes(value)
        ? { ok: true, value }
        : { ok: false, reason: `${key} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})` };
    }
    case 'chartSmoothing':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_SMOOTHING
        ? { ok: true, value }
        : { ok: false, reason: `chartSmoothing must be a number from 0 to ${MAX_SMOOTHING} (got ${JSON.stringify(value)})` };
    case 'cpuHourUsd':
    case 'gpuHourUsd':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0
        ? { ok: true, value }
        : { ok: false, reason: `${key} must be a price of 0 or more in USD (got ${JSON.stringify(value)})` };
    case 'runColors': {
      if (!Array.isArray(value)) return { ok: false, reason: `runColors must be a list of CSS colours (got ${JSON.stringify(value)})` };
      if (value.length > MAX_RUN_COLORS) return { ok: false, reason: `runColors holds at most ${MAX_RUN_COLORS} colours (got ${value.length})` };
      const bad = value.find((c) => typeof c !== 'string' || !COLOR.test(c.trim()));
      if (bad !== undefined) return { ok: false, reason: `runColors: ${JSON.stringify(bad)} is not a CSS colour` };
      return { ok: true, value: (value as string[]).map((c) => c.trim()) };
    }
    case 'theme':
      return value === 'auto' || value === 'light' || value === 'dark'
        ? { ok: true, value }
        : { ok: false, reason: `theme must be one of auto, light, dark (got ${JSON.stringify(value)})` };
    default:
      return { ok: false, reason: `unknown preference ${JSON.stringify(key)}` };
  }
}

/** A settings reader: `get(key)` under `mltrack.` (vscode.WorkspaceConfiguration fits). */
export interface SettingsReader {
  get<T>(key: string): T | undefined;
}

/**
 * The preferences from the mltrack.* settings. A value that is unset or unusable (settings.json is hand-edited and
 * VS Code does not enforce the schema on read) gives the default; a smoothing out of range is clamped; colours that
 * are not usable are dropped.
 */
export function readPreferences(config: SettingsReader = vscode.workspace.getConfiguration('mltrack')): Preferences {
  const prefs: Preferences = { ...DEFAULT_PREFERENCES, runColors: [] };
  for (const key of Object.keys(SETTING_OF) as SettingBacked[]) {
    let raw = config.get<unknown>(SETTING_OF[key]);
    if (raw === undefined || raw === null) continue;
    if (key === 'chartSmoothing' && typeof raw === 'number' && Number.isFinite(raw)) raw = Math.min(MAX_SMOOTHING, Math.max(0, raw));
    if (key === 'runColors' && Array.isArray(raw)) raw = raw.filter((c) => typeof c === 'string' && COLOR.test(c.trim())).slice(0, MAX_RUN_COLORS);
    const checked = checkPreference(key, raw);
    if (checked.ok) (prefs as unknown as Record<string, unknown>)[key] = checked.value;
  }
  return prefs;
}

/** What a panel's `mltrack.setPreference [partial]` turns into: settings to write, or every refused field's reason. */
export type PreferenceUpdate =
  | { ok: true; settings: Array<{ setting: string; value: unknown }>; ignored: string[] }
  | { ok: false; errors: string[] };

/**
 * Validates a partial `Preferences` sent by a panel (untrusted). All or nothing: one invalid value refuses the
 * update, naming it. `theme` is accepted but ignored (VS Code panels follow VS Code's theme).
 */
export function preferenceUpdate(partial: unknown): PreferenceUpdate {
  if (!partial || typeof partial !== 'object' || Array.isArray(partial)) return { ok: false, errors: ['expected an object of preferences'] };
  const settings: Array<{ setting: string; value: unknown }> = [];
  const ignored: string[] = [];
  const errors: string[] = [];
  for (const [key, value] of Object.entries(partial as Record<string, unknown>)) {
    const checked = checkPreference(key, value);
    if (!checked.ok) errors.push(checked.reason);
    else if (key === 'theme') ignored.push(key);
    else settings.push({ setting: SETTING_OF[key as SettingBacked], value: checked.value });
  }
  return errors.length ? { ok: false, errors } : { ok: true, settings, ignored };
}

/**
 * The `mltrack.setPreference` command (posted by panels with [partial Preferences]): writes the matching user
 * settings (ConfigurationTarget.Global, so every window follows). Refused updates are shown and write nothing.
 * Resolves to true when settings were written.
 */
export async function setPreferences(partial: unknown): Promise<boolean> {
  const update = preferenceUpdate(partial);
  if (!update.ok) {
    void vscode.window.showErrorMessage(`MLTrack: preference not changed: ${update.errors.join('; ')}`);
    return false;
  }
  const config = vscode.workspace.getConfiguration('mltrack');
  try {
    for (const { setting, value } of update.settings) await config.update(setting, value, vscode.ConfigurationTarget.Global);
  } catch (e) {
    void vscode.window.showErrorMessage(`MLTrack: could not save the preference: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
  return update.settings.length > 0;
}

/** True when a configuration change touches a setting behind a preference. */
export function affectsPreferences(e: vscode.ConfigurationChangeEvent): boolean {
  return Object.values(SETTING_OF).some((s) => e.affectsConfiguration(`mltrack.${s}`));
}

/** The message panels get when the preferences change (webviews: `{type:'preferences', preferences}`). */
export interface PreferencesMessage {
  type: 'preferences';
  preferences: Preferences;
}

/** Calls `post` with the new preferences after each change of a preference setting (user, workspace or folder level). */
export function watchPreferences(post: (message: PreferencesMessage) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (affectsPreferences(e)) post({ type: 'preferences', preferences: readPreferences() });
  });
}
