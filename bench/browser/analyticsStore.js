'use strict';
// The store of the analytics panels' benchmark: 100,000 runs spread evenly over the two years before it was seeded,
// 20 experiments, 8 users, 85 % FINISHED / 10 % FAILED / 5 % KILLED, 5 min – 5 h durations, 4 params, loss (5 steps)
// and accuracy — the shape of bench/MLTrack.Bench/AnalyticsSeed.cs, which fixes its end at 2026-11-01 for a backend
// with a fake clock. `mltrack ui` runs on the real clock, so this store ends when it was seeded (6 h before, so every
// run has ended) and is seeded through the public REST API (runs/create with start_time and user_id, runs/log-batch,
// runs/update with end_time): 3 requests per run, CONCURRENCY at a time. Seeded once, cached under STORE with a
// seed.json mark; a half-seeded folder (no mark) is emptied and seeded again.
const fs = require('node:fs');
const path = require('node:path');

const RUNS = Number(process.env.BENCH_ANALYTICS_RUNS || 100_000);
const YEARS = 2;
const EXPERIMENTS = 20;
const USERS = 8;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 16);
const STORE = process.env.BENCH_ANALYTICS_STORE
  || (RUNS === 100_000 ? '/tmp/mltrack-bench/browser-analytics-store' : `/tmp/mltrack-bench/browser-analytics-store-${RUNS}`);
const MARK = path.join(STORE, 'seed.json');
const DAY = 86_400_000;

/** A small deterministic PRNG (mulberry32): run i's numbers do not depend on the order requests complete in. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Run i of the store: its experiment, user, start/end, status, params and metrics. */
function runOf(i, start, step, exps) {
  const r = rng(7 + i * 2654435761);
  const t = Math.floor(start + i * step + r() * step);
  const lr = Math.round(10 ** (-1 - 3 * r()) * 1e5) / 1e5;
  const depth = 2 + Math.floor(r() * 10);
  const accuracy = Math.min(1, Math.max(0, 0.6 + 0.03 * depth - 20 * Math.abs(lr - 0.01) + r() * 0.1));
  const metrics = [];
  for (let s = 0; s < 5; s++) metrics.push({ key: 'loss', value: (1 - accuracy) * (5 - s) / 5 + r() * 0.01, timestamp: t + s * 1000, step: s });
  metrics.push({ key: 'accuracy', value: accuracy, timestamp: t + 5000, step: 5 });
  const roll = Math.floor(r() * 100);
  return {
    experimentId: exps[Math.floor(r() * EXPERIMENTS)],
    user: `user${Math.floor(r() * USERS)}`,
    name: `run-${i}`,
    startTime: t,
    endTime: t + 300_000 + Math.floor(r() * 5 * 3_600_000),
    status: roll < 85 ? 'FINISHED' : roll < 95 ? 'FAILED' : 'KILLED',
    params: { lr: String(lr), depth: String(depth), batch_size: String(16 << Math.floor(r() * 4)), optimizer: ['adam', 'sgd', 'adamw'][Math.floor(r() * 3)] },
    metrics,
  };
}

async function pool(n, count, fn) {
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(n, count) }, async () => {
    while (i < count) await fn(i++);
  }));
}

/** The seed mark of a complete store, or null (and the folder emptied when it held a half-seeded store). */
function prepare({ reseed = false } = {}) {
  if (reseed) fs.rmSync(STORE, { recursive: true, force: true });
  fs.mkdirSync(STORE, { recursive: true });
  if (fs.existsSync(MARK)) return JSON.parse(fs.readFileSync(MARK, 'utf8'));
  for (const f of fs.readdirSync(STORE)) fs.rmSync(path.join(STORE, f), { recursive: true, force: true });
  return null;
}

/** Seeds the store behind `api` (a harness makeApi client of a `mltrack ui` on STORE) and writes the mark. */
async function seed(api, log) {
  const t0 = Date.now();
  const end = Date.now() - 6 * 3_600_000; // the longest run (5 h 5 min) has ended by now
  const start = end - YEARS * 365 * DAY - DAY; // two years and the leap day between
  const step = (end - start) / RUNS;
  const exps = [];
  for (let e = 0; e < EXPERIMENTS; e++) exps.push(await api.createExperiment(`exp-${String(e).padStart(2, '0')}`));
  let done = 0;
  await pool(CONCURRENCY, RUNS, async (i) => {
    const run = runOf(i, start, step, exps);
    const runId = await api.createRun(run);
    await api.logBatch(runId, { params: run.params, metrics: run.metrics });
    await api.updateRun(runId, run.status, run.endTime);
    if (++done % 10_000 === 0) log(`seeded ${done}/${RUNS} runs (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  });
  const info = {
    runs: RUNS, years: YEARS, experiments: EXPERIMENTS, users: USERS, from: new Date(start).toISOString(), to: new Date(end).toISOString(),
    seededInSeconds: (Date.now() - t0) / 1000, at: new Date().toISOString(),
  };
  fs.writeFileSync(MARK, JSON.stringify(info, null, 2));
  return info;
}

module.exports = { STORE, RUNS, prepare, seed };
