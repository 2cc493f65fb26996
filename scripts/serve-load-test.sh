#!/usr/bin/env bash
# `make serve-load-test`: zizhu serve on loopback under load, then killed with SIGKILL mid-upload.
#
#  1. 400 schools (济南市 370100, codes 3701S001…3701S400) in a temp data folder, each with a 校长用户
#     account and an API token (zizhu users add / users token), and its own package made with
#     `zizhu submit` on the sample school 3701J001's CSVs with the school code replaced (cheap: one
#     ~0.2 s run per school, no generator needed).
#  2. The server on 127.0.0.1 (a free port); all 400 packages uploaded through
#     POST /api/v1/schools/{code}/packages, CONCURRENCY at a time, within one minute; p50/p99 latency.
#  3. Checked in serve.sqlite and the blobs: every school's submission recorded exactly once, with the
#     package sent (SHA-256), none lost, none duplicated.
#  4. KILL_SCHOOLS 学校用户 accounts upload roster + applications (each queues a submit job); after
#     KILL_AFTER answers the server gets SIGKILL while uploads are in flight; it is restarted on the
#     same data folder; every upload that was answered 202 is there and intact (SHA-256 of the stored
#     blobs), and the queue finishes the jobs that were queued or running at the kill.
# Bounded: every step has a timeout and the server is stopped on exit. Not part of `make test`.
# Usage: scripts/serve-load-test.sh [ZIZHU_BINARY]   (SCHOOLS, CONCURRENCY, KILL_SCHOOLS, KILL_AFTER, KEEP=1)
set -euo pipefail
zizhu=$(realpath "${1:-.build/debug/zizhu}")
[ -x "$zizhu" ] || { echo "no zizhu binary at $zizhu (run make build)" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
client="$here/scripts/serve-load-test.py"
schools=${SCHOOLS:-400}
concurrency=${CONCURRENCY:-8}
kill_schools=${KILL_SCHOOLS:-24}
kill_after=${KILL_AFTER:-12}
sample="$here/sample-data/city/370100/3701J001"

work=$(mktemp -d /tmp/zizhu-serve-load.XXXXXX)
data="$work/data"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}
cleanup() {
  stop_server
  if [ "${KEEP:-0}" = 1 ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Starts the server on a free loopback port; sets server_pid and base.
start_server() {
  local log="$work/server-$1.log"
  "$zizhu" serve --data "$data" --listen 127.0.0.1:0 --schools "$work/schools.csv" >"$log" 2>&1 &
  server_pid=$!
  base=""
  for _ in $(seq 1 300); do
    base=$(sed -n 's/^zizhu serve: listening on \(http:[^ ]*\)\/ .*/\1/p' "$log" | head -1)
    [ -n "$base" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; echo "the server did not start" >&2; exit 1; }
    sleep 0.2
  done
  [ -n "$base" ] || { echo "the server did not say where it listens" >&2; exit 1; }
}

code_of() { printf '3701S%03d' "$1"; }

echo "== setup: $schools schools, their principals and tokens, their packages (work: $work)"
started=$(date +%s)
{ echo "school_code,school_name,city_code,city_name"
  for i in $(seq 1 "$schools"); do echo "$(code_of "$i"),负载测试学校$i,370100,济南市"; done
} >"$work/schools.csv"
make_school() {  # code → one line: code TAB token TAB package
  local code=$1 dir="$work/in/$1"
  mkdir -p "$dir"
  LC_ALL=C sed "s/3701J001/$code/g" "$sample/roster.csv" >"$dir/roster.csv"
  LC_ALL=C sed "s/3701J001/$code/g" "$sample/applications.csv" >"$dir/applications.csv"
  "$zizhu" submit --term 2023-fall --school-code "$code" --school-city 370100 --roster "$dir/roster.csv" \
    --applications "$dir/applications.csv" --out "$dir/out" --quiet >/dev/null
  "$zizhu" users add --data "$data" --role principal --scope "$code" --name "principal-$code" >/dev/null
  local token
  token=$("$zizhu" users token --data "$data" --name "principal-$code" --label load | sed -n 's/.*(shown once): //p')
  printf '%s\t%s\t%s\n' "$code" "$token" "$dir/out/${code}_2023-fall.zip"
}
export -f make_school code_of
export zizhu work data sample
# Two at a time (the machine has 2 cores); SQLite takes the writers one by one.
mkdir -p "$data"
"$zizhu" users add --data "$data" --role admin --name load-admin >/dev/null   # makes the store before the parallel writers
for i in $(seq 1 "$schools"); do code_of "$i"; echo; done | timeout 900 xargs -P 2 -I{} bash -c 'make_school {}' >"$work/schools.tsv"
[ "$(wc -l <"$work/schools.tsv")" -eq "$schools" ] || { echo "setup made $(wc -l <"$work/schools.tsv") of $schools schools" >&2; exit 1; }
echo "   setup took $(( $(date +%s) - started )) s"

echo "== upload: $schools packages, $concurrency at a time"
start_server load
status=0
timeout 300 python3 "$client" upload "$base" "$work" "$concurrency" || status=1
timeout 300 python3 "$client" check "$data" "$work" || status=1

echo "== kill -9 mid-upload: $kill_schools 学校用户 upload roster + applications; SIGKILL after $kill_after answers"
: >"$work/uploads.tsv"
for i in $(seq 1 "$kill_schools"); do
  code=$(code_of "$i")
  "$zizhu" users add --data "$data" --role school --scope "$code" --name "school-$code" >/dev/null
  token=$("$zizhu" users token --data "$data" --name "school-$code" --label load | sed -n 's/.*(shown once): //p')
  printf '%s\t%s\t%s\t%s\n' "$code" "$token" "$work/in/$code/roster.csv" "$work/in/$code/applications.csv" >>"$work/uploads.tsv"
done
timeout 300 python3 "$client" inflight "$base" "$work" 4 "$server_pid" "$kill_after" || status=1
wait "$server_pid" 2>/dev/null || true
server_pid=""
pending=$(python3 -c "import sqlite3,sys; db=sqlite3.connect('file:$data/serve.sqlite?mode=ro', uri=True); print(db.execute(\"SELECT COUNT(*) FROM jobs WHERE state IN ('queued','running')\").fetchone()[0])")
debris=$(find "$data/tmp" -name '*.part' | wc -l)
echo "   at the kill: $pending jobs queued or running, $debris half-received uploads in tmp/"
start_server restart
timeout 600 python3 "$client" recover "$base" "$data" "$work" 540 || status=1
echo "   half-received uploads left after the restart: $(find "$data/tmp" -name '*.part' | wc -l)"
stop_server
if [ "$status" = 0 ]; then echo "== serve load test: OK"; else echo "== serve load test: FAILED"; fi
exit "$status"
