#!/usr/bin/env bash
# Installs what only the tests need, when missing: the editors the plugin tests drive (neovim, emacs-nox,
# and Emacs's package-lint, which the Emacs package is checked with) and chromium (the trajectory viewer's test renders the page headless). Best effort: when a package
# cannot be installed, the tests that need it skip and say why.
set -uo pipefail

declare -A command_of=([neovim]=nvim [emacs-nox]=emacs [chromium]=chromium)
missing=()
for package in neovim emacs-nox chromium; do
  command -v "${command_of[$package]}" >/dev/null 2>&1 || missing+=("$package")
done
dpkg-query -W -f='${Status}' elpa-package-lint 2>/dev/null | grep -q "install ok installed" || missing+=(elpa-package-lint)
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-test-deps: not root and no sudo: ${missing[*]} not installed; their tests will skip" >&2; exit 0; }
  sudo="sudo"
fi
echo "install-test-deps: installing ${missing[*]}" >&2
if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
  echo "install-test-deps: apt-get could not install ${missing[*]}; their tests will skip" >&2
fi
exit 0
