#!/usr/bin/env bash
# kill -9 rounds for sancho:upgrade (issue 25) with real PostgreSQL, on the engine at DOCKER_HOST (default the local
# socket; hold the engine lock: flock /tmp/sancho-engine.flock bench/upgrade-faults.sh). Not part of ./mvnw verify.
# Stack (project sanchoupf): PostgreSQL 15 as infrastructure (container sanchoupf_db, external volume
# sanchoupf_pgdata, healthcheck pg_isready) and one app; images sancho-it/postgres:15 and a patched one built here
# (FROM it + a label), upgraded back and forth.
#
# Each round starts `sancho:upgrade` to the other image and SIGKILLs its Maven (the whole process group) the moment
# the phase's log line appears: after the rename (`renamed`), after the stop (`stopped`), after the create
# (`created`), after the start (`started`), during the health wait (`waiting for`). Then the next command, in turn
# sancho:upgrade, sancho:deploy, sancho:recover. Checked after it: exactly one container named sanchoupf_db, running,
# on sanchoupf_pgdata; exactly one database container running; every row written at the start (1000) is there; and a
# watcher polling `docker ps` every 100 ms for the whole run never saw two database containers running.
#
# Usage: bench/upgrade-faults.sh [ROUNDS_PER_PHASE=1]. Needs the plugin in target/local-repo (an invoker run of
# ./mvnw verify puts it there) and the user's ~/.m2 for everything else. UPFAULTS_OUT=FILE writes the results there
# instead of bench/UPGRADE-FAULTS.md; UPFAULTS_KEEP_WORK=1 keeps the logs. Removes everything it created.
set -euo pipefail
ROUNDS=${1:-1}
REPO=$(cd "$(dirname "$0")/.." && pwd)
P=sanchoupf
WORK=$(mktemp -d /tmp/sanchoupfaults.XXXXXX)
OUTMD=${UPFAULTS_OUT:-$REPO/bench/UPGRADE-FAULTS.md}
PATCHED=sancho-it-upgrade/postgres:faults-patched
BASE=sancho-it/postgres:15
PLUGIN=dev.sancho:sancho-maven-plugin:0.1.0-SNAPSHOT
T_START=$(date +%s)
STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
log() { echo "upgrade-faults [$(($(date +%s) - T_START))s]: $*" >&2; }
WATCH_PID=""
MVN_PID=""

clean_engine() {
  local names
  names=$(docker ps -aq --filter label=sancho.project=$P)
  [[ -z $names ]] || docker rm -f -v $names >/dev/null
  docker rm -f ${P}_${P}_lock >/dev/null 2>&1 || true
  for v in ${P}_pgdata ${P}_sancho_digest_key; do docker volume rm $v >/dev/null 2>&1 || true; done
  docker network rm ${P}_default >/dev/null 2>&1 || true
}
cleanup() {
  local rc=$?
  [[ -n $WATCH_PID ]] && kill "$WATCH_PID" 2>/dev/null || true
  [[ -n $MVN_PID ]] && kill -9 -- -"$MVN_PID" 2>/dev/null || true
  clean_engine
  docker rmi $PATCHED >/dev/null 2>&1 || true
  [[ $rc -eq 0 ]] || log "ended with exit code $rc"
  if [[ $rc -ne 0 || -n ${UPFAULTS_KEEP_WORK:-} ]]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM HUP

[[ -d $REPO/target/local-repo/dev/sancho/sancho-maven-plugin ]] || { log "no plugin in target/local-repo"; exit 1; }
clean_engine
printf 'FROM %s\nLABEL dev.sancho.it.upgrade=faults-patched\n' $BASE | docker build -q -t $PATCHED - >/dev/null

cat > "$WORK/docker-compose.yml" <<YML
services:
  db:
    image: \${DB_IMAGE}
    container_name: ${P}_db
    environment:
      POSTGRES_DB: shop
      POSTGRES_USER: shop
      POSTGRES_PASSWORD: ${P}-pw
    volumes:
      - pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "shop", "-d", "shop"]
      interval: 1s
      retries: 30
  backend:
    image: sancho-it/app:1
    container_name: ${P}_backend_\${DEPLOY_ID}
    environment:
      APP_QUIET: "1"
    depends_on: [db]
volumes:
  pgdata:
    external: true
    name: ${P}_pgdata
YML
cat > "$WORK/pom.xml" <<XML
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>dev.sancho.bench</groupId><artifactId>${P}</artifactId><version>1</version><packaging>pom</packaging>
  <properties><db.image>${BASE}</db.image></properties>
  <build><plugins><plugin><groupId>dev.sancho</groupId><artifactId>sancho-maven-plugin</artifactId>
    <version>0.1.0-SNAPSHOT</version>
    <configuration><project>${P}</project><infrastructure><service>db</service></infrastructure>
      <environment><DB_IMAGE>\${db.image}</DB_IMAGE></environment>
      <minReadySeconds>1</minReadySeconds><healthTimeout>60</healthTimeout></configuration>
  </plugin></plugins></build></project>
XML
sed "s|@localRepositoryUrl@|file://$HOME/.m2/repository|" "$REPO/src/it/settings.xml" > "$WORK/settings.xml"
mvn_args=(-B -o -s "$WORK/settings.xml" -Dmaven.repo.local="$REPO/target/local-repo")
MVN="$REPO/mvnw"
run_mvn() { # LOG GOAL ARGS... (foreground)
  local out=$1; shift
  (cd "$WORK" && "$MVN" "${mvn_args[@]}" "$@" >"$out" 2>&1)
}
current_image() { docker inspect -f '{{.Config.Image}}' ${P}_db 2>/dev/null || echo none; }
rows() { docker exec ${P}_db psql -At -U shop -d shop -c "SELECT count(*) FROM t" 2>/dev/null || echo none; }

run_mvn "$WORK/d0.log" $PLUGIN:deploy -Dsancho.deployId=d0 || { log "first deploy failed"; tail -30 "$WORK/d0.log"; exit 1; }
docker exec ${P}_db psql -q -U shop -d shop -c "CREATE TABLE t (i int); INSERT INTO t SELECT generate_series(1, 1000)"

# the watcher: the most database containers running at once, for the whole run
(most=0; while :; do n=$(docker ps -q --filter label=sancho.project=$P --filter label=sancho.service=db | wc -l)
  if (( n > most )); then most=$n; echo "$most $(date +%s.%N)" >> "$WORK/most"; fi; sleep 0.1; done) &
WATCH_PID=$!

declare -A LINE=([rename]="  renamed ${P}_db -> " [stop]="  stopped " [create]="  created ${P}_db" [start]="  started ${P}_db"
  [await]="  waiting for ${P}_db")
NEXT=(upgrade deploy recover)
results=()
failures=0
round=0
for r in $(seq 1 "$ROUNDS"); do
  for phase in rename stop create start await; do
    round=$((round + 1))
    next=${NEXT[$(( (round - 1) % 3 ))]}
    to=$([[ $(current_image) == "$BASE" ]] && echo $PATCHED || echo $BASE)
    ulog="$WORK/round$round-upgrade.log"
    (cd "$WORK" && exec setsid "$MVN" "${mvn_args[@]}" $PLUGIN:upgrade -Ddb.image=$to >"$ulog" 2>&1) &
    MVN_PID=$!
    hit=no
    for _ in $(seq 1 1200); do
      if grep -qF -- "${LINE[$phase]}" "$ulog" 2>/dev/null; then kill -9 -- -"$MVN_PID" 2>/dev/null || kill -9 "$MVN_PID"; hit=yes; break; fi
      kill -0 "$MVN_PID" 2>/dev/null || break
      sleep 0.05
    done
    wait "$MVN_PID" 2>/dev/null || true
    MVN_PID=""
    state=$(docker ps -a --filter label=sancho.project=$P --filter label=sancho.service=db --format '{{.Names}}:{{.State}}' | sort | tr '\n' ' ')
    nlog="$WORK/round$round-$next.log"
    case $next in
      upgrade) run_mvn "$nlog" $PLUGIN:upgrade -Ddb.image=$to && rc=0 || rc=$? ;;
      deploy) run_mvn "$nlog" $PLUGIN:deploy -Dsancho.deployId=r$round -Ddb.image=$to && rc=0 || rc=$? ;;
      recover) run_mvn "$nlog" $PLUGIN:recover -Ddb.image=$to && rc=0 || rc=$? ;;
    esac
    fixed=$(docker inspect -f '{{.State.Status}} {{range .Mounts}}{{.Name}}{{end}}' ${P}_db 2>/dev/null || echo missing)
    running=$(docker ps -q --filter label=sancho.project=$P --filter label=sancho.service=db | wc -l)
    n=$(rows)
    ok=yes
    [[ $fixed == "running ${P}_pgdata" && $running -eq 1 && $n == 1000 && $rc -eq 0 ]] || ok=no
    [[ $ok == yes ]] || failures=$((failures + 1))
    log "round $round: kill after '$phase' (hit: $hit), left: $state; then $next (rc $rc): $P""_db $fixed, $running running, rows $n -> $ok"
    results+=("| $round | $phase | $hit | $state | $next | $rc | $fixed | $running | $n | $ok |")
  done
done
kill "$WATCH_PID" 2>/dev/null || true
WATCH_PID=""
most=$(tail -1 "$WORK/most" 2>/dev/null | cut -d' ' -f1)
log "most database containers running at once during the whole run: ${most:-0}"
[[ ${most:-0} -le 1 ]] || failures=$((failures + 1))

{
  echo "# sancho:upgrade under kill -9"
  echo
  echo "\`bench/upgrade-faults.sh $ROUNDS\`, started $STARTED_AT, $(nproc) cores, $(docker version -f '{{.Server.Version}}') engine,"
  echo "$(($(date +%s) - T_START)) s. Real PostgreSQL 15 (1000 rows written first), upgraded between $BASE and a"
  echo "patched image; Maven SIGKILLed (process group) the moment the phase's log line appears, then the next command."
  echo "Most database containers running at once, polled every 100 ms for the whole run: **${most:-0}**."
  echo "Rounds that failed a check: **$failures** of $round."
  echo
  echo "| round | killed after | hit | left (db containers) | next | rc | ${P}_db after | running | rows | ok |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${results[@]}"
} > "$OUTMD"
log "results in $OUTMD"
[[ $failures -eq 0 ]]
