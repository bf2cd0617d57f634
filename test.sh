#!/usr/bin/env bash
# Runs every test suite of the repository. Prints one "N passed, N failed" line per suite and exits non-zero on failure.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p test-results
status=0

echo "== .NET: build (warnings are errors) =="
if ! dotnet build MLTrack.Ide.sln -c Debug --nologo -v q -clp:ErrorsOnly; then
  echo "dotnet build failed"; exit 1
fi

echo "== .NET: tests =="
log=test-results/dotnet-test.log
dotnet test MLTrack.Ide.sln --no-build -c Debug --nologo --logger "trx;LogFilePrefix=dotnet" --results-directory test-results 2>&1 | tee "$log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "dotnet: $passed passed, $failed failed"
[[ "$passed" -gt 0 ]] || { echo "no .NET tests ran"; status=1; }

exit $status
