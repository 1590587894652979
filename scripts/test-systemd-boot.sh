#!/usr/bin/env bash
# The service under a real, booted systemd (in a systemd-nspawn container), installed the way
# docs/operating.md tells an operator to, against a PostgreSQL running in the same container.
#
#   scripts/test-systemd-boot.sh           (as root; scripts/test runs it)
#
# The container's root is the host's own / bound read-only with a tmpfs overlay: everything the
# test installs or writes inside is gone when it stops. The checkout is bound read-only at
# /usr/src/persona-registry. The container has a private network; its PostgreSQL is a cluster of
# its own made with pg_createcluster. systemd in the container logs at debug level, so the
# journal shows every sd_notify message and every state change of the unit.
#
# Checks (one line each, then "N passed, N failed"; exit status non-zero on any failure): make
# install, sysusers, env file, migration, a least-privilege database role; start waits for
# READY=1 and shows the counts in STATUS=; a persona added with the CLI gets its directory;
# reload passes through "reloading" and its sweep repairs a removed identity file; the watchdog
# (no restarts while healthy, a hung daemon killed and restarted); the database started after
# the service; the sandbox of the running process; stop; make uninstall keeps the data.
# Installs what it needs with apt-get (systemd-container, postgresql). Takes about a minute.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here" || exit 1
# shellcheck source=scripts/lib/checks.sh
source "$here/scripts/lib/checks.sh"
# shellcheck source=scripts/lib/nspawn.sh
source "$here/scripts/lib/nspawn.sh"
# shellcheck source=scripts/lib/service.sh
source "$here/scripts/lib/service.sh"
# shellcheck source=scripts/lib/journal.sh
source "$here/scripts/lib/journal.sh"
# shellcheck source=scripts/lib/boot-reload.sh
source "$here/scripts/lib/boot-reload.sh"
# shellcheck source=scripts/lib/boot-restarts.sh
source "$here/scripts/lib/boot-restarts.sh"
# shellcheck source=scripts/lib/boot-sandbox.sh
source "$here/scripts/lib/boot-sandbox.sh"

src=/usr/src/persona-registry   # the checkout, inside the container
unit=persona-registry.service
tree=/var/lib/persona-registry/personas
max_exposure=2.0
watchdog_sec=3
restart_sec=$(sed -n 's/^RestartSec=\([0-9]*\)s$/\1/p' "systemd/$unit")


# ---- tools -------------------------------------------------------------------------------
if [ "$(id -u)" != 0 ]; then
    fail "run as root (it mounts, boots a container and installs into it)"
    finish
fi
need=()
command -v systemd-nspawn >/dev/null || need+=(systemd-container)
command -v nsenter >/dev/null || need+=(util-linux)
command -v make >/dev/null || need+=(make)
command -v readelf >/dev/null || need+=(binutils)
command -v pg_createcluster >/dev/null || need+=(postgresql-common)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
install_missing "${need[@]}"
pg_version=$(ls /usr/lib/postgresql | sort -V | tail -1)

echo "building the release binary (make build) and the debug one"
tmp=$(mktemp -d /tmp/persona-registry-boot.XXXXXX)
machine=pr-boot-$$-$RANDOM
cleanup() {
    if [ "$failed" -gt 0 ] && [ -n "$nspawn_leader" ]; then
        echo "--- the unit's journal (last 80 lines, without the sandbox set-up and job bookkeeping):"
        journal 2>/dev/null | grep -vE 'namespace|ount(ing|ed)? |mount_setattr|symlink|is duplicate|made redundant|parse system call|sd-userns|Child [0-9]+ belongs|Collecting|unit (change|remove) signal|[Jj]ob ' |
            tail -80 | sed 's/^/      /'
    fi
    nspawn_stop
    nspawn_remove_dir "$tmp"
}
trap cleanup EXIT
trap 'echo "interrupted: cleaning up" >&2; exit 130' INT TERM
if ! make build >"$tmp/build.log" 2>&1; then
    tail -20 "$tmp/build.log"
    fail "make build"
    finish
fi
# A binary that loads the Swift runtime dynamically, for the watchdog check: the debug build,
# PERSONA_REGISTRY_BIN when scripts/test has built it, else built here.
if [ -n "${PERSONA_REGISTRY_BIN:-}" ]; then
    dynamic_bin=$(realpath "$PERSONA_REGISTRY_BIN")
    dynamic_bin=${dynamic_bin#"$here/"}
    if [ "${dynamic_bin:0:1}" = / ] || [ ! -x "$dynamic_bin" ]; then
        fail "PERSONA_REGISTRY_BIN=$PERSONA_REGISTRY_BIN must be an executable inside $here (the container sees only that)"
        finish
    fi
else
    dynamic_bin=.build/debug/persona-registry
    if ! swift build --product persona-registry >"$tmp/build-debug.log" 2>&1; then
        tail -20 "$tmp/build-debug.log"
        fail "swift build --product persona-registry (debug)"
        finish
    fi
fi
check "the debug build loads the Swift runtime dynamically" \
    bash -c "readelf -d '$dynamic_bin' | grep -q 'NEEDED.*libswiftCore'"

# ---- helpers -----------------------------------------------------------------------------
# signal_daemon SIGNAL: signals the unit's main process. With no main process (a failed start)
# it fails instead: `kill -STOP 0` would stop the test's own process group and hang the run.
signal_daemon() {
    case ${main_pid:-0} in
        0) echo "      (the unit has no main process to send $1 to)"; return 1 ;;
    esac
    inside kill "$1" "$main_pid"
}
not_failed() { [[ $(state) != failed/* ]]; }
# Files in the tree, as the service user owns them.
owned_by_service() { [ "$(inside stat -c %U:%G "$1")" = persona-registry:persona-registry ]; }
# cli_quiet ARGS -- ARGS ...: CLI commands one after another, output only on failure.
cli_quiet() {
    local args=() out
    while [ $# -gt 0 ]; do
        args=()
        while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
        [ $# -eq 0 ] || shift
        out=$(cli "${args[@]}" 2>&1) || { echo "      ${args[*]}: $out"; return 1; }
    done
}
pg_up() { inside runuser -u postgres -- pg_isready -q -p "$pg_port"; }

# ---- boot -------------------------------------------------------------------------------
nspawn_log=$tmp/console.log
if ! nspawn_host_root "$tmp/root"; then
    fail "bind the host's / read-only as the container's root"
    finish
fi
started=$SECONDS
if nspawn_boot "$machine" "$tmp/root" --bind-ro="$here:$src"; then
    pass "container $machine booted systemd ($((SECONDS - started)) s)"
else
    fail "container $machine booted systemd"
    finish
fi
# Every sd_notify message and state change of the unit in the journal.
inside systemd-analyze log-level debug || fail "systemd-analyze log-level debug"

# What the host may have installed is not what is tested: removed, inside the container only.
if inside test -e /usr/local/share/persona-registry/install-manifest; then
    note "the host has persona-registry installed; uninstalling it inside the container"
    inside make -C "$src" uninstall >/dev/null
fi
inside rm -rf /etc/persona-registry /var/lib/persona-registry

# ---- install, as docs/operating.md says --------------------------------------------------
if inside make -C "$src" install >"$tmp/install.log" 2>&1; then
    pass "make install (PREFIX=/usr/local)"
else
    sed 's/^/      /' "$tmp/install.log" | tail -20
    fail "make install"
    finish
fi
inside systemd-sysusers
check "systemd-sysusers creates the service user" inside id persona-registry
check "the installed unit is the shipped one (ExecStart in /usr/local/bin)" \
    is "$(cat "systemd/$unit")" inside cat "/usr/local/lib/systemd/system/$unit"

# The database: a cluster of its own, started by systemd, reached over its Unix socket with peer
# authentication, as the env example's first DATABASE_URL.
start_registry_cluster
pg_unit=postgresql@$pg_version-registry.service
admin_url="postgresql:///headspace?host=/var/run/postgresql&port=$pg_port"
service_url="postgresql://persona-registry@/headspace?host=/var/run/postgresql\\&port=$pg_port"   # (a sed replacement)
service_conninfo="postgresql://persona-registry@/headspace?host=/var/run/postgresql&port=$pg_port"
# The daemon's role may connect and read the two tables, nothing else: PUBLIC's default
# database privileges (CONNECT, TEMPORARY) are revoked.
check "database headspace, role persona-registry with CONNECT only" \
    sql -d postgres -c 'CREATE DATABASE headspace' -c 'REVOKE ALL ON DATABASE headspace FROM PUBLIC' \
        -c 'CREATE ROLE "persona-registry" LOGIN' -c 'GRANT CONNECT ON DATABASE headspace TO "persona-registry"'
check "migrate up with the installed binary and migrations" \
    inside runuser -u postgres -- persona-registry migrate up --database-url "$admin_url"
check "GRANT SELECT ON role, persona (all the daemon is given)" \
    sql -d headspace -c 'GRANT SELECT ON role, persona TO "persona-registry"'
check "the daemon's role cannot write the tables" \
    is f sql -tA -d headspace -c "SELECT has_table_privilege('persona-registry', 'persona', 'INSERT,UPDATE,DELETE') OR has_table_privilege('persona-registry', 'role', 'INSERT,UPDATE,DELETE')"

# The env file: the installed example, DATABASE_URL pointed at the cluster's port.
if nspawn_sh 'install -d -m 0750 -o root -g persona-registry /etc/persona-registry
    install -m 0640 -o root -g persona-registry \
        /usr/local/share/doc/persona-registry/persona-registry.env.example /etc/persona-registry/env
    sed -i "s|^DATABASE_URL=.*|DATABASE_URL=$1|" /etc/persona-registry/env' "$service_url"; then
    pass "env file /etc/persona-registry/env from the installed example"
else
    fail "env file /etc/persona-registry/env"
fi
check "env file: DATABASE_URL names the service's role and the cluster's socket" \
    inside grep -qx "DATABASE_URL=postgresql://persona-registry@/headspace?host=/var/run/postgresql&port=$pg_port" /etc/persona-registry/env
inside systemctl daemon-reload

# ---- start --------------------------------------------------------------------------------
mark start
started=$SECONDS
if inside systemctl start "$unit"; then
    pass "systemctl start $unit returned success ($((SECONDS - started)) s)"
else
    fail "systemctl start $unit"
    inside systemctl status --no-pager "$unit" | sed 's/^/      /'
fi
# Asked at once: a Type=notify unit is active only once READY=1 has come.
check "active (running) as soon as start returned" is_state active/running
status_text=$(prop StatusText)
note "Status: \"$status_text\""
check "STATUS= has the counts" matches '^[0-9]+ personas \([0-9]+ active\), [0-9]+ findings' echo "$status_text"
check "systemd got READY=1 (with STATUS=) from the daemon, then logged Started" \
    wait_for 10 logged start 'Got notification message from PID [0-9]+ \(READY=1, STATUS=[0-9]+ personas' '^Started persona-registry'
check "the daemon logged its start and its first sweep" \
    wait_for 10 logged start ' event=starting( |$)' ' event=connected( |$)' ' event=sweep_finished( |$)'
main_pid=$(prop MainPID)
check "the tree $tree is the service user's, mode 0750" \
    is "persona-registry:persona-registry 750" inside stat -c '%U:%G %a' "$tree"

# ---- a persona added with the CLI ---------------------------------------------------------
check "persona-registry role add developer; persona add --role developer --name Con" \
    cli_quiet role add developer -- persona add --role developer --name Con
con=$tree/developer-con-1
check "persona added with the CLI: $con/identity.yaml appears" wait_for 30 exists "$con/identity.yaml"
for file in "$con" "$con/identity.yaml" "$con/skill.md" "$con/experience.md"; do
    check "$file exists, owned by persona-registry" owned_by_service "$file"
done
check "identity.yaml names the persona" matches 'name: "?Con"?' inside cat "$con/identity.yaml"
check "files are not world-readable (UMask=0027)" is 640 inside stat -c %a "$con/identity.yaml"
check "STATUS= counts the new persona" wait_for 10 matches '^1 personas \(1 active\)' prop StatusText

# ---- reload --------------------------------------------------------------------------------
check_reload

# ---- watchdog -----------------------------------------------------------------------------
check_watchdog

# ---- the database started after the service ------------------------------------------------
check_database_late

# ---- the sandbox of the running process ---------------------------------------------------
check_live_sandbox

# ---- stop ---------------------------------------------------------------------------------
mark stop
stopped_pid=$(prop MainPID)
stopping=$SECONDS
check "systemctl stop returns success" inside systemctl stop "$unit"
took=$((SECONDS - stopping))
check "stop took ${took} s (bound 10 s; TimeoutStopSec= is 30 s)" test "$took" -le 10
check "stop: the unit is inactive" is inactive/dead state
check "stop: systemd got STOPPING=1, the daemon exited 0, the unit deactivated successfully" \
    wait_for 10 logged stop '^Stopping persona-registry' 'Got notification message from PID [0-9]+ \(STOPPING=1' \
        'Main process exited, code=exited, status=0/SUCCESS' 'Deactivated successfully'
# The daemon's own lines, by its pid: a stream's lines may be stored out of order with systemd's
# (and so before the mark).
daemon_lines() { inside journalctl "_PID=$1" -o cat --no-pager -q >"$tmp/$2.txt"; in_order "$tmp/$2.txt" "${@:3}"; }
check "stop: the daemon logged SIGTERM and a clean stop" \
    wait_for 10 daemon_lines "$stopped_pid" stopped ' event=stopping signal=SIGTERM' ' event=stopped$'
check "stop: no SIGKILL was needed" not grep -q 'SIGKILL' "$tmp/stop.txt"

# ---- nothing denied during the whole test ------------------------------------------------
check_nothing_denied

# ---- make uninstall ------------------------------------------------------------------------
inside sha256sum /etc/persona-registry/env >"$tmp/env.sum"
if inside make -C "$src" uninstall >"$tmp/uninstall.log" 2>&1; then
    pass "make uninstall"
else
    sed 's/^/      /' "$tmp/uninstall.log" | tail -20
    fail "make uninstall"
fi
check "uninstall: the binary and the unit are gone" \
    not inside test -e /usr/local/bin/persona-registry -o -e "/usr/local/lib/systemd/system/$unit"
for file in "$con/identity.yaml" "$con/skill.md" "$robbo/identity.yaml" "$verner/identity.yaml"; do
    check "uninstall: $file stays" exists "$file"
done
check "uninstall: /etc/persona-registry/env stays, unchanged" is "$(cat "$tmp/env.sum")" inside sha256sum /etc/persona-registry/env
check "uninstall: the database keeps its 3 personas" is 3 sql -tA -d headspace -c 'SELECT count(*) FROM persona'
check "uninstall: the service user stays" inside id persona-registry

finish
