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
