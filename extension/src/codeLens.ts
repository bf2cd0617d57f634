// Code lenses in Python files: `▶ Track` above `if __name__ == "__main__":` and each @track function, and
// `⟳ Last run: <status> <key metric>` beside the first one once the file has a run (opens the run).
import * as vscode from 'vscode';
import { Backend } from './backend';
import { lastRunLensTitle, shortId } from './format';
import { Launcher } from './launch';
import { Method } from './protocol';
import { trackTargets } from './pythonScan';

export class TrackCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly lookedUp = new Set<string>();
  private fireTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly backend: Backend,
    private readonly launcher: Launcher,
  ) {
    this.disposables.push(
      this.changed,
      launcher.onDidChangeLastRun(() => this.fireSoon()),
      backend.onDidStart(() => {
        this.lookedUp.clear();
        this.fireSoon();
      }),
    );
  }

  private fireSoon(): void {
    this.fireTimer ??= setTimeout(() => {
      this.fireTimer = undefined;
      this.changed.fire();
    }, 300);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lines: string[] = [];
    for (let i = 0; i < document.lineCount; i++) lines.push(document.lineAt(i).text);
    const targets = trackTargets(lines);
    if (targets.length === 0) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const t of targets) {
      const range = new vscode.Range(t.line, 0, t.line, 0);
      lenses.push(
        new vscode.CodeLens(range, {
          title: '▶ Track',
          tooltip: t.kind === 'main' ? 'Run this file as a tracked MLTrack run' : `Run this file as a tracked MLTrack run (tracks ${t.functionName})`,
          command: 'mltrack.track',
          arguments: [document.uri, t.functionName],
        }),
      );
    }
    const file = document.uri.fsPath;
    const last = this.launcher.lastRun(file);
    if (last) {
      lenses.push(
        new vscode.CodeLens(new vscode.Range(targets[0].line, 0, targets[0].line, 0), {
          title: lastRunLensTitle({ status: last.status, metrics: Object.entries(last.metrics).map(([key, latest]) => ({ key, latest })) }),
          tooltip: `Open run ${shortId(last.runId)}`,
          command: 'mltrack.openRun',
          arguments: [last.runId],
        }),
      );
    } else if (document.uri.scheme === 'file') {
      void this.lookUpLastRun(file);
    }
    return lenses;
  }

  /** Once per file and backend session, and only when the backend already runs: the file's newest run in the store. */
  private async lookUpLastRun(file: string): Promise<void> {
    if (this.lookedUp.has(file) || !this.backend.isRunning || file.includes("'")) return;
    this.lookedUp.add(file);
    try {
      const res = await this.backend.requestIfRunning(Method.runsList, { filter: `attributes.source_file = '${file}'`, maxResults: 1 });
      const row = res?.runs[0];
      if (row) this.launcher.setLastRun(file, { runId: row.runId, status: row.status, metrics: row.metrics });
    } catch {
      // optional decoration: stay quiet
    }
  }

  dispose(): void {
    if (this.fireTimer) clearTimeout(this.fireTimer);
    for (const d of this.disposables) d.dispose();
  }
}
