#!/usr/bin/env bash
# Fault rounds for the deploy lock (issue 22), on a DEDICATED dockerd in its own network namespace
# (scripts/dedicated-engine.sh: the shared engine is never touched, so no engine lock is held for long). Not part of
# ./mvnw verify. Each round starts two deploys at once; once one holds the lock (the holder) and the other says it
# waits for it (the waiter), the holder is killed with kill -9 at a random moment within about its hold time
# (LOCKFAULTS_HOLD, default 15 s), and the waiter must finish the job. The stack (project sancholf): one app service with a healthcheck, keep=1.
#
# Checked from the engine's own event stream (docker events, recorded the whole run) and after each round:
#   - every container create of deploy D happens while D's deployer holds the lock (a lock container with its pid is
#     running): nobody creates outside the lock;
#   - every stop of an app container (the SIGTERM that starts it) happens while some deployer holds the lock, and
#     never targets that holder's own deploy: never two cutovers at once (a broken lock would let the old holder stop
#     the new holder's containers, or the other way round);
#   - after each round: the waiter succeeded, exactly one deploy runs (the waiter's), no lock container is left.
# Recorded: the kill moment (after the holder took the lock, uniform within about its hold time), the takeover time (the killed holder's lock process ending -> the waiter's lock starting,
# engine timestamps), the waiter's total time.
#
# Usage: bench/lock-faults.sh [ROUNDS=20]   LOCKFAULTS_NO_INSTALL=1 uses the plugin already in ~/.m2;
# LOCKFAULTS_KEEP_WORK=1 keeps the work directory; LOCKFAULTS_OUT=FILE writes the results there instead of
# bench/LOCK-FAULTS.md. Removes everything it created (the dedicated engine, its namespace, the work directory).
set -euo pipefail
ROUNDS=${1:-20}
REPO=$(cd "$(dirname "$0")/.." && pwd)
ENG="$REPO/scripts/dedicated-engine.sh"
NAME=sancho-lockfaults
P=sancholf
WORK=$(mktemp -d /tmp/sancholockfaults.XXXXXX)
OUTMD=${LOCKFAULTS_OUT:-$REPO/bench/LOCK-FAULTS.md}
STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)
log() { echo "lock-faults [$(($(date +%s) - T_START))s]: $*" >&2; }
PIDS=()
EVENTS_PID=""

cleanup() {
  local rc=$? p
  for p in "${PIDS[@]}" $EVENTS_PID; do kill -9 "$p" 2>/dev/null || true; done
  "$ENG" teardown $NAME || log "teardown of the dedicated engine FAILED"
  [[ $rc -eq 0 ]] || log "ended with exit code $rc"
  if [[ $rc -ne 0 || -n ${LOCKFAULTS_KEEP_WORK:-} ]]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM HUP

for tool in python3 ip nsenter dockerd docker; do command -v $tool >/dev/null || { log "needs $tool"; exit 1; }; done
"$ENG" teardown $NAME
if [[ -z ${LOCKFAULTS_NO_INSTALL:-} ]]; then
  log "installing the plugin from this checkout into ~/.m2"
  (cd "$REPO" && ./mvnw -B -q -o install -DskipTests -Dinvoker.skip=true)
fi
log "dedicated engine $NAME: started in $("$ENG" start $NAME "$WORK/dockerd.log") s"
"$ENG" watch $NAME $$ >/dev/null
log "images copied in $("$ENG" load $NAME sancho-it/app:1) s"
export DOCKER_HOST
DOCKER_HOST=$("$ENG" host $NAME)
unset DOCKER_CONTEXT
ENGINE_VERSION=$(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')

S=$WORK/stack
mkdir -p "$S/.mvn" "$WORK/logs"
echo "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" >"$S/.mvn/jvm.config"
cat >"$S/docker-compose.yml" <<'YML'
services:
  web:
    image: sancho-it/app:1
    environment:
      DEPLOY_ID: ${DEPLOY_ID}
      APP_QUIET: "1"
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]
      interval: 500ms
      retries: 20
    stop_grace_period: 3s
YML
cat >"$S/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sancho.bench</groupId>
  <artifactId>lockfaults</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <build><plugins><plugin>
    <groupId>dev.sancho</groupId>
    <artifactId>sancho-maven-plugin</artifactId>
    <version>0.1.0-SNAPSHOT</version>
    <configuration>
      <project>${P}</project>
      <keep>1</keep>
      <minReadySeconds>1</minReadySeconds>
      <drainSeconds>1</drainSeconds>
    </configuration>
  </plugin></plugins></build>
</project>
POM
# the wrapper execs Maven's mvn, which execs java: the pid of this command is the JVM's (the lock's pid label)
MVN=("$REPO/mvnw" -B -o -f "$S/pom.xml" sancho:deploy)

ROUNDSF=$WORK/rounds.txt
: >"$ROUNDSF"
docker events --format '{{json .}}' >"$WORK/events.jsonl" 2>/dev/null &
EVENTS_PID=$!

t0=$(date +%s.%N)
"${MVN[@]}" -Dsancho.deployId=r0 >"$WORK/logs/r0.log" 2>&1 || { cat "$WORK/logs/r0.log"; log "the first deploy failed"; exit 1; }
t1=$(date +%s.%N)
"${MVN[@]}" -Dsancho.deployId=r0b >"$WORK/logs/r0b.log" 2>&1 || { cat "$WORK/logs/r0b.log"; log "the second clean deploy failed"; exit 1; }
t2=$(date +%s.%N)
CLEAN=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", b - a }')
# about how long a deploy holds the lock (minReadySeconds 6, plus the cutover's drain and stop)
HOLD=${LOCKFAULTS_HOLD:-15}
log "a clean redeploy takes ${CLEAN} s (Maven start included; the first took $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s)"

FAILS=0
for r in $(seq 1 "$ROUNDS"); do
  a=r${r}a b=r${r}b
  # two deploys at once; whichever takes the lock is the holder, the other must be seen waiting for it; then the
  # holder is killed at a random moment of its hold (or after it: then the waiter just waits)
  "${MVN[@]}" -Dsancho.deployId=$a -Dsancho.minReadySeconds=6 -Dsancho.lockTimeout=180 >"$WORK/logs/$a.log" 2>&1 &
  ap=$!
  sleep 0.3
  "${MVN[@]}" -Dsancho.deployId=$b -Dsancho.minReadySeconds=6 -Dsancho.lockTimeout=180 >"$WORK/logs/$b.log" 2>&1 &
  bp=$!
  PIDS+=("$ap" "$bp")
  hp="" wp=""
  for _ in $(seq 1200); do
    pid=$(docker inspect --format '{{.State.Status}} {{index .Config.Labels "sancho.lock.pid"}}' ${P}_sancho_lock \
      2>/dev/null || true)
    if [[ $pid == "running $ap" ]]; then hp=$ap h=$a wp=$bp w=$b; fi
    if [[ $pid == "running $bp" ]]; then hp=$bp h=$b wp=$ap w=$a; fi
    [[ -n $hp ]] && grep -q "Waiting up to 180 s for the deploy lock" "$WORK/logs/$w.log" && break
    kill -0 $ap 2>/dev/null && kill -0 $bp 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $hp ]] || { log "round $r: no holder seen"; hp=$ap h=$a wp=$bp w=$b; }
  delay=$(python3 -c "import random; print(round(random.uniform(0.0, $HOLD), 2))")
  sleep "$delay"
  kill -9 $hp 2>/dev/null || true
  wait $hp 2>/dev/null || true
  wok=0
  wait $wp && wok=1 || true
  lock=$(docker ps -aq --filter "name=^${P}_sancho_lock\$" | wc -l)
  running=$(docker ps --filter "label=sancho.project=$P" --filter label=sancho.role=app \
    --format '{{.Label "sancho.deploy-id"}}' | sort -u | tr '\n' ' ' | sed 's/ $//')
  took=$(grep -c "Taking over the deploy lock" "$WORK/logs/$w.log" || true)
  ok=1
  [[ $wok -eq 1 && $lock -eq 0 && $running == "$w" ]] || ok=0
  [[ $ok -eq 1 ]] || FAILS=$((FAILS + 1))
  echo "$r $delay $hp $wp $wok $lock $took [$running] $ok" >>"$ROUNDSF"
  log "round $r: holder $h killed ${delay}s after the waiter was seen waiting, waiter $w $([[ $wok -eq 1 ]] && echo ok || echo FAILED), took over: $took, lock left: $lock, running: [$running]"
done
sleep 1
kill "$EVENTS_PID" 2>/dev/null || true
wait "$EVENTS_PID" 2>/dev/null || true
EVENTS_PID=""

python3 - "$WORK/events.jsonl" "$ROUNDSF" "$P" "$CLEAN" "$OUTMD" "$STARTED_AT" "$LOAD_START" "$ENGINE_VERSION" "$FAILS" <<'PY'
import json, re, statistics, sys, platform, os, subprocess
events_file, rounds_file, project, clean, outmd, started, load0, engine, fails = sys.argv[1:10]
lock_name = project + "_sancho_lock"
ev = [json.loads(l) for l in open(events_file) if l.strip()]
ev = [e for e in ev if e.get("Type") == "container"]
# deployer pid -> deploy id, from the rounds (holder, waiter)
rounds = []
pid_deploy = {}
for line in open(rounds_file):
    r, delay, hp, wp, wok, lock, took, rest = line.split(" ", 7)
    running, ok = rest.rsplit(" ", 1)
    rounds.append(dict(r=int(r), delay=float(delay), hp=hp, wp=wp, wok=wok == "1", lock=int(lock), took=int(took),
                       running=running.strip("[]"), ok=ok.strip() == "1"))
    pid_deploy[hp] = "r%sh" % r
    pid_deploy[wp] = "r%sw" % r
# lock intervals: start -> die, with the holder's pid; the Maven JVM is the mvn wrapper's child when mvnw forks
intervals, open_lock = [], {}
for e in ev:
    a = e["Actor"]["Attributes"]
    if a.get("name") != lock_name:
        continue
    t = e["timeNano"] / 1e9
    if e["Action"] == "start":
        open_lock[e["id"]] = (t, a.get("sancho.lock.pid"))
    elif e["Action"] == "die" and e["id"] in open_lock:
        s, pid = open_lock.pop(e["id"])
        intervals.append((s, t, pid, a.get("exitCode")))
for cid, (s, pid) in open_lock.items():
    intervals.append((s, float("inf"), pid, None))
def holder_at(t):
    return [i for i in intervals if i[0] <= t <= i[1]]
violations, creates, stops = [], 0, 0
for e in ev:
    a = e["Actor"]["Attributes"]
    dep = a.get("sancho.deploy-id")
    if a.get("sancho.role") != "app" or dep is None:
        continue
    t = e["timeNano"] / 1e9
    if e["Action"] == "create":
        creates += 1
        h = holder_at(t)
        if len(h) != 1:
            violations.append("create of %s at %.3f outside any lock" % (a.get("name"), t))
    if e["Action"] == "kill" and a.get("signal") == "15":
        stops += 1
        h = holder_at(t)
        if len(h) != 1:
            violations.append("stop of %s at %.3f outside any lock" % (a.get("name"), t))
# a holder never stops its own deploy: map each interval to the deploy that created containers in it
interval_deploys = {}
for e in ev:
    a = e["Actor"]["Attributes"]
    if a.get("sancho.role") == "app" and e["Action"] == "create":
        t = e["timeNano"] / 1e9
        for i in holder_at(t):
            interval_deploys.setdefault(i, set()).add(a.get("sancho.deploy-id"))
for e in ev:
    a = e["Actor"]["Attributes"]
    if a.get("sancho.role") == "app" and e["Action"] == "kill" and a.get("signal") == "15":
        t = e["timeNano"] / 1e9
        for i in holder_at(t):
            if a.get("sancho.deploy-id") in interval_deploys.get(i, set()):
                violations.append("%s stopped during the lock of its own deploy at %.3f: two cutovers at once" % (a.get("name"), t))
for i, ds in interval_deploys.items():
    if len(ds) > 1:
        violations.append("containers of deploys %s created within one lock" % sorted(ds))
# takeovers: a lock whose process ended by itself (exit 0: its holder's connection closed; 2: no heartbeat), not
# released (a release removes the running container: exit 137), then the next lock's start
takeovers = []
iv = sorted(intervals)
for k in range(len(iv) - 1):
    s, e_, pid, code = iv[k]
    if code in ("0", "2"):
        takeovers.append(iv[k + 1][0] - e_)
ok_rounds = sum(1 for r in rounds if r["ok"])
took_over = sum(r["took"] for r in rounds)
gap = sorted(takeovers)
med = statistics.median(gap) if gap else 0
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
lines = []
lines.append("Run %s, %s; %d CPUs (%s), load at start %s; engine %s (dedicated, own network namespace)." % (
    started, platform.platform(), os.cpu_count(), cpu, load0, engine))
lines.append("")
lines.append("| what | result |")
lines.append("|---|---|")
lines.append("| rounds (holder killed with kill -9 at a random moment, a second deploy waiting) | %d |" % len(rounds))
lines.append("| rounds whose waiter deployed, leaving exactly its deploy running and no lock | %d of %d |" % (ok_rounds, len(rounds)))
lines.append("| waiters that took the lock over from a dead holder (said so in one line) | %d |" % took_over)
lines.append("| a clean redeploy (Maven start included) | %s s |" % clean)
lines.append("| kill moments after the waiter was seen waiting for the holder | %.1f .. %.1f s |" % (min(r["delay"] for r in rounds), max(r["delay"] for r in rounds)))
lines.append("| lock intervals seen in the engine's events | %d |" % len(intervals))
lines.append("| locks whose holder died (process ended on EOF or silence) / taken over: median / max time from its end to the next lock | %d / %.2f s / %.2f s |" % (len(gap), med, max(gap) if gap else 0))
lines.append("| app container creates / stops checked against the lock intervals | %d / %d |" % (creates, stops))
lines.append("| violations (create or stop outside a lock, a stop of the holder's own deploy, two deploys in one lock) | %d |" % len(violations))
lines.append("| lock containers left after the run | %s |" % sum(r["lock"] for r in rounds[-1:]))
for v in violations[:20]:
    lines.append("")
    lines.append("- VIOLATION: " + v)
text = open(outmd).read() if os.path.exists(outmd) else "# Deploy lock fault rounds\n\n<!-- lockfaults:begin -->\n<!-- lockfaults:end -->\n"
body = "\n".join(lines)
text = re.sub(r"<!-- lockfaults:begin -->.*<!-- lockfaults:end -->", "<!-- lockfaults:begin -->\n" + body + "\n<!-- lockfaults:end -->", text, flags=re.S)
open(outmd, "w").write(text)
print(body)
if violations or int(fails) > 0:
    sys.exit(1)
PY
log "done: results in $OUTMD"
