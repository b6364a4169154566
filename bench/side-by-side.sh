#!/usr/bin/env bash
# Side by side, in ONE invocation (issue 15): N redeploys each of `mvn sancho:deploy`, docker-rollout (backend, then
# frontend) and `docker-compose up -d`, alternating, on the same stack, under the same client loop; then the same with
# a proxy that re-resolves slowly (nginx valid=5s; sancho told so with -Dsancho.proxyResolveInterval=5s).
#
# Stack (prefix sanchobench_): the nginx proxy (sancho-it/nginx:1, `resolver 127.0.0.11 valid=1s`, 127.0.0.1:<free
# port>), PostgreSQL (sancho-it/postgres:15, external volume), backend + frontend (sancho-it/app:1 <-> :2, healthchecks
# every 0.5 s) WITHOUT container_name, so docker-rollout can scale them. Infrastructure is created once by
# docker-compose and adopted by sancho. Each measured redeploy starts from its own tool's deploy serving alone (an
# untimed hand-over, client loop off); docker-rollout and docker-compose start from compose's containers.
# Per redeploy: wall time of the command (Maven start-up included for sancho), failed and slow (>1 s) requests seen by
# bench/loadgen.py (20 req/s through the proxy, / and /front/, from 1 s before the command to 3 s after it), DB container
# id unchanged; sancho's own timeline line. Also `mvn validate`, `mvn sancho:status`, `mvn sancho:verify` on the same
# project (the plugin's start-up overhead). Writes the "issue 15" section of bench/RESULTS.md (between its markers)
# and target/side-by-side.md, and removes everything it created.
#
# Usage: DOCKER_ROLLOUT=/path/to/docker-rollout bench/side-by-side.sh [N=3] [N_SLOW=N]
#   BENCH_SANCHO_ARGS="-D..." adds sancho options in the valid=1s rounds; BENCH_SLOW_INTERVAL (default 6s = nginx's
#   valid=5s + 1 s, nginx counting whole seconds) is sancho's proxyResolveInterval behind the slow proxy.
#   docker-rollout (github.com/Wowu/docker-rollout, a shell script; not part of this repository) runs as a plain
#   script, `"$DOCKER_ROLLOUT" rollout SERVICE`, in the bench's work directory (its docker-compose.yml and .env,
#   COMPOSE_PROJECT_NAME=sanchobench). It is a Docker CLI plugin, but it needs no installation: it uses `docker compose`
#   when that works and otherwise the standalone `docker-compose` (1.29 here). Without DOCKER_ROLLOUT the bench says so
#   and runs the other two.
#   BENCH_WRITE_RESULTS=0 leaves bench/RESULTS.md alone (only target/side-by-side.md is written).
#   BENCH_RELOAD=1 (issue 29) adds, in every round right after sancho's redeploy, one more sancho redeploy with the
#   proxy reload (`x-sancho-proxy: {reload: [nginx, -s, reload]}` from an extra compose file, reload.yml): column
#   "sancho + reload". BENCH_STARTUP=0 leaves out the start-up measurements.
set -euo pipefail
N=${1:-3}
N_SLOW=${2:-$N}
REPO=$(cd "$(dirname "$0")/.." && pwd)
P=sanchobench
export COMPOSE_PROJECT_NAME=$P
WORK=$(mktemp -d /tmp/sanchobench.XXXXXX)
mkdir -p "$REPO/target"; OUTMD="$REPO/target/side-by-side.md"
log() { echo "bench: $*" >&2; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')

cleanup() {
  log "cleaning up"
  (cd "$WORK" 2>/dev/null && docker-compose rm -sf >/dev/null 2>&1) || true
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

ROLLOUT=${DOCKER_ROLLOUT:-}
if [[ -z $ROLLOUT ]]; then
  log "DOCKER_ROLLOUT is not set: docker-rollout is not measured (set it to the docker-rollout script's path)"
elif [[ ! -x $ROLLOUT ]]; then
  log "DOCKER_ROLLOUT=$ROLLOUT is not an executable file"; exit 1
fi
command -v docker-compose >/dev/null || { log "docker-compose (1.29) is needed: apt-get install docker-compose"; exit 1; }
"$REPO/scripts/test-images.sh" app postgres nginx >/dev/null
cleanup 2>/dev/null; WORK=$(mktemp -d /tmp/sanchobench.XXXXXX)
# The plugin goes into a local repository of the bench's own, in front of ~/.m2 (read-only tail, Maven 3.9), so
# another checkout installing its build into ~/.m2 meanwhile cannot change what is measured.
REPOS=(-Dmaven.repo.local="$WORK/m2" -Dmaven.repo.local.tail="$HOME/.m2/repository")
log "installing the plugin from this checkout into $WORK/m2"
(cd "$REPO" && ./mvnw -B -q -o install -DskipTests -Dinvoker.skip=true "${REPOS[@]}")
RAW="$WORK/raw.txt"; TL="$WORK/timelines.txt"; : >"$TL"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cp -r "$REPO/.mvn" "$WORK/.mvn"
# The deploy project's JVM flags (see src/site/markdown/benchmarks.md, JVM flags). BENCH_JVM_FLAGS= runs without.
JVM_FLAGS=${BENCH_JVM_FLAGS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto}
[[ -z $JVM_FLAGS ]] || echo "$JVM_FLAGS" >"$WORK/.mvn/jvm.config"
docker run --rm --entrypoint cat sancho-it/nginx:1 /etc/nginx/nginx.conf >"$WORK/nginx-1s.conf"
sed 's/valid=1s/valid=5s/' "$WORK/nginx-1s.conf" >"$WORK/nginx-5s.conf"
grep -q 'valid=5s' "$WORK/nginx-5s.conf" || { log "cannot make the slow proxy's config"; exit 1; }
cat >"$WORK/.env" <<ENV
DB_PASSWORD=bench-secret
PROXY_PORT=$PORT
NGINX_CONF=./nginx-1s.conf
ENV
cat >"$WORK/docker-compose.yml" <<'YML'
services:
  proxy:
    image: sancho-it/nginx:1
    container_name: sanchobench_proxy
    ports:
      - "127.0.0.1:${PROXY_PORT}:80"
    volumes:
      - ${NGINX_CONF}:/etc/nginx/nginx.conf:ro
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
cat >"$WORK/reload.yml" <<'YML'
services:
  proxy:
    x-sancho-proxy:
      reload: [nginx, -s, reload]
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
MVN=("$REPO/mvnw" -B -o "${REPOS[@]}")
docker volume create --label sanchobench=1 ${P}_pgdata >/dev/null

# BENCH_SANCHO_ARGS: extra sancho options for the valid=1s rounds (e.g. -Dsancho.proxyResolveInterval=1s)
read -r -a SANCHO_ARGS <<<"${BENCH_SANCHO_ARGS:-}"
compose_up() { APP_VERSION=$1 DEPLOY_ID=$2 docker-compose up -d "${@:3}" >>"$WORK/compose.log" 2>&1; }
rollout() { # version id: backend, then frontend, as docker-rollout's README does for several services
  APP_VERSION=$1 DEPLOY_ID=$2 "$ROLLOUT" rollout backend >>"$WORK/rollout.log" 2>&1 \
    && APP_VERSION=$1 DEPLOY_ID=$2 "$ROLLOUT" rollout frontend >>"$WORK/rollout.log" 2>&1 \
    || { tail -30 "$WORK/rollout.log" >&2; exit 1; }
}
# sancho's log with timestamps, to line slow requests up with its steps
sancho_deploy() { MAVEN_OPTS="-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS" \
  "${MVN[@]}" sancho:deploy -Dsancho.deployId="$2" -Dapp.version="$1" "${SANCHO_ARGS[@]}" "${@:3}" \
  >"$WORK/mvn-$2.log" 2>&1 || { tail -30 "$WORK/mvn-$2.log" >&2; exit 1; }; }
db_id() { docker inspect -f '{{.Id}}' ${P}_db; }
wait_serving() { # deploy id on both routes
  for _ in $(seq 150); do
    a=$(curl -fs "http://127.0.0.1:$PORT/" || true); b=$(curl -fs "http://127.0.0.1:$PORT/front/" || true)
    [[ $a == *"deploy=$1"* && $b == *"deploy=$1"* ]] && return 0; sleep 0.2
  done
  log "deploy $1 does not answer through the proxy"; exit 1
}
now() { date +%s.%N; }
stop_sancho_apps() {
  docker ps -q --filter "label=sancho.project=$P" --filter "label=sancho.role=app" | xargs -r docker stop >/dev/null
}

log "initial stack by docker-compose (infrastructure + app c0), workdir $WORK"
compose_up 1 c0
for _ in $(seq 60); do [[ $(docker inspect -f '{{.State.Health.Status}}' ${P}_db) == healthy ]] && break; sleep 0.5; done
wait_serving c0
DB0=$(db_id)
ver=1
echo "proxy tool run wall_s requests failed slow db_same" >"$RAW"
measure() { # proxy tool run next_version
  local px=$1 tool=$2 i=$3 v=$4 id t0 t1 lg
  rm -f "$WORK/stop"
  python3 "$REPO/bench/loadgen.py" --url "http://127.0.0.1:$PORT/" --url "http://127.0.0.1:$PORT/front/" \
    --rate 20 --max-seconds 120 --stop-file "$WORK/stop" --out "$WORK/$px-$tool-$i.json" \
    --raw "$WORK/$px-$tool-$i.raw" >/dev/null &
  lg=$!
  sleep 1
  case $tool in
    sancho) id=s$px$i ;; sreload) id=q$px$i ;; rollout) id=r$px$i ;; compose) id=c$px$i ;;
  esac
  t0=$(now)
  case $tool in
    sancho) sancho_deploy "$v" "$id"; echo "$px sancho $i $(grep -o "deployed $id in .*" "$WORK/mvn-$id.log")" >>"$TL" ;;
    sreload) sancho_deploy "$v" "$id" -Dsancho.composeFile=docker-compose.yml,reload.yml
      echo "$px sreload $i $(grep -o "deployed $id in .*" "$WORK/mvn-$id.log")" >>"$TL" ;;
    rollout) rollout "$v" "$id" ;;
    compose) compose_up "$v" "$id" ;;
  esac
  t1=$(now)
  echo "$t0" >"$WORK/$px-$tool-$i.t0"
  sleep 3
  touch "$WORK/stop"; wait $lg
  wait_serving "$id"
  python3 - "$WORK/$px-$tool-$i.json" "$px" "$tool" "$i" "$(echo "$t1 - $t0" | bc)" \
    "$([[ $(db_id) == "$DB0" ]] && echo y || echo n)" >>"$RAW" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(sys.argv[2], sys.argv[3], sys.argv[4], "%.2f" % float(sys.argv[5]), d["requests"], d["failed"], d["slow"], sys.argv[6])
PY
  tail -1 "$RAW" >&2
}

HANDOVER_SLEEP=1.5 # > the proxy's re-resolve interval: a hand-over removes the other tool's containers abruptly
rounds() { # proxy-label count
  local px=$1 n=$2 i prev
  for i in $(seq "$n"); do
    # sancho, from sancho's deploy serving alone (untimed hand-over)
    prev=$ver; ver=$((3 - ver))
    sancho_deploy "$prev" "h$px$i" -Dsancho.deployOnly=true # no verify: compose's containers still answer until removed
    docker-compose rm -sf backend frontend >>"$WORK/compose.log" 2>&1
    wait_serving "h$px$i"; sleep $HANDOVER_SLEEP
    measure "$px" sancho "$i" "$ver"
    if [[ ${BENCH_RELOAD:-0} == 1 ]]; then # from sancho's deploy serving alone, as left by the redeploy above
      prev=$ver; ver=$((3 - ver))
      measure "$px" sreload "$i" "$ver"
    fi
    # docker-rollout and docker-compose, from compose's containers serving alone (untimed hand-over)
    prev=$ver; ver=$((3 - ver))
    compose_up "$prev" "g$px$i"; stop_sancho_apps
    wait_serving "g$px$i"; sleep $HANDOVER_SLEEP
    if [[ -n $ROLLOUT ]]; then
      measure "$px" rollout "$i" "$ver"
      prev=$ver; ver=$((3 - ver)); sleep $HANDOVER_SLEEP
    fi
    measure "$px" compose "$i" "$ver"
  done
}

log "proxy re-resolving every 1 s: $N rounds"
rounds 1s "$N"
if [[ $N_SLOW -gt 0 ]]; then
  log "proxy re-resolving every 5 s (nginx valid=5s, sancho -Dsancho.proxyResolveInterval=${BENCH_SLOW_INTERVAL:-6s}): $N_SLOW rounds"
  sed -i 's|^NGINX_CONF=.*|NGINX_CONF=./nginx-5s.conf|' "$WORK/.env"
  docker rm -f ${P}_proxy >/dev/null; docker-compose up -d --no-deps proxy >>"$WORK/compose.log" 2>&1
  docker exec ${P}_proxy grep -q 'valid=5s' /etc/nginx/nginx.conf
  SANCHO_ARGS=(-Dsancho.proxyResolveInterval=${BENCH_SLOW_INTERVAL:-6s}); HANDOVER_SLEEP=7
  wait_serving "$(curl -fs "http://127.0.0.1:$PORT/" | grep -o 'deploy=[^ ]*' | cut -d= -f2)"
  rounds 5s "$N_SLOW"
  read -r -a SANCHO_ARGS <<<"${BENCH_SANCHO_ARGS:-}"
fi

STARTUP="$WORK/startup.txt"; : >"$STARTUP"
if [[ ${BENCH_STARTUP:-1} != 0 ]]; then
log "start-up: mvn validate, sancho:status, sancho:verify (3 each, alternating)"
sancho_deploy 1 v1 -Dsancho.deployOnly=true # no verify: compose's or docker-rollout's containers answer until removed
docker-compose rm -sf backend frontend >>"$WORK/compose.log" 2>&1
for _ in 1 2 3; do
  for goal in validate sancho:status sancho:verify; do
    /usr/bin/time -o "$WORK/time.txt" -f "%e %U %S" "${MVN[@]}" "$goal" >"$WORK/mvn-$goal.log" 2>&1 \
      || { tail -30 "$WORK/mvn-$goal.log" >&2; exit 1; }
    echo "$goal $(tail -1 "$WORK/time.txt")" >>"$STARTUP"
  done
done
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$RAW" "$TL" "$STARTUP" "$N" "$N_SLOW" "${JVM_FLAGS:-none}" "$STARTED" "$LOAD_BEFORE" "$LOAD_AFTER" "$WORK" \
  "${ROLLOUT:+$(basename "$ROLLOUT") $("$ROLLOUT" docker-cli-plugin-metadata | python3 -c 'import json,sys; print(json.load(sys.stdin)["Version"])')}" \
  >"$OUTMD" <<'PY'
import statistics as st, sys, subprocess, re
raw, tlf, startup, n, n_slow, flags, started, load0, load1, work, rollout = sys.argv[1:12]
import json, os
def late(px, tool, i):
    """Failed (F) and slow (S) requests, in seconds after the command started."""
    base = "%s/%s-%s-%s" % (work, px, tool, i)
    if not os.path.exists(base + ".raw"):
        return ""
    t0 = float(open(base + ".t0").read())
    out = []
    for l in open(base + ".raw"):
        r = json.loads(l)
        if not r["ok"] or r["s"] > 1.0:
            out.append("%s%+.1f" % ("F" if not r["ok"] else "S", r["t"] - t0))
    return " ".join(out)
rows = [l.split() for l in open(raw).read().splitlines()[1:]]
tls = [l.split(" ", 3) for l in open(tlf).read().splitlines() if l.strip()]
su = [l.split() for l in open(startup).read().splitlines() if l.strip()]
def sh(c):
    return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()
def med(px, tool, col):
    v = [float(r[col]) for r in rows if r[0] == px and r[1] == tool]
    return st.median(v) if v else None
tools = [t for t in ("sancho", "sreload", "rollout", "compose") if any(r[1] == t for r in rows)]
head = {"sancho": "`mvn sancho:deploy`", "sreload": "`mvn sancho:deploy` + x-sancho-proxy reload",
        "rollout": "docker-rollout (backend, then frontend)",
        "compose": "`docker-compose up -d`"}
print("<!-- issue15:begin (written by bench/side-by-side.sh; the analysis below the end marker is by hand) -->")
print("### Side by side, %s (N=%s, slow proxy N=%s)\n" % (started, n, n_slow))
print("Machine: %s CPUs, %s GiB RAM, dockerd %s, docker-compose %s, %s; load average (1, 5, 15 min) before: %s,"
      " after: %s\n" % (sh("nproc"), sh("free -g | awk '/Mem:/ {print $2}'"),
      sh("docker version -f '{{.Server.Version}}'"), sh("docker-compose version --short"),
      rollout or "docker-rollout not measured (DOCKER_ROLLOUT unset)", load0, load1))
print("Maven JVM flags (.mvn/jvm.config of the deploy project): `%s`\n" % flags)
for px, label in (("1s", "nginx re-resolving every 1 s (`valid=1s`), sancho `%s`" % (os.environ.get("BENCH_SANCHO_ARGS") or "defaults")),
                  ("5s", "nginx re-resolving every 5 s (`valid=5s`), sancho `-Dsancho.proxyResolveInterval=%s`" % os.environ.get("BENCH_SLOW_INTERVAL", "6s"))):
    if not any(r[0] == px for r in rows):
        continue
    print("#### %s\n" % label)
    print("| median per redeploy | " + " | ".join(head[t] for t in tools) + " |\n|---" + "|---" * len(tools) + "|")
    print("| wall time | " + " | ".join("%.2f s" % med(px, t, 3) for t in tools) + " |")
    print("| failed requests | " + " | ".join("%g" % med(px, t, 5) for t in tools) + " |")
    print("| slow requests (>1 s) | " + " | ".join("%g" % med(px, t, 6) for t in tools) + " |")
    print("| DB container id unchanged | " + " | ".join(
        "all" if all(r[7] == "y" for r in rows if r[0] == px and r[1] == t) else "NO" for t in tools) + " |")
    s = med(px, "sancho", 3)
    ratios = []
    if "rollout" in tools:
        ratios.append("**sancho / docker-rollout: %.2f** (target <= 0.6)" % (s / med(px, "rollout", 3)))
        if "sreload" in tools:
            ratios.append("**sancho + reload / docker-rollout: %.2f**" % (med(px, "sreload", 3) / med(px, "rollout", 3)))
    if "sreload" in tools:
        ratios.append("sancho + reload / sancho: %.2f" % (med(px, "sreload", 3) / s))
    ratios.append("sancho / docker-compose: %.2f" % (s / med(px, "compose", 3)))
    print("\nWall-time ratios of the medians: " + "; ".join(ratios) + "\n")
    print("| tool | run | wall s | requests | failed | slow >1 s | DB id unchanged | failed (F) / slow (S) at s after the command's start |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        if r[0] == px:
            print("| %s | %s |" % (" | ".join(r[1:]), late(px, r[1], r[2])))
    print("\nsancho's timelines (the deploy step itself; wall time minus its total = JVM, Maven, plugin start-up and"
          " reading the compose file):\n")
    for t in tls:
        if t[0] == px:
            wall = next(float(r[3]) for r in rows if r[0] == px and r[1] == t[1] and r[2] == t[2])
            total = float(re.search(r" in ([\d.]+) s", t[3]).group(1))
            print("- %s run %s (wall %.2f s, start-up %.2f s): `%s`" % (t[1], t[2], wall, wall - total, t[3]))
    print()
goals = ["validate", "sancho:status", "sancho:verify"]
if not su:
    print("<!-- issue15:end -->")
    raise SystemExit(0)
m = {g: st.median([float(x[1]) for x in su if x[0] == g]) for g in goals}
print("#### Plugin start-up on the same project (3 runs each, alternating)\n")
cpu = {g: st.median([float(x[2]) + float(x[3]) for x in su if x[0] == g]) for g in goals}
print("| `mvn -o` | median wall | runs | minus `validate` | target | median CPU (user+sys) | minus `validate` |")
print("|---|---|---|---|---|---|---|")
for g, target in zip(goals, ("", "<= 0.3 s", "<= 0.5 s")):
    print("| `%s` | %.2f s | %s | %s | %s | %.2f s | %s |" % (g, m[g],
          ", ".join("%.2f" % float(x[1]) for x in su if x[0] == g),
          "" if g == "validate" else "%+.2f s" % (m[g] - m["validate"]), target, cpu[g],
          "" if g == "validate" else "%+.2f s" % (cpu[g] - cpu["validate"])))
print("<!-- issue15:end -->")
PY
cat "$OUTMD"
if [[ ${BENCH_WRITE_RESULTS:-1} != 0 ]]; then
  python3 - "$REPO/bench/RESULTS.md" "$OUTMD" <<'PY'
import sys, re
res, new = open(sys.argv[1]).read(), open(sys.argv[2]).read().strip()
b, e = "<!-- issue15:begin", "<!-- issue15:end -->"
if b in res:
    res = res[:res.index(b)] + new + res[res.index(e) + len(e):]
else:
    raise SystemExit("bench/RESULTS.md has no issue15 markers")
open(sys.argv[1], "w").write(res)
PY
  log "wrote the issue 15 section of bench/RESULTS.md"
fi
