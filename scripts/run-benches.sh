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
run c1 bench/actors/c1_bench --out "$out/c1.json"
run scale bench/actors/scale_bench --out "$out/scale.json"
# The quickstart as `make run` trains it (virtual time, the default of an
# embedded run) and the same on the wall clock; their summary.json files
# (accuracy, time to target, blocked share, durations on both clocks, resolved
# config, git revision, host) are the record behind the README's figures.
if [[ -x "$build/olsgd" ]]; then
  qs="$(mktemp -d)"
  for clock in virtual wall; do
    echo "== quickstart ($clock time)"
    "$build/olsgd" run "$(dirname "$0")/../config/quickstart.yaml" --set time.mode=$clock \
      --out "$qs/$clock" --quiet
  done
  cp "$qs/virtual/summary.json" "$out/quickstart.json"
  cp "$qs/wall/summary.json" "$out/quickstart_wall.json"
  rm -rf "$qs"
fi
