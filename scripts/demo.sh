#!/usr/bin/env bash
# Validates the bundled sample-data/ as its users would: each school's folder, then the finance
# office's folder, each file kind with its schema; then says where the reports are.
# Usage: scripts/demo.sh ZIZHU_BINARY OUT_DIR
set -uo pipefail
zizhu=${1:-.build/release/zizhu}
out=${2:-demo-out}
data=sample-data
[ -x "$zizhu" ] || { echo "no zizhu binary at $zizhu (run make release)" >&2; exit 2; }
[ -d "$data" ] || { echo "no $data/ folder" >&2; exit 2; }

files_for() { # folder schema → the files of that kind in the folder, sorted
  local dir=$1
  case "$2" in
    roster) find "$dir" -maxdepth 1 -type f -name '*roster*' ;;
    applications) find "$dir" -maxdepth 1 -type f \( -name '*application*' -o -name '*approved*' \) ;;
    ledger) find "$dir" -maxdepth 1 -type f -name '*ledger*' ;;
    allocations) find "$dir" -maxdepth 1 -type f -name '*allocation*' ;;
  esac | LC_ALL=C sort
}

status=0
reports=()
for dir in $(find "$data" -mindepth 1 -type d | LC_ALL=C sort); do
  for schema in roster applications ledger allocations; do
    mapfile -t files < <(files_for "$dir" "$schema")
    [ ${#files[@]} -gt 0 ] || continue
    target="$out/${dir#$data/}/$schema"
    echo "== zizhu validate --schema $schema ${files[*]}"
    "$zizhu" validate --schema "$schema" --out "$target" --quiet "${files[@]}"
    rc=$?
    case $rc in
      0) echo "   exit 0: no error-severity findings" ;;
      1) echo "   exit 1: rejected rows or error findings (planted in the sample on purpose)" ;;
      *) echo "   exit $rc: the run failed" >&2; status=$rc ;;
    esac
    reports+=("$target/report.html")
    echo
  done
done
# The finance office's job: approved grants against the bank files.
fin="$data/finance"
if [ -f "$fin/approved.csv" ]; then
  mapfile -t ledgers < <(find "$fin" -maxdepth 1 -type f -name '*ledger*' | LC_ALL=C sort)
  extra=()
  [ -f "$fin/roster.csv.gz" ] && extra+=(--roster "$fin/roster.csv.gz")
  [ -f "$fin/allocations.csv" ] && extra+=(--allocations "$fin/allocations.csv")
  echo "== zizhu reconcile --term 2023-fall (approved list vs ${#ledgers[@]} bank files)"
  "$zizhu" reconcile --term 2023-fall --approved "$fin/approved.csv" --ledger "${ledgers[@]}" "${extra[@]}" --out "$out/reconcile" --quiet
  rc=$?
  case $rc in
    0|1) echo "   exit $rc; 发放台账: $out/reconcile/ledger.csv, 结算: $out/reconcile/settlement.json" ;;
    *) echo "   exit $rc: the run failed" >&2; status=$rc ;;
  esac
  reports+=("$out/reconcile/report.html")
  echo
fi
echo "Reports (open in a browser; printable on A4):"
printf '  %s\n' "${reports[@]}"
echo "Planted cases are listed in $data/planted.csv."
exit $status
