#!/usr/bin/env bash
# Benchmarks the run history (issue 16): a 1,000,000-student reconcile with about 100,000 findings,
# without a history, then recording into SQLite and into PostgreSQL — each store twice: a first run
# into an empty store (every finding new) and the same run again (every finding still open, the
# store holding the first). scripts/bench.sh runs it as its "history" part; it also runs alone.
#
# Every figure is measured in this one run on this one machine: these machines are noisy, so only
# ratios measured together mean anything (shared/PERFORMANCE.md).
#
#  1. installs what is missing (time, python3; postgresql for the PostgreSQL part), builds zizhu
#     (release) unless ZIZHU names a binary;
#  2. generates (or reuses, BENCH_REUSE=1) the reconcile bench's sample — `zizhu sample --students
#     1000000 --seed 1 --grant-share 100` in bench/out/sample — and derives from its 建设银行 file a
#     copy with findings (bench/findings_ledger.py: of every six payments one left out, two failed:
#     about 50,000 R01 and 50,000 R10);
#  3. the configurations take turns, run after run (BENCH_RUNS, default 3): no history; SQLite into
#     a new store, then again into it; PostgreSQL (a throw-away cluster from scripts/pg-cluster.sh,
#     a schema per run) the same — wall time (median), CPU and peak memory of each;
#  4. prints each against the run without a history; the target: a run with a history at most 10 %
#     slower. A missed target is reported, not an error; a failing step is an error (non-zero exit).
#     Every run's discrepancies.csv holds the same findings (checked, without the history columns).
#
# Environment: BENCH_STUDENTS (1000000), BENCH_RUNS (3), ZIZHU, BENCH_REUSE=1, BENCH_POSTGRES=0 (skip
# the PostgreSQL part).
set -euo pipefail
cd "$(dirname "$0")/.."

STUDENTS=${BENCH_STUDENTS:-1000000}
RUNS=${BENCH_RUNS:-3}
OUT=bench/out
SAMPLE=$OUT/sample
WORK=$OUT/history
mkdir -p "$OUT"

BENCH_NAME=bench-history
. scripts/bench-lib.sh

# ---------------------------------------------------------------- 1. tools
missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
install_missing "${missing[@]}"
use_zizhu
PYTHON=python3

# ---------------------------------------------------------------- 2. data
use_sample "$SAMPLE" --students "$STUDENTS" --seed 1 --grant-share 100
F=$SAMPLE/finance
for f in ledger-ccb.csv ledger-icbc.csv.gz ledger-abc.zip; do
  [ -f "$F/$f" ] || die "the sample has no $F/$f"
done
rm -rf "$WORK" && mkdir -p "$WORK"
read -r DROPPED FAILED _ < <($PYTHON bench/findings_ledger.py "$F/ledger-ccb.csv" "$WORK/ledger-ccb-findings.csv") \
  || die "cannot derive the ledger with findings"
say "ledger with findings: $DROPPED payments left out, $FAILED marked failed"

# ---------------------------------------------------------------- PostgreSQL (optional)
PG=0
if [ "${BENCH_POSTGRES:-1}" != 0 ]; then
  export ZIZHU_PG_DIR=${TMPDIR:-/tmp}/zizhu-pg-bench-$(printf '%s' "$(pwd -P)" | sha1sum | cut -c1-10)
  if scripts/pg-cluster.sh start > "$WORK/pg.url" 2> "$WORK/pg.err"; then
    PG_URL=$(sed -n 's/^ZIZHU_TEST_POSTGRES_URL=//p' "$WORK/pg.url" | tail -n 1)
    [ -n "$PG_URL" ] && PG=1
  fi
  if [ "$PG" = 1 ]; then
    trap 'scripts/pg-cluster.sh stop >/dev/null 2>&1 || true' EXIT
  else
    say "PostgreSQL part skipped: the cluster did not start ($(tail -n 1 "$WORK/pg.err"))"
  fi
fi
export ZIZHU_HISTORY_SECRET=$WORK/pg.secret

# ---------------------------------------------------------------- 3. measurements
CONFIGS=(none sqlite-new sqlite-again)
[ "$PG" = 1 ] && CONFIGS+=(postgres-new postgres-again)
declare -A TIMES CPU PEAK
for c in "${CONFIGS[@]}"; do TIMES[$c]=""; CPU[$c]=""; PEAK[$c]=0; done

# run CONFIG RUN: one reconcile; its wall seconds, CPU seconds and peak RSS (KB) into the tables.
run() {
  local config=$1 n=$2 history=()
  case $config in
    sqlite-*) history=(--history "$WORK/history-$n.db") ;;
    postgres-*) history=(--history "$PG_URL?schema=bench_run_$n") ;;
  esac
  rm -rf "$WORK/out-$config"
  local rc=0 start stop
  start=$(now)
  /usr/bin/time -f '%M %U %S' -o "$WORK/time" "$ZIZHU" reconcile --term 2023-fall \
    --approved "$F/approved.csv" --ledger "$F/ledger-abc.zip" "$F/ledger-icbc.csv.gz" "$WORK/ledger-ccb-findings.csv" \
    --roster "$F/roster.csv.gz" --allocations "$F/allocations.csv" "${history[@]}" \
    --out "$WORK/out-$config" --quiet > "$WORK/zizhu.out" 2> "$WORK/zizhu.err" || rc=$?
  stop=$(now)
  if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then cat "$WORK/zizhu.err" >&2; die "zizhu reconcile ($config) failed (exit $rc)"; fi
  local rss user sys
  read -r rss user sys < <(tail -n 1 "$WORK/time")
  TIMES[$config]+="$(elapsed "$start" "$stop") "
  CPU[$config]+="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') "
  [ "$rss" -gt "${PEAK[$config]}" ] && PEAK[$config]=$rss
  # The same findings with and without a history (the history adds columns after the contract's).
  $PYTHON - "$WORK/out-$config/discrepancies.csv" > "$WORK/findings-$config.sha" <<'PY' || die "cannot read $config's discrepancies.csv"
import csv, hashlib, sys
digest = hashlib.sha256()
with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
    for row in csv.reader(handle):
        digest.update("\x1f".join(row[:11]).encode() + b"\n")
print(digest.hexdigest())
PY
  return 0
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for f in "$F"/* "$WORK/ledger-ccb-findings.csv"; do [ -f "$f" ] && cat "$f" > /dev/null; done   # warm the page cache
for n in $(seq "$RUNS"); do
  rm -f "$WORK/history-$n.db" "$WORK/history-$n.db.secret"
  for c in "${CONFIGS[@]}"; do
    say "run $n of $RUNS: $c"
    run "$c" "$n"
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
for c in "${CONFIGS[@]}"; do
  cmp -s "$WORK/findings-none.sha" "$WORK/findings-$c.sha" || die "$c wrote other findings than the run without a history"
done
FINDINGS=$(( $(wc -l < "$WORK/out-none/discrepancies.csv") - 1 ))

# ---------------------------------------------------------------- 4. report
BASE=$(median ${TIMES[none]})
echo
echo "history: zizhu reconcile, $STUDENTS students, $FINDINGS findings (median of $RUNS runs; load $LOAD_BEFORE → $LOAD_AFTER)"
printf '  %-16s %9s %9s %9s %9s\n' configuration wall/s cpu/s peak/MB "vs none"
for c in "${CONFIGS[@]}"; do
  t=$(median ${TIMES[$c]})
  printf '  %-16s %9s %9s %9s %8s×\n' "$c" "$t" "$(median ${CPU[$c]})" "$(( PEAK[$c] / 1024 ))" \
    "$(awk -v a="$t" -v b="$BASE" 'BEGIN { printf "%.3f", a / b }')"
done
[ "$PG" = 1 ] || echo "  (PostgreSQL not measured: see above)"
for c in "${CONFIGS[@]}"; do
  [ "$c" = none ] && continue
  t=$(median ${TIMES[$c]})
  if awk -v a="$t" -v b="$BASE" 'BEGIN { exit !(a <= 1.10 * b) }'; then
    echo "  target met: $c within 10 % of the run without a history"
  else
    echo "  TARGET MISSED: $c more than 10 % slower than the run without a history"
  fi
done
