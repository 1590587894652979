#!/usr/bin/env bash
# Install or uninstall persona-registry (called by `make install` / `make uninstall`).
#
#   scripts/install.sh install     # needs a release build: `make build`
#   scripts/install.sh uninstall
#
# Variables (environment):
#   PREFIX          install prefix, default /usr/local
#   DESTDIR         staging root prepended to every path (packaging), default empty
#   SYSTEMDUNITDIR  unit directory, default $PREFIX/lib/systemd/system (in systemd's search path
#                   for /usr and /usr/local; use /etc/systemd/system for other prefixes)
#   SYSUSERSDIR     sysusers.d directory, default $PREFIX/lib/sysusers.d
#   ZSHCOMPDIR      zsh completions, default $PREFIX/share/zsh/site-functions (Debian's zsh
#                   reads packages' from /usr/share/zsh/vendor-completions)
#   BIN             the binary to install, default .build/release/persona-registry
#
# Layout (the binary carries its migrations and seed templates; the .sql files are installed
# for a DBA or dbmate, not read by the binary):
#   $PREFIX/bin/persona-registry                                   0755
#   $PREFIX/share/persona-registry/migrations/*.sql                0644
#   $PREFIX/share/persona-registry/migrations/headspace/*.sql      0644  (the host's layout)
#   $PREFIX/share/persona-registry/install-manifest                0644  (what install put there)
#   $SYSTEMDUNITDIR/persona-registry.service                       0644  (ExecStart = $PREFIX/bin/...)
#   $SYSUSERSDIR/persona-registry.conf                             0644
#   $PREFIX/share/doc/persona-registry/persona-registry.env.example 0644
#   $PREFIX/share/bash-completion/completions/persona-registry      0644
#   $PREFIX/share/zsh/site-functions/_persona-registry             0644
#   $PREFIX/share/fish/vendor_completions.d/persona-registry.fish  0644
#   $PREFIX/share/man/man1/persona-registry.1                      0644  (man/persona-registry.1)
#   $PREFIX/share/man/man5/persona-registry.env.5                  0644  (man/persona-registry.env.5)
#   $PREFIX/share/man/man8/persona-registry-serve.8                0644  (man/persona-registry-serve.8)
#
# Uninstall removes exactly the files listed in the manifest (every install adds to it), then
# the manifest, then the directories install created, each only if it is empty. It never
# touches the tree, /etc/persona-registry/env, the service user or the database.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
BIN=${BIN:-$here/.build/release/persona-registry}

die() { echo "install.sh: $*" >&2; exit 1; }

# Paths go into sed replacements and a line-based manifest: allow only plain characters.
check_path() { # name value
    case $2 in
    /*) ;;
    *) die "$1 must be an absolute path, got '$2'" ;;
    esac
    [[ $2 =~ ^[A-Za-z0-9._/+@-]+$ ]] || die "$1 may hold only letters, digits and . _ / + @ -, got '$2'"
    [[ /$2/ != */../* ]] || die "$1 must not contain '..', got '$2'"
}
check_path PREFIX "$PREFIX"
[ -z "$DESTDIR" ] || check_path DESTDIR "$DESTDIR"
prefix=${PREFIX%/}   # empty for PREFIX=/
DESTDIR=${DESTDIR%/}
SYSTEMDUNITDIR=${SYSTEMDUNITDIR:-$prefix/lib/systemd/system}
SYSUSERSDIR=${SYSUSERSDIR:-$prefix/lib/sysusers.d}
ZSHCOMPDIR=${ZSHCOMPDIR:-$prefix/share/zsh/site-functions}
check_path SYSTEMDUNITDIR "$SYSTEMDUNITDIR"
check_path SYSUSERSDIR "$SYSUSERSDIR"
check_path ZSHCOMPDIR "$ZSHCOMPDIR"
SYSTEMDUNITDIR=${SYSTEMDUNITDIR%/}
SYSUSERSDIR=${SYSUSERSDIR%/}
ZSHCOMPDIR=${ZSHCOMPDIR%/}

bindir=$prefix/bin
pkgdatadir=$prefix/share/persona-registry
docdir=$prefix/share/doc/persona-registry
bashcompdir=$prefix/share/bash-completion/completions
zshcompdir=$ZSHCOMPDIR
fishcompdir=$prefix/share/fish/vendor_completions.d
man1dir=$prefix/share/man/man1
man5dir=$prefix/share/man/man5
man8dir=$prefix/share/man/man8
manifest=$pkgdatadir/install-manifest

installed=()   # manifest entries: files, and directories (with a trailing /) install created
staging=

# make_dir DIR: create DIR (without DESTDIR) and its missing parents, remembering each one
# created so that uninstall can remove it again once it is empty.
make_dir() {
    local dir=$1 missing=()
    while [ -n "$dir" ] && [ "$dir" != / ] && [ ! -d "$DESTDIR$dir" ]; do
        missing=("$dir" "${missing[@]}")
        dir=$(dirname "$dir")
    done
    for dir in "${missing[@]}"; do
        install -d -m 0755 "$DESTDIR$dir"
        installed+=("$dir/")
    done
}

# put MODE SOURCE TARGET: install one file (TARGET without DESTDIR) and remember it.
put() {
    local mode=$1 source=$2 target=$3
    make_dir "$(dirname "$target")"
    install -m "$mode" "$source" "$DESTDIR$target"
    installed+=("$target")
    echo "installed $DESTDIR$target"
}

# completion SHELL FILE: generate a completion script with swift-argument-parser and check it
# is one (a binary without the real CLI would print something else with exit status 0).
completion() {
    local shell=$1 file=$2 marker
    case $shell in
    bash) marker="^complete .*-F [_a-zA-Z-]+ persona-registry\$" ;;
    zsh) marker='^#compdef persona-registry' ;;
    fish) marker="^complete -c '?persona-registry'? " ;;
    esac
    # A completion script is sourced, never run: drop the #! line the generator starts with.
    "$BIN" --generate-completion-script "$shell" >"$file.raw" ||
        die "$BIN --generate-completion-script $shell failed"
    sed -e '1{/^#!/d}' "$file.raw" >"$file"
    grep -qE -- "$marker" "$file" ||
        die "$BIN --generate-completion-script $shell did not print a $shell completion script"
}

do_install() {
    [ -x "$BIN" ] || die "no release binary at $BIN: run 'make build' first"
    if readelf -d "$BIN" 2>/dev/null | grep -q 'NEEDED.*libswiftCore'; then
        echo "install.sh: warning: $BIN loads the Swift runtime from the toolchain;" \
            "'make build' links it in statically so the binary runs without one" >&2
    fi
    staging=$(mktemp -d)
    trap 'rm -rf "$staging"' EXIT

    # Everything generated first, so a failure leaves nothing half-installed.
    completion bash "$staging/bash"
    completion zsh "$staging/zsh"
    completion fish "$staging/fish"
    sed -e "s|^\(Exec[A-Za-z]*\)=/usr/local/bin/persona-registry |\1=$bindir/persona-registry |" \
        "$here/systemd/persona-registry.service" >"$staging/persona-registry.service"
    grep -qx "ExecStart=$bindir/persona-registry serve" "$staging/persona-registry.service" ||
        die "systemd/persona-registry.service has no 'ExecStart=/usr/local/bin/persona-registry serve' line to rewrite"
    grep -qx "ExecReload=$bindir/persona-registry reload --pid \$MAINPID" "$staging/persona-registry.service" ||
        die "systemd/persona-registry.service has no 'ExecReload=/usr/local/bin/persona-registry reload --pid \$MAINPID' line to rewrite"

    put 0755 "$BIN" "$bindir/persona-registry"
    local file
    for file in "$here"/migrations/*.sql "$here"/migrations/headspace/*.sql; do
        put 0644 "$file" "$pkgdatadir/${file#"$here"/}"
    done
    put 0644 "$staging/persona-registry.service" "$SYSTEMDUNITDIR/persona-registry.service"
    put 0644 "$here/systemd/persona-registry.sysusers" "$SYSUSERSDIR/persona-registry.conf"
    put 0644 "$here/systemd/persona-registry.env.example" "$docdir/persona-registry.env.example"
    put 0644 "$staging/bash" "$bashcompdir/persona-registry"
    put 0644 "$staging/zsh" "$zshcompdir/_persona-registry"
    put 0644 "$staging/fish" "$fishcompdir/persona-registry.fish"
    put 0644 "$here/man/persona-registry.1" "$man1dir/persona-registry.1"
    put 0644 "$here/man/persona-registry.env.5" "$man5dir/persona-registry.env.5"
    put 0644 "$here/man/persona-registry-serve.8" "$man8dir/persona-registry-serve.8"

    # The manifest keeps what earlier installs put there too, so uninstall after an upgrade
    # also removes files the newer version no longer ships.
    {
        [ -f "$DESTDIR$manifest" ] && cat "$DESTDIR$manifest"
        printf '%s\n' "${installed[@]}"
    } | grep -v '^$' | sort -u >"$staging/manifest"
    install -m 0644 "$staging/manifest" "$DESTDIR$manifest"
    echo "installed $DESTDIR$manifest"
}

do_uninstall() {
    if [ ! -f "$DESTDIR$manifest" ]; then
        die "nothing to uninstall: no install manifest at $DESTDIR$manifest"
    fi
    local path files=() dirs=()
    while IFS= read -r path; do
        [ -n "$path" ] || continue
        # Only absolute plain paths, as install writes them; anything else is not ours.
        [[ $path =~ ^/[A-Za-z0-9._/+@-]+$ && /$path/ != */../* ]] ||
            die "refusing manifest entry '$path'"
        # The operator's settings and the tree are never the package's, whatever the manifest says.
        case $path in
        /etc/persona-registry/* | /var/lib/persona-registry/* | */data/personas/*)
            die "refusing manifest entry '$path': settings and the tree are never uninstalled" ;;
        esac
        case $path in
        */) dirs+=("${path%/}") ;;
        *) files+=("$path") ;;
        esac
    done <"$DESTDIR$manifest"
    for path in "${files[@]}"; do
        if [ -f "$DESTDIR$path" ] || [ -L "$DESTDIR$path" ]; then
            rm -f -- "$DESTDIR$path"
            echo "removed $DESTDIR$path"
        fi
    done
    rm -f -- "$DESTDIR$manifest"
    echo "removed $DESTDIR$manifest"
    # Directories install created, deepest first, and only when nothing else is in them.
    while IFS= read -r path; do
        [ -n "$path" ] || continue
        if [ -d "$DESTDIR$path" ] && [ ! -L "$DESTDIR$path" ] && rmdir -- "$DESTDIR$path" 2>/dev/null; then
            echo "removed $DESTDIR$path/"
        fi
    done < <(printf '%s\n' "${dirs[@]}" | awk -F/ '{ print NF "\t" $0 }' | sort -rn | cut -f2-)
}

case ${1:-} in
install) do_install ;;
uninstall) do_uninstall ;;
*) die "usage: scripts/install.sh install|uninstall" ;;
esac
