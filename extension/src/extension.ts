// Activation wires the features together. Nothing heavy happens here: the backend starts on first need
// (the Runs tree shown, a hover on a metric name, a command), never at activation.
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { Backend } from './backend';
import { TrackCodeLensProvider } from './codeLens';
import { registerCommands } from './commands';
import { registerDeployCommands } from './deployCommands';
import { DeployCodeLensProvider } from './deployLens';
import { DeploymentsTree } from './deployments';
import { MetricHoverProvider } from './hover';
import { registerPanels } from './panels/webviewHost';
import { Launcher } from './launch';
import type { InitializeParams } from './protocol';
import { registerReportCommands } from './reportCommands';
import { RunsTree } from './runsTree';
import { RunStatusBar } from './statusBar';

let backend: Backend | undefined;

function initializeParams(context: vscode.ExtensionContext): InitializeParams {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const workspaceFolder = folder?.scheme === 'file' ? folder.fsPath : null;
  let storePath = (vscode.workspace.getConfiguration('mltrack').get<string>('storePath') ?? '').trim() || null;
  if (storePath) {
    storePath = storePath.replace(/\$\{workspaceFolder\}/g, workspaceFolder ?? '').replace(/^~(?=\/|$)/, os.homedir());
    if (!path.isAbsolute(storePath)) storePath = path.resolve(workspaceFolder ?? os.homedir(), storePath);
  }
  return { workspaceFolder, storePath, clientName: 'vscode', clientVersion: String(context.extension.packageJSON.version ?? '') };
}

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('MLTrack');
  const b = new Backend(context, output, () => initializeParams(context));
  backend = b;
  const launcher = new Launcher(b, output);
  const tree = new RunsTree(b);
  // The Runs view showing is the tree's first need: start the backend now rather than on its first row request,
  // which comes only after the other eager extensions have activated.
  const startIfShown = (visible: boolean): void => {
    if (visible) void b.ensureStarted().catch(() => undefined);
  };
  startIfShown(tree.view.visible);
  context.subscriptions.push(tree.view.onDidChangeVisibility((e) => startIfShown(e.visible)));
  const lenses = new TrackCodeLensProvider(b, launcher);
  const deployLenses = new DeployCodeLensProvider(b, launcher);
  const deployments = new DeploymentsTree(b);
  const python: vscode.DocumentSelector = [{ language: 'python', scheme: 'file' }, { language: 'python', scheme: 'untitled' }];

  context.subscriptions.push(
    output,
    launcher,
    tree,
    lenses,
    new RunStatusBar(b),
    deployLenses,
    deployments,
    vscode.window.registerTreeDataProvider('mltrack.deployments', deployments),
    vscode.languages.registerCodeLensProvider(python, deployLenses),
    vscode.languages.registerCodeLensProvider(python, lenses),
    vscode.languages.registerHoverProvider(python, new MetricHoverProvider(b)),
    b.onDidStart(() => void vscode.commands.executeCommand('setContext', 'mltrack.backendReady', true)),
    b.onDidStop(() => void vscode.commands.executeCommand('setContext', 'mltrack.backendReady', false)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mltrack.backendPath')) b.backendPathChanged();
      else if (e.affectsConfiguration('mltrack.storePath') && b.isRunning) void b.restart().catch(() => undefined);
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      if (b.isRunning) void b.restart().catch(() => undefined);
    }),
  );
  registerCommands(context, b, tree, launcher, output);
  registerPanels(context, b);
  registerDeployCommands(context, b, deployments);
  registerReportCommands(context, b);
}

export async function deactivate(): Promise<void> {
  const b = backend;
  backend = undefined;
  await b?.dispose();
}
