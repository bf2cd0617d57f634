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

/** A file URI: enough of vscode.Uri for joinPath and fsPath. */
export class Uri {
  private constructor(readonly scheme: string, readonly path: string) {}
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    const segs: string[] = [];
    for (const s of [...base.path.split('/'), ...parts.flatMap((p) => p.split('/'))]) {
      if (s === '' || s === '.') continue;
      if (s === '..') segs.pop();
      else segs.push(s);
    }
    return new Uri(base.scheme, '/' + segs.join('/'));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

/** Save dialogs shown (their options), the answer the next ones give, files written and status-bar messages. */
export const saveDialogs: Array<{ defaultUri?: Uri; filters?: Record<string, string[]>; saveLabel?: string; title?: string }> = [];
export const saveDialogAnswer: { uri: Uri | undefined } = { uri: undefined };
export const written: Array<{ uri: Uri; bytes: Uint8Array }> = [];
export const writeFailure: { error: Error | undefined } = { error: undefined };
export const statusMessages: string[] = [];

export const window = {
  showErrorMessage: message('error'),
  showWarningMessage: message('warning'),
  showInformationMessage: message('info'),
  showSaveDialog(options: (typeof saveDialogs)[number]): Promise<Uri | undefined> {
    saveDialogs.push(options);
    return Promise.resolve(saveDialogAnswer.uri);
  },
  setStatusBarMessage(text: string): Disposable {
    statusMessages.push(text);
    return new Disposable(() => undefined);
  },
};

export const workspace = {
  get workspaceFolders() {
    return workspaceState.folders;
  },
  fs: {
    writeFile(uri: Uri, bytes: Uint8Array): Promise<void> {
      if (writeFailure.error) return Promise.reject(writeFailure.error);
      written.push({ uri, bytes });
      return Promise.resolve();
    },
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
