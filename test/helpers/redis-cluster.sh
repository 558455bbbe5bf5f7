#!/usr/bin/env bash
# A local Redis Cluster of three masters (no replicas) for the cluster test suite and bench:schedule (issue 16).
# Usage: test/helpers/redis-cluster.sh start|stop|status   (ports from REDIS_CLUSTER_PORTS, default "7001 7002 7003").
# Each node keeps nothing on disk (no RDB, no AOF); its nodes.conf and log live in a temp folder removed by `stop`.
# REDIS_CLUSTER_REPLICAS=1 with six ports gives three masters with a replica each (the failover fault test,
# test/faults/cluster-failover.fault.ts); `start` then also waits until every replica is in sync with its master.
# REDIS_CLUSTER_NODE_TIMEOUT (ms, default 5000) is how long a master may be unreachable before it is failed over.
# https://redis.io/docs/latest/operate/oss_and_stack/management/scaling/#create-a-redis-cluster
set -euo pipefail
PORTS=(${REDIS_CLUSTER_PORTS:-7001 7002 7003})
BASE="${REDIS_CLUSTER_DIR:-${TMPDIR:-/tmp}/luoshi-redis-cluster}"
REPLICAS="${REDIS_CLUSTER_REPLICAS:-0}"
NODE_TIMEOUT="${REDIS_CLUSTER_NODE_TIMEOUT:-5000}"

ping() { redis-cli -h 127.0.0.1 -p "$1" ping >/dev/null 2>&1; }

start() {
  for p in "${PORTS[@]}"; do
    if ping "$p"; then continue; fi
    mkdir -p "$BASE/$p"
    redis-server --port "$p" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file "$BASE/$p/nodes.conf" \
      --cluster-node-timeout "$NODE_TIMEOUT" --save "" --appendonly no --dir "$BASE/$p" --daemonize yes --logfile "$BASE/$p/redis.log" \
      --hash-max-listpack-value 512
  done
  for p in "${PORTS[@]}"; do for _ in $(seq 1 50); do ping "$p" && break; sleep 0.1; done; done
  # Created once: a node started again with its nodes.conf (same id, same slots) rejoins by itself, and the wait below
  # covers its rejoining (cluster_state is not ok meanwhile, but the slots are assigned).
  if [ "$(redis-cli -h 127.0.0.1 -p "${PORTS[0]}" cluster info | tr -d '\r' | sed -n 's/^cluster_slots_assigned://p')" = 0 ]; then
    nodes=(); for p in "${PORTS[@]}"; do nodes+=("127.0.0.1:$p"); done
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas "$REPLICAS" --cluster-yes >/dev/null
  fi
  for _ in $(seq 1 100); do
    ok=1
    for p in "${PORTS[@]}"; do
      [ "$(redis-cli -h 127.0.0.1 -p "$p" cluster info | tr -d '\r' | sed -n 's/^cluster_state://p')" = ok ] || ok=0
    done
    [ "$ok" = 1 ] && break
    sleep 0.1
  done
  if [ "$REPLICAS" != 0 ]; then
    for _ in $(seq 1 200); do
      ok=1
      for p in "${PORTS[@]}"; do
        info="$(redis-cli -h 127.0.0.1 -p "$p" info replication | tr -d '\r')"
        if grep -q '^role:slave' <<<"$info"; then grep -q '^master_link_status:up' <<<"$info" || ok=0; fi
      done
      [ "$ok" = 1 ] && break
      sleep 0.1
    done
  fi
  status
}

stop() {
  # NOW: a master does not wait for its replicas to catch up (Redis 7, https://redis.io/docs/latest/commands/shutdown/).
  for p in "${PORTS[@]}"; do
    redis-cli -h 127.0.0.1 -p "$p" shutdown nosave now >/dev/null 2>&1 || redis-cli -h 127.0.0.1 -p "$p" shutdown nosave >/dev/null 2>&1 || true
  done
  rm -rf "$BASE"
}

status() {
  for p in "${PORTS[@]}"; do
    echo "127.0.0.1:$p $(redis-cli -h 127.0.0.1 -p "$p" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_state://p')"
  done
}

case "${1:-status}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
