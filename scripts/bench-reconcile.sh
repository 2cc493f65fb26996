#!/usr/bin/env bash
# Benchmarks `zizhu reconcile` against DuckDB doing the core of the same job in SQL, on the
# finance files of a 1,000,000-student sample. scripts/bench.sh runs it last; it also runs alone.
#
# Every figure is measured in this one run on this one machine: these machines are noisy, so only
# ratios measured together mean anything (shared/PERFORMANCE.md).
#
#  1. installs what is missing (time, iconv, unzip, python3; duckdb from PyPI), builds zizhu
#     (release) unless ZIZHU names a binary;
#  2. generates `zizhu sample --students 1000000 --seed 1 --grant-share 100` into bench/out/sample
#     (git-ignored), or reuses it (BENCH_REUSE=1, when made with the same arguments). With
#     --grant-share 100 every full-time enrolled student is a grantee, so the roster has 1,000,000
#     rows and the approved list and the bank files each about 0.9 million grant rows (the default
#     sample pays only grade 1–2 hardship students: some 170,000 bank rows). It counts them
#     (files.csv; the grant rows from the approved list) and — once, untimed — makes the plain
#     UTF-8 copies DuckDB reads:
#     every finance input of files.csv decompressed (gzip, zip), converted from GB18030 with iconv,
#     without its BOM, title lines above the header and 合计 row;
#  3. times `zizhu reconcile` on the original files (median of BENCH_RUNS wall-clock runs, peak RSS
#     via /usr/bin/time) and bench/duckdb_reconcile.py + bench/reconcile.sql on the copies (median
#     of the SQL part: load, normalize, match, findings, write the CSV);
#  4. prints both times, the ratio, zizhu's peak memory and its findings per code, against issue
#     17's targets: zizhu ≤ 1.0 × DuckDB's time, peak memory < 1 GB. A missed target is reported, not
#     an error; a failing step is an error (non-zero exit).
#
# With BENCH_MESSY=1 (the default) two inputs are replaced, as an office's files are messier than the
# sample's: the 建设银行 file by bench/findings_ledger.py --damage (of every six payments one left out,
# two failed — about 100,000 findings — and the kept rows damaged as Excel and clerks do: accounts in
# groups of four, `¥` and full-width amounts, Chinese and compact dates, spaces in names and around
# cells), and the gzip UTF-8 roster by the same rows as a plain GB18030 file. BENCH_MESSY=0 times the
# sample's files as generated.
#
# Environment: BENCH_STUDENTS (1000000), BENCH_GRANT_SHARE (100: `zizhu sample --grant-share`),
# BENCH_RUNS (3), ZIZHU (a zizhu binary to use instead of building .build/release/zizhu),
# BENCH_PYTHON (a Python with duckdb), BENCH_REUSE=1 (keep a sample already in bench/out/sample
# when it was made with the same arguments).
set -euo pipefail
cd "$(dirname "$0")/.."

STUDENTS=${BENCH_STUDENTS:-1000000}
GRANT_SHARE=${BENCH_GRANT_SHARE:-100}
RUNS=${BENCH_RUNS:-3}
MESSY=${BENCH_MESSY:-1}
OUT=bench/out
SAMPLE=$OUT/sample
WORK=$OUT/reconcile
mkdir -p "$OUT"

BENCH_NAME=bench-reconcile
. scripts/bench-lib.sh

# ---------------------------------------------------------------- 1. tools
missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v iconv >/dev/null 2>&1 || missing+=(libc-bin)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v gzip >/dev/null 2>&1 || missing+=(gzip)
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-venv)
install_missing "${missing[@]}"
use_duckdb_python
use_zizhu

# ---------------------------------------------------------------- 2. data
use_sample "$SAMPLE" --students "$STUDENTS" --seed 1 --grant-share "$GRANT_SHARE"
LEDGERS=("$SAMPLE"/finance/ledger-*)
[ -e "${LEDGERS[0]}" ] || die "the sample has no $SAMPLE/finance/ledger-* files"

# files.csv describes every input: encoding, delimiter, title lines, data rows, total row.
# One TSV line per finance input DuckDB reads: role, path (zip!entry), encoding, delimiter,
# title lines, data rows, total row.
$PYTHON - "$SAMPLE/files.csv" > "$OUT/reconcile-inputs.tsv" <<'EOF' || die "cannot read $SAMPLE/files.csv"
import csv, sys
roles = {"applications": "approved", "ledger": "ledger", "roster": "roster"}
with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
    for row in csv.DictReader(handle):
        # finance/workbooks/ holds the same rows again as Excel files (the sample's workbook
        # inputs): the bench reads the CSV originals.
        if row["path"].startswith("finance/") and row["schema"] in roles and row["encoding"] not in ("xlsx", "xls"):
            print("\t".join([roles[row["schema"]], row["path"], row["encoding"], row["delimiter"],
                             row["title_lines"], row["data_rows"], row["total_row"]]))
EOF

# The messier inputs (untimed): a damaged 建设银行 file with findings and a GB18030 roster, in
# bench/out/reconcile-messy; the TSV's lines for the two originals point to them (absolute paths).
ROSTER_IN="$SAMPLE/finance/roster.csv.gz"
if [ "$MESSY" = 1 ]; then
  say "making the messier inputs (damaged 建设银行 file with findings, GB18030 roster)"
  MESSY_DIR="$(pwd)/$OUT/reconcile-messy"
  mkdir -p "$MESSY_DIR"
  read -r M_DROPPED M_FAILED M_ROWS < <($PYTHON bench/findings_ledger.py --damage "$SAMPLE/finance/ledger-ccb.csv" "$MESSY_DIR/ledger-ccb.csv") \
    || die "bench/findings_ledger.py failed"
  gzip -dc "$SAMPLE/finance/roster.csv.gz" | iconv -f UTF-8 -t GB18030 > "$MESSY_DIR/roster.csv" || die "cannot make the GB18030 roster"
  for i in "${!LEDGERS[@]}"; do
    [ "$(basename "${LEDGERS[$i]}")" = ledger-ccb.csv ] && LEDGERS[$i]="$MESSY_DIR/ledger-ccb.csv"
  done
  ROSTER_IN="$MESSY_DIR/roster.csv"
  awk -F'\t' -v OFS='\t' -v dir="$MESSY_DIR" -v rows="$M_ROWS" '
    $2 == "finance/ledger-ccb.csv" { $2 = dir "/ledger-ccb.csv"; $3 = "UTF-8"; $5 = 0; $6 = rows }
    $2 == "finance/roster.csv.gz" { $2 = dir "/roster.csv"; $3 = "GB18030" }
    { print }' "$OUT/reconcile-inputs.tsv" > "$OUT/reconcile-inputs.tsv.new" && mv "$OUT/reconcile-inputs.tsv.new" "$OUT/reconcile-inputs.tsv"
  grep -q "$MESSY_DIR/ledger-ccb.csv" "$OUT/reconcile-inputs.tsv" || die "files.csv lists no finance/ledger-ccb.csv to replace"
fi

# The approved list's rows by kind (untimed): 国家助学金 rows of the term (and how many 已审批),
# 免学费 rows, grant rows of another term. Ledger rows per file as files.csv lists them.
GRANT_FACTS=$($PYTHON - "$SAMPLE/finance/approved.csv" "$OUT/reconcile-inputs.tsv" <<'EOF'
import csv, sys
path, inputs = sys.argv[1], sys.argv[2]
titles = next(int(line.split("\t")[4]) for line in open(inputs, encoding="utf-8")
              if line.split("\t")[1] == "finance/approved.csv")
terms, approved, tuition = {}, {}, 0
with open(path, encoding="utf-8-sig", newline="") as handle:
    reader = csv.reader(handle)
    for _ in range(titles):
        next(reader)
    header = next(reader)
    aid, term, status = header.index("资助项目"), header.index("学期"), header.index("审核状态")
    for row in reader:
        if row[0] in ("合计", "总计"):
            continue
        if row[aid] == "国家助学金":
            terms[row[term]] = terms.get(row[term], 0) + 1
            approved[row[term]] = approved.get(row[term], 0) + (row[status] == "已审批")
        else:
            tuition += 1
current = max(terms, key=terms.get) if terms else ""   # the term nearly every row is of
print(terms.get(current, 0), approved.get(current, 0), tuition, sum(terms.values()) - terms.get(current, 0))
EOF
) || die "cannot count the rows of $SAMPLE/finance/approved.csv"
read -r GRANT_ROWS GRANT_APPROVED TUITION_ROWS GRANT_OTHER_TERM <<< "$GRANT_FACTS"
LEDGER_FILES=$(awk -F'\t' '$1 == "ledger" { sub(/^finance\//, "", $2); printf "%s%s %s, %s", sep, $2, $6, $3; sep = "; " }' \
  "$OUT/reconcile-inputs.tsv")

say "making the UTF-8 copies for DuckDB (untimed)"
rm -rf "$WORK" && mkdir -p "$WORK/utf8"
: > "$WORK/manifest.tsv"
declare -A EXPECTED_ROWS=([approved]=0 [ledger]=0 [roster]=0)
n=0
while IFS=$'\t' read -r role path encoding delimiter titles rows total; do
  n=$((n + 1))
  copy="$WORK/utf8/$n-$(basename "${path//!/-}" .gz)"
  case $path in
    /*) cat "$path" ;;   # a messier input (BENCH_MESSY)
    *'!'*) unzip -p "$SAMPLE/${path%%!*}" "${path#*!}" ;;
    *.gz) gzip -dc "$SAMPLE/$path" ;;
    *) cat "$SAMPLE/$path" ;;
  esac > "$copy.raw" || die "cannot read $path"
  case $encoding in
    GB18030*|GBK*) iconv -f GB18030 -t UTF-8 "$copy.raw" > "$copy.enc" || die "iconv failed on $path" ;;
    UTF-8*) mv "$copy.raw" "$copy.enc" ;;
    *) die "$path: encoding $encoding is not handled here" ;;
  esac
  rm -f "$copy.raw"
  # No BOM, no title lines; a 合计/总计 row (first non-empty cell) is no data row.
  sed '1s/^\xEF\xBB\xBF//' "$copy.enc" | tail -n +$((titles + 1)) \
    | { if [ "$total" = none ]; then cat; else grep -Ev '^[[:space:],]*"?(合计|总计)'; fi; } > "$copy" \
    || die "cannot strip the title and total lines of $path"
  rm -f "$copy.enc"
  printf '%s\t%s\t%s\t%s\t%s\n' "$role" "$copy" "$path" "$((titles + 2))" "$delimiter" >> "$WORK/manifest.tsv"
  EXPECTED_ROWS[$role]=$(( EXPECTED_ROWS[$role] + rows ))
done < "$OUT/reconcile-inputs.tsv"
[ "$n" -gt 0 ] || die "files.csv lists no finance inputs"
grep -q "^ledger" "$WORK/manifest.tsv" || die "files.csv lists no ledger file"

# ---------------------------------------------------------------- 3. measurements
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

for f in "$SAMPLE"/finance/* "${LEDGERS[@]}" "$ROSTER_IN" "$WORK"/utf8/*; do [ -f "$f" ] && cat "$f" > /dev/null; done   # warm the page cache (files only)

# The two tools take turns, run after run, so that both see the same weather on a shared machine.
duck_times=(); duck_cpu=(); DUCK_PEAK=0
zizhu_times=(); zizhu_cpu=(); ZIZHU_PEAK=0
for run in $(seq "$RUNS"); do
  say "run $run of $RUNS: DuckDB, the core of reconcile in SQL"
  /usr/bin/time -f '%M' -o "$WORK/duckdb.rss" \
    $PYTHON bench/duckdb_reconcile.py "$WORK/manifest.tsv" "$WORK/duckdb-findings.csv" \
    > "$WORK/duckdb.out" 2> "$WORK/duckdb.err" || { cat "$WORK/duckdb.err" >&2; die "DuckDB failed"; }
  read -r secs cpu d_approved d_ledger d_roster d_findings d_codes < "$WORK/duckdb.out"
  duck_times+=("$secs"); duck_cpu+=("$cpu")
  rss=$(tail -n 1 "$WORK/duckdb.rss"); [ "$rss" -gt "$DUCK_PEAK" ] && DUCK_PEAK=$rss

  say "run $run of $RUNS: zizhu reconcile"
  rm -rf "$WORK/zizhu-out"
  rc=0
  start=$(now)
  /usr/bin/time -f '%M %U %S' -o "$WORK/zizhu.rss" "$ZIZHU" reconcile --term 2023-fall \
    --approved "$SAMPLE/finance/approved.csv" --ledger "${LEDGERS[@]}" \
    --roster "$ROSTER_IN" --allocations "$SAMPLE/finance/allocations.csv" \
    --out "$WORK/zizhu-out" --quiet > "$WORK/zizhu.out" 2> "$WORK/zizhu.err" || rc=$?
  stop=$(now)
  # Exit 1 means error-severity findings were reported: the run itself completed (§9).
  if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
    cat "$WORK/zizhu.err" >&2; die "zizhu reconcile failed (exit $rc)"
  fi
  zizhu_times+=("$(elapsed "$start" "$stop")")
  read -r rss user sys < <(tail -n 1 "$WORK/zizhu.rss")
  zizhu_cpu+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
  [ "$rss" -gt "$ZIZHU_PEAK" ] && ZIZHU_PEAK=$rss
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
for role in approved ledger roster; do
  got=$(eval echo "\$d_$role")
  [ "$got" = "${EXPECTED_ROWS[$role]}" ] \
    || die "DuckDB loaded $got $role rows, files.csv says ${EXPECTED_ROWS[$role]}: the UTF-8 copies are wrong"
done
DUCK_S=$(median "${duck_times[@]}"); DUCK_CPU=$(median "${duck_cpu[@]}")
DUCK_MB=$(( DUCK_PEAK / 1024 ))
ZIZHU_S=$(median "${zizhu_times[@]}"); ZIZHU_CPU=$(median "${zizhu_cpu[@]}")
ZIZHU_MB=$(( ZIZHU_PEAK / 1024 ))
[ -f "$WORK/zizhu-out/summary.json" ] || die "zizhu reconcile wrote no summary.json"

# Findings per code and rows read per role, from zizhu's summary.json.
ZIZHU_FACTS=$($PYTHON - "$WORK/zizhu-out/summary.json" <<'EOF'
import json, sys
summary = json.load(open(sys.argv[1], encoding="utf-8"))
def find(node, *keys):
    if isinstance(node, dict):
        for key in keys:
            if key in node:
                return node[key]
        for value in node.values():
            found = find(value, *keys)
            if found is not None:
                return found
    return None
codes = find(summary, "findings_by_code", "findingsByCode") or {}
rows = sum(f.get("rows_read", f.get("rowsRead", 0)) for f in summary.get("files", []))
print(rows, " ".join(f"{code}={codes[code]}" for code in sorted(codes)) or "-")
EOF
) || die "cannot read $WORK/zizhu-out/summary.json"
read -r ZIZHU_ROWS ZIZHU_CODES <<< "$ZIZHU_FACTS"

# ---------------------------------------------------------------- 4. report
bytes() { du -cb "$@" | tail -n 1 | cut -f1; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1e6 }'; }
RATIO=$(awk -v z="$ZIZHU_S" -v d="$DUCK_S" 'BEGIN { r = z / d; printf "%.2f %s", r, (r <= 1.0 ? "ok" : "MISS") }')
CPU_RATIO=$(awk -v z="$ZIZHU_CPU" -v d="$DUCK_CPU" 'BEGIN { printf "%.2f", z / d }')
PEAK=$(awk -v p="$ZIZHU_MB" 'BEGIN { printf "%d %s", p, (p < 1024 ? "ok" : "MISS") }')

echo
echo "zizhu reconcile benchmark — $(date -u +%Y-%m-%d) — $(nproc) CPU ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
echo "sample: zizhu sample $(cat "$SAMPLE/.bench-args")"
echo "inputs (files.csv): ${EXPECTED_ROWS[roster]} roster rows, ${EXPECTED_ROWS[ledger]} ledger rows, ${EXPECTED_ROWS[approved]} approved-list rows:"
echo "        approved list: $GRANT_ROWS 国家助学金 rows of the term ($GRANT_APPROVED 已审批), $TUITION_ROWS 免学费, $GRANT_OTHER_TERM of another term"
echo "        ledger rows per file: $LEDGER_FILES"
if [ "$MESSY" = 1 ]; then
  echo "        messier (BENCH_MESSY=1): 建设银行 file with $M_DROPPED payments left out and $M_FAILED failed, its rows damaged"
  echo "        (bench/findings_ledger.py --damage); the roster as plain GB18030 ($(mb "$(bytes "$ROSTER_IN")") MB)"
fi
echo "        $(mb "$(bytes "$SAMPLE/finance/approved.csv" "${LEDGERS[@]}" "$ROSTER_IN")") MB as given, $(mb "$(bytes "$WORK"/utf8/*)") MB as DuckDB's plain UTF-8 copies"
echo "median of $RUNS runs, warm cache; load average $LOAD_BEFORE before, $LOAD_AFTER after"
echo
printf '%-34s %9s %9s %9s  %s\n' tool seconds "CPU s" "peak MB" "each run (s)"
printf '%-34s %9s %9s %9s  %s\n' "zizhu reconcile (the given files)" "$ZIZHU_S" "$ZIZHU_CPU" "$ZIZHU_MB" "${zizhu_times[*]}"
printf '%-34s %9s %9s %9s  %s\n' "DuckDB SQL (UTF-8 copies)" "$DUCK_S" "$DUCK_CPU" "$DUCK_MB" "${duck_times[*]}"
echo
echo "zizhu against the targets (≤ 1.0 × DuckDB's time, peak < 1 GB):"
printf '  time / DuckDB %-12s peak MB %-10s (CPU time / DuckDB %s)\n' "$RATIO" "$PEAK" "$CPU_RATIO"
echo
echo "zizhu findings ($ZIZHU_ROWS rows read): $ZIZHU_CODES"
echo "DuckDB findings: $d_codes"
echo
echo "notes: DuckDB reads plain UTF-8 copies made before timing (gunzip, unzip, iconv GB18030 → UTF-8,"
echo "       BOM, title and 合计 lines stripped); zizhu reads the files as given and writes every output."
echo "       DuckDB's seconds are its SQL alone (load + normalize + match + findings + CSV, 2 threads),"
echo "       without Python's start-up; its peak includes Python. CPU s = user + system time of every"
echo "       thread (zizhu: the whole process), less sensitive than wall time to other work on the machine."
echo "       DuckDB does the core only (R01/R02/R03/R04/R06/R10/R13; no masked-account tier, names, dates,"
echo "       channels, statuses, tiers, settlement or reports), so its counts differ where those decide."
