#!/usr/bin/env bash
# Screenshots of the workbench's pages (make screenshots): starts `zizhu serve` on loopback with a
# fresh data folder, walks the sample through it with curl as each role would — a school uploads
# and its principal submits, the finance office reconciles, the province merges — saves each page's
# HTML and has headless Chromium photograph it (PNG). The pages carry their CSS inline and no
# script, so a saved page looks as served. Stops the server it started; every wait is bounded.
# The server is started and stopped by scripts/serve-lib.sh (shared with serve-browser-test.sh).
# Usage: scripts/serve-screenshots.sh ZIZHU_BINARY OUT_DIR
set -euo pipefail
zizhu=${1:-.build/debug/zizhu}
out=${2:-screenshots/serve}
port=${SERVE_SCREENSHOT_PORT:-18473}
[ -x "$zizhu" ] || { echo "serve-screenshots: no zizhu binary at $zizhu" >&2; exit 2; }
command -v chromium >/dev/null || { echo "serve-screenshots: skipped (no chromium; apt-get install chromium)" >&2; exit 0; }
command -v curl >/dev/null || { echo "serve-screenshots: skipped (no curl)" >&2; exit 0; }

mkdir -p "$out"
password="screenshot-password-1"
school=3701J001
. "$(dirname "$0")/serve-lib.sh"
serve_start "$zizhu" "$port" "$password" "demo-school school $school" "demo-principal principal $school" \
  "demo-finance finance 370100" "demo-city city 370100" "demo-province province 370000"
work=$serve_work
base=$serve_base

csrf_of() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1; }

# sign_in NAME: a cookie jar at $work/NAME.jar; prints the session's CSRF token.
sign_in() {
  local jar="$work/$1.jar" token
  token=$(curl -fs -c "$jar" "$base/login" | csrf_of)
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "name=$1" \
    --data-urlencode "password=$password" "$base/login"
  curl -fs -b "$jar" "$base/" -L | csrf_of
}

# wait_done URL NAME: until the job page no longer refreshes itself (bounded: 60 s).
wait_done() {
  for _ in $(seq 1 120); do
    curl -fs -b "$work/$2.jar" "$base$1" | grep -q 'http-equiv="refresh"' || return 0
    sleep 0.5
  done
  echo "serve-screenshots: $1 did not finish in 60 s" >&2
  return 1
}

# shot NAME URL ACCOUNT: the page's HTML, then a PNG of it.
shot() {
  local html="$work/$1.html"
  curl -fs -b "$work/$3.jar" "$base$2" >"$html"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,900 \
    --screenshot="$out/$1.png" "file://$html" >/dev/null 2>&1
  echo "   $out/$1.png"
}

location() { sed -n 's/^[Ll]ocation: \([^[:space:]]*\).*/\1/p'; }

csrf=$(sign_in demo-school)
job=$(curl -fs -b "$work/demo-school.jar" -D - -o /dev/null -F "csrf=$csrf" -F term=2023-fall \
  -F "roster=@sample-data/city/370100/$school/roster.csv" -F "applications=@sample-data/city/370100/$school/applications.csv" \
  "$base/schools/$school/uploads" | location)
wait_done "$job" demo-school
csrf=$(sign_in demo-principal)
curl -fs -b "$work/demo-principal.jar" -o /dev/null --data-urlencode "csrf=$csrf" "$base$job/submit"

csrf=$(sign_in demo-finance)
f=sample-data/finance
reconcile=$(curl -fs -b "$work/demo-finance.jar" -D - -o /dev/null -F "csrf=$csrf" -F term=2023-fall -F "approved=@$f/approved.csv" \
  -F "ledger=@$f/ledger-ccb.csv" -F "ledger=@$f/ledger-icbc.csv.gz" -F "roster=@$f/roster.csv.gz" -F "allocations=@$f/allocations.csv" \
  "$base/finance/uploads" | location)
wait_done "$reconcile" demo-finance

csrf=$(sign_in demo-province)
merge=$(curl -fs -b "$work/demo-province.jar" -D - -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode term=2023-fall \
  "$base/regions/370000/merges" | location)
wait_done "$merge" demo-province
sign_in demo-city >/dev/null

echo "== the workbench's pages"
shot serve-finance /finance demo-finance
shot serve-finance-run "$reconcile" demo-finance
shot serve-province /province demo-province
shot serve-city /cities/370100 demo-city
shot serve-merge "$merge" demo-province
shot serve-tokens /account/tokens demo-city
