#!/usr/bin/env bash
# Fault rounds for sancho:deploy on the seed stack with real PostgreSQL, on a DEDICATED dockerd in its own network
# namespace (scripts/dedicated-engine.sh: the engine other tests use is never stopped or touched). Not part of
# ./mvnw verify. Stack (project sanchofault): the nginx proxy (infrastructure, publishes 127.0.0.1:28680 inside the
# namespace), PostgreSQL 15 (infrastructure, external volume sanchofault_pgdata), backend (restart: always) and
# frontend (restart: unless-stopped), both with healthchecks; keep=2.
#
# Scenarios:
#   kill      N deploys (default 50), each SIGKILLed after a random delay within a clean deploy's duration, each
#             followed by a clean deploy
#   restart   an engine restart (dockerd SIGTERM, wait for it to exit, start it) at each moment of a deploy: while
#             creating, while waiting for health, while draining, right after the cutover (FAULTS_RESTART_ROUNDS
#             rounds of the four, default 3); the deploy's Maven is given 60 s to end by itself; then a clean deploy
#   parallel  two deploys started at once from two checkouts (two copies of the stack's directory)
#             (FAULTS_PARALLEL_ROUNDS, default 5)
#   phases    SIGINT (Ctrl-C) and SIGKILL, alternately, in each phase of a deploy and of a rollback: create (for a
#             rollback: the start of the kept containers), health wait, DNS wait, drain, stop
#             (FAULTS_PHASE_ROUNDS rounds per phase, default 2); the signal goes the moment the phase's log line
#             appears. Each fault is followed by the next command, in turn a deploy, a rollback or nothing (a verify
#             only). Then, as a client sees it: every routed name (backend, frontend) resolves, from inside the proxy,
#             to exactly the running containers of ONE deploy, that deploy answers through the proxy, and it is the
#             one the next command made current; and sancho:verify agrees: it passes exactly when all that holds and
#             no other deploy's container runs. The invariants of the other scenarios are checked too.
# A client loop (bench/loadgen.py: 20 GET/s on / and /front/ through the proxy, inside the namespace, at most 100 in
# flight, at most 900 s per round) runs the whole time. After each round: the DB container id is unchanged, the
# counter table written at the start is intact (and every round's own row), exactly one deploy runs - the clean one
# just made - and answers through the proxy, no deploy lock container is left, no volume beyond the stack's, no app
# containers of more than keep+1 deploys. Extra check, reported apart: every kept deploy's containers still have their
# service name as network alias (else a rollback to it starts containers the proxy never finds).
#
# Usage: bench/faults.sh [N=50]     FAULTS_SCENARIOS="kill restart parallel phases" selects; FAULTS_NO_INSTALL=1 with
# FAULTS_M2=DIR uses the plugin already installed in that Maven repository (default: install it into the work
# directory's own, ~/.m2 only read); FAULTS_KEEP_WORK=1 keeps the work directory (logs of every deploy); FAULTS_OUT=FILE writes
# the results there instead of bench/FAULTS.md; FAULTS_PHASES="rollback-stop deploy-dns" runs only those phases.
# Writes the generated part of bench/FAULTS.md (between its faults:begin/end markers) and removes everything it
# created: the dedicated engine (dockerd, namespace, mounts, /tmp/sancho-faults) and its work directory.
set -euo pipefail
N=${1:-50}
RESTART_ROUNDS=${FAULTS_RESTART_ROUNDS:-3}
PARALLEL_ROUNDS=${FAULTS_PARALLEL_ROUNDS:-5}
PHASE_ROUNDS=${FAULTS_PHASE_ROUNDS:-2}
SCENARIOS=${FAULTS_SCENARIOS:-kill restart parallel phases}
REPO=$(cd "$(dirname "$0")/.." && pwd)
ENG="$REPO/scripts/dedicated-engine.sh"
NAME=${FAULTS_ENGINE:-sancho-faults} # the dedicated engine (and its namespace): another name for a second run
NSPATH=/var/run/netns/$NAME
P=sanchofault
PORT=28680
KEEP=2
BASE_ROWS=1000
WORK=$(mktemp -d /tmp/sanchofaults.XXXXXX)
ROUNDS=$WORK/rounds.jsonl
OUTMD=${FAULTS_OUT:-$REPO/bench/FAULTS.md}
STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
CURRENT=""
T_START=$(date +%s)
log() { echo "faults [$(($(date +%s) - T_START))s]: $*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; } # seconds since a now() value
PIDS=() # every process this script started in the background (Maven builds, client loops)
LG_STOP=""

cleanup() {
  local rc=$? p
  [[ -n $LG_STOP ]] && touch "$LG_STOP"
  sleep 0.5
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  "$ENG" teardown $NAME || log "teardown of the dedicated engine FAILED"
  [[ $rc -eq 0 ]] || log "ended with exit code $rc"
  if [[ $rc -ne 0 || -n ${FAULTS_KEEP_WORK:-} ]]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
set -E
trap 'log "command failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM HUP

for tool in python3 ip nsenter dockerd docker; do command -v $tool >/dev/null || { log "needs $tool"; exit 1; }; done
"$ENG" teardown $NAME # what a killed earlier run left
# The plugin goes into a Maven repository of this run's own (~/.m2 only read, as its tail): other builds on the
# machine neither see it nor swap it mid-run. FAULTS_M2=DIR reuses one that holds it (with FAULTS_NO_INSTALL=1).
M2=${FAULTS_M2:-$WORK/m2}
REPOS=(-Dmaven.repo.local="$M2" -Dmaven.repo.local.tail="$HOME/.m2/repository")
if [[ -z ${FAULTS_NO_INSTALL:-} ]]; then
  log "installing the plugin from this checkout into $M2"
  (cd "$REPO" && ./mvnw -B -q -o "${REPOS[@]}" install -DskipTests -Dinvoker.skip=true)
fi
log "dedicated engine $NAME: started in $("$ENG" start $NAME "$WORK/dockerd.log") s"
log "images copied in $("$ENG" load $NAME sancho-it/app:1 sancho-it/app:2 sancho-it/nginx:1 sancho-it/postgres:15) s"
MAIN_ENGINE=$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo "?")
DOCKER_CLIENT=$(docker version --format '{{.Client.Version}}' 2>/dev/null || echo "?")
export DOCKER_HOST
DOCKER_HOST=$("$ENG" host $NAME) # from here on every docker and mvn call goes to the dedicated engine
unset DOCKER_CONTEXT
ENGINE_VERSION=$(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')

# ---- the stack, in two checkouts (a: every scenario; b: the second deploy of the parallel scenario)
A=$WORK/a B=$WORK/b
mkdir -p "$A/.mvn" "$WORK/logs"
echo "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" >"$A/.mvn/jvm.config"
echo "DB_PASSWORD=faults-secret-5e1" >"$A/.env"
cat >"$A/docker-compose.yml" <<YML
services:
  proxy:
    image: sancho-it/nginx:1
    container_name: ${P}_proxy
    ports:
      - "127.0.0.1:${PORT}:80"
  db:
    image: sancho-it/postgres:15
    container_name: ${P}_db
    environment:
      POSTGRES_DB: faults
      POSTGRES_USER: faults
      POSTGRES_PASSWORD: \${DB_PASSWORD}
    volumes:
      - ${P}_pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "faults", "-d", "faults"]
      interval: 1s
      retries: 30
  backend:
    image: sancho-it/app:\${APP_VERSION:-1}
    container_name: ${P}_backend_\${DEPLOY_ID}
    restart: always
    environment:
      DEPLOY_ID: \${DEPLOY_ID}
      DATABASE_HOST: db
      DATABASE_PASSWORD: \${DB_PASSWORD}
      APP_QUIET: "1"
    depends_on:
      - db
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]
      interval: 500ms
      retries: 20
    stop_grace_period: 5s
  frontend:
    image: sancho-it/app:\${APP_VERSION:-1}
    container_name: ${P}_frontend_\${DEPLOY_ID}
    restart: unless-stopped
    environment:
      DEPLOY_ID: \${DEPLOY_ID}
      APP_QUIET: "1"
    depends_on:
      - backend
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]
      interval: 500ms
      retries: 20
    stop_grace_period: 5s
volumes:
  ${P}_pgdata:
    external: true
YML
cat >"$A/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sancho.bench</groupId>
  <artifactId>faults</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <properties><app.version>1</app.version></properties>
  <build><plugins><plugin>
    <groupId>dev.sancho</groupId>
    <artifactId>sancho-maven-plugin</artifactId>
    <version>0.1.0-SNAPSHOT</version>
    <configuration>
      <project>${P}</project>
      <infrastructure><service>proxy</service><service>db</service></infrastructure>
      <environment><APP_VERSION>\${app.version}</APP_VERSION></environment>
      <keep>${KEEP}</keep>
    </configuration>
  </plugin></plugins></build>
</project>
POM
cp -a "$A" "$B"

# ---- helpers in Python (run inside the namespace: HTTP to its 127.0.0.1; docker through the unix socket)
cat >"$WORK/check.py" <<'PY'
"""Invariants after a round; prints one JSON object. argv: project expected_deploy db_id base_rows extra_rows keep port"""
import http.client, json, re, subprocess, sys
project, expected, db_id, base, extra, keep, port = sys.argv[1:8]
base, extra, keep, port = int(base), int(extra), int(keep), int(port)
def docker(*a):
    r = subprocess.run(["docker", *a], capture_output=True, text=True)
    return r.returncode, r.stdout.strip(), r.stderr.strip()
def names(*filters):
    args = ["ps", "-a", "--filter", "label=sancho.project=" + project]
    for f in filters: args += ["--filter", f]
    return docker(*args, "--format", '{{.Names}} {{.Label "sancho.deploy-id"}} {{.Label "sancho.service"}}')[1].splitlines()
res, why = {}, []
code, out, _ = docker("inspect", "--type", "container", "--format", "{{.Id}} {{.State.Status}}", project + "_db")
res["db"] = code == 0 and out == db_id + " running"
if not res["db"]: why.append("db: " + (out or "missing"))
code, out, err = docker("exec", project + "_db", "psql", "-At", "-U", "faults", "-d", "faults", "-c",
    "SELECT count(*) FILTER (WHERE i <= %d), coalesce(sum(i) FILTER (WHERE i <= %d), 0), count(*) FILTER (WHERE i > %d) FROM counter" % (base, base, base))
want = "%d|%d|%d" % (base, base * (base + 1) // 2, extra)
res["rows"] = code == 0 and out == want
if not res["rows"]: why.append("rows: %s (want %s) %s" % (out, want, err))
running = [l.split() for l in names("label=sancho.role=app", "status=running")]
deploys = sorted({r[1] for r in running})
services = sorted(r[2] for r in running)
answers, bad = [], []
for i in range(10):
    for path in ("/", "/front/"):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", path, headers={"Connection": "close"}); r = c.getresponse()
            body = r.read().decode("utf-8", "replace"); c.close()
            m = re.search(r"deploy=(\S*)", body); d = m.group(1) if m else None
            answers.append(d)
            if r.status != 200 or d != expected: bad.append("%s %d %s" % (path, r.status, d))
        except Exception as e:
            bad.append("%s %s" % (path, type(e).__name__)); answers.append(None)
res["one"] = deploys == [expected] and services == ["backend", "frontend"] and not bad
if not res["one"]:
    why.append("running: %s; answers: %s" % (" ".join(r[0] for r in running) or "none", ", ".join(bad[:5]) or "all " + expected))
code, out, _ = docker("inspect", "--type", "container", project + "_sancho_lock")
res["lock"] = code != 0
if not res["lock"]: why.append("lock container " + project + "_sancho_lock is there")
vols = sorted(docker("volume", "ls", "-q")[1].split())
# the data volume, and the project's digest key (a volume sancho creates once and never removes)
res["volumes"] = [v for v in vols if v not in (project + "_sancho_digest_key", project + "_sancho_audit")] == [project + "_pgdata"]
if not res["volumes"]: why.append("volumes: " + " ".join(vols))
every = [l.split() for l in names("label=sancho.role=app")]
ids = sorted({r[1] for r in every})
res["keep"] = len(ids) <= keep + 1
if not res["keep"]: why.append("app containers of %d deploys: %s" % (len(ids), " ".join(ids)))
res["app_containers"] = len(every)
# extra (not one of the issue's invariants): a kept deploy is rollback-ready only if each of its containers still
# has its service name as alias on its networks (the cutover gives it back after the stop)
lost = []
for n, d, s in every:
    code, out, _ = docker("inspect", "--type", "container", "--format",
                          "{{.State.Running}} {{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{join $v.Aliases \",\"}} {{end}}", n)
    parts = out.split()
    if code == 0 and parts and parts[0] == "false":
        if not any(s in p.split("=", 1)[1].split(",") for p in parts[1:] if "=" in p):
            lost.append(n)
res["aliases"] = not lost
if lost: why.append("kept without service alias: " + " ".join(lost))
res["why"] = "; ".join(why)
print(json.dumps(res))
PY
cat >"$WORK/running.py" <<'PY'
"""What runs now, per deploy: 'id(backend,frontend) id2(backend)'. argv: project"""
import subprocess, sys, collections
out = subprocess.run(["docker", "ps", "--filter", "label=sancho.project=" + sys.argv[1], "--filter", "label=sancho.role=app",
    "--format", '{{.Label "sancho.deploy-id"}} {{.Label "sancho.service"}}'], capture_output=True, text=True).stdout
d = collections.defaultdict(list)
for l in out.split("\n"):
    if l.strip(): i, s = l.split(); d[i].append(s)
print(" ".join("%s(%s)" % (i, ",".join(sorted(s))) for i, s in sorted(d.items())) or "none")
PY
cat >"$WORK/serving.py" <<'PY'
"""What a client sees, as JSON. argv: project port expected ('-': none). From inside the proxy, nslookup backend and
frontend; the addresses must be exactly the running containers of one deploy (the serving one), which must answer
every request through the proxy."""
import http.client, json, re, subprocess, sys
project, port, expected = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def docker(*a):
    r = subprocess.run(["docker", *a], capture_output=True, text=True)
    return r.returncode, r.stdout.strip(), r.stderr.strip()
def resolve(name):
    code, out, err = docker("exec", project + "_proxy", "nslookup", name)
    ips, answer = set(), False
    for l in out.splitlines():
        if l.startswith("Name:"): answer = True; continue
        if answer and l.startswith("Address"):
            m = re.search(r"(\d+\.\d+\.\d+\.\d+)", l.split(":", 1)[1])
            if m: ips.add(m.group(1))
    return ips
byip, running = {}, []
out = docker("ps", "--filter", "label=sancho.project=" + project, "--filter", "label=sancho.role=app", "--format",
             '{{.Names}} {{.Label "sancho.deploy-id"}} {{.Label "sancho.service"}}')[1]
for line in out.splitlines():
    n, d, s = line.split()
    running.append((n, d, s))
    ip = docker("inspect", "--format", '{{with index .NetworkSettings.Networks "%s_default"}}{{.IPAddress}}{{end}}' % project, n)[1]
    if ip: byip[ip] = (n, d, s)
b, f = resolve("backend"), resolve("frontend")
deploys = {byip[ip][1] for ip in b | f if ip in byip}
unknown = sorted(ip for ip in b | f if ip not in byip)
serving = next(iter(deploys)) if len(deploys) == 1 and not unknown else None
want = lambda svc: {ip for ip, (n, d, s) in byip.items() if d == serving and s == svc}
dns_ok = bool(serving) and bool(b) and bool(f) and b == want("backend") and f == want("frontend")
others = sorted(n for n, d, s in running if d != serving)
bad = []
for i in range(5):
    for path in ("/", "/front/"):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", path, headers={"Connection": "close"}); r = c.getresponse()
            body = r.read().decode("utf-8", "replace"); c.close()
            m = re.search(r"deploy=(\S*)", body)
            if r.status != 200 or not m or m.group(1) != serving: bad.append("%s %d %s" % (path, r.status, m and m.group(1)))
        except Exception as e:
            bad.append("%s %s" % (path, type(e).__name__))
why = []
if not dns_ok:
    why.append("backend -> %s, frontend -> %s (running: %s)" % (
        ",".join(sorted(byip[i][0] if i in byip else i for i in b)) or "nothing",
        ",".join(sorted(byip[i][0] if i in byip else i for i in f)) or "nothing", " ".join(n for n, d, s in running) or "none"))
if bad: why.append("answers: " + ", ".join(bad[:4]))
if expected != "-" and serving != expected: why.append("serving %s, expected %s" % (serving, expected))
print(json.dumps({"serving": serving, "dns_ok": dns_ok, "answers_ok": not bad, "others": others,
                  "expected_ok": expected == "-" or serving == expected, "client_why": "; ".join(why)}))
PY
cat >"$WORK/lgsum.py" <<'PY'
"""Client-loop results of one round as JSON. argv: raw windows [stray]. windows: 'start end' lines (engine down);
stray: 'start end allowed,ids' lines: answers in [start, end] from any other deploy are stray answers."""
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
wins = [tuple(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()] if len(sys.argv) > 2 else []
strays = [(float(a), float(b), set(c.split(","))) for a, b, c in (l.split() for l in open(sys.argv[3]) if l.strip())] \
    if len(sys.argv) > 3 else []
stray = [r for r in rows if r["ok"] and any(a <= r["t"] <= b and r["deploy"] not in ok for a, b, ok in strays)]
down = lambda r: any(a <= r["t"] <= b or a <= r["t"] + r["s"] <= b for a, b in wins)
failed = [r for r in rows if not r["ok"]]
slow = [r for r in rows if r["ok"] and r["s"] > 1.0]
errs = sorted({(r["error"] or "")[:60] for r in failed if not down(r)})
print(json.dumps({"requests": len(rows), "failed": len(failed), "slow": len(slow),
                  "failed_down": sum(1 for r in failed if down(r)), "slow_down": sum(1 for r in slow if down(r)),
                  "max_s": max([r["s"] for r in rows], default=0), "errors": errs[:3],
                  "stray": len(stray), "stray_deploys": sorted({r["deploy"] for r in stray})}))
PY

mvn_start() { # dir log args... -> MVN_PID (the JVM itself: mvnw and mvn exec)
  local dir=$1 out=$2
  shift 2
  # timestamps on every line, to put a failed request next to the step it happened in
  (cd "$dir" && MAVEN_OPTS="-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS" \
    exec "$REPO/mvnw" -B -o "${REPOS[@]}" "$@") >"$out" 2>&1 </dev/null &
  MVN_PID=$!
  PIDS+=("$MVN_PID")
}
wait_pid() { # pid seconds -> RC (124: still running after SECONDS, then SIGKILLed)
  local pid=$1 i
  for ((i = 0; i < $2 * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; RC=124
  else if wait "$pid"; then RC=0; else RC=$?; fi; fi
}
last_step() { # the last sancho line of a deploy's log (without its timestamp)
  sed 's/^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]* //' "$1" | grep -a '^\[INFO\] ' | grep -av '^\[INFO\] *$' \
    | grep -av -- '-----\|BUILD\|Total time\|Finished at' | tail -n1 \
    | cut -c8- | sed 's/^ *//' | cut -c1-90 | tr '"\\' "'/" || true
}
VERSION=1
next_version() { VERSION=$((3 - VERSION)); }
DEPLOY_S=()
clean_deploy() { # id -> CLEAN_RC CLEAN_S; the deploy that must succeed after every fault
  local id=$1 t0
  next_version
  t0=$(now)
  mvn_start "$A" "$WORK/logs/$id.log" sancho:deploy -Dsancho.deployId="$id" -Dapp.version=$VERSION
  wait_pid "$MVN_PID" 300
  CLEAN_RC=$RC
  CLEAN_S=$(since "$t0")
  if [[ $CLEAN_RC -eq 0 ]]; then DEPLOY_S+=("$CLEAN_S"); CURRENT=$id; else
    log "clean deploy $id FAILED ($CLEAN_RC): $(grep -a '\[ERROR\]' "$WORK/logs/$id.log" | head -n1 | cut -c1-300)"; fi
}
median_deploy() { printf '%s\n' "${DEPLOY_S[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
proxy_answers() { nsenter --net="$NSPATH" python3 -c "
import http.client, sys
try:
    c = http.client.HTTPConnection('127.0.0.1', $PORT, timeout=2); c.request('GET', '/'); sys.exit(0 if c.getresponse().status == 200 else 1)
except Exception: sys.exit(1)"; }

# ---- the client loop: one bench/loadgen.py per round; the next one starts before the previous one stops
LG_TAG=""
lg_start() { # tag
  local old_stop=$LG_STOP old_pid=${LG_PID:-} old_tag=$LG_TAG
  LG_TAG=$1 LG_STOP=$WORK/lg-$1.stop
  : >"$WORK/lg-$1.windows"
  : >"$WORK/lg-$1.stray"
  nsenter --net="$NSPATH" python3 "$REPO/bench/loadgen.py" --url "http://127.0.0.1:$PORT/" \
    --url "http://127.0.0.1:$PORT/front/" --rate 20 --max-seconds 900 --max-inflight 100 --stop-file "$LG_STOP" \
    --out "$WORK/lg-$1.json" --raw "$WORK/lg-$1.raw" >/dev/null 2>&1 &
  LG_PID=$!
  PIDS+=("$LG_PID")
  if [[ -n $old_stop ]]; then
    touch "$old_stop"
    wait_pid "$old_pid" 20
    LG_LAST=$(python3 "$WORK/lgsum.py" "$WORK/lg-$old_tag.raw" "$WORK/lg-$old_tag.windows" "$WORK/lg-$old_tag.stray" \
      2>/dev/null || echo '{"requests": 0, "failed": 0, "slow": 0, "failed_down": 0, "slow_down": 0, "max_s": 0,
        "errors": ["no client-loop results"], "stray": 0, "stray_deploys": []}')
  fi
}

ROUND_NO=0
DB_ID=""
end_round() { # scenario round expected_deploy -> INV: the invariants checked, the round's row written, next client loop
  INV=$(nsenter --net="$NSPATH" python3 "$WORK/check.py" $P "$3" "$DB_ID" $BASE_ROWS $ROUND_NO $KEEP $PORT)
  ROUND_NO=$((ROUND_NO + 1))
  docker exec ${P}_db psql -q -U faults -d faults -c \
    "INSERT INTO counter VALUES ($((BASE_ROWS + ROUND_NO)), 'after round $1 $2')" >/dev/null \
    || log "could not write the row of round $2"
  lg_start "r$ROUND_NO"
}

finish_round() { # scenario round expected_deploy json_fields  (checks, writes the round's row, records it)
  local scenario=$1 round=$2 expected=$3 fields=$4
  end_round "$scenario" "$round" "$expected"
  python3 -c 'import json, sys
r = json.loads(sys.argv[1]); r.update(json.loads(sys.argv[2])); r["client"] = json.loads(sys.argv[3])
r["scenario"], r["round"], r["expected"] = sys.argv[4], sys.argv[5], sys.argv[6]
print(json.dumps(r))' "$fields" "$INV" "$LG_LAST" "$scenario" "$round" "$expected" >>"$ROUNDS"
  log "$scenario $round: $(tail -n1 "$ROUNDS" | python3 -c 'import json, sys
r = json.loads(sys.stdin.read()); k = ["db", "rows", "one", "lock", "volumes", "keep"]
print(("all invariants hold" if all(r[x] for x in k) else "FAILED " + r["why"]) + "; client %(requests)d req, %(failed)d failed, %(slow)d slow" % r["client"])')"
}

finish_phase_round() { # scenario round json_fields: a phases round; the serving deploy is whichever the client sees
  local scenario=$1 round=$2 fields=$3
  end_round "$scenario" "$round" "$(python3 -c 'import json, sys
print(json.loads(sys.argv[1])["seen"]["serving"] or "-")' "$fields")"
  python3 -c 'import json, sys
r = json.loads(sys.argv[1]); r.update(json.loads(sys.argv[2])); r["client"] = json.loads(sys.argv[3])
r["scenario"], r["round"], r["expected"] = "phases", sys.argv[4] + " " + sys.argv[5], r["seen"]["serving"] or "-"
s = r["seen"]
r["client_ok"] = s["dns_ok"] and s["answers_ok"] and s["expected_ok"]
r["verify_agrees"] = (r["verify_rc"] == 0) == (r["client_ok"] and not s["others"])
print(json.dumps(r))' "$fields" "$INV" "$LG_LAST" "$scenario" "$round" >>"$ROUNDS"
  log "phases $scenario $round: $(tail -n1 "$ROUNDS" | python3 -c 'import json, sys
r = json.loads(sys.stdin.read()); k = ["db", "rows", "lock", "volumes", "keep"]; s = r["seen"]
print("%s, next %s (rc %d): %s; verify %s (%s); %s; client %d req, %d failed" % (r["fault"], r["next"], r["next_rc"],
  "clients fine, serving " + str(s["serving"]) if r["client_ok"] else "CLIENTS: " + s["client_why"],
  "passes" if r["verify_rc"] == 0 else "fails", "agrees" if r["verify_agrees"] else "DISAGREES",
  "invariants hold" if all(r[x] for x in k) else "FAILED " + r["why"], r["client"]["requests"], r["client"]["failed"]))')"
}

# ---- initial state: two clean deploys (the second one times a deploy), the counter table
log "initial deploys (work directory $WORK)"
docker volume create ${P}_pgdata >/dev/null
clean_deploy d000
[[ $CLEAN_RC -eq 0 ]] || { tail -n 40 "$WORK/logs/d000.log" >&2; exit 1; }
DB_ID=$(docker inspect --type container --format '{{.Id}}' ${P}_db)
docker exec ${P}_db psql -q -v ON_ERROR_STOP=1 -U faults -d faults -c \
  "CREATE TABLE counter (i int PRIMARY KEY, note text); INSERT INTO counter SELECT g, 'written before the faults' FROM generate_series(1, $BASE_ROWS) g"
lg_start r0
clean_deploy d001
[[ $CLEAN_RC -eq 0 ]] || { tail -n 40 "$WORK/logs/d001.log" >&2; exit 1; }
log "a clean deploy takes $(median_deploy) s (Maven start included)"
finish_round init 1 d001 '{"fault": "none", "clean_rc": 0}'

# ---- scenario kill: SIGKILL at a random moment of a deploy, then a clean deploy
if [[ " $SCENARIOS " == *" kill "* ]]; then
  for i in $(seq "$N"); do
    id=$(printf 'k%03d' "$i") cid=$(printf 'c%03d' "$i")
    T=$(median_deploy)
    delay=$(python3 -c "import random; print(round(random.uniform(0, $T), 2))")
    next_version
    mvn_start "$A" "$WORK/logs/$id.log" sancho:deploy -Dsancho.deployId="$id" -Dapp.version=$VERSION
    sleep "$delay"
    if kill -0 "$MVN_PID" 2>/dev/null; then
      # it may end by itself between the check and the kill: then the round records that, and goes on
      if kill -9 "$MVN_PID" 2>/dev/null; then outcome="killed"; else outcome="ended just before the kill"; fi
      wait "$MVN_PID" 2>/dev/null || true
    else
      wait_pid "$MVN_PID" 1; outcome="ended before the kill (exit $RC)"
    fi
    step=$(last_step "$WORK/logs/$id.log")
    step=${step:-"(none yet: Maven starting)"}
    clean_deploy "$cid"
    finish_round kill "$i" "$cid" "$(python3 -c 'import json, sys; print(json.dumps({"fault": "SIGKILL after %s s of %s s" % (sys.argv[1], sys.argv[2]), "outcome": sys.argv[3], "step": sys.argv[4], "clean_rc": int(sys.argv[5]), "clean_s": float(sys.argv[6])}))' "$delay" "$T" "$outcome" "$step" "$CLEAN_RC" "$CLEAN_S")"
  done
fi

# ---- scenario restart: the engine stopped and started at a given moment of a deploy, then a clean deploy
if [[ " $SCENARIOS " == *" restart "* ]]; then
  for r in $(seq "$RESTART_ROUNDS"); do
    for moment in creating health draining after-cutover; do
      id="r${r}-${moment}" cid="c${r}-${moment}"
      case $moment in
        creating) pattern="Created ${P}_backend_${id}" ;;
        health) pattern="Started ${P}_frontend_${id}" ;;
        draining) pattern="draining .* before stopping the previous deploy" ;;
        after-cutover) pattern="Deployed ${id}: " ;;
      esac
      next_version
      mvn_start "$A" "$WORK/logs/$id.log" sancho:deploy -Dsancho.deployId="$id" -Dapp.version=$VERSION
      hit=0
      for _ in $(seq 2400); do # 0.05 s steps, 120 s at most
        if grep -aq -- "$pattern" "$WORK/logs/$id.log"; then hit=1; break; fi
        kill -0 "$MVN_PID" 2>/dev/null || break
        sleep 0.05
      done
      if [[ $hit -eq 1 ]]; then
        step=$(last_step "$WORK/logs/$id.log")
        t_down=$(now)
        stop_s=$("$ENG" stop $NAME)
        t_stopped=$(now)
        wait_pid "$MVN_PID" 60
        mvn_rc=$RC
        mvn_after=$(since "$t_stopped")
        mvn_err=$(grep -a '\[ERROR\] Failed to execute goal' "$WORK/logs/$id.log" | head -n1 | sed 's/.*: //' | cut -c1-140 | tr '"\\' "'/" || true)
        start_s=$("$ENG" start $NAME "$WORK/dockerd.log")
        for _ in $(seq 300); do proxy_answers && break; sleep 0.1; done
        t_up=$(now)
        echo "$t_down $t_up" >>"$WORK/lg-$LG_TAG.windows"
        sleep 1 # let the restart policies settle
        after=$(python3 "$WORK/running.py" $P)
        # for 5 s more, until the follow-up deploy starts, only the deploy that was current (or the faulted one, had
        # its cutover been reached) may answer: the client loop counts answers from any other deploy
        sleep 4
        echo "$t_up $(now) $CURRENT,$id" >>"$WORK/lg-$LG_TAG.stray"
        outage=$(awk -v a="$t_down" -v b="$t_up" 'BEGIN { printf "%.1f", b - a }')
        fault="engine restart $moment (stop ${stop_s} s, outage ${outage} s)"
        outcome="mvn exit $mvn_rc ${mvn_after} s after dockerd exited"
        [[ $mvn_rc -eq 124 ]] && outcome="mvn STILL RUNNING 60 s after dockerd exited (then killed)"
      else
        wait_pid "$MVN_PID" 120
        step="trigger '$pattern' never appeared (mvn exit $RC)"; fault="engine restart $moment: MISSED"
        outcome="" after="" mvn_err=""
      fi
      clean_deploy "$cid"
      finish_round restart "$r-$moment" "$cid" "$(python3 -c 'import json, sys; print(json.dumps({"fault": sys.argv[1], "outcome": sys.argv[2], "step": sys.argv[3], "error": sys.argv[4], "running_after_restart": sys.argv[5], "clean_rc": int(sys.argv[6]), "clean_s": float(sys.argv[7])}))' "$fault" "$outcome" "$step" "$mvn_err" "$after" "$CLEAN_RC" "$CLEAN_S")"
    done
  done
fi

# ---- scenario parallel: two deploys at once from two checkouts
if [[ " $SCENARIOS " == *" parallel "* ]]; then
  for r in $(seq "$PARALLEL_ROUNDS"); do
    x="p${r}a" y="p${r}b"
    next_version
    t0=$(now)
    mvn_start "$A" "$WORK/logs/$x.log" sancho:deploy -Dsancho.deployId="$x" -Dapp.version=$VERSION
    px=$MVN_PID
    mvn_start "$B" "$WORK/logs/$y.log" sancho:deploy -Dsancho.deployId="$y" -Dapp.version=$VERSION
    py=$MVN_PID
    sx="" sy=""
    for _ in $(seq 4000); do # 0.1 s steps, 400 s at most
      [[ -z $sx ]] && ! kill -0 "$px" 2>/dev/null && sx=$(since "$t0")
      [[ -z $sy ]] && ! kill -0 "$py" 2>/dev/null && sy=$(since "$t0")
      [[ -n $sx && -n $sy ]] && break
      sleep 0.1
    done
    wait_pid "$px" 1; rx=$RC
    wait_pid "$py" 1; ry=$RC
    waiters=()
    grep -aq "Waiting up to .* for the deploy lock" "$WORK/logs/$x.log" && waiters+=("$x")
    grep -aq "Waiting up to .* for the deploy lock" "$WORK/logs/$y.log" && waiters+=("$y")
    waited=${waiters[*]:-none} expected=""
    # the deploy that waited for the lock deploys second: it is the one that must serve at the end
    if [[ $rx -eq 0 && $ry -eq 0 ]]; then
      if [[ $waited == "$x" ]]; then expected=$x; elif [[ $waited == "$y" ]]; then expected=$y; else expected="?($waited)"; fi
    elif [[ $rx -eq 0 ]]; then expected=$x; else expected=$y; fi
    [[ $rx -eq 0 || $ry -eq 0 ]] && CURRENT=$expected
    err=""
    [[ $rx -ne 0 ]] && err+="$x: $(grep -a '\[ERROR\] Failed' "$WORK/logs/$x.log" | head -n1 | sed 's/.*: //' | cut -c1-140) "
    [[ $ry -ne 0 ]] && err+="$y: $(grep -a '\[ERROR\] Failed' "$WORK/logs/$y.log" | head -n1 | sed 's/.*: //' | cut -c1-140)"
    finish_round parallel "$r" "$expected" "$(python3 -c 'import json, sys; print(json.dumps({"fault": "two deploys at once", "outcome": "%s exit %s in %s s, %s exit %s in %s s; waited for the lock: %s" % tuple(sys.argv[1:8]), "error": sys.argv[8].replace(chr(34), chr(39)), "clean_rc": 0 if sys.argv[2] == sys.argv[5] == "0" else 1}))' "$x" "$rx" "$sx" "$y" "$ry" "$sy" "$waited" "$err")"
  done
fi
# ---- scenario phases: SIGINT or SIGKILL in each phase of a deploy and of a rollback, then the next command
if [[ " $SCENARIOS " == *" phases "* ]]; then
  NEXT=(deploy rollback verify)
  ROLLED=0 n=0
  for cmd in deploy rollback; do
    for phase in create health dns drain stop; do
      # FAULTS_PHASES="rollback-stop deploy-dns" runs only those (e.g. to look again at one finding)
      [[ -z ${FAULTS_PHASES:-} || " $FAULTS_PHASES " == *" $cmd-$phase "* ]] || continue
      for r in $(seq "$PHASE_ROUNDS"); do
        n=$((n + 1))
        if [[ $((r % 2)) -eq 1 ]]; then sig=INT; else sig=KILL; fi
        next=${NEXT[$(((n - 1) % 3))]}
        # a rollback needs the newest deploy serving and older ones kept: after a rollback, a clean deploy first
        if [[ $cmd == rollback && $ROLLED -eq 1 ]]; then clean_deploy "$(printf 'f%03d' "$n")"; ROLLED=0; fi
        id=$(printf '%s%s%03d' "${cmd:0:1}" "${phase:0:2}" "$n")
        case $cmd-$phase in
          deploy-create) pattern="Created ${P}_backend_${id}" ;;
          deploy-health) pattern="Started ${P}_frontend_${id}" ;;
          rollback-create) pattern="  started ${P}_backend_" ;;
          rollback-health) pattern="Waiting for deploy .* to become ready" ;;
          *-dns) pattern="until the new deploy has been in DNS" ;;
          *-drain) pattern="_frontend_.* left DNS alias frontend" ;;
          *-stop) pattern="drained the previous deploy in" ;;
        esac
        if [[ $cmd == deploy ]]; then
          next_version
          mvn_start "$A" "$WORK/logs/$id.log" sancho:deploy -Dsancho.deployId="$id" -Dapp.version=$VERSION
        else
          mvn_start "$A" "$WORK/logs/$id.log" sancho:rollback
          ROLLED=1
        fi
        hit=0
        for _ in $(seq 2400); do # 0.05 s steps, 120 s at most
          if grep -aq -- "$pattern" "$WORK/logs/$id.log"; then hit=1; break; fi
          kill -0 "$MVN_PID" 2>/dev/null || break
          sleep 0.05
        done
        if [[ $hit -eq 1 ]]; then
          step=$(last_step "$WORK/logs/$id.log")
          kill -"$sig" "$MVN_PID" 2>/dev/null || true
          t_sig=$(now)
          wait_pid "$MVN_PID" 120
          outcome="SIG$sig: exit $RC after $(since "$t_sig") s"
          [[ $RC -eq 124 ]] && outcome="SIG$sig: STILL RUNNING 120 s later (then killed)"
          undo=$(grep -a 'Interrupted' "$WORK/logs/$id.log" | head -n1 | sed 's/^.*\[\(WARNING\|INFO\)\] //' | cut -c1-110 | tr '"\\|' "'//" || true)
        else
          wait_pid "$MVN_PID" 120
          step="trigger '$pattern' never appeared (exit $RC)"; outcome="" undo=""
        fi
        expected="-" next_rc=0 next_s=0
        t0=$(now)
        case $next in
          deploy)
            nid=$(printf 'n%03d' "$n")
            next_version
            mvn_start "$A" "$WORK/logs/$nid.log" sancho:deploy -Dsancho.deployId="$nid" -Dapp.version=$VERSION
            wait_pid "$MVN_PID" 300; next_rc=$RC
            [[ $next_rc -eq 0 ]] && { expected=$nid; CURRENT=$nid; } ;;
          rollback)
            nid=$(printf 'n%03d-rb' "$n")
            mvn_start "$A" "$WORK/logs/$nid.log" sancho:rollback
            wait_pid "$MVN_PID" 300; next_rc=$RC; ROLLED=1
            [[ $next_rc -eq 0 ]] && expected=$(grep -ao 'rolled back to [^ ]* in' "$WORK/logs/$nid.log" | head -n1 | cut -d' ' -f4) ;;
        esac
        next_s=$(since "$t0")
        next_err=""
        [[ $next != verify && $next_rc -ne 0 ]] && next_err=$(grep -a '\[ERROR\] Failed' "$WORK/logs/$nid.log" | head -n1 | sed 's/.*: //' | cut -c1-160 | tr '"\\|' "'//")
        sleep 1
        seen=$(nsenter --net="$NSPATH" python3 "$WORK/serving.py" $P $PORT "$expected")
        vid=$(printf 'v%03d' "$n")
        mvn_start "$A" "$WORK/logs/$vid.log" sancho:verify
        wait_pid "$MVN_PID" 120; verify_rc=$RC
        verify_why=$(grep -a '✘' "$WORK/logs/$vid.log" | head -n2 | sed 's/^.*\[INFO\] *//' | cut -c1-150 | tr '"\\|' "'//" | paste -sd ';' || true)
        finish_phase_round "$cmd-$phase" "$r" "$(python3 -c 'import json, sys
a = sys.argv
print(json.dumps({"fault": "SIG%s in the %s of a %s" % (a[1], a[2], a[3]), "outcome": a[4], "step": a[5],
  "undo": a[6], "next": a[7], "next_rc": int(a[8]), "next_s": float(a[9]), "error": a[10], "verify_rc": int(a[11]),
  "verify_why": a[12], "clean_rc": 0, "signal": a[1], "seen": json.loads(a[13])}))' \
          "$sig" "$phase" "$cmd" "$outcome" "$step" "$undo" "$next" "$next_rc" "$next_s" "$next_err" "$verify_rc" \
          "$verify_why" "$seen")"
      done
    done
  done
fi
touch "$LG_STOP"

# ---- bench/FAULTS.md: the generated part
export LOAD_START LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
export NPROC=$(nproc) MEM=$(free -m | awk '/^Mem:/ { printf "%.1f GiB", $2 / 1024 }') KERNEL=$(uname -r)
export ENGINE_VERSION MAIN_ENGINE DOCKER_CLIENT STARTED_AT N RESTART_ROUNDS PARALLEL_ROUNDS PHASE_ROUNDS
export MEDIAN_DEPLOY=$(median_deploy) TOTAL_S=$(($(date +%s) - T_START)) OUTMD ROUNDS
python3 - <<'PY'
import json, os, re
rows = [json.loads(l) for l in open(os.environ["ROUNDS"])]
inv = ["db", "rows", "one", "lock", "volumes", "keep"]
names = {"kill": "SIGKILL at a random moment, then a clean deploy", "restart": "engine restart mid-deploy, then a clean deploy",
         "parallel": "two deploys at once from two checkouts"}
E = os.environ
out = []
out.append("Run of %s: %s CPUs, %s memory, kernel %s, load average %s at the start and %s at the end (the "
           "machine is shared); dedicated dockerd %s (main engine %s, docker CLI %s). A clean deploy took %s s (median, "
           "Maven start-up included); the whole run %d min." % (
    E["STARTED_AT"], E["NPROC"], E["MEM"], E["KERNEL"], E["LOAD_START"], E["LOAD_END"], E["ENGINE_VERSION"],
    E["MAIN_ENGINE"], E["DOCKER_CLIENT"], E["MEDIAN_DEPLOY"], int(E["TOTAL_S"]) // 60))
out.append("")
main = [r for r in rows if r["scenario"] in ("kill", "restart", "parallel")]
if main: out.append("| scenario | rounds | all invariants held | DB id same | rows intact | one deploy runs and answers | no lock left | no extra volume | <= keep+1 deploys | follow-up deploy ok | extra: kept deploys keep their service alias | requests | failed | slow (>1 s) | of which while the engine was down (failed/slow) | stray answers after a restart |")
if main: out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for sc in ["kill", "restart", "parallel"]:
    rs = [r for r in rows if r["scenario"] == sc]
    if not rs: continue
    n = len(rs)
    held = lambda k: "%d of %d" % (sum(1 for r in rs if r[k]), n)
    c = lambda k: sum(r["client"][k] for r in rs)
    out.append("| %s | %d | %d of %d | %s | %s | %s | %s | %s | %s | %d of %d | %s | %d | %d | %d | %s | %s |" % (
        names[sc], n, sum(1 for r in rs if all(r[k] for k in inv)), n, held("db"), held("rows"), held("one"),
        held("lock"), held("volumes"), held("keep"), sum(1 for r in rs if r.get("clean_rc") == 0), n,
        "%d of %d" % (sum(1 for r in rs if r.get("aliases", True)), n), c("requests"), c("failed"), c("slow"), ("%d/%d" % (c("failed_down"), c("slow_down"))) if sc == "restart" else "-",
        ("%d (in %d of %d rounds)" % (c("stray"), sum(1 for r in rs if r["client"]["stray"]), n)) if sc == "restart" else "-"))
out.append("")
phases = [r for r in rows if r["scenario"] == "phases"]
rows = [r for r in rows if r["scenario"] != "phases"]
bad = [r for r in rows if not all(r[k] for k in inv) or r.get("clean_rc", 0) != 0]
out.append("Rounds where an invariant failed or the follow-up deploy failed: " + (str(len(bad)) if bad else "none") + ".")
for r in bad:
    out.append("- %s %s (%s; %s): %s %s" % (r["scenario"], r["round"], r.get("fault"), r.get("step", ""), r["why"], r.get("error", "")))
lost = [r for r in rows if not r.get("aliases", True) and r not in bad]
if lost:
    out.append("")
    out.append("Rounds after which a kept deploy had lost its service alias (extra check; a rollback to it starts "
               "containers nothing routes to): %d." % len(lost))
    for r in lost:
        out.append("- %s %s (%s; faulted deploy's last step: %s): %s" % (r["scenario"], r["round"], r.get("fault"),
                   r.get("step", ""), r["why"]))
if phases:
    out.append("")
    out.append("**Signals in each phase** (FAULTS_PHASE_ROUNDS=%s per phase; SIGINT and SIGKILL alternate; the next "
               "command rotates deploy, rollback, none). Client: from inside the proxy, backend and frontend resolve "
               "to exactly the running containers of one deploy, which answers every request and is the one the next "
               "command made current. Verify agrees: it passes exactly when the client check holds and no other "
               "deploy's container runs." % E.get("PHASE_ROUNDS", "?"))
    out.append("")
    out.append("| command | phase | rounds (INT/KILL) | signal hit the phase | Ctrl-C undo/finish line | next command ok | "
               "client sees one deploy, answering | verify agrees | verify passed while clients were wrong | "
               "invariants (DB, rows, lock, volumes, keep) | requests / failed / slow during the round |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    pk = ["db", "rows", "lock", "volumes", "keep"]
    for cmd in ["deploy", "rollback"]:
        for ph in ["create", "health", "dns", "drain", "stop"]:
            rs = [r for r in phases if r["round"].startswith(cmd + "-" + ph + " ")]
            if not rs: continue
            n = len(rs)
            c = lambda k: sum(r["client"][k] for r in rs)
            out.append("| %s | %s | %d (%d/%d) | %d | %d of %d SIGINT | %d of %d | %d of %d | %d of %d | %d | %d of %d | %d / %d / %d |" % (
                cmd, ph, n, sum(1 for r in rs if r["signal"] == "INT"), sum(1 for r in rs if r["signal"] == "KILL"),
                sum(1 for r in rs if r["outcome"]), sum(1 for r in rs if r["signal"] == "INT" and r["undo"]),
                sum(1 for r in rs if r["signal"] == "INT"), sum(1 for r in rs if r["next"] == "verify" or r["next_rc"] == 0), n,
                sum(1 for r in rs if r["client_ok"]), n, sum(1 for r in rs if r["verify_agrees"]), n,
                sum(1 for r in rs if r["verify_rc"] == 0 and not r["client_ok"]),
                sum(1 for r in rs if all(r[k] for k in pk)), n, c("requests"), c("failed"), c("slow")))
    odd = [r for r in phases if not r["client_ok"] or not r["verify_agrees"] or not all(r[k] for k in ["db", "rows", "lock", "volumes", "keep"])
           or (r["next"] != "verify" and r["next_rc"] != 0)]
    out.append("")
    out.append("Phase rounds where the client check, verify's agreement, an invariant or the next command failed: "
               + (str(len(odd)) if odd else "none") + ".")
    for r in odd:
        out.append("- %s %s (%s; last step: %s; %s): next %s rc %d %s; client: %s; verify rc %d %s; %s" % (
            r["scenario"], r["round"], r["fault"], r["step"], r["outcome"], r["next"], r["next_rc"], r.get("error", ""),
            r["seen"]["client_why"] or "fine", r["verify_rc"], r["verify_why"], r["why"]))
    out.append("")
    out.append("<details><summary>Every phase round</summary>")
    out.append("")
    out.append("| round | fault | last step before it | outcome | undo/finish | next (rc, s) | serving | client | verify | stray running | client loop req / failed / slow |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in phases:
        out.append("| %s | %s | %s | %s | %s | %s (%d, %.1f) | %s | %s | %s | %s | %d / %d / %d |" % (
            r["round"], r["fault"], r["step"].replace("|", "/"), r["outcome"], r["undo"].replace("|", "/"), r["next"],
            r["next_rc"], r["next_s"], r["seen"]["serving"], "ok" if r["client_ok"] else r["seen"]["client_why"].replace("|", "/"),
            ("passes" if r["verify_rc"] == 0 else "fails: " + r["verify_why"].replace("|", "/")) + ("" if r["verify_agrees"] else " (DISAGREES)"),
            " ".join(r["seen"]["others"]), r["client"]["requests"], r["client"]["failed"], r["client"]["slow"]))
    out.append("")
    out.append("</details>")
out.append("")
out.append("<details><summary>Every round</summary>")
out.append("")
out.append("| scenario | round | fault | the faulted deploy | its last step | running right after the restart | follow-up | invariants | client: req / failed / slow | stray answers | errors outside engine downtime |")
out.append("|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    ok = all(r[k] for k in inv)
    out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %d / %d / %d | %s | %s |" % (
        r["scenario"], r["round"], r.get("fault", ""), (r.get("outcome", "") + (" — " + r["error"] if r.get("error") else "")).replace("|", "/"),
        r.get("step", "").replace("|", "/"), r.get("running_after_restart", ""),
        (r["expected"] + (" %s s" % r["clean_s"] if "clean_s" in r else "")) if r.get("clean_rc", 0) == 0 else "FAILED",
        ("ok" if r.get("aliases", True) else "ok; extra: " + r["why"]) if ok else "FAILED: " + r["why"].replace("|", "/"), r["client"]["requests"], r["client"]["failed"],
        r["client"]["slow"], ("%d from %s" % (r["client"]["stray"], ", ".join(r["client"]["stray_deploys"]))) if r["client"].get("stray") else "",
        "; ".join(r["client"]["errors"]).replace("|", "/")))
out.append("")
out.append("</details>")
gen = "\n".join(out)
path = E["OUTMD"]
begin, end = "<!-- faults:begin (generated by bench/faults.sh) -->", "<!-- faults:end -->"
text = open(path).read() if os.path.exists(path) else "# Fault rounds\n\n" + begin + "\n" + end + "\n"
if begin not in text: text += "\n" + begin + "\n" + end + "\n"
text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: begin + "\n" + gen + "\n" + end, text, flags=re.S)
open(path, "w").write(text)
print(gen.split("<details>")[0])
PY
log "results in $OUTMD"
