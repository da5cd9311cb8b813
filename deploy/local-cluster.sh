#!/usr/bin/env bash
# A Sweeps cluster on one Linux machine whose silos talk over real addresses, not one loopback:
# Redis on a bridge at 10.77.0.1, and each silo in a network namespace of its own (ip netns) joined
# to the bridge by a veth pair, at 10.77.0.11, .12, … Every silo uses the same ports (11111 silo,
# 30000 gateway, 8080 HTTP on its own address, with a bearer token: SWEEPS_TOKEN, generated when
# unset and kept in the run directory), as separate hosts would. Needs root and iproute2; redis-server on PATH.
#
#   deploy/local-cluster.sh up [N]      start Redis and N silos (default 3); prints how to submit
#   deploy/local-cluster.sh status      the silos' processes and the cluster's sweeps
#   deploy/local-cluster.sh kill I      SIGKILL silo I (a crash, for trying failover by hand)
#   deploy/local-cluster.sh down        stop the silos and Redis, remove the namespaces and the bridge
#
# Then, from this (the root) namespace:
#   sweeps submit examples/cluster.yaml --cluster 10.77.0.1:6379
#   sweeps watch ID --cluster 10.77.0.1:6379
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${SWEEPS_CLUSTER_DIR:-/tmp/sweeps-local-cluster}"
BRIDGE=swbr0
SUBNET=10.77.0
REDIS_PORT=6379
SWEEPS_DLL="$ROOT/src/Sweeps.Cli/bin/Release/net10.0/sweeps.dll"

die() { echo "local-cluster: $*" >&2; exit 2; }

require() {
  [[ $EUID -eq 0 ]] || die "needs root (network namespaces)"
  command -v ip >/dev/null || die "needs iproute2 (ip)"
  command -v redis-server >/dev/null || die "needs redis-server on PATH"
}

build() {
  if [[ ! -f "$SWEEPS_DLL" ]]; then
    echo "building sweeps (Release)…"
    dotnet build "$ROOT/src/Sweeps.Cli" -c Release -v quiet -nologo >/dev/null
  fi
}

up() {
  local count="${1:-3}"
  [[ "$count" =~ ^[1-9][0-9]?$ ]] || die "up N: N is a number of silos, 1–99"
  require
  [[ -e "$RUN_DIR/redis.pid" ]] && die "a cluster is already up (deploy/local-cluster.sh down first)"
  build
  mkdir -p "$RUN_DIR"
  # The silos serve HTTP on their own addresses, beyond loopback: that needs a bearer token.
  SWEEPS_TOKEN="${SWEEPS_TOKEN:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}"
  export SWEEPS_TOKEN
  echo "$SWEEPS_TOKEN" >"$RUN_DIR/token"

  ip link add "$BRIDGE" type bridge
  ip addr add "$SUBNET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up

  redis-server --port "$REDIS_PORT" --bind "$SUBNET.1" 127.0.0.1 --protected-mode no \
    --dir "$RUN_DIR" --appendonly yes --save "" --daemonize yes --pidfile "$RUN_DIR/redis.pid" \
    --logfile "$RUN_DIR/redis.log"
  for _ in $(seq 50); do [[ -s "$RUN_DIR/redis.pid" ]] && break; sleep 0.1; done

  for i in $(seq 1 "$count"); do
    local ns="sweeps-silo$i" address="$SUBNET.$((10 + i))"
    ip netns add "$ns"
    ip link add "swv$i" type veth peer name eth0 netns "$ns"
    ip link set "swv$i" master "$BRIDGE" up
    ip -n "$ns" addr add "$address/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    ip netns exec "$ns" dotnet "$SWEEPS_DLL" silo --redis "$SUBNET.1:$REDIS_PORT" --advertise "$address" \
      --silo-port 11111 --gateway-port 30000 --port 8080 --bind "$address" >"$RUN_DIR/silo$i.out" 2>"$RUN_DIR/silo$i.log" &
    echo $! >"$RUN_DIR/silo$i.pid"
  done

  for i in $(seq 1 "$count"); do
    for _ in $(seq 600); do grep -q "sweeps silo ready" "$RUN_DIR/silo$i.out" 2>/dev/null && break; sleep 0.1; done
    grep -q "sweeps silo ready" "$RUN_DIR/silo$i.out" || die "silo $i did not start; see $RUN_DIR/silo$i.log"
    echo "silo $i at $SUBNET.$((10 + i)) (namespace sweeps-silo$i): $(cat "$RUN_DIR/silo$i.out")"
  done
  echo "Redis at $SUBNET.1:$REDIS_PORT. Submit with: sweeps submit SPEC --cluster $SUBNET.1:$REDIS_PORT"
  echo "HTTP token (SWEEPS_TOKEN) in $RUN_DIR/token: curl -H \"Authorization: Bearer \$(cat $RUN_DIR/token)\" $SUBNET.11:8080/api/sweeps"
}

status() {
  [[ -e "$RUN_DIR/redis.pid" ]] || { echo "no cluster is up"; return; }
  for pidfile in "$RUN_DIR"/silo*.pid; do
    local name pid
    name="$(basename "$pidfile" .pid)" pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then echo "$name: running (pid $pid)"; else echo "$name: not running"; fi
  done
  dotnet "$SWEEPS_DLL" status --cluster "$SUBNET.1:$REDIS_PORT" || true
}

kill_silo() {
  local pidfile="$RUN_DIR/silo${1:?kill I: which silo}.pid"
  [[ -e "$pidfile" ]] || die "no silo $1"
  kill -9 "$(cat "$pidfile")" && echo "silo $1 killed (SIGKILL)"
}

down() {
  require
  for pidfile in "$RUN_DIR"/silo*.pid; do
    [[ -e "$pidfile" ]] || continue
    kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
  done
  for pidfile in "$RUN_DIR"/silo*.pid; do
    [[ -e "$pidfile" ]] || continue
    for _ in $(seq 200); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  if [[ -e "$RUN_DIR/redis.pid" ]]; then
    kill "$(cat "$RUN_DIR/redis.pid")" 2>/dev/null || true
    rm -f "$RUN_DIR/redis.pid"
  fi
  for ns in $(ip netns list | awk '/^sweeps-silo[0-9]+/ {print $1}'); do ip netns del "$ns"; done
  ip link del "$BRIDGE" 2>/dev/null || true
  echo "cluster down (logs and the Redis AOF stay in $RUN_DIR)"
}

case "${1:-}" in
  up) up "${2:-3}" ;;
  status) status ;;
  kill) kill_silo "${2:-}" ;;
  down) down ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
