// User preferences in VS Code are the mltrack.* settings (the browser UI keeps the same `Preferences` in the backend
// per user). This module maps settings ⇄ `Preferences` (protocol.ts), validates what panels ask to change (by the
// rules in preferenceRules.ts, which the panels share), and watches the settings so open panels get every change live. A user-settings change fires onDidChangeConfiguration in
// every window, so every window's panels follow.
import * as vscode from 'vscode';
import type { Preferences } from './protocol';
import { checkPreference, DEFAULT_PREFERENCES, MAX_SMOOTHING, usableRunColors } from './preferenceRules';

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
    if (key === 'runColors' && Array.isArray(raw)) raw = usableRunColors(raw);
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
