// The backend process (`mltrack rpc --stdio`) and its JSON-RPC connection: started lazily on first need,
// restarted when it dies (at most 3 times a minute), stderr to the MLTrack output channel, `shutdown` on deactivate.
import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import * as rpc from 'vscode-jsonrpc/node';
import { Method, type InitializeParams, type InitializeResult, type NotificationMethod, type Notifications, type ParamsOf, type RequestMethod, type ResultOf } from './protocol';

/** A request that could not be sent because the backend is missing or gave up restarting. */
export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

const MAX_RESTARTS = 3;
/** JSON-RPC error of a request the client cancelled ($/cancelRequest). */
const REQUEST_CANCELLED = -32800;
const RESTART_WINDOW_MS = 60_000;

type NotificationHandler = (params: unknown) => void;

export interface BackendInfo {
  /** The `initialize` result. */
  result: InitializeResult;
  /** Absolute path of the executable that answered. */
  executable: string;
}

export class Backend implements vscode.Disposable {
  private connection: rpc.MessageConnection | undefined;
  private process: cp.ChildProcess | undefined;
  private starting: Promise<rpc.MessageConnection> | undefined;
  private readonly crashes: number[] = [];
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private readonly startedEmitter = new vscode.EventEmitter<BackendInfo>();
  private readonly stoppedEmitter = new vscode.EventEmitter<void>();
  private missingReportedFor: string | undefined;
  private gaveUp = false;
  private disposed = false;
  private expectedExit = false;
  private info: BackendInfo | undefined;

  /** Fires each time a backend process has answered `initialize` (first start and every restart). */
  readonly onDidStart = this.startedEmitter.event;
  /** Fires when the process ended (crash, restart, shutdown). */
  readonly onDidStop = this.stoppedEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
    private readonly initializeParams: () => InitializeParams,
  ) {}

  /** True while a backend process is up and initialized. */
  get isRunning(): boolean {
    return this.connection !== undefined && this.info !== undefined;
  }

  get initializeResult(): InitializeResult | undefined {
    return this.info?.result;
  }

  /** Starts the backend when it is not running yet; resolves once `initialize` has answered. */
  ensureStarted(): Promise<rpc.MessageConnection> {
    if (this.disposed) return Promise.reject(new BackendUnavailableError('MLTrack is shutting down'));
    if (this.connection && this.info) return Promise.resolve(this.connection);
    if (this.gaveUp) return Promise.reject(new BackendUnavailableError('the MLTrack backend stopped; run "MLTrack: Restart Backend"'));
    this.starting ??= this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Sends a request, starting the backend first when needed. */
  async request<M extends RequestMethod>(method: M, params?: ParamsOf<M>, token?: vscode.CancellationToken): Promise<ResultOf<M>> {
    const connection = await this.ensureStarted();
    // vscode-jsonrpc takes every trailing argument that is not a CancellationToken as a parameter: pass only what exists
    const t = toRpcToken(token);
    const noParams = params === undefined || params === null;
    if (t) return noParams ? connection.sendRequest<ResultOf<M>>(method, t) : connection.sendRequest<ResultOf<M>>(method, params, t);
    return noParams ? connection.sendRequest<ResultOf<M>>(method) : connection.sendRequest<ResultOf<M>>(method, params);
  }

  /** Sends a request only when the backend already runs; otherwise resolves undefined (for cheap, optional UI). */
  async requestIfRunning<M extends RequestMethod>(
    method: M,
    params?: ParamsOf<M>,
    token?: vscode.CancellationToken,
  ): Promise<ResultOf<M> | undefined> {
    if (!this.isRunning) return undefined;
    return this.request(method, params, token);
  }

  /** Subscribes to a server notification; survives restarts. */
  onNotification<N extends NotificationMethod>(method: N, handler: (params: Notifications[N]) => void): vscode.Disposable {
    let set = this.handlers.get(method);
    if (!set) {
      set = new Set();
      this.handlers.set(method, set);
    }
    const h = handler as NotificationHandler;
    set.add(h);
    return new vscode.Disposable(() => set.delete(h));
  }

  /** Stops the current process (if any) and starts a new one; resets the crash budget. */
  async restart(): Promise<void> {
    this.crashes.length = 0;
    this.gaveUp = false;
    this.missingReportedFor = undefined;
    await this.stop();
    await this.ensureStarted();
  }

  /** Resolves the executable from `mltrack.backendPath` (empty: the bundled `server/mltrack`). */
  executablePath(): string {
    const configured = (vscode.workspace.getConfiguration('mltrack').get<string>('backendPath') ?? '').trim();
    if (!configured) return path.join(this.context.extensionPath, 'server', 'mltrack');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    let p = configured.replace(/\$\{workspaceFolder\}/g, folder ?? '').replace(/\$\{userHome\}/g, os.homedir());
    if (p === '~' || p.startsWith('~/')) p = path.join(os.homedir(), p.slice(1));
    if (!path.isAbsolute(p)) p = path.resolve(folder ?? this.context.extensionPath, p);
    return p;
  }

  private async start(): Promise<rpc.MessageConnection> {
    const exe = this.executablePath();
    const bundled = exe === path.join(this.context.extensionPath, 'server', 'mltrack');
    if (bundled) ensureExecutableBit(exe);
    const problem = checkExecutable(exe);
    if (problem) {
      this.reportMissing(exe, problem);
      throw new BackendUnavailableError(`MLTrack backend ${problem}: ${exe}`);
    }
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
    const started = Date.now();
    this.output.appendLine(`[backend] starting ${exe} rpc --stdio`);
    const child = cp.spawn(exe, ['rpc', '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
    this.process = child;
    this.expectedExit = false;

    child.on('error', (err) => this.output.appendLine(`[backend] process error: ${err.message}`));
    const spawnError = new Promise<never>((_, reject) => {
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'EACCES') this.reportMissing(exe, err.code === 'ENOENT' ? 'was not found' : 'is not executable');
        reject(new BackendUnavailableError(`could not start the MLTrack backend: ${err.message}`));
      });
    });

    let stderrRest = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      const lines = (stderrRest + chunk).split(/\r?\n/);
      stderrRest = lines.pop() ?? '';
      for (const line of lines) this.output.appendLine(`[backend] ${line}`);
    });

    const connection = rpc.createMessageConnection(
      new rpc.StreamMessageReader(child.stdout!),
      new rpc.StreamMessageWriter(child.stdin!),
    );
    connection.onNotification((method: string, params: unknown) => {
      const set = this.handlers.get(method);
      if (!set) return;
      for (const h of [...set]) {
        try {
          h(params);
        } catch (e) {
          this.output.appendLine(`[extension] ${method} handler failed: ${String(e)}`);
        }
      }
    });
    connection.onError(([err]) => this.output.appendLine(`[backend] connection error: ${err.message}`));
    connection.listen();

    child.once('exit', (code, signal) => {
      if (stderrRest) this.output.appendLine(`[backend] ${stderrRest}`);
      connection.dispose();
      if (this.process === child) {
        this.process = undefined;
        this.connection = undefined;
        this.info = undefined;
        this.stoppedEmitter.fire();
      }
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      if (this.expectedExit || this.disposed) {
        this.output.appendLine(`[backend] stopped (${how})`);
        return;
      }
      this.output.appendLine(`[backend] exited unexpectedly (${how})`);
      this.onCrash(how);
    });

    const earlyExit = exitBeforeAnswer(child);
    spawnError.catch(() => undefined);
    earlyExit.catch(() => undefined);
    try {
      const result = await Promise.race([connection.sendRequest<InitializeResult>(Method.initialize, this.initializeParams()), spawnError, earlyExit]);
      this.connection = connection;
      this.info = { result, executable: exe };
      this.output.appendLine(`[backend] initialized in ${Date.now() - started} ms: ${JSON.stringify(result)}`);
      this.startedEmitter.fire(this.info);
      return connection;
    } catch (e) {
      if (!(e instanceof BackendUnavailableError)) {
        this.output.appendLine(`[backend] initialize failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      this.expectedExit = true;
      child.kill();
      throw e instanceof BackendUnavailableError ? e : new BackendUnavailableError(`the MLTrack backend did not initialize: ${errorText(e)}`);
    }
  }

  private onCrash(how: string): void {
    const now = Date.now();
    this.crashes.push(now);
    while (this.crashes.length > 0 && now - this.crashes[0] > RESTART_WINDOW_MS) this.crashes.shift();
    if (this.crashes.length > MAX_RESTARTS) {
      this.gaveUp = true;
      void vscode.window
        .showErrorMessage(
          `The MLTrack backend stopped (${how}) ${this.crashes.length} times in a minute and will not be restarted automatically.`,
          'Show Output',
          'Restart',
        )
        .then((choice) => {
          if (choice === 'Show Output') this.output.show(true);
          else if (choice === 'Restart') void this.restart().catch(() => undefined);
        });
      return;
    }
    void vscode.window.showWarningMessage(`The MLTrack backend stopped (${how}); restarting it.`, 'Show Output').then((choice) => {
      if (choice === 'Show Output') this.output.show(true);
    });
    this.ensureStarted().catch((e) => this.output.appendLine(`[backend] restart failed: ${errorText(e)}`));
  }

  private reportMissing(exe: string, problem: string): void {
    if (this.missingReportedFor === exe) return;
    this.missingReportedFor = exe;
    this.output.appendLine(`[backend] ${exe} ${problem}`);
    void vscode.window
      .showErrorMessage(
        `MLTrack: the backend ${problem} at ${exe}. Set "mltrack.backendPath" to the mltrack executable.`,
        'Open Settings',
      )
      .then((choice) => {
        if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'mltrack.backendPath');
      });
  }

  /** Called when `mltrack.backendPath` changes: a new path gets a fresh chance. */
  backendPathChanged(): void {
    this.missingReportedFor = undefined;
    this.gaveUp = false;
    if (this.isRunning) void this.restart().catch(() => undefined);
  }

  /** Sends `shutdown`, waits briefly for the process to exit, then kills it. */
  async stop(timeoutMs = 3000): Promise<void> {
    const child = this.process;
    const connection = this.connection;
    if (!child) return;
    this.expectedExit = true;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    if (connection) {
      try {
        await Promise.race([connection.sendRequest(Method.shutdown), delay(timeoutMs)]);
      } catch {
        // the process may already be gone
      }
    }
    try {
      child.stdin?.end();
    } catch {
      // ignore
    }
    await Promise.race([exited, delay(timeoutMs)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.stop();
    this.disposed = true;
    this.startedEmitter.dispose();
    this.stoppedEmitter.dispose();
  }
}

/** An installer that dropped the bundled backend's executable bit gets it back (best effort). */
function ensureExecutableBit(exe: string): void {
  try {
    fs.accessSync(exe, fs.constants.X_OK);
  } catch {
    try {
      fs.chmodSync(exe, 0o755);
    } catch {
      // reported by checkExecutable
    }
  }
}

function checkExecutable(exe: string): string | undefined {
  try {
    const st = fs.statSync(exe);
    if (!st.isFile()) return 'is not a file';
    fs.accessSync(exe, fs.constants.X_OK);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'was not found' : 'is not executable';
  }
}

function exitBeforeAnswer(child: cp.ChildProcess): Promise<never> {
  return new Promise((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(new BackendUnavailableError(`the MLTrack backend exited before answering initialize (${signal ?? 'exit code ' + code})`)),
    ),
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}

function toRpcToken(token: vscode.CancellationToken | undefined): rpc.CancellationToken | undefined {
  if (!token) return undefined;
  const source = new rpc.CancellationTokenSource();
  if (token.isCancellationRequested) source.cancel();
  else token.onCancellationRequested(() => source.cancel());
  return source.token;
}

export function errorText(e: unknown): string {
  if (e instanceof rpc.ResponseError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** True for errors that were already reported to the user (missing backend) or are cancellations. */
export function isQuiet(e: unknown): boolean {
  return (
    e instanceof BackendUnavailableError ||
    (e instanceof rpc.ResponseError && (e.code === REQUEST_CANCELLED || e.code === rpc.ErrorCodes.PendingResponseRejected))
  );
}
