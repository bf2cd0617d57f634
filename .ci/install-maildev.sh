#!/usr/bin/env bash
# Installs the SMTP server of the email sign-in tests (tests/MLTrack.Server.Tests/Http/Auth): npm maildev, pinned
# by tests/maildev/package-lock.json, into tests/maildev/node_modules, idempotently. Only the npm registry is used
# (and Debian's, for node/npm when missing). The test fixture does the same `npm ci` on demand when node_modules is
# missing; this script lets CI install it up front and fail early.
# Fast when already installed: skipped when node_modules was installed from the same lock file.
#
# Usage: bash .ci/install-maildev.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$repo/tests/maildev"
say() { echo "install-maildev: $*"; }
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
if [[ -f "$dir/node_modules/maildev/dist/bin/maildev.js" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then
  say "maildev $(node "$dir/node_modules/maildev/dist/bin/maildev.js" --version) present"
else
  say "npm ci in tests/maildev"
  (cd "$dir" && npm ci --loglevel=error)
  echo "$want" >"$stamp"
  say "maildev $(node "$dir/node_modules/maildev/dist/bin/maildev.js" --version) installed"
fi
