// `🚀 Deploy` code lens above `@track` functions and `if __name__ == "__main__":` when the file's latest run logged a
// model (deployments/canDeploy says ok); no lens otherwise. Looked up once per file and run, only while the backend runs.
import * as vscode from 'vscode';
import { Backend } from './backend';
import { deployRequest, type CanDeployResult } from './deployments';
import { Launcher } from './launch';
import { Method, Notification } from './protocol';
import { trackTargets } from './pythonScan';

interface FileDeployState {
  runId: string;
  can: CanDeployResult;
}

interface Entry {
  /** null: no run, or not deployable by a lookup failure. */
  value: FileDeployState | null;
  generation: number;
}

/** The lens title for a deployable run (framework shown when known). */
export function deployLensTitle(framework: string | null | undefined): string {
  return framework ? `🚀 Deploy (${framework})` : '🚀 Deploy';
}

export class DeployCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** file → its latest run's deployability, as of a generation (older ones are shown until looked up again: no flicker). */
  private readonly state = new Map<string, Entry>();
  private generation = 0;
  private readonly pending = new Set<string>();
  private fireTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly backend: Backend,
    private readonly launcher: Launcher,
  ) {
    this.disposables.push(
      this.changed,
      launcher.onDidChangeLastRun(() => this.invalidate()),
      backend.onDidStart(() => this.invalidate()),
      backend.onNotification(Notification.runsChanged, (p) => {
        // a run ending (or logging an artifact) may make the file deployable
        if (p.kind !== 'metrics') this.invalidate();
      }),
    );
  }

  private invalidate(): void {
    this.generation++;
    this.fireSoon();
  }

  private fireSoon(): void {
    this.fireTimer ??= setTimeout(() => {
      this.fireTimer = undefined;
      this.changed.fire();
    }, 500);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.scheme !== 'file') return [];
    const lines: string[] = [];
    for (let i = 0; i < document.lineCount; i++) lines.push(document.lineAt(i).text);
    const targets = trackTargets(lines);
    if (targets.length === 0) return [];
    const file = document.uri.fsPath;
    const entry = this.state.get(file);
    if (!entry || entry.generation !== this.generation) void this.lookUp(file);
    const st = entry?.value;
    if (!st || !st.can.ok) return [];
    return targets.map(
      (t) =>
        new vscode.CodeLens(new vscode.Range(t.line, 0, t.line, 0), {
          title: deployLensTitle(st.can.framework),
          tooltip: `Deploy the model of this file's latest run (${st.runId.slice(0, 8)})`,
          command: 'mltrack.deploy',
          arguments: [st.runId],
        }),
    );
  }

  private async lookUp(file: string): Promise<void> {
    if (this.pending.has(file) || !this.backend.isRunning || file.includes("'")) return;
    this.pending.add(file);
    const generation = this.generation;
    const before = this.state.get(file)?.value;
    const set = (value: FileDeployState | null) => {
      this.state.set(file, { value, generation });
      const was = before ? `${before.runId}:${before.can.ok}:${before.can.framework}` : '';
      const now = value ? `${value.runId}:${value.can.ok}:${value.can.framework}` : '';
      if (was !== now) this.fireSoon();
    };
    try {
      const last = this.launcher.lastRun(file);
      let runId = last?.runId;
      if (!runId) {
        const res = await this.backend.requestIfRunning(Method.runsList, { filter: `attributes.source_file = '${file}'`, maxResults: 1 });
        runId = res?.runs[0]?.runId;
      }
      if (!runId) {
        set(null);
        return;
      }
      const can = await deployRequest(this.backend, 'deployments/canDeploy', { runId });
      set({ runId, can });
    } catch {
      set(null); // optional decoration: stay quiet
    } finally {
      this.pending.delete(file);
      // invalidated meanwhile: look again
      if (generation !== this.generation) this.fireSoon();
    }
  }

  dispose(): void {
    if (this.fireTimer) clearTimeout(this.fireTimer);
    for (const d of this.disposables) d.dispose();
  }
}
