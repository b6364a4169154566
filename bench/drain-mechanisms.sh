#!/usr/bin/env bash
# Measures how to take an old app container out of an nginx proxy's rotation (issue 5, "design empirically").
# A persistent sancho-it/nginx:1 proxy routes / to the DNS alias "backend"; each round starts a new backend
# with that alias, waits until it answers, then retires the old one with one of the strategies below while
# bench/loadgen.py sends 20 req/s through the proxy (127.0.0.1 only). Prints failed and slow (>1 s) requests.
#   stop        docker stop old
#   disconnect  docker network disconnect, then docker stop
#   realias     disconnect, reconnect WITHOUT the alias (same network), wait DRAIN, stop
#   realias-ip  as realias but reconnect with the SAME IP (needs a network with a configured subnet)
# Usage: bench/drain-mechanisms.sh [rounds per strategy, default 3] [drain seconds, default 2]
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${1:-3}
DRAIN=${2:-2}
P=sanchozd_mech
NET=${P}_net
OUT=$(mktemp -d)
cleanup() {
  docker ps -aq --filter "label=sanchozd.mech=1" | xargs -r docker rm -f -v >/dev/null
  docker network rm "$NET" >/dev/null 2>&1 || true
  rm -rf "$OUT"
}
trap cleanup EXIT
cleanup; OUT=$(mktemp -d)
docker network create --subnet 172.31.250.0/24 --label sanchozd.mech=1 "$NET" >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
docker run -d --name ${P}_proxy --label sanchozd.mech=1 --network "$NET" -p 127.0.0.1:$PORT:80 sancho-it/nginx:1 >/dev/null

n=0
start_backend() { # name -> waits until it answers /health inside
  docker run -d --name "$1" --label sanchozd.mech=1 --network "$NET" --network-alias backend -e DEPLOY_ID="$1" \
    -e APP_QUIET=1 --stop-timeout 5 sancho-it/app:1 >/dev/null
  for _ in $(seq 100); do docker exec "$1" wget -q -O /dev/null http://127.0.0.1:8080/health 2>/dev/null && return; sleep 0.1; done
  echo "backend $1 never answered" >&2; exit 1
}
start_backend ${P}_b0
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
old=${P}_b0

retire() { # strategy container
  local s=$1 c=$2 ip
  case $s in
    stop) docker stop "$c" >/dev/null ;;
    disconnect) docker network disconnect "$NET" "$c"; docker stop "$c" >/dev/null ;;
    realias) docker network disconnect "$NET" "$c"; docker network connect "$NET" "$c"; sleep "$DRAIN"; docker stop "$c" >/dev/null ;;
    realias-ip)
      ip=$(docker inspect -f "{{(index .NetworkSettings.Networks \"$NET\").IPAddress}}" "$c")
      docker network disconnect "$NET" "$c"; docker network connect --ip "$ip" "$NET" "$c"; sleep "$DRAIN"; docker stop "$c" >/dev/null ;;
  esac
}

printf '%-11s %5s %8s %6s %6s %9s %s\n' strategy round requests failed slow max_s "retire_s (ip before -> after)"
for s in stop disconnect realias realias-ip; do
  for r in $(seq "$ROUNDS"); do
    n=$((n + 1)); new=${P}_b$n
    rm -f "$OUT/stop"
    python3 loadgen.py --url "http://127.0.0.1:$PORT/" --rate 20 --max-seconds 60 --stop-file "$OUT/stop" \
      --out "$OUT/$s-$r.json" >/dev/null &
    lg=$!
    sleep 1
    start_backend "$new"
    sleep 1.5   # the proxy has re-resolved: both old and new are in rotation
    ipb=$(docker inspect -f "{{(index .NetworkSettings.Networks \"$NET\").IPAddress}}" "$old")
    t=$(date +%s.%N)
    if [[ $s == realias* ]]; then
      ( sleep 0.3; docker inspect -f "{{(index .NetworkSettings.Networks \"$NET\").IPAddress}}" "$old" >"$OUT/ipa" 2>/dev/null || true ) &
    else echo - >"$OUT/ipa"; fi
    retire "$s" "$old"
    el=$(echo "$(date +%s.%N) - $t" | bc)
    sleep 2.5
    touch "$OUT/stop"; wait $lg
    docker rm -f -v "$old" >/dev/null
    python3 - "$OUT/$s-$r.json" "$s" "$r" "$el" "$ipb" "$(cat "$OUT/ipa")" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("%-11s %5s %8d %6d %6d %9.2f %.2f (%s -> %s)" % (sys.argv[2], sys.argv[3], d["requests"], d["failed"], d["slow"],
      d["max_latency"], float(sys.argv[4]), sys.argv[5], sys.argv[6]))
for f in d["failures"][:3]: print("   failure", f)
PY
    old=$new
  done
done
