# shellcheck shell=bash
# Reading and judging a systemd unit file, for scripts/test-systemd.sh (sourced, not run): its
# values, its exposure figure, systemd-analyze verify, the expansion of SystemCallFilter=, and
# memory mappings MemoryDenyWriteExecute= refuses. Uses $tmp, $max_exposure and
# scripts/lib/checks.sh.

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
