# Shared by the benchmark scripts (source it after setting BENCH_NAME and OUT):
# messages, installing missing Debian packages, a Python with duckdb, the zizhu binary, timing.
# shellcheck shell=bash

say() { printf '== %s\n' "$*" >&2; }
die() { printf '%s: %s\n' "${BENCH_NAME:-bench}" "$*" >&2; exit 1; }

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

# install_missing PACKAGE… : apt-get install the packages named (nothing when none).
install_missing() {
  [ $# -gt 0 ] || return 0
  say "installing $*"
  $SUDO apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed"
}

# use_duckdb_python: sets PYTHON to a Python that imports duckdb — BENCH_PYTHON, the system one,
# a venv left in $OUT/venv, or a new venv there (Debian's Python refuses pip installs, PEP 668).
use_duckdb_python() {
  PYTHON=${BENCH_PYTHON:-python3}
  if ! $PYTHON -c 'import duckdb' 2>/dev/null; then
    if [ -x "$OUT/venv/bin/python" ] && "$OUT/venv/bin/python" -c 'import duckdb' 2>/dev/null; then
      PYTHON=$OUT/venv/bin/python
    elif python3 -m pip install --quiet duckdb 2>/dev/null; then
      PYTHON=python3
    else
      if ! python3 -m venv "$OUT/venv" 2>/dev/null; then
        install_missing python3-venv
        python3 -m venv "$OUT/venv" || die "cannot create a Python virtual environment"
      fi
      "$OUT/venv/bin/pip" install --quiet duckdb || die "pip install duckdb failed"
      PYTHON=$OUT/venv/bin/python
    fi
  fi
  $PYTHON -c 'import duckdb' || die "duckdb is not importable"
}

# use_zizhu: sets ZIZHU to an absolute path — the binary ZIZHU names, else a fresh release build.
use_zizhu() {
  if [ -n "${ZIZHU:-}" ]; then
    [ -x "$ZIZHU" ] || die "ZIZHU=$ZIZHU is not an executable"
  else
    say "building zizhu (swift build -c release)"
    swift build -c release >&2 || die "swift build -c release failed"
    ZIZHU=.build/release/zizhu
  fi
  ZIZHU=$(cd "$(dirname "$ZIZHU")" && pwd)/$(basename "$ZIZHU")
}

now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# use_sample DIR ARG… : `zizhu sample --out DIR ARG…` unless BENCH_REUSE=1 and DIR was made with the
# same arguments (DIR/.bench-args); then checks DIR holds the finance files the benchmarks read.
use_sample() {
  local dir=$1; shift
  if [ "${BENCH_REUSE:-0}" = 1 ] && [ -f "$dir/finance/approved.csv" ] && [ -f "$dir/files.csv" ] \
     && [ "$(cat "$dir/.bench-args" 2>/dev/null)" = "$*" ]; then
    say "reusing $dir (zizhu sample $*)"
  else
    say "generating: zizhu sample $*"
    rm -rf "$dir"
    "$ZIZHU" sample --out "$dir" "$@" --quiet >&2 || die "zizhu sample failed"
    printf '%s\n' "$*" > "$dir/.bench-args"
  fi
  local f
  for f in finance/approved.csv finance/roster.csv.gz finance/allocations.csv files.csv; do
    [ -f "$dir/$f" ] || die "the sample has no $dir/$f"
  done
}
