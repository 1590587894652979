#!/usr/bin/env bash
# A throwaway local PostgreSQL cluster for development and tests.
#
#   scripts/pg-throwaway.sh start   # prints its URL (postgresql://postgres@127.0.0.1:PORT/persona_registry)
#   scripts/pg-throwaway.sh stop    # (and a standby in $PG_THROWAWAY_DIR/standby, if any)
#   scripts/pg-throwaway.sh url     # the URL of the running cluster
#
# The cluster lives in ./.pg (git-ignored), listens on 127.0.0.1 only, on a
# free port, with trust authentication for the `postgres` superuser. The
# server refuses to run as root, so as root it runs as the `postgres` user.
# PG_THROWAWAY_DIR overrides the location; PG_THROWAWAY_OPTIONS adds server
# options (e.g. "-c wal_level=logical").
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${PG_THROWAWAY_DIR:-$here/.pg}
data=$dir/data
log=$dir/server.log
database=${PG_THROWAWAY_DB:-persona_registry}

pg_bin() {
    local name=$1
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
    local candidate
    for candidate in /usr/lib/postgresql/*/bin/"$name"; do
        [ -x "$candidate" ] && { echo "$candidate"; return; }
    done
    echo "pg-throwaway: $name not found (install postgresql)" >&2
    exit 1
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    # A random starting point: clusters started at the same moment (parallel tests)
    # rarely probe the same port; start() retries on a clash all the same.
    local offset=$((RANDOM % 600)) i port
    for i in $(seq 0 599); do
        port=$((54330 + (offset + i) % 600))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo "pg-throwaway: no free port in 54330-54929" >&2
    exit 1
}

url() {
    local port
    port=$(cat "$dir/port")
    echo "postgresql://postgres@127.0.0.1:$port/$database"
}

running() {
    [ -f "$data/postmaster.pid" ] && as_owner "$(pg_bin pg_ctl)" -D "$data" status >/dev/null 2>&1
}

start() {
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
        chown postgres: "$dir"
        if ! runuser -u postgres -- test -w "$dir"; then
            echo "pg-throwaway: the postgres user cannot write $dir (a parent directory is not searchable); set PG_THROWAWAY_DIR" >&2
            exit 1
        fi
    fi
    if running; then
        url
        return
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        as_owner "$(pg_bin initdb)" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    local port attempt
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        echo "$port" >"$dir/port"
        if as_owner "$(pg_bin pg_ctl)" -D "$data" -l "$log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c max_connections=200 -c fsync=off -c full_page_writes=off -c synchronous_commit=off ${PG_THROWAWAY_OPTIONS:-}" \
            start >/dev/null; then
            break
        fi
        if [ "$attempt" = 5 ]; then
            tail -n 20 "$log" >&2
            exit 1
        fi
        echo "pg-throwaway: could not start on port $port (taken meanwhile?); trying another" >&2
    done
    local psql
    psql=$(pg_bin psql)
    if ! "$psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
        "$psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE $database" >/dev/null
    fi
    url
}

stop() {
    # A hot standby a test made beside the cluster goes first.
    if [ -f "$dir/standby/postmaster.pid" ]; then
        as_owner "$(pg_bin pg_ctl)" -D "$dir/standby" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if running; then
        as_owner "$(pg_bin pg_ctl)" -D "$data" -m fast -w stop >/dev/null
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 64 ;;
esac
