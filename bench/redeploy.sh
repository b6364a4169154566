#!/usr/bin/env bash
# Benchmark: redeploys of the seed stack by `mvn sancho:deploy` vs `docker-compose up -d`, alternating, N each.
# Stack (prefix sanchobench_): postgres as the DB (external volume), the nginx proxy on 127.0.0.1:<free port>,
# backend + frontend (sancho-it/app:1 <-> :2). Infrastructure is created once by docker-compose and adopted by sancho.
# Per redeploy: wall time of the command, failed and slow (>1 s) requests seen by bench/loadgen.py (20 req/s through
# the proxy, / and /front/, from 1 s before the command to 3 s after it), DB container id unchanged (y/n).
# Each measured redeploy starts from its own tool's deploy serving alone (an untimed hand-over, client loop off).
# Also: `mvn sancho:verify` wall time, and `mvn sancho:pre-deploy-cleanup` with 200 stale app containers.
# Writes bench/RESULTS.md's "Redeploy benchmark" section (bench/last-run.md) and removes everything it created.
# Usage: bench/redeploy.sh [N=3]   (BENCH_NOWAIT=1 adds N sancho redeploys with -Dsancho.drainSeconds=0
# -Dsancho.proxyResolveInterval=0 (no waits at all since issue 15; before, drainSeconds=0 alone did that): the
# cost of the two documented waits, and what they buy)
set -euo pipefail
N=${1:-3}
REPO=$(cd "$(dirname "$0")/.." && pwd)
P=sanchobench
WORK=$(mktemp -d /tmp/sanchobench.XXXXXX)
RAW="$WORK/raw.txt"
OUTMD="$REPO/bench/last-run.md"
log() { echo "bench: $*" >&2; }

cleanup() {
  log "cleaning up"
  (cd "$WORK" 2>/dev/null && docker-compose -p $P rm -sf >/dev/null 2>&1) || true
  docker ps -aq --filter "label=sancho.project=$P" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
  docker ps -aq --filter "label=com.docker.compose.project=$P" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
  for c in ${P}_db ${P}_proxy; do docker rm -f -v "$c" >/dev/null 2>&1 || true; done
  docker network rm ${P}_default >/dev/null 2>&1 || true
  docker volume rm ${P}_pgdata >/dev/null 2>&1 || true
  docker volume rm ${P}_sancho_digest_key >/dev/null 2>&1 || true # the project's digest key
  docker volume rm ${P}_sancho_audit >/dev/null 2>&1 || true # its audit trail
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v docker-compose >/dev/null || { log "installing docker-compose (Debian 1.29.2)"; apt-get install -y -qq docker-compose >/dev/null; }
"$REPO/scripts/test-images.sh" app postgres nginx >/dev/null
log "installing the plugin from this checkout into ~/.m2"
(cd "$REPO" && ./mvnw -B -q -o install -DskipTests -Dinvoker.skip=true)

cleanup 2>/dev/null; WORK=$(mktemp -d /tmp/sanchobench.XXXXXX); RAW="$WORK/raw.txt"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cp -r "$REPO/.mvn" "$WORK/.mvn"
# A deploy project's JVM flags (measured: an empty Maven build 4.7 s -> 2.7 s here). BENCH_JVM_FLAGS= disables them.
JVM_FLAGS=${BENCH_JVM_FLAGS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}
[[ -z $JVM_FLAGS ]] || echo "$JVM_FLAGS" >"$WORK/.mvn/jvm.config"
cat >"$WORK/.env" <<ENV
DB_PASSWORD=bench-secret
PROXY_PORT=$PORT
ENV
cat >"$WORK/docker-compose.yml" <<'YML'
services:
  proxy:
    image: sancho-it/nginx:1
    container_name: sanchobench_proxy
    ports:
      - "127.0.0.1:${PROXY_PORT}:80"
  db:
    image: sancho-it/postgres:15
    container_name: sanchobench_db
    environment:
      POSTGRES_DB: bench
      POSTGRES_USER: bench
      POSTGRES_PASSWORD: ${DB_PASSWORD}
    volumes:
      - sanchobench_pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "bench", "-d", "bench"]
      interval: 1s
      retries: 30
  backend:
    image: sancho-it/app:${APP_VERSION:-1}
    container_name: sanchobench_backend_${DEPLOY_ID}
    environment:
      DEPLOY_ID: ${DEPLOY_ID}
      DATABASE_HOST: db
      DATABASE_PASSWORD: ${DB_PASSWORD}
      APP_QUIET: "1"
    depends_on:
      - db
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]
      interval: 500ms
      retries: 20
    stop_grace_period: 5s
  frontend:
    image: sancho-it/app:${APP_VERSION:-1}
    container_name: sanchobench_frontend_${DEPLOY_ID}
    environment:
      DEPLOY_ID: ${DEPLOY_ID}
      APP_QUIET: "1"
    depends_on:
      - backend
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]
      interval: 500ms
      retries: 20
    stop_grace_period: 5s
volumes:
  sanchobench_pgdata:
    external: true
YML
cat >"$WORK/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sancho.bench</groupId>
  <artifactId>bench</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <properties><app.version>1</app.version></properties>
  <build><plugins><plugin>
    <groupId>dev.sancho</groupId>
    <artifactId>sancho-maven-plugin</artifactId>
    <version>0.1.0-SNAPSHOT</version>
    <configuration>
      <project>sanchobench</project>
      <infrastructure><service>proxy</service><service>db</service></infrastructure>
      <environment><APP_VERSION>${app.version}</APP_VERSION></environment>
      <keep>1</keep>
    </configuration>
  </plugin></plugins></build>
</project>
POM
cd "$WORK"
MVN=("$REPO/mvnw" -B -o)
docker volume create --label sanchobench=1 ${P}_pgdata >/dev/null

compose_up() { APP_VERSION=$1 DEPLOY_ID=$2 docker-compose -p $P up -d "${@:3}" >>"$WORK/compose.log" 2>&1; }
sancho_deploy() { "${MVN[@]}" sancho:deploy -Dsancho.deployId="$2" -Dapp.version="$1" "${@:3}" >>"$WORK/mvn.log" 2>&1 \
  || { tail -30 "$WORK/mvn.log" >&2; exit 1; }; }
db_id() { docker inspect -f '{{.Id}}' ${P}_db; }
wait_serving() { # deploy id on both routes
  for _ in $(seq 150); do
    a=$(curl -fs "http://127.0.0.1:$PORT/" || true); b=$(curl -fs "http://127.0.0.1:$PORT/front/" || true)
    [[ $a == *"deploy=$1"* && $b == *"deploy=$1"* ]] && return 0; sleep 0.2
  done
  log "deploy $1 does not answer through the proxy"; exit 1
}
now() { date +%s.%N; }

log "initial stack by docker-compose (infrastructure + app c0), workdir $WORK"
compose_up 1 c0
for _ in $(seq 60); do [[ $(docker inspect -f '{{.State.Health.Status}}' ${P}_db) == healthy ]] && break; sleep 0.5; done
wait_serving c0
DB0=$(db_id)
ver=1
echo "tool run wall_s requests failed slow db_same" >"$RAW"
measure() { # tool run next_version
  local tool=$1 i=$2 v=$3 id t0 t1 lg
  rm -f "$WORK/stop"
  python3 "$REPO/bench/loadgen.py" --url "http://127.0.0.1:$PORT/" --url "http://127.0.0.1:$PORT/front/" \
    --rate 20 --max-seconds 120 --stop-file "$WORK/stop" --out "$WORK/$tool-$i.json" >/dev/null &
  lg=$!
  sleep 1
  t0=$(now)
  case $tool in
    sancho) id=s$i; sancho_deploy "$v" "$id" ;;
    sancho-nowait) id=n$i; sancho_deploy "$v" "$id" -Dsancho.drainSeconds=0 -Dsancho.proxyResolveInterval=0 ;;
    compose) id=c$i; compose_up "$v" "$id" ;;
  esac
  t1=$(now)
  sleep 3
  touch "$WORK/stop"; wait $lg
  wait_serving "$id"
  python3 - "$WORK/$tool-$i.json" "$tool" "$i" "$(echo "$t1 - $t0" | bc)" "$([[ $(db_id) == "$DB0" ]] && echo y || echo n)" >>"$RAW" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(sys.argv[2], sys.argv[3], "%.2f" % float(sys.argv[4]), d["requests"], d["failed"], d["slow"], sys.argv[5])
PY
  tail -1 "$RAW" >&2
}

for i in $(seq "$N"); do
  # sancho: hand-over (untimed): sancho's deploy of the current version serves alone
  prev=$ver; ver=$((3 - ver))
  sancho_deploy "$prev" "h$i"; docker-compose -p $P rm -sf backend frontend >>"$WORK/compose.log" 2>&1
  wait_serving "h$i"; sleep 1.5
  measure sancho "$i" "$ver"
  if [[ -n ${BENCH_NOWAIT:-} ]]; then # what the two documented waits cost, and what they buy
    prev=$ver; ver=$((3 - ver))
    sancho_deploy "$prev" "k$i"; wait_serving "k$i"; sleep 1.5
    measure sancho-nowait "$i" "$ver"
  fi
  # compose: hand-over (untimed): compose's containers of the current version serve alone
  prev=$ver; ver=$((3 - ver))
  compose_up "$prev" "g$i"
  docker ps -q --filter "label=sancho.project=$P" --filter "label=sancho.role=app" | xargs -r docker stop >/dev/null
  wait_serving "g$i"; sleep 1.5
  measure compose "$i" "$ver"
done

log "sancho:verify and sancho:pre-deploy-cleanup with 200 stale app containers"
sancho_deploy 1 v1
docker-compose -p $P rm -sf backend frontend >>"$WORK/compose.log" 2>&1
VERIFY=()
for _ in 1 2 3; do
  t0=$(now); "${MVN[@]}" sancho:verify >>"$WORK/mvn.log" 2>&1 || { tail -30 "$WORK/mvn.log" >&2; exit 1; }
  VERIFY+=("$(echo "$(now) - $t0" | bc)")
done
seq 200 | xargs -P 4 -I{} docker create --label sancho.project=$P --label sancho.role=app \
  --label sancho.service=backend --label sancho.deploy-id=stale{} --name ${P}_backend_stale{} sancho-it/app:1 >/dev/null
stale=$(docker ps -aq --filter "label=sancho.project=$P" --filter "label=sancho.role=app" --filter status=created | wc -l)
t0=$(now); "${MVN[@]}" sancho:pre-deploy-cleanup >>"$WORK/mvn.log" 2>&1; CLEAN=$(echo "$(now) - $t0" | bc)
left=$(docker ps -aq --filter "label=sancho.project=$P" --filter "label=sancho.role=app" --filter status=created | wc -l)
log "cleanup: $stale created-never-started containers before, $left after, ${CLEAN}s"

python3 - "$RAW" "$N" "$CLEAN" "$stale" "$left" "${JVM_FLAGS:-none}" "${VERIFY[@]}" >"$OUTMD" <<'PY'
import statistics as st, sys, subprocess, datetime, os
rows = [l.split() for l in open(sys.argv[1]).read().splitlines()[1:]]
n, clean, stale, left = sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
flags = sys.argv[6]
verify = [float(x) for x in sys.argv[7:]]
def med(tool, col, f=float):
    return st.median([f(r[col]) for r in rows if r[0] == tool])
def sh(c):
    return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()
mem = sh("free -g | awk '/Mem:/ {print $2}'")
print("### Run of %s (N=%s)\n" % (datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), n))
print("Machine: %s CPUs, %s GiB RAM, dockerd %s, %s, load average at the end: %s\n" % (
    sh("nproc"), mem, sh("docker version -f '{{.Server.Version}}'"), sh("docker-compose version --short"),
    os.getloadavg()[0].__round__(1)))
print("Maven JVM flags (.mvn/jvm.config of the deploy project): `%s`\n" % flags)
print("| tool | run | wall s | requests | failed | slow >1 s | DB id unchanged |\n|---|---|---|---|---|---|---|")
for r in rows:
    print("| %s |" % " | ".join(r))
tools = [t for t in ("sancho", "sancho-nowait", "compose") if any(r[0] == t for r in rows)]
head = {"sancho": "sancho:deploy", "sancho-nowait": "sancho:deploy, drainSeconds=0", "compose": "docker-compose up -d"}
print("\n| median | " + " | ".join(head[t] for t in tools) + " |\n|---" + "|---" * len(tools) + "|")
print("| wall time | " + " | ".join("%.2f s" % med(t, 2) for t in tools) + " |")
print("| failed requests | " + " | ".join("%g" % med(t, 4) for t in tools) + " |")
print("| slow requests (>1 s) | " + " | ".join("%g" % med(t, 5) for t in tools) + " |")
print("| DB container id unchanged | " + " | ".join(
    "all" if all(r[6] == "y" for r in rows if r[0] == t) else "NO" for t in tools) + " |")
s, c = med("sancho", 2), med("compose", 2)
print("\n**sancho/compose wall-time ratio: %.2f** (target <= 1.2)\n" % (s / c))
print("`mvn sancho:verify`: median %.2f s (%s)  " % (st.median(verify), ", ".join("%.2f" % v for v in verify)))
print("`mvn sancho:pre-deploy-cleanup` with %s stale app containers: %.2f s, %s left" % (stale, clean, left))
PY
cat "$OUTMD"
