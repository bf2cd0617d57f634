#!/usr/bin/env bash
# Installs Debian's PostgreSQL 15 server (the team store's tests run against a private cluster that
# tests/postgres/cluster.sh starts), idempotently.
# Usage: bash .ci/install-postgres.sh
set -euo pipefail
if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
  echo "install-postgres: PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}') present"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# postgresql-15 alone: no cluster is created or started by the package's own scripts that we rely on.
apt-get install -y -q --no-install-recommends postgresql-15
echo "install-postgres: PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}') installed"
