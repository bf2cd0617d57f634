// Pure logic of the Deployments list panel (unit-tested in test/panels-deployments.test.ts).
import type { DeploymentChangedParams, DeploymentInfo, DeploymentStatus } from '../../../../extension/src/protocol';

const ACTIVE: ReadonlySet<DeploymentStatus> = new Set(['PENDING', 'UPLOADING', 'BUILDING', 'DEPLOYING', 'READY']);

/** Whether Stop applies (a deployment that is starting or serving). */
export const canStop = (s: DeploymentStatus): boolean => ACTIVE.has(s);
/** Whether the OpenAPI spec can be shown (the predictor was generated: anything past PENDING that did not fail early). */
export const canOpenApi = (d: Pick<DeploymentInfo, 'status' | 'endpointUrl'>): boolean => d.status === 'READY' || d.status === 'STOPPED' || !!d.endpointUrl;

/** "just now", "5 min", "3 h", "2 d" since `createdAt` (Unix ms). */
export function formatAge(createdAt: number, now: number): string {
  if (!Number.isFinite(createdAt) || createdAt <= 0) return '';
  const s = Math.max(0, Math.floor((now - createdAt) / 1000));
  if (s < 60) return 'just now';
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const hr = Math.floor(m / 60);
  if (hr < 48) return `${hr} h`;
  return `${Math.floor(hr / 24)} d`;
}

/** Newest first; ties by name. */
export function sortDeployments(list: readonly DeploymentInfo[]): DeploymentInfo[] {
  return [...list].sort((a, b) => b.createdAt - a.createdAt || a.name.localeCompare(b.name));
}

/**
 * Applies a deployments/changed notification to the list: the known row gets the new status/endpoint/message;
 * `null` when the deployment is unknown (the panel then reloads the list).
 */
export function applyChange(list: readonly DeploymentInfo[], c: DeploymentChangedParams, now: number): DeploymentInfo[] | null {
  const i = list.findIndex((d) => d.deploymentId === c.deploymentId);
  if (i < 0) return null;
  const next = [...list];
  next[i] = { ...next[i], status: c.status, endpointUrl: c.endpointUrl, message: c.message, updatedAt: now };
  return next;
}
