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

/** The button the next shown messages answer with (in order; undefined once empty: dismissed). */
export const messageAnswers: Array<string | undefined> = [];

const message =
  (level: 'error' | 'warning' | 'info') =>
  (msg: string, ...items: unknown[]): Promise<string | undefined> => {
    shown.push({ level, message: msg, items: items.filter((i): i is string => typeof i === 'string') });
    return Promise.resolve(messageAnswers.shift());
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
  with(change: { scheme?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, this.path);
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}

/** Settings writes (config.update), in order. */
export const settingUpdates: Array<{ key: string; value: unknown; target: unknown }> = [];
const configChanged = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();

/** Changes settings as the user would (settings.json edited) and fires onDidChangeConfiguration for their keys. */
export function changeSettings(values: Record<string, unknown>): void {
  Object.assign(settings, values);
  const keys = Object.keys(values);
  configChanged.fire({ affectsConfiguration: (section: string) => keys.some((k) => k === section || k.startsWith(`${section}.`)) });
}

/** Quick picks shown (their items' labels and options) and the answers the next ones give: a label to pick, or undefined (cancelled). */
export const quickPicks: Array<{ labels: string[]; title?: string }> = [];
export const quickPickAnswers: Array<string | undefined> = [];
/** Progress notifications shown (their options). */
export const progresses: Array<{ location: unknown; title?: string }> = [];
/** URIs given to env.openExternal. */
export const openedExternally: Uri[] = [];

/** A webview as the host sees it: html, posted messages, and `receive` to play a message sent by the page. */
export class FakeWebview {
  html = '';
  options: unknown = {};
  readonly cspSource = 'vscode-webview://fake';
  readonly posted: unknown[] = [];
  private readonly received = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  postMessage(m: unknown): Promise<boolean> {
    this.posted.push(m);
    return Promise.resolve(true);
  }
  asWebviewUri(u: Uri): Uri {
    return u.with({ scheme: 'vscode-webview' });
  }
  /** Delivers a message from the page to the host and lets the host's async handler run. */
  async receive(m: unknown): Promise<void> {
    this.received.fire(m);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  }
}

export class FakeWebviewPanel {
  readonly webview = new FakeWebview();
  iconPath: unknown;
  revealed = 0;
  disposed = false;
  private readonly disposedEmitter = new EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;
  constructor(readonly viewType: string, public title: string) {}
  reveal(): void {
    this.revealed++;
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposedEmitter.fire();
  }
}

/** Webview panels created, and serializers registered (by view type). */
export const createdPanels: FakeWebviewPanel[] = [];
export const serializers = new Map<string, unknown>();

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
  showQuickPick<T extends { label: string }>(items: readonly T[] | Promise<readonly T[]>, options?: { title?: string }): Promise<T | undefined> {
    return Promise.resolve(items).then((list) => {
      quickPicks.push({ labels: list.map((i) => i.label), title: options?.title });
      const want = quickPickAnswers.shift();
      return want === undefined ? undefined : list.find((i) => i.label === want);
    });
  },
  withProgress<R>(options: { location: unknown; title?: string }, task: (progress: { report(v: unknown): void }) => Thenable<R>): Thenable<R> {
    progresses.push(options);
    return task({ report: () => undefined });
  },
  createWebviewPanel(viewType: string, title: string): FakeWebviewPanel {
    const p = new FakeWebviewPanel(viewType, title);
    createdPanels.push(p);
    return p;
  },
  registerWebviewPanelSerializer(viewType: string, serializer: unknown): Disposable {
    serializers.set(viewType, serializer);
    return new Disposable(() => serializers.delete(viewType));
  },
};

export const env = {
  openExternal(uri: Uri): Promise<boolean> {
    openedExternally.push(uri);
    return Promise.resolve(true);
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
      update(key: string, value: unknown, target?: unknown): Promise<void> {
        settingUpdates.push({ key: `${section}.${key}`, value, target });
        changeSettings({ [`${section}.${key}`]: value });
        return Promise.resolve();
      },
    };
  },
  onDidChangeConfiguration: configChanged.event,
};

/** Commands registered (registerCommand); executeCommand records every call and runs registered ones. */
export const registered = new Map<string, (...args: unknown[]) => unknown>();

export const commands = {
  executeCommand(command: string, ...args: unknown[]): Promise<unknown> {
    executed.push({ command, args });
    const fn = registered.get(command);
    return Promise.resolve(fn ? fn(...args) : undefined);
  },
  registerCommand(command: string, fn: (...args: unknown[]) => unknown): Disposable {
    registered.set(command, fn);
    return new Disposable(() => registered.delete(command));
  },
};

export class OutputLines {
  lines: string[] = [];
  appendLine(s: string): void {
    this.lines.push(s);
  }
  show(): void {}
}
