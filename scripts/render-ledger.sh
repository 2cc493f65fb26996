#!/usr/bin/env bash
# Prints 发放台账.xlsx the way a school office would: LibreOffice headless converts the workbook to
# OUT_PREFIX.pdf (every sheet, with the workbook's own print setup), pdftoppm renders pages 1 and 2
# to OUT_PREFIX-1.png and OUT_PREFIX-2.png, and pdfinfo / pdftotext check what a person would see:
# A4 landscape pages (842 x 595 pt), at least two of them, the title on page 1, every column of the
# header (学生签名, the last, included: nothing cut off), and page 2 starting with the header row
# again (it is repeated on every printed page). Any other result fails with exit 1.
#
# Usage: scripts/render-ledger.sh XLSX_FILE OUT_PREFIX
#   e.g. scripts/render-ledger.sh demo-out/reconcile/发放台账.xlsx demo-out/reconcile/发放台账
#
# Installs what is missing from Debian: libreoffice-calc-nogui, fonts-noto-cjk, poppler-utils
# (pdfinfo, pdftoppm, pdftotext) — as root, or through sudo when there is one.
set -euo pipefail

die() { echo "render-ledger: $*" >&2; exit 1; }

[ $# -eq 2 ] || { sed -n '9,10s/^# \{0,1\}//p' "$0" >&2; exit 2; }
xlsx=$1
prefix=$2
[ -f "$xlsx" ] || die "no such file: $xlsx"
[ -n "$prefix" ] || die "OUT_PREFIX is empty"

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
fonts_here=$(fc-list :lang=zh-cn family 2>/dev/null || true)
[ -n "$fonts_here" ] || missing+=(fonts-noto-cjk)
for tool in pdfinfo pdftoppm pdftotext; do
  command -v "$tool" >/dev/null 2>&1 || { missing+=(poppler-utils); break; }
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "render-ledger: installing ${missing[*]} …" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need ${missing[*]}: run as root or install sudo"
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v soffice >/dev/null 2>&1 || die "soffice is still missing after apt-get install"

mkdir -p "$(dirname "$prefix")"
prefix_abs=$(cd "$(dirname "$prefix")" && pwd)/$(basename "$prefix")
pdf="$prefix_abs.pdf"
rm -f "$pdf" "$prefix_abs"-1.png "$prefix_abs"-2.png

# A throwaway LibreOffice profile: no first-run state, nothing shared with a person's own.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$xlsx" "$work/ledger.xlsx"
if ! timeout 300 soffice -env:UserInstallation="file://$work/profile" --headless --norestore \
    --convert-to pdf --outdir "$work" "$work/ledger.xlsx" >"$work/soffice.log" 2>&1 || [ ! -s "$work/ledger.pdf" ]; then
  cat "$work/soffice.log" >&2
  die "LibreOffice did not convert $xlsx to PDF"
fi
mv "$work/ledger.pdf" "$pdf"

info=$(pdfinfo "$pdf") || die "pdfinfo cannot read $pdf"
pages=$(awk -F: '/^Pages:/ { gsub(/ /, "", $2); print $2 }' <<<"$info")
read -r width height <<<"$(awk '/^Page size:/ { print $3, $5 }' <<<"$info")"
awk -v w="$width" -v h="$height" 'BEGIN { d1 = w - 841.89; d2 = h - 595.28;
  exit !(d1 < 2 && d1 > -2 && d2 < 2 && d2 > -2) }' \
  || die "$pdf is $width x $height pt, not A4 landscape (842 x 595 pt)"
[ "${pages:-0}" -ge 2 ] || die "$pdf has ${pages:-?} page(s): need a school with enough students for page 2 (try a bigger zizhu sample)"

pdftoppm -png -r 80 -f 1 -l 2 "$pdf" "$prefix_abs" || die "pdftoppm could not render $pdf"
# pdftoppm pads the page number to the width of the page count.
for n in 1 2; do
  made=$(ls "$prefix_abs"-*"$n".png 2>/dev/null | grep -E -- "-0*$n\.png$" | head -1 || true)
  [ -n "$made" ] || die "pdftoppm wrote no PNG of page $n"
  [ "$made" = "$prefix_abs-$n.png" ] || mv "$made" "$prefix_abs-$n.png"
done

page() { pdftotext -f "$1" -l "$1" -layout "$pdf" - 2>/dev/null | tr -d ' \t\n'; }
one=$(page 1)
two=$(page 2)
grep -q "国家助学金发放台账" <<<"$one" || die "page 1 does not carry the title 国家助学金发放台账 as text"
for title in 序号 学籍号 姓名 身份证号 资助卡号 "应发(元)" "实发(元)" 发放日期 学生签名; do
  grep -qF "$title" <<<"$one" || die "page 1 lacks the column $title (cut off?)"
  grep -qF "$title" <<<"$two" || die "page 2 does not repeat the header column $title"
done
grep -qE "第1页共[0-9]+页" <<<"$one" || die "page 1 lacks the footer 第 1 页 共 n 页"

echo "render-ledger: $pdf ($pages pages, A4 landscape ${width} x ${height} pt, header repeated on page 2), $prefix_abs-1.png, $prefix_abs-2.png"
