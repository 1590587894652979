# shellcheck shell=bash
# Reload of the running unit, for scripts/test-systemd-boot.sh (sourced, not run): a reload's
# sweep repairs a removed identity file, and a plain `systemctl reload` returns once the tree
# is in step. Uses the boot test's variables ($unit, $tree, $con, $main_pid, $tmp,
# $service_conninfo) and scripts/lib/journal.sh.

# check_reload: the checks, one line each.
check_reload() {
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
}
