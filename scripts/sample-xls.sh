#!/usr/bin/env bash
# Saves the sample's 建设银行 workbook as .xls (BIFF8, what banks still send) with LibreOffice
# headless: SAMPLE/finance/workbooks/ledger-ccb.xlsx → ledger-ccb.xls beside it. FreeXL (what zizhu
# reads .xls with) cannot write, and an .xls should come from a real spreadsheet program.
#
# LibreOffice stamps the time into the file, so a conversion is not byte-identical to the last one.
# To keep `make sample-data` deterministic, a committed .xls is kept when its .xlsx did not change:
# the .xlsx's SHA-256 is noted in ledger-ccb.xls.sha256 and compared first.
# Usage: scripts/sample-xls.sh [SAMPLE_DIR] [PREVIOUS_SAMPLE_DIR]   (defaults: sample-data, none)
# Installs libreoffice-calc-nogui when soffice is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
sample=${1:-sample-data}
previous=${2:-}
dir=$sample/finance/workbooks
src=$dir/ledger-ccb.xlsx
dst=$dir/ledger-ccb.xls
[ -f "$src" ] || { echo "sample-xls: no $src (run zizhu sample first)" >&2; exit 2; }
sum=$(sha256sum "$src" | cut -d' ' -f1)

if [ -n "$previous" ] && [ -f "$previous/finance/workbooks/ledger-ccb.xls" ] \
  && [ "$(cat "$previous/finance/workbooks/ledger-ccb.xls.sha256" 2>/dev/null)" = "$sum" ]; then
  cp "$previous/finance/workbooks/ledger-ccb.xls" "$dst"
  echo "$sum" > "$dst.sha256"
  echo "sample-xls: $src unchanged; kept the committed $dst" >&2
  exit 0
fi

if ! command -v soffice > /dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libreoffice-calc-nogui > /dev/null \
    || { echo "sample-xls: cannot install libreoffice-calc-nogui" >&2; exit 1; }
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# A private profile: no clash with a LibreOffice already running, nothing left in $HOME.
soffice --headless -env:UserInstallation=file://"$profile" --convert-to xls:"MS Excel 97" --outdir "$profile/out" "$src" > /dev/null 2>&1 \
  || { echo "sample-xls: LibreOffice could not convert $src" >&2; exit 1; }
[ -s "$profile/out/ledger-ccb.xls" ] || { echo "sample-xls: LibreOffice wrote no ledger-ccb.xls" >&2; exit 1; }
mv "$profile/out/ledger-ccb.xls" "$dst"
echo "$sum" > "$dst.sha256"
echo "sample-xls: wrote $dst" >&2
