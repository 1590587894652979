#!/usr/bin/env bash
# Tests of the systemd unit, its hardening and `make install` / `make uninstall`.
#
#   scripts/test-systemd.sh
#
# Builds the release binary (`make build`), then checks with the real tools: systemd-analyze
# verify and security --offline=yes, systemd-sysusers, bash/zsh/fish, strace, make. Prints one
# line per check and closes with "N passed, N failed"; exits non-zero when any check fails.
# Installs missing tools with apt-get. Writes only below a temporary directory (and .build).
# Not here: the unit under a running systemd (sd_notify, watchdog, reload, the live sandbox):
# scripts/test-systemd-boot.sh.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here" || exit 1
# shellcheck source=scripts/lib/checks.sh
source "$here/scripts/lib/checks.sh"
unit_src=systemd/persona-registry.service
env_example=systemd/persona-registry.env.example
max_exposure=2.0

# ---- tools -------------------------------------------------------------------------------
need=()
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v systemd-sysusers >/dev/null || need+=(systemd)
command -v make >/dev/null || need+=(make)
command -v strace >/dev/null || need+=(strace)
command -v readelf >/dev/null || need+=(binutils)
command -v zsh >/dev/null || need+=(zsh)
command -v fish >/dev/null || need+=(fish)
install_missing --recommends "${need[@]}"

tmp=$(mktemp -d /tmp/persona-registry-systemd-test.XXXXXX)
trap 'stop_notify_listener; stop_database_server; rm -rf "$tmp"' EXIT

# ---- helpers -----------------------------------------------------------------------------

# unit_values FILE KEY: every value assigned to KEY in FILE, one per line.
unit_values() { sed -n -e "s/^$2=//p" "$1"; }

# has_line FILE LINE: FILE holds exactly LINE.
has_line() { grep -qxF -- "$2" "$1"; }

# exposure FILE: the overall exposure figure of `systemd-analyze security --offline=yes`.
exposure() {
    systemd-analyze security --offline=yes --no-pager "$1" 2>&1 |
        sed -n -e 's/^.*Overall exposure level for [^:]*: \([0-9][0-9.]*\) .*$/\1/p'
}

# check_exposure LABEL FILE: print the figure and check it is at most $max_exposure.
check_exposure() {
    local figure
    figure=$(exposure "$2")
    if [ -z "$figure" ]; then
        fail "$1: systemd-analyze security printed no overall exposure level"
        return
    fi
    echo "      exposure of $1: $figure (limit $max_exposure)"
    check "$1: exposure $figure <= $max_exposure" awk -v f="$figure" -v m="$max_exposure" 'BEGIN { exit !(f <= m) }'
}

# verify_quiet FILE: systemd-analyze verify succeeds and has nothing to say (unknown keys,
# bad values and missing executables are printed, some without a failing status).
verify_quiet() {
    local out
    out=$(systemd-analyze verify --man=no "$1" 2>&1) || { echo "$out" | sed 's/^/      /'; return 1; }
    [ -z "$out" ] || { echo "$out" | sed 's/^/      /'; return 1; }
}

# expand_syscalls ITEM: the system calls of a @set (recursively) or the name itself.
expand_syscalls() {
    local item=$1 line
    case $item in
    @*) systemd-analyze syscall-filter --no-pager "$item" |
            sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | tail -n +2 |
            while read -r line; do [ -n "$line" ] && expand_syscalls "$line"; done ;;
    *) echo "$item" ;;
    esac
}

# allowed_syscalls FILE: the system calls SystemCallFilter= lines of FILE allow, in order:
# the first allow list defines the set, each ~ list removes from it.
allowed_syscalls() {
    local value item
    : >"$tmp/allowed"
    while IFS= read -r value; do
        case $value in
        "~"*) for item in ${value#\~}; do expand_syscalls "$item"; done | sort -u >"$tmp/deny"
            comm -23 "$tmp/allowed" "$tmp/deny" >"$tmp/allowed.new" && mv "$tmp/allowed.new" "$tmp/allowed" ;;
        *) { cat "$tmp/allowed"; for item in $value; do expand_syscalls "$item"; done; } | sort -u >"$tmp/allowed.new"
            mv "$tmp/allowed.new" "$tmp/allowed" ;;
        esac
    done < <(unit_values "$1" SystemCallFilter)
    cat "$tmp/allowed"
}

# wx_mappings STRACE...: calls MemoryDenyWriteExecute=yes refuses (writable and executable
# mappings, making memory executable after the fact).
wx_mappings() {
    cat "$@" | grep -E '^([0-9]+ +)?(mmap|mmap2)\(' | grep 'PROT_WRITE' | grep 'PROT_EXEC'
    cat "$@" | grep -E '^([0-9]+ +)?(mprotect|pkey_mprotect)\(.*PROT_EXEC'
}

# file_list ROOT: every non-directory below ROOT, relative, sorted.
file_list() { (cd "$1" && find . ! -type d | sed 's|^\./|/|' | sort); }

# ---- the installed binary against a real PostgreSQL ---------------------------------------

# The server: the suite's (PERSONA_REGISTRY_TEST_DATABASE_URL, as scripts/test sets it), else a
# throwaway cluster of our own in .pg/systemd-test, stopped at exit.
pg_started=
pg_server=
database_server() { # sets pg_server
    if [ -n "${PERSONA_REGISTRY_TEST_DATABASE_URL:-}" ]; then
        pg_server=$PERSONA_REGISTRY_TEST_DATABASE_URL
        return
    fi
    pg_started=yes
    local server
    server=$(PG_THROWAWAY_DIR=$here/.pg/systemd-test scripts/pg-throwaway.sh start) || return 1
    pg_server=${server%/*}/postgres
}
stop_database_server() {
    [ -z "$pg_started" ] || PG_THROWAWAY_DIR=$here/.pg/systemd-test scripts/pg-throwaway.sh stop
}

notify_listener=
stop_notify_listener() {
    [ -z "$notify_listener" ] || { kill "$notify_listener" 2>/dev/null; wait "$notify_listener" 2>/dev/null; }
    notify_listener=
}


# installed_binary_against_postgresql PREFIX: the binary installed in PREFIX migrates and seeds
# with what is built into it, and `serve`, traced, makes only calls the unit allows.
installed_binary_against_postgresql() {
    local installed=$1/bin/persona-registry server database url
    if ! database_server || [ -z "$pg_server" ]; then
        fail "PostgreSQL for the installed binary: set PERSONA_REGISTRY_TEST_DATABASE_URL or install postgresql"
        return
    fi
    server=$pg_server
    database=pr_systemd_$$
    url=${server%/*}/$database
    if ! psql -X -q -d "$server" -c "CREATE DATABASE $database" >/dev/null; then
        fail "CREATE DATABASE $database on $server"
        return
    fi
    # In an empty directory, without PERSONA_REGISTRY_MIGRATIONS: the built-in migrations.
    mkdir -p "$tmp/cwd"
    check "installed binary: migrate up applies its built-in migrations" \
        bash -c "cd '$tmp/cwd' && env -u PERSONA_REGISTRY_MIGRATIONS -u PERSONA_TEMPLATES_DIR '$installed' migrate up --database-url '$url' >'$tmp/migrate.log' 2>&1"
    check "installed binary: migrate status is clean (exit 0)" \
        bash -c "cd '$tmp/cwd' && env -u PERSONA_REGISTRY_MIGRATIONS '$installed' migrate status --database-url '$url' >/dev/null 2>&1"
    check "installed binary: role and persona tables exist" \
        bash -c "[ \"\$(psql -X -tA -d '$url' -c \"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('role', 'persona')\")\" = 2 ]"
    # A tree with no templates/ beside it and no PERSONA_TEMPLATES_DIR: the built-in templates.
    local tree=$tmp/srv/personas
    mkdir -p "$tree"
    serve_under_strace "$installed" "$url" "$tree"
    psql -X -q -d "$server" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1
}

# serve_under_strace BINARY URL TREE: run the daemon as the unit does (settings from the
# environment), drive every path (start-up sweep, notifications, inotify, SIGHUP, SIGTERM) and
# check every system call, socket family and /proc or /dev path it used against the unit.
serve_under_strace() {
    local installed=$1 url=$2 tree=$3 strace_pid pid
    if ! "$installed" --help 2>/dev/null | grep -qE '^ +serve( |$)'; then
        fail "serve under strace: this build has no 'serve' subcommand yet (the daemon)"
        return
    fi
    insert() { psql -X -q -d "$url" -c "INSERT INTO persona (name, role_id) SELECT '$1', id FROM role WHERE name = 'developer'" >/dev/null; }
    psql -X -q -d "$url" -c "INSERT INTO role (name) VALUES ('developer')" >/dev/null
    insert Con
    # A notify socket and a watchdog, as systemd gives them, so that those calls are traced too
    # (what the daemon sends there is tested elsewhere).
    local notify=()
    if command -v python3 >/dev/null; then
        python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
while True: s.recv(4096)' "$tmp/notify.sock" &
        notify_listener=$!
        wait_for 10 test -S "$tmp/notify.sock" && notify=(NOTIFY_SOCKET="$tmp/notify.sock" WATCHDOG_USEC=2000000)
    fi
    [ ${#notify[@]} -gt 0 ] || echo "      (no python3: serve runs without a notify socket)"
    rm -f "$tmp/serve.strace"
    env -u NOTIFY_SOCKET -u WATCHDOG_USEC -u WATCHDOG_PID "${notify[@]}" DATABASE_URL="$url" PERSONA_DATA_DIR="$tree" \
        strace -f -qq -o "$tmp/serve.strace" "$installed" serve >"$tmp/serve.log" 2>&1 &
    strace_pid=$!
    wait_for 10 bash -c "pgrep -P $strace_pid >/dev/null" && pid=$(pgrep -P "$strace_pid")
    if [ -z "${pid:-}" ]; then
        fail "serve under strace: the daemon did not start"
        return
    fi
    check "serve: the start-up sweep writes the identity file of an existing persona" \
        wait_for 60 test -s "$tree/developer-con-1/identity.yaml"
    check "serve: seed files come from the built-in templates" \
        grep -q 'You are Con, the developer persona' "$tree/developer-con-1/skill.md"
    insert Robbo
    check "serve: a persona inserted with SQL gets its directory (notification)" \
        wait_for 30 test -s "$tree/developer-robbo-2/identity.yaml"
    mkdir "$tree/stray-directory"
    rm -f "$tree/developer-robbo-2/identity.yaml"
    check "serve: a removed identity file is written again (inotify)" \
        wait_for 30 test -s "$tree/developer-robbo-2/identity.yaml"
    kill -HUP "$pid" 2>/dev/null
    insert Verner
    check "serve: after SIGHUP it still answers notifications" \
        wait_for 30 test -s "$tree/developer-verner-3/identity.yaml"
    kill -TERM "$pid" 2>/dev/null
    check "serve: SIGTERM stops it" wait_for 30 bash -c "! kill -0 $pid 2>/dev/null"
    wait "$strace_pid" 2>/dev/null
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    stop_notify_listener

    sed -n -E 's/^([0-9]+ +)?([a-z0-9_]+)\(.*/\2/p' "$tmp/serve.strace" | sort -u >"$tmp/serve-calls"
    echo "      serve made $(wc -l <"$tmp/serve-calls") distinct system calls: $(tr '\n' ' ' <"$tmp/serve-calls")"
    local denied families bad_paths
    denied=$(comm -23 "$tmp/serve-calls" "$tmp/unit-allowed" | tr '\n' ' ')
    check "serve: every system call it made is allowed by SystemCallFilter=${denied:+; denied: $denied}" test -z "$denied"
    local wx
    wx=$(wx_mappings "$tmp/serve.strace" | head -3)
    check "serve: no writable and executable memory (MemoryDenyWriteExecute=yes)${wx:+; $wx}" test -z "$wx"
    for call in inotify_add_watch signalfd4 timerfd_create flock; do
        check "serve: really used $call (the filter check covers the daemon's own calls)" grep -qx "$call" "$tmp/serve-calls"
    done
    families=$(sed -n -E 's/.*[^a-z_]socket\((AF_[A-Z0-9]+),.*/\1/p' "$tmp/serve.strace" | sort -u |
        grep -vxE 'AF_UNIX|AF_INET|AF_INET6' | tr '\n' ' ')
    check "serve: every socket family it used is in RestrictAddressFamilies=${families:+; not: $families}" test -z "$families"
    # ProcSubset=pid leaves only /proc/<pid>, /proc/self, /proc/thread-self; PrivateDevices= only
    # the pseudo devices.
    bad_paths=$(grep -oE '"/(proc|dev|sys)/[^"]*"' "$tmp/serve.strace" | tr -d '"' | sort -u |
        grep -vE '^/proc/(self|thread-self|[0-9]+)(/|$)|^/dev/(null|zero|full|random|urandom|tty|pts/.*)$|^/sys/devices/system/cpu/(online|possible)$' | tr '\n' ' ')
    check "serve: opens nothing in /proc, /dev or /sys that the sandbox hides${bad_paths:+; hidden: $bad_paths}" test -z "$bad_paths"
}

# ---- build -------------------------------------------------------------------------------
echo "building the release binary (make build)"
if make build >"$tmp/build.log" 2>&1; then
    pass "make build"
else
    tail -20 "$tmp/build.log"
    fail "make build"
    finish
fi
bin=${RELEASE_BIN:-.build/release/persona-registry}   # RELEASE_BIN is also what `make install` takes
check "the release binary does not need the toolchain's Swift runtime (static stdlib)" \
    bash -c "! readelf -d '$bin' | grep -q 'NEEDED.*libswift'"

# ---- the unit as shipped -----------------------------------------------------------------
for line in \
    "Type=notify" \
    "NotifyAccess=main" \
    "ExecStart=/usr/local/bin/persona-registry serve" \
    "ExecReload=/usr/local/bin/persona-registry reload --pid \$MAINPID" \
    "Restart=on-failure" \
    "Environment=SWIFT_BACKTRACE=enable=no" \
    "EnvironmentFile=-/etc/persona-registry/env" \
    "User=persona-registry" \
    "DynamicUser=no" \
    "Wants=network-online.target postgresql.service" \
    "After=network-online.target postgresql.service" \
    "ProtectSystem=strict" \
    "ProtectHome=yes" \
    "PrivateTmp=yes" \
    "PrivateDevices=yes" \
    "NoNewPrivileges=yes" \
    "CapabilityBoundingSet=" \
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" \
    "SystemCallArchitectures=native" \
    "WantedBy=multi-user.target"; do
    check "unit: $line" has_line "$unit_src" "$line"
done
check "unit: RestartSec= is between 1s and 60s" \
    bash -c "[[ \$(sed -n 's/^RestartSec=//p' '$unit_src') =~ ^([1-9]|[1-5][0-9]|60)s\$ ]]"
check "unit: WatchdogSec= is set" bash -c "[[ \$(sed -n 's/^WatchdogSec=//p' '$unit_src') =~ ^[1-9][0-9]*(s|min)\$ ]]"
# A watchdog abort is never a long wait for SIGKILL (scripts/test-systemd-boot.sh times it).
check "unit: TimeoutAbortSec= is between 1s and 15s" \
    bash -c "[[ \$(sed -n 's/^TimeoutAbortSec=//p' '$unit_src') =~ ^([1-9]|1[0-5])s\$ ]]"
check "unit: SystemCallFilter= starts from @system-service" \
    bash -c "[ \"\$(sed -n 's/^SystemCallFilter=//p' '$unit_src' | head -1)\" = @system-service ]"

# The tree is the only writable path, and it is the same everywhere it is named.
tree=$(unit_values "$unit_src" ReadWritePaths)
check "unit: exactly one ReadWritePaths= (the tree): '$tree'" bash -c "[ \$(grep -c '^ReadWritePaths=' '$unit_src') -eq 1 ] && [ -n '$tree' ]"
check "unit: PERSONA_DATA_DIR default is the writable tree" has_line "$unit_src" "Environment=PERSONA_DATA_DIR=$tree"
check "unit: StateDirectory= creates the tree for the service user" \
    has_line "$unit_src" "StateDirectory=${tree#/var/lib/}"
check "env example: PERSONA_DATA_DIR is the unit's tree" has_line "$env_example" "PERSONA_DATA_DIR=$tree"
check "unit: UMask=0027 with the shared group persona-registry" \
    bash -c "grep -qx 'UMask=0027' '$unit_src' && grep -qx 'Group=persona-registry' '$unit_src' && grep -qx 'StateDirectoryMode=0750' '$unit_src'"

# Nothing the daemon needs may be denied: its system calls against the filter's expansion.
allowed_syscalls "$unit_src" >"$tmp/unit-allowed"
check "unit: the system call filter allows something ($(wc -l <"$tmp/unit-allowed") calls)" test -s "$tmp/unit-allowed"
needed="poll ppoll inotify_init1 inotify_add_watch inotify_rm_watch signalfd4 timerfd_create
timerfd_settime timerfd_gettime flock fsync fdatasync socket connect sendmsg sendto recvfrom
recvmsg getsockopt setsockopt getsockname getpeername openat read write pread64 close fcntl
mkdirat renameat renameat2 unlinkat getdents64 newfstatat fstat statx fchmod readlink readlinkat getrandom
clock_gettime clock_nanosleep rt_sigprocmask rt_sigaction kill getpid mmap munmap mprotect madvise
brk futex clone clone3 exit_group prlimit64 sched_getaffinity"
for call in $needed; do
    check "unit: system call $call is allowed" grep -qx "$call" "$tmp/unit-allowed"
done
# What the binary really calls, as traced: start-up and a command line run.
if strace -f -qq -o "$tmp/strace" "$bin" --help >/dev/null 2>&1 &&
    strace -f -qq -o "$tmp/strace2" "$bin" --generate-completion-script bash >/dev/null 2>&1; then
    cat "$tmp/strace" "$tmp/strace2" | sed -n -E 's/^([0-9]+ +)?([a-z0-9_]+)\(.*/\2/p' | sort -u >"$tmp/traced"
    denied=$(comm -23 "$tmp/traced" "$tmp/unit-allowed" | tr '\n' ' ')
    check "unit: every system call the binary made under strace ($(wc -l <"$tmp/traced")) is allowed${denied:+; denied: $denied}" test -z "$denied"
    check "unit: MemoryDenyWriteExecute=yes" has_line "$unit_src" "MemoryDenyWriteExecute=yes"
    wx=$(wx_mappings "$tmp/strace" "$tmp/strace2" | head -3)
    check "the binary maps no memory writable and executable (start-up, completions)${wx:+; $wx}" test -z "$wx"
else
    fail "strace of $bin --help"
fi
check "unit: security --offline=yes prints its table" bash -c "systemd-analyze security --offline=yes --no-pager '$unit_src' >/dev/null 2>&1"
check_exposure "$unit_src" "$unit_src"
# The gate can fail: the same unit without its sandbox lines is rated above the limit.
sed -n '1,/^# Hardening/p; /^\[Install\]/,$p' "$unit_src" >"$tmp/unhardened.service"
unhardened=$(exposure "$tmp/unhardened.service")
echo "      exposure without the hardening section: ${unhardened:-none}"
check "the exposure gate rejects the unit without its hardening section (${unhardened:-no figure} > $max_exposure)" \
    awk -v f="${unhardened:-0}" -v m="$max_exposure" 'BEGIN { exit !(f > m) }'

# ---- env example -------------------------------------------------------------------------
check "env example: every active line is KEY=VALUE (EnvironmentFile syntax)" \
    bash -c "! grep -vE '^(#.*)?$' '$env_example' | grep -vqE '^[A-Z_][A-Z0-9_]*=[^ ].*\$'"
for var in DATABASE_URL PERSONA_DATA_DIR PERSONA_TEMPLATES_DIR PERSONA_REGISTRY_MIGRATIONS; do
    check "env example documents $var" grep -qE "^#? ?${var}[=:]" "$env_example"
done
# Every variable the sources read by name is documented.
for var in $(grep -rhoE '"(PERSONA_[A-Z0-9_]+|DATABASE_URL)"' Sources 2>/dev/null | tr -d '"' | sort -u); do
    check "env example documents $var (read in Sources/)" grep -qE "^#? ?${var}[=:]" "$env_example"
done

# ---- install into PREFIX (no DESTDIR): the installed unit verifies as it is ---------------
prefix=$tmp/prefix
if make install PREFIX="$prefix" >"$tmp/install-prefix.log" 2>&1; then
    pass "make install PREFIX=$prefix"
    installed_unit=$prefix/lib/systemd/system/persona-registry.service
    check "installed unit runs $prefix/bin/persona-registry serve" \
        has_line "$installed_unit" "ExecStart=$prefix/bin/persona-registry serve"
    check "systemd-analyze verify passes on the installed unit (ExecStart resolvable)" verify_quiet "$installed_unit"
    check_exposure "installed unit" "$installed_unit"
    check "installed binary runs: --version" bash -c "'$prefix/bin/persona-registry' --version >/dev/null"
    installed_binary_against_postgresql "$prefix"
    check "installed unit differs from the shipped one only in the ExecStart and ExecReload paths" \
        bash -c "diff <(sed 's|^\\(Exec[A-Za-z]*\\)=$prefix/bin/|\\1=/usr/local/bin/|' '$installed_unit') '$unit_src' >/dev/null"
    sed 's|^ExecStart=[^ ]*|ExecStart=/nonexistent/persona-registry|' "$installed_unit" >"$tmp/broken.service"
    check "systemd-analyze verify fails when ExecStart does not resolve (the check can fail)" \
        bash -c "! systemd-analyze verify --man=no '$tmp/broken.service' >/dev/null 2>&1"
    check "make uninstall PREFIX=$prefix leaves nothing behind" \
        bash -c "make uninstall PREFIX='$prefix' >/dev/null 2>&1 && [ ! -e '$prefix' ]"
else
    sed 's/^/      /' "$tmp/install-prefix.log" | tail -20
    fail "make install PREFIX=$prefix"
fi

# ---- install into DESTDIR with the default PREFIX ----------------------------------------
dest=$tmp/dest
p=/usr/local
expected="0755 $p/bin/persona-registry
0644 $p/lib/systemd/system/persona-registry.service
0644 $p/lib/sysusers.d/persona-registry.conf
0644 $p/share/bash-completion/completions/persona-registry
0644 $p/share/doc/persona-registry/persona-registry.env.example
0644 $p/share/fish/vendor_completions.d/persona-registry.fish
0644 $p/share/man/man1/persona-registry.1
0644 $p/share/man/man5/persona-registry.env.5
0644 $p/share/man/man8/persona-registry-serve.8
0644 $p/share/persona-registry/install-manifest
0644 $p/share/zsh/site-functions/_persona-registry"
for file in migrations/*.sql migrations/headspace/*.sql; do expected+=$'\n'"0644 $p/share/persona-registry/$file"; done
expected=$(echo "$expected" | sort -k2)

# Things that are not the package's: they must survive install and uninstall untouched.
foreign="/usr/local/bin/another-tool
/usr/local/share/bash-completion/completions/git
/etc/persona-registry/env
/var/lib/persona-registry/personas/developer-con-1/identity.yaml
/var/lib/persona-registry/personas/developer-con-1/skill.md"
while IFS= read -r file; do
    mkdir -p "$dest$(dirname "$file")"
    echo "not the package's: $file" >"$dest$file"
done <<<"$foreign"
cp -a "$dest" "$tmp/dest-before"

if make install DESTDIR="$dest" >"$tmp/install-dest.log" 2>&1 &&
    make install DESTDIR="$dest" >>"$tmp/install-dest.log" 2>&1; then
    pass "make install DESTDIR=$dest (twice)"
    actual=$(cd "$dest" && find . ! -type d -printf '%m %p\n' | sed 's|^\([0-7]*\) \./|0\1 /|' | sort -k2 |
        grep -vxF -f <(sed 's/^/0644 /' <<<"$foreign"))
    if [ "$actual" = "$expected" ]; then
        pass "every file lands with its mode, and nothing else ($(wc -l <<<"$expected") files)"
    else
        fail "every file lands with its mode, and nothing else"
        diff <(echo "$expected") <(echo "$actual") | sed 's/^/      /'
    fi
    check "nothing installed is group- or world-writable" \
        bash -c "[ -z \"\$(find '$dest' -perm /022 ! -type l -print -quit)\" ]"
    check "installed binary is the built one" cmp -s "$bin" "$dest$p/bin/persona-registry"
    for file in migrations/*.sql migrations/headspace/*.sql; do
        check "migration $file installed unchanged" cmp -s "$file" "$dest$p/share/persona-registry/$file"
    done
    check "no seed templates are installed (they are built into the binary)" test ! -e "$dest$p/share/persona-registry/templates"
    for page in man1/persona-registry.1 man5/persona-registry.env.5 man8/persona-registry-serve.8; do
        check "man page ${page#*/} installed unchanged" cmp -s "man/${page#*/}" "$dest$p/share/man/$page"
    done
    check "env example installed unchanged" cmp -s "$env_example" "$dest$p/share/doc/persona-registry/persona-registry.env.example"
    unit=$dest$p/lib/systemd/system/persona-registry.service
    check "DESTDIR unit: ExecStart names the installed path, not DESTDIR" has_line "$unit" "ExecStart=$p/bin/persona-registry serve"
    check "DESTDIR unit: that binary exists in DESTDIR and is executable" test -x "$dest$p/bin/persona-registry"
    check "DESTDIR unit: ExecReload names the installed path, not DESTDIR" has_line "$unit" "ExecReload=$p/bin/persona-registry reload --pid \$MAINPID"
    sed "s|^\(Exec[A-Za-z]*\)=$p/|\1=$dest$p/|" "$unit" >"$tmp/persona-registry.service"
    check "systemd-analyze verify passes on the DESTDIR unit with ExecStart and ExecReload resolved inside DESTDIR" verify_quiet "$tmp/persona-registry.service"
    check "manifest has no duplicate entries after a second install" \
        bash -c "[ -z \"\$(sort '$dest$p/share/persona-registry/install-manifest' | uniq -d)\" ]"

    # Completion scripts generated by swift-argument-parser, valid in their shell.
    bash_comp=$dest$p/share/bash-completion/completions/persona-registry
    zsh_comp=$dest$p/share/zsh/site-functions/_persona-registry
    fish_comp=$dest$p/share/fish/vendor_completions.d/persona-registry.fish
    check "bash completion is valid bash and registers persona-registry" \
        bash -c "bash -n '$bash_comp' && grep -qE '^complete .* persona-registry\$' '$bash_comp'"
    check "bash completion has no #! line (it is sourced, not run)" bash -c "! head -1 '$bash_comp' | grep -q '^#!'"
    check "zsh completion is valid zsh and is #compdef persona-registry" \
        bash -c "zsh -n '$zsh_comp' && head -1 '$zsh_comp' | grep -qx '#compdef persona-registry'"
    check "fish completion is valid fish and completes persona-registry" \
        bash -c "fish --no-execute '$fish_comp' && grep -qE \"^complete -c '?persona-registry'?\" '$fish_comp'"
    check "bash completion offers the subcommands migrate, role and persona" \
        bash -c "shopt -s extglob && source '$bash_comp' && COMP_WORDS=(persona-registry '') COMP_CWORD=1 COMP_LINE='persona-registry ' COMP_POINT=17 && _persona-registry && printf '%s\n' \"\${COMPREPLY[@]}\" | sort | grep -cxE 'migrate|role|persona' | grep -qx 3"

    # The user the unit runs as, created by the installed sysusers.d entry.
    sysroot=$tmp/sysroot
    mkdir -p "$sysroot/etc"
    if systemd-sysusers --root="$sysroot" "$dest$p/lib/sysusers.d/persona-registry.conf" >/dev/null 2>&1; then
        pass "systemd-sysusers applies the installed sysusers.d entry"
        check "sysusers: system user persona-registry, home /var/lib/persona-registry, no login shell" \
            bash -c "awk -F: '\$1 == \"persona-registry\" && \$3 < 1000 && \$6 == \"/var/lib/persona-registry\" && \$7 == \"/usr/sbin/nologin\"' '$sysroot/etc/passwd' | grep -q ."
        check "sysusers: group persona-registry (the tree's readers join it)" \
            bash -c "awk -F: '\$1 == \"persona-registry\"' '$sysroot/etc/group' | grep -q ."
    else
        fail "systemd-sysusers applies the installed sysusers.d entry"
    fi

    # Uninstall: everything install put there goes, everything else stays.
    if make uninstall DESTDIR="$dest" >"$tmp/uninstall.log" 2>&1; then
        pass "make uninstall DESTDIR=$dest"
        left=$(file_list "$dest")
        if [ "$left" = "$(sort <<<"$foreign")" ]; then
            pass "uninstall removes every installed file and nothing else"
        else
            fail "uninstall removes every installed file and nothing else"
            diff <(sort <<<"$foreign") <(echo "$left") | sed 's/^/      /'
        fi
        check "foreign files are unchanged (the tree, the env file, other tools)" \
            diff -r "$tmp/dest-before" "$dest"
        check "directories install created are gone, those that existed stay" \
            bash -c "[ ! -e '$dest$p/share/persona-registry' ] && [ ! -e '$dest$p/lib/systemd' ] && [ ! -e '$dest$p/share/zsh' ] && [ -d '$dest$p/bin' ] && [ -d '$dest$p/share/bash-completion/completions' ]"
    else
        sed 's/^/      /' "$tmp/uninstall.log" | tail -20
        fail "make uninstall DESTDIR=$dest"
    fi
    check "a second uninstall fails clearly (no manifest) and removes nothing" \
        bash -c "! make uninstall DESTDIR='$dest' >'$tmp/un2.log' 2>&1 && grep -q 'nothing to uninstall' '$tmp/un2.log' && diff -r '$tmp/dest-before' '$dest' >/dev/null"
else
    sed 's/^/      /' "$tmp/install-dest.log" | tail -20
    fail "make install DESTDIR=$dest (twice)"
fi

# ---- other prefixes and bad input ---------------------------------------------------------
dest2=$tmp/dest-opt
if make install DESTDIR="$dest2" PREFIX=/opt/persona-registry SYSTEMDUNITDIR=/etc/systemd/system >"$tmp/install-opt.log" 2>&1; then
    check "PREFIX=/opt/persona-registry: unit in SYSTEMDUNITDIR runs /opt/persona-registry/bin/persona-registry" \
        has_line "$dest2/etc/systemd/system/persona-registry.service" "ExecStart=/opt/persona-registry/bin/persona-registry serve"
    check "PREFIX=/opt/persona-registry: data beside the binary (bin/../share/persona-registry)" \
        test -f "$dest2/opt/persona-registry/share/persona-registry/migrations/0001_role_persona.sql"
    check "PREFIX=/opt/persona-registry: uninstall leaves an empty DESTDIR" \
        bash -c "make uninstall DESTDIR='$dest2' PREFIX=/opt/persona-registry >/dev/null 2>&1 && [ -z \"\$(ls -A '$dest2')\" ]"
else
    sed 's/^/      /' "$tmp/install-opt.log" | tail -20
    fail "make install PREFIX=/opt/persona-registry SYSTEMDUNITDIR=/etc/systemd/system"
fi

for bad in "relative/prefix" "/opt/with space" "/opt/a|b" "/opt/../etc"; do
    dest3=$tmp/dest-bad
    rm -rf "$dest3"
    check "install refuses PREFIX='$bad' with an error and writes nothing" \
        bash -c "! make install DESTDIR='$dest3' PREFIX='$bad' >'$tmp/bad.log' 2>&1 && grep -q 'install.sh: PREFIX' '$tmp/bad.log' && [ ! -e '$dest3' ]"
done
# A binary that is not the persona-registry CLI: no completion scripts, so nothing installed.
dest4=$tmp/dest-notcli
check "install with a binary that prints no completion script fails and writes nothing" \
    bash -c "! make install DESTDIR='$dest4' RELEASE_BIN=/bin/true >'$tmp/notcli.log' 2>&1 && grep -q 'completion' '$tmp/notcli.log' && [ ! -e '$dest4' ]"
check "install without a release binary says to run make build" \
    bash -c "! make install DESTDIR='$dest4' RELEASE_BIN='$tmp/missing' >'$tmp/nobin.log' 2>&1 && grep -q 'make build' '$tmp/nobin.log' && [ ! -e '$dest4' ]"

finish
