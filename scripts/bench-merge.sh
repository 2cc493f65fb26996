#!/usr/bin/env bash
# Benchmarks `zizhu merge` at province scale: city archives holding school packages made by
# `zizhu submit` from a `zizhu sample`, at two sizes (≈ 1,000,000 and ≈ 5,000,000 students merged),
# printing time, CPU, peak memory and time per student so linear growth can be read off.
#
# Target (issue 5): peak memory under 1 GB at 5,000,000 students; time growing linearly with
# students. Every figure is measured in this one run on this one machine.
#
#  1. installs what is missing (time, python3), builds zizhu (release) unless ZIZHU names a binary;
#  2. per size: `zizhu sample --students N --schools S` (422 schools), `zizhu submit` for every
#     school (two at a time; a school with planted errors writes no package — merge reports it
#     M03 against the expected list), then one zip per city holding that city's packages (the
#     biggest cities are split so that there are BENCH_ARCHIVES archives, 16 by default);
#  3. times `zizhu merge --term 2023-fall --expected schools.csv --out … city-*.zip` (median of
#     BENCH_RUNS runs, peak RSS via /usr/bin/time) and prints the table.
#
# Environment: BENCH_MERGE_SIZES ("1060000 5300000"), BENCH_SCHOOLS (422), BENCH_ARCHIVES (16),
# BENCH_RUNS (3), ZIZHU (a zizhu binary), BENCH_REUSE=1 (keep data already made for a size).
set -euo pipefail
cd "$(dirname "$0")/.."

# The sample plants error cases in about 22 schools, which then write no package (their M03 is part of
# the run): 422 schools and 6 % more students put ≈ 400 packages and ≈ 1,000,000 / 5,000,000
# students into the merge.
SIZES=${BENCH_MERGE_SIZES:-"1060000 5300000"}
SCHOOLS=${BENCH_SCHOOLS:-422}
ARCHIVES=${BENCH_ARCHIVES:-16}
RUNS=${BENCH_RUNS:-3}
TERM_NAME=2023-fall
OUT=bench/out/merge
mkdir -p "$OUT"

BENCH_NAME=bench-merge
. scripts/bench-lib.sh

missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
install_missing "${missing[@]}"
use_zizhu
"$ZIZHU" merge --help >/dev/null 2>&1 || die "$ZIZHU has no merge command"


# make_data N DIR: sample, packages, city archives (untimed).
make_data() {
  local n=$1 dir=$2
  if [ "${BENCH_REUSE:-0}" = 1 ] && [ -f "$dir/archives.done" ]; then say "reusing $dir"; return; fi
  rm -rf "$dir" && mkdir -p "$dir"
  say "$n students: zizhu sample --schools $SCHOOLS"
  local t0; t0=$(now)
  "$ZIZHU" sample --out "$dir/sample" --students "$n" --schools "$SCHOOLS" --seed 1 --quiet >&2 || die "zizhu sample failed"
  say "$n students: zizhu submit per school ($(find "$dir/sample/city" -mindepth 2 -maxdepth 2 -type d | wc -l) schools, 2 at a time)"
  export ZIZHU TERM_NAME
  export SOURCE_DATE_EPOCH=1698627600
  find "$dir/sample/city" -mindepth 2 -maxdepth 2 -type d | LC_ALL=C sort | xargs -P 2 -I{} bash -c '
    d={}; school=$(basename "$d"); city=$(basename "$(dirname "$d")")
    "$ZIZHU" submit --term "$TERM_NAME" --school-code "$school" --school-city "$city" --roster "$d/roster.csv" \
      --applications "$d/applications.csv" --out "'"$dir"'/submit/$school" --quiet > /dev/null 2>&1
    rc=$?; [ $rc -le 1 ] || { echo "submit $school: exit $rc" >&2; exit 255; }'
  say "$n students: packing city archives"
  python3 - "$dir" "$ARCHIVES" <<'EOF'
import glob, os, sys, zipfile
root, want = sys.argv[1], int(sys.argv[2])
by_city = {}
for pkg in sorted(glob.glob(os.path.join(root, "submit", "*", "*.zip"))):
    school = os.path.basename(os.path.dirname(pkg))
    city = next(c for c in os.listdir(os.path.join(root, "sample", "city"))
                if os.path.isdir(os.path.join(root, "sample", "city", c, school)))
    by_city.setdefault(city, []).append(pkg)
groups = [(c, p) for c, p in sorted(by_city.items())]
# Split the biggest groups until there are `want` archives (a city office may send in parts).
while len(groups) < want and any(len(p) > 1 for _, p in groups):
    i = max(range(len(groups)), key=lambda k: len(groups[k][1]))
    city, pkgs = groups.pop(i)
    half = len(pkgs) // 2
    groups.append((city + "a", pkgs[:half])); groups.append((city + "b", pkgs[half:]))
    groups.sort()
os.makedirs(os.path.join(root, "archives"), exist_ok=True)
for city, pkgs in groups:
    with zipfile.ZipFile(os.path.join(root, "archives", f"city-{city}.zip"), "w", zipfile.ZIP_STORED) as z:
        for p in pkgs:
            z.write(p, os.path.basename(p))
packages = sum(len(p) for _, p in groups)
print(f"{len(groups)} archives, {packages} packages", file=sys.stderr)
with open(os.path.join(root, "archives.txt"), "w") as f:
    f.write(f"{len(groups)} {packages}\n")
EOF
  touch "$dir/archives.done"
  say "$n students: data ready in $(elapsed "$t0" "$(now)") s"
}

declare -a ROWS
for n in $SIZES; do
  dir=$OUT/$n
  make_data "$n" "$dir"
  read -r archives packages < "$dir/archives.txt"
  walls=() cpus=() peak=0 rc=0
  for r in $(seq "$RUNS"); do
    rm -rf "$dir/out"
    start=$(now)
    rc=0
    /usr/bin/time -f '%M %U %S' -o "$dir/merge.rss" "$ZIZHU" merge --term "$TERM_NAME" --expected "$dir/sample/schools.csv" \
      --out "$dir/out" --quiet "$dir"/archives/city-*.zip > "$dir/merge.out" 2> "$dir/merge.err" || rc=$?
    stop=$(now)
    [ $rc -le 1 ] || { cat "$dir/merge.err" >&2; die "merge of $n students: exit $rc"; }
    read -r rss user sys < <(tail -n 1 "$dir/merge.rss")
    walls+=("$(elapsed "$start" "$stop")")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
    [ "$peak" -gt "$rss" ] || peak=$rss
  done
  merged=$(python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))['job']['merge']
print(sum(c['totals']['students'] for c in d['cities']))" "$dir/out/summary.json" 2>/dev/null || echo "?")
  wall=$(median "${walls[@]}")
  cpu=$(median "${cpus[@]}")
  LAST_WALL=$wall LAST_MERGED=$merged LAST_CPU=$cpu LAST_PEAK=$((peak / 1024))
  ROWS+=("$(printf '%-10s %9s %9s %9s %9s %8.0f %10.2f %8s %5s  %s' "$n" "$merged" "$archives" "$packages" "$wall" "$((peak / 1024))" \
    "$(awk -v w="$wall" -v n="$merged" 'BEGIN { printf "%.2f", (n > 0 ? w / n * 1e6 : 0) }')" "$cpu" "$rc" "${walls[*]}")")
done

echo
echo "zizhu merge benchmark — $(date -u +%Y-%m-%d) — $(nproc) CPU, $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
echo "inputs: city archives (zip of school packages from zizhu submit), --expected schools.csv; median of $RUNS runs"
printf '%-10s %9s %9s %9s %9s %8s %10s %8s %5s  %s\n' students merged archives packages seconds "peak MB" "µs/student" "CPU s" exit "each run (s)"
printf '%s\n' "${ROWS[@]}"
echo "students = the sample's; µs/student per merged student; merged = students in the packages merged (schools with planted errors wrote no package: M03)"
echo "targets (issue 17): 5,000,000 students in under 30 s on both cores (CPU s / seconds near 2), peak memory < 1024 MB,"
echo "time linear in students (compare µs/student across sizes)"
if [ -n "${LAST_WALL:-}" ] && [ "${LAST_MERGED:-?}" != "?" ]; then
  awk -v w="$LAST_WALL" -v n="$LAST_MERGED" -v c="$LAST_CPU" -v p="$LAST_PEAK" 'BEGIN {
    t = w / n * 5e6
    printf "at 5,000,000 students: %.1f s (from %d merged students in %.2f s) — %s; cores used %.2f; peak %d MB — %s\n",
      t, n, w, (t < 30 ? "target met" : "TARGET MISSED"), c / w, p, (p < 1024 ? "ok" : "MISS") }'
fi
