#!/usr/bin/env bash
# Prints every job's report.html and the declarations (申报数据真实性声明) the way an office would —
# headless Chromium to PDF, pdftoppm to PNG — under screenshots/, and CHECKS what a clerk would see:
#   - each declaration is exactly one A4 portrait page (scripts/render-declaration.sh), including a
#     school with a 44-character name;
#   - each report's page count is what its rows give: at least one page per 60 table rows, at most
#     two pages plus one per 12 rows (fewer means rows were lost, more means rows broke apart), a
#     report with no finding and no reject is one page, and every page is A4 — landscape exactly
#     when the report puts a table too wide for portrait on a landscape page;
#   - no table is wider than its page in the print layout (a copy of each page with a small local
#     script, laid out at the printed width by chromium --dump-dom, compares each table's width
#     with the width it has; no network, no CDN);
#   - the 16-city merge report holds every city's table.
# Any failed check fails the script (exit 1).
#
# Usage: scripts/screenshots.sh [ZIZHU_BINARY] [DEMO_OUT]
#   ZIZHU_BINARY  default .build/release/zizhu
#   DEMO_OUT      the demo's output (default demo-out; made by scripts/demo.sh when missing)
# Besides the demo it makes, under screenshots/work/: a 16-city merge (16 city archives of school
# packages from `zizhu sample --schools 40`, an expected list over 16 cities) and a school with a
# 44-character name (`zizhu submit --school-name`).
set -euo pipefail

zizhu=${1:-.build/release/zizhu}
demo=${2:-demo-out}
shots=screenshots
work=$shots/work
term=2023-fall
long_name="新疆维吾尔自治区乌鲁木齐市交通运输高级技工学校（乌鲁木齐市交通运输技师学院）米东区分校区"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1698627600}   # packages byte-identical run after run

die() { echo "screenshots: $*" >&2; exit 1; }
failures=()
fail() { echo "screenshots: FAIL $*" >&2; failures+=("$*"); }

[ -x "$zizhu" ] || die "no zizhu binary at $zizhu (run make release)"
rm -rf "$shots"
mkdir -p "$work"

# 1. The demo (every job on sample-data/), unless its output is already there.
if [ ! -d "$demo" ]; then
  echo "== the demo into $demo"
  scripts/demo.sh "$zizhu" "$demo" >/dev/null || [ $? -eq 1 ] || die "the demo failed"
fi

# 2. A province of 16 cities: a larger sample, one package per school, 16 city archives.
echo "== a 16-city merge"
"$zizhu" sample --out "$work/sample" --students 8000 --schools 40 --seed 3 --quiet >/dev/null
packages=()
for dir in $(find "$work/sample/city" -mindepth 2 -maxdepth 2 -type d | LC_ALL=C sort); do
  school=$(basename "$dir"); city=$(basename "$(dirname "$dir")")
  out="$work/submit/$school"
  "$zizhu" submit --term "$term" --school-code "$school" --school-city "$city" \
    --roster "$dir/roster.csv" --applications "$dir/applications.csv" --out "$out" --quiet >/dev/null || true
  [ -f "$out/${school}_$term.zip" ] && packages+=("$out/${school}_$term.zip")
done
[ ${#packages[@]} -ge 16 ] || die "the sample gave ${#packages[@]} school packages, not 16"
# 16 prefecture-level cities (GB/T 2260): the expected list puts the i-th school in the i-th city,
# and each city sends its school's package in a city archive (a zip of packages).
cities=(370100:济南市 370200:青岛市 440100:广州市 370300:淄博市 370600:烟台市 370700:潍坊市 440300:深圳市 371300:临沂市
        410100:郑州市 510100:成都市 420100:武汉市 340100:合肥市 130100:石家庄市 450100:南宁市 650100:乌鲁木齐市 320100:南京市)
expected="$work/应报学校名单.csv"
echo "school_code,school_name,city_code,city_name" >"$expected"
archives=()
for i in $(seq 0 15); do
  package=${packages[$i]}
  school=$(basename "$package" "_$term.zip")
  code=${cities[$i]%%:*}; name=${cities[$i]#*:}
  # The school's own name from the sample (the first one: the 44-character name, to see it wrap).
  school_name=$(awk -F, -v c="$school" '$1 == c { print $2 }' "$work/sample/schools.csv")
  [ "$i" -eq 0 ] && school_name=$long_name
  echo "$school,$school_name,$code,$name" >>"$expected"
  archive="$work/archives/$code-$name.zip"
  mkdir -p "$work/archives"
  python3 -c 'import sys, zipfile, os
with zipfile.ZipFile(sys.argv[1], "w") as z: z.write(sys.argv[2], os.path.basename(sys.argv[2]))' "$archive" "$package"
  archives+=("$archive")
done
"$zizhu" merge --term "$term" --expected "$expected" --out "$work/merge-16" --quiet "${archives[@]}" >/dev/null || [ $? -eq 1 ] \
  || die "the 16-city merge failed"

# 3. A school with a 44-character name: the first school of the sample that writes a package.
echo "== a school with a 44-character name"
first=${packages[0]}
school=$(basename "$first" "_$term.zip")
dir=$(find "$work/sample/city" -mindepth 2 -maxdepth 2 -type d -name "$school")
"$zizhu" submit --term "$term" --school-code "$school" --school-city "$(basename "$(dirname "$dir")")" \
  --school-name "$long_name" --roster "$dir/roster.csv" --applications "$dir/applications.csv" \
  --out "$work/long-name" --quiet >/dev/null || die "the long-name school wrote no package"
grep -q "$long_name" "$work/long-name/declaration.html" || fail "long-name declaration does not hold the whole name"

# The same school in English, when this zizhu takes --lang (report.html and the declaration's words).
if "$zizhu" submit --help 2>/dev/null | grep -q -- '--lang'; then
  echo "== the same school in English (--lang en)"
  "$zizhu" submit --lang en --term "$term" --school-code "$school" --school-city "$(basename "$(dirname "$dir")")" \
    --school-name "$long_name" --roster "$dir/roster.csv" --applications "$dir/applications.csv" \
    --out "$work/long-name-en" --quiet >/dev/null || die "the long-name school (English) wrote no package"
fi

# 4. Print. Declarations first (render-declaration.sh installs chromium, fonts, poppler when missing).
find_chromium() { command -v chromium || command -v chromium-browser; }
declarations=()
while IFS= read -r f; do declarations+=("$f"); done < <(find "$demo" -name declaration.html | LC_ALL=C sort)
declarations+=("$work/long-name/declaration.html")
[ -f "$work/long-name-en/declaration.html" ] && declarations+=("$work/long-name-en/declaration.html")
for html in "${declarations[@]}"; do
  case $html in
    "$work"/long-name/*) name=declaration-long-name ;;
    "$work"/long-name-en/*) name=declaration-long-name-en ;;
    *) name=declaration-$(basename "$(dirname "$html")") ;;
  esac
  scripts/render-declaration.sh "$html" "$shots/$name" >/dev/null || fail "$name: not one A4 portrait page"
done
chromium=$(find_chromium) || die "no chromium"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chrome() { # chromium's headless flags, a throwaway profile, no network
  timeout 180 "$chromium" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --user-data-dir="$profile/p" --no-first-run --no-default-browser-check --disable-extensions \
    --disable-background-networking --disable-component-update --disable-sync \
    --run-all-compositor-stages-before-draw --virtual-time-budget=5000 "$@" 2>>"$profile/chromium.log"
}
url() { # file:// URL of a path, every byte outside [A-Za-z0-9/._~-] percent-encoded
  local abs ch out="file://" i
  abs=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  local LC_ALL=C
  for ((i = 0; i < ${#abs}; i++)); do
    ch=${abs:i:1}
    case $ch in [A-Za-z0-9/._~-]) out+=$ch ;; *) out+=$(printf '%%%02X' "'$ch") ;; esac
  done
  echo "$out"
}

# The width check: the page at its printed width (A4 less the @page margins: 190 mm portrait,
# 277 mm for a landscape section) and, for each table, whether it is wider than the box it is in.
# The result is written into the DOM; --dump-dom prints it. (A copy: report.html has no script.)
width_probe='<style>@media screen { body { max-width: none !important; width: 190mm !important; padding: 0 !important; margin: 0 !important; }
section.wide { width: 277mm !important; } }</style>
<script>
window.addEventListener("load", function () {
  var bad = [];
  document.querySelectorAll("table").forEach(function (t, i) {
    var box = t.parentElement.getBoundingClientRect().width, w = t.getBoundingClientRect().width;
    if (w > box + 1) {
      var h = t.previousElementSibling; while (h && !/^H[1-3]$/.test(h.tagName)) h = h.previousElementSibling;
      bad.push("table " + (i + 1) + " (" + (h ? h.textContent : "top") + ") " + Math.round(w) + "px wide in " + Math.round(box) + "px");
    }
  });
  var out = document.createElement("pre");
  out.id = "zizhu-width-check";
  // The markers are split here so that the text of this script in the dumped DOM never matches.
  out.textContent = "ZIZHU" + "-WIDTH " + (bad.length ? bad.join(" | ") : "OK") + " ZIZHU" + "-END";
  document.body.appendChild(out);
});
</script>'

check_report() { # report.html  name
  local html=$1 name=$2 pdf="$shots/$2.pdf" probe="$profile/$2-probe.html" info pages rows want_min want_max
  chrome --print-to-pdf="$pdf" "$(url "$html")" >/dev/null || [ -s "$pdf" ] || { fail "$name: chromium printed no PDF"; return; }
  pdftoppm -png -r 60 "$pdf" "$shots/$name" || fail "$name: pdftoppm"
  info=$(pdfinfo -f 1 -l 9999 "$pdf")
  pages=$(awk -F: '/^Pages:/ { gsub(/ /, "", $2); print $2 }' <<<"$info")
  rows=$(grep -o '<tr>' "$html" | wc -l)
  want_min=$(( (rows + 59) / 60 )); [ "$want_min" -ge 1 ] || want_min=1
  want_max=$(( 2 + rows / 12 ))
  if grep -q '<p class="ok">' "$html" && [ "$(grep -c '<p class="ok">' "$html")" -eq 2 ] && ! grep -q '<section' "$html"; then
    want_min=1; want_max=1   # nothing found, nothing rejected, no job table: one page
  fi
  if [ "$pages" -lt "$want_min" ] || [ "$pages" -gt "$want_max" ]; then
    fail "$name: $pages pages for $rows table rows (expected $want_min–$want_max)"
  fi
  # Every page A4; landscape pages exactly when a section is marked wide.
  local portrait landscape other
  portrait=$(awk '/^Page +[0-9]+ size:/ { w = $4; h = $6; if (w > 593 && w < 598 && h > 840 && h < 844) n++ } END { print n + 0 }' <<<"$info")
  landscape=$(awk '/^Page +[0-9]+ size:/ { w = $4; h = $6; if (h > 593 && h < 598 && w > 840 && w < 844) n++ } END { print n + 0 }' <<<"$info")
  other=$(( pages - portrait - landscape ))
  [ "$other" -eq 0 ] || fail "$name: $other pages are not A4"
  if grep -q '<section class="wide"' "$html"; then
    [ "$landscape" -gt 0 ] || fail "$name: a table too wide for portrait, but no landscape page"
  else
    [ "$landscape" -eq 0 ] || fail "$name: landscape pages with no wide table"
  fi
  # Widths.
  { sed '/<\/body>/,$d' "$html"; echo "$width_probe"; echo "</body></html>"; } >"$probe"
  local dom verdict
  dom=$(chrome --dump-dom --window-size=1400,1000 "$(url "$probe")") || true
  verdict=$(grep -o 'ZIZHU-WIDTH .* ZIZHU-END' <<<"$dom" || echo "ZIZHU-WIDTH no result ZIZHU-END")
  if [ "$verdict" != "ZIZHU-WIDTH OK ZIZHU-END" ]; then
    fail "$name: ${verdict#ZIZHU-WIDTH }"
  fi
  echo "   $name: $pages page(s) ($portrait portrait, $landscape landscape) for $rows table rows"
}

echo "== printing the reports"
while IFS= read -r html; do
  check_report "$html" "report-$(basename "$(dirname "$html")")"
done < <(find "$demo" -name report.html | LC_ALL=C sort)
check_report "$work/merge-16/report.html" report-merge-16-cities
check_report "$work/long-name/report.html" report-long-name
[ -f "$work/long-name-en/report.html" ] && check_report "$work/long-name-en/report.html" report-long-name-en

# The 16-city merge: every city's table made it to paper.
text=$(pdftotext -raw "$shots/report-merge-16-cities.pdf" - | tr -d ' \t')
for entry in "${cities[@]}"; do
  grep -q "${entry#*:}${entry%%:*}" <<<"$text" || fail "report-merge-16-cities: no table of ${entry#*:} ${entry%%:*} on paper"
done

# The workbench's pages (finance, province, city, merge, tokens), served and photographed.
scripts/serve-screenshots.sh "$zizhu" "$shots" || fail "the workbench's pages (scripts/serve-screenshots.sh)"

echo
ls "$shots"/*.pdf | sed 's/^/   /'
if [ ${#failures[@]} -gt 0 ]; then
  echo "screenshots: ${#failures[@]} check(s) failed:" >&2
  printf '  %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "screenshots: every check passed; PDFs and PNGs in $shots/"
