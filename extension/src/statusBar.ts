// Status bar item with the number of running runs (click → Runs view), and notifications for runs that end,
// per `mltrack.notifications` (all | failures | none).
import * as vscode from 'vscode';
import { Backend } from './backend';
import { keyMetric, metricText, runLabel, runningText, shortId } from './format';
import { readPreferences } from './preferences';
import { Method, Notification, type Preferences, type RunChangedParams } from './protocol';

const TERMINAL = new Set<string>(['FINISHED', 'FAILED', 'KILLED', 'CRASHED']);
const FAILURES = new Set<string>(['FAILED', 'CRASHED']);
const RUNNING_FILTER = "attributes.status = 'RUNNING'";
const MAX_COUNTED = 1000;

/** Whether a run that ended with `status` is notified at the mltrack.notifications level. */
export function notifiesRunEnd(level: Preferences['notifications'], status: string): boolean {
  return level === 'all' || (level === 'failures' && FAILURES.has(status));
}

export class RunStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly notified = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private count = 0;

  constructor(private readonly backend: Backend) {
    this.item = vscode.window.createStatusBarItem('mltrack.running', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'MLTrack running runs';
    this.item.command = 'mltrack.runs.focus';
    this.render();
    this.item.show();
    this.disposables.push(
      this.item,
      backend.onDidStart(() => this.recountSoon(0)),
      backend.onDidStop(() => {
        this.count = 0;
        this.render();
      }),
      backend.onNotification(Notification.runsChanged, (p) => this.onRunChanged(p)),
    );
  }

  private render(): void {
    this.item.text = runningText(this.count);
    this.item.tooltip =
      this.count === 0
        ? this.backend.isRunning
          ? 'MLTrack: no run is running. Click to show the Runs view.'
          : 'MLTrack: click to show the Runs view.'
        : `MLTrack: ${this.count >= MAX_COUNTED ? `${MAX_COUNTED}+` : this.count} run${this.count === 1 ? '' : 's'} running. Click to show the Runs view.`;
  }

  private recountSoon(delayMs = 400): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.recount();
    }, delayMs);
  }

  private async recount(): Promise<void> {
    try {
      const res = await this.backend.requestIfRunning(Method.runsList, { filter: RUNNING_FILTER, maxResults: MAX_COUNTED });
      if (!res) return;
      this.count = res.runs.length;
      this.render();
    } catch {
      // the count is decoration: a failed count keeps the last one
    }
  }

  private onRunChanged(p: RunChangedParams): void {
    if (p.kind !== 'metrics' && p.kind !== 'tags') this.recountSoon();
    if (p.status && TERMINAL.has(p.status) && (p.kind === 'status' || p.kind === 'created') && !this.notified.has(p.runId)) {
      this.notified.add(p.runId);
      void this.notify(p);
    }
  }

  private async notify(p: RunChangedParams): Promise<void> {
    const status = p.status ?? '';
    if (!notifiesRunEnd(readPreferences().notifications, status)) return;
    let name = p.name ?? shortId(p.runId);
    let metric = '';
    try {
      const run = await this.backend.requestIfRunning(Method.runsGet, { runId: p.runId });
      if (run) {
        name = runLabel(run);
        const km = keyMetric(run.metrics.filter((m) => !m.key.startsWith('system/')));
        if (km) metric = ` · ${metricText(km)}`;
      }
    } catch {
      // notify with what the notification said
    }
    const text = `MLTrack: run “${name}” ${status.toLowerCase()}${metric}`;
    const show = FAILURES.has(status)
      ? vscode.window.showErrorMessage
      : status === 'KILLED'
        ? vscode.window.showWarningMessage
        : vscode.window.showInformationMessage;
    const choice = await show(text, 'Open Run', ...(FAILURES.has(status) ? ['Show Output'] : []));
    if (choice === 'Open Run') void vscode.commands.executeCommand('mltrack.openRun', p.runId);
    else if (choice === 'Show Output') void vscode.commands.executeCommand('mltrack.showOutput');
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
