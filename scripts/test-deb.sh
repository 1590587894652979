#!/usr/bin/env bash
# The Debian package: built with `scripts/deb`, checked with lintian and mandoc, then installed,
# upgraded, removed and purged with apt-get in a booted systemd (systemd-nspawn container), so
# that its maintainer scripts run for real.
#
#   scripts/test-deb.sh           (as root; scripts/test runs it)
#
# The upgrade is to the same source rebuilt with a higher Debian revision: debian/ is copied,
# a changelog entry added, and the copy bound over the checkout's debian/ in a private mount
# namespace for `scripts/deb`, so the checkout is never changed and the Swift build is reused.
# The container's root is the host's / bound read-only with a tmpfs overlay: whatever is
# installed inside is gone when it stops. Its PostgreSQL is a cluster of its own.
#
# Prints one line per check and "N passed, N failed"; exits non-zero when any check fails.
# Installs what it needs with apt-get (debhelper, lintian, mandoc, man-db, bash-completion,
# systemd-container, postgresql). Takes a few minutes, most of it the package builds.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here" || exit 1
# shellcheck source=scripts/lib/checks.sh
source "$here/scripts/lib/checks.sh"
# shellcheck source=scripts/lib/nspawn.sh
source "$here/scripts/lib/nspawn.sh"
# shellcheck source=scripts/lib/service.sh
source "$here/scripts/lib/service.sh"

unit=persona-registry.service
tree=/var/lib/persona-registry/personas
env_file=/etc/persona-registry/env

# ---- tools -------------------------------------------------------------------------------
if [ "$(id -u)" != 0 ]; then
    fail "run as root (it mounts, boots a container and installs packages into it)"
    finish
fi
need=()
command -v dpkg-buildpackage >/dev/null || need+=(dpkg-dev)
command -v dh >/dev/null || need+=(debhelper)
command -v lintian >/dev/null || need+=(lintian)
command -v mandoc >/dev/null || need+=(mandoc)
command -v man >/dev/null || need+=(man-db)
command -v zsh >/dev/null || need+=(zsh)
command -v fish >/dev/null || need+=(fish)
[ -f /usr/share/bash-completion/bash_completion ] || need+=(bash-completion)
command -v systemd-nspawn >/dev/null || need+=(systemd-container)
command -v nsenter >/dev/null || need+=(util-linux)
command -v pg_createcluster >/dev/null || need+=(postgresql-common)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
install_missing "${need[@]}"
pg_version=$(ls /usr/lib/postgresql | sort -V | tail -1)

tmp=$(mktemp -d /tmp/persona-registry-deb.XXXXXX)
machine=pr-deb-$$-$RANDOM
cleanup() {
    if [ "$failed" -gt 0 ] && [ -n "$nspawn_leader" ]; then
        echo "--- the unit's journal (last 40 lines):"
        nspawn_run journalctl -u "$unit" -o cat --no-pager -q 2>/dev/null | tail -40 | sed 's/^/      /'
    fi
    nspawn_stop
    nspawn_remove_dir "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- build -------------------------------------------------------------------------------
version=$(dpkg-parsechangelog -SVersion)
upstream=${version%-*}
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb1=$tmp/v1/persona-registry_${version}_${arch}.deb
echo "building the package (scripts/deb)"
find debian | sort >"$tmp/debian.before"
started=$SECONDS
if PERSONA_REGISTRY_DEB_DIR=$tmp/v1 scripts/deb >"$tmp/build1.log" 2>&1 && [ -f "$deb1" ]; then
    pass "scripts/deb builds $(basename "$deb1") ($((SECONDS - started)) s)"
else
    tail -20 "$tmp/build1.log" | sed 's/^/      /'
    fail "scripts/deb builds persona-registry_${version}_${arch}.deb"
    finish
fi
check "scripts/deb leaves no build leftovers in debian/" bash -c "find debian | sort | cmp -s - '$tmp/debian.before'"

# build_with VERSION OUT LOG: scripts/deb on the same sources with a copy of debian/ whose
# changelog starts with an entry for VERSION, bound over the checkout's debian/ in a private
# mount namespace: the checkout is never changed, and the Swift build in .build is reused.
build_with() {
    local version=$1 out=$2 log=$3 copy
    copy=$tmp/debian-$version
    cp -a debian "$copy"
    {
        printf 'persona-registry (%s) unstable; urgency=medium\n\n  * Rebuild (scripts/test-deb.sh).\n\n' "$version"
        printf ' -- %s  %s\n\n' "$(dpkg-parsechangelog -SMaintainer)" "$(date -R)"
        cat debian/changelog
    } >"$copy/changelog"
    unshare --mount --propagation private bash -c \
        'mount --bind "$1" "$2/debian" && PERSONA_REGISTRY_DEB_DIR=$3 "$2/scripts/deb"' \
        build-with "$copy" "$here" "$out" >"$log" 2>&1
}

# The rebuild: the same sources, the next Debian revision.
version2=${version%-*}-$((${version##*-} + 1))
deb2=$tmp/v2/persona-registry_${version2}_${arch}.deb
echo "building the rebuilt package $version2"
started=$SECONDS
if build_with "$version2" "$tmp/v2" "$tmp/build2.log" && [ -f "$deb2" ]; then
    pass "the rebuild with a higher version: $(basename "$deb2") ($((SECONDS - started)) s)"
else
    tail -20 "$tmp/build2.log" | sed 's/^/      /'
    fail "the rebuild persona-registry_${version2}_${arch}.deb"
fi
# A changelog whose upstream version is not the program's is refused.
if build_with 99.0.0-1 "$tmp/v99" "$tmp/build99.log"; then
    fail "a changelog at 99.0.0-1 with a binary at $upstream is refused (it built)"
else
    check "a changelog at 99.0.0-1 with a binary at $upstream is refused, naming both" \
        grep -q "persona-registry --version is '$upstream', debian/changelog says 99.0.0" "$tmp/build99.log"
fi
check "the rebuild left the checkout's debian/changelog alone" \
    test "$(dpkg-parsechangelog -SVersion)" = "$version"

# ---- the package, statically -------------------------------------------------------------
# shellcheck source=scripts/lib/deb-static.sh
source "$here/scripts/lib/deb-static.sh"
check_package_statically

# ---- boot ----------------------------------------------------------------------------------
apt_inside() { inside env DEBIAN_FRONTEND=noninteractive apt-get -y -q "$@"; }
not_exists() { ! inside test -e "$1"; }
package_status() { inside dpkg-query -W -f='${Status} ${Version}' persona-registry 2>/dev/null; }

nspawn_log=$tmp/console.log
if ! nspawn_host_root "$tmp/root"; then
    fail "bind the host's / read-only as the container's root"
    finish
fi
if nspawn_boot "$machine" "$tmp/root" --bind-ro="$tmp/v1:/debs/v1" --bind-ro="$tmp/v2:/debs/v2"; then
    pass "container $machine booted systemd"
else
    fail "container $machine booted systemd"
    finish
fi
# Whatever the host has installed is not what we test.
if package_status | grep -q '^install ok'; then
    note "the host has the package installed; purging it inside the container only"
    apt_inside purge persona-registry >/dev/null 2>&1
fi
inside rm -rf /usr/local/bin/persona-registry /etc/persona-registry /var/lib/persona-registry
# A container image's policy-rc.d (Docker's denies every start) would keep the maintainer
# scripts from starting the service; a booted Debian host has none.
if inside test -e /usr/sbin/policy-rc.d; then
    note "removing the host image's /usr/sbin/policy-rc.d inside the container"
    inside rm -f /usr/sbin/policy-rc.d
fi

# The database the operator will point the service at: a cluster of its own.
start_registry_cluster
admin_url="postgresql:///headspace?host=/var/run/postgresql&port=$pg_port"
service_url="postgresql://persona-registry@/headspace?host=/var/run/postgresql&port=$pg_port"

# ---- fresh install ---------------------------------------------------------------------------
if apt_inside install "/debs/v1/$(basename "$deb1")" >"$tmp/install.log" 2>&1; then
    pass "apt-get install ./$(basename "$deb1")"
else
    sed 's/^/      /' "$tmp/install.log" | tail -20
    fail "apt-get install ./$(basename "$deb1")"
    finish
fi
check "installed: $version" is "install ok installed $version" package_status
service_user() { inside getent passwd persona-registry | awk -F: '$3 < 1000 && $6 == "/var/lib/persona-registry" && $7 == "/usr/sbin/nologin"' | grep -q .; }
check "the user persona-registry exists (system user, home /var/lib/persona-registry, nologin)" service_user
check "the unit is enabled" is enabled inside systemctl is-enabled "$unit"
started_since_boot() { [ "$(prop InactiveExitTimestampMonotonic)" -gt 0 ]; }
check "postinst started the unit (it has left 'inactive' since boot)" started_since_boot
check "$env_file: root:persona-registry 0640 (postinst)" is "root:persona-registry 640" inside stat -c '%U:%G %a' "$env_file"
check "persona-registry --version is $upstream" is "$upstream" inside persona-registry --version
man_shows() { inside env MANWIDTH=80 man -P cat "$1" 2>/dev/null | grep -q "^$2"; }
check "man persona-registry shows the page" man_shows persona-registry DRIFT
check "man persona-registry-serve shows the daemon's page" man_shows persona-registry-serve 'LOG EVENTS'
check "man persona-registry.env shows the settings' page" man_shows persona-registry.env VARIABLES
# bash-completion's loader finds the script on the first completion of the command.
check "completions load in bash (bash-completion's loader) and offer the subcommands" \
    inside bash -c 'source /usr/share/bash-completion/bash_completion; _completion_loader persona-registry;
        complete -p persona-registry >/dev/null && COMP_WORDS=(persona-registry "") COMP_CWORD=1 &&
        COMP_LINE="persona-registry " COMP_POINT=17 && _persona-registry &&
        printf "%s\n" "${COMPREPLY[@]}" | grep -cxE "migrate|role|persona|drift" | grep -qx 4'
check "completions load in zsh (compinit finds _persona-registry)" \
    inside zsh -fc 'autoload -U compinit && compinit -u -d /tmp/zcompdump && (( ${+_comps[persona-registry]} ))'
fish_completes() { inside env HOME=/root fish -c 'complete -C"persona-registry "' | grep -q '^migrate'; }
check "completions load in fish and offer the subcommands" fish_completes

# The operator: database, role, schema, then the database URL in the env file.
check "database headspace, role persona-registry with CONNECT" \
    sql -d postgres -c 'CREATE DATABASE headspace' -c 'CREATE ROLE "persona-registry" LOGIN' \
        -c 'GRANT CONNECT ON DATABASE headspace TO "persona-registry"'
check "migrate up with the packaged binary and migrations" \
    inside runuser -u postgres -- persona-registry migrate up --database-url "$admin_url"
check "GRANT SELECT ON role, persona" sql -d headspace -c 'GRANT SELECT ON role, persona TO "persona-registry"'
check "the operator sets DATABASE_URL in $env_file" \
    inside sed -i -e "s|^DATABASE_URL=.*|DATABASE_URL=${service_url//&/\\&}|" -e '1i # edited by the operator' "$env_file"
inside cat "$env_file" >"$tmp/env.edited"
# Until now the unit may have failed (no database) and reached its start limit: an operator
# clears that with reset-failed, then restarts.
inside systemctl reset-failed "$unit" 2>/dev/null
check "systemctl restart $unit" inside systemctl restart "$unit"
check "active (running)" is_state active/running
cli role add developer >/dev/null && cli persona add --role developer --name Con >/dev/null ||
    fail "persona-registry role add / persona add"
check "a persona added with the CLI gets its directory" wait_for 30 exists "$tree/developer-con-1/identity.yaml"
check "its files are the service user's" is persona-registry:persona-registry inside stat -c %U:%G "$tree/developer-con-1/skill.md"

# ---- upgrade ---------------------------------------------------------------------------------
main_pid=$(prop MainPID)
if apt_inside install "/debs/v2/$(basename "$deb2")" >"$tmp/upgrade.log" 2>&1; then
    pass "apt-get install ./$(basename "$deb2") (upgrade)"
else
    sed 's/^/      /' "$tmp/upgrade.log" | tail -20
    fail "apt-get install ./$(basename "$deb2") (upgrade)"
fi
check "installed: $version2" is "install ok installed $version2" package_status
env_as_edited() { inside cat "$env_file" | cmp -s - "$tmp/env.edited"; }
env_kept() { env_as_edited && not_exists "$env_file.dpkg-dist" && not_exists "$env_file.dpkg-new"; }
check "the edited env file is kept, without a .dpkg-dist or .dpkg-new beside it" env_kept
restarted() {
    local pid
    wait_for 30 is_state active/running && pid=$(prop MainPID) && [ "$pid" != 0 ] && [ "$pid" != "$main_pid" ]
}
check "the service was restarted (a new main process) and is active (running)" restarted
check "still enabled" is enabled inside systemctl is-enabled "$unit"
cli persona add --role developer --name Robbo >/dev/null || fail "persona add after the upgrade"
check "still in step: a persona added after the upgrade gets its directory" \
    wait_for 30 exists "$tree/developer-robbo-2/identity.yaml"
check "still in step: drift reports nothing (exit 0)" \
    inside runuser -u persona-registry -- env DATABASE_URL="$service_url" PERSONA_DATA_DIR="$tree" persona-registry drift

# ---- remove, purge --------------------------------------------------------------------------
if apt_inside remove persona-registry >"$tmp/remove.log" 2>&1; then
    pass "apt-get remove persona-registry"
else
    sed 's/^/      /' "$tmp/remove.log" | tail -20
    fail "apt-get remove persona-registry"
fi
stopped() { [ "$(prop ActiveState)" = inactive ] && ! inside pgrep -u persona-registry >/dev/null; }
check "removed: the service is stopped" stopped
check "removed: the binary is gone" not_exists /usr/bin/persona-registry
check "removed: dpkg keeps the package's config files" is "deinstall ok config-files $version2" package_status
check "removed: the env file stays as edited" env_as_edited
check "removed: the tree stays" exists "$tree/developer-robbo-2/skill.md"
if apt_inside purge persona-registry >"$tmp/purge.log" 2>&1; then
    pass "apt-get purge persona-registry"
else
    sed 's/^/      /' "$tmp/purge.log" | tail -20
    fail "apt-get purge persona-registry"
fi
check "purged: the env file is gone" not_exists "$env_file"
purged() { ! package_status | grep -qE 'config-files|ok installed'; }
check "purged: dpkg keeps nothing of the package" purged
check "purged: no enablement symlink is left" not_exists "/etc/systemd/system/multi-user.target.wants/$unit"
tree_stays() { exists "$tree/developer-con-1/identity.yaml" && exists "$tree/developer-robbo-2/experience.md"; }
check "purged: the tree (the operator's data) stays" tree_stays

finish
