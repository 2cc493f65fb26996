#!/usr/bin/env bash
# Installs the C libraries zizhu links (libcsv, zlib, libxlsxwriter, expat, FreeXL, SQLite) and the one it loads when
# present (ISA-L) from Debian when they are missing.
set -euo pipefail
missing=()
[ -f /usr/include/csv.h ] || missing+=(libcsv-dev)
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
[ -f /usr/include/xlsxwriter.h ] || missing+=(libxlsxwriter-dev)
[ -f /usr/include/expat.h ] || missing+=(libexpat1-dev)
[ -f /usr/include/freexl.h ] || missing+=(libfreexl-dev)
[ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
# ISA-L's inflate (several times zlib's speed) is loaded at run time when present; zlib otherwise.
[ -f /usr/include/isa-l/igzip_lib.h ] || missing+=(libisal-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} …" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "swift is not on PATH (expected at /opt/swift/usr/bin)" >&2; exit 1; }
