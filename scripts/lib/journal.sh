# shellcheck shell=bash
# The unit's journal inside the booted container, for scripts/test-systemd-boot.sh (sourced, not
# run): marks in it, what came after a mark, lines in order, a reload as systemd and the daemon
# log it. Uses $unit, $tmp and scripts/lib/service.sh (inside).

# journal: the unit's journal (the daemon's lines and systemd's about it), message text only.
journal() { inside journalctl -u "$unit" -o cat --no-pager -q "$@"; }
# mark NAME: remember the journal's end; since NAME: the unit's journal after it.
mark() { inside journalctl -n 1 --show-cursor -q --no-pager -o cat | sed -n 's/^-- cursor: //p' >"$tmp/mark.$1"; }
since() { journal --after-cursor="$(cat "$tmp/mark.$1")"; }
# journal_has NAME REGEX: a line after mark NAME matches.
journal_has() { since "$1" | grep -qE -- "$2"; }
# logged NAME REGEX...: after mark NAME, lines match the regexes in order (saved in $tmp/NAME.txt).
# systemd's lines are in order among themselves and the daemon's among themselves, but the
# daemon's come through a stream and may be stored after systemd's: never mix the two in one
# call, and poll (wait_for), since the daemon's lines may come a moment later.
logged() {
    local name=$1
    shift
    since "$name" >"$tmp/$name.txt"
    in_order "$tmp/$name.txt" "$@"
}
# in_order FILE PATTERN...: each extended regex matches a line after the one the previous matched.
in_order() {
    local file=$1 k=0 line
    shift
    local patterns=("$@")
    while IFS= read -r line && [ $k -lt ${#patterns[@]} ]; do
        [[ $line =~ ${patterns[$k]} ]] && k=$((k + 1))
    done <"$file"
    [ $k -eq ${#patterns[@]} ] && return
    echo "      not found in order, from: ${patterns[$k]}"
    return 1
}
# matches REGEX COMMAND...: the command's output matches the extended regex.
matches() {
    local regex=$1 actual
    shift
    actual=$("$@")
    [[ $actual =~ $regex ]] && return
    echo "      got: $actual"
    return 1
}
# reloaded NAME: since mark NAME, the daemon's RELOADING=1, then its READY=1 taking the unit
# from reload back to running (systemd's lines, in order among themselves), and its own lines
# of the reload sweep (in order among themselves); both in $tmp/NAME.txt.
reloaded() {
    logged "$1" 'Got notification message from PID [0-9]+ \(RELOADING=1' \
        'Got notification message from PID [0-9]+ \(READY=1' 'Changed reload -> running' &&
        in_order "$tmp/$1.txt" ' event=reloading signal=SIGHUP' ' event=sweep_finished .*policy=repair'
}

