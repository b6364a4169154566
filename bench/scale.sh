#!/usr/bin/env bash
# Scale bench (issue 29): what a redeploy costs as the stack grows. For each N (default 1 4 16): a stack of N
# application services (sancho-it/app:1 <-> :2, healthcheck every 0.5 s, each its own DNS name on the project's
# network), no infrastructure. Per N, alternating:
#   sancho      `mvn sancho:deploy` redeploy (keep=1), wall time, the deploy's own timeline line, and the Maven JVM's
#               peak RSS (GNU time's maximum resident set of the command's largest process)
#   compose     `docker-compose up -d` (1.29) redeploy of the same file under its own project, wall time (compose
#               neither waits for health nor keeps a deploy to roll back to: a floor, not a peer doing the same work)
# plus one more sancho redeploy through bench/engine-calls.py (a unix-socket relay counting the engine API calls;
# not timed, the relay slows each call).
# Writes target/scale.md and removes everything it created. Not part of ./mvnw verify. Uses the engine under
# DOCKER_HOST (default socket); run it under the engine lock on a shared machine.
#
# Usage: bench/scale.sh [RUNS=3]     BENCH_SCALE_NS="1 4 16" chooses the sizes.
set -euo pipefail
RUNS=${1:-3}
read -r -a NS <<<"${BENCH_SCALE_NS:-1 4 16}"
REPO=$(cd "$(dirname "$0")/.." && pwd)
P=sanchoscale
PC=sanchoscalec
WORK=$(mktemp -d /tmp/sanchoscale.XXXXXX)
mkdir -p "$REPO/target"; OUTMD="$REPO/target/scale.md"
log() { echo "scale: $*" >&2; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
RELAY_PID=""

remove_all() {
  local label net v
  for label in "sancho.project=$P" "com.docker.compose.project=$PC"; do
    docker ps -aq --filter "label=$label" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
  done
  for net in ${P}_default ${PC}_default; do docker network rm "$net" >/dev/null 2>&1 || true; done
  # sancho's own per-project volumes (digest key, audit trail): the bench made them, the bench removes them
  for v in ${P}_sancho_digest_key ${P}_sancho_audit; do docker volume rm "$v" >/dev/null 2>&1 || true; done
}
cleanup() {
  log "cleaning up"
  [[ -z $RELAY_PID ]] || kill "$RELAY_PID" 2>/dev/null || true
  remove_all
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v docker-compose >/dev/null || { log "docker-compose (1.29) is needed: apt-get install docker-compose"; exit 1; }
[[ -x /usr/bin/time ]] || { log "GNU time (/usr/bin/time) is needed: apt-get install time"; exit 1; }
"$REPO/scripts/test-images.sh" app >/dev/null
remove_all
REPOS=(-Dmaven.repo.local="$WORK/m2" -Dmaven.repo.local.tail="$HOME/.m2/repository")
log "installing the plugin from this checkout into $WORK/m2"
(cd "$REPO" && ./mvnw -B -q -o install -DskipTests -Dinvoker.skip=true "${REPOS[@]}")
cp -r "$REPO/.mvn" "$WORK/.mvn"
# The same JVM flags as bench/side-by-side.sh (src/site/markdown/benchmarks.md, JVM flags). BENCH_JVM_FLAGS= runs without.
JVM_FLAGS=${BENCH_JVM_FLAGS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto}
[[ -z $JVM_FLAGS ]] || echo "$JVM_FLAGS" >"$WORK/.mvn/jvm.config"
cat >"$WORK/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sancho.bench</groupId>
  <artifactId>scale</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <properties><app.version>1</app.version></properties>
  <build><plugins><plugin>
    <groupId>dev.sancho</groupId>
    <artifactId>sancho-maven-plugin</artifactId>
    <version>0.1.0-SNAPSHOT</version>
    <configuration>
      <project>$P</project>
      <environment><APP_VERSION>\${app.version}</APP_VERSION></environment>
      <keep>1</keep>
    </configuration>
  </plugin></plugins></build>
</project>
POM
write_compose() { # N
  { echo "services:"
    for i in $(seq "$1"); do cat <<YML
  s$i:
    image: sancho-it/app:\${APP_VERSION:-1}
    environment:
      DEPLOY_ID: \${DEPLOY_ID:-none}
      APP_QUIET: "1"
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]
      interval: 500ms
      retries: 20
    stop_grace_period: 5s
YML
    done; } >"$WORK/docker-compose.yml"
}
cd "$WORK"
MVN=("$REPO/mvnw" -B -o "${REPOS[@]}")
now() { date +%s.%N; }
sancho() { # id version [time-output] -> the deploy's log in mvn-<id>.log
  local id=$1 v=$2 tf=${3:-/dev/null}
  /usr/bin/time -f '%M' -o "$tf" "${MVN[@]}" sancho:deploy -Dsancho.deployId="$id" -Dapp.version="$v" \
    >"$WORK/mvn-$id.log" 2>&1 || { tail -30 "$WORK/mvn-$id.log" >&2; exit 1; }
}
compose() { APP_VERSION=$1 DEPLOY_ID=$2 COMPOSE_PROJECT_NAME=$PC docker-compose up -d >>"$WORK/compose.log" 2>&1 \
  || { tail -30 "$WORK/compose.log" >&2; exit 1; }; }
RAW="$WORK/raw.txt"; TL="$WORK/timelines.txt"; : >"$RAW"; : >"$TL"
CALLS="$WORK/calls.txt"
for n in "${NS[@]}"; do
  remove_all
  write_compose "$n"
  log "N=$n: first deploys (untimed)"
  sancho "n${n}init" 1
  compose 1 "c${n}init"
  v=1
  for r in $(seq "$RUNS"); do
    v=$((3 - v))
    t0=$(now); sancho "n${n}r$r" "$v" "$WORK/time-n${n}r$r"; t1=$(now)
    echo "$n sancho $r $(echo "$t1 - $t0" | bc) $(cat "$WORK/time-n${n}r$r")" >>"$RAW"
    echo "N=$n run $r: $(grep -o 'deployed n[0-9]*r[0-9]* in .*' "$WORK/mvn-n${n}r$r.log" | tail -1)" >>"$TL"
    t0=$(now); compose "$v" "c${n}r$r"; t1=$(now)
    echo "$n compose $r $(echo "$t1 - $t0" | bc) -" >>"$RAW"
    log "N=$n run $r: $(tail -2 "$RAW" | awk '{printf "%s %.2f s  ", $2, $4}')"
  done
  # engine calls of one more redeploy, through the counting relay
  rm -f "$WORK/relay.sock" "$CALLS.n$n"
  python3 "$REPO/bench/engine-calls.py" --listen "$WORK/relay.sock" --log "$CALLS.n$n" &
  RELAY_PID=$!
  for _ in $(seq 50); do [[ -S $WORK/relay.sock ]] && break; sleep 0.1; done
  v=$((3 - v))
  DOCKER_HOST="unix://$WORK/relay.sock" sancho "n${n}calls" "$v"
  kill "$RELAY_PID"; wait "$RELAY_PID" 2>/dev/null || true; RELAY_PID=""
  echo "$n calls $(wc -l <"$CALLS.n$n")" >>"$WORK/calls-count.txt"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "-"} else if (NR%2) {print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'; }
{
  echo "Scale bench, \`bench/scale.sh $RUNS\` (N = ${NS[*]}), $STARTED, $(nproc) CPUs, load average $LOAD_BEFORE before,"
  echo "$LOAD_AFTER after; plugin $(cd "$REPO" && git rev-parse --short HEAD). $RUNS redeploys per tool and N, alternating."
  echo
  echo "| N app services | sancho median wall | min | max | compose median wall | sancho / compose | sancho vs N=${NS[0]} | engine calls (one redeploy) | calls / N | Maven peak RSS (median) |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  base=""
  for n in "${NS[@]}"; do
    s=$(awk -v n="$n" '$1==n && $2=="sancho" {print $4}' "$RAW" | median)
    smin=$(awk -v n="$n" '$1==n && $2=="sancho" {print $4}' "$RAW" | sort -n | head -1)
    smax=$(awk -v n="$n" '$1==n && $2=="sancho" {print $4}' "$RAW" | sort -n | tail -1)
    c=$(awk -v n="$n" '$1==n && $2=="compose" {print $4}' "$RAW" | median)
    rss=$(awk -v n="$n" '$1==n && $2=="sancho" {print $5}' "$RAW" | median)
    calls=$(awk -v n="$n" '$1==n {print $3}' "$WORK/calls-count.txt")
    [[ -n $base ]] || base=$s
    printf '| %s | %.2f s | %.2f | %.2f | %.2f s | %.2fx | %.2fx | %s | %.1f | %.0f MB |\n' "$n" "$s" "$smin" "$smax" "$c" \
      "$(echo "$s / $c" | bc -l)" "$(echo "$s / $base" | bc -l)" "$calls" "$(echo "$calls / $n" | bc -l)" \
      "$(echo "$rss / 1024" | bc -l)"
  done
  echo
  echo "sancho's timelines (the deploy step; wall time minus its total = JVM, Maven, plugin start-up):"
  echo
  sed 's/^/- /' "$TL"
  echo
  echo "Engine calls by kind, one redeploy (method and path, ids and names replaced by {x}):"
  echo
  for n in "${NS[@]}"; do
    echo "- N=$n: $(awk '{print $2, $3}' "$CALLS.n$n" | sed -E 's#/v1\.[0-9]+##; s#/(containers|networks|volumes|images|exec)/(json|create)( |$)#/\1/@\2\3#' \
      | sed -E 's#/(containers|networks|volumes|images|exec)/[^@/ ][^ ]*/(json|start|stop|exec|connect|disconnect|archive|attach|update|wait|logs)$#/\1/{x}/\2#; s#/(containers|networks|volumes|images|exec)/[^@/ ][^/ ]*$#/\1/{x}#; s#@##' \
      | sort | uniq -c | sort -rn | awk '{printf "%s%s %s %s", (NR>1?", ":""), $1, $2, $3}')"
  done
} >"$OUTMD"
cat "$OUTMD"
