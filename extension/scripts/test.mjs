// Compiles test/unit/*.test.ts with esbuild into a temporary folder and runs them with node's built-in test runner.
// Exits with the runner's exit code; the runner prints its standard summary (tests / pass / fail).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const unit = join(root, 'test', 'unit');
const files = readdirSync(unit).filter((f) => f.endsWith('.test.ts')).sort();
if (files.length === 0) {
  console.error('no unit tests found in test/unit');
  process.exit(1);
}
const out = mkdtempSync(join(tmpdir(), 'mltrack-ext-unit-'));
try {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: files.map((f) => join('test', 'unit', f)),
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode-jsonrpc', 'vscode-jsonrpc/node'],
    alias: { vscode: './test/support/vscode.ts' },
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  const compiled = files.map((f) => join(out, f.replace(/\.ts$/, '.js')));
  const reporter = process.env.NODE_TEST_REPORTER ?? 'spec';
  const r = spawnSync(process.execPath, ['--enable-source-maps', '--test', `--test-reporter=${reporter}`, ...compiled], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, MLTRACK_EXT_ROOT: root, NODE_PATH: join(root, 'node_modules') },
  });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
