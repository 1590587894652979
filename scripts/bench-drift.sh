#!/usr/bin/env bash
# Prints how long reconcile and drift take on a tree of N personas (default 100000).
# Usage: scripts/bench-drift.sh [N]   (needs a server: PERSONA_REGISTRY_BENCH_DATABASE_URL, a
# superuser URL such as the one scripts/pg-throwaway.sh start prints; uses a release build)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
count=${1:-100000}
server=${PERSONA_REGISTRY_BENCH_DATABASE_URL:?set PERSONA_REGISTRY_BENCH_DATABASE_URL to a superuser URL}
swift build -c release --product persona-registry >/dev/null
bin=$PWD/.build/release/persona-registry
name=pr_bench_$$
work=$(mktemp -d)
admin=${server%/*}/postgres
psql -X -q -d "$admin" -c "CREATE DATABASE $name"
trap 'psql -X -q -d "$admin" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)"; rm -rf "$work"' EXIT
export DATABASE_URL=${server%/*}/$name PERSONA_DATA_DIR=$work/personas PERSONA_TEMPLATES_DIR=$PWD/data/templates
export PERSONA_REGISTRY_MIGRATIONS=$PWD/migrations
"$bin" migrate up >/dev/null
psql -X -q -d "$DATABASE_URL" -c "INSERT INTO role (name) VALUES ('developer');
    INSERT INTO persona (name, role_id) SELECT 'P' || g, 1 FROM generate_series(1, $count) g"
measure() { /usr/bin/time -f "$1: %e s elapsed, %U s user, %S s system, %M KB max RSS" "${@:2}" >/dev/null || true; }
measure "reconcile, $count personas from nothing" "$bin" reconcile
measure "drift, $count personas, clean tree" "$bin" drift
measure "drift --format json" "$bin" drift --format json
measure "reconcile, nothing to do" "$bin" reconcile
