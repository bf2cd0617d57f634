// Launching tracked runs (▶ Track, re-run): runs/launch, output from log/append into the MLTrack output channel,
// progress in the status bar until runs/changed reports the run ended. Remembers each file's last run for the lens.
import * as path from 'path';
import * as vscode from 'vscode';
import { Backend, errorText, isQuiet } from './backend';
import { keyMetric, metricText, shortId } from './format';
import { Method, Notification, type LaunchParams, type RunChangedParams, type RunStatus } from './protocol';

const TERMINAL = new Set<string>(['FINISHED', 'FAILED', 'KILLED', 'CRASHED']);

export interface LastRun {
  runId: string;
  status: RunStatus;
  metrics: Record<string, number | string>;
}

interface Active {
  name: string;
  file?: string;
  finish: () => void;
  progress?: vscode.Progress<{ message?: string }>;
}

/** The interpreter for a file: the Python extension's `python.defaultInterpreterPath` when set, else `mltrack.python`. */
export function interpreterFor(uri: vscode.Uri | undefined): string {
  const py = vscode.workspace.getConfiguration('python', uri).inspect<string>('defaultInterpreterPath');
  const explicit = py?.workspaceFolderValue ?? py?.workspaceValue ?? py?.globalValue;
  const folder = uri ? vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const expand = (s: string): string => s.replace(/\$\{workspaceFolder\}/g, folder ?? '').replace(/^~(?=\/|$)/, process.env.HOME ?? '~');
  if (explicit && explicit.trim()) return expand(explicit.trim());
  return expand((vscode.workspace.getConfiguration('mltrack', uri).get<string>('python') ?? 'python3').trim() || 'python3');
}

export class Launcher implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly active = new Map<string, Active>();
  private readonly lastRuns = new Map<string, LastRun>();
  private readonly fileOfRun = new Map<string, string>();
  private readonly launchParams = new Map<string, LaunchParams>();
  private readonly changedEmitter = new vscode.EventEmitter<string>();
  /** Fires with a file path whose last run changed. */
  readonly onDidChangeLastRun = this.changedEmitter.event;
  private lastLogRun: string | undefined;

  constructor(
    private readonly backend: Backend,
    private readonly output: vscode.OutputChannel,
  ) {
    this.disposables.push(
      this.changedEmitter,
      backend.onNotification(Notification.logAppend, (p) => {
        const prefix = this.active.size > 1 ? `[${this.active.get(p.runId)?.name ?? shortId(p.runId)}] ` : '';
        if (this.active.size <= 1 && this.lastLogRun !== undefined && this.lastLogRun !== p.runId) {
          this.output.appendLine(`--- output of run ${shortId(p.runId)} ---`);
        }
        this.lastLogRun = p.runId;
        for (const line of p.lines) this.output.appendLine(prefix + line);
      }),
      backend.onNotification(Notification.runsChanged, (p) => this.onRunChanged(p)),
      backend.onDidStop(() => {
        for (const a of this.active.values()) a.finish();
        this.active.clear();
      }),
    );
  }

  /** The last run of a file launched or seen in this session. */
  lastRun(file: string): LastRun | undefined {
    return this.lastRuns.get(file);
  }

  /** Records a file's last run found in the store (lens on files tracked before this session). */
  setLastRun(file: string, run: LastRun): void {
    if (this.lastRuns.has(file)) return;
    this.lastRuns.set(file, run);
    this.fileOfRun.set(run.runId, file);
    this.changedEmitter.fire(file);
  }

  /** The exact params a run was launched with from this window, if it was. */
  paramsOf(runId: string): LaunchParams | undefined {
    return this.launchParams.get(runId);
  }

  /** ▶ Track: launches a Python file as a tracked run. */
  async track(uri?: vscode.Uri, functionName?: string): Promise<string | undefined> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target || target.scheme !== 'file') {
      void vscode.window.showErrorMessage('MLTrack: open a Python file to track.');
      return undefined;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
    if (doc?.isDirty) await doc.save();
    const folder = vscode.workspace.getWorkspaceFolder(target)?.uri.fsPath;
    const params: LaunchParams = {
      file: target.fsPath,
      args: [],
      interpreter: interpreterFor(target),
      cwd: folder ?? path.dirname(target.fsPath),
    };
    return this.launch(params, functionName ? `${path.basename(target.fsPath)} (${functionName})` : path.basename(target.fsPath));
  }

  /** Launches a run and follows it (output, progress, last-run lens). Resolves with the run id. */
  async launch(params: LaunchParams, label: string): Promise<string | undefined> {
    let runId: string;
    try {
      runId = (await this.backend.request(Method.runsLaunch, params)).runId;
    } catch (e) {
      if (!isQuiet(e)) void vscode.window.showErrorMessage(`MLTrack: could not launch ${label}: ${errorText(e)}`);
      return undefined;
    }
    this.launchParams.set(runId, params);
    const cmd = params.command ? params.command.join(' ') : `${params.interpreter ?? 'python3'} ${params.file ?? ''} ${(params.args ?? []).join(' ')}`.trim();
    this.output.appendLine(`▶ run ${shortId(runId)} started: ${cmd}`);
    this.lastLogRun = runId;
    this.output.show(true);
    if (params.file) {
      const file = path.resolve(params.cwd ?? '', params.file);
      this.lastRuns.set(file, { runId, status: 'RUNNING', metrics: {} });
      this.fileOfRun.set(runId, file);
      this.changedEmitter.fire(file);
    }
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const entry: Active = { name: params.name ?? label, file: params.file ?? undefined, finish };
    this.active.set(runId, entry);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `MLTrack: ${label}`, cancellable: false },
      (progress) => {
        entry.progress = progress;
        progress.report({ message: 'running' });
        return done;
      },
    );
    return runId;
  }

  private onRunChanged(p: RunChangedParams): void {
    const file = this.fileOfRun.get(p.runId);
    if (file) {
      const last = this.lastRuns.get(file);
      if (last && last.runId === p.runId) {
        if (p.status) last.status = p.status;
        if (p.metrics) last.metrics = { ...last.metrics, ...p.metrics };
        this.changedEmitter.fire(file);
      }
    }
    const a = this.active.get(p.runId);
    if (!a) return;
    if (p.metrics) {
      const km = keyMetric(Object.entries(p.metrics).map(([key, latest]) => ({ key, latest })));
      if (km) a.progress?.report({ message: metricText(km) });
    }
    if (p.status && TERMINAL.has(p.status)) {
      this.output.appendLine(`■ run ${shortId(p.runId)} ${p.status}`);
      this.active.delete(p.runId);
      a.finish();
    }
  }

  dispose(): void {
    for (const a of this.active.values()) a.finish();
    for (const d of this.disposables) d.dispose();
  }
}

