#!/usr/bin/env bash
# Installs the system packages rlmd needs to build and test, if any are missing.
# Swift 6.3 itself is a prerequisite (https://www.swift.org/install/linux/).
set -euo pipefail

# libcurl4-openssl-dev: release builds link the Swift runtime (and URLSession's libcurl) statically.
# bubblewrap: the REPL sandbox (without it the REPL runs with weaker isolation and says so).
packages=(libsqlite3-dev git libcurl4-openssl-dev bubblewrap)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ! command -v swift >/dev/null 2>&1; then
  echo "install-deps: swift is not on PATH; install Swift 6.3 first (https://www.swift.org/install/linux/)" >&2
  exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
