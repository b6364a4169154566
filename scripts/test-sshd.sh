#!/usr/bin/env bash
# A throw-away sshd on 127.0.0.1 for the ssh:// tests (Debian's openssh-server; nothing of the system's ssh setup is
# read or changed): generated ed25519 host and client keys, its own config, authorized_keys, known_hosts and log,
# everything under DIR. The remote command runs as the user starting it (root in CI), and the docker CLI on PATH
# answers `docker system dial-stdio` against the local engine.
#
# Usage: scripts/test-sshd.sh start DIR    starts sshd on a free port; prints the port. Writes into DIR:
#          ssh_config            -F file for the client: Host sancho-it-ssh = root@127.0.0.1:PORT, the client key,
#                                known_hosts with the host key, StrictHostKeyChecking yes
#          ssh_config_unknown    the same with an EMPTY known_hosts (the host key is unknown)
#          ssh_config_refused    the same with a second client key that is not in authorized_keys
#          sshd.log              sshd's log (LogLevel INFO: one "Accepted publickey" line per ssh connection)
#        scripts/test-sshd.sh stop DIR     kills that sshd (pid from DIR/sshd.pid, checked against its config path)
#        scripts/test-sshd.sh teardown DIR stop, then removes DIR
#        scripts/test-sshd.sh sessions DIR prints the number of accepted ssh connections in its log so far
set -euo pipefail

die() { echo "test-sshd: $*" >&2; exit 1; }
[[ $# -eq 2 ]] || die "usage: $0 start|stop|teardown|sessions DIR"
CMD=$1 D=$2
[[ $D == /* ]] || die "DIR must be absolute: $D"

ours() { # pid of our sshd listener, when alive and started with our config
  local pid
  pid=$(cat "$D/sshd.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-f $D/sshd_config" && echo "$pid"
}

stop() {
  local pid
  if pid=$(ours); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$D/sshd.pid"
}

client_config() { # file identity known_hosts
  cat >"$1" <<CFG
Host sancho-it-ssh
  HostName 127.0.0.1
  Port $PORT
  User root
Host *
  IdentityFile $2
  IdentitiesOnly yes
  IdentityAgent none
  UserKnownHostsFile $3
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  ControlMaster no
  ControlPath none
CFG
}

start() {
  [[ -x /usr/sbin/sshd ]] || die "no /usr/sbin/sshd: install openssh-server"
  stop
  mkdir -p "$D" /run/sshd
  chmod 700 "$D"
  rm -f "$D"/*_ed25519* "$D/sshd.log"
  ssh-keygen -q -t ed25519 -N '' -C sancho-it-host -f "$D/host_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C sancho-it-client -f "$D/client_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C sancho-it-refused -f "$D/refused_ed25519"
  cp "$D/client_ed25519.pub" "$D/authorized_keys"
  : >"$D/known_hosts_empty"
  for _ in $(seq 20); do
    PORT=$((20000 + RANDOM % 30000))
    ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q . && continue
    cat >"$D/sshd_config" <<CFG
Port $PORT
ListenAddress 127.0.0.1
HostKey $D/host_ed25519
PidFile $D/sshd.pid
AuthorizedKeysFile $D/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
AllowTcpForwarding no
X11Forwarding no
LogLevel INFO
SetEnv PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CFG
    /usr/sbin/sshd -f "$D/sshd_config" -E "$D/sshd.log" </dev/null || die "sshd did not start: $(tail -n 5 "$D/sshd.log")"
    for _ in $(seq 50); do ours >/dev/null && ss -Hltn "sport = :$PORT" | grep -q . && break; sleep 0.1; done
    if ours >/dev/null; then
      echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$D/host_ed25519.pub")" >"$D/known_hosts"
      client_config "$D/ssh_config" "$D/client_ed25519" "$D/known_hosts"
      client_config "$D/ssh_config_unknown" "$D/client_ed25519" "$D/known_hosts_empty"
      client_config "$D/ssh_config_refused" "$D/refused_ed25519" "$D/known_hosts"
      echo "$PORT" >"$D/port"
      echo "$PORT"
      return 0
    fi
  done
  die "sshd did not come up on a free port (log $D/sshd.log)"
}

case $CMD in
  start) start ;;
  stop) stop ;;
  teardown) stop; rm -rf --one-file-system "$D" ;;
  sessions) grep -c "Accepted publickey" "$D/sshd.log" 2>/dev/null || echo 0 ;;
  *) die "unknown command $CMD" ;;
esac
