#!/usr/bin/env bash
# The paper's sweep (Wang, Liang, Joshi 2020, section 4), scaled to Fashion-MNIST:
# tau in {1, 2, 8, 24} x {IID, Dirichlet(0.5)} from config/paper/, each run with
# several algorithms through `olsgd compare`, then one Markdown table of all of them.
#
#   scripts/paper-sweep.sh [BUILD_DIR] [OUT_DIR] [-- extra olsgd flags, e.g. --set training.epochs=2]
#
# Long: 8 configs x 5 algorithms of 16 workers. Ctrl-C stops the current run
# cleanly; the configs already done keep their results.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
OUT=${2:-runs/paper-sweep-$(date -u +%Y%m%d-%H%M%S)}
shift $(( $# > 2 ? 2 : $# ))
[[ "${1:-}" == "--" ]] && shift
EXTRA=("$@")
OLSGD="$BUILD_DIR/olsgd"
[[ -x "$OLSGD" ]] || { echo "paper-sweep: $OLSGD not found; run 'make build' first" >&2; exit 2; }
# Elastic averaging needs alpha < 1/m = 1/16 with 16 workers. The paper
# configs set beta 0.7 for Overlap-Local-SGD's anchor momentum; local_sgd runs
# with beta 0 (plain Local SGD: with beta > 0 it would be SlowMo, a different
# baseline). sync_sgd is the fully synchronous baseline.
ALGORITHMS=sync_sgd,local_sgd,overlap_local_sgd,easgd,cocod_sgd
PER_ALGORITHM=(--set easgd:algorithm.alpha=0.05 --set easgd:algorithm.beta=0
               --set local_sgd:algorithm.beta=0)

# Check every config first, so a typo does not surface hours in.
for cfg in config/paper/*.yaml; do "$OLSGD" validate "$cfg" "${EXTRA[@]}" > /dev/null; done

mkdir -p "$OUT"
table="$OUT/sweep.md"
echo "# Paper sweep ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(git rev-parse --short HEAD 2>/dev/null || echo unknown))" > "$table"
for tau in 1 2 8 24; do
  for part in iid dirichlet; do
    name="tau${tau}_${part}"
    echo "== $name"
    rc=0
    "$OLSGD" compare "config/paper/$name.yaml" --algorithms "$ALGORITHMS" \
        "${PER_ALGORITHM[@]}" --out "$OUT/$name" "${EXTRA[@]}" || rc=$?
    { echo; echo "## tau = $tau, $part"; echo; cat "$OUT/$name/compare.md" 2>/dev/null || echo "(no results)"; } >> "$table"
    if (( rc == 130 )); then echo "paper-sweep: interrupted; partial table in $table"; exit 130; fi
  done
done
echo "paper-sweep: table in $table"
