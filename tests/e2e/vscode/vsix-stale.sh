#!/usr/bin/env bash
# Usage (from the repo root): tests/e2e/vscode/vsix-stale.sh VSIX
# Prints why the packaged extension must be rebuilt ("missing", or "older than FILE"); prints nothing when it is
# newer than every source it is built from (extension, backend, panels, Python client). One rule for the e2e suite
# and the benchmark.
vsix=$1
if [[ ! -f "$vsix" ]]; then echo "missing"; exit 0; fi
newer=$(find extension server webviews clients Directory.Build.props \
  \( -path extension/node_modules -o -path extension/dist -o -path extension/server -o -name bin -o -name obj \
     -o -name node_modules -o -name __pycache__ -o -name '*.vsix' \) -prune \
  -o -type f -newer "$vsix" -print 2>/dev/null | head -1 || true)
[[ -n "$newer" ]] && echo "older than $newer"
exit 0
