#!/usr/bin/env bash
# The gap a proxy upgrade leaves (issue 25): sancho:upgrade of the nginx proxy (infrastructure, publishes
# 127.0.0.1:28690 inside the engine's namespace) under bench/loadgen.py (50 GET/s on / -> backend, inside the
# namespace), on a DEDICATED dockerd (scripts/dedicated-engine.sh; the shared engine is not touched). The new image
# (sancho-it/nginx:1 + a label) is on the engine before the old proxy stops, so the gap is the stop + start of nginx.
# Prints: requests, failed, the window from the first to the last failed request, and the upgrade's own log times.
# Usage: bench/upgrade-proxy-gap.sh [ROUNDS=3]. Needs the plugin in target/local-repo. Removes what it created.
set -euo pipefail
ROUNDS=${1:-3}
REPO=$(cd "$(dirname "$0")/.." && pwd)
ENG="$REPO/scripts/dedicated-engine.sh"
NAME=sancho-upgap
P=sanchoupx
PORT=28690
WORK=$(mktemp -d /tmp/sanchoupgap.XXXXXX)
PATCHED=sancho-it-upgrade/nginx:patched
PLUGIN=dev.sancho:sancho-maven-plugin:0.1.0-SNAPSHOT
cleanup() { local rc=$?; "$ENG" teardown $NAME >/dev/null 2>&1 || true; rm -rf "$WORK"; exit $rc; }
trap cleanup EXIT
"$ENG" teardown $NAME >/dev/null 2>&1 || true
"$ENG" start $NAME "$WORK/dockerd.log" >/dev/null
"$ENG" load $NAME sancho-it/nginx:1 sancho-it/app:1 >/dev/null
export DOCKER_HOST=$("$ENG" host $NAME)
printf 'FROM sancho-it/nginx:1\nLABEL dev.sancho.it.upgrade=patched\n' | docker build -q -t $PATCHED - >/dev/null 2>&1
cat > "$WORK/docker-compose.yml" <<YML
services:
  proxy:
    image: \${PROXY_IMAGE}
    container_name: ${P}_proxy
    ports: ["127.0.0.1:${PORT}:80"]
  backend:
    image: sancho-it/app:1
    container_name: ${P}_backend_\${DEPLOY_ID}
    environment: {APP_QUIET: "1", DEPLOY_ID: "\${DEPLOY_ID}"}
YML
cat > "$WORK/pom.xml" <<XML
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>dev.sancho.bench</groupId><artifactId>${P}</artifactId><version>1</version><packaging>pom</packaging>
  <properties><proxy.image>sancho-it/nginx:1</proxy.image></properties>
  <build><plugins><plugin><groupId>dev.sancho</groupId><artifactId>sancho-maven-plugin</artifactId>
    <version>0.1.0-SNAPSHOT</version>
    <configuration><project>${P}</project><infrastructure><service>proxy</service></infrastructure>
      <environment><PROXY_IMAGE>\${proxy.image}</PROXY_IMAGE></environment>
      <minReadySeconds>1</minReadySeconds></configuration>
  </plugin></plugins></build></project>
XML
sed "s|@localRepositoryUrl@|file://$HOME/.m2/repository|" "$REPO/src/it/settings.xml" > "$WORK/settings.xml"
mvn() { (cd "$WORK" && "$REPO/mvnw" -B -o -s "$WORK/settings.xml" -Dmaven.repo.local="$REPO/target/local-repo" "$@"); }
mvn $PLUGIN:deploy -Dsancho.deployId=d1 > "$WORK/d1.log" 2>&1 || { tail -30 "$WORK/d1.log"; exit 1; }
image=$PATCHED
for r in $(seq 1 "$ROUNDS"); do
  rm -f "$WORK/stop"
  nsenter --net=/var/run/netns/$NAME python3 "$REPO/bench/loadgen.py" --url "http://127.0.0.1:$PORT/" --rate 50 \
    --timeout 2 --max-seconds 120 --stop-file "$WORK/stop" --out "$WORK/out$r.json" --raw "$WORK/raw$r.jsonl" \
    > "$WORK/lg$r.log" 2>&1 &
  LG=$!
  sleep 3
  mvn $PLUGIN:upgrade -Dproxy.image=$image > "$WORK/up$r.log" 2>&1 || { tail -30 "$WORK/up$r.log"; exit 1; }
  sleep 3
  touch "$WORK/stop"
  wait $LG
  python3 - "$WORK/raw$r.jsonl" "$WORK/up$r.log" "$r" "$image" <<'PY'
import json, sys, re, collections
rows = sorted((json.loads(l) for l in open(sys.argv[1])), key=lambda x: x["t"])
bad = [x for x in rows if not x["ok"]]
# the longest run of consecutive failed requests: the window in which no proxy answered
best, cur = [], []
for x in rows:
    if x["ok"]:
        cur = []
    else:
        cur.append(x)
        if len(cur) > len(best):
            best = list(cur)
gap = (best[-1]["t"] - best[0]["t"]) if best else 0.0
errors = collections.Counter((x["error"] or "")[:40] for x in bad)
total = re.search(r"Total time:\s+([0-9.]+) s", open(sys.argv[2]).read())
print("round %s (to %s): %d requests, %d failed; longest run of failures %d requests over %.2f s; upgrade goal %s s;"
      " errors %s" % (sys.argv[3], sys.argv[4], len(rows), len(bad), len(best), gap,
                      total.group(1) if total else "?", dict(errors.most_common(3))))
PY
  image=$([[ $image == "$PATCHED" ]] && echo sancho-it/nginx:1 || echo $PATCHED)
done
