#!/usr/bin/env bash
# Benchmarks `zizhu submit` on one large school: about 20,000 students (roster + applications,
# about 43,000 rows). scripts/bench.sh runs it after bench-reconcile.sh; it also runs alone.
#
# Target (issue 17): submit at most 1.5× the time of validating its two files; a miss is reported,
# not an error.
# Every figure is measured in this one run on this one machine: these machines are noisy, so only
# ratios measured together mean anything (shared/PERFORMANCE.md).
#
#  1. installs what is missing (time, python3), builds zizhu (release) unless ZIZHU names a binary;
#  2. generates `zizhu sample --schools 3 --seed 1` into bench/out/submit-sample (git-ignored):
#     once with 60,000 students to learn the first school's share (the seeded size weights do not
#     depend on --students), then with the student count rescaled so that the first school (a clean
#     one: warning-level cases only, so submit writes its package) has about BENCH_SUBMIT_ROSTER
#     roster rows; the school of the same sample whose roster is closest in size among the others
#     (error-level cases and rejects) is the error school;
#  3. makes an Ed25519 key for the clean school (zizhu keys new) and, run after run, times in turn
#     (median of BENCH_RUNS wall-clock runs, CPU time and peak RSS via /usr/bin/time):
#       validate --schema roster / --schema applications on the clean school's two files (reference),
#       (a) submit on the clean school (exit 0, package written),
#       (b) the same with --sign-key,
#       (c) verify of the signed package with --trust,
#       (d) submit on the error school (findings only, exit 1), or skipped when there is none;
#  4. prints the times, rows read, rows/s, exit statuses, and submit against validate.
#
# Environment: BENCH_SUBMIT_ROSTER (20000 roster rows wanted), BENCH_RUNS (3), ZIZHU (a zizhu binary
# to use instead of building .build/release/zizhu), BENCH_PYTHON (python3), BENCH_REUSE=1 (keep a
# sample already in bench/out/submit-sample made for the same BENCH_SUBMIT_ROSTER).
# Exit status: non-zero when a step fails (an unexpected exit status of zizhu is a failure).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=${BENCH_SUBMIT_ROSTER:-20000}
RUNS=${BENCH_RUNS:-3}
PROBE_STUDENTS=60000
SCHOOLS=3
SEED=1
TERM=2023-fall
OUT=bench/out
SAMPLE=$OUT/submit-sample
WORK=$OUT/submit
mkdir -p "$OUT"

BENCH_NAME=bench-submit
. scripts/bench-lib.sh

# ---------------------------------------------------------------- 1. tools
missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null 2>&1 || [ -n "${BENCH_PYTHON:-}" ] || missing+=(python3)
install_missing "${missing[@]}"
PYTHON=${BENCH_PYTHON:-python3}
use_zizhu
grep -q -- '--schools' <<<"$("$ZIZHU" sample --help 2>/dev/null)" || die "$ZIZHU sample has no --schools option"

# ---------------------------------------------------------------- 2. data

# schools DIR → one TSV line per school folder, sorted: code, city, roster path, applications path,
# roster data rows, applications data rows (from the sample's files.csv).
schools() {
  $PYTHON - "$1" <<'EOF'
import csv, os, sys
root = sys.argv[1]
found = {}
with open(os.path.join(root, "files.csv"), encoding="utf-8-sig", newline="") as handle:
    for row in csv.DictReader(handle):
        parts = row["path"].split("/")
        if len(parts) == 4 and parts[0] == "city" and row["schema"] in ("roster", "applications"):
            school = found.setdefault(parts[2], {"city": parts[1]})
            school[row["schema"]] = (row["path"], int(row["data_rows"]))
for code in sorted(found, key=lambda c: (found[c]["city"], c)):
    s = found[code]
    if "roster" in s and "applications" in s:
        print("\t".join([code, s["city"], s["roster"][0], s["applications"][0],
                         str(s["roster"][1]), str(s["applications"][1])]))
EOF
}

# generate STUDENTS → the sample in $SAMPLE, its schools in $WORK/schools.tsv, GEN_S
generate() {
  say "generating $1 students in $SCHOOLS schools (seed $SEED) with zizhu sample"
  rm -rf "$SAMPLE"
  local start; start=$(now)
  "$ZIZHU" sample --out "$SAMPLE" --students "$1" --seed "$SEED" --schools "$SCHOOLS" --quiet >&2 \
    || die "zizhu sample failed"
  GEN_S="$(elapsed "$start" "$(now)") s"
  schools "$SAMPLE" > "$WORK/schools.tsv" || die "cannot read $SAMPLE/files.csv"
  [ -s "$WORK/schools.tsv" ] || die "$SAMPLE/files.csv lists no school roster and applications"
  printf '%s %s\n' "$1" "$TARGET" > "$SAMPLE/.bench-submit"
}
first_rows() { head -n 1 "$WORK/schools.tsv" | cut -f5; }

mkdir -p "$WORK"
if [ "${BENCH_REUSE:-0}" = 1 ] && [ -f "$SAMPLE/files.csv" ] && [ -f "$SAMPLE/.bench-submit" ] \
   && [ "$(cut -d' ' -f2 "$SAMPLE/.bench-submit")" = "$TARGET" ]; then
  say "reusing $SAMPLE"
  STUDENTS=$(cut -d' ' -f1 "$SAMPLE/.bench-submit")
  schools "$SAMPLE" > "$WORK/schools.tsv" || die "cannot read $SAMPLE/files.csv"
  PROBE_ROWS="(reused)"; GEN_S="reused"
else
  # The first school's share of the students is fixed by the seed; its roster also carries a few
  # planted extra rows, so the rescaled count can land a few rows off: rescale once more if needed.
  generate "$PROBE_STUDENTS"
  PROBE_ROWS=$(first_rows)
  STUDENTS=$PROBE_STUDENTS
  rows=$PROBE_ROWS
  for pass in 1 2; do
    next=$(awk -v s="$STUDENTS" -v t="$TARGET" -v r="$rows" 'BEGIN { printf "%d", s * t / r + 0.5 }')
    [ "$next" = "$STUDENTS" ] && break
    STUDENTS=$next
    generate "$STUDENTS"
    rows=$(first_rows)
    awk -v r="$rows" -v t="$TARGET" 'BEGIN { d = r - t; exit !(d * d <= (t * 0.001) ^ 2) }' && break
  done
fi

IFS=$'\t' read -r CLEAN CLEAN_CITY CLEAN_ROSTER CLEAN_APPS CLEAN_RROWS CLEAN_AROWS < <(head -n 1 "$WORK/schools.tsv")
# The error school: among schools 2, 3, … the one whose roster is closest to the clean school's,
# if within ±30 % of it (similar size); otherwise (d) is skipped.
ERR_LINE=$(tail -n +3 "$WORK/schools.tsv" | awk -F'\t' -v c="$CLEAN_RROWS" '
  { d = $5 - c; if (d < 0) d = -d; if (d <= 0.3 * c && (best == "" || d < bestd)) { best = $0; bestd = d } }
  END { print best }')
if [ -n "$ERR_LINE" ]; then
  IFS=$'\t' read -r ERR ERR_CITY ERR_ROSTER ERR_APPS ERR_RROWS ERR_AROWS <<< "$ERR_LINE"
else
  ERR=""
fi
DEVIATION=$(awk -v r="$CLEAN_RROWS" -v t="$TARGET" 'BEGIN { printf "%+d rows, %+.2f %%", r - t, 100 * (r - t) / t }')
say "clean school $CLEAN: $CLEAN_RROWS roster rows ($DEVIATION of $TARGET); error school: ${ERR:-none}"

say "making a key for $CLEAN (zizhu keys new)"
rm -rf "$WORK/keys" "$WORK/trust"
"$ZIZHU" keys new --out "$WORK/keys" --name "$CLEAN" > /dev/null || die "zizhu keys new failed"
mkdir -p "$WORK/trust" && cp "$WORK/keys/$CLEAN.pub" "$WORK/trust/" || die "no $WORK/keys/$CLEAN.pub"

# ---------------------------------------------------------------- 3. measurements
# run NAME ALLOWED_EXIT_CODES COMMAND… : one timed run; appends to WALL_name, CPU_name; PEAK_name
# (KiB), RC_name (last exit status). Output of the last run in $WORK/NAME.{out,err}.
declare -A WALL CPU PEAK RC
run() {
  local name=$1 allowed=$2; shift 2
  local rc=0 start stop rss user sys
  start=$(now)
  /usr/bin/time -f '%M %U %S' -o "$WORK/$name.rss" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || rc=$?
  stop=$(now)
  if ! [[ " $allowed " == *" $rc "* ]]; then
    cat "$WORK/$name.err" "$WORK/$name.out" >&2
    die "$name: exit $rc, expected ${allowed// / or }: $*"
  fi
  read -r rss user sys < <(tail -n 1 "$WORK/$name.rss")
  WALL[$name]+="$(elapsed "$start" "$stop") "
  CPU[$name]+="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') "
  [ "${PEAK[$name]:-0}" -gt "$rss" ] || PEAK[$name]=$rss
  RC[$name]=$rc
}

for f in "$CLEAN_ROSTER" "$CLEAN_APPS" ${ERR:+"$ERR_ROSTER" "$ERR_APPS"}; do
  cat "$SAMPLE/$f" > /dev/null   # warm the page cache
done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
PACKAGE=$WORK/signed/${CLEAN}_$TERM.zip
# The commands take turns, run after run, so that all see the same weather on a shared machine.
for r in $(seq "$RUNS"); do
  say "run $r of $RUNS"
  rm -rf "$WORK/validate-roster" "$WORK/validate-applications" "$WORK/clean" "$WORK/signed" "$WORK/error"
  # validate: exit 1 would mean rejects or error findings; the run itself completed.
  run validate-roster "0 1" "$ZIZHU" validate --schema roster "$SAMPLE/$CLEAN_ROSTER" \
    --out "$WORK/validate-roster" --quiet
  run validate-applications "0 1" "$ZIZHU" validate --schema applications "$SAMPLE/$CLEAN_APPS" \
    --out "$WORK/validate-applications" --quiet
  run submit "0" "$ZIZHU" submit --term "$TERM" --school-code "$CLEAN" --school-city "$CLEAN_CITY" \
    --roster "$SAMPLE/$CLEAN_ROSTER" --applications "$SAMPLE/$CLEAN_APPS" --out "$WORK/clean" --quiet
  run submit-signed "0" "$ZIZHU" submit --term "$TERM" --school-code "$CLEAN" --school-city "$CLEAN_CITY" \
    --roster "$SAMPLE/$CLEAN_ROSTER" --applications "$SAMPLE/$CLEAN_APPS" \
    --sign-key "$WORK/keys/$CLEAN.key" --out "$WORK/signed" --quiet
  [ -f "$PACKAGE" ] || die "submit --sign-key wrote no $PACKAGE"
  run verify "0" "$ZIZHU" verify "$PACKAGE" --trust "$WORK/trust" --lang en  # English: the check below reads its words
  if [ -n "$ERR" ]; then
    # The error school's errors and rejects are planted: exit 1 (findings, no package) is expected.
    run submit-error "1" "$ZIZHU" submit --term "$TERM" --school-code "$ERR" --school-city "$ERR_CITY" \
      --roster "$SAMPLE/$ERR_ROSTER" --applications "$SAMPLE/$ERR_APPS" --out "$WORK/error" --quiet
  fi
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# facts SUMMARY → rows read, package written (yes/no), error findings count, findings by code
facts() {
  $PYTHON - "$1" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
rows = s.get("totals", {}).get("rows_read") or sum(f.get("rows_read", 0) for f in s.get("files", []))
job = s.get("job", {}).get("submit", {})
codes = s.get("findings_by_code", {})
print(rows, "yes" if job.get("package_written") else "no", s.get("totals", {}).get("rows_rejected", 0),
      ",".join(f"{c}={codes[c]}" for c in sorted(codes)) or "-")
EOF
}
for name in validate-roster validate-applications; do
  [ -f "$WORK/$name/summary.json" ] || die "$name wrote no summary.json"
done
[ -f "$WORK/clean/${CLEAN}_$TERM.zip" ] || die "submit wrote no package for $CLEAN"
[ -f "$WORK/clean/declaration.html" ] || die "submit wrote no declaration.html for $CLEAN"
read -r V_ROSTER_ROWS _ < <(facts "$WORK/validate-roster/summary.json")
read -r V_APPS_ROWS _ < <(facts "$WORK/validate-applications/summary.json")
read -r SUBMIT_ROWS SUBMIT_PKG SUBMIT_REJ SUBMIT_CODES < <(facts "$WORK/clean/summary.json")
read -r SIGNED_ROWS SIGNED_PKG _ _ < <(facts "$WORK/signed/summary.json")
[ "$SUBMIT_ROWS" = "$((CLEAN_RROWS + CLEAN_AROWS))" ] \
  || die "submit read $SUBMIT_ROWS rows, files.csv says $((CLEAN_RROWS + CLEAN_AROWS))"
[ "$SUBMIT_PKG" = yes ] && [ "$SIGNED_PKG" = yes ] || die "summary.json says no package was written for $CLEAN"
grep -q 'verifies' "$WORK/verify.out" || die "verify did not report a verified signature: $(cat "$WORK/verify.out")"
if [ -n "$ERR" ]; then
  read -r ERR_ROWS ERR_PKG ERR_REJ ERR_CODES < <(facts "$WORK/error/summary.json")
  [ "$ERR_PKG" = no ] && ! [ -e "$WORK/error/${ERR}_$TERM.zip" ] || die "submit wrote a package for the error school $ERR"
fi

# ---------------------------------------------------------------- 4. report
bytes() { du -cb "$@" | tail -n 1 | cut -f1; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
CLEAN_BYTES=$(bytes "$SAMPLE/$CLEAN_ROSTER" "$SAMPLE/$CLEAN_APPS")
med() { median ${WALL[$1]}; }
cpu() { median ${CPU[$1]}; }
per_s() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
row() {  # name label rows
  local s; s=$(med "$1")
  printf '%-44s %8s %7s %8s %8s %9s %5s  %s\n' "$2" "$s" "$(cpu "$1")" "$(( PEAK[$1] / 1024 ))" "$3" \
    "$( [ "$3" = - ] && echo - || per_s "$3" "$s")" "${RC[$1]}" "${WALL[$1]% }"
}
V_S=$(awk -v a="$(med validate-roster)" -v b="$(med validate-applications)" 'BEGIN { printf "%.3f", a + b }')
V_CPU=$(awk -v a="$(cpu validate-roster)" -v b="$(cpu validate-applications)" 'BEGIN { printf "%.2f", a + b }')
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo
echo "zizhu submit benchmark — $(date -u +%Y-%m-%d) — $(nproc) CPU ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
echo "sample: zizhu sample --students $STUDENTS --schools $SCHOOLS --seed $SEED ($GEN_S); probe of $PROBE_STUDENTS students: first school $PROBE_ROWS roster rows"
echo "clean school $CLEAN (city $CLEAN_CITY): $CLEAN_RROWS roster rows ($DEVIATION of the $TARGET wanted) + $CLEAN_AROWS application rows,"
echo "        $(mb "$CLEAN_BYTES") MB as given ($(grep -F "$CLEAN_ROSTER," "$SAMPLE/files.csv" | head -n 1 | cut -d, -f3,4) roster; $(grep -F "$CLEAN_APPS," "$SAMPLE/files.csv" | head -n 1 | cut -d, -f3,4) applications)"
if [ -n "$ERR" ]; then
  echo "error school $ERR (city $ERR_CITY): $ERR_RROWS roster rows + $ERR_AROWS application rows"
else
  echo "error school: none of similar size (±30 %) in this sample — (d) skipped"
fi
echo "median of $RUNS runs, warm cache, commands taking turns; load average $LOAD_BEFORE before, $LOAD_AFTER after"
echo "target: (a) submit at most 1.5 × the time of validating its two files (issue 17)"
echo
printf '%-44s %8s %7s %8s %8s %9s %5s  %s\n' command seconds "CPU s" "peak MB" "rows" "rows/s" exit "each run (s)"
row validate-roster "validate --schema roster (reference)" "$V_ROSTER_ROWS"
row validate-applications "validate --schema applications (reference)" "$V_APPS_ROWS"
printf '%-44s %8s %7s %8s %8s %9s %5s\n' "  both validates (sum)" "$V_S" "$V_CPU" "-" "$((V_ROSTER_ROWS + V_APPS_ROWS))" \
  "$(per_s $((V_ROSTER_ROWS + V_APPS_ROWS)) "$V_S")" "-"
row submit "(a) submit $CLEAN → package" "$SUBMIT_ROWS"
row submit-signed "(b) submit $CLEAN --sign-key → package" "$SIGNED_ROWS"
row verify "(c) verify package --trust" "-"
if [ -n "$ERR" ]; then
  row submit-error "(d) submit $ERR → findings only" "$ERR_ROWS"
else
  printf '%-44s %8s\n' "(d) submit on an error school" skipped
fi
echo
SUBMIT_RATIO=$(ratio "$(med submit)" "$V_S")
echo "(a) submit / both validates: $SUBMIT_RATIO × wall, $(ratio "$(cpu submit)" "$V_CPU") × CPU (the S-checks and the package on top of validation): $(awk -v r="$SUBMIT_RATIO" 'BEGIN { print (r <= 1.5 ? "target met" : "TARGET MISSED") }')"
echo "(b) signed / unsigned submit: $(ratio "$(med submit-signed)" "$(med submit)") × wall"
if [ -n "$ERR" ]; then
  echo "(d) error school / (a): $(ratio "$(med submit-error)" "$(med submit)") × wall ($(ratio "$ERR_ROWS" "$SUBMIT_ROWS") × the rows)"
fi
echo "(a) package: $(mb "$(bytes "$WORK/clean/${CLEAN}_$TERM.zip")") MB ${CLEAN}_$TERM.zip + declaration.html; findings $SUBMIT_CODES (warnings), $SUBMIT_REJ rejected rows"
if [ -n "$ERR" ]; then echo "(d) findings $ERR_CODES; $ERR_REJ rejected rows; no package"; fi
echo "(c) $(head -n 1 "$WORK/verify.out")"
echo
echo "notes: seconds are wall-clock for the whole process (start-up included); CPU s = user + system."
echo "       rows = data rows read (roster + applications for submit); rows/s = rows / median seconds."
echo "       Runs under a second are noisy: compare the ratios, or raise BENCH_RUNS."
