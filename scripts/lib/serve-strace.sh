# shellcheck shell=bash
# The installed binary against a real PostgreSQL, for scripts/test-systemd.sh (sourced, not
# run): migrate and seed with what is built into it, and `serve` traced with strace, every call
# it made checked against the unit. Uses $tmp, $here, $tmp/unit-allowed (allowed_syscalls) and
# scripts/lib/checks.sh and scripts/lib/unit.sh.

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
    # A burst in one statement: a batch of new personas, staged ahead with a second thread.
    psql -X -q -d "$url" -c "INSERT INTO persona (name, role_id) SELECT 'b' || g, id FROM role, generate_series(1, 40) AS g WHERE name = 'developer'" >/dev/null
    check "serve: a burst of 40 in one statement gets every directory (half written by a second thread)" \
        wait_for 30 test -s "$tree/developer-b40-43/identity.yaml"
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
