#!/usr/bin/env bash
# Installs the system packages persona-registry needs to build, test and run,
# when any is missing (Debian/Ubuntu). Safe to run again: it does nothing then.
set -euo pipefail

packages=(libpq-dev libyaml-dev postgresql python3 python3-venv)
[ "${PERSONA_REGISTRY_SETUP_EXTRA:-}" ] && read -r -a extra <<<"$PERSONA_REGISTRY_SETUP_EXTRA" && packages+=("${extra[@]}")

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
# A python3 from elsewhere (pyenv) brings its own venv module.
if command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null; then
    missing=("${missing[@]/python3-venv}")
    missing=("${missing[@]/python3}")
fi
read -r -a missing <<<"${missing[*]:-}"
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
