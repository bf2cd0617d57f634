// Pure logic of the Deployment form: field validation (messages shown inline) and the deployments/create config.
import type { DeploymentConfig, DeploymentTarget } from '../../../../extension/src/protocol';

export type DeployTarget = DeploymentTarget;

/** The form's fields as typed (numbers still text). */
export interface DeployFormValues {
  target: DeployTarget;
  name: string;
  version: string;
  cpu: string;
  memoryMb: string;
  gpu: string;
  minContainers: string;
  env: string;
}

export type DeployField = keyof DeployFormValues;

/** The config part of deployments/create (protocol.ts DeploymentConfig, without the fields the form does not set). */
export type DeployConfig = Pick<DeploymentConfig, 'appName' | 'modelName' | 'modelVersion' | 'cpu' | 'memoryMb' | 'gpu' | 'minContainers' | 'env'>;

/** GPU types Modal accepts (optionally with a count, e.g. "A100:2"). */
export const GPU_TYPES = ['T4', 'L4', 'A10G', 'L40S', 'A100', 'A100-40GB', 'A100-80GB', 'H100', 'H200', 'B200'] as const;

export const LIMITS = {
  cpu: { min: 0.125, max: 64 },
  memoryMb: { min: 128, max: 262144 },
  minContainers: { min: 0, max: 100 },
} as const;

/** A Modal-safe app name from a run name: lowercase letters, digits and dashes, at most 63 characters. */
export function slugName(s: string): string {
  const slug = s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return slug || 'model';
}

/** The initial values for a run. */
export function defaultValues(runName: string | null | undefined, runId: string): DeployFormValues {
  return {
    target: 'local',
    name: slugName(runName || `run-${runId.slice(0, 8)}`),
    version: '1.0.0',
    cpu: '1',
    memoryMb: '512',
    gpu: '',
    minContainers: '0',
    env: '',
  };
}

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses `KEY=value` lines (blank lines and `#` comments skipped). Errors name the line. */
export function parseEnv(text: string): { env: Record<string, string>; errors: string[] } {
  const env: Record<string, string> = {};
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      errors.push(`line ${i + 1}: expected KEY=value`);
      return;
    }
    const key = line.slice(0, eq).trim();
    if (!ENV_KEY.test(key)) {
      errors.push(`line ${i + 1}: "${key}" is not a valid variable name`);
      return;
    }
    if (key in env) {
      errors.push(`line ${i + 1}: ${key} is set twice`);
      return;
    }
    env[key] = line.slice(eq + 1).trim();
  });
  return { env, errors };
}

function numberField(text: string, label: string, min: number, max: number, integer: boolean): { value?: number; error?: string } {
  const t = text.trim();
  if (!t) return {};
  if (!/^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return { error: `${label} must be a number` };
  const n = Number(t);
  if (integer && !Number.isInteger(n)) return { error: `${label} must be a whole number` };
  if (n < min || n > max) return { error: `${label} must be between ${min} and ${max}` };
  return { value: n };
}

/** Validates the form: per-field messages, and the config when there are none. */
export function validateDeployForm(v: DeployFormValues): { errors: Partial<Record<DeployField, string>>; config?: DeployConfig } {
  const errors: Partial<Record<DeployField, string>> = {};
  const config: DeployConfig = {};
  if (v.target !== 'local' && v.target !== 'modal') errors.target = 'Choose local or modal';

  const name = v.name.trim();
  if (!name) errors.name = 'A name is required';
  else if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) errors.name = 'Use lowercase letters, digits and dashes (at most 63, not starting or ending with a dash)';
  else config.appName = name;

  const version = v.version.trim();
  if (version) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/.test(version)) errors.version = 'Use letters, digits, ".", "_", "+" or "-" (e.g. 1.0.0)';
    else config.modelVersion = version;
  }

  const cpu = numberField(v.cpu, 'CPU', LIMITS.cpu.min, LIMITS.cpu.max, false);
  if (cpu.error) errors.cpu = cpu.error;
  else if (cpu.value !== undefined) config.cpu = cpu.value;

  const mem = numberField(v.memoryMb, 'Memory', LIMITS.memoryMb.min, LIMITS.memoryMb.max, true);
  if (mem.error) errors.memoryMb = mem.error;
  else if (mem.value !== undefined) config.memoryMb = mem.value;

  const gpu = v.gpu.trim();
  if (gpu) {
    const m = /^([A-Za-z0-9-]+)(?::(\d+))?$/.exec(gpu);
    const type = m?.[1]?.toUpperCase();
    if (v.target === 'local') errors.gpu = 'GPUs are available on the Modal target only';
    else if (!m || !(GPU_TYPES as readonly string[]).includes(type!)) errors.gpu = `Unknown GPU; one of ${GPU_TYPES.join(', ')} (optionally :count)`;
    else if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 8)) errors.gpu = 'GPU count must be between 1 and 8';
    else config.gpu = m[2] ? `${type}:${m[2]}` : type!;
  }

  const mc = numberField(v.minContainers, 'Min containers', LIMITS.minContainers.min, LIMITS.minContainers.max, true);
  if (mc.error) errors.minContainers = mc.error;
  else if (mc.value !== undefined) {
    if (v.target === 'local' && mc.value > 1) errors.minContainers = 'The local target runs one server';
    else config.minContainers = mc.value;
  }

  const env = parseEnv(v.env);
  if (env.errors.length > 0) errors.env = env.errors.join('; ');
  else if (Object.keys(env.env).length > 0) config.env = env.env;

  return Object.keys(errors).length > 0 ? { errors } : { errors, config };
}
