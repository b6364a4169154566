#!/usr/bin/env bash
# Issue 15: "cleanup of 200 stale containers stays O(stale)", and list calls stay label-filtered when the host holds
# other projects' containers. `mvn sancho:pre-deploy-cleanup` of a one-service project (prefix sanchostale_) with
# 0, 50 and 200 stale app containers (created, never started: what interrupted deploys leave), then with 200 stale
# ones beside 200 containers of another project (sanchostaleother). Per run: wall time of the Maven command and the
# number of engine API calls it made, counted by bench/engine-calls.py (a relay in front of the engine's socket;
# DOCKER_HOST points the goal at it). Prints a markdown table; removes everything it created.
# Usage: bench/stale-cleanup.sh [COUNTS="0 50 200"]
set -euo pipefail
COUNTS=${1:-0 50 200}
REPO=$(cd "$(dirname "$0")/.." && pwd)
P=sanchostale
O=sanchostaleother
WORK=$(mktemp -d /tmp/sanchostale.XXXXXX)
log() { echo "bench: $*" >&2; }
RELAY=
cleanup() {
  [[ -z $RELAY ]] || kill "$RELAY" 2>/dev/null || true
  for p in $P $O; do
    docker ps -aq --filter "label=sancho.project=$p" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
  done
  docker network rm ${P}_default >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
cleanup 2>/dev/null; WORK=$(mktemp -d /tmp/sanchostale.XXXXXX)
"$REPO/scripts/test-images.sh" app >/dev/null
REPOS=(-Dmaven.repo.local="$WORK/m2" -Dmaven.repo.local.tail="$HOME/.m2/repository")
log "installing the plugin from this checkout into $WORK/m2"
(cd "$REPO" && ./mvnw -B -q -o install -DskipTests -Dinvoker.skip=true "${REPOS[@]}")
cp -r "$REPO/.mvn" "$WORK/.mvn"
echo "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto" >"$WORK/.mvn/jvm.config"
cat >"$WORK/docker-compose.yml" <<'YML'
services:
  backend:
    image: sancho-it/app:1
    container_name: sanchostale_backend_${DEPLOY_ID}
    environment:
      DEPLOY_ID: ${DEPLOY_ID}
      APP_QUIET: "1"
YML
cat >"$WORK/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sancho.bench</groupId>
  <artifactId>stale</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <build><plugins><plugin>
    <groupId>dev.sancho</groupId>
    <artifactId>sancho-maven-plugin</artifactId>
    <version>0.1.0-SNAPSHOT</version>
    <configuration><project>sanchostale</project><keep>1</keep></configuration>
  </plugin></plugins></build>
</project>
POM
cd "$WORK"
MVN=("$REPO/mvnw" -B -o "${REPOS[@]}")
python3 "$REPO/bench/engine-calls.py" --listen "$WORK/engine.sock" --log "$WORK/calls.txt" & RELAY=$!
for _ in $(seq 50); do [[ -S $WORK/engine.sock ]] && break; sleep 0.1; done
"${MVN[@]}" sancho:deploy -Dsancho.deployId=d1 >>"$WORK/mvn.log" 2>&1 \
  || { tail -30 "$WORK/mvn.log" >&2; exit 1; }
now() { date +%s.%N; }
stale() { # count project deploy-id-prefix
  [[ $1 -gt 0 ]] || return 0
  seq "$1" | xargs -P 4 -I{} docker create --label sancho.project="$2" --label sancho.role=app \
    --label sancho.service=backend --label sancho.deploy-id="$3{}" --name "$2_backend_$3{}" sancho-it/app:1 >/dev/null
}
run() { # label stale-count other-count
  stale "$2" $P s
  stale "$3" $O o
  local before after t0 t1 calls
  before=$(docker ps -aq --filter "label=sancho.project=$P" --filter status=created | wc -l)
  : >"$WORK/calls.txt"
  t0=$(now)
  DOCKER_HOST=unix://$WORK/engine.sock "${MVN[@]}" sancho:pre-deploy-cleanup >>"$WORK/mvn.log" 2>&1 \
    || { tail -30 "$WORK/mvn.log" >&2; exit 1; }
  t1=$(now)
  calls=$(wc -l <"$WORK/calls.txt")
  after=$(docker ps -aq --filter "label=sancho.project=$P" --filter status=created | wc -l)
  local by; by=$(sed -E 's#/v1\.[0-9]+##; s#/[0-9a-f]{64}#/ID#g' "$WORK/calls.txt" | awk '{print $2, $3}' | sort | uniq -c \
    | sort -rn | awk '{printf "%s%s %s %s", (NR>1?", ":""), $1, $2, $3}')
  printf '| %s | %s | %s | %.2f s | %s | %s |\n' "$1" "$before" "$after" "$(echo "$t1 - $t0" | bc)" "$calls" "$by"
  docker ps -aq --filter "label=sancho.project=$O" | xargs -r docker rm -f >/dev/null 2>&1 || true
}
echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs; dockerd $(docker version -f '{{.Server.Version}}'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| run | stale before | stale after | wall (mvn) | engine calls | calls by kind |"
echo "|---|---|---|---|---|---|"
for n in $COUNTS; do run "$n stale" "$n" 0; done
run "200 stale + 200 of another project" 200 200
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
