#!/usr/bin/env bash
# A dedicated Docker engine that a test may stop and start: a second dockerd in its OWN network namespace, with its
# own data-root, exec-root, pidfile, socket and cgroup parent, everything under /tmp/NAME. The engine other tests
# use (/var/run/docker.sock, its docker0, its iptables) is never touched: the namespace holds this engine's docker0,
# user networks and iptables rules, and has no interface but lo, so nothing in it reaches any other address. A port
# its containers publish on 127.0.0.1 is the namespace's loopback: reach it with `nsenter --net=/var/run/netns/NAME`.
# Recipe and measurements: ../shared/docker-offline.md ("More engines on one machine"). Needs root, ip (iproute2),
# nsenter/setsid/umount (util-linux), dockerd and the docker CLI.
#
# Usage: scripts/dedicated-engine.sh COMMAND NAME [ARGS]     (NAME: sancho-[a-z0-9-]+, e.g. sancho-faults)
#   start NAME [LOG [ARG...]]  namespace (if missing) + dockerd (with the extra dockerd ARGs, e.g. a TLS listener
#                         inside the namespace), waits until it answers on its socket; prints seconds taken
#   stop NAME             SIGTERM to dockerd, waits until it has exited (it stops its containers first); prints seconds
#   teardown NAME         removes every trace, also of a killed run: dockerd, containerd, shims and container
#                         processes (by pid: only those naming /tmp/NAME or in cgroup /NAME), mounts under /tmp/NAME,
#                         the namespace (with the engine's bridges and veths), the cgroup dirs, /tmp/NAME
#   load NAME IMAGE...    copies images from the main engine (docker save | docker -H ... load), else from
#                         .cache/images/<name>-<tag>.tar (which holds the candidate tag); prints seconds
#   host NAME             prints the DOCKER_HOST of the engine: unix:///tmp/NAME/docker.sock
#   watch NAME PID        starts a detached watchdog that tears the engine down once process PID has exited (the
#                         backstop for a test that is killed or fails before its own teardown); it ends by itself
#                         when the engine's directory is gone (a clean teardown). Pidfile /tmp/NAME.watch.
#   unwatch NAME          stops that watchdog (by the pid in its pidfile, checked against its command line)
#   status NAME           prints "running PID", "stopped" (leftovers exist) or "absent"
set -euo pipefail

die() { echo "dedicated-engine: $*" >&2; exit 1; }
[[ $# -ge 2 ]] || die "usage: $0 start|stop|teardown|load|host|watch|unwatch|status NAME [ARGS]"
CMD=$1 NAME=$2
shift 2
[[ $NAME =~ ^sancho-[a-z0-9-]+$ ]] || die "name must match sancho-[a-z0-9-]+: $NAME"
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
D=/tmp/$NAME
NS=$NAME
NSPATH=/var/run/netns/$NS
SOCK=$D/docker.sock
HOST=unix://$SOCK
PIDFILE=$D/dockerd.pid
CG=$NAME

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f\n", (b - a) / 1e9 }'; }
alive() { # pid: exists and is not a zombie
  local s
  s=$(awk '{ sub(/.*\) /, ""); print substr($0, 1, 1) }' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $s && $s != Z && $s != X ]]
}
cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }
daemon_pid() { # our dockerd's pid, only when alive and really ours (its data-root)
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" && [[ $(cmdline "$pid") == *"--data-root $D/root"* ]] && echo "$pid"
}
leftover_pids() { # processes naming our directory (containerd, shims) or in our cgroup parent
  local f p
  for f in $(grep -l -a -F -s "$D/" /proc/[0-9]*/cmdline || true); do # one grep: hundreds of processes here
    p=${f#/proc/}; p=${p%/cmdline}
    [[ $p == "$$" || $p == "$BASHPID" ]] && continue
    alive "$p" && echo "$p"
  done
  find /sys/fs/cgroup/*/"$CG" -name cgroup.procs -exec cat {} + 2>/dev/null || true
}
answers() { docker -H "$HOST" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start() {
  local log=${1:-$D/dockerd.log} t0 pid
  shift || true
  t0=$(now)
  mkdir -p "$D"
  if [[ ! -e $NSPATH ]]; then
    ip netns add "$NS"
    ip -n "$NS" link set lo up
  fi
  daemon_pid >/dev/null && die "dockerd $NAME is already running"
  rm -f "$PIDFILE" # left by a dockerd that was killed: a new one refuses to start while it exists
  echo '{}' >"$D/daemon.json" # not /etc/docker/daemon.json: the main engine's settings are not this engine's
  # Own session, no stdin: the daemon outlives the caller; nsenter, not `ip netns exec` (that remounts /sys and
  # dockerd then fails with "Devices cgroup isn't mounted").
  setsid nsenter --net="$NSPATH" dockerd --config-file "$D/daemon.json" --data-root "$D/root" --exec-root "$D/exec" \
    --pidfile "$PIDFILE" -H "$HOST" --cgroup-parent "/$CG" "$@" >>"$log" 2>&1 </dev/null &
  pid=$!
  for _ in $(seq 600); do
    answers && break
    alive "$pid" || break
    sleep 0.1
  done
  answers || { tail -n 30 "$log" >&2; die "dockerd $NAME did not come up (log $log)"; }
  secs "$t0"
}

stop() {
  local pid t0
  t0=$(now)
  pid=$(daemon_pid) || die "dockerd $NAME is not running"
  kill -TERM "$pid"
  for _ in $(seq 600); do alive "$pid" || break; sleep 0.1; done
  alive "$pid" && die "dockerd $NAME (pid $pid) still running 60 s after SIGTERM"
  secs "$t0"
}

teardown() {
  local pid p m left
  if pid=$(daemon_pid); then
    kill -TERM "$pid" || true
    for _ in $(seq 300); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  fi
  for _ in 1 2 3; do
    left=$(leftover_pids | sort -u)
    [[ -z $left ]] && break
    for p in $left; do kill -KILL "$p" 2>/dev/null || true; done
    sleep 0.5
  done
  for _ in 1 2; do # deepest first; a second pass for mounts that were busy while their parent still was there
    { grep -F " $D" /proc/self/mountinfo || true; } | awk '{ print $5 }' | { grep -E "^$D(/|$)" || true; } \
      | awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2- \
      | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  done
  [[ -e $NSPATH ]] && ip netns del "$NS"
  find /sys/fs/cgroup/*/"$CG" -depth -type d -exec rmdir {} + 2>/dev/null || true
  [[ -e $D ]] && rm -rf --one-file-system "$D"
  left=""
  [[ -z $(leftover_pids) ]] || left+=" processes($(leftover_pids | tr '\n' ' '))"
  [[ -e $D ]] && left+=" directory $D"
  [[ -e $NSPATH ]] && left+=" namespace $NS"
  grep -qF " $D" /proc/self/mountinfo && left+=" mounts under $D"
  compgen -G "/sys/fs/cgroup/*/$CG" >/dev/null && left+=" cgroup /$CG"
  [[ -z $left ]] || die "teardown of $NAME left:$left"
}

load() {
  local t0 img from_main=() missing=() base tag tar
  t0=$(now)
  [[ ${DOCKER_HOST:-} == "$HOST" ]] && unset DOCKER_HOST # the source is the main engine, never this one
  for img in "$@"; do
    if docker image inspect "$img" >/dev/null 2>&1; then from_main+=("$img"); else missing+=("$img"); fi
  done
  if [[ ${#from_main[@]} -gt 0 ]]; then
    docker save "${from_main[@]}" | docker -H "$HOST" load -q >/dev/null
  fi
  for img in "${missing[@]}"; do
    base=${img%%:*}; base=${base#*/}; tag=${img##*:}
    tar=$REPO/.cache/images/$base-$tag.tar
    [[ -f $tar ]] || die "image $img is neither on the main engine nor in $tar: run scripts/test-images.sh"
    docker -H "$HOST" load -q -i "$tar" >/dev/null
    docker -H "$HOST" tag "sancho-it/candidate-$base:$tag" "$img"
    docker -H "$HOST" rmi "sancho-it/candidate-$base:$tag" >/dev/null
  done
  for img in "$@"; do docker -H "$HOST" image inspect "$img" >/dev/null || die "image $img missing on $NAME"; done
  secs "$t0"
}

WATCHFILE=/tmp/$NAME.watch
watch() { # pid
  [[ ${1:-} =~ ^[0-9]+$ ]] || die "watch: need the pid to watch"
  unwatch
  setsid bash "${BASH_SOURCE[0]}" _watch "$NAME" "$1" </dev/null >/dev/null 2>&1 &
  echo $!
}
_watch() {
  local pid=$1
  echo $$ >"$WATCHFILE"
  trap 'rm -f "$WATCHFILE"' EXIT
  while [[ -d /proc/$pid && -e $D ]]; do sleep 1; done
  [[ -e $D ]] && teardown
  exit 0
}
unwatch() {
  local pid
  pid=$(cat "$WATCHFILE" 2>/dev/null) || return 0
  if [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" && [[ $(cmdline "$pid") == *"_watch $NAME "* ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
  fi
  rm -f "$WATCHFILE"
}

case $CMD in
  start) start "$@" ;;
  stop) stop ;;
  teardown) teardown ;;
  load) load "$@" ;;
  host) echo "$HOST" ;;
  watch) watch "$@" ;;
  _watch) _watch "$@" ;;
  unwatch) unwatch ;;
  status) if pid=$(daemon_pid); then echo "running $pid"; elif [[ -e $D || -e $NSPATH ]]; then echo stopped; else echo absent; fi ;;
  *) die "unknown command $CMD" ;;
esac
