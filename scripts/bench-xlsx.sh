#!/usr/bin/env bash
# Benchmarks `zizhu validate` on a 1,000,000-row, 12-column .xlsx beside fastexcel (calamine) and
# openpyxl (read-only) loading the same file, in the same run (issue 14).
#
#  1. makes bench/out/roster-1m.xlsx once (cached; bench/out is git-ignored) from `zizhu sample`'s
#     finance roster with bench/xlsx_make.py: shared strings and date cells, as Excel writes it;
#  2. installs fastexcel and openpyxl into the venv bench/out/venv when missing (PyPI);
#  3. times each once (BENCH_XLSX_RUNS, default 1: the file is big and the machine busy), with peak
#     RSS from /usr/bin/time -v: zizhu validate --schema roster FILE --out DIR (the whole job: past
#     100,000 rows it writes cleaned.csv without cleaned.xlsx), fastexcel load_sheet(0), openpyxl
#     iter_rows;
#  4. prints seconds, peak MB and zizhu's time over fastexcel's, against the targets
#     (≤ fastexcel's plain load, peak < 300 MB).
#
# Environment: ZIZHU (a zizhu binary; else a release build), BENCH_XLSX_ROWS (1000000),
# BENCH_XLSX_RUNS (1), BENCH_XLSX_SKIP (tools to leave out, e.g. "openpyxl").
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=bench/out
ROWS=${BENCH_XLSX_ROWS:-1000000}
RUNS=${BENCH_XLSX_RUNS:-1}
SKIP=" ${BENCH_XLSX_SKIP:-} "
mkdir -p "$OUT"
BENCH_NAME=bench-xlsx
. scripts/bench-lib.sh

missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-venv)
install_missing "${missing[@]}"
use_zizhu

# ---------------------------------------------------------------- 1. the workbook
XLSX=$OUT/roster-$ROWS.xlsx
if [ -f "$XLSX" ]; then
  say "reusing $XLSX"
else
  CSV=$OUT/roster-utf8.csv
  if [ ! -f "$CSV" ] || [ $(( $(wc -l < "$CSV") - 1 )) -lt "$ROWS" ]; then
    say "generating $ROWS students with zizhu sample"
    rm -rf "$OUT/sample-xlsx"
    "$ZIZHU" sample --out "$OUT/sample-xlsx" --students "$ROWS" --seed 1 --quiet >&2 || die "zizhu sample failed"
    gzip -dc "$OUT/sample-xlsx/finance/roster.csv.gz" > "$CSV" || die "cannot decompress the roster"
    rm -rf "$OUT/sample-xlsx"
  fi
  say "writing $XLSX (shared strings, date cells)"
  python3 bench/xlsx_make.py "$CSV" "$XLSX.tmp" "$ROWS" > /dev/null || die "bench/xlsx_make.py failed"
  mv "$XLSX.tmp" "$XLSX"
fi
XLSX_MB=$(awk -v b="$(stat -c %s "$XLSX")" 'BEGIN { printf "%.1f", b / 1e6 }')

# ---------------------------------------------------------------- 2. the Python loaders
PY=$OUT/venv/bin/python
if ! [ -x "$PY" ] || ! "$PY" -c 'import fastexcel, openpyxl, pyarrow' 2>/dev/null; then
  [ -x "$PY" ] || python3 -m venv "$OUT/venv" 2>/dev/null || { install_missing python3-venv; python3 -m venv "$OUT/venv"; } \
    || die "cannot create a Python virtual environment"
  say "pip install fastexcel pyarrow openpyxl into $OUT/venv"
  "$OUT/venv/bin/pip" install --quiet fastexcel pyarrow openpyxl || die "pip install fastexcel pyarrow openpyxl failed"
fi
FASTEXCEL_V=$("$PY" -c 'import importlib.metadata as m; print(m.version("fastexcel"))')
OPENPYXL_V=$("$PY" -c 'import importlib.metadata as m; print(m.version("openpyxl"))')

# ---------------------------------------------------------------- 3. measurements
# run NAME COMMAND… → SECS (median wall clock), PEAK (MB), output of the last run in $OUT/xlsx-NAME.out
run() {
  local name=$1; shift
  local times=() peak=0 start stop rc rss
  for _ in $(seq "$RUNS"); do
    start=$(now); rc=0
    /usr/bin/time -v -o "$OUT/xlsx-$name.time" "$@" > "$OUT/xlsx-$name.out" 2> "$OUT/xlsx-$name.err" || rc=$?
    stop=$(now)
    # zizhu exits 1 when rows are rejected or findings reported: the run itself completed.
    [ "$rc" = 0 ] || { [ "$name" = zizhu ] && [ "$rc" = 1 ]; } || { cat "$OUT/xlsx-$name.err" >&2; die "$name failed (exit $rc)"; }
    times+=("$(elapsed "$start" "$stop")")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUT/xlsx-$name.time")
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  SECS=$(median "${times[@]}")
  PEAK=$(( peak / 1024 ))
}
declare -A S P N
cat "$XLSX" > /dev/null

say "zizhu validate on $XLSX"
rm -rf "$OUT/xlsx-validate"
run zizhu "$ZIZHU" validate --schema roster "$XLSX" --out "$OUT/xlsx-validate" --quiet
S[zizhu]=$SECS; P[zizhu]=$PEAK
read_rows=$("$PY" -c 'import json,sys; print(sum(f["rows_read"] for f in json.load(open(sys.argv[1]))["files"]))' "$OUT/xlsx-validate/summary.json") \
  || die "cannot read $OUT/xlsx-validate/summary.json"
[ "$read_rows" = "$ROWS" ] || die "zizhu read $read_rows rows, expected $ROWS"
N[zizhu]="full validation, --out (rejects, cleaned.csv, summary, report)"

for tool in fastexcel openpyxl; do
  if [[ "$SKIP" == *" $tool "* ]]; then S[$tool]=n/a; P[$tool]=n/a; N[$tool]="skipped (BENCH_XLSX_SKIP)"; continue; fi
  say "$tool on $XLSX"
  run "$tool" "$PY" bench/xlsx_load.py "$tool" "$XLSX"
  read -r got inner < "$OUT/xlsx-$tool.out"
  [ "$got" = "$ROWS" ] || die "$tool loaded $got rows, expected $ROWS"
  S[$tool]=$SECS; P[$tool]=$PEAK
  N[$tool]="load only; wall clock with interpreter start-up ($inner s inside Python)"
done

# ---------------------------------------------------------------- 4. report
echo
echo "xlsx benchmark — $(date -u +%Y-%m-%d) — $(nproc) CPU ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $XLSX, $ROWS rows × 12 columns, $XLSX_MB MB (shared strings, date cells); $RUNS run(s) each, warm cache"
echo "fastexcel $FASTEXCEL_V, openpyxl $OPENPYXL_V"
echo
printf '%-10s %9s %9s  %s\n' tool seconds "peak MB" what
for tool in zizhu fastexcel openpyxl; do printf '%-10s %9s %9s  %s\n' "$tool" "${S[$tool]}" "${P[$tool]}" "${N[$tool]}"; done
echo
if [ "${S[fastexcel]}" != n/a ]; then
  awk -v z="${S[zizhu]}" -v f="${S[fastexcel]}" -v p="${P[zizhu]}" 'BEGIN {
    r = z / f
    printf "zizhu / fastexcel time: %.2f %s (target ≤ 1); zizhu peak %d MB %s (target < 300)\n", r, (r <= 1 ? "ok" : "MISS"), p, (p < 300 ? "ok" : "MISS") }'
fi
