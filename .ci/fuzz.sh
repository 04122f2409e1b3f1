#!/usr/bin/env bash
# Builds the message-decoder libFuzzer target with clang (ASan + UBSan) and
# runs it for a bounded time. Exits non-zero on a crash, a sanitizer report,
# a leak or an out-of-memory. Usage: .ci/fuzz.sh [SECONDS] (default 60).
# Needs clang and libclang-rt-14-dev (scripts/install-deps.sh --ci).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN="${1:-${OLSGD_FUZZ_SECONDS:-60}}"
BUILD=build-fuzz

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DOLSGD_FUZZ=ON -DOLSGD_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build "$BUILD" --target message_decoder_fuzz -j2

# New inputs go to a scratch corpus; the committed seeds are read only.
WORK="$BUILD/fuzz-corpus"
ARTIFACTS="$BUILD/fuzz-artifacts/"
mkdir -p "$WORK" "$ARTIFACTS"
LOG="$BUILD/fuzz.log"

echo "fuzz: message_decoder_fuzz for ${SECONDS_TO_RUN} s"
set +e
"$BUILD/tests/fuzz/message_decoder_fuzz" "$WORK" tests/fuzz/corpus \
  -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=65536 \
  -timeout=10 -print_final_stats=1 -artifact_prefix="$ARTIFACTS" >"$LOG" 2>&1
rc=$?
set -e

execs=$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$LOG" | grep -o '[0-9]*$' || true)
rate=$(grep -m1 -o 'stat::average_exec_per_sec: *[0-9]*' "$LOG" | grep -o '[0-9]*$' || true)
cov=$(grep -o 'cov: [0-9]*' "$LOG" | tail -1 || true)
echo "fuzz: executions=${execs:-?} exec/s=${rate:-?} ${cov} corpus=$(ls "$WORK" | wc -l) files"
if [ "$rc" -ne 0 ]; then
  tail -n 60 "$LOG"
  echo "fuzz: FAILED (exit $rc); crashing input in $ARTIFACTS:" $(ls "$ARTIFACTS")
  exit 1
fi
echo "fuzz: OK (no crash)"
