#!/usr/bin/env bash
# The layers of ARCHITECTURE.md, checked: the modules each target's sources may
# import. Package.swift keeps a target from importing a target above it; this
# also keeps out what a target could reach anyway (Glibc and Foundation are
# importable everywhere, a C module through any target that depends on it).
# RegistryCore in particular stays pure: no system calls, no libpq, no
# Foundation, only libyaml for parsing bytes. RegistryDaemon wires the layers
# below and the command line parses and prints: neither makes a system call of
# its own (no Glibc, no C module); what they need of the system is in
# RegistrySystem. The command line's JSON output alone uses Foundation's encoder
# (FoundationEssentials, JSONOutput).
#
#   scripts/check-layers.sh        exits non-zero, naming each offending import
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

declare -A allowed=(
    [RegistryCore]="CYAML"
    [RegistrySystem]="RegistryCore Glibc CSystemExtras Synchronization"
    [RegistryDatabase]="RegistryCore RegistrySystem Glibc CLibPQ"
    [RegistryTree]="RegistryCore RegistrySystem Glibc CSystemExtras Synchronization"
    [RegistryDaemon]="RegistryCore RegistrySystem RegistryDatabase RegistryTree Logging"
    [persona-registry]="RegistryCore RegistrySystem RegistryDatabase RegistryTree RegistryDaemon ArgumentParser Logging FoundationEssentials"
)

status=0
for target in "${!allowed[@]}"; do
    [ -d "Sources/$target" ] || { echo "check-layers: Sources/$target is missing" >&2; status=1; continue; }
    while IFS=: read -r file line text; do
        module=$(sed -E 's/^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*import[[:space:]]+(typealias|struct|class|enum|protocol|let|var|func)?[[:space:]]*([A-Za-z0-9_]+).*/\3/' <<<"$text")
        if ! grep -qw -- "$module" <<<"${allowed[$target]}"; then
            echo "$file:$line: $target must not import $module (allowed: ${allowed[$target]})" >&2
            status=1
        fi
    done < <(grep -rnE '^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*import[[:space:]]' --include='*.swift' "Sources/$target" || true)
done
[ $status -eq 0 ] && echo "check-layers: every target imports only what its layer allows"
exit $status
