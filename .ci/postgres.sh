#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 server for the tests and stops it again.
#
#   source .ci/postgres.sh && pg_start   # exports GRAPH_TEST_POSTGRES
#   pg_stop                              # also run by the EXIT trap pg_start installs
#
# Installs PostgreSQL from Debian when it is missing (needs root), initialises a cluster in a
# temporary folder as the `postgres` user, listens on 127.0.0.1 on a private port with fsync
# off (test data only), creates a role and a database and exports the connection string as
# GRAPH_TEST_POSTGRES. A developer runs the same script: `bash .ci/postgres.sh run -- <cmd>`.

pg_bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

pg_install() {
  if pg_bin_dir >/dev/null; then return 0; fi
  if [ "$(id -u)" != "0" ]; then
    echo "postgres.sh: PostgreSQL is not installed and installing it needs root (apt-get install -y postgresql)" >&2
    return 1
  fi
  echo "postgres.sh: installing PostgreSQL from Debian" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  # The package starts a system cluster on 5432; the tests use their own, so stop that one.
  (command -v pg_ctlcluster >/dev/null && pg_ctlcluster --force 15 main stop) >/dev/null 2>&1 || true
  pg_bin_dir >/dev/null
}

pg_as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  pg_install || return 1
  local bin; bin="$(pg_bin_dir)"
  PG_TEST_DIR="$(mktemp -d /tmp/graph-pg.XXXXXX)"
  export PG_TEST_DIR
  if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$PG_TEST_DIR"; fi
  # A private port: the first free one from 55432 up.
  local port=55432
  while (echo >/dev/tcp/127.0.0.1/$port) >/dev/null 2>&1; do port=$((port + 1)); done
  PG_TEST_PORT=$port
  pg_as_owner "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust --no-sync -E UTF8 >"$PG_TEST_DIR/initdb.log" 2>&1 \
    || { cat "$PG_TEST_DIR/initdb.log" >&2; return 1; }
  pg_as_owner "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$PG_TEST_DIR/server.log" >&2; return 1; }
  trap pg_stop EXIT
  "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE graph LOGIN PASSWORD 'graph' CREATEDB" -c "CREATE DATABASE graph OWNER graph" >/dev/null || return 1
  export GRAPH_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=graph;Password=graph;Database=graph"
  echo "postgres.sh: PostgreSQL on 127.0.0.1:$port ($PG_TEST_DIR)" >&2
}

pg_stop() {
  if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR/data" ]; then
    local bin; bin="$(pg_bin_dir)"
    pg_as_owner "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
  fi
  PG_TEST_DIR=""
}

# `bash .ci/postgres.sh run -- cmd args…` runs one command with a server started for it.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    run) shift; [ "${1:-}" = "--" ] && shift; pg_start; "$@" ;;
    *) echo "usage: bash .ci/postgres.sh run -- <command>   (or: source .ci/postgres.sh; pg_start)" >&2; exit 2 ;;
  esac
fi
