#!/usr/bin/env bash
# The size rules of ARCHITECTURE.md, checked: no source or test file over 200 lines,
# no type of the sources (its declaration and its extensions) spread over more than
# three files, so that a type is read in one sitting and a file holds one concept, and
# no shell script over 300 lines (scripts/ and debian/: every *.sh, every file with a
# shell #! line, every sourced file marked `# shellcheck shell=`); a long one is split
# by concern into sourced files in scripts/lib/.
#
#   scripts/check-sizes.sh        exits non-zero, naming each file or type too large
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

max_lines=200
max_files=3
max_script_lines=300
status=0
while read -r lines file; do
    [ "$file" = total ] && continue
    if [ "$lines" -gt "$max_lines" ]; then
        echo "$file: $lines lines (at most $max_lines)" >&2
        status=1
    fi
done < <(find Sources Plugins Tests -name '*.swift' -print0 | xargs -0 wc -l)

# Shell scripts, found by name or by their first line (scripts/test, scripts/run, ... have
# no .sh).
is_shell_script() {
    case $1 in *.sh) return 0 ;; esac
    head -n 1 "$1" | grep -qE '^#!.*[/ ](ba|da|z)?sh( |$)|^# shellcheck shell='
}
while IFS= read -r -d '' file; do
    is_shell_script "$file" || continue
    lines=$(wc -l <"$file")
    if [ "$lines" -gt "$max_script_lines" ]; then
        echo "$file: $lines lines (a shell script: at most $max_script_lines)" >&2
        status=1
    fi
done < <(find scripts debian -type f -print0)

# Each file's top-level declarations and extensions, by type name (nested types are
# part of their enclosing type's file count only through that type's extensions).
while read -r count type files; do
    echo "$type: declared or extended in $count files (at most $max_files):$files" >&2
    status=1
done < <(find Sources -name '*.swift' | sort | while read -r file; do
    { grep -oE '^((public|package|internal|fileprivate|private|final|indirect) +)*(extension|class|struct|enum|protocol|actor) +[A-Za-z_][A-Za-z0-9_]*' "$file" || true; } |
        awk '{print $NF}' | sort -u | sed "s|\$| $file|"
done | awk -v max="$max_files" '{count[$1]++; files[$1] = files[$1] " " $2} END {for (t in count) if (count[t] > max) print count[t], t, files[t]}')

[ $status -eq 0 ] && echo "check-sizes: no source or test file over $max_lines lines, no type over $max_files files, no shell script over $max_script_lines lines"
exit $status
