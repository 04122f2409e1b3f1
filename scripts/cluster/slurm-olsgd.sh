#!/usr/bin/env bash
# One olsgd process per Slurm task: task 0 is the head, every other task a
# worker that joins it. Run it with srun inside an allocation, e.g.
#   salloc -N 3 --ntasks-per-node=1 --cpus-per-task=4
#   srun scripts/cluster/slurm-olsgd.sh config/quickstart.yaml --out runs/q3
# Arguments after the config go to `olsgd head` (e.g. --out, --set).
# Environment (all optional):
#   OLSGD        the olsgd binary (default: olsgd on PATH, else ./build/olsgd)
#   OLSGD_PORT   the head's port (default 5555)
#   OLSGD_KEY_DIR  cluster keys from `olsgd keygen` on a shared file system;
#                unset = plaintext (--insecure), only on a trusted network
# Slurm's own variables used: SLURM_PROCID, SLURM_NTASKS, SLURM_JOB_NODELIST,
# SLURM_CPUS_PER_TASK, SLURMD_NODENAME.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: srun $0 CONFIG.yaml [olsgd head options...]" >&2
  exit 2
fi
config="$1"
shift
: "${SLURM_PROCID:?run this under srun (SLURM_PROCID is not set)}"
: "${SLURM_NTASKS:?run this under srun (SLURM_NTASKS is not set)}"
: "${SLURM_JOB_NODELIST:?run this under srun (SLURM_JOB_NODELIST is not set)}"

olsgd="${OLSGD:-$(command -v olsgd || echo ./build/olsgd)}"
port="${OLSGD_PORT:-5555}"
head_host="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)"
# Resolve once, so every worker dials the same address the head binds.
head_ip="$(getent ahostsv4 "$head_host" | awk 'NR == 1 { print $1 }')"
[ -n "$head_ip" ] || { echo "slurm-olsgd: cannot resolve head host $head_host" >&2; exit 1; }

security=()
if [ -n "${OLSGD_KEY_DIR:-}" ]; then
  head_security=(--set "cluster.key_dir=$OLSGD_KEY_DIR")
  security=(--key-dir "$OLSGD_KEY_DIR")
else
  head_security=(--set cluster.insecure=true)
  security=(--insecure)
fi

if [ "$SLURM_PROCID" = 0 ]; then
  exec "$olsgd" head --config "$config" --listen "tcp://$head_ip:$port" \
    --set "cluster.wait_for_workers=$((SLURM_NTASKS - 1))" "${head_security[@]}" "$@"
fi
exec "$olsgd" worker --head "tcp://$head_ip:$port" "${security[@]}" \
  --name "${SLURMD_NODENAME:-$(hostname)}-$SLURM_PROCID" --slots "${SLURM_CPUS_PER_TASK:-1}"
