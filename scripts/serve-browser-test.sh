#!/usr/bin/env bash
# The browser test of `zizhu serve`: real headless Chromium (Debian chromium + chromium-driver),
# driven by Selenium from PyPI, installed by this script into a venv under .build/. Starts the
# server on loopback with a fresh data folder and the demo accounts, runs
# Tests/browser/serve_browser_test.py, stops the server. Skips (exit 0, with the reason) when
# Chromium, its driver or Selenium cannot be had. Every wait is bounded.
# The server is started and stopped by scripts/serve-lib.sh (shared with serve-screenshots.sh).
# Usage: scripts/serve-browser-test.sh [ZIZHU_BINARY]
set -euo pipefail
zizhu=${1:-.build/debug/zizhu}
port=${SERVE_BROWSER_PORT:-18474}
[ -x "$zizhu" ] || { echo "serve-browser-test: no zizhu binary at $zizhu (run make build)" >&2; exit 2; }
skip() { echo "serve-browser-test: skipped: $*"; exit 0; }

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 || true
  fi
fi
command -v chromium >/dev/null || skip "no chromium (apt-get install chromium)"
command -v chromedriver >/dev/null || skip "no chromedriver (apt-get install chromium-driver)"
venv=.build/selenium-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import selenium' 2>/dev/null; then
  python3 -m venv "$venv" >/dev/null 2>&1 || skip "python3 -m venv failed (apt-get install python3-venv)"
  "$venv/bin/pip" install -q selenium >/dev/null 2>&1 || skip "selenium could not be installed from PyPI"
fi

. "$(dirname "$0")/serve-lib.sh"
password="browser-test-password-1"
serve_start "$zizhu" "$port" "$password" \
  "demo-school school 3701J001" "demo-principal principal 3701J001" "demo-province province 370000"
work=$serve_work
mkdir -p "$work/downloads"
"$venv/bin/python" Tests/browser/serve_browser_test.py "$serve_base" "$password" \
  "$PWD/sample-data/city/370100/3701J001" "$work/downloads"
