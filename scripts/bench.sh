#!/usr/bin/env bash
# Benchmarks `zizhu validate` against libcsv and DuckDB on a 1,000,000-row roster.
# Then scripts/bench-reconcile.sh benchmarks `zizhu reconcile` against DuckDB on the same sample, and
# scripts/bench-submit.sh times `zizhu submit` on a 20,000-student school beside validate.
#
# Every figure is measured in this one run on this one machine: these machines are noisy, so only
# ratios measured together mean anything (shared/PERFORMANCE.md).
#
#  1. installs what is missing (libcsv-dev, zlib1g-dev, time, a C compiler; duckdb from PyPI),
#     builds zizhu (release) and bench/csvcount.c;
#  2. generates a sample with `zizhu sample --students 1000000` into bench/out/ (git-ignored) and
#     derives three variants of its roster (finance/roster.csv.gz: every student, one header):
#     UTF-8 .csv, GB18030 .csv and .csv.gz;
#  3. times each tool on each variant (median of 3 wall-clock runs, warm cache) with its peak RSS:
#     libcsv counting fields, DuckDB CREATE TABLE … read_csv(all_varchar), zizhu validate;
#  4. prints the table and zizhu against issue 17's targets: ≥ 80 % of libcsv's throughput and
#     ≤ 0.8 × DuckDB's time on the UTF-8 roster, GB18030 and gzip within 1.25 × zizhu's UTF-8 time,
#     peak RSS < 300 MB.
#
# Environment: BENCH_STUDENTS (1000000), BENCH_RUNS (3), ZIZHU (a zizhu binary to use instead of
# building .build/release/zizhu), BENCH_REUSE=1 (keep a sample already in bench/out/sample),
# BENCH_PARTS (which of "validate reconcile submit merge xlsx history" to run; all of them by default).
# Exit status: non-zero when a step fails (a missed target is reported, not an error).
set -euo pipefail
cd "$(dirname "$0")/.."

STUDENTS=${BENCH_STUDENTS:-1000000}
RUNS=${BENCH_RUNS:-3}
OUT=bench/out
SAMPLE=$OUT/sample
mkdir -p "$OUT"

PARTS=" ${BENCH_PARTS:-validate reconcile submit merge xlsx history} "
part() { [[ "$PARTS" == *" $1 "* ]]; }

BENCH_NAME=bench
. scripts/bench-lib.sh

# ---------------------------------------------------------------- 1. tools
missing=()
[ -f /usr/include/csv.h ] || missing+=(libcsv-dev)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
[ -x /usr/bin/time ] || missing+=(time)
command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v iconv >/dev/null 2>&1 || missing+=(libc-bin)
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-venv)
install_missing "${missing[@]}"
CC=$(command -v cc || command -v gcc)
use_duckdb_python
use_zizhu

say "building bench/csvcount.c against libcsv"
"$CC" -O2 -o "$OUT/csvcount" bench/csvcount.c -lcsv -lz || die "cannot build bench/csvcount.c"

if part validate; then
# ---------------------------------------------------------------- 2. data

if [ "${BENCH_REUSE:-0}" = 1 ] && [ -f "$SAMPLE/finance/roster.csv.gz" ]; then
  say "reusing $SAMPLE"
  GEN_S="(reused)"; GEN_MB="-"
else
  say "generating $STUDENTS students with zizhu sample"
  rm -rf "$SAMPLE"
  start=$(now)
  /usr/bin/time -f '%M' -o "$OUT/gen.rss" "$ZIZHU" sample --out "$SAMPLE" --students "$STUDENTS" --seed 1 --quiet >&2 \
    || die "zizhu sample failed"
  GEN_S=$(elapsed "$start" "$(now)")
  GEN_MB=$(( $(tail -n 1 "$OUT/gen.rss") / 1024 ))
  [ -f "$SAMPLE/finance/roster.csv.gz" ] \
    || die "zizhu sample wrote no $SAMPLE/finance/roster.csv.gz (is the sample command wired to SampleGenerator?)"
fi

say "deriving the roster variants"
gzip -dc "$SAMPLE/finance/roster.csv.gz" > "$OUT/roster-utf8.csv" || die "cannot decompress the roster"
iconv -f UTF-8 -t GB18030 "$OUT/roster-utf8.csv" > "$OUT/roster-gb18030.csv" || die "iconv to GB18030 failed"
gzip -6 -c "$OUT/roster-utf8.csv" > "$OUT/roster.csv.gz" || die "gzip failed"
ROWS=$(( $(wc -l < "$OUT/roster-utf8.csv") - 1 ))
[ "$ROWS" = "$STUDENTS" ] || [ "${BENCH_REUSE:-0}" = 1 ] || die "the roster has $ROWS rows, expected $STUDENTS"
CSV_BYTES=$(stat -c %s "$OUT/roster-utf8.csv")

# ---------------------------------------------------------------- 3. measurements
# measure NAME ALLOWED_EXIT_CODES COMMAND… → MED_S, PEAK_MB; output of the last run in $OUT/NAME.out
measure() {
  local name=$1 allowed=$2; shift 2
  local times=() peak=0 run rc start stop rss
  for run in $(seq "$RUNS"); do
    start=$(now)
    rc=0
    /usr/bin/time -f '%M' -o "$OUT/$name.rss" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err" || rc=$?
    stop=$(now)
    if ! [[ " $allowed " == *" $rc "* ]]; then
      cat "$OUT/$name.err" >&2
      die "$name failed (exit $rc): $*"
    fi
    times+=("$(elapsed "$start" "$stop")")
    rss=$(tail -n 1 "$OUT/$name.rss")
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  MED_S=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  PEAK_MB=$(( peak / 1024 ))
}

declare -A SECONDS_OF PEAK_OF NOTE_OF
variants=(utf8 gb18030 gz)
file_of() { case $1 in utf8) echo "$OUT/roster-utf8.csv" ;; gb18030) echo "$OUT/roster-gb18030.csv" ;; gz) echo "$OUT/roster.csv.gz" ;; esac; }

for v in "${variants[@]}"; do
  f=$(file_of "$v")
  cat "$f" > /dev/null   # warm the page cache

  say "libcsv on $v"
  enc=(); [ "$v" = gb18030 ] && enc=(GB18030)
  measure "csvcount-$v" "0" "$OUT/csvcount" "$f" "${enc[@]}"
  read -r records _ < "$OUT/csvcount-$v.out"
  [ "$records" = "$((ROWS + 1))" ] || die "libcsv counted $records records in $f, expected $((ROWS + 1))"
  SECONDS_OF[libcsv-$v]=$MED_S; PEAK_OF[libcsv-$v]=$PEAK_MB

  say "DuckDB on $v"
  enc=(); [ "$v" = gb18030 ] && enc=(gb18030)
  rc=0
  $PYTHON bench/duckdb_load.py "$f" "${enc[@]}" > "$OUT/duckdb-probe.out" 2> "$OUT/duckdb-probe.err" || rc=$?
  if [ "$rc" = 3 ]; then
    SECONDS_OF[duckdb-$v]=n/a; PEAK_OF[duckdb-$v]=n/a
    NOTE_OF[duckdb-$v]=$(head -n 1 "$OUT/duckdb-probe.err")
  elif [ "$rc" != 0 ]; then
    cat "$OUT/duckdb-probe.err" >&2; die "DuckDB failed on $f"
  else
    inner=()
    for run in $(seq "$RUNS"); do
      /usr/bin/time -f '%M' -o "$OUT/duckdb-$v.rss" $PYTHON bench/duckdb_load.py "$f" > "$OUT/duckdb-$v.out" \
        || die "DuckDB failed on $f"
      read -r count secs < "$OUT/duckdb-$v.out"
      [ "$count" = "$ROWS" ] || die "DuckDB loaded $count rows from $f, expected $ROWS"
      inner+=("$secs")
      rss=$(tail -n 1 "$OUT/duckdb-$v.rss"); [ "${PEAK_OF[duckdb-$v]:-0}" -gt "$rss" ] || PEAK_OF[duckdb-$v]=$rss
    done
    SECONDS_OF[duckdb-$v]=$(printf '%s\n' "${inner[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    PEAK_OF[duckdb-$v]=$(( PEAK_OF[duckdb-$v] / 1024 ))
  fi

  say "zizhu validate on $v"
  if "$ZIZHU" validate --help > /dev/null 2>&1; then
    rm -rf "$OUT/validate-$v"
    # Exit 1 means rejects or error findings were reported: the run itself completed.
    measure "zizhu-$v" "0 1" "$ZIZHU" validate --schema roster "$f" --out "$OUT/validate-$v" --quiet
    read_rows=$($PYTHON -c 'import json,sys; print(sum(f["rows_read"] for f in json.load(open(sys.argv[1]))["files"]))' \
      "$OUT/validate-$v/summary.json") || die "cannot read $OUT/validate-$v/summary.json"
    [ "$read_rows" = "$ROWS" ] || die "zizhu read $read_rows rows from $f, expected $ROWS"
    SECONDS_OF[zizhu-$v]=$MED_S; PEAK_OF[zizhu-$v]=$PEAK_MB
    # The check alone (no --out: every row validated, no cleaned copy written), as a clerk runs it
    # to see what is wrong; the targets were first measured this way, before cleaned.csv existed.
    say "zizhu validate (check, no --out) on $v"
    measure "zizhu-check-$v" "0 1" "$ZIZHU" validate --schema roster "$f" --quiet --lang en
    read_rows=$(awk '/^total: / { print $2 }' "$OUT/zizhu-check-$v.out")
    [ "$read_rows" = "$ROWS" ] || die "zizhu (check) read ${read_rows:-no} rows from $f, expected $ROWS"
    SECONDS_OF[check-$v]=$MED_S; PEAK_OF[check-$v]=$PEAK_MB
  else
    SECONDS_OF[zizhu-$v]=n/a; PEAK_OF[zizhu-$v]=n/a
    SECONDS_OF[check-$v]=n/a; PEAK_OF[check-$v]=n/a
    NOTE_OF[zizhu-$v]="zizhu validate is not available in $ZIZHU yet: row skipped"
    say "${NOTE_OF[zizhu-$v]}"
  fi
done

# ---------------------------------------------------------------- 4. report
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
rate() { [ "$1" = n/a ] && { echo n/a; return; }; awk -v b="$CSV_BYTES" -v s="$1" 'BEGIN { printf "%.0f", b / 1e6 / s }'; }

echo
echo "zizhu benchmark — $(date -u +%Y-%m-%d) — $(nproc) CPU ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
echo "roster: $ROWS rows, $(head -n 1 "$OUT/roster-utf8.csv" | awk -F, '{ print NF }') columns, $(mb "$CSV_BYTES") MB as UTF-8 CSV; median of $RUNS runs, warm cache"
echo "generation: zizhu sample --students $STUDENTS: $GEN_S s, peak $GEN_MB MB"
echo "MB/s = MB of UTF-8 CSV per second, for every variant (the same work in each)"
echo
printf '%-10s %-8s %9s %9s %8s %9s\n' variant tool "file MB" seconds "MB/s" "peak MB"
for v in "${variants[@]}"; do
  size=$(stat -c %s "$(file_of "$v")")
  for tool in libcsv duckdb zizhu check; do
    s=${SECONDS_OF[$tool-$v]}
    printf '%-10s %-8s %9s %9s %8s %9s\n' "$v" "$tool" "$(mb "$size")" "$s" "$(rate "$s")" "${PEAK_OF[$tool-$v]}"
  done
done
echo
echo "zizhu against issue 17's targets: on utf8 ≥ 80 % of libcsv's throughput and ≤ 0.8 × DuckDB's time;"
echo "gb18030 and gz within 1.25 × zizhu's utf8 time; peak < 300 MB (the % and DuckDB columns of the"
echo "other variants are printed for comparison, without a target):"
echo "(\"zizhu\" is validate --out DIR, writing the 193 MB cleaned.csv and the reports; \"check\" is validate"
echo "without --out: the same validation, nothing written but the lines on the terminal)"
printf '%-16s %14s %16s %16s %10s\n' variant "% of libcsv" "time / DuckDB" "time / utf8" "peak MB"
for row in zizhu check; do
U=${SECONDS_OF[$row-utf8]:-n/a}
for v in "${variants[@]}"; do
  z=${SECONDS_OF[$row-$v]} l=${SECONDS_OF[libcsv-$v]} d=${SECONDS_OF[duckdb-$v]} p=${PEAK_OF[$row-$v]}
  label="$v $row"
  if [ "$z" = n/a ]; then printf '%-16s %14s %16s %16s %10s\n' "$label" n/a n/a n/a n/a; continue; fi
  if [ "$v" = utf8 ]; then
    pct=$(awk -v l="$l" -v z="$z" 'BEGIN { v = 100 * l / z; printf "%.0f%% %s", v, (v >= 80 ? "ok" : "MISS") }')
    own="-"
  else
    pct=$(awk -v l="$l" -v z="$z" 'BEGIN { printf "%.0f%%", 100 * l / z }')
    if [ "$U" = n/a ]; then own=n/a; else
      own=$(awk -v u="$U" -v z="$z" 'BEGIN { r = z / u; printf "%.2f %s", r, (r <= 1.25 ? "ok" : "MISS") }'); fi
  fi
  if [ "$d" = n/a ]; then ratio="n/a"
  elif [ "$v" = utf8 ]; then
    ratio=$(awk -v d="$d" -v z="$z" 'BEGIN { r = z / d; printf "%.2f %s", r, (r <= 0.8 ? "ok" : "MISS") }')
  else
    ratio=$(awk -v d="$d" -v z="$z" 'BEGIN { printf "%.2f", z / d }'); fi
  peak=$(awk -v p="$p" 'BEGIN { printf "%d %s", p, (p < 300 ? "ok" : "MISS") }')
  printf '%-16s %14s %16s %16s %10s\n' "$label" "$pct" "$ratio" "$own" "$peak"
done
done
echo
echo "notes: libcsv on gb18030 converts with iconv first (as zizhu must); libcsv on gz reads through zlib's gzread."
echo "       DuckDB seconds are the CREATE TABLE alone (no interpreter start-up); its peak includes Python."
for key in "${!NOTE_OF[@]}"; do echo "       $key: ${NOTE_OF[$key]}"; done

fi

# ---------------------------------------------------------------- 5. reconcile
# `zizhu reconcile` beside DuckDB on the same sample's finance files (its own table).
if part reconcile; then
  say "reconcile benchmark (scripts/bench-reconcile.sh)"
  ZIZHU=$ZIZHU BENCH_PYTHON=$PYTHON BENCH_REUSE=1 scripts/bench-reconcile.sh || die "the reconcile benchmark failed"
fi

# ---------------------------------------------------------------- 6. submit
# `zizhu submit` on a ~20,000-student school, with validate as the reference (its own sample and table).
if part submit; then
  say "submit benchmark (scripts/bench-submit.sh)"
  ZIZHU=$ZIZHU BENCH_PYTHON=$PYTHON BENCH_REUSE=${BENCH_REUSE:-0} scripts/bench-submit.sh || die "the submit benchmark failed"
fi

# ---------------------------------------------------------------- 7. merge
# `zizhu merge` of city archives at 1,000,000 and 5,000,000 students: time, peak memory, µs/student.
if part merge; then
  say "merge benchmark (scripts/bench-merge.sh)"
  ZIZHU=$ZIZHU BENCH_REUSE=${BENCH_REUSE:-0} scripts/bench-merge.sh || die "the merge benchmark failed"
fi

# ---------------------------------------------------------------- 8. xlsx: validate a 1M-row workbook beside fastexcel and openpyxl.
if part xlsx; then ZIZHU=$ZIZHU scripts/bench-xlsx.sh || die "the xlsx benchmark failed"; fi
if part history; then ZIZHU=$ZIZHU BENCH_REUSE=1 scripts/bench-history.sh || die "the history benchmark failed"; fi
