#!/usr/bin/env bash
# Installs the S3 protocol server of the S3 model storage tests (tests/MLTrack.Core.Tests/S3): npm s3rver, pinned
# by tests/s3rver/package-lock.json, into tests/s3rver/node_modules, idempotently. Only the npm registry is used
# (and Debian's, for node/npm when missing). The test fixture does the same `npm ci` on demand when node_modules is
# missing; this script lets CI install it up front and fail early.
# Fast when already installed: skipped when node_modules was installed from the same lock file.
#
# Usage: bash .ci/install-s3rver.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$repo/tests/s3rver"
say() { echo "install-s3rver: $*"; }
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "apt-get install nodejs npm"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends nodejs npm
fi

exec 9>"$dir/.install.lock"
flock 9   # the test fixture takes the same lock before its own npm ci

stamp="$dir/node_modules/.mltrack-lock-sha256"
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$dir/node_modules/s3rver/bin/s3rver.js" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then
  say "s3rver $(node "$dir/node_modules/s3rver/bin/s3rver.js" --version) present"
else
  say "npm ci in tests/s3rver"
  (cd "$dir" && npm ci --loglevel=error)
  echo "$want" >"$stamp"
  say "s3rver $(node "$dir/node_modules/s3rver/bin/s3rver.js" --version) installed"
fi
