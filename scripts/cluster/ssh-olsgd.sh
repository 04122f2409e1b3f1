#!/usr/bin/env bash
# Starts a multi-host run over SSH: the head here, one worker on each host.
#   scripts/cluster/ssh-olsgd.sh CONFIG.yaml HEAD_IP host1 host2 ... [-- olsgd head options]
# e.g.
#   scripts/cluster/ssh-olsgd.sh config/quickstart.yaml 10.0.0.1 node2 node3 -- --out runs/q3
# Every host needs the olsgd binary at the same path (OLSGD, default
# ./build/olsgd relative to the same working directory, OLSGD_REMOTE_DIR, or
# the current directory) and, with OLSGD_KEY_DIR set, the key folder there too.
# Workers are stopped when this script exits (also on Ctrl-C or failure).
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 CONFIG.yaml HEAD_IP HOST... [-- olsgd head options]" >&2
  exit 2
fi
config="$1"
head_ip="$2"
shift 2
hosts=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  hosts+=("$1")
  shift
done
[ $# -gt 0 ] && shift  # the --

olsgd="${OLSGD:-./build/olsgd}"
port="${OLSGD_PORT:-5555}"
remote_dir="${OLSGD_REMOTE_DIR:-$PWD}"
if [ -n "${OLSGD_KEY_DIR:-}" ]; then
  head_security=(--set "cluster.key_dir=$OLSGD_KEY_DIR")
  worker_security="--key-dir $OLSGD_KEY_DIR"
else
  head_security=(--set cluster.insecure=true)
  worker_security="--insecure"
fi

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

"$olsgd" head --config "$config" --listen "tcp://$head_ip:$port" \
  --set "cluster.wait_for_workers=${#hosts[@]}" "${head_security[@]}" "$@" &
head_pid=$!
for h in "${hosts[@]}"; do
  # -tt: the remote worker dies with the connection if this script is killed.
  ssh -tt -o BatchMode=yes "$h" \
    "cd '$remote_dir' && exec '$olsgd' worker --head tcp://$head_ip:$port $worker_security --name '$h'" &
  pids+=($!)
done
set +e
wait "$head_pid"
rc=$?
set -e
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
pids=()
exit "$rc"
