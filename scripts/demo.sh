#!/usr/bin/env bash
# Validates the bundled sample-data/ with every schema and says where the reports are.
# Usage: scripts/demo.sh ZIZHU_BINARY OUT_DIR
set -uo pipefail
zizhu=${1:-.build/release/zizhu}
out=${2:-demo-out}
data=sample-data
[ -x "$zizhu" ] || { echo "no zizhu binary at $zizhu (run make release)" >&2; exit 2; }
[ -d "$data" ] || { echo "no $data/ folder" >&2; exit 2; }

files_for() { # schema → the sample files of that kind, sorted
  case "$1" in
    roster) find "$data" -type f \( -name '*roster*.csv' -o -name '*roster*.csv.gz' -o -name '*roster*.zip' \) ;;
    applications) find "$data" -type f \( -name '*application*.csv*' -o -name '*approved*.csv*' \) ;;
    ledger) find "$data" -type f -name '*ledger*' ;;
    allocations) find "$data" -type f -name '*allocation*' ;;
  esac | LC_ALL=C sort
}

status=0
for schema in roster applications ledger allocations; do
  mapfile -t files < <(files_for "$schema")
  [ ${#files[@]} -gt 0 ] || continue
  echo "== zizhu validate --schema $schema (${#files[@]} files)"
  "$zizhu" validate --schema "$schema" --out "$out/$schema" "${files[@]}"
  rc=$?
  case $rc in
    0) echo "   exit 0: no error-severity findings" ;;
    1) echo "   exit 1: rejected rows or error findings (planted in the sample on purpose)" ;;
    *) echo "   exit $rc: the run failed" >&2; status=$rc ;;
  esac
  echo
done
echo "Reports: $(ls -d "$out"/*/report.html 2>/dev/null | tr '\n' ' ')"
echo "Planted cases are listed in $data/planted.csv."
exit $status
