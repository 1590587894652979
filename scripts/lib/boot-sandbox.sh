# shellcheck shell=bash
# The sandbox of the running unit, for scripts/test-systemd-boot.sh (sourced, not run): the
# process's credentials, capabilities, seccomp and mounts, the live exposure figure, and the
# journal of the whole run free of denied calls. Uses the boot test's variables ($unit, $tree,
# $tmp, $max_exposure) and scripts/lib/journal.sh.

field() { sed -n "s/^$1:[[:space:]]*//p" "$tmp/status" | tr -s '[:space:]' ' ' | sed 's/ $//'; }
# ro or rw: the mount PATH is on, as the process sees its mounts (the longest mount point that
# contains PATH; the last of those stacked on it).
mount_options() {
    inside cat "/proc/$pid/mountinfo" | awk -v p="$1" '
        { m = $5; if (m == p || m == "/" || index(p, m "/") == 1) if (length(m) >= length(best)) { best = m; o = $6 } }
        END { print o }' | cut -d, -f1
}

# check_live_sandbox: the running process's sandbox, one line per check.
check_live_sandbox() {
    pid=$(prop MainPID)
    service_uid=$(inside id -u persona-registry)
    inside cat "/proc/$pid/status" >"$tmp/status" 2>/dev/null
    check "sandbox: runs as persona-registry (uid $service_uid), not root" \
        is "$service_uid $service_uid $service_uid $service_uid" field Uid
    for cap in CapInh CapPrm CapEff CapBnd CapAmb; do
        check "sandbox: $cap is empty" is 0000000000000000 field "$cap"
    done
    check "sandbox: NoNewPrivs" is 1 field NoNewPrivs
    check "sandbox: a seccomp filter is active (Seccomp: 2)" is 2 field Seccomp
    for path in / /etc /usr/local/bin /var/lib /var/lib/postgresql; do
        check "sandbox: $path is read-only" is ro mount_options "$path"
    done
    check "sandbox: the tree $tree is writable" is rw mount_options "$tree"
    security=$(inside systemd-analyze security --no-pager "$unit" 2>&1 |
        sed -n 's/^.*Overall exposure level for [^:]*: \([0-9][0-9.]*\) .*$/\1/p')
    note "systemd-analyze security $unit (live): ${security:-nothing}"
    check "sandbox: exposure of the live unit ${security:-?} < $max_exposure" \
        awk -v f="${security:-99}" -v m="$max_exposure" 'BEGIN { exit !(f < m) }'
}

# check_nothing_denied: the daemon's own lines (a denied call fails with EPERM, which it would
# report) and systemd's (a process killed by the seccomp filter dies of SIGSYS).
check_nothing_denied() {
    inside journalctl -u "$unit" SYSLOG_IDENTIFIER=persona-registry -o cat -q --no-pager >"$tmp/daemon.txt"
    check "journal: the daemon's lines are there ($(wc -l <"$tmp/daemon.txt") lines)" test -s "$tmp/daemon.txt"
    denied=$(grep -iE 'EPERM|not permitted|SIGSYS|bad system call' "$tmp/daemon.txt" | head -3)
    check "journal: the daemon reported nothing denied (EPERM/SIGSYS)${denied:+: $denied}" test -z "$denied"
    journal >"$tmp/journal.txt"
    killed=$(grep -E 'status=31/SYS|SIGSYS' "$tmp/journal.txt" | head -3)
    check "journal: no process of the unit died of SIGSYS${killed:+: $killed}" test -z "$killed"
    errors=$(inside journalctl -u "$unit" SYSLOG_IDENTIFIER=persona-registry -p err -o cat -q --no-pager)
    [ -z "$errors" ] || note "the daemon's error lines: $(head -5 <<<"$errors" | tr '\n' '|')"
}
