#!/usr/bin/env bash
# Builds the libFuzzer harnesses (Swift -sanitize=fuzzer,address, in .build-fuzz/) and runs each in
# turn, for a time or a number of runs. Exits 1 when a harness crashed, leaked or timed out: the
# input is then in Fuzz/artifacts/<harness>/ (replay it with the harness binary and the file).
# New corpus entries go to Fuzz/.work/corpus/<harness>/ (ignored by git); the committed seeds in
# Fuzz/corpus/<harness>/ are only read.
# Usage: Fuzz/run.sh (--seconds N | --runs N) [harness ...]   (harnesses: record-reader package-verifier pipeline-yaml workbook)
set -uo pipefail
cd "$(dirname "$0")/.."
all=(record-reader package-verifier pipeline-yaml workbook)
limit=()
case "${1:-}" in
  --seconds) limit=(-max_total_time="$2"); shift 2 ;;
  --runs)    limit=(-runs="$2"); shift 2 ;;
  *) echo "usage: Fuzz/run.sh (--seconds N | --runs N) [harness ...]" >&2; exit 2 ;;
esac
harnesses=("$@"); [ ${#harnesses[@]} -eq 0 ] && harnesses=("${all[@]}")
config=${FUZZ_CONFIG:-release}
swift=${SWIFT:-swift}

# --sanitize applies to the C targets too (Yams' libyaml, BoringSSL, zlib) and makes SwiftPM compile the
# harnesses as libraries, so libFuzzer's main runs. But it hands swiftc `-sanitize=fuzzer -sanitize=address`,
# and swiftc keeps only the last -sanitize= flag: Swift code would get ASan without coverage, and
# libFuzzer would fuzz blind. The comma form, given last, restores both.
mkdir -p Fuzz/.work
if ! "$swift" build --package-path Fuzz --scratch-path .build-fuzz -c "$config" \
     --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address > Fuzz/.work/build.log 2>&1; then
  cat Fuzz/.work/build.log >&2; echo "fuzz: the harnesses do not build" >&2; exit 2
fi
grep -v -e '^\[' -e 'PrivacyInfo.xcprivacy' -e "'zipfoundation': found 1 file" Fuzz/.work/build.log || true
# (Not `--show-bin-path`: asked without the sanitizer flags, SwiftPM rewrites its plan and the next
# build starts again from scratch.)
bin=.build-fuzz/$config
# Fuzzing blind is no fuzzing: the project's Swift code must carry libFuzzer's coverage counters.
probe=$bin/ZizhuIngest.build/RecordReader.swift.o
# (The symbols are read whole before grep: `nm | grep -q` under pipefail fails when grep stops early and
# nm dies of SIGPIPE, which is what made CI report a well-instrumented object as blind.)
if [ -f "$probe" ] && ! grep -q sanitizer_cov <<<"$(nm "$probe" 2>/dev/null)"; then
  echo "fuzz: $probe has no coverage instrumentation (check the -sanitize flags above)" >&2; exit 2
fi
for name in "${harnesses[@]}"; do
  [ -x "$bin/fuzz-$name" ] || { echo "fuzz: no harness $bin/fuzz-$name (did the build fail?)" >&2; exit 2; }
done

failed=()
for name in "${harnesses[@]}"; do
  mkdir -p "Fuzz/.work/corpus/$name" "Fuzz/artifacts/$name"
  echo "== fuzz-$name ${limit[*]}"
  # One process (no -jobs/-fork), at low priority: the machine is shared.
  # ASan: a leak is a finding too; allocator failures are reported, not swallowed.
  # LSan: Fuzz/lsan.supp names the one third-party leak known.
  # Swift's own crash backtracer off: under ASan it hung on a finding (its memory server read a
  # wild pointer and never exited, and held the log pipe open), so CI waited instead of failing.
  # libFuzzer and ASan report the crash and write the input. And a wall-clock bound per harness
  # (FUZZ_WALL seconds) so that no hang can take the whole CI budget.
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0} \
  LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0} \
  SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no} \
  ZIZHU_FUZZ_TMP=${ZIZHU_FUZZ_TMP:-$PWD/Fuzz/.work} \
  timeout --kill-after=30 "${FUZZ_WALL:-1200}" nice -n "${FUZZ_NICE:-10}" "$bin/fuzz-$name" "${limit[@]}" \
    -artifact_prefix="Fuzz/artifacts/$name/" -timeout="${FUZZ_TIMEOUT:-20}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" \
    -print_final_stats=1 ${FUZZ_FLAGS:-} $( [ -f "Fuzz/dict/$name.dict" ] && echo "-dict=Fuzz/dict/$name.dict" ) \
    "Fuzz/.work/corpus/$name" "Fuzz/corpus/$name" 2>&1 | tee "Fuzz/.work/$name.log" \
    | grep -E '^(#[0-9]+ +(INITED|DONE|pulse)|stat::number_of_executed_units|stat::average_exec_per_sec|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written|fuzz:|INFO: Running with)' 
  status=${PIPESTATUS[0]}
  if [ "$status" -ne 0 ]; then failed+=("$name"); echo "fuzz-$name FAILED (exit $status): see Fuzz/.work/$name.log and Fuzz/artifacts/$name/" >&2; fi
done
if [ ${#failed[@]} -ne 0 ]; then echo "fuzz: findings in ${failed[*]}" >&2; exit 1; fi
echo "fuzz: no findings in ${harnesses[*]}"
