import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deploymentContext,
  deploymentDescription,
  deploymentIcon,
  isLoopbackUrl,
  isTerminal,
  predictUrl,
  stagePercent,
  stageText,
  timeMs,
} from '../../src/deployments';
import { createParamsOf, deploymentIdOf, panelKeyMatches, prettyBody } from '../../src/deployCommands';
import { deployLensTitle } from '../../src/deployLens';

test('stages: percent through PENDING → READY, terminal statuses', () => {
  assert.deepEqual(['PENDING', 'UPLOADING', 'BUILDING', 'DEPLOYING', 'READY'].map(stagePercent), [0, 25, 50, 75, 100]);
  assert.equal(stagePercent('FAILED'), 100);
  assert.equal(stagePercent('WHATEVER'), 0);
  assert.deepEqual(['READY', 'FAILED', 'STOPPED', 'BUILDING'].map(isTerminal), [true, true, true, false]);
  assert.equal(stageText('DEPLOYING', 'modal'), 'deploying to Modal…');
  assert.equal(stageText('DEPLOYING', 'local'), 'starting the local server…');
});

test('tree rows: icon, context value, description with endpoint and age', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  assert.deepEqual(deploymentIcon('READY'), { id: 'pass-filled', color: 'testing.iconPassed' });
  assert.equal(deploymentIcon('BUILDING').id, 'sync~spin');
  assert.equal(deploymentContext({ status: 'READY', endpointUrl: 'http://127.0.0.1:1/' }), 'deployment.ready.endpoint');
  assert.equal(deploymentContext({ status: 'FAILED', endpointUrl: null }), 'deployment.failed');
  assert.equal(
    deploymentDescription({ status: 'READY', target: 'local', endpointUrl: 'http://127.0.0.1:5000', createdAt: now - 5 * 60_000 }, now),
    'ready · local · http://127.0.0.1:5000 · 5m ago',
  );
  assert.equal(deploymentDescription({ status: 'FAILED', target: 'modal', endpointUrl: 'x', createdAt: now - 2 * 3600_000 }, now), 'failed · modal · 2h ago');
  assert.equal(timeMs('2026-01-01T10:00:00Z'), now - 2 * 3600_000);
  assert.equal(timeMs('not a date'), 0);
  assert.equal(timeMs(null), 0);
});

test('isLoopbackUrl / predictUrl: "Try it" only against loopback http', () => {
  assert.ok(isLoopbackUrl('http://127.0.0.1:8123'));
  assert.ok(isLoopbackUrl('http://localhost:1/x'));
  assert.ok(!isLoopbackUrl('https://me--app.modal.run'));
  assert.ok(!isLoopbackUrl('file:///etc/passwd'));
  assert.ok(!isLoopbackUrl(null));
  assert.equal(predictUrl('http://127.0.0.1:8123/'), 'http://127.0.0.1:8123/predict');
});

test('createParamsOf: checks the posted form and keeps only known config fields', () => {
  assert.deepEqual(
    createParamsOf({ runId: 'r1', target: 'modal', config: { appName: ' m ', cpu: 2, memoryMb: 'x', gpu: '', env: { A: '1', B: 2 }, evil: 1 } }),
    { runId: 'r1', target: 'modal', config: { appName: 'm', cpu: 2, env: { A: '1' } } },
  );
  assert.equal(createParamsOf({ runId: 'r1', target: 'aws' }), 'unknown target "aws"');
  assert.equal(createParamsOf({ target: 'local' }), 'no run to deploy');
  assert.equal(createParamsOf(null), 'no deployment request');
});

test('ids, panel keys, bodies, lens title', () => {
  assert.equal(deploymentIdOf('d1'), 'd1');
  assert.equal(deploymentIdOf({ deploymentId: 'd2', status: 'READY' }), 'd2');
  assert.equal(deploymentIdOf({}), undefined);
  assert.ok(panelKeyMatches('openapi:d1', 'openapi', 'deploymentId', 'd1'));
  assert.ok(panelKeyMatches('openapi:{"deploymentId":"d1","spec":{}}', 'openapi', 'deploymentId', 'd1'));
  assert.ok(!panelKeyMatches('openapi:{"deploymentId":"d2"}', 'openapi', 'deploymentId', 'd1'));
  assert.ok(!panelKeyMatches('deployForm:d1', 'openapi', 'deploymentId', 'd1'));
  assert.equal(prettyBody('{"predictions":[1]}'), '{\n  "predictions": [\n    1\n  ]\n}');
  assert.equal(prettyBody('oops'), 'oops');
  assert.equal(deployLensTitle('sklearn'), '🚀 Deploy (sklearn)');
  assert.equal(deployLensTitle(null), '🚀 Deploy');
});
