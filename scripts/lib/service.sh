# shellcheck shell=bash
# The registry's service in a booted container (scripts/lib/nspawn.sh), as the boot and package
# tests drive it (sourced, not run). They set $unit (the unit's name), $tmp and $pg_version, and
# $admin_url (the database owner's URL) for cli.

# inside COMMAND...: a command in the container.
inside() { nspawn_run "$@"; }
# prop PROPERTY: one property of the unit.
prop() { inside systemctl show -P "$1" "$unit"; }
# state: the unit's "ActiveState/SubState"; is_state STATE: it is that.
state() { echo "$(prop ActiveState)/$(prop SubState)"; }
is_state() { [ "$(state)" = "$1" ]; }
# exists PATH: PATH exists in the container.
exists() { inside test -e "$1"; }
# psql as the postgres superuser, over the cluster's socket.
sql() { inside runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$pg_port" "$@"; }
# The CLI, as the database owner (role and persona add need INSERT; the daemon's role has not).
cli() { inside runuser -u postgres -- env DATABASE_URL="$admin_url" persona-registry "$@"; }

# start_registry_cluster: the database the operator points the service at, a PostgreSQL
# cluster of its own in the container, started by systemd; sets $pg_port. A cluster that does
# not start ends the run (nothing after it can be checked).
start_registry_cluster() {
    if inside pg_createcluster --start-conf=manual "$pg_version" registry >"$tmp/cluster.log" 2>&1 &&
        inside systemctl start "postgresql@$pg_version-registry" >>"$tmp/cluster.log" 2>&1; then
        pg_port=$(inside pg_conftool -s "$pg_version" registry get port)
        pass "PostgreSQL $pg_version cluster 'registry' runs in the container (port $pg_port)"
    else
        sed 's/^/      /' "$tmp/cluster.log" | tail -20
        fail "PostgreSQL cluster in the container"
        finish
    fi
}
