import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProductionBucket, ProductionDeployment } from '../../extension/src/protocol';
import {
  bucketSeries, formatCount, formatMs, formatPercent, formatUsd, healthKind, healthText, productionParams, totalsText, trafficNote,
} from '../src/panels/production/logic';

const HOUR = 3600_000;
const bucket = (i: number, over: Partial<ProductionBucket> = {}): ProductionBucket => ({
  start: Date.UTC(2026, 2, 1) + i * HOUR, end: Date.UTC(2026, 2, 1) + (i + 1) * HOUR, label: `h${i}`,
  requests: 0, errors: 0, errorRate: null, p50Ms: null, p95Ms: null, p99Ms: null, costUsd: 0.047, ...over,
});

const dep = (over: Partial<ProductionDeployment> = {}): ProductionDeployment => ({
  deploymentId: 'd1', name: 'iris', target: 'local', runId: 'r1', status: 'READY', endpointUrl: 'http://127.0.0.1:9000',
  healthy: true, healthMessage: null, trafficAvailable: true, hourlyCostUsd: 0.047,
  totals: { requests: 12, errors: 1, errorRate: 1 / 12, p50Ms: 2.4, p95Ms: 8.13, p99Ms: 15, costUsd: 0.0235 },
  buckets: [], ...over,
});

test('formatPercent: three significant digits from 1%, two below; no requests is a dash', () => {
  assert.equal(formatPercent(1 / 12), '8.33%');
  assert.equal(formatPercent(0.5), '50%');
  assert.equal(formatPercent(1), '100%');
  assert.equal(formatPercent(0.00083), '0.083%');
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatPercent(null), '—');
});

test('formatUsd: cents from a dollar, two significant digits below', () => {
  assert.equal(formatUsd(1234.5), '$1,234.50');
  assert.equal(formatUsd(1), '$1.00');
  assert.equal(formatUsd(0.5), '$0.50');
  assert.equal(formatUsd(0.047), '$0.047');
  assert.equal(formatUsd(0.00012345), '$0.00012');
  assert.equal(formatUsd(0), '$0.00');
  assert.equal(formatUsd(null), '—');
});

test('formatMs and formatCount', () => {
  assert.equal(formatMs(2.44), '2.4 ms');
  assert.equal(formatMs(3), '3 ms');
  assert.equal(formatMs(120.4), '120 ms');
  assert.equal(formatMs(1250), '1.25 s');
  assert.equal(formatMs(null), '—');
  assert.equal(formatCount(12345), '12,345');
});

test('health: healthy, not answering with the reason, or a dash when not READY', () => {
  assert.equal(healthText(dep()), 'healthy');
  assert.equal(healthText(dep({ healthy: false, healthMessage: 'connection refused' })), 'not answering: connection refused');
  assert.equal(healthText(dep({ healthy: false, healthMessage: null })), 'not answering: no answer');
  assert.equal(healthText(dep({ status: 'STOPPED', healthy: null })), '—');
  assert.deepEqual([healthKind(dep()), healthKind(dep({ healthy: false })), healthKind(dep({ healthy: null }))], ['ok', 'bad', 'none']);
});

test('the summary totals: requests, error rate, p95, cost', () => {
  assert.deepEqual(totalsText(dep()), { requests: '12 requests', errorRate: '8.33% errors', p95: 'p95 8.1 ms', cost: '$0.024 est.' });
  const idle = totalsText(dep({ totals: { requests: 1, errors: 0, errorRate: 0, p50Ms: 1, p95Ms: 1, p99Ms: 1, costUsd: 0 } }));
  assert.equal(idle.requests, '1 request');
  assert.equal(idle.errorRate, '0% errors');
});

test('bucketSeries: x at the middle of each period in seconds, sorted by time', () => {
  const s = bucketSeries([bucket(1, { requests: 5 }), bucket(0, { requests: 2 })]);
  assert.deepEqual(s.x, [(Date.UTC(2026, 2, 1) + HOUR / 2) / 1000, (Date.UTC(2026, 2, 1) + 1.5 * HOUR) / 1000]);
  assert.deepEqual(s.requests, [2, 5]);
});

test('bucketSeries: periods without requests are gaps in latency and error rate, not zeros', () => {
  const s = bucketSeries([
    bucket(0, { requests: 4, errors: 1, errorRate: 0.25, p50Ms: 2, p95Ms: 5, p99Ms: 9 }),
    bucket(1),
    bucket(2, { requests: 2, errors: 0, errorRate: 0, p50Ms: 3, p95Ms: 4, p99Ms: 4 }),
  ]);
  assert.deepEqual(s.errorPct, [25, null, 0]);
  assert.deepEqual(s.p50, [2, null, 3]);
  assert.deepEqual(s.p95, [5, null, 4]);
  assert.deepEqual(s.p99, [9, null, 4]);
  assert.deepEqual(s.errors, [1, 0, 0]);
});

test('bucketSeries: cost per period and cumulative', () => {
  const s = bucketSeries([bucket(0, { costUsd: 0.5 }), bucket(1, { costUsd: 0.25 }), bucket(2, { costUsd: 0 })]);
  assert.deepEqual(s.cost, [0.5, 0.25, 0]);
  assert.deepEqual(s.costCumulative, [0.5, 0.75, 0.75]);
  assert.deepEqual(bucketSeries([]).x, []);
});

test('productionParams: auto leaves the granularity to the backend; prices come along', () => {
  assert.deepEqual(productionParams({ preset: '24h', granularity: 'auto', timeZone: 'UTC', cpuHourUsd: 0.047, gpuHourUsd: 1.1 }),
    { preset: '24h', timeZone: 'UTC', cpuHourUsd: 0.047, gpuHourUsd: 1.1 });
  assert.deepEqual(productionParams({ preset: '7d', granularity: 'hour', timeZone: null, cpuHourUsd: 0.1, gpuHourUsd: 2 }),
    { preset: '7d', granularity: 'hour', cpuHourUsd: 0.1, gpuHourUsd: 2 });
});

test('trafficNote names the target', () => {
  assert.equal(trafficNote('modal'), 'Traffic is not collected for modal deployments');
});
