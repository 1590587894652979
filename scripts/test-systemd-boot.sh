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
# journal: the unit's journal (the daemon's lines and systemd's about it), message text only.
journal() { inside journalctl -u "$unit" -o cat --no-pager -q "$@"; }
# mark NAME: remember the journal's end; since NAME: the unit's journal after it.
mark() { inside journalctl -n 1 --show-cursor -q --no-pager -o cat | sed -n 's/^-- cursor: //p' >"$tmp/mark.$1"; }
since() { journal --after-cursor="$(cat "$tmp/mark.$1")"; }
# journal_has NAME REGEX: a line after mark NAME matches.
journal_has() { since "$1" | grep -qE -- "$2"; }
# logged NAME REGEX...: after mark NAME, lines match the regexes in order (saved in $tmp/NAME.txt).
# systemd's lines are in order among themselves and the daemon's among themselves, but the
# daemon's come through a stream and may be stored after systemd's: never mix the two in one
# call, and poll (wait_for), since the daemon's lines may come a moment later.
logged() {
    local name=$1
    shift
    since "$name" >"$tmp/$name.txt"
    in_order "$tmp/$name.txt" "$@"
}
# in_order FILE PATTERN...: each extended regex matches a line after the one the previous matched.
in_order() {
    local file=$1 k=0 line
    shift
    local patterns=("$@")
    while IFS= read -r line && [ $k -lt ${#patterns[@]} ]; do
        [[ $line =~ ${patterns[$k]} ]] && k=$((k + 1))
    done <"$file"
    [ $k -eq ${#patterns[@]} ] && return
    echo "      not found in order, from: ${patterns[$k]}"
    return 1
}
# matches REGEX COMMAND...: the command's output matches the extended regex.
matches() {
    local regex=$1 actual
    shift
    actual=$("$@")
    [[ $actual =~ $regex ]] && return
    echo "      got: $actual"
    return 1
}
not_failed() { [[ $(state) != failed/* ]]; }
# Files in the tree, as the service user owns them.
owned_by_service() { [ "$(inside stat -c %U:%G "$1")" = persona-registry:persona-registry ]; }
# psql as the postgres superuser, over the cluster's socket.
sql() { inside runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$pg_port" "$@"; }
# The CLI, as the database owner (role and persona add need INSERT; the daemon's role has not).
cli() { inside runuser -u postgres -- env DATABASE_URL="$admin_url" persona-registry "$@"; }
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
# reloaded NAME: since mark NAME, the daemon's RELOADING=1, then its READY=1 taking the unit
# from reload back to running (systemd's lines, in order among themselves), and its own lines
# of the reload sweep (in order among themselves); both in $tmp/NAME.txt.
reloaded() {
    logged "$1" 'Got notification message from PID [0-9]+ \(RELOADING=1' \
        'Got notification message from PID [0-9]+ \(READY=1' 'Changed reload -> running' &&
        in_order "$tmp/$1.txt" ' event=reloading signal=SIGHUP' ' event=sweep_finished .*policy=repair'
}

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
# A removed identity file is repaired by the reload's sweep. The daemon is stopped (SIGSTOP)
# while the file goes and the reload is asked for, so that the SIGHUP and not the inotify event
# (handled after signals) is what repairs it.
mark reload
signal_daemon -STOP
inside rm -f "$con/identity.yaml"
inside systemctl reload --no-block "$unit"
wait_for 10 journal_has reload 'Control process exited' ||
    note "(ExecReload= did not report its exit within 10 s)"
signal_daemon -CONT
check "reload: RELOADING=1, the reload sweep, READY=1, back to running" wait_for 30 reloaded reload
check "reload: the unit is active (running)" is active/running state
check "reload: the daemon's reload sweep wrote the identity file" \
    in_order "$tmp/reload.txt" ' event=reloading signal=SIGHUP' ' event=identity_written .*slug=developer-con-1' ' event=sweep_finished .*rewritten=1'
check "reload: the sweep repaired the removed identity file" exists "$con/identity.yaml"
check "reload: same main process" is "$main_pid" prop MainPID
# A plain reload, as an operator or a script runs it: ExecReload= (`persona-registry reload`)
# returns when the daemon has finished the repairing sweep the SIGHUP started, so a command
# after it sees the repaired tree. An identity file edited as a person would edit it is only
# reported by the daemon; the reload's repairing sweep rewrites it.
mark reload2
inside sed -i 's/^name: .*/name: Someone else/' "$con/identity.yaml"
check "an edited identity file is reported (persona-registry status: identity_mismatch)" \
    wait_for 10 matches 'findings: 1 \(1 identity_mismatch\)' inside persona-registry status --data-dir "$tree"
# drift as the service's user, which can read the tree (0750) and the tables (its role's grants).
check "systemctl reload && persona-registry drift: the tree is in step at once" \
    inside sh -c "systemctl reload $unit && runuser -u persona-registry -- env DATABASE_URL='$service_conninfo' persona-registry drift --data-dir $tree >/dev/null"
check "plain reload: RELOADING=1, the reload sweep, READY=1, back to running" wait_for 10 reloaded reload2
check "plain reload: active (running) afterwards" is active/running state
check "plain reload: the job ended after the daemon's READY=1 (ExecReload= waited for it)" \
    in_order "$tmp/reload2.txt" 'READY=1' 'Job [0-9]+ persona-registry.service/reload finished'
check "persona-registry status: served by the unit's main process, connected" \
    matches "served: yes, by pid $main_pid" inside persona-registry status --data-dir "$tree"

# ---- watchdog -----------------------------------------------------------------------------
# A drop-in as an operator would write one (systemctl edit), with a short interval.
inside mkdir -p "/etc/systemd/system/$unit.d"
printf '[Service]\nWatchdogSec=%ss\n' "$watchdog_sec" | inside tee "/etc/systemd/system/$unit.d/watchdog.conf" >/dev/null
inside systemctl daemon-reload
inside systemctl reset-failed "$unit" 2>/dev/null
check "restart with WatchdogSec=${watchdog_sec}s" inside systemctl restart "$unit"
check "the watchdog interval is in effect" is "${watchdog_sec}s" prop WatchdogUSec
main_pid=$(prop MainPID)
restarts=$(prop NRestarts)
mark watchdog
# Nothing is to happen here, so this waits a fixed time: four intervals.
sleep $((watchdog_sec * 4))
pid_restarts_state() { echo "$(prop MainPID) $(prop NRestarts) $(state)"; }
check "healthy for $((watchdog_sec * 4)) s: same main process, no restart" \
    is "$main_pid $restarts active/running" pid_restarts_state
since watchdog >"$tmp/watchdog.txt"
check "healthy: the daemon pinged (WATCHDOG=1 in the journal)" grep -q 'WATCHDOG=1' "$tmp/watchdog.txt"
check "healthy: no watchdog timeout" not grep -qi 'watchdog timeout' "$tmp/watchdog.txt"

# A daemon that stops answering: systemd aborts it (WatchdogSignal=SIGABRT, with SIGCONT), and
# Restart=on-failure starts a new one after RestartSec=. A persona added meanwhile must be
# there once it is back.
robbo=$tree/developer-robbo-2
restarted() { local pid; pid=$(prop MainPID); [ "$pid" != 0 ] && [ "$pid" != "$main_pid" ] && is_state active/running >/dev/null; }
# hang_and_restart NAME LABEL [COMMAND...]: stops the daemon (SIGSTOP) as if it hung, runs
# COMMAND meanwhile, and checks that systemd's watchdog aborts it (SIGABRT, no SIGKILL needed
# after TimeoutAbortSec=) and Restart= starts a new one, NRestarts one up. The whole journal
# since is left in $tmp/NAME.txt (systemd's "Watchdog timeout" line has no UNIT= field).
hang_and_restart() {
    local name=$1 label=$2 restarts hung_at bound=$((watchdog_sec + restart_sec + 15))
    shift 2
    restarts=$(prop NRestarts)
    mark "$name"
    hung_at=$SECONDS
    signal_daemon -STOP
    [ $# -eq 0 ] || "$@"
    if wait_for "$bound" restarted; then
        pass "$label: a hung daemon (SIGSTOP) is killed and restarted by systemd ($((SECONDS - hung_at)) s, bound $bound s)"
    else
        fail "$label: a hung daemon (SIGSTOP) is killed and restarted by systemd within $bound s (state $(state))"
    fi
    inside journalctl -o cat -q --no-pager --after-cursor="$(cat "$tmp/mark.$name")" >"$tmp/$name.txt"
    check "$label: it died of the SIGABRT itself (no crash handler lingering)" \
        grep -qE 'Main process exited, code=(dumped|killed), status=6/ABRT' "$tmp/$name.txt"
    check "$label: no SIGKILL after TimeoutAbortSec= was needed" not grep -q 'stop-watchdog.*timed out' "$tmp/$name.txt"
    check "$label: NRestarts went up by one" is $((restarts + 1)) prop NRestarts
}
hang_and_restart hang hang \
    check "persona add Robbo while the daemon hangs" cli_quiet persona add --role developer --name Robbo
check "hang: journal says watchdog timeout, SIGABRT, then the main process ended and a restart" \
    in_order "$tmp/hang.txt" "^$unit: Watchdog timeout" 'Killing process [0-9]+ .* with signal SIGABRT' \
        'Main process exited, code=(dumped|killed), status=(6/ABRT|9/KILL)' 'Scheduled restart job'
check "hang: back in step (the persona added meanwhile has its directory)" wait_for 30 exists "$robbo/identity.yaml"
check "hang: the old process is gone" not inside kill -0 "$main_pid" 2>/dev/null

# The same with a binary that loads the Swift runtime from the toolchain (the debug build): the
# runtime's crash handler must not turn the watchdog's SIGABRT into a wait for SIGKILL.
# The seed templates are built into the binary, as the migrations are: it needs nothing installed.
printf '[Service]\nExecStart=\nExecStart=%s serve\n' "$src/$dynamic_bin" |
    inside tee "/etc/systemd/system/$unit.d/dynamic.conf" >/dev/null
inside systemctl daemon-reload
inside systemctl reset-failed "$unit" 2>/dev/null
check "restart with the dynamically linked debug build" inside systemctl restart "$unit"
main_pid=$(prop MainPID)
hang_and_restart hang2 "dynamic build"

# Back to the shipped unit.
inside rm -r "/etc/systemd/system/$unit.d"
inside systemctl daemon-reload

# ---- the database started after the service ------------------------------------------------
inside systemctl stop "$unit"
check "persona add Verner while the service is stopped" cli_quiet persona add --role developer --name Verner
verner=$tree/developer-verner-3
inside systemctl stop "$pg_unit"
check "PostgreSQL is down" not pg_up
inside systemctl reset-failed "$unit" 2>/dev/null   # (an unloaded unit has nothing to reset)
mark nodb
restarts=$(prop NRestarts)
inside systemctl start --no-block "$unit"
# Long enough for two automatic restarts of a daemon that exits (RestartSec=5s).
sleep $((restart_sec * 2 + 2))
check "database down: PostgreSQL was really down all along" not pg_up
check "database down: the unit is not failed ($(state))" not_failed
check "database down: no restarts (the daemon waits for PostgreSQL)" is "$restarts" prop NRestarts
check "database down: STATUS= says it waits for PostgreSQL" matches '[Pp]ostgre[Ss][Qq][Ll]|[Dd]atabase' prop StatusText
note "while PostgreSQL is down: $(state), Status: \"$(prop StatusText)\""
inside systemctl start "$pg_unit"
check "database up: the unit becomes active (running)" wait_for 60 is_state active/running
check "database up: the tree is in step (the persona added meanwhile has its directory)" \
    wait_for 30 exists "$verner/identity.yaml"

# ---- the sandbox of the running process ---------------------------------------------------
pid=$(prop MainPID)
service_uid=$(inside id -u persona-registry)
inside cat "/proc/$pid/status" >"$tmp/status" 2>/dev/null
field() { sed -n "s/^$1:[[:space:]]*//p" "$tmp/status" | tr -s '[:space:]' ' ' | sed 's/ $//'; }
check "sandbox: runs as persona-registry (uid $service_uid), not root" \
    is "$service_uid $service_uid $service_uid $service_uid" field Uid
for cap in CapInh CapPrm CapEff CapBnd CapAmb; do
    check "sandbox: $cap is empty" is 0000000000000000 field "$cap"
done
check "sandbox: NoNewPrivs" is 1 field NoNewPrivs
check "sandbox: a seccomp filter is active (Seccomp: 2)" is 2 field Seccomp
# ro or rw: the mount PATH is on, as the process sees its mounts (the longest mount point that
# contains PATH; the last of those stacked on it).
mount_options() {
    inside cat "/proc/$pid/mountinfo" | awk -v p="$1" '
        { m = $5; if (m == p || m == "/" || index(p, m "/") == 1) if (length(m) >= length(best)) { best = m; o = $6 } }
        END { print o }' | cut -d, -f1
}
for path in / /etc /usr/local/bin /var/lib /var/lib/postgresql; do
    check "sandbox: $path is read-only" is ro mount_options "$path"
done
check "sandbox: the tree $tree is writable" is rw mount_options "$tree"
security=$(inside systemd-analyze security --no-pager "$unit" 2>&1 |
    sed -n 's/^.*Overall exposure level for [^:]*: \([0-9][0-9.]*\) .*$/\1/p')
note "systemd-analyze security $unit (live): ${security:-nothing}"
check "sandbox: exposure of the live unit ${security:-?} < $max_exposure" \
    awk -v f="${security:-99}" -v m="$max_exposure" 'BEGIN { exit !(f < m) }'

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
# The daemon's own lines (a denied call fails with EPERM, which it would report) and systemd's
# (a process killed by the seccomp filter dies of SIGSYS).
inside journalctl -u "$unit" SYSLOG_IDENTIFIER=persona-registry -o cat -q --no-pager >"$tmp/daemon.txt"
check "journal: the daemon's lines are there ($(wc -l <"$tmp/daemon.txt") lines)" test -s "$tmp/daemon.txt"
denied=$(grep -iE 'EPERM|not permitted|SIGSYS|bad system call' "$tmp/daemon.txt" | head -3)
check "journal: the daemon reported nothing denied (EPERM/SIGSYS)${denied:+: $denied}" test -z "$denied"
journal >"$tmp/journal.txt"
killed=$(grep -E 'status=31/SYS|SIGSYS' "$tmp/journal.txt" | head -3)
check "journal: no process of the unit died of SIGSYS${killed:+: $killed}" test -z "$killed"
errors=$(inside journalctl -u "$unit" SYSLOG_IDENTIFIER=persona-registry -p err -o cat -q --no-pager)
[ -z "$errors" ] || note "the daemon's error lines: $(head -5 <<<"$errors" | tr '\n' '|')"

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
