# Sourced by the test scripts (test-systemd.sh, test-systemd-boot.sh, test-deb.sh,
# test-hosts.sh): one line per check, "N passed, N failed" last, as CI reads it.
# A script may redefine `check_suffix` to append something to every PASS/FAIL line.

passed=0
failed=0
check_suffix() { :; }
pass() { passed=$((passed + 1)); echo "PASS  $*$(check_suffix)"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*$(check_suffix)"; }
note() { echo "      $*"; }
# check DESCRIPTION COMMAND...: pass when the command succeeds.
check() {
    local description=$1; shift
    if "$@"; then pass "$description"; else fail "$description"; fi
}
# is EXPECTED COMMAND...: the command prints exactly EXPECTED.
is() {
    local expected=$1 actual
    shift
    actual=$("$@")
    [ "$actual" = "$expected" ] && return
    echo "      got: $actual"
    return 1
}
# The closing line; the exit status is non-zero when any check failed.
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}
# install_missing [--recommends] PACKAGE...: installs them with apt-get (with their recommended
# packages when asked), if any; when that fails, the run ends with a failed check (a missing tool
# is never a silent skip).
install_missing() {
    local recommends=--no-install-recommends
    if [ "${1:-}" = --recommends ]; then recommends=; shift; fi
    [ $# -gt 0 ] || return 0
    echo "installing: $*"
    # shellcheck disable=SC2086 # $recommends is one option or none
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $recommends "$@"; } >/dev/null ||
        { fail "apt-get install $*"; finish; }
}
# wait_for SECONDS COMMAND...: poll COMMAND until it succeeds or the deadline passes (what it
# prints is shown only for the last, failed try).
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null; do
        [ $SECONDS -lt $deadline ] || { "$@"; return 1; }
        sleep 0.05
    done
}
# not COMMAND...: the command fails.
not() { ! "$@"; }
