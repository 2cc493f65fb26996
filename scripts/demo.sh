#!/usr/bin/env bash
# Runs the jobs on the bundled sample-data/ as their users would: each school's term submission
# (zizhu submit), the province's merge of the packages (zizhu merge), the finance office's
# reconciliation (zizhu reconcile), and a plain validation of the bank files; then says where the
# reports, packages and declarations are.
# Usage: scripts/demo.sh ZIZHU_BINARY OUT_DIR
set -uo pipefail
zizhu=${1:-.build/release/zizhu}
out=${2:-demo-out}
data=sample-data
term=2023-fall
[ -x "$zizhu" ] || { echo "no zizhu binary at $zizhu (run make release)" >&2; exit 2; }
[ -d "$data" ] || { echo "no $data/ folder" >&2; exit 2; }
rm -rf "$out"
# The package's generated_at: pinned so the demo's packages are byte-identical run after run.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1698627600}   # 2023-10-30 09:00 +08:00

status=0
reports=()
packages=()
note() { # rc what
  case $1 in
    0) echo "   exit 0: no error-severity finding${2:+; $2}" ;;
    1) echo "   exit 1: error findings or rejected rows (planted in the sample on purpose)" ;;
    *) echo "   exit $1: the run failed" >&2; status=$1 ;;
  esac
}

# Schools: city/<city code>/<school code>/{roster,applications}.csv → zizhu submit. A school whose
# files are also Excel workbooks (.xlsx, as the system exports them) submits those.
for dir in $(find "$data/city" -mindepth 2 -maxdepth 2 -type d | LC_ALL=C sort); do
  school=$(basename "$dir")
  city=$(basename "$(dirname "$dir")")
  target="$out/submit-$school"
  roster=$dir/roster.csv applications=$dir/applications.csv
  [ -f "$dir/roster.xlsx" ] && roster=$dir/roster.xlsx
  [ -f "$dir/applications.xlsx" ] && applications=$dir/applications.xlsx
  echo "== zizhu submit --term $term --school-code $school --school-city $city ($(basename "$roster"), $(basename "$applications"))"
  "$zizhu" submit --term "$term" --school-code "$school" --school-city "$city" \
    --roster "$roster" --applications "$applications" --out "$target" --quiet
  rc=$?
  note $rc "package $(ls "$target"/*.zip 2>/dev/null | head -1), declaration $target/declaration.html"
  reports+=("$target/report.html")
  [ -f "$target/declaration.html" ] && packages+=("$target/declaration.html")
  echo
done

# The province's job: merge the schools' packages (a school with planted errors wrote none, so it
# is missing like the school that sent nothing: M03), with the expected list.
mapfile -t made < <(find "$out" -mindepth 2 -maxdepth 2 -type f -path "$out/submit-*" -name '*.zip' | LC_ALL=C sort)
if [ ${#made[@]} -gt 0 ]; then
  echo "== zizhu merge --term $term --expected $data/schools.csv (${#made[@]} school packages)"
  "$zizhu" merge --term "$term" --expected "$data/schools.csv" --out "$out/merge" --quiet "${made[@]}"
  rc=$?
  note $rc
  [ $rc -le 1 ] && echo "   merged data: $out/merge/merged/roster.csv.gz, $out/merge/merged/applications.csv.gz; per city and school: $out/merge/summary.json"
  reports+=("$out/merge/report.html")
  echo
fi

# The finance office's job: approved grants against the bank files.
fin="$data/finance"
if [ -f "$fin/approved.csv" ]; then
  mapfile -t ledgers < <(find "$fin" -maxdepth 1 -type f -name '*ledger*' | LC_ALL=C sort)
  # 建设银行's file as the .xls a bank sends (finance/workbooks/, saved by LibreOffice) in place of its CSV.
  if [ -f "$fin/workbooks/ledger-ccb.xls" ]; then
    for k in "${!ledgers[@]}"; do [ "${ledgers[$k]}" = "$fin/ledger-ccb.csv" ] && ledgers[$k]=$fin/workbooks/ledger-ccb.xls; done
  fi
  extra=()
  [ -f "$fin/roster.csv.gz" ] && extra+=(--roster "$fin/roster.csv.gz")
  [ -f "$fin/allocations.csv" ] && extra+=(--allocations "$fin/allocations.csv")
  echo "== zizhu reconcile --term $term (approved list vs ${#ledgers[@]} bank files: ${ledgers[*]##*/})"
  "$zizhu" reconcile --term "$term" --approved "$fin/approved.csv" --ledger "${ledgers[@]}" "${extra[@]}" --out "$out/reconcile" --quiet
  rc=$?
  note $rc
  [ $rc -le 1 ] && echo "   发放台账: $out/reconcile/ledger.csv and 发放台账.xlsx (to print: make ledger-pdf), 结算: $out/reconcile/settlement.json"
  reports+=("$out/reconcile/report.html")
  echo

  echo "== zizhu validate --schema ledger (every bank file, any encoding, gzip, zip)"
  "$zizhu" validate --schema ledger --out "$out/validate-ledger" --quiet "${ledgers[@]}"
  note $?
  reports+=("$out/validate-ledger/report.html")
  echo
fi
# The finance office again, a month later, with a run history: the first batch, then the first
# batch plus a second bank file that pays the unpaid and reissues the failed payments (made from
# the sample by scripts/second-batch.py). The history says what is new, resolved and still open.
batch2="$fin/second-batch/payout-2023-12.csv"
if [ -f "$fin/approved.csv" ] && [ -f "$batch2" ]; then
  history="$out/history.db"
  rm -f "$history" "$history.secret"
  echo "== zizhu reconcile --history $history: the first batch (run 1), then with the second batch file (run 2)"
  "$zizhu" reconcile --term "$term" --approved "$fin/approved.csv" --ledger "${ledgers[@]}" "${extra[@]}" \
    --history "$history" --out "$out/reconcile-batch1" --quiet >/dev/null
  rc=$?; note $rc
  "$zizhu" reconcile --term "$term" --approved "$fin/approved.csv" --ledger "${ledgers[@]}" "$batch2" "${extra[@]}" \
    --history "$history" --out "$out/reconcile-batch2" --quiet | grep -E 'since the last run|first run'
  rc=${PIPESTATUS[0]}; note $rc
  reports+=("$out/reconcile-batch2/report.html")
  echo "== zizhu history diff 1 2 --history $history"
  "$zizhu" history diff 1 2 --history "$history" > "$out/history-diff.txt"
  rc=$?; [ "$rc" -eq 0 ] || status=$rc
  head -20 "$out/history-diff.txt"
  echo "   (the whole diff: $out/history-diff.txt)"
  echo "   (zizhu history runs / zizhu findings list --status open / zizhu findings note ID --status explained --by NAME --note TEXT)"
  echo
fi

echo "Reports (open in a browser; printable on A4):"
printf '  %s\n' "${reports[@]}"
if [ ${#packages[@]} -gt 0 ]; then
  echo "Declarations of authenticity (申报数据真实性声明) to print and sign, beside their packages:"
  printf '  %s\n' "${packages[@]}"
fi
echo "Planted cases are listed in $data/planted.csv."
exit $status
