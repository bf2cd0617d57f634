// A minimal stand-in for the `vscode` module, enough for unit tests of modules that use a few of its APIs
// (scripts/test.mjs aliases `vscode` to this file). Records the messages shown so tests can assert on them.
export const shown: Array<{ level: 'error' | 'warning' | 'info'; message: string; items: string[] }> = [];
export const executed: Array<{ command: string; args: unknown[] }> = [];
export const settings: Record<string, unknown> = {};
export const workspaceState: { folders: Array<{ uri: { fsPath: string; scheme: string } }> | undefined } = { folders: undefined };

export class Disposable {
  constructor(private readonly fn: () => void) {}
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners = new Set<(e: T) => void>();
  readonly event = (listener: (e: T) => void): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

const message =
  (level: 'error' | 'warning' | 'info') =>
  (msg: string, ...items: unknown[]): Promise<string | undefined> => {
    shown.push({ level, message: msg, items: items.filter((i): i is string => typeof i === 'string') });
    return Promise.resolve(undefined);
  };

export const window = {
  showErrorMessage: message('error'),
  showWarningMessage: message('warning'),
  showInformationMessage: message('info'),
};

export const workspace = {
  get workspaceFolders() {
    return workspaceState.folders;
  },
  getConfiguration(section: string) {
    return {
      get<T>(key: string, def?: T): T | undefined {
        const v = settings[`${section}.${key}`];
        return (v === undefined ? def : v) as T | undefined;
      },
    };
  },
};

export const commands = {
  executeCommand(command: string, ...args: unknown[]): Promise<unknown> {
    executed.push({ command, args });
    return Promise.resolve(undefined);
  },
};

export class OutputLines {
  lines: string[] = [];
  appendLine(s: string): void {
    this.lines.push(s);
  }
  show(): void {}
}
