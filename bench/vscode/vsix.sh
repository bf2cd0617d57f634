#!/usr/bin/env bash
# Prints the path of an up-to-date MLTrack .vsix for the benchmark (its last line of output).
#
# Same rule as tests/e2e/vscode/run.sh: extension/mltrack-<version>.vsix is used when no file under extension, server,
# webviews, clients or Directory.Build.props is newer than it. When it is missing or stale, the .vsix is built the
# same way (npm ci when needed, then `npm run package`), but in a clean export of the committed tree (git archive
# HEAD) under $BENCH_CACHE/vsix-<commit>, never in the shared working tree: files others are editing right now are
# neither bundled half-done nor overwritten. Cached per commit; a dirty tracked extension/server tree is reported.
# Env: E2E_VSIX=path uses that .vsix; BENCH_CACHE (default /tmp/mltrack-bench).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cache="${BENCH_CACHE:-/tmp/mltrack-bench}"

if [[ -n "${E2E_VSIX:-}" ]]; then echo "bench: using E2E_VSIX=$E2E_VSIX"; echo "$E2E_VSIX"; exit 0; fi

version=$(node -p "require('./extension/package.json').version" 2>/dev/null \
  || sed -n 's/^  "version": "\(.*\)",$/\1/p' extension/package.json | head -1)
vsix="extension/mltrack-$version.vsix"
stale=$(bash tests/e2e/vscode/vsix-stale.sh "$vsix")
if [[ -z "$stale" ]]; then
  echo "bench: $vsix is up to date"
  echo "$root/$vsix"
  exit 0
fi

commit=$(git rev-parse HEAD)
dirty=$(git status --porcelain --untracked-files=no -- extension server clients Directory.Build.props | head -3 || true)
out="$cache/vsix-${commit:0:12}"
built="$out/extension/mltrack-$version.vsix"
echo "bench: $vsix is $stale; using a .vsix built from HEAD ${commit:0:12} in $out"
[[ -n "$dirty" ]] && echo "bench: NOTE uncommitted changes to tracked extension/server files are not in it: $(echo "$dirty" | tr '\n' ' ')"
if [[ -f "$built" && -f "$out/.done" ]]; then
  echo "$built"
  exit 0
fi
t=$SECONDS
rm -rf "$out"
mkdir -p "$out"
git archive HEAD | tar -x -C "$out"
(
  cd "$out/extension"
  # node_modules: a copy of the working tree's when its lock file matches, else npm ci (as run.sh does)
  if [[ -d "$root/extension/node_modules" ]] && cmp -s package-lock.json "$root/extension/package-lock.json" \
     && [[ -f "$root/extension/node_modules/.package-lock.json" ]]; then
    cp -a "$root/extension/node_modules" node_modules
  else
    npm ci --no-audit --no-fund
  fi
  npm run package
) >"$out/build.log" 2>&1 || { echo "bench: building the .vsix failed (cd extension && npm ci && npm run package); log: $out/build.log"; tail -20 "$out/build.log"; exit 1; }
[[ -f "$built" ]] || { echo "bench: npm run package did not produce $built"; exit 1; }
touch "$out/.done"
echo "bench: built $built in $((SECONDS - t)) s"
echo "$built"
