#!/usr/bin/env bash
# Runs every benchmark and writes its JSON to bench/results/. Usage:
#   scripts/run-benches.sh [BUILD_DIR]
# Each bench prints what it measured and the ratios against its baseline.
set -euo pipefail
build="${1:-build}"
out="$(dirname "$0")/../bench/results"
mkdir -p "$out"
run() {  # name, binary, args...
  local name="$1"; shift
  if [[ -x "$build/$1" ]]; then
    echo "== $name"
    "$build/$@"
  else
    echo "== $name: $build/$1 not built, skipped" >&2
  fi
}
run runtime bench/runtime/runtime_bench --out "$out/runtime.json"
run trainer bench/trainer/trainer_bench --out "$out/trainer.json"
run algorithms bench/actors/algorithms_bench --out "$out/algorithms.json"
