#!/usr/bin/env bash
# A local Redis Sentinel deployment for the sentinel suite (`npm run test:sentinel`, issue 16 item 2): one master, one
# replica and three sentinels (quorum 2) monitoring it as REDIS_SENTINEL_NAME (default luoshi-suite).
# Usage: test/helpers/redis-sentinel.sh start|stop|status. Ports: REDIS_SENTINEL_DATA_PORTS (default "6390 6391": the
# master, then the replica) and REDIS_SENTINEL_PORTS (default "26390 26391 26392"). Nothing is kept on disk (no RDB, no
# AOF); the configs (a sentinel rewrites its own) and logs live in a temp folder removed by `stop`.
# https://redis.io/docs/latest/operate/oss_and_stack/management/sentinel/#a-quick-tutorial
set -euo pipefail
read -r -a DATA <<<"${REDIS_SENTINEL_DATA_PORTS:-6390 6391}"
read -r -a SENTINELS <<<"${REDIS_SENTINEL_PORTS:-26390 26391 26392}"
NAME="${REDIS_SENTINEL_NAME:-luoshi-suite}"
BASE="${REDIS_SENTINEL_DIR:-${TMPDIR:-/tmp}/luoshi-redis-sentinel}"
MASTER="${DATA[0]}"
REPLICA="${DATA[1]}"

ping() { redis-cli -h 127.0.0.1 -p "$1" ping >/dev/null 2>&1; }
wait_ping() { for _ in $(seq 1 100); do ping "$1" && return 0; sleep 0.1; done; echo "redis on $1 did not start" >&2; return 1; }

start() {
  for p in "$MASTER" "$REPLICA"; do
    if ping "$p"; then continue; fi
    mkdir -p "$BASE/$p"
    extra=()
    [ "$p" = "$REPLICA" ] && extra=(--replicaof 127.0.0.1 "$MASTER")
    redis-server --port "$p" --bind 127.0.0.1 --save "" --appendonly no --dir "$BASE/$p" --daemonize yes \
      --logfile "$BASE/$p/redis.log" "${extra[@]}"
    wait_ping "$p"
  done
  for p in "${SENTINELS[@]}"; do
    if ping "$p"; then continue; fi
    mkdir -p "$BASE/$p"
    cat >"$BASE/$p/sentinel.conf" <<CONF
port $p
bind 127.0.0.1
daemonize yes
dir $BASE/$p
logfile $BASE/$p/sentinel.log
sentinel monitor $NAME 127.0.0.1 $MASTER 2
sentinel down-after-milliseconds $NAME 5000
sentinel failover-timeout $NAME 60000
CONF
    redis-server "$BASE/$p/sentinel.conf" --sentinel
    wait_ping "$p"
  done
  # Ready when the replica is in sync and every sentinel names the master and has found the replica.
  for _ in $(seq 1 200); do
    ok=1
    redis-cli -h 127.0.0.1 -p "$REPLICA" info replication | tr -d '\r' | grep -q '^master_link_status:up' || ok=0
    for p in "${SENTINELS[@]}"; do
      [ "$(redis-cli -h 127.0.0.1 -p "$p" sentinel get-master-addr-by-name "$NAME" 2>/dev/null | tr -d '\r' | tail -1)" = "$MASTER" ] || ok=0
      [ "$(redis-cli -h 127.0.0.1 -p "$p" sentinel replicas "$NAME" 2>/dev/null | grep -c "^127.0.0.1:$REPLICA$" || true)" = 1 ] || ok=0
    done
    [ "$ok" = 1 ] && break
    sleep 0.1
  done
  [ "$ok" = 1 ] || { echo "the sentinel deployment did not settle (see $BASE)" >&2; exit 1; }
  status
}

stop() {
  for p in "${SENTINELS[@]}" "$REPLICA" "$MASTER"; do
    redis-cli -h 127.0.0.1 -p "$p" shutdown nosave >/dev/null 2>&1 || true
  done
  rm -rf "$BASE"
}

status() {
  for p in "${SENTINELS[@]}"; do
    echo "sentinel 127.0.0.1:$p: master $(redis-cli -h 127.0.0.1 -p "$p" sentinel get-master-addr-by-name "$NAME" 2>/dev/null | tr -d '\r' | paste -sd: -)"
  done
  for p in "$MASTER" "$REPLICA"; do
    echo "127.0.0.1:$p $(redis-cli -h 127.0.0.1 -p "$p" info replication 2>/dev/null | tr -d '\r' | sed -n 's/^role://p')"
  done
}

case "${1:-status}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
