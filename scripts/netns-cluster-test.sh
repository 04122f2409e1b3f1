#!/usr/bin/env bash
# The real multi-host test: three network namespaces as hosts (a head and two
# workers) joined by veth pairs and a bridge, each host's egress capped with
# tbf; latency comes from the runtime's link models (netem is not available
# on these machines). It runs `olsgd head` / `olsgd worker` with CURVE keys
# (over plaintext, with a NOTE, while a build has no `olsgd keygen`) and
# checks:
#   (a) overlap_local_sgd completes, outputs exist, status completed;
#   (b) sync_sgd completes, and its blocked share is above overlap's;
#   (c) on_failure=abort: kill -9 of the worker in h3 makes the head exit 1,
#       name the lost node, write a checkpoint; the other worker exits too;
#   (d) on_failure=continue: the same kill; the head completes (exit 0) and
#       summary.json names what was lost;
#   (e) on_failure=continue, then the killed worker is started again in h3:
#       it takes its trainer back at a round boundary, the head completes
#       with both workers and summary.json's recovery says so;
#   (f) on_failure=continue with both trainers in h2 and the reducer in h3:
#       the kill loses the reducer, the head re-creates it, both workers end.
#
# Usage: scripts/netns-cluster-test.sh [OLSGD_BINARY]   (default build/olsgd)
# Needs root, iproute2 (`ip netns`), tc and python3; otherwise it prints one
# "netns-cluster-test: SKIP (...)" line and exits 0. Exit 1 if a check fails,
# 2 on a usage error. NETNS_KEEP=1 keeps the work folder (logs, run outputs);
# it is kept anyway when a check fails. NETNS_CASES="c d" runs only some
# checks (default "a b c d e f"); NETNS_KILL_SIGNAL=TERM (a diagnostic) stops
# the h3 worker cleanly instead of kill -9. docs/CLUSTER.md describes it.
set -uo pipefail

readonly TAG="netns-cluster-test"
OLSGD="${1:-$(dirname "$0")/../build/olsgd}"  # a relative path is from the caller's folder
if [[ ! -x "$OLSGD" ]]; then
  echo "$TAG: FAIL: no olsgd binary at $OLSGD (build it first)" >&2
  exit 2
fi
OLSGD="$(cd "$(dirname "$OLSGD")" && pwd)/$(basename "$OLSGD")"
cd "$(dirname "$0")/.." || exit 2
NS_PREFIX="olsgdnt-$$"
SUBNET="10.77.0"
RATE_MBIT="${NETNS_RATE_MBIT:-100}"
NET_CHECK="$PWD/scripts/netns/net_check.py"
CLUSTER_CONFIG="$PWD/config/tests/netns_cluster.yaml"
FAILURE_CONFIG="$PWD/config/tests/netns_failure.yaml"
HEAD_IP="${SUBNET}.1"
CASES="${NETNS_CASES:-a b c d e f}"  # a and b run together (their blocked shares are compared)
RUN_TIMEOUT_S=120   # any head or worker process; nothing can hang CI
LOST_BOUND_S=30     # kill of a worker -> head exit, under abort
# The failure checks crash the worker (KILL). NETNS_KILL_SIGNAL=TERM makes it
# leave cleanly instead: a diagnostic for builds without heartbeats, never
# what CI runs.
KILL_SIGNAL="${NETNS_KILL_SIGNAL:-KILL}"
declare -a RESULTS=()
FAILED=0
WORK=""

SKIPPED=0
skip() {  # the machine cannot run the test: one line, exit 0
  SKIPPED=1
  echo "$TAG: SKIP (needs root and ip netns: $*)"
  exit 0
}
skip_build() {  # the binary cannot: the same, with its own wording
  SKIPPED=1
  echo "$TAG: SKIP ($*)"
  exit 0
}
die() {
  echo "$TAG: FAIL: $*" >&2
  exit 1
}
# result PASS|FAIL NAME DETAILS: one line per check, collected for the summary.
result() {
  local line="$TAG: $1 $2: $3"
  echo "$line"
  RESULTS+=("$line")
  [[ "$1" == PASS ]] || FAILED=$((FAILED + 1))
}
now() { date +%s.%N; }
percent() { awk -v x="$1" 'BEGIN { printf "%.2f%%", 100 * x }'; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
log_tail() {  # the last lines of a log, indented, for a failed check
  local f
  for f in "$@"; do
    [[ -s "$f" ]] || continue
    echo "  --- ${f#"$WORK"/} (last 15 lines)"
    tail -n 15 "$f" | sed 's/^/  | /'
  done
}

# --- preconditions: each missing one is a SKIP, not a failure --------------
(($(id -u) == 0)) || skip "not root (uid $(id -u))"
command -v ip >/dev/null 2>&1 || skip "iproute2's ip is not installed"
command -v tc >/dev/null 2>&1 || skip "tc is not installed"
command -v timeout >/dev/null 2>&1 || skip "coreutils timeout is missing"
command -v python3 >/dev/null 2>&1 || skip "python3 is missing (the throughput check needs it)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/olsgd-netns.XXXXXX")
mkdir -p "$WORK/logs"
# shellcheck source=scripts/netns/topology.sh
source scripts/netns/topology.sh

# shellcheck disable=SC2317  # called through the trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if topo_destroy; then
    ((SKIPPED)) || echo "$TAG: cleanup: processes and namespaces removed, no ${NS_PREFIX}-* namespace left"
  else
    rc=1
  fi
  if ((rc == 0)) && [[ "${NETNS_KEEP:-0}" != 1 ]]; then
    rm -rf "$WORK"
  elif [[ -d "$WORK" ]]; then
    echo "$TAG: logs and run folders kept in $WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "$TAG: interrupted" >&2; exit 130' INT TERM

# Keys first (the real deployment: CURVE). A build whose `olsgd keygen` is
# not there yet, but whose worker has --insecure, runs the same checks over
# plaintext tcp and says so on a NOTE line and in the summary; a build
# without the cluster commands at all is a SKIP.
HEAD_SECURITY=(--set "cluster.key_dir=$WORK/keys")
WORKER_SECURITY=(--key-dir "$WORK/keys")
TRANSPORT="CURVE keys from olsgd keygen"
if ! "$OLSGD" keygen --out "$WORK/keys" >"$WORK/logs/keygen.out" 2>"$WORK/logs/keygen.err"; then
  grep -q "not available in this build" "$WORK/logs/keygen.err" || {
    cat "$WORK/logs/keygen.err" >&2
    die "olsgd keygen --out $WORK/keys failed"
  }
  "$OLSGD" worker --help 2>/dev/null | grep -q -- "--insecure" ||
    skip_build "this olsgd build has no olsgd head / worker yet"
  HEAD_SECURITY=(--set cluster.insecure=true)
  WORKER_SECURITY=(--insecure)
  TRANSPORT="PLAINTEXT (--insecure): this build's olsgd keygen is not available, CURVE untested"
  echo "$TAG: NOTE: olsgd keygen is not available in this build; running over plaintext tcp"
fi

[[ "$KILL_SIGNAL" == KILL ]] ||
  echo "$TAG: NOTE: NETNS_KILL_SIGNAL=$KILL_SIGNAL: the h3 worker leaves cleanly; this is not the crash test"

# --- the hosts -------------------------------------------------------------
# A kernel or container that refuses namespaces, veth, bridges or tbf is a
# SKIP; the cleanup removes whatever was created.
topo_create 2>"$WORK/logs/setup.err" || skip "$(tr '\n' ' ' <"$WORK/logs/setup.err")"
echo "$TAG: hosts h1 ($HEAD_IP, head), h2 ($(host_ip h2)), h3 ($(host_ip h3)) in namespaces" \
  "${NS_PREFIX}-h{1,2,3}, bridge in ${NS_PREFIX}-br, egress tbf ${RATE_MBIT} Mbit/s each"
topo_check_connectivity || die "the hosts cannot reach each other"

# The cap is active: a transfer between hosts runs at about the tbf rate,
# the same transfer over h1's loopback (no qdisc) far above it.
bytes=$((RATE_MBIT * 1000 * 1000 * 3 / 32))  # about 0.75 s at the cap
read -r _ capped_s capped_mbit < <(topo_transfer h1 h2 "$bytes") || die "h1 -> h2 transfer failed"
read -r _ _ lo_mbit < <(topo_transfer h1 lo "$bytes") || die "h1 loopback transfer failed"
if awk -v m="$capped_mbit" -v r="$RATE_MBIT" 'BEGIN { exit !(m <= 1.25 * r) }'; then
  result PASS "tbf cap" "h1 -> h2 ${capped_mbit} Mbit/s ($bytes bytes in ${capped_s} s; cap ${RATE_MBIT} Mbit/s); same transfer over loopback ${lo_mbit} Mbit/s"
else
  result FAIL "tbf cap" "h1 -> h2 ${capped_mbit} Mbit/s is above 1.25 x the ${RATE_MBIT} Mbit/s cap; the qdisc is not limiting"
fi

# --- one cluster run --------------------------------------------------------
# start_cluster CASE CONFIG PORT [--set k=v]...: the head in h1, a worker in
# h2 and one in h3. Sets HEAD_PID, W2_PID, W3_PID and OUT (the run folder).
start_cluster() {
  local case="$1" config="$2" port="$3" host
  shift 3
  OUT="$WORK/$case"
  # `ip netns exec` directly, not through in_ns: a function in the
  # background runs in a subshell, and $! would be that subshell instead of
  # the `timeout` wrapper that signals reach olsgd through.
  ip netns exec "$(ns_name h1)" timeout -k 5 "$RUN_TIMEOUT_S" "$OLSGD" head --config "$config" \
    --listen "tcp://$HEAD_IP:$port" --out "$OUT" \
    "${HEAD_SECURITY[@]}" "$@" >"$WORK/logs/$case-head.out" 2>"$WORK/logs/$case-head.err" &
  HEAD_PID=$!
  sleep 0.5
  start_worker h2 "$port" "$case-h2"
  W2_PID=$!
  start_worker h3 "$port" "$case-h3"
  W3_PID=$!
}
# start_worker HOST PORT LOG: an `olsgd worker` in HOST's namespace, in the
# background ($! is its `timeout` wrapper); logs go to logs/LOG.{out,err}.
start_worker() {
  local host="$1" port="$2" log="$3"
  ip netns exec "$(ns_name "$host")" timeout -k 5 "$RUN_TIMEOUT_S" "$OLSGD" worker --head "tcp://$HEAD_IP:$port" \
    --slots 1 --name "olsgd-$host" --listen "tcp://$(host_ip "$host"):0" \
    "${WORKER_SECURITY[@]}" >"$WORK/logs/$log.out" 2>"$WORK/logs/$log.err" &
}
# Ends a case's processes early (a check already failed): TERM to the
# `timeout` wrappers, which pass it on to olsgd.
stop_cluster() {
  kill -TERM "$HEAD_PID" "$W2_PID" "$W3_PID" 2>/dev/null
  wait "$HEAD_PID" "$W2_PID" "$W3_PID" 2>/dev/null
}
# "exit 1", "exit 124 (its timeout)", "exit 137 (SIGKILL)", ...
describe_rc() {
  case "$1" in
    124) echo "exit 124 (its ${RUN_TIMEOUT_S} s timeout)" ;;
    137) echo "exit 137 (SIGKILL)" ;;
    143) echo "exit 143 (SIGTERM)" ;;
    *) echo "exit $1" ;;
  esac
}
# wait_rc PID: waits (bounded by the process's own timeout) and sets RC to
# its exit status; 124 means `timeout` had to end it. Not in a $(...): a
# subshell cannot wait for this shell's children.
wait_rc() {
  RC=0
  { wait "$1"; } 2>/dev/null || RC=$?  # no "Killed" job notice for the h3 worker
}
# A JSON field of a run's summary.json (python3: jq is not everywhere).
summary_field() {
  python3 -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print(json.dumps(v) if isinstance(v,(list,dict)) else v)' \
    "$1/summary.json" "$2" 2>/dev/null
}
# The outputs every completed run writes.
missing_outputs() {
  local f missing=""
  for f in summary.json metrics.csv rounds.csv config.yaml "$@"; do
    [[ -s "$OUT/$f" ]] || missing+=" $f"
  done
  echo "${missing# }"
}

# Waits until metrics.csv has 2 evaluations; returns non-zero if the head
# exits first or nothing comes within 60 s.
wait_until_training() {
  local rows
  for _ in $(seq 1 600); do
    kill -0 "$HEAD_PID" 2>/dev/null || return 1
    if [[ -f "$OUT/metrics.csv" ]]; then
      rows=$(($(wc -l <"$OUT/metrics.csv") - 1))
      ((rows >= 2)) && return 0
    fi
    sleep 0.1
  done
  return 1
}
# kill -9 the `olsgd worker` process in h3's namespace (found by its command
# line among the namespace's PIDs; its `timeout` wrapper is left alone).
# Sets KILLED to the PIDs killed.
kill_worker_h3() {
  local pid
  KILLED=""
  for pid in $(ip netns pids "$(ns_name h3)"); do
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == timeout ]] && continue
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$OLSGD worker "; then
      kill -s "$KILL_SIGNAL" "$pid" && KILLED+="${KILLED:+ }$pid"
    fi
  done
}
# wait_exit PID BOUND: polls until PID exits or BOUND seconds pass; sets
# TOOK to the seconds it took, or "timeout". Runs in this shell (not in a
# $(...)), so Ctrl-C reaches the trap at once.
wait_exit() {
  local pid="$1" bound="$2" t0
  t0=$(now)
  TOOK=timeout
  while kill -0 "$pid" 2>/dev/null; do
    awk -v e="$(elapsed "$t0" "$(now)")" -v b="$bound" 'BEGIN { exit !(e > b) }' && return
    sleep 0.05
  done
  TOOK=$(elapsed "$t0" "$(now)")
}

# (a) and (b): a complete run per algorithm.
declare -A BLOCKED=()
complete_run() {  # complete_run CASE ALGORITHM PORT
  local case="$1" algorithm="$2" port="$3" t0 head_rc w2_rc w3_rc missing status wall
  t0=$(now)
  start_cluster "$case" "$CLUSTER_CONFIG" "$port" --set "algorithm.name=$algorithm"
  wait_rc "$HEAD_PID"
  head_rc=$RC
  # The workers must follow the head out; one still running 30 s later is
  # ended (and fails the check with exit 143).
  wait_exit "$W2_PID" 30
  [[ "$TOOK" != timeout ]] || kill -TERM "$W2_PID"
  wait_exit "$W3_PID" 30
  [[ "$TOOK" != timeout ]] || kill -TERM "$W3_PID"
  wait_rc "$W2_PID"
  w2_rc=$RC
  wait_rc "$W3_PID"
  w3_rc=$RC
  wall=$(elapsed "$t0" "$(now)")
  missing=$(missing_outputs trace.json)
  status=$(summary_field "$OUT" status)
  BLOCKED[$algorithm]=$(summary_field "$OUT" blocked_share)
  if [[ "$head_rc/$w2_rc/$w3_rc" == 0/0/0 && -z "$missing" && "$status" == completed ]]; then
    result PASS "$case" "$algorithm completed in ${wall} s (head 0, workers 0 0), outputs present, blocked share $(percent "${BLOCKED[$algorithm]}")"
  else
    result FAIL "$case" "$algorithm: exit codes head $head_rc, h2 $w2_rc, h3 $w3_rc (want 0 0 0); status '${status:-none}'; missing outputs: ${missing:-none}"
    log_tail "$WORK/logs/$case-head.err" "$WORK/logs/$case-h2.err" "$WORK/logs/$case-h3.err"
  fi
}

if [[ " $CASES " == *" a "* || " $CASES " == *" b "* ]]; then
  complete_run a-overlap overlap_local_sgd 5601
  complete_run b-sync sync_sgd 5602
  sync_share="${BLOCKED[sync_sgd]:-}" overlap_share="${BLOCKED[overlap_local_sgd]:-}"
  if [[ -n "$sync_share" && -n "$overlap_share" && "$sync_share" != None && "$overlap_share" != None ]] &&
    awk -v s="$sync_share" -v o="$overlap_share" 'BEGIN { exit !(s > o) }'; then
    result PASS "blocked share" "sync_sgd $(percent "$sync_share") > overlap_local_sgd $(percent "$overlap_share")"
  else
    result FAIL "blocked share" "want sync_sgd > overlap_local_sgd, got sync '${sync_share:-none}', overlap '${overlap_share:-none}'"
  fi
fi

# start_and_kill_h3 CASE POLICY PORT [--set k=v]...: a cluster on the
# failure config; once it is training, kill -9 of the worker in h3 (sets
# KILLED). Returns 1, after a FAIL line, if the run never started training.
start_and_kill_h3() {
  local case="$1" policy="$2" port="$3"
  shift 3
  start_cluster "$case" "$FAILURE_CONFIG" "$port" --set "cluster.on_failure=$policy" "$@"
  if ! wait_until_training; then
    result FAIL "$case" "on_failure=$policy: the run never started training (no evaluations in metrics.csv)"
    log_tail "$WORK/logs/$case-head.err" "$WORK/logs/$case-h2.err" "$WORK/logs/$case-h3.err"
    stop_cluster
    return 1
  fi
  sleep 1
  # Its `timeout` wrapper dies of the same SIGKILL: collect it at once, with
  # stderr closed, so bash prints no "Killed" job notice.
  { kill_worker_h3; wait_rc "$W3_PID"; } 2>/dev/null
  return 0
}

# (c) and (d): kill -9 the worker in h3 once the run is training.
failure_run() {  # failure_run CASE POLICY PORT
  local case="$1" policy="$2" port="$3" took head_rc w2_took w2_rc problems="" lost_line lost
  start_and_kill_h3 "$case" "$policy" "$port" || return
  [[ -n "$KILLED" ]] || problems+="; no olsgd process found in h3 to kill"
  local bound="$LOST_BOUND_S" want_rc=1
  [[ "$policy" == abort ]] || bound="$RUN_TIMEOUT_S" want_rc=0
  wait_exit "$HEAD_PID" "$bound"
  took=$TOOK
  [[ "$took" != timeout ]] || kill -TERM "$HEAD_PID"
  wait_rc "$HEAD_PID"
  head_rc=$RC
  if [[ "$took" == timeout ]]; then
    problems+="; the head was still running ${bound} s after the kill (then ended: $(describe_rc "$head_rc"))"
  elif [[ "$head_rc" != "$want_rc" ]]; then
    problems+="; head $(describe_rc "$head_rc") ${took} s after the kill, want exit $want_rc"
  fi
  wait_exit "$W2_PID" 30
  w2_took=$TOOK
  [[ "$w2_took" != timeout ]] || kill -TERM "$W2_PID"
  wait_rc "$W2_PID"
  w2_rc=$RC
  [[ "$w2_took" != timeout ]] || problems+="; the worker in h2 did not exit within 30 s of the head"
  if [[ "$policy" == abort ]]; then
    lost_line=$(grep -i "lost" "$WORK/logs/$case-head.err" | grep -m 1 "olsgd-h3")
    [[ -n "$lost_line" ]] || problems+="; no stderr line of the head names 'lost' and olsgd-h3"
    if [[ -z "$(ls -A "$OUT/checkpoints" 2>/dev/null)" ]]; then
      problems+="; no checkpoint under $case/checkpoints/"
    fi
    if [[ -z "$problems" ]]; then
      result PASS "$case" "on_failure=abort: head exit 1 ${took} s after kill -$KILL_SIGNAL of the h3 worker (bound ${LOST_BOUND_S} s); h2 worker exit $w2_rc; checkpoint $(find "$OUT/checkpoints" -mindepth 1 -maxdepth 1 -printf "%f\n" | head -n 1); stderr: ${lost_line}"
    fi
  else
    [[ "$w2_rc" == 0 ]] || problems+="; h2 worker $(describe_rc "$w2_rc"), want exit 0"
    [[ "$(summary_field "$OUT" status)" == completed ]] ||
      problems+="; summary status '$(summary_field "$OUT" status)', want completed"
    # Whatever summary.json calls it (lost_shards, lost_workers, ...), some
    # "lost" field must be non-empty.
    lost=$(python3 - "$OUT/summary.json" <<'PY' 2>/dev/null
import json, sys
s = json.load(open(sys.argv[1]))
print("; ".join(f"{k}={json.dumps(v)}" for k, v in s.items()
                if "lost" in k.lower() and v not in (None, [], {}, "", 0)))
PY
)
    [[ -n "$lost" ]] || problems+="; summary.json names nothing lost"
    if [[ -z "$problems" ]]; then
      result PASS "$case" "on_failure=continue: head completed (exit 0) ${took} s after the kill; h2 worker exit 0; summary: ${lost}"
    fi
  fi
  if [[ -n "$problems" ]]; then
    local detail="${problems#; }"
    if [[ "$took" != timeout && "$head_rc" == "$want_rc" ]]; then
      detail="head exit $head_rc ${took} s after the kill, but: $detail"
    fi
    result FAIL "$case" "on_failure=$policy: $detail"
    log_tail "$WORK/logs/$case-head.err" "$WORK/logs/$case-h2.err"
  fi
}

[[ " $CASES " != *" c "* ]] || failure_run c-abort abort 5603
[[ " $CASES " != *" d "* ]] || failure_run d-continue continue 5604

# finish_recovered_run WANT [LABEL:PID]...: the end of a continue case with
# a recovery. Waits for the head (exit 0 wanted), then for each worker
# process LABEL:PID (exit 0 within 30 s of the head), and checks that
# summary.json's recovery contains WANT and that it lists both workers.
# Adds what is wrong to the caller's `problems`; sets RECOVERY.
finish_recovered_run() {
  local want="$1" item label pid bound workers
  shift
  for item in "head:$HEAD_PID" "$@"; do
    label="${item%:*}" pid="${item##*:}" bound=30
    [[ "$label" != head ]] || bound="$RUN_TIMEOUT_S"
    wait_exit "$pid" "$bound"
    [[ "$TOOK" != timeout ]] || kill -TERM "$pid"
    wait_rc "$pid"
    [[ "$RC" == 0 ]] || problems+="; $label $(describe_rc "$RC"), want exit 0"
  done
  RECOVERY=$(summary_field "$OUT" recovery)
  workers=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("workers", [])))' \
    "$OUT/summary.json" 2>/dev/null)
  [[ "$RECOVERY" == *"$want"* ]] ||
    problems+="; summary.json recovery does not contain \"$want\": ${RECOVERY:-none}"
  [[ "$workers" == 2 ]] || problems+="; summary.json lists ${workers:-no} workers, want 2"
}

# (e) on_failure=continue, and the killed worker is started again in h3 once
# the head has reported the loss: it must take its trainer back.
rejoin_run() {  # rejoin_run CASE PORT
  local case="$1" port="$2" detected t0 problems=""
  start_and_kill_h3 "$case" continue "$port" || return
  [[ -n "$KILLED" ]] || problems+="; no olsgd process found in h3 to kill"
  t0=$(now)
  detected=timeout
  while kill -0 "$HEAD_PID" 2>/dev/null; do
    if grep -q "node 'olsgd-h3' lost" "$WORK/logs/$case-head.err" 2>/dev/null; then
      detected=$(elapsed "$t0" "$(now)")
      break
    fi
    awk -v e="$(elapsed "$t0" "$(now)")" -v b="$LOST_BOUND_S" 'BEGIN { exit !(e > b) }' && break
    sleep 0.05
  done
  [[ "$detected" != timeout ]] || problems+="; the head did not report the loss within ${LOST_BOUND_S} s"
  start_worker h3 "$port" "$case-h3-restarted"
  W3_PID=$!
  finish_recovered_run "rejoined on node 'olsgd-h3'" "h2 worker:$W2_PID" "restarted h3 worker:$W3_PID"
  if [[ -z "$problems" ]]; then
    result PASS "$case" "kill -$KILL_SIGNAL of the h3 worker, loss reported after ${detected} s, worker restarted: head, h2 and h3 exit 0; recovery: ${RECOVERY}"
  else
    result FAIL "$case" "on_failure=continue with a restarted worker: ${problems#; }"
    log_tail "$WORK/logs/$case-head.err" "$WORK/logs/$case-h2.err" "$WORK/logs/$case-h3-restarted.err"
  fi
}

[[ " $CASES " != *" e "* ]] || rejoin_run e-rejoin 5605

# (f) on_failure=continue with both trainers in h2 and the reducer in h3: the
# kill loses only the reducer, which the head re-creates; both workers finish.
reducer_loss_run() {  # reducer_loss_run CASE PORT
  local case="$1" port="$2" problems=""
  start_and_kill_h3 "$case" continue "$port" --set "cluster.trainer_nodes=[olsgd-h2,olsgd-h2]" \
    --set "cluster.reducer_nodes=[olsgd-h3]" || return
  [[ -n "$KILLED" ]] || problems+="; no olsgd process found in h3 to kill"
  finish_recovered_run "reducer:0 of lost node 'olsgd-h3' re-created on node 'head'" "h2 worker:$W2_PID"
  if [[ -z "$problems" ]]; then
    result PASS "$case" "kill -$KILL_SIGNAL of the reducer's node h3: head and h2 exit 0, both workers finished; recovery: ${RECOVERY}"
  else
    result FAIL "$case" "on_failure=continue with the reducer in h3: ${problems#; }"
    log_tail "$WORK/logs/$case-head.err" "$WORK/logs/$case-h2.err"
  fi
}

[[ " $CASES " != *" f "* ]] || reducer_loss_run f-reducer-loss 5606

# --- summary ----------------------------------------------------------------
echo "$TAG: summary: $((${#RESULTS[@]} - FAILED)) passed, $FAILED failed (transport: $TRANSPORT; worker killed with SIG$KILL_SIGNAL)"
for line in "${RESULTS[@]}"; do echo "  ${line#"$TAG: "}"; done
((FAILED == 0)) || exit 1
exit 0
