#!/usr/bin/env bash
# Installs the system packages persona-registry needs to build, test and run,
# when any is missing (Debian/Ubuntu). Safe to run again: it does nothing then.
set -euo pipefail

packages=(libpq-dev libyaml-dev postgresql)
if [ -n "${PERSONA_REGISTRY_SETUP_EXTRA:-}" ]; then
    read -r -a extra <<<"$PERSONA_REGISTRY_SETUP_EXTRA"
    packages+=("${extra[@]}")
fi
# The host-integration tests need a Python 3 with venv (a pyenv one has it built in).
if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    packages+=(python3 python3-venv)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
