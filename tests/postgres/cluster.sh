#!/usr/bin/env bash
# A private PostgreSQL cluster for the test suites: one per ./test.sh, shared by every suite (each test class makes
# its own database in it). Loopback TCP on a free port, trust auth, fsync off (tests, not durability of the
# cluster), owned by user postgres when run as root (initdb refuses root).
#   tests/postgres/cluster.sh start DIR [PORT] -> prints postgresql://postgres@127.0.0.1:PORT/postgres (a free port
#                                                 unless given: a restart on the port a server was configured with)
#   tests/postgres/cluster.sh stop DIR
#   tests/postgres/cluster.sh crash DIR         stops at once, as a crash would (pg_ctl -m immediate: no checkpoint,
#                                               clients cut off; the next start recovers from the WAL)
# MLTRACK_PG_CRASH_SAFE=1 keeps synchronous_commit on, so a commit acknowledged before a crash survives it (the
# default trades that for speed; fsync stays off either way: the tests crash PostgreSQL, not the machine).
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
cmd=${1:?start|stop|crash} dir=${2:?cluster folder}
as_owner() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    mkdir -p "$dir"
    [[ $(id -u) == 0 ]] && chown postgres: "$dir"
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    port=${3:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
    sync=off
    [[ "${MLTRACK_PG_CRASH_SAFE:-}" == 1 ]] && sync=on
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=$sync -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [[ -f "$dir/data/postmaster.pid" ]] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  crash)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    ;;
  *) echo "usage: $0 start|stop|crash DIR [PORT]" >&2; exit 2 ;;
esac
