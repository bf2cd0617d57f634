// The deploy commands: Deploy (lens, Runs tree, run page) → the Deployment form panel; the form's submit →
// deployments/create → close the form and track; the Deployments tree actions (stop, delete, logs, OpenAPI, copy URL)
// and the OpenAPI viewer's "Try it" (sent from the extension host: the webview's CSP allows no connections).
import * as vscode from 'vscode';
import { Backend, errorText, isQuiet } from './backend';
import { runIdOf } from './commands';
import {
  deployRequest,
  DeploymentsTree,
  isLoopbackUrl,
  predictUrl,
  trackDeployment,
  type DeploymentConfigInput,
  type DeploymentInfo,
  type DeploymentTarget,
} from './deployments';
import { shortId } from './format';
import { Method } from './protocol';
import { openPanel, openPanels } from './panels/webviewHost';

/** The deployment id an argument stands for: an id string, a tree row (DeploymentInfo), `{deploymentId}`. */
export function deploymentIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { deploymentId?: unknown }).deploymentId === 'string') return (arg as { deploymentId: string }).deploymentId;
  return undefined;
}

const NUMBER_FIELDS = ['cpu', 'memoryMb', 'minContainers', 'timeoutSeconds'] as const;
const STRING_FIELDS = ['appName', 'modelName', 'modelVersion', 'gpu'] as const;

/** The deployments/create params of a form submission (a posted message: untrusted shape), or an error text. */
export function createParamsOf(raw: unknown): { runId: string; target: DeploymentTarget; config: DeploymentConfigInput } | string {
  if (!raw || typeof raw !== 'object') return 'no deployment request';
  const o = raw as Record<string, unknown>;
  if (typeof o.runId !== 'string' || !o.runId) return 'no run to deploy';
  if (o.target !== 'local' && o.target !== 'modal') return `unknown target ${JSON.stringify(o.target)}`;
  const c = o.config && typeof o.config === 'object' ? (o.config as Record<string, unknown>) : {};
  const config: DeploymentConfigInput = {};
  for (const k of STRING_FIELDS) {
    const v = c[k];
    if (typeof v === 'string' && v.trim()) config[k] = v.trim();
  }
  for (const k of NUMBER_FIELDS) {
    const v = c[k];
    if (typeof v === 'number' && Number.isFinite(v)) config[k] = v;
  }
  if (c.env && typeof c.env === 'object' && !Array.isArray(c.env)) {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.env as Record<string, unknown>)) if (typeof v === 'string') env[k] = v;
    if (Object.keys(env).length > 0) config.env = env;
  }
  return { runId: o.runId, target: o.target, config };
}

/** Whether a hosted panel's key is the panel of `kind` for `id` (opened here, or restored after a reload with its args as key). */
export function panelKeyMatches(key: string, kind: string, field: string, id: string): boolean {
  if (key === `${kind}:${id}`) return true;
  if (!key.startsWith(`${kind}:{`)) return false;
  try {
    return (JSON.parse(key.slice(kind.length + 1)) as Record<string, unknown>)[field] === id;
  } catch {
    return false;
  }
}

/** Formats a "Try it" response body (JSON pretty-printed when it parses). */
export function prettyBody(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function registerDeployCommands(context: vscode.ExtensionContext, backend: Backend, tree: DeploymentsTree): void {
  let logs: vscode.OutputChannel | undefined;
  const reg = (id: string, fn: (...args: any[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  const fail = (what: string) => (e: unknown) => {
    if (!isQuiet(e)) void vscode.window.showErrorMessage(`MLTrack: ${what}: ${errorText(e)}`);
  };
  context.subscriptions.push({ dispose: () => logs?.dispose() });

  const deployment = async (arg: unknown): Promise<DeploymentInfo | undefined> => {
    const id = deploymentIdOf(arg);
    if (!id) return undefined;
    return deployRequest(backend, 'deployments/get', { deploymentId: id });
  };

  reg('mltrack.deploy', async (arg?: unknown) => {
    let runId = runIdOf(arg);
    if (!runId) {
      runId = await vscode.window.showInputBox({ title: 'MLTrack: Deploy', prompt: 'Run id to deploy' });
      if (!runId) return;
    }
    try {
      const can = await deployRequest(backend, 'deployments/canDeploy', { runId });
      if (!can.ok) {
        void vscode.window.showWarningMessage(`MLTrack: run ${shortId(runId)} cannot be deployed: ${can.reason ?? 'no model was logged'}`);
        return;
      }
      let runName: string | null = null;
      try {
        runName = (await backend.request(Method.runsGet, { runId })).name ?? null;
      } catch {
        // the form shows the id then
      }
      openPanel('deployForm', { runId, runName, framework: can.framework }, `Deploy · ${runName || shortId(runId)}`, `deployForm:${runId}`);
    } catch (e) {
      fail(`could not check run ${shortId(runId)} for deployment`)(e);
    }
  });

  reg('mltrack.deploySubmit', async (raw?: unknown) => {
    const params = createParamsOf(raw);
    if (typeof params === 'string') {
      void vscode.window.showErrorMessage(`MLTrack: ${params}`);
      return;
    }
    const forms = openPanels('deployForm').filter((p) => panelKeyMatches(p.key, 'deployForm', 'runId', params.runId));
    try {
      const created = await deployRequest(backend, 'deployments/create', params);
      for (const p of forms) p.panel.dispose();
      tree.refresh();
      await trackDeployment(backend, created);
      tree.refresh();
    } catch (e) {
      for (const p of forms) p.post({ type: 'deployError', message: errorText(e) });
      fail('could not create the deployment')(e);
    }
  });

  reg('mltrack.deployments.refresh', () => tree.refresh());

  reg('mltrack.deployments.stop', async (arg?: unknown) => {
    const id = deploymentIdOf(arg);
    if (!id) return;
    try {
      await deployRequest(backend, 'deployments/stop', { deploymentId: id });
      tree.refresh();
    } catch (e) {
      fail(`could not stop deployment ${shortId(id)}`)(e);
    }
  });

  reg('mltrack.deployments.delete', async (arg?: unknown) => {
    const id = deploymentIdOf(arg);
    if (!id) return;
    const name = tree.get(id)?.name || shortId(id);
    const choice = await vscode.window.showWarningMessage(`Delete deployment “${name}”?`, { modal: true, detail: 'A running deployment is stopped first.' }, 'Delete');
    if (choice !== 'Delete') return;
    try {
      await deployRequest(backend, 'deployments/delete', { deploymentId: id });
      tree.refresh();
    } catch (e) {
      fail(`could not delete deployment ${shortId(id)}`)(e);
    }
  });

  reg('mltrack.deployments.logs', async (arg?: unknown) => {
    const id = deploymentIdOf(arg);
    if (!id) return;
    try {
      const { lines } = await deployRequest(backend, 'deployments/logs', { deploymentId: id });
      logs ??= vscode.window.createOutputChannel('MLTrack Deployments');
      logs.clear();
      logs.appendLine(`# deployment ${tree.get(id)?.name ?? ''} (${id})`);
      for (const l of lines) logs.appendLine(l);
      logs.show(true);
    } catch (e) {
      fail(`could not read the logs of deployment ${shortId(id)}`)(e);
    }
  });

  reg('mltrack.deployments.copyUrl', async (arg?: unknown) => {
    try {
      const d = await deployment(arg);
      if (!d?.endpointUrl) {
        void vscode.window.showInformationMessage('MLTrack: this deployment has no endpoint yet.');
        return;
      }
      await vscode.env.clipboard.writeText(d.endpointUrl);
      vscode.window.setStatusBarMessage(`MLTrack: copied ${d.endpointUrl}`, 3000);
    } catch (e) {
      fail('could not read the deployment')(e);
    }
  });

  reg('mltrack.deployments.openApi', async (arg?: unknown) => {
    const id = deploymentIdOf(arg);
    if (!id) return;
    try {
      const [d, { spec }] = await Promise.all([
        deployRequest(backend, 'deployments/get', { deploymentId: id }),
        deployRequest(backend, 'deployments/openapi', { deploymentId: id }),
      ]);
      const canTry = d.target === 'local' && d.status === 'READY' && isLoopbackUrl(d.endpointUrl);
      openPanel('openapi', { deploymentId: id, name: d.name, target: d.target, endpointUrl: d.endpointUrl, canTry, spec }, `OpenAPI · ${d.name || shortId(id)}`, `openapi:${id}`);
    } catch (e) {
      fail(`could not read the OpenAPI spec of deployment ${shortId(id)}`)(e);
    }
  });

  // from the OpenAPI viewer: POST the example to a local deployment's /predict and post the answer back to the panel
  reg('mltrack.deployTryIt', async (deploymentId?: unknown, body?: unknown) => {
    const id = deploymentIdOf(deploymentId);
    if (!id) return;
    const panels = openPanels('openapi').filter((p) => panelKeyMatches(p.key, 'openapi', 'deploymentId', id));
    const answer = (m: Record<string, unknown>) => {
      for (const p of panels) p.post({ type: 'tryItResult', ...m });
    };
    try {
      const d = await deployRequest(backend, 'deployments/get', { deploymentId: id });
      if (d.target !== 'local' || !isLoopbackUrl(d.endpointUrl) || d.status !== 'READY') {
        answer({ ok: false, status: 0, body: `"Try it" works against a READY local deployment (this one is ${d.target}, ${d.status}).`, ms: 0 });
        return;
      }
      const started = Date.now();
      const res = await fetch(predictUrl(d.endpointUrl!), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body ?? {}),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      answer({ ok: res.ok, status: res.status, body: prettyBody(text), ms: Date.now() - started });
    } catch (e) {
      answer({ ok: false, status: 0, body: `Request failed: ${errorText(e)}`, ms: 0 });
    }
  });
}
