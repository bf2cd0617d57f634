// Bundles the webview app with esbuild:
//   node build.mjs            src/main.ts → dist/main.js + dist/main.css (minified; uPlot's CSS included)
//   node build.mjs --dev      unminified, with a linked source map
//   node build.mjs --watch    dev build, rebuilt on change
//   node build.mjs --tests    test/*.test.ts → test-dist/*.test.mjs (for `node --test test-dist/`)
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const watch = argv.includes('--watch');
const dev = watch || argv.includes('--dev');

if (argv.includes('--tests')) {
  rmSync(join(root, 'test-dist'), { recursive: true, force: true });
  const entries = readdirSync(join(root, 'test')).filter((f) => f.endsWith('.test.ts')).map((f) => `test/${f}`);
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: 'test-dist',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
} else {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const options = {
    absWorkingDir: root,
    entryPoints: { main: 'src/main.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['chrome114'],
    minify: !dev,
    sourcemap: dev ? 'linked' : false,
    legalComments: 'none',
    logLevel: 'info',
    loader: { '.css': 'css' },
  };
  if (watch) await (await esbuild.context(options)).watch();
  else await esbuild.build(options);
}
