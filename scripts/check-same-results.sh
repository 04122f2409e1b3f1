#!/usr/bin/env bash
# Behaviour-preserving changes: runs the shipped configs with two olsgd
# binaries (say, one built from main and one from your branch) and checks
# that every evaluation's accuracies and losses (metrics.csv, every row) are
# the same bits. Paper configs are cut to 0.25 epochs (their full runs take
# hours); the rest run as shipped.
#   scripts/check-same-results.sh OLD_OLSGD NEW_OLSGD [CONFIG...]
set -euo pipefail
old="$1" new="$2"
shift 2
configs=("$@")
if ((${#configs[@]} == 0)); then
  configs=(config/quickstart.yaml config/algorithms/*.yaml config/scenarios/*.yaml
           config/paper/*.yaml)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for cfg in "${configs[@]}"; do
  extra=()
  case "$cfg" in config/paper/*) extra=(--set training.epochs=0.25 --set evaluation.every_rounds=2) ;; esac
  name=$(echo "$cfg" | tr '/.' '__')
  for which in old new; do
    bin=$old
    [[ $which == new ]] && bin=$new
    "$bin" run "$cfg" "${extra[@]}" --out "$work/$name-$which" -q --set output.plots=false \
        --set output.trace=false > /dev/null
  done
  # Every column but the timing ones (wall_s, compute_s, blocked_s).
  cols() { python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
keep = [k for k in rows[0] if not k.endswith("_s")]
for r in rows: print(",".join(r[k] for k in keep))' "$1"; }
  if diff <(cols "$work/$name-old/metrics.csv") <(cols "$work/$name-new/metrics.csv") > /dev/null; then
    echo "same  $cfg ($(wc -l < "$work/$name-new/metrics.csv") metric rows)"
  else
    echo "DIFFERENT  $cfg"
    diff <(cols "$work/$name-old/metrics.csv") <(cols "$work/$name-new/metrics.csv") | head -5
    status=1
  fi
done
exit $status
