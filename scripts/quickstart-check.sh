#!/usr/bin/env bash
# Runs the README's quick start exactly as written, as a newcomer would: in a copy of this checkout, with an EMPTY
# local Maven repository (a fresh user.home: no ~/.m2, no settings.xml), against the engine at DOCKER_HOST.
# The commands are read from README.md between the quickstart:begin and quickstart:end comments, so the README
# cannot drift from what works. No registry is reachable here, so the example's public images are replaced by the
# local test images through the variables its compose file offers (QUICKSTART_*); nothing else differs.
# Afterwards it checks the stack answers and removes exactly what the quick start created (project quickstart).
# The invoker IT src/it/quickstart-readme runs this script within ./mvnw -B verify.
set -euo pipefail

readonly ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
START=$SECONDS
log() { printf '[quickstart %3ds] %s\n' "$((SECONDS - START))" "$*"; }
die() { printf '[quickstart] FAILED: %s\n' "$*" >&2; exit 1; }

docker image inspect sancho-it/postgres:15 sancho-it/app:1 >/dev/null 2>&1 \
  || die "the test images are missing: run scripts/test-images.sh first"

WORK=$(mktemp -d /tmp/sancho-quickstart.XXXXXX)
remove_stack() {
  docker ps -aq --filter label=sancho.project=quickstart | xargs -r docker rm -f -v >/dev/null
  docker rm -f -v quickstart_db >/dev/null 2>&1 || true
  docker network rm quickstart_default >/dev/null 2>&1 || true
  docker volume rm quickstart_pgdata >/dev/null 2>&1 || true
  docker volume rm quickstart_sancho_digest_key >/dev/null 2>&1 || true # the project's digest key
  docker volume rm quickstart_sancho_audit >/dev/null 2>&1 || true # its audit trail
}
cleanup() {
  local rc=$?
  remove_stack
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
remove_stack # a run killed earlier

# The checkout as a newcomer gets it: tracked files plus new ones git does not ignore (no target/, no .cache/).
mkdir -p "$WORK/repo" "$WORK/home"
# (A tracked file deleted in the working tree is listed by git but skipped here, as a clone of the change would.)
(cd "$ROOT_DIR" && git ls-files -z -co --exclude-standard \
  | python3 -c 'import os, sys; sys.stdout.buffer.write(b"".join(p + b"\0" for p in sys.stdin.buffer.read().split(b"\0") if p and os.path.lexists(p)))' \
  | xargs -0 tar -c --no-recursion) | tar -x -C "$WORK/repo" \
  || die "could not copy the checkout to $WORK/repo"

mapfile -t COMMANDS < <(awk '/<!-- quickstart:begin/ { on = 1; next } /<!-- quickstart:end/ { on = 0 }
  on && /^\.\/mvnw / { sub(/[ \t]+#.*$/, ""); print }' "$ROOT_DIR/README.md")
[[ ${#COMMANDS[@]} -eq 2 ]] || die "README.md's quick start must have exactly two ./mvnw commands, found ${#COMMANDS[@]}"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export QUICKSTART_DB_IMAGE=sancho-it/postgres:15 QUICKSTART_WEB_IMAGE=sancho-it/app:1 QUICKSTART_WEB_PORT=8080 \
  QUICKSTART_PORT=$port
# A fresh user.home is an empty ~/.m2 for Maven (and the wrapper's download goes there too): nothing of this
# machine's repository helps, exactly as on a newcomer's machine.
export HOME="$WORK/home" MAVEN_OPTS="-Duser.home=$WORK/home ${MAVEN_OPTS:-}"
for cmd in "${COMMANDS[@]}"; do
  log "\$ $cmd"
  (cd "$WORK/repo" && bash -c "$cmd" </dev/null >"$WORK/step.log" 2>&1) \
    || { tail -n 40 "$WORK/step.log" >&2; die "'$cmd' failed (last lines above)"; }
  grep -E '^\[(INFO|WARNING|ERROR)\] (Deployed|BUILD|sancho)' "$WORK/step.log" | tail -n 5 || true
done

body=$(python3 - "$port" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=5) as r:
    print(r.read().decode().strip())
PY
) || die "the example's web service does not answer on 127.0.0.1:$port"
[[ "$body" == *"deploy="[0-9]* ]] || die "the example's web service answered '$body'"
[[ "$(docker inspect -f '{{.State.Health.Status}}' quickstart_db)" == healthy ]] || die "quickstart_db is not healthy"
log "OK: the quick start deployed the example (web: $body) in $((SECONDS - START)) s"
