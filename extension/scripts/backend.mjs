// Publishes the C# backend for linux-x64 (ReadyToRun, framework-dependent) into extension/server/,
// which `vsce package` then carries in the .vsix. Removes debug symbols and XML docs to keep the .vsix small.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'server');
const project = join(root, '..', 'server', 'MLTrack.Server');

rmSync(out, { recursive: true, force: true });
const args = [
  'publish', project,
  '-c', 'Release',
  '-r', 'linux-x64',
  '-p:PublishReadyToRun=true',
  '--self-contained', 'false',
  '-p:DebugType=none',
  '-p:DebugSymbols=false',
  '-p:GenerateDocumentationFile=false',
  '-p:SatelliteResourceLanguages=en',
  '-o', out,
  '--nologo', '-v', 'q', '-clp:ErrorsOnly',
];
console.log(`dotnet ${args.join(' ')}`);
const r = spawnSync('dotnet', args, {
  stdio: 'inherit',
  env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1' },
});
if (r.status !== 0) {
  console.error('backend publish failed');
  process.exit(r.status ?? 1);
}

let bytes = 0;
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p);
    else if (name.endsWith('.pdb') || name.endsWith('.dbg')) rmSync(p);
    else bytes += st.size;
  }
};
walk(out);
const exe = join(out, 'mltrack');
accessSync(exe, constants.X_OK);
console.log(`backend published to ${out} (${(bytes / 1048576).toFixed(1)} MB)`);
