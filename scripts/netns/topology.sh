# shellcheck shell=bash
# Three hosts in network namespaces, joined through a bridge that lives in a
# fourth namespace, so nothing in the root namespace changes. Sourced by
# scripts/netns-cluster-test.sh, which sets before sourcing:
#   NS_PREFIX   unique namespace name prefix (carries the script's PID)
#   SUBNET      the private /24's first three octets, e.g. 10.77.0
#   RATE_MBIT   each host's egress cap (tbf), in Mbit/s
#   NET_CHECK   path of scripts/netns/net_check.py
# Hosts are h1 (.1, the head), h2 (.2) and h3 (.3); each has lo and eth0.

HOSTS=(h1 h2 h3)
CREATED_NS=()

ns_name() { echo "${NS_PREFIX}-$1"; }
host_ip() { echo "${SUBNET}.${1#h}"; }
in_ns() {  # in_ns HOST CMD...: run CMD inside that host's namespace
  local host="$1"
  shift
  ip netns exec "$(ns_name "$host")" "$@"
}

# Prints the failing command on stderr and returns non-zero.
topo_run() {
  local out
  if ! out=$("$@" 2>&1); then
    echo "$* -> ${out:-failed}" >&2
    return 1
  fi
}

# Creates the namespaces, bridge, veth pairs, addresses and tbf qdiscs.
# Returns non-zero (with the failing command on stderr) if the kernel or the
# container does not allow one of them: the caller turns that into a SKIP.
topo_create() {
  local br host ns
  br=$(ns_name br)
  topo_run ip netns add "$br" || return 1
  CREATED_NS+=("$br")
  topo_run ip -n "$br" link set lo up || return 1
  topo_run ip -n "$br" link add br0 type bridge || return 1
  topo_run ip -n "$br" link set br0 up || return 1
  for host in "${HOSTS[@]}"; do
    ns=$(ns_name "$host")
    topo_run ip netns add "$ns" || return 1
    CREATED_NS+=("$ns")
    # Both ends are created inside their namespaces: the root namespace never
    # sees them. The bridge side is named after the host.
    topo_run ip -n "$br" link add "$host" type veth peer name eth0 netns "$ns" || return 1
    topo_run ip -n "$br" link set "$host" master br0 || return 1
    topo_run ip -n "$br" link set "$host" up || return 1
    topo_run ip -n "$ns" link set lo up || return 1
    topo_run ip -n "$ns" addr add "$(host_ip "$host")/24" dev eth0 || return 1
    topo_run ip -n "$ns" link set eth0 up || return 1
    # The egress cap: every packet between hosts leaves some host's eth0, so
    # this caps both directions of every path.
    topo_run ip netns exec "$ns" tc qdisc add dev eth0 root tbf rate "${RATE_MBIT}mbit" \
      burst 128kb latency 50ms || return 1
  done
}

# Every host reaches every other one (ping if installed, else a tcp probe:
# a refused connection proves the host answered). Retries for a few seconds
# while the bridge ports come up.
topo_check_connectivity() {
  local from to ok
  for from in "${HOSTS[@]}"; do
    for to in "${HOSTS[@]}"; do
      [[ "$from" == "$to" ]] && continue
      ok=0
      for _ in 1 2 3 4 5 6 7 8 9 10; do
        if command -v ping >/dev/null 2>&1; then
          in_ns "$from" ping -c 1 -W 1 "$(host_ip "$to")" >/dev/null 2>&1 && ok=1
        else
          in_ns "$from" python3 "$NET_CHECK" reach "$(host_ip "$to")" 9 2>/dev/null && ok=1
        fi
        ((ok)) && break
        sleep 0.5
      done
      if ((!ok)); then
        echo "$from cannot reach $to ($(host_ip "$to"))" >&2
        return 1
      fi
    done
  done
}

# Sends BYTES from host $1 to host $2 (or over h1's loopback when $2 is "lo")
# and prints the receiver's "BYTES SECONDS MBITS".
topo_transfer() {
  local from="$1" to="$2" bytes="$3" port=9100 addr sink_pid out
  if [[ "$to" == lo ]]; then to="$from" addr=127.0.0.1; else addr=$(host_ip "$to"); fi
  out=$(mktemp)
  in_ns "$to" timeout 30 python3 "$NET_CHECK" sink "$addr" "$port" >"$out" &
  sink_pid=$!
  if ! in_ns "$from" timeout 30 python3 "$NET_CHECK" send "$addr" "$port" "$bytes"; then
    wait "$sink_pid"
    rm -f "$out"
    return 1
  fi
  wait "$sink_pid" || { rm -f "$out"; return 1; }
  cat "$out"
  rm -f "$out"
}

# Kills every process left in our namespaces (by PID, found through
# `ip netns pids`), deletes the namespaces and checks that none is left.
topo_destroy() {
  local ns pids left
  for ns in "${CREATED_NS[@]}"; do
    pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
    # shellcheck disable=SC2086
    [[ -n "${pids// /}" ]] && kill -9 $pids 2>/dev/null
  done
  for ns in "${CREATED_NS[@]}"; do
    for _ in 1 2 3 4 5; do
      ip netns del "$ns" 2>/dev/null && break
      sleep 0.2
    done
  done
  CREATED_NS=()
  left=$(ip netns list 2>/dev/null | awk '{print $1}' | grep -c "^${NS_PREFIX}-" || true)
  if ((left > 0)); then
    echo "netns-cluster-test: ERROR: $left namespace(s) named ${NS_PREFIX}-* are left over" >&2
    return 1
  fi
}
