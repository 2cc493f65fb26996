#!/usr/bin/env bash
# Prints declaration.html (the 申报数据真实性声明) the way a school would: headless Chromium makes
# OUT_PREFIX.pdf, pdftoppm makes OUT_PREFIX.png of it, and pdfinfo / pdftotext check that the PDF is
# exactly one A4 portrait page carrying Chinese text. Any other result fails with exit 1.
#
# Usage: scripts/render-declaration.sh HTML_FILE OUT_PREFIX
#   e.g. scripts/render-declaration.sh out/declaration.html out/declaration  →  out/declaration.{pdf,png}
#
# Installs what is missing from Debian: chromium, fonts-noto-cjk, poppler-utils (pdfinfo,
# pdftoppm, pdftotext) — as root, or through sudo when there is one.
set -euo pipefail

die() { echo "render-declaration: $*" >&2; exit 1; }

[ $# -eq 2 ] || { sed -n '6,7s/^# \{0,1\}//p' "$0" >&2; exit 2; }
html=$1
prefix=$2
[ -f "$html" ] || die "no such file: $html"
[ -n "$prefix" ] || die "OUT_PREFIX is empty"

find_chromium() {
  local c
  for c in chromium chromium-browser; do
    if command -v "$c" >/dev/null 2>&1; then command -v "$c"; return 0; fi
  done
  return 1
}

# What is missing.
missing=()
find_chromium >/dev/null || missing+=(chromium)
# (Output captured first: `fc-list | grep -q` would fail under pipefail when grep stops reading early.)
fonts_here=$(fc-list : family 2>/dev/null || true)
if ! grep -q "Noto Serif CJK SC" <<<"$fonts_here"; then
  missing+=(fonts-noto-cjk)
fi
for tool in pdfinfo pdftoppm pdftotext; do
  command -v "$tool" >/dev/null 2>&1 || { missing+=(poppler-utils); break; }
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "render-declaration: installing ${missing[*]} …" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need ${missing[*]}: run as root or install sudo"
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
chromium=$(find_chromium) || die "chromium is still missing after apt-get install"

# file:// URL of the page: absolute, every byte outside [A-Za-z0-9/._~-] percent-encoded.
abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
url="file://"
LC_ALL=C
for ((i = 0; i < ${#abs}; i++)); do
  ch=${abs:i:1}
  case $ch in
    [A-Za-z0-9/._~-]) url+=$ch ;;
    *) url+=$(printf '%%%02X' "'$ch") ;;
  esac
done
unset LC_ALL

mkdir -p "$(dirname "$prefix")"
prefix_abs=$(cd "$(dirname "$prefix")" && pwd)/$(basename "$prefix")
pdf="$prefix_abs.pdf"
png="$prefix_abs.png"
rm -f "$pdf" "$png"

# A throwaway profile: no first-run state, no leftovers, nothing shared with a person's browser.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Chromium ≥ 110 spells "no header and footer" --no-pdf-header-footer (before: --print-to-pdf-no-header).
if ! timeout 180 "$chromium" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --user-data-dir="$work/profile" --no-first-run --no-default-browser-check --disable-extensions \
    --disable-background-networking --disable-component-update --disable-sync \
    --run-all-compositor-stages-before-draw --virtual-time-budget=5000 \
    --print-to-pdf="$pdf" "$url" >"$work/chromium.log" 2>&1 || [ ! -s "$pdf" ]; then
  cat "$work/chromium.log" >&2
  die "chromium did not print $pdf"
fi

pdftoppm -png -r 100 -singlefile "$pdf" "$prefix_abs" || die "pdftoppm could not render $pdf"
[ -s "$png" ] || die "pdftoppm wrote no $png"

# The checks: one page, A4 portrait (595.28 x 841.89 pt, 2 pt of slack), Chinese text.
info=$(pdfinfo "$pdf") || die "pdfinfo cannot read $pdf"
pages=$(awk -F: '/^Pages:/ { gsub(/ /, "", $2); print $2 }' <<<"$info")
size=$(awk '/^Page size:/ { print $3, $5 }' <<<"$info")
read -r width height <<<"$size"
[ "$pages" = "1" ] || die "$pdf has ${pages:-?} pages, not 1: the declaration must fit on one sheet"
awk -v w="$width" -v h="$height" 'BEGIN { d1 = w - 595.28; d2 = h - 841.89;
  exit !(d1 < 2 && d1 > -2 && d2 < 2 && d2 > -2) }' \
  || die "$pdf is $width x $height pt, not A4 portrait (595 x 842 pt)"
# Chromium embeds the CJK fonts as nameless Type 3 outlines, so pdffonts cannot name them; check
# instead that fontconfig knows a Chinese font (else Chromium draws boxes) and that the title is text.
[ -n "$(fc-list :lang=zh-cn family 2>/dev/null || true)" ] \
  || die "no Chinese font known to fontconfig (Chinese would show as boxes): install fonts-noto-cjk"
text=$(pdftotext -raw "$pdf" - 2>/dev/null | tr -d ' \t\n') || die "pdftotext cannot read $pdf"
grep -q "申报数据真实性声明" <<<"$text" \
  || die "$pdf does not hold the title 申报数据真实性声明 as text: is $html a declaration page?"

echo "render-declaration: $pdf (1 page, A4 ${width} x ${height} pt), $png"
