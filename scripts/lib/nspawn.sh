# shellcheck shell=bash
# A booted systemd in a throwaway systemd-nspawn container, for tests (sourced, not run).
#
#   source scripts/lib/nspawn.sh
#   nspawn_host_root "$tmp/root"                   # the host's / read-only, as the container's root
#   nspawn_boot NAME "$tmp/root" --bind-ro=SRC:DST  # boots; returns once systemd is up
#   nspawn_run systemctl start foo                 # a command inside (clean environment, root)
#   nspawn_sh 'cd /src && make install'            # a shell script inside
#   nspawn_stop                                    # shuts it down, unmounts the root
#   nspawn_remove_dir "$tmp"                       # rm -rf, unless something is still mounted
#
# The root is either the host's own / (bound read-only; --volatile=overlay puts a tmpfs over it,
# so whatever the container writes is gone when it stops) or a directory tree of its own (for
# example made by mmdebstrap). The container always has a private network, so a server inside
# cannot take the host's ports. It is not registered with machined (the host needs no systemd):
# commands enter it with nsenter. nspawn mounts a fresh /tmp inside: bind what the test needs.
# nspawn_stop must run whatever happens (trap it on EXIT): it is safe to call twice.

nspawn_pid=         # the systemd-nspawn process (on the host)
nspawn_leader=      # the container's PID 1 (systemd), as the host sees it
nspawn_machine=
nspawn_log=         # nspawn's console output
nspawn_bound_root=  # the read-only bind of the host's / that nspawn_stop unmounts

# The environment of every command inside.
nspawn_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# nspawn_host_root DIR: bind the host's / (that file system only, not what is mounted below it)
# read-only on DIR, an empty directory.
nspawn_host_root() {
    local dir=$1
    mkdir -p "$dir" || return 1
    mount --bind / "$dir" || return 1
    nspawn_bound_root=$dir
    # Read-only before anything can write through it; on failure, never leave it writable.
    if ! mount -o remount,bind,ro "$dir"; then
        umount "$dir"
        nspawn_bound_root=
        return 1
    fi
}

# nspawn_boot NAME ROOT [NSPAWN OPTION...]: boot ROOT as machine NAME, with a tmpfs overlay
# over it, and wait until its systemd has finished starting up (at most 60 s). Console output
# goes to $nspawn_log (set it first, else a file next to ROOT).
nspawn_boot() {
    local name=$1 root=$2
    shift 2
    nspawn_machine=$name
    nspawn_log=${nspawn_log:-$(dirname "$root")/nspawn-$name.log}
    # setsid: nspawn gets a session of its own and leaves the caller's terminal alone.
    # --keep-unit --register=no: no host systemd or D-Bus is needed.
    setsid systemd-nspawn --quiet -D "$root" -M "$name" --register=no --keep-unit \
        --private-network --volatile=overlay --console=read-only --boot "$@" \
        </dev/null >"$nspawn_log" 2>&1 &
    nspawn_pid=$!
    local deadline=$((SECONDS + 60))
    until nspawn_leader=$(nspawn_find_leader "$nspawn_pid") && [ -n "$nspawn_leader" ]; do
        if ! kill -0 "$nspawn_pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
            echo "nspawn: container $name did not start; its output:" >&2
            sed 's/^/      /' "$nspawn_log" >&2
            return 1
        fi
        sleep 0.05
    done
    # `is-system-running --wait` needs the system bus socket, which appears during boot.
    local state
    until state=$(nspawn_run systemctl is-system-running --wait 2>/dev/null); [ -n "$state" ] && [ "$state" != offline ]; do
        if ! kill -0 "$nspawn_pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
            echo "nspawn: systemd in $name did not finish booting (state '${state:-none}')" >&2
            return 1
        fi
        sleep 0.1
    done
    case $state in
    running) ;;
    degraded) echo "nspawn: $name booted degraded; failed units:" >&2
        nspawn_run systemctl --failed --no-legend --plain --no-pager | sed 's/^/      /' >&2 ;;
    *) echo "nspawn: $name booted in state '$state'" >&2; return 1 ;;
    esac
}

# nspawn_find_leader PID: the child of nspawn PID that is PID 1 of a new PID namespace (not a
# helper nspawn forks on the way, which still lives in the host's namespaces).
nspawn_find_leader() {
    local child
    for child in $(pgrep -P "$1" 2>/dev/null); do
        # NSpid: <pid here> 1 — the second number is its pid in its own namespace.
        if awk '$1 == "NSpid:" && NF == 3 && $3 == 1 { found = 1 } END { exit !found }' "/proc/$child/status" 2>/dev/null; then
            echo "$child"
            return
        fi
    done
}

# nspawn_run COMMAND...: run COMMAND as root inside the container, in all its namespaces, with
# a clean environment (PATH, LANG); the working directory is the container's /. Refuses when
# the container's mount namespace would be the caller's own: a command meant for the throwaway
# overlay must never run on the host.
nspawn_run() {
    [ -n "$nspawn_leader" ] || { echo "nspawn: no container is running" >&2; return 1; }
    local ns
    ns=$(readlink "/proc/$nspawn_leader/ns/mnt" 2>/dev/null)
    if [ -z "$ns" ] || [ "$ns" = "$(readlink /proc/self/ns/mnt)" ]; then
        echo "nspawn: process $nspawn_leader is not the container's (gone, or in the host's mount namespace)" >&2
        return 1
    fi
    nsenter --target "$nspawn_leader" --all \
        env -i PATH="$nspawn_path" LANG=C.UTF-8 SYSTEMD_PAGER= SYSTEMD_COLORS=0 "$@"
}

# nspawn_sh SCRIPT [ARG...]: run a bash script inside (arguments are $1...).
nspawn_sh() {
    local script=$1
    shift
    nspawn_run bash -c "set -euo pipefail; $script" nspawn-sh "$@"
}

# nspawn_stop: shut the container down (SIGTERM to nspawn powers it off cleanly; SIGKILL after
# 30 s), then unmount the host root bind. Returns non-zero when something is left behind.
nspawn_stop() {
    local status=0
    if [ -n "$nspawn_pid" ]; then
        kill -TERM "$nspawn_pid" 2>/dev/null
        local deadline=$((SECONDS + 30))
        while kill -0 "$nspawn_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
        if kill -0 "$nspawn_pid" 2>/dev/null; then
            echo "nspawn: $nspawn_machine did not stop within 30 s; killing it" >&2
            kill -KILL "$nspawn_pid" 2>/dev/null
            [ -z "$nspawn_leader" ] || kill -KILL "$nspawn_leader" 2>/dev/null
            status=1
        fi
        wait "$nspawn_pid" 2>/dev/null
        nspawn_pid=
        nspawn_leader=
    fi
    if [ -n "$nspawn_bound_root" ]; then
        if umount "$nspawn_bound_root" 2>/dev/null || umount --lazy "$nspawn_bound_root"; then
            nspawn_bound_root=
        else
            echo "nspawn: could not unmount $nspawn_bound_root" >&2
            status=1
        fi
    fi
    return $status
}

# nspawn_remove_dir DIR: rm -rf DIR (a test's temporary directory, holding the root's mount
# point), but only when nothing is mounted on or below it, so that a bind of the host's / left
# behind can never be reached. Says so and keeps DIR otherwise.
nspawn_remove_dir() {
    local dir=$1
    if findmnt -rn -o TARGET | awk -v d="$dir" '$0 == d || index($0, d "/") == 1 { found = 1 } END { exit !found }'; then
        echo "nspawn: left $dir in place: something is still mounted below it" >&2
        return 1
    fi
    rm -rf --one-file-system -- "$dir"
}
