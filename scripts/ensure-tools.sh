#!/usr/bin/env bash
# Install what the checks need and a fresh machine lacks: Chromium and a CJK font for the browser
# tests, the PostgreSQL server binaries, and Python's venv for the API fuzzing. Debian packages
# only; does nothing when all is there.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'wenquanyi\|wqy\|noto sans cjk' || need+=(fonts-wqy-microhei)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need+=(postgresql)
fi
# The API fuzzing step installs schemathesis into a virtualenv of its own.
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v node >/dev/null 2>&1 || { echo "node (>= 20.19) is required" >&2; exit 1; }
