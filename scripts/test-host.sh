#!/usr/bin/env bash
# Tests of the host integration kit (integrations/headspace): the shipped
# SQLAlchemy models and Alembic revision, against a real PostgreSQL.
#
#   scripts/test-host.sh [pytest arguments...]
#
# Python dependencies (pinned in integrations/headspace/requirements-test.txt)
# go into a throwaway virtual environment, <repo>/.venv (git-ignored).
# PERSONA_REGISTRY_TEST_DATABASE_URL: a PostgreSQL superuser URL; each test
#   creates and drops its own database. Unset: a throwaway cluster is started
#   with scripts/pg-throwaway.sh (and stopped again if this script started it).
# PERSONA_REGISTRY_BIN: the persona-registry binary, for the test comparing
#   `persona-registry migrate up` with the Alembic revision. Unset: the
#   binary in <repo>/.build/debug if it exists; otherwise that test FAILS.
# PYTHON: the interpreter for the venv (default python3, 3.10 or newer).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kit=$repo/integrations/headspace
venv=$repo/.venv
python=${PYTHON:-python3}
requirements=$kit/requirements-test.txt
stamp=$venv/.persona-registry-requirements

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    echo "test-host: $python is missing or older than Python 3.10 (set PYTHON)" >&2
    exit 1
fi

if ! cmp -s "$requirements" "$stamp" 2>/dev/null || [ ! -x "$venv/bin/python" ]; then
    echo "test-host: installing pinned Python dependencies into $venv" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements"
    cp "$requirements" "$stamp"
fi

started_cluster=no
cleanup() {
    if [ "$started_cluster" = yes ]; then
        "$repo/scripts/pg-throwaway.sh" stop || true
    fi
}
trap cleanup EXIT

if [ -z "${PERSONA_REGISTRY_TEST_DATABASE_URL:-}" ]; then
    if [ ! -f "${PG_THROWAWAY_DIR:-$repo/.pg}/data/postmaster.pid" ]; then
        started_cluster=yes
    fi
    PERSONA_REGISTRY_TEST_DATABASE_URL=$("$repo/scripts/pg-throwaway.sh" start)
    export PERSONA_REGISTRY_TEST_DATABASE_URL
fi

if [ -z "${PERSONA_REGISTRY_BIN:-}" ] && [ -x "$repo/.build/debug/persona-registry" ]; then
    export PERSONA_REGISTRY_BIN=$repo/.build/debug/persona-registry
fi

cd "$kit"
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests "$@"
