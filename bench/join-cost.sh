#!/usr/bin/env bash
# What joining DNS only once ready costs a redeploy (issue 21): the same redeploy, alternately with the plugin built
# from BEFORE (new containers in DNS from their start, the proxy's re-resolve interval counted from there, overlapping
# the health wait) and from this checkout (new containers join DNS after the health gate, the interval follows).
# Stack (project sanchojc, on the engine at DOCKER_HOST): the nginx proxy (infrastructure, 127.0.0.1:<free port>),
# backend + frontend (sancho-it/app:1 <-> :2, healthchecks every 500 ms), keep=1, sancho's defaults
# (proxyResolveInterval 2s, drainSeconds 2s). Per redeploy: the deploy's own timeline line (start, ready, dns, drain,
# stop, total) and the requests a 20/s client loop through the proxy sees failed or slow (>1 s).
# Each plugin is installed into its own Maven repository under the work directory (the user's ~/.m2 is only read, as
# maven.repo.local.tail), so nothing installed elsewhere changes.
#
# Usage: bench/join-cost.sh [RUNS=4]    JOIN_BEFORE=<commit> (default: 385db35, main just before issue 21's change);
# JOIN_BEFORE_REPO=DIR / JOIN_AFTER_REPO=DIR reuse a Maven repository that holds that plugin already.
# Run it under the engine lock on a shared machine: flock /tmp/sancho-engine.flock bench/join-cost.sh
# Prints a markdown table (medians per step) and keeps every timeline line in the work directory's raw.txt.
set -euo pipefail
RUNS=${1:-4}
REPO=$(cd "$(dirname "$0")/.." && pwd)
BEFORE=${JOIN_BEFORE:-385db35}
P=sanchojc
WORK=$(mktemp -d /tmp/sanchojc.XXXXXX)
log() { echo "join-cost: $*" >&2; }

cleanup() {
  local rc=$?
  [[ -f $WORK/stop ]] || touch "$WORK/stop" 2>/dev/null || true
  docker ps -aq --filter "label=sancho.project=$P" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
  docker rm -f -v ${P}_proxy ${P}_sancho_lock >/dev/null 2>&1 || true
  docker volume rm ${P}_sancho_digest_key >/dev/null 2>&1 || true # the project's digest key
  docker volume rm ${P}_sancho_audit >/dev/null 2>&1 || true # its audit trail
  docker network rm ${P}_default >/dev/null 2>&1 || true
  if [[ $rc -eq 0 ]]; then rm -rf "$WORK"; else log "work directory kept: $WORK"; fi
}
trap cleanup EXIT

install_plugin() { # source-dir repo
  (cd "$1" && "$REPO/mvnw" -B -q -o -Dmaven.repo.local="$2" -Dmaven.repo.local.tail="$HOME/.m2/repository" install \
    -DskipTests -Dinvoker.skip=true) || { log "building the plugin in $1 failed"; exit 1; }
}
A_REPO=${JOIN_BEFORE_REPO:-}
B_REPO=${JOIN_AFTER_REPO:-}
if [[ -z $A_REPO ]]; then
  log "building the plugin at $BEFORE"
  mkdir -p "$WORK/before"
  git -C "$REPO" archive "$BEFORE" | tar -x -C "$WORK/before"
  A_REPO=$WORK/repo-before
  install_plugin "$WORK/before" "$A_REPO"
fi
if [[ -z $B_REPO ]]; then
  log "building the plugin from this checkout"
  B_REPO=$WORK/repo-after
  install_plugin "$REPO" "$B_REPO"
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/stack/.mvn"
echo "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" >"$WORK/stack/.mvn/jvm.config"
cat >"$WORK/stack/docker-compose.yml" <<YML
services:
  proxy:
    image: sancho-it/nginx:1
    container_name: ${P}_proxy
    ports:
      - "127.0.0.1:${PORT}:80"
  backend:
    image: sancho-it/app:\${APP_VERSION:-1}
    container_name: ${P}_backend_\${DEPLOY_ID}
    environment:
      DEPLOY_ID: \${DEPLOY_ID}
      APP_QUIET: "1"
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]
      interval: 500ms
      retries: 20
    stop_grace_period: 5s
  frontend:
    image: sancho-it/app:\${APP_VERSION:-1}
    container_name: ${P}_frontend_\${DEPLOY_ID}
    environment:
      DEPLOY_ID: \${DEPLOY_ID}
      APP_QUIET: "1"
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]
      interval: 500ms
      retries: 20
    stop_grace_period: 5s
YML
cat >"$WORK/stack/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sancho.bench</groupId>
  <artifactId>join-cost</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <properties><app.version>1</app.version></properties>
  <build><plugins><plugin>
    <groupId>dev.sancho</groupId>
    <artifactId>sancho-maven-plugin</artifactId>
    <version>0.1.0-SNAPSHOT</version>
    <configuration>
      <project>${P}</project>
      <infrastructure><service>proxy</service></infrastructure>
      <environment><APP_VERSION>\${app.version}</APP_VERSION></environment>
      <keep>1</keep>
    </configuration>
  </plugin></plugins></build>
</project>
POM
cleanup_quiet() { docker ps -aq --filter "label=sancho.project=$P" | xargs -r docker rm -f -v >/dev/null 2>&1 || true; }
deploy() { # repo id version -> the timeline line on stdout
  (cd "$WORK/stack" && "$REPO/mvnw" -B -o -Dmaven.repo.local="$1" -Dmaven.repo.local.tail="$HOME/.m2/repository" sancho:deploy \
    -Dsancho.deployId="$2" -Dapp.version="$3") >"$WORK/$2.log" 2>&1 || { tail -30 "$WORK/$2.log" >&2; exit 1; }
  grep -ao "deployed $2 in .*" "$WORK/$2.log" | head -n1
}
log "first deploy (untimed), work directory $WORK"
deploy "$B_REPO" j0 1 >/dev/null
: >"$WORK/raw.txt"
v=1
for i in $(seq "$RUNS"); do
  for side in before after; do
    repo=$A_REPO; [[ $side == after ]] && repo=$B_REPO
    v=$((3 - v))
    rm -f "$WORK/stop"
    python3 "$REPO/bench/loadgen.py" --url "http://127.0.0.1:$PORT/" --url "http://127.0.0.1:$PORT/front/" \
      --rate 20 --max-seconds 120 --stop-file "$WORK/stop" --out "$WORK/$side$i.json" >/dev/null &
    lg=$!
    sleep 1
    line=$(deploy "$repo" "${side:0:1}$i" "$v")
    sleep 2
    touch "$WORK/stop"; wait $lg
    echo "$side $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["requests"], d["failed"], d["slow"])' \
      "$WORK/$side$i.json") $line" | tee -a "$WORK/raw.txt" >&2
  done
done
python3 - "$WORK/raw.txt" "$BEFORE" <<'PY'
import re, statistics, sys
rows = [l.split(None, 4) for l in open(sys.argv[1]) if l.strip()]
steps = ["start", "ready", "dns", "drain", "stop", "verify"]
def parse(line):
    total = float(re.search(r" in ([\d.]+) s", line).group(1))
    return total, {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+)(?=,|$)", line.split(": ", 1)[1])}
out = {}
for side in ["before", "after"]:
    rs = [r for r in rows if r[0] == side]
    parsed = [parse(r[4]) for r in rs]
    med = lambda xs: statistics.median(xs) if xs else float("nan")
    out[side] = {"n": len(rs), "total": med([p[0] for p in parsed]),
                 **{s: med([p[1].get(s, 0.0) for p in parsed]) for s in steps},
                 "requests": sum(int(r[1]) for r in rs), "failed": sum(int(r[2]) for r in rs), "slow": sum(int(r[3]) for r in rs)}
print("| plugin | redeploys | total (median) | " + " | ".join(steps) + " | requests / failed / slow |")
print("|---|---|---|" + "---|" * len(steps) + "---|")
for side, label in [("before", "before (" + sys.argv[2][:10] + ")"), ("after", "after (join once ready)")]:
    o = out[side]
    print("| %s | %d | %.1f s | %s | %d / %d / %d |" % (label, o["n"], o["total"], " | ".join("%.1f" % o[s] for s in steps),
          o["requests"], o["failed"], o["slow"]))
PY
