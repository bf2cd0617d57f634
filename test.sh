#!/usr/bin/env bash
# Runs every test suite of the repository: .NET (xUnit), Python (client + zero-config capture), TypeScript (extension
# unit tests) and the end-to-end suite in a real VS Code (code-server + Chromium). Each suite prints its own
# "N passed, N failed" line; the last line sums them. Exits non-zero when any suite fails.
# The fault suite (faults) kills servers and launchers mid-work and replays the bad-input corpus (tests/faults/corpus).
# Usage: ./test.sh [dotnet|python|ts|browser|e2e|faults]...   (default: all)
set -uo pipefail
# Started in the background by a non-interactive shell (as CI may be), SIGINT and SIGQUIT arrive ignored, and an
# ignored signal stays ignored through every exec: the Ctrl+C tests would then test nothing. Restore the defaults once.
if [[ -z "${MLTRACK_TEST_SIGNALS:-}" ]] && env --default-signal=INT true 2>/dev/null; then
  MLTRACK_TEST_SIGNALS=1 exec env --default-signal=INT,QUIT bash "${BASH_SOURCE[0]}" "$@"
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p test-results
suites=("$@")
((${#suites[@]})) || suites=(dotnet python ts browser e2e faults)
status=0 total_passed=0 total_failed=0

# One private PostgreSQL cluster for every suite (the team store's contract suites, the MLflow-dialect tests on
# PostgreSQL + S3, the replica end-to-end test); each test makes its own database in it. An already running one can
# be given as MLTRACK_TEST_POSTGRES=postgresql://user@host:port/db.
if [[ -z "${MLTRACK_TEST_POSTGRES:-}" && -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
  pg_dir=$(mktemp -d /tmp/mltrack-test-pg.XXXXXX)
  if MLTRACK_TEST_POSTGRES=$(tests/postgres/cluster.sh start "$pg_dir"); then
    export MLTRACK_TEST_POSTGRES
    trap 'tests/postgres/cluster.sh stop "$pg_dir"; rm -rf "$pg_dir"' EXIT
    echo "PostgreSQL for the tests: $MLTRACK_TEST_POSTGRES"
  else
    echo "could not start PostgreSQL for the tests (see above)"; exit 1
  fi
fi

# Adds a suite's last "N passed, N failed" line (from its log $1) to the totals.
tally() {
  local line p f
  line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
  if [[ -z "$line" ]]; then echo "($2 printed no summary)"; status=1; return; fi
  p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+')
  f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
  total_passed=$((total_passed + p)); total_failed=$((total_failed + f))
}

run_dotnet() {
  echo "== .NET: build (warnings are errors) =="
  if ! dotnet build MLTrack.Ide.sln -c Debug --nologo -v q -clp:ErrorsOnly; then
    echo "dotnet: 0 passed, 1 failed"; return 1
  fi
  echo "== .NET: dotnet format (style is part of the build) =="
  if ! dotnet format MLTrack.Ide.sln --verify-no-changes --no-restore; then
    echo "dotnet format found unformatted code: run 'dotnet format MLTrack.Ide.sln'"; echo "dotnet: 0 passed, 1 failed"; return 1
  fi
  echo "== .NET: tests =="
  local log=test-results/dotnet-test.log rc
  dotnet test MLTrack.Ide.sln --no-build -c Debug --nologo --logger "trx;LogFilePrefix=dotnet" --results-directory test-results 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  local passed failed
  passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  [[ "$passed" -gt 0 ]] || { echo "no .NET tests ran"; rc=1; }
  echo "dotnet: $passed passed, $failed failed"
  return $rc
}

run_python() {
  echo "== Python: client, spool, zero-config capture (Debian's /usr/bin/python3) =="
  /usr/bin/python3 tests/python/run_tests.py
}

run_ts() {
  echo "== TypeScript: extension unit tests (plus one against the real backend) =="
  ./mltrack --help >/dev/null || return 1   # builds out/mltrack when needed
  (cd extension && npm ci --no-audit --no-fund --loglevel=error && MLTRACK_BACKEND="$root/out/mltrack/mltrack" npm test) || return 1
  echo "== TypeScript: webview panels unit tests =="
  (cd webviews && npm ci --no-audit --no-fund --loglevel=error && npm test) || return 1
}

run_browser() {
  echo "== Browser: panels served by mltrack ui, in Chromium =="
  tests/e2e/browser/run.sh
}

run_faults() {
  echo "== Faults: kill -9 mid-work, symlinks and permissions, the bad-input corpus =="
  ./mltrack --help >/dev/null || return 1   # builds out/mltrack when needed
  /usr/bin/python3 tests/faults/run_faults.py
}

run_e2e() {
  echo "== VS Code end-to-end (code-server + Chromium) =="
  tests/e2e/vscode/run.sh
}

for suite in "${suites[@]}"; do
  log="test-results/suite-$suite.log"
  case "$suite" in
    dotnet|python|ts|browser|e2e|faults) "run_$suite" 2>&1 | tee "$log"; rc=${PIPESTATUS[0]} ;;
    *) echo "unknown suite '$suite' (dotnet, python, ts, browser, e2e, faults)"; exit 2 ;;
  esac
  if [[ "$suite" == ts ]]; then
    # node's test runner prints "# pass N" / "# fail N"
    # node's test runner ends each run with "ℹ pass N" / "ℹ fail N" (spec reporter) or "# pass N" (TAP): sum the runs
    p=$(grep -oE '^(ℹ|#) pass [0-9]+' "$log" | grep -oE '[0-9]+$' | awk '{s+=$1} END {print s+0}')
    f=$(grep -oE '^(ℹ|#) fail [0-9]+' "$log" | grep -oE '[0-9]+$' | awk '{s+=$1} END {print s+0}')
    echo "ts: ${p:-0} passed, ${f:-0} failed"
    total_passed=$((total_passed + ${p:-0})); total_failed=$((total_failed + ${f:-0}))
    [[ -n "$p" && "$p" != 0 ]] || { echo "no TypeScript tests ran"; rc=1; }
  else
    tally "$log" "$suite"
  fi
  [[ $rc -eq 0 ]] || { echo "suite $suite FAILED (exit $rc)"; status=1; }
done

echo "all: $total_passed passed, $total_failed failed"
exit $status
