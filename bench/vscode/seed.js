'use strict';
// Seeds a benchmark workspace (a git repo, like the e2e suite's) whose store .mltrack/mltrack.db holds N runs in
// ~10 experiments, each with a few params and metrics, FINISHED — through the public interface only: the tracking
// server `./mltrack server --store <ws>/.mltrack/mltrack.db --http 127.0.0.1:0` and its MLflow REST API
// (experiments/create, runs/create, runs/log-batch, runs/update) with the bearer token from <ws>/.mltrack/token,
// 8 requests in flight. The finished workspace is marked by <ws>/.mltrack/bench-seed.json and reused when present.
const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const h = require('../../tests/e2e/vscode/lib');

const SEED_VERSION = 1;
const MODELS = ['resnet50', 'bert-base', 'vit-small', 'gpt2', 'xgboost'];
const OPTIMIZERS = ['adamw', 'sgd', 'adam', 'lion'];

function seedInfo(ws) {
  try { return JSON.parse(fs.readFileSync(path.join(ws, '.mltrack/bench-seed.json'), 'utf8')); } catch { return null; }
}

/** Starts the tracking server for the store; resolves {url, token, stop}. */
async function startServer(ws, store) {
  const child = cp.spawn(path.join(h.REPO, 'mltrack'), ['server', '--store', store, '--http', '127.0.0.1:0'], {
    cwd: ws, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
  process.on('exit', kill);
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`mltrack server printed no URL in 120 s; stderr: ${err.slice(-800)}`)), 120000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^(https?:\/\/\S+)\s*$/m);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`mltrack server exited (${code}): ${err.slice(-800)}`)); });
  });
  const token = fs.readFileSync(path.join(path.dirname(store), 'token'), 'utf8').trim();
  const stop = async () => {
    child.removeAllListeners('exit');
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    const deadline = Date.now() + 10000;
    while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) await h.sleep(100);
    kill();
    process.removeListener('exit', kill);
  };
  return { url, token, stop };
}

/** Returns the workspace path, seeding it first when it is not there (or was seeded differently). */
async function ensureSeeded(ws, { runs = 10000, experiments = 10, concurrency = 8 } = {}) {
  const want = { version: SEED_VERSION, runs, experiments };
  const have = seedInfo(ws);
  if (have && have.version === want.version && have.runs === runs && have.experiments === experiments
      && fs.existsSync(path.join(ws, '.mltrack/mltrack.db'))) {
    h.log(`seed: reusing ${ws} (${runs.toLocaleString('en')} runs, seeded ${have.seededAt} in ${have.seconds} s)`);
    return ws;
  }
  fs.rmSync(ws, { recursive: true, force: true });
  h.makeWorkspace(ws);
  const store = path.join(ws, '.mltrack/mltrack.db');
  fs.mkdirSync(path.dirname(store), { recursive: true });
  const t = Date.now();
  const server = await startServer(ws, store);
  h.log(`seed: tracking server at ${server.url}`);
  try {
    const api = async (route, body) => {
      for (let attempt = 0; ; attempt++) {
        const r = await fetch(`${server.url}/api/2.0/mlflow/${route}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
          body: JSON.stringify(body),
        });
        const text = await r.text();
        if (r.ok) return text ? JSON.parse(text) : {};
        if (attempt < 3 && r.status >= 500) { await h.sleep(200); continue; }
        throw new Error(`${route} -> ${r.status}: ${text.slice(0, 300)}`);
      }
    };
    const expIds = [];
    for (let e = 0; e < experiments; e++) expIds.push((await api('experiments/create', { name: `exp-${e}` })).experiment_id);
    let seed = 7;
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const t0 = Date.now() - runs * 60000 - 3600000; // run i started i minutes after t0; the newest an hour ago
    let next = 0;
    let done = 0;
    const worker = async () => {
      for (let i = next++; i < runs; i = next++) {
        const model = MODELS[i % MODELS.length];
        const start = t0 + i * 60000;
        const { run } = await api('runs/create', {
          experiment_id: expIds[i % experiments],
          run_name: `${model}-run-${i}`,
          start_time: start,
          tags: [{ key: 'owner', value: ['alice', 'bob', 'carol'][i % 3] }],
        });
        const id = run.info.run_id;
        const loss = 1 / (1 + (i % 97)) + rnd() * 0.05;
        await api('runs/log-batch', {
          run_id: id,
          params: [
            { key: 'optimizer', value: OPTIMIZERS[Math.floor(rnd() * OPTIMIZERS.length)] },
            { key: 'lr', value: String([0.1, 0.03, 0.01, 0.003, 0.001][i % 5]) },
            { key: 'batch_size', value: String(16 << (i % 4)) },
            { key: 'model', value: model },
          ],
          metrics: [
            ...[0, 1, 2, 3, 4].map((step) => ({ key: 'loss', value: loss * (5 - step), timestamp: start + step * 1000, step })),
            { key: 'val_loss', value: loss * 1.1, timestamp: start + 5000, step: 4 },
            { key: 'accuracy', value: 1 - loss / 2, timestamp: start + 5000, step: 4 },
          ],
        });
        await api('runs/update', { run_id: id, status: 'FINISHED', end_time: start + 30000 });
        if (++done % 1000 === 0) h.log(`seed: ${done.toLocaleString('en')}/${runs.toLocaleString('en')} runs`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await server.stop();
  }
  const seconds = Math.round((Date.now() - t) / 100) / 10;
  fs.writeFileSync(path.join(ws, '.mltrack/bench-seed.json'), JSON.stringify({ ...want, seededAt: new Date().toISOString(), seconds }, null, 2));
  h.log(`seed: ${runs.toLocaleString('en')} runs in ${experiments} experiments seeded in ${seconds} s`);
  return ws;
}

module.exports = { ensureSeeded };

if (require.main === module) {
  const ws = process.argv[2] || '/tmp/mltrack-bench/vscode-10k';
  ensureSeeded(ws).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
}
