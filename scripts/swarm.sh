#!/usr/bin/env bash
# A Docker Swarm of N nodes on this one machine, for the swarm ITs: N dedicated engines (scripts/dedicated-engine.sh,
# each a dockerd in its OWN network namespace with its own data-root, exec-root, pidfile, socket and cgroup parent)
# linked by veth pairs to one bridge in an extra namespace NAME-lan, on a private /24 under 10.213.0.0/16 that no
# route of this host uses. Node 1 runs `swarm init` on its link address, the others join as workers; the test images
# are copied into every node (nothing can be pulled here). The engine other tests use (/var/run/docker.sock) is never
# touched, and no namespace of this swarm has a route out of the swarm: its only interfaces are lo and the link.
# This kernel has no IPVS: service VIPs and the ingress mesh do not work here, dnsrr and `mode: host` ports do.
# Facts: ../shared/docker-offline.md ("More engines on one machine"). Needs root, ip, nsenter, dockerd, docker CLI.
#
# Usage: scripts/swarm.sh COMMAND NAME [ARGS]             (NAME: sancho-[a-z0-9-]+; nodes are NAME-1 .. NAME-N)
#   up NAME N [LOGDIR]    starts the N nodes and the link, forms the swarm, loads the test images into every node;
#                         prints "up N nodes in S s (engines A s, swarm B s, images C s)"
#   down NAME             removes every node (dockerd, containers, mounts, namespace, directory), the link
#                         namespace and the state file, also of a killed run; fails naming anything left
#   hosts NAME            prints the DOCKER_HOST of every node, node 1 (the manager) first
#   addr NAME I           prints node I's link address
#   stop NAME I / start NAME I [LOG]   stops / starts node I's dockerd (it rejoins the swarm by itself)
#   watch NAME PID        detached watchdog: `down NAME` once process PID has exited (backstop for a killed test);
#                         ends by itself when the swarm is gone. unwatch NAME stops it.
#   status NAME           "up N" / "leftovers" / "absent"
set -euo pipefail

die() { echo "swarm: $*" >&2; exit 1; }
[[ $# -ge 2 ]] || die "usage: $0 up|down|hosts|addr|stop|start|watch|unwatch|status NAME [ARGS]"
CMD=$1 NAME=$2
shift 2
[[ $NAME =~ ^sancho-[a-z0-9-]+$ ]] || die "name must match sancho-[a-z0-9-]+: $NAME"
ENGINE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/dedicated-engine.sh"
LAN=$NAME-lan
STATE=/tmp/$NAME.swarm # N and the subnet, written by up
IMAGES=(sancho-it/app:1 sancho-it/app:2 sancho-it/postgres:15 sancho-it/nginx:1)

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f\n", (b - a) / 1e9 }'; }
host() { echo "unix:///tmp/$NAME-$1/docker.sock"; }
node_count() { sed -n 's/^nodes=//p' "$STATE" 2>/dev/null; }
subnet() { sed -n 's/^subnet=//p' "$STATE" 2>/dev/null; }
addr() { echo "$(subnet).$((10 + $1))"; }

# A /24 10.213.X.0 that no route of this host (nor of its own namespace) touches: the swarm's link is private, and
# the swarm's overlay pool (10.213.128.0/17, below) keeps clear of it as well.
pick_subnet() {
  local x routes
  routes=$(ip -4 route show table all 2>/dev/null || true)
  for x in $(seq 1 120); do
    if ! grep -qE "(^|[^0-9])10\.213\.$x\.|10\.213\.0\.0/1[0-6]|10\.0\.0\.0/8|(^| )10\.213\.0\.0/16" <<<"$routes"; then
      echo "10.213.$x"; return
    fi
  done
  die "no free /24 under 10.213.0.0/16 (ip route uses them all)"
}

up() {
  local n=${1:-} logdir=${2:-} t0 t1 t2 i token sub pids=() p
  [[ $n =~ ^[1-9]$ ]] || die "up: N must be 1..9"
  [[ -e $STATE || -e /var/run/netns/$LAN ]] && die "swarm $NAME exists already: scripts/swarm.sh down $NAME first"
  t0=$(now)
  sub=$(pick_subnet)
  printf 'nodes=%s\nsubnet=%s\n' "$n" "$sub" >"$STATE"
  ip netns add "$LAN"
  ip -n "$LAN" link set lo up
  ip -n "$LAN" link add br0 type bridge
  ip -n "$LAN" link set br0 up
  for i in $(seq "$n"); do
    ip netns add "$NAME-$i"
    ip -n "$NAME-$i" link set lo up
    ip -n "$LAN" link add "n$i" type veth peer name eth1 netns "$NAME-$i"
    ip -n "$LAN" link set "n$i" master br0 up
    ip -n "$NAME-$i" addr add "$(addr "$i")/24" dev eth1
    ip -n "$NAME-$i" link set eth1 up
  done
  for i in $(seq "$n"); do # dedicated-engine.sh keeps a namespace that exists (with its link)
    # dockerd's log: LOGDIR/NAME-I.dockerd.log, else inside the node's directory (removed by down)
    bash "$ENGINE" start "$NAME-$i" ${logdir:+"$logdir/$NAME-$i.dockerd.log"} >/dev/null &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || die "a node's dockerd did not come up (see its dockerd.log)"; done
  t1=$(now)
  docker -H "$(host 1)" swarm init --advertise-addr "$(addr 1)" --listen-addr "$(addr 1):2377" \
    --default-addr-pool 10.213.128.0/17 --default-addr-pool-mask-length 24 >/dev/null
  token=$(docker -H "$(host 1)" swarm join-token -q worker)
  for i in $(seq 2 "$n"); do
    docker -H "$(host "$i")" swarm join --token "$token" --advertise-addr "$(addr "$i")" \
      --listen-addr "$(addr "$i"):2377" "$(addr 1):2377" >/dev/null
  done
  for _ in $(seq 300); do
    [[ $(docker -H "$(host 1)" node ls --format '{{.Status}}' | grep -c '^Ready$') -eq $n ]] && break
    sleep 0.1
  done
  [[ $(docker -H "$(host 1)" node ls --format '{{.Status}}' | grep -c '^Ready$') -eq $n ]] \
    || die "not all $n nodes Ready: $(docker -H "$(host 1)" node ls 2>&1 | tr '\n' ';')"
  t2=$(now)
  pids=()
  for i in $(seq "$n"); do bash "$ENGINE" load "$NAME-$i" "${IMAGES[@]}" >/dev/null & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || die "copying the test images into a node failed"; done
  echo "up $n nodes in $(secs "$t0") s (engines $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", (b-a)/1e9}') s," \
    "swarm $(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.1f", (b-a)/1e9}') s, images $(secs "$t2") s)"
}

nodes_present() { # every node of NAME that left a trace: from the state file, namespaces and /tmp dirs
  { seq "$(node_count || echo 0)" 2>/dev/null
    ip netns list 2>/dev/null | awk '{ print $1 }' | sed -n "s/^$NAME-\([0-9]\+\)$/\1/p"
    find /tmp -maxdepth 1 -name "$NAME-*" -type d 2>/dev/null | sed -n "s|^/tmp/$NAME-\([0-9]\+\)$|\1|p"
  } | sort -un
}

down() {
  local t0 i failed=""
  t0=$(now)
  for i in $(nodes_present); do bash "$ENGINE" teardown "$NAME-$i" || failed+=" $NAME-$i"; done
  [[ -e /var/run/netns/$LAN ]] && ip netns del "$LAN"
  rm -f "$STATE"
  [[ -z $failed ]] || die "teardown failed for:$failed"
  [[ -e /var/run/netns/$LAN ]] && die "namespace $LAN left"
  secs "$t0"
}

WATCHFILE=/tmp/$NAME.swarm-watch
watch() {
  [[ ${1:-} =~ ^[0-9]+$ ]] || die "watch: need the pid to watch"
  unwatch
  setsid bash "${BASH_SOURCE[0]}" _watch "$NAME" "$1" </dev/null >/dev/null 2>&1 &
  echo $!
}
_watch() {
  local pid=$1
  echo $$ >"$WATCHFILE"
  trap 'rm -f "$WATCHFILE"' EXIT
  while [[ -d /proc/$pid && ( -e $STATE || -e /var/run/netns/$LAN ) ]]; do sleep 1; done
  [[ -e $STATE || -e /var/run/netns/$LAN ]] && down
  exit 0
}
unwatch() {
  local pid
  pid=$(cat "$WATCHFILE" 2>/dev/null) || return 0
  if [[ $pid =~ ^[0-9]+$ ]] && [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == *"_watch $NAME "* ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do [[ -d /proc/$pid ]] || break; sleep 0.1; done
  fi
  rm -f "$WATCHFILE"
}

case $CMD in
  up) up "$@" ;;
  down) down ;;
  hosts) for i in $(seq "$(node_count)"); do host "$i"; done ;;
  addr) addr "${1:?node number}" ;;
  stop) bash "$ENGINE" stop "$NAME-${1:?node number}" ;;
  start) bash "$ENGINE" start "$NAME-${1:?node number}" ${2:+"$2"} ;;
  watch) watch "$@" ;;
  _watch) _watch "$@" ;;
  unwatch) unwatch ;;
  status) if [[ -e $STATE ]]; then echo "up $(node_count)"; elif [[ -n $(nodes_present) || -e /var/run/netns/$LAN ]]; then
            echo leftovers; else echo absent; fi ;;
  *) die "unknown command $CMD" ;;
esac
