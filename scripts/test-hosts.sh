#!/usr/bin/env bash
# Many hosts over a real (namespaced) network: one primary, three hosts' daemons.
#
#   scripts/test-hosts.sh          (as root; uses $PERSONA_REGISTRY_BIN, else .build/debug/persona-registry)
#
# Makes network namespaces of its own: one for the primary PostgreSQL and one per host, each
# host joined to the primary's namespace by a veth pair with addresses 10.77.N.1 (primary's end)
# and 10.77.N.2 (host's end). Nothing outside these namespaces is touched, and everything is
# removed on exit. Checks, one line each:
#   - inserts, a 10,000-row burst, a role rename, archive and delete reach every host's tree,
#     and drift is clean on each afterwards;
#   - a silent partition (the primary's namespace drops every packet of one host's link with
#     nftables: no reset, no error reaches the host) while rows are inserted: the daemon notices
#     the dead connection within its bound (keepalives, tcp_user_timeout), the other hosts stay in
#     step, and after the heal it reconnects and catches up. The time from heal to in-step is
#     printed ("heal_to_in_step_ms=").
# Closes with "N passed, N failed"; exits non-zero when any check fails.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here" || exit 1
# shellcheck source=scripts/lib/checks.sh
source "$here/scripts/lib/checks.sh"
bin=${PERSONA_REGISTRY_BIN:-$here/.build/debug/persona-registry}
hosts=(1 2 3)
burst=10000
# The daemon's dead-connection bound is 30 s (docs/reference.md, "The daemon"); the partition outlasts it.
detect_limit=60

began=$(date +%s)
# Every line says how far into the run it came (the partition and the heal are timed).
check_suffix() { echo " (+$(($(date +%s) - began)) s)"; }

if [ "$(id -u)" != 0 ]; then fail "must run as root (network namespaces)"; finish; fi
need=()
command -v ip >/dev/null || need+=(iproute2)
command -v nft >/dev/null || need+=(nftables)
install_missing --recommends "${need[@]}"
[ -x "$bin" ] || { fail "no binary at $bin (swift build first)"; finish; }

# Names of this run only, so parallel runs never meet.
tag=pr$$
primary_ns=$tag-db
tmp=$(mktemp -d /tmp/persona-registry-hosts.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
    PG_THROWAWAY_DIR=$tmp/pg ip netns exec "$primary_ns" scripts/pg-throwaway.sh stop >/dev/null 2>&1
    local n
    for n in "${hosts[@]}"; do ip netns del "$tag-h$n" 2>/dev/null; done
    ip netns del "$primary_ns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- the network -------------------------------------------------------------------------
ip netns add "$primary_ns" && ip -n "$primary_ns" link set lo up || { fail "ip netns add"; finish; }
listen=127.0.0.1
for n in "${hosts[@]}"; do
    ns=$tag-h$n
    ip netns add "$ns" && ip -n "$ns" link set lo up &&
        ip link add "$tag-p$n" netns "$primary_ns" type veth peer name "$tag-h$n" netns "$ns" &&
        ip -n "$primary_ns" addr add "10.77.$n.1/24" dev "$tag-p$n" &&
        ip -n "$ns" addr add "10.77.$n.2/24" dev "$tag-h$n" &&
        ip -n "$primary_ns" link set "$tag-p$n" up && ip -n "$ns" link set "$tag-h$n" up ||
        { fail "veth link for host $n"; finish; }
    listen+=",10.77.$n.1"
done

# ---- the primary, in its namespace -------------------------------------------------------
local_url=$(PG_THROWAWAY_DIR=$tmp/pg PG_THROWAWAY_OPTIONS="-c listen_addresses=$listen" \
    ip netns exec "$primary_ns" scripts/pg-throwaway.sh start) || { fail "primary start"; finish; }
port=${local_url##*:}
port=${port%%/*}
echo "host all all 10.77.0.0/16 trust" >>"$tmp/pg/data/pg_hba.conf"
ip netns exec "$primary_ns" runuser -u postgres -- psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c "SELECT pg_reload_conf()" >/dev/null || { fail "pg_hba reload"; finish; }
host_url() { echo "postgresql://postgres@10.77.$1.1:$port/persona_registry"; }
# sql SQL: run on the primary, from its own namespace.
sql() { ip netns exec "$primary_ns" psql -X -q -v ON_ERROR_STOP=1 -tA -d "$local_url" -c "$1"; }
on_host() { local n=$1; shift; ip netns exec "$tag-h$n" "$bin" "$@" --database-url "$(host_url "$n")"; }

if on_host 1 migrate up >/dev/null; then pass "migrate up from host 1 over its link"; else fail "migrate up"; finish; fi

# ---- one daemon per host, in its namespace -----------------------------------------------
for n in "${hosts[@]}"; do
    mkdir -p "$tmp/tree$n"
    ip netns exec "$tag-h$n" "$bin" serve --database-url "$(host_url "$n")" --data-dir "$tmp/tree$n" \
        --templates-dir "$here/data/templates" --debounce-ms 20 >"$tmp/serve$n.log" 2>&1 &
    pids+=($!)
done
listening() { grep -q " event=sweep_finished" "$tmp/serve$1.log" || ! kill -0 "${pids[$(($1 - 1))]}" 2>/dev/null; }
for n in "${hosts[@]}"; do
    if wait_for 60 listening "$n" && grep -q " event=sweep_finished" "$tmp/serve$n.log"; then pass "host $n: daemon connected over its link and swept"; else
        fail "host $n: daemon did not start"; cat "$tmp/serve$n.log"; finish; fi
done

has() { [ -f "$tmp/tree$1/$2/identity.yaml" ]; }
says() { grep -qxF -- "$3" "$tmp/tree$1/$2/identity.yaml" 2>/dev/null; }
# everywhere PREDICATE ARGS...: PREDICATE N ARGS... holds for every host.
everywhere() { local n; for n in "${hosts[@]}"; do "$@" "$n" || return 1; done; }
has_at() { has "$2" "$1"; }
says_at() { says "$3" "$1" "$2"; }
check_everywhere() {
    local description=$1 seconds=$2; shift 2
    if wait_for "$seconds" "$@"; then pass "$description"; else fail "$description"; fi
}

sql "INSERT INTO role (name) VALUES ('developer'); INSERT INTO persona (name, role_id) VALUES ('Con', 1), ('Robbo', 1)" &&
    check_everywhere "inserts reach every tree" 30 everywhere has_at developer-robbo-2

start=$(now_ms)
sql "INSERT INTO persona (name, role_id) SELECT 'burst' || g, 1 FROM generate_series(1, $burst) AS g"
last=$((burst + 2))
check_everywhere "a $burst-row burst reaches every tree" 180 everywhere has_at "developer-burst$burst-$last"
echo "burst_in_step_ms=$(($(now_ms) - start))"

sql "UPDATE role SET name = 'engineer' WHERE id = 1"
check_everywhere "a role rename rewrites identity files in every tree" 120 \
    everywhere says_at "developer-burst$burst-$last" "role: engineer"
sql "UPDATE persona SET status = 'archived' WHERE id = 1"
check_everywhere "an archive reaches every tree" 30 everywhere says_at developer-con-1 "status: archived"
sql "DELETE FROM persona WHERE id = 2"
orphan() { { on_host "$1" drift --data-dir "$tmp/tree$1" --format porcelain || true; } | grep -q $'^orphan_directory\tdeveloper-robbo-2\t'; }
check_everywhere "a delete leaves an orphan directory in every tree" 30 everywhere orphan
# The operator removes it; nothing else may differ.
for n in "${hosts[@]}"; do rm -r "$tmp/tree$n/developer-robbo-2"; done
drift_clean() { on_host "$1" drift --data-dir "$tmp/tree$1" >"$tmp/drift$1.txt" 2>&1; }
check_everywhere "drift is clean on every host" 60 everywhere drift_clean

# ---- a silent partition of host 3 ---------------------------------------------------------
cut=3
nft_rules="table inet $tag {
    chain input { type filter hook input priority 0; iifname \"$tag-p$cut\" drop; }
    chain output { type filter hook output priority 0; oifname \"$tag-p$cut\" drop; }
}"
echo "$nft_rules" | ip netns exec "$primary_ns" nft -f - || { fail "nft partition"; finish; }
cut_at=$(now_ms)
sql "INSERT INTO persona (name, role_id) SELECT 'cut' || g, 1 FROM generate_series(1, 20) AS g"
newest=$(sql "SELECT slug FROM persona ORDER BY id DESC LIMIT 1")
in_step() { has "$1" "$newest"; }
check_everywhere "hosts 1 and 2 stay in step during host 3's partition" 30 in_step 1
wait_for 30 in_step 2 || fail "host 2 in step during the partition"
lost() { grep -q " event=connection_lost" "$tmp/serve$cut.log"; }
if wait_for "$detect_limit" lost; then
    pass "host 3 noticed the silently dead connection after $(($(now_ms) - cut_at)) ms"
else
    fail "host 3 did not notice the dead connection within ${detect_limit} s"
fi
if in_step "$cut"; then fail "host 3 was cut off (it has $newest)"; else pass "host 3 was cut off while partitioned"; fi
ip netns exec "$primary_ns" nft delete table inet "$tag"
healed_at=$(now_ms)
if wait_for 90 in_step "$cut"; then
    pass "host 3 reconnected and caught up after the heal"
    echo "heal_to_in_step_ms=$(($(now_ms) - healed_at))"
else
    fail "host 3 did not catch up after the heal"; tail -n 20 "$tmp/serve$cut.log"
fi
sql "INSERT INTO persona (name, role_id) VALUES ('after', 1)"
newest=$(sql "SELECT slug FROM persona ORDER BY id DESC LIMIT 1")
check_everywhere "host 3 listens again: a new row arrives by notification" 30 in_step "$cut"
check_everywhere "drift is clean on every host after the heal" 60 everywhere drift_clean
for n in "${hosts[@]}"; do
    if kill -0 "${pids[$((n - 1))]}" 2>/dev/null; then :; else fail "host $n: daemon exited"; fi
done
finish
