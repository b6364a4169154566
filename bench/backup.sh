#!/usr/bin/env bash
# Issue 25: a proven backup of a PostgreSQL database of at least 1 GB (pgbench -i -s 70) streams into the backups
# volume within 1.2x of `docker exec db pg_dump -Fc > file` run by hand, with the Maven JVM's heap flat.
# Per round (alternating): the hand-run dump to a file on this machine, then `mvn sancho:backup` under
# /usr/bin/time -v with MAVEN_OPTS=-Xmx${HEAP:-128m} (a dump many times the heap must pass). From sancho's log: the
# seconds from the start of the dump to the dump stored in the volume ("dumped ... in S s"), and the whole goal with
# its proof (a restore of the dump into a throwaway copy). Peak RSS of the Maven JVM from time -v. Prints a markdown
# table; removes everything it created (the bench project's containers and its own volumes sanchobench_*).
# Usage: bench/backup.sh [ROUNDS=2] [SCALE=70]
set -euo pipefail
ROUNDS=${1:-2}
SCALE=${2:-70}
HEAP=${HEAP:-128m}
REPO=$(cd "$(dirname "$0")/.." && pwd)
P=sanchobench
WORK=$(mktemp -d /tmp/sanchobench.XXXXXX)
log() { echo "bench: $*" >&2; }
cleanup() {
  docker ps -aq --filter "label=sancho.project=$P" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker rm -f ${P}_db >/dev/null 2>&1 || true
  for v in ${P}_pgdata ${P}_backups ${P}_sancho_digest_key; do docker volume rm "$v" >/dev/null 2>&1 || true; done
  docker network rm ${P}_default >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
cleanup; WORK=$(mktemp -d /tmp/sanchobench.XXXXXX)
"$REPO/scripts/test-images.sh" postgres >/dev/null
REPOS=(-Dmaven.repo.local="$WORK/m2" -Dmaven.repo.local.tail="$HOME/.m2/repository")
log "installing the plugin from this checkout into $WORK/m2"
(cd "$REPO" && ./mvnw -B -q -o install -DskipTests -Dinvoker.skip=true "${REPOS[@]}")
cp -r "$REPO/.mvn" "$WORK/.mvn"
cat >"$WORK/docker-compose.yml" <<'YML'
services:
  db:
    image: sancho-it/postgres:15
    container_name: sanchobench_db
    environment:
      POSTGRES_USER: bench
      POSTGRES_DB: bench
      POSTGRES_PASSWORD: bench-pw
    volumes:
      - pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "bench", "-d", "bench"]
      interval: 1s
      retries: 60
    x-sancho-backup: {preset: postgres, keep: 1}
volumes:
  pgdata:
    name: sanchobench_pgdata
YML
VERSION=$(cd "$REPO" && ./mvnw -q -o help:evaluate -Dexpression=project.version -DforceStdout 2>/dev/null)
cat >"$WORK/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>backup</artifactId><version>1</version><packaging>pom</packaging>
  <build><plugins><plugin>
    <groupId>dev.sancho</groupId><artifactId>sancho-maven-plugin</artifactId><version>$VERSION</version>
    <configuration><project>$P</project><infrastructure><service>db</service></infrastructure></configuration>
  </plugin></plugins></build>
</project>
POM
MVN=("$REPO/mvnw" -B -o -f "$WORK/pom.xml" "${REPOS[@]}")
"${MVN[@]}" -q sancho:deploy -Dsancho.deployId=b1 >"$WORK/deploy.log" 2>&1 || { cat "$WORK/deploy.log"; exit 1; }
log "pgbench -i -s $SCALE (a few minutes)"
docker exec sanchobench_db pgbench -i -q -s "$SCALE" -U bench bench >/dev/null 2>&1
SIZE=$(docker exec sanchobench_db psql -At -U bench -d bench -c "SELECT pg_database_size('bench')")
log "database: $SIZE bytes"
rows=()
for r in $(seq 1 "$ROUNDS"); do
  sync
  t0=$(date +%s.%N)
  docker exec sanchobench_db pg_dump -Fc -U bench -d bench >"$WORK/hand.dump"
  t1=$(date +%s.%N)
  hand=$(echo "$t1 - $t0" | bc)
  hsize=$(stat -c %s "$WORK/hand.dump"); rm -f "$WORK/hand.dump"
  MAVEN_OPTS="-Xmx$HEAP" /usr/bin/time -v "${MVN[@]}" sancho:backup >"$WORK/backup.log" 2>"$WORK/time.log" \
    || { cat "$WORK/backup.log" "$WORK/time.log"; exit 1; }
  dumped=$(grep -o 'dumped [0-9.]* [KMGT]*B in [0-9.]* s' "$WORK/backup.log" | awk '{print $(NF-1)}')
  dsize=$(grep -o 'dumped [0-9.]* [KMGT]*B' "$WORK/backup.log" | cut -d' ' -f2-)
  total=$(grep -o 'is proven .*, [0-9.]* s$' "$WORK/backup.log" | grep -o '[0-9.]* s$' | cut -d' ' -f1)
  rss=$(grep 'Maximum resident set size' "$WORK/time.log" | awk '{print $NF}')
  ratio=$(echo "scale=2; $dumped / $hand" | bc)
  rows+=("| $r | $hand | $hsize | $dumped | $dsize | $ratio | $total | $((rss / 1024)) |")
  log "round $r: by hand $hand s, sancho dump+store $dumped s (ratio $ratio), proven in $total s, peak RSS $((rss / 1024)) MiB"
done
echo "Database $SIZE bytes (pgbench -s $SCALE); Maven JVM -Xmx$HEAP; $(nproc) cores; $(date -u +%F)"
echo
echo "| round | docker exec pg_dump -Fc > file (s) | its size (B) | sancho dump into the volume (s) | size | ratio | sancho:backup proven (s) | peak RSS of the Maven JVM (MiB) |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
