import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeploymentInfo } from '../../extension/src/protocol';
import { applyChange, canOpenApi, canStop, formatAge, sortDeployments } from '../src/panels/deployments/logic';
import { deployState } from '../src/panels/run/logic';

const dep = (over: Partial<DeploymentInfo> = {}): DeploymentInfo => ({
  deploymentId: 'd1', runId: 'r1', target: 'local', name: 'm', modelName: null, modelVersion: null, status: 'READY',
  endpointUrl: 'http://127.0.0.1:9000', message: null, createdAt: 1000, updatedAt: 1000, config: {}, stats: null, ...over,
});

test('formatAge', () => {
  const t0 = 1_700_000_000_000;
  assert.equal(formatAge(t0, t0 + 5_000), 'just now');
  assert.equal(formatAge(t0, t0 + 5 * 60_000), '5 min');
  assert.equal(formatAge(t0, t0 + 3 * 3600_000), '3 h');
  assert.equal(formatAge(t0, t0 + 3 * 86400_000), '3 d');
  assert.equal(formatAge(t0, t0 - 10_000), 'just now');
  assert.equal(formatAge(0, t0), '');
});

test('canStop / canOpenApi', () => {
  for (const s of ['PENDING', 'UPLOADING', 'BUILDING', 'DEPLOYING', 'READY'] as const) assert.equal(canStop(s), true, s);
  assert.equal(canStop('STOPPED'), false);
  assert.equal(canStop('FAILED'), false);
  assert.equal(canOpenApi({ status: 'READY', endpointUrl: null }), true);
  assert.equal(canOpenApi({ status: 'FAILED', endpointUrl: null }), false);
  assert.equal(canOpenApi({ status: 'PENDING', endpointUrl: null }), false);
});

test('sortDeployments: newest first, then by name', () => {
  const s = sortDeployments([dep({ deploymentId: 'a', name: 'b', createdAt: 1 }), dep({ deploymentId: 'b', name: 'z', createdAt: 5 }), dep({ deploymentId: 'c', name: 'a', createdAt: 1 })]);
  assert.deepEqual(s.map((d) => d.deploymentId), ['b', 'c', 'a']);
});

test('applyChange patches a known row, null for an unknown one', () => {
  const list = [dep({ status: 'DEPLOYING', endpointUrl: null })];
  const next = applyChange(list, { deploymentId: 'd1', runId: 'r1', status: 'READY', endpointUrl: 'http://x', message: null }, 42)!;
  assert.equal(next[0].status, 'READY');
  assert.equal(next[0].endpointUrl, 'http://x');
  assert.equal(next[0].updatedAt, 42);
  assert.equal(list[0].status, 'DEPLOYING');
  assert.equal(applyChange(list, { deploymentId: 'zz', runId: 'r1', status: 'READY', endpointUrl: null, message: null }, 1), null);
});

test('deployState: the run page Deploy button', () => {
  assert.deepEqual(deployState(null, true, false).enabled, false);
  const no = deployState({ ok: false, reason: 'run r1 logged no model' }, true, false);
  assert.equal(no.enabled, false);
  assert.match(no.title, /logged no model/);
  assert.equal(deployState({ ok: true, reason: '' }, true, false).enabled, true);
  const browser = deployState({ ok: true, reason: '' }, false, false);
  assert.equal(browser.enabled, false);
  assert.match(browser.title, /VS Code/);
  assert.match(deployState({ ok: false, reason: 'x' }, false, false).title, /Cannot deploy: x/);
  assert.equal(deployState({ ok: true, reason: '' }, true, true).enabled, false);
});
