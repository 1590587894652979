# shellcheck shell=bash
# The unit's restarts, for scripts/test-systemd-boot.sh (sourced, not run): the watchdog (no
# restart while healthy, a hung daemon aborted and restarted, with the static and the dynamically
# linked build) and a database started after the service (no restarts, it waits). Uses the boot
# test's variables ($unit, $tree, $tmp, $watchdog_sec, $restart_sec, $src, $dynamic_bin,
# $pg_unit) and sets $main_pid, $robbo and $verner.

pid_restarts_state() { echo "$(prop MainPID) $(prop NRestarts) $(state)"; }
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

# check_watchdog: the watchdog's checks, one line each.
check_watchdog() {
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
    check "healthy for $((watchdog_sec * 4)) s: same main process, no restart" \
        is "$main_pid $restarts active/running" pid_restarts_state
    since watchdog >"$tmp/watchdog.txt"
    check "healthy: the daemon pinged (WATCHDOG=1 in the journal)" grep -q 'WATCHDOG=1' "$tmp/watchdog.txt"
    check "healthy: no watchdog timeout" not grep -qi 'watchdog timeout' "$tmp/watchdog.txt"

    # A daemon that stops answering: systemd aborts it (WatchdogSignal=SIGABRT, with SIGCONT), and
    # Restart=on-failure starts a new one after RestartSec=. A persona added meanwhile must be
    # there once it is back.
    robbo=$tree/developer-robbo-2
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
}

# check_database_late: the checks of a database started after the service.
check_database_late() {
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
}
