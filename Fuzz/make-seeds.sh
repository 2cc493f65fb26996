#!/usr/bin/env bash
# Derives the fuzz harnesses' seed corpora from sample-data/ and pipelines/ into Fuzz/corpus/<harness>/
# (committed; kept small: a few KiB a seed, well under 1 MB in all) and the trust folder Fuzz/trust/.
# Deterministic. Needs iconv, gzip, python3 (zip archives); builds the harnesses when missing.
# Usage: Fuzz/make-seeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=Fuzz/corpus
lines=${SEED_LINES:-25}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -rf "$corpus" Fuzz/trust
mkdir -p "$corpus/record-reader" "$corpus/package-verifier" "$corpus/pipeline-yaml" Fuzz/trust

# --- record-reader: <source byte><options byte><payload>; see Sources/fuzz-record-reader/main.swift.
rr() { # name source options file
  { printf "\\x$2\\x$3"; cat "$4"; } > "$corpus/record-reader/$1"
}
school=sample-data/city/370100/3701J001
head -n "$lines" "$school/roster.csv" > "$work/roster.gb18030.csv"            # as schools send it
iconv -f GB18030 -t UTF-8 "$work/roster.gb18030.csv" > "$work/roster.utf8.csv"
{ printf '\xef\xbb\xbf'; cat "$work/roster.utf8.csv"; } > "$work/roster.bom.csv"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$work/roster.utf8.csv"; } > "$work/roster.utf16le.csv"
{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE "$work/roster.utf8.csv"; } > "$work/roster.utf16be.csv"
tr ',' '\t' < "$work/roster.utf8.csv" > "$work/roster.tab.csv"
sed 's/$/\r/' "$work/roster.utf8.csv" > "$work/roster.crlf.csv"
gzip -9 -n -c "$work/roster.utf8.csv" > "$work/roster.csv.gz"
head -n "$lines" "$school/applications.csv" | iconv -f GB18030 -t UTF-8 > "$work/applications.csv"
head -n "$lines" sample-data/finance/ledger-ccb.csv > "$work/ledger-ccb.csv"
gzip -dc sample-data/finance/ledger-icbc.csv.gz | head -n "$lines" > "$work/ledger-icbc.gb18030.csv"
python3 - "$work" <<'PY'
import sys, zipfile
work = sys.argv[1]
with zipfile.ZipFile(f"{work}/roster.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for name in ["roster.utf8.csv", "applications.csv"]:
        info = zipfile.ZipInfo(name.replace(".utf8", ""), date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, open(f"{work}/{name}", "rb").read())
    info = zipfile.ZipInfo("nested.csv.gz", date_time=(1980, 1, 1, 0, 0, 0))
    z.writestr(info, open(f"{work}/roster.csv.gz", "rb").read())
PY
rr roster-gb18030        00 00 "$work/roster.gb18030.csv"
rr roster-utf8           00 00 "$work/roster.utf8.csv"
rr roster-utf8-bom       00 00 "$work/roster.bom.csv"
rr roster-utf16le        00 00 "$work/roster.utf16le.csv"
rr roster-utf16be        00 00 "$work/roster.utf16be.csv"
rr roster-tab            00 00 "$work/roster.tab.csv"
rr roster-crlf-chunk7    00 80 "$work/roster.crlf.csv"
rr roster-gzip-raw       00 00 "$work/roster.csv.gz"
rr roster-gzip-wrapped   01 00 "$work/roster.gb18030.csv"
rr roster-file-libcsv    02 20 "$work/roster.utf8.csv"
rr roster-zipwriter      03 40 "$work/roster.utf8.csv"
rr roster-zip-raw        04 00 "$work/roster.zip"
rr roster-forced-gb18030 00 07 "$work/roster.gb18030.csv"
rr applications          00 00 "$work/applications.csv"
rr ledger-ccb            00 00 "$work/ledger-ccb.csv"
rr ledger-icbc-gb18030   00 00 "$work/ledger-icbc.gb18030.csv"
rr ledger-abc-zip        04 00 sample-data/finance/ledger-abc.zip
rr allocations-total     00 00 sample-data/finance/allocations.csv
rr quote-multiline       00 00 <(printf '学号,姓名,"备\n注"\n1,"张三\n李四",x\n2,"未闭合,y\n3,王五,z\n')

# --- workbook: <source byte><options byte><payload>; see Sources/fuzz-workbook/Harness.swift. The sample's
# workbooks whole (the roster .xlsx libxlsxwriter wrote: inline strings, date and number cells, a merged
# title; the bank .xls LibreOffice saved), and their XML parts opened to the mutator: the roster's sheet
# cut to 25 rows (source 3), and the shared strings, styles and sheet of the LibreOffice fixture (source 4).
mkdir -p "$corpus/workbook"
wb() { # name source options file
  { printf "\\x$2\\x$3"; cat "$4"; } > "$corpus/workbook/$1"
}
wb roster-xlsx-memory     00 00 "$school/roster.xlsx"
wb applications-xlsx-file 01 04 "$school/applications.xlsx"
wb ledger-xls             02 00 sample-data/finance/workbooks/ledger-ccb.xls
python3 - "$school/roster.xlsx" Tests/ZizhuIngestTests/Fixtures/roster-small.xlsx "$work" "$lines" <<'PY'
import re, sys, zipfile
roster, small, work, lines = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sheet = zipfile.ZipFile(roster).read("xl/worksheets/sheet1.xml").decode()
rows = re.findall(r"<row [^>]*>.*?</row>", sheet, re.S)
head, tail = sheet.split("<sheetData>")[0], sheet.split("</sheetData>")[1]
open(f"{work}/sheet.xml", "w").write(head + "<sheetData>" + "".join(rows[:lines]) + "</sheetData>" + tail)
z = zipfile.ZipFile(small)
open(f"{work}/parts.xml", "wb").write(b"\0".join(z.read(f"xl/{p}") for p in ["sharedStrings.xml", "styles.xml", "worksheets/sheet1.xml"]))
PY
wb roster-sheet-xml       03 00 "$work/sheet.xml"
wb roster-sheet-1904-ch7  03 18 "$work/sheet.xml"
wb small-parts            04 00 "$work/parts.xml"
wb small-parts-sheet2-ch1 04 07 "$work/parts.xml"

# --- package-verifier: <selector byte><package .zip>. Small packages of school 3701J001 made by the
# harness itself (`--make-seeds`: a fixed key, so the same bytes every time), signed and unsigned,
# deflated as zizhu writes them and stored (the JSON open to the mutator); the key's public half is
# Fuzz/trust/3701J001.pub (bit 1 of the selector checks M06 against it).
bin=.build-fuzz/${FUZZ_CONFIG:-release}
[ -x "$bin/fuzz-package-verifier" ] || swift build --package-path Fuzz --scratch-path .build-fuzz \
  -c "${FUZZ_CONFIG:-release}" --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address
ASAN_OPTIONS=detect_leaks=0 "$bin/fuzz-package-verifier" --make-seeds "$work/packages"
cp "$work/packages/3701J001.pub" Fuzz/trust/
for signed in signed unsigned; do
  package=$work/packages/$signed.zip
  python3 - "$package" "$work/packages/$signed-stored.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_STORED) as dst:
    for info in src.infolist():
        dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), src.read(info))
PY
  for selector in 00 01 02 04; do
    { printf "\\x$selector"; cat "$package"; } > "$corpus/package-verifier/$signed-$selector"
  done
  for selector in 00 03; do
    { printf "\\x$selector"; cat "$work/packages/$signed-stored.zip"; } > "$corpus/package-verifier/$signed-stored-$selector"
  done
done

# --- pipeline-yaml: the built-in pipelines as they are.
for file in pipelines/*.yaml; do cp "$file" "$corpus/pipeline-yaml/$(basename "$file" .yaml)"; done

du -sh "$corpus" Fuzz/trust
