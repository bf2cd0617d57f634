// Deployments in the editor: typed calls of the deployments/* RPC, pure helpers (status icons, stages, rows), the
// Deployments tree (status icon, endpoint, age; stop/delete/logs/OpenAPI actions) and the status tracker that follows
// a deployment through its stages with a withProgress notification.
import * as vscode from 'vscode';
import { Backend } from './backend';
import { formatAge, shortId } from './format';
import { Notification, type DeploymentChangedParams, type DeploymentInfo, type DeploymentStatus, type ParamsOf, type RequestMethod, type ResultOf } from './protocol';

// ---------------------------------------------------------------------------------------------------------------
// contract (protocol.ts): re-exported for the deploy modules

export type {
  CanDeployResult,
  DeploymentChangedParams,
  DeploymentConfig as DeploymentConfigInput,
  DeploymentInfo,
  DeploymentStatus,
  DeploymentTarget,
} from './protocol';

/** Calls a deployments/* method. */
export function deployRequest<M extends RequestMethod & `deployments/${string}`>(backend: Backend, method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
  return backend.request(method, params);
}

/** Subscribes to deployments/changed. */
export function onDeploymentChanged(backend: Backend, handler: (p: DeploymentChangedParams) => void): vscode.Disposable {
  return backend.onNotification(Notification.deploymentsChanged, handler);
}

// ---------------------------------------------------------------------------------------------------------------
// pure helpers

/** The stages in order; READY/FAILED/STOPPED end tracking. */
export const STAGES: readonly DeploymentStatus[] = ['PENDING', 'UPLOADING', 'BUILDING', 'DEPLOYING', 'READY'];
export const isTerminal = (s: string): boolean => s === 'READY' || s === 'FAILED' || s === 'STOPPED';

/** Percent of the progress bar a status stands for (0..100). */
export function stagePercent(status: string): number {
  const i = STAGES.indexOf(status as DeploymentStatus);
  if (i < 0) return isTerminal(status) ? 100 : 0;
  return Math.round((i / (STAGES.length - 1)) * 100);
}

/** The text of a stage in the progress notification. */
export function stageText(status: string, target: string): string {
  switch (status) {
    case 'PENDING':
      return 'queued…';
    case 'UPLOADING':
      return target === 'modal' ? 'uploading the model to storage…' : 'preparing the model…';
    case 'BUILDING':
      return 'building the predictor…';
    case 'DEPLOYING':
      return target === 'modal' ? 'deploying to Modal…' : 'starting the local server…';
    case 'READY':
      return 'ready';
    case 'FAILED':
      return 'failed';
    case 'STOPPED':
      return 'stopped';
    default:
      return status.toLowerCase();
  }
}

/** Codicon and theme color of a status in the tree. */
export function deploymentIcon(status: string): { id: string; color?: string } {
  switch (status) {
    case 'READY':
      return { id: 'pass-filled', color: 'testing.iconPassed' };
    case 'FAILED':
      return { id: 'error', color: 'testing.iconFailed' };
    case 'STOPPED':
      return { id: 'circle-slash' };
    default:
      return { id: 'sync~spin' };
  }
}

export function timeMs(t: number | string | null | undefined): number {
  if (typeof t === 'number') return t;
  if (typeof t === 'string') {
    const n = Date.parse(t);
    return Number.isNaN(n) ? 0 : n;
  }
  return 0;
}

/** The tree row's description: status · endpoint · age. */
export function deploymentDescription(d: Pick<DeploymentInfo, 'status' | 'endpointUrl' | 'createdAt' | 'target'>, now: number): string {
  const parts: string[] = [d.status.toLowerCase(), d.target];
  if (d.endpointUrl && d.status === 'READY') parts.push(d.endpointUrl);
  const t = timeMs(d.createdAt);
  if (t > 0) parts.push(formatAge(t, now));
  return parts.join(' · ');
}

/** contextValue of a deployment row: deployment.<status> plus `.endpoint` when it has a URL. */
export function deploymentContext(d: Pick<DeploymentInfo, 'status' | 'endpointUrl'>): string {
  return `deployment.${d.status.toLowerCase()}${d.endpointUrl ? '.endpoint' : ''}`;
}

/** A loopback http(s) URL (where "Try it" may send a request). */
export function isLoopbackUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

/** The /predict URL of an endpoint. */
export function predictUrl(endpointUrl: string): string {
  return endpointUrl.replace(/\/+$/, '') + '/predict';
}

// ---------------------------------------------------------------------------------------------------------------
// the Deployments tree

export class DeploymentsTree implements vscode.TreeDataProvider<DeploymentInfo>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<DeploymentInfo | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private known = new Map<string, DeploymentInfo>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly backend: Backend) {
    this.disposables.push(
      this.changed,
      onDeploymentChanged(backend, () => this.refreshSoon()),
      backend.onDidStart(() => this.refreshSoon()),
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  private refreshSoon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, 200);
  }

  get(deploymentId: string): DeploymentInfo | undefined {
    return this.known.get(deploymentId);
  }

  getTreeItem(d: DeploymentInfo): vscode.TreeItem {
    const item = new vscode.TreeItem(d.name || shortId(d.deploymentId), vscode.TreeItemCollapsibleState.None);
    item.id = d.deploymentId;
    item.description = deploymentDescription(d, Date.now());
    const icon = deploymentIcon(d.status);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = deploymentContext(d);
    const tip = new vscode.MarkdownString();
    tip.appendText(`${d.name} (${d.target})\n\n`);
    tip.appendText(`Status: ${d.status}${d.message ? ` — ${d.message}` : ''}\n\n`);
    if (d.endpointUrl) tip.appendText(`Endpoint: ${d.endpointUrl}\n\n`);
    tip.appendText(`Run: ${d.runId}${d.modelName ? ` · model ${d.modelName}${d.modelVersion ? ` ${d.modelVersion}` : ''}` : ''}`);
    item.tooltip = tip;
    if (d.status === 'READY') item.command = { command: 'mltrack.deployments.openApi', title: 'Open OpenAPI', arguments: [d] };
    return item;
  }

  async getChildren(parent?: DeploymentInfo): Promise<DeploymentInfo[]> {
    if (parent || !this.backend.isRunning) return [];
    try {
      const list = await deployRequest(this.backend, 'deployments/list', {});
      this.known = new Map(list.map((d) => [d.deploymentId, d]));
      return [...list].sort((a, b) => timeMs(b.createdAt) - timeMs(a.createdAt));
    } catch {
      return [];
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// the status tracker

/**
 * Follows a deployment with a progress notification until READY (endpoint shown with Open OpenAPI / Copy URL) or
 * FAILED (the message). Resolves with the final status.
 */
export function trackDeployment(backend: Backend, first: DeploymentInfo): Thenable<DeploymentChangedParams> {
  const id = first.deploymentId;
  const title = `MLTrack: deploying ${first.name || shortId(id)} (${first.target})`;
  return vscode.window
    .withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, (progress) =>
      new Promise<DeploymentChangedParams>((resolve) => {
        let shown = 0;
        let done = false;
        const step = (p: DeploymentChangedParams) => {
          if (done || p.deploymentId !== id) return;
          const pct = stagePercent(p.status);
          progress.report({ message: `${stageText(p.status, first.target)}${p.message && !isTerminal(p.status) ? ` ${p.message}` : ''}`, increment: Math.max(0, pct - shown) });
          shown = Math.max(shown, pct);
          if (isTerminal(p.status)) {
            done = true;
            sub.dispose();
            clearInterval(poll);
            resolve(p);
          }
        };
        const sub = onDeploymentChanged(backend, step);
        // a notification may have been sent before we subscribed, or be lost over a restart: poll as well
        const poll = setInterval(() => {
          void deployRequest(backend, 'deployments/get', { deploymentId: id }).then(
            (d) => step({ deploymentId: d.deploymentId, runId: d.runId, status: d.status, endpointUrl: d.endpointUrl, message: d.message }),
            () => undefined,
          );
        }, 2000);
        step({ deploymentId: id, runId: first.runId, status: first.status, endpointUrl: first.endpointUrl, message: first.message });
      }),
    )
    .then((final) => {
      if (final.status === 'READY') {
        const url = final.endpointUrl ?? '';
        void vscode.window.showInformationMessage(`MLTrack: ${first.name || shortId(id)} is ready at ${url}`, 'Open OpenAPI', 'Copy URL').then((choice) => {
          if (choice === 'Open OpenAPI') void vscode.commands.executeCommand('mltrack.deployments.openApi', id);
          else if (choice === 'Copy URL') void vscode.env.clipboard.writeText(url);
        });
      } else if (final.status === 'FAILED') {
        void vscode.window.showErrorMessage(`MLTrack: deployment ${first.name || shortId(id)} failed: ${final.message ?? 'no message'}`, 'Open Logs').then((c) => {
          if (c === 'Open Logs') void vscode.commands.executeCommand('mltrack.deployments.logs', id);
        });
      }
      return final;
    });
}
