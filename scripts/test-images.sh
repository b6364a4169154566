#!/usr/bin/env bash
# Builds the local Docker images the integration tests run, without any registry:
#   sancho-it/app:1, sancho-it/app:2   busybox test app (HTTP on 8080)
#   sancho-it/postgres:15             real PostgreSQL 15 from Debian packages
#   sancho-it/mariadb:10.11           real MariaDB 10.11 from Debian packages
#   sancho-it/nginx:1                 nginx reverse proxy from Debian packages
#   sancho-it/caddy:1                 caddy reverse proxy (automatic HTTPS, ACME) from Debian packages
#
# Per image: present in the engine with the current recipe -> smoke-test it; else a cache tar in .cache/images/ ->
# docker load, smoke-test; else build from Debian packages (busybox-static, debootstrap, apt-get download), smoke-test,
# and save the tar for next time. An image found or loaded that fails its smoke test is untagged (its tar deleted) and
# rebuilt, so every run smoke-tests every image whichever path it came by.
# Every image carries the label dev.sancho.test-image.recipe=<hash of its recipe>, so an edited recipe (or a stand-in
# image someone built by hand under the same name) is rebuilt instead of silently reused. A build or a cache load
# yields a candidate tag (sancho-it/candidate-<name>:<tag>); only a candidate that passed its smoke test gets the final
# tag (and, for a build, the recipe label), so an image that never passed cannot be found and trusted by a later run.
#
# Usage: scripts/test-images.sh [--rebuild] [--no-cache] [app|postgres|mariadb|nginx|caddy ...]
#   --rebuild    build again even when the engine or the cache already has the image (refreshes the cache)
#   --no-cache   neither read nor write .cache/images
# Environment: SANCHO_DEBIAN_MIRROR overrides the Debian mirror debootstrap uses (default: the one apt uses).
set -euo pipefail

readonly ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly CACHE_DIR="$ROOT_DIR/.cache/images"
readonly LABEL=dev.sancho.test-image.recipe
# Bump to force every image to be rebuilt (e.g. after a change in a helper the recipes share).
readonly RECIPE_EPOCH=1
export DOCKER_BUILDKIT=0 # the legacy builder is all a 20.10 engine without buildx offers; it handles a local FROM

REBUILD=0
USE_CACHE=1
SELECTED=()
for arg in "$@"; do
  case "$arg" in
    --rebuild) REBUILD=1 ;;
    --no-cache) USE_CACHE=0 ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    app|postgres|mariadb|nginx|caddy) SELECTED+=("$arg") ;;
    *) echo "test-images: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
[[ ${#SELECTED[@]} -gt 0 ]] || SELECTED=(app postgres mariadb nginx caddy)

START=$SECONDS
WORK=""
log() { printf '[test-images %3ds] %s\n' "$((SECONDS - START))" "$*"; }
die() { printf '[test-images] ERROR: %s\n' "$*" >&2; exit 1; }

cleanup() {
  local rc=$?
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    # debootstrap mounts proc/sys inside its target; an interrupted run would leave them mounted and rm -rf would
    # walk into the host's /proc. Unmount first, then never cross a filesystem boundary.
    local m
    for m in $(awk -v w="$WORK" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do
      umount -l "$m" 2>/dev/null || true
    done
    rm -rf --one-file-system "$WORK"
  fi
  docker ps -aq --filter "name=^sanchoimg_smoke_.*_$$\$" 2>/dev/null | xargs -r docker rm -f -v >/dev/null 2>&1 || true
  exit $rc
}
trap cleanup EXIT

command -v docker >/dev/null || die "no docker CLI on PATH"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer (docker info failed). Start dockerd first."

# Several worktrees may run this at the same time against the one shared engine: serialise the builds.
exec 9>/tmp/sancho-test-images.lock
flock 9

# ---------------------------------------------------------------------------------------------------------------
# host packages
APT_UPDATED=0
apt_update_once() {
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
}
ensure_pkgs() { # package...
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  command -v apt-get >/dev/null || die "need packages ${missing[*]} but apt-get is missing (Debian/Ubuntu host expected)"
  [[ $(id -u) -eq 0 ]] || die "need packages ${missing[*]}: run as root or install them first"
  apt_update_once
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

debian_mirror() {
  if [[ -n "${SANCHO_DEBIAN_MIRROR:-}" ]]; then echo "$SANCHO_DEBIAN_MIRROR"; return; fi
  local uri
  # deb822 (*.sources) first, then one-line sources.list; skip security mirrors, they do not carry the base suite.
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' \
        | grep -v -e security -e '^cdrom' | head -n1 || true)
  if [[ -z "$uri" ]]; then
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|ftp):/) { print $i; break } }' \
          | grep -v security | head -n1 || true)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# ---------------------------------------------------------------------------------------------------------------
# shared image helpers

# busybox (static) plus one symlink per applet, so sh, wget, nc, sleep, cat, env, ... exist in the image.
add_busybox() { # rootfs
  local r=$1 a
  mkdir -p "$r/bin"
  cp /bin/busybox "$r/bin/busybox"
  for a in $(/bin/busybox --list); do
    [[ -e "$r/bin/$a" || "$a" == busybox ]] || ln -s busybox "$r/bin/$a"
  done
}

# Imports ROOTFS as a throwaway tag, then a tiny FROM build adds what `docker import -c` refuses (STOPSIGNAL) and the
# rest of the image config, so the whole config is in one readable Dockerfile. The result is the candidate tag
# (candidate_of IMAGE); the recipe label comes only with promote_built, after the smoke test.
import_and_finish() { # rootfs image dockerfile-body
  local rootfs=$1 image=$2 body=$3 tmp="sancho-it/import-tmp:$$"
  tar --numeric-owner -C "$rootfs" -c . | docker import - "$tmp" >/dev/null
  printf 'FROM %s\n%s\n' "$tmp" "$body" | build_from_stdin "$(candidate_of "$image")"
  docker rmi "$tmp" >/dev/null
}

build_from_stdin() { # tag  (Dockerfile on stdin, empty context)
  local tag=$1
  mkdir -p "$WORK/ctx"
  cat >"$WORK/ctx/Dockerfile"
  docker build -q -t "$tag" "$WORK/ctx" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; die "docker build of $tag failed"; }
  rm -rf "$WORK/ctx"
}

candidate_of() { # sancho-it/NAME:TAG -> sancho-it/candidate-NAME:TAG
  echo "sancho-it/candidate-${1#sancho-it/}"
}

# ---------------------------------------------------------------------------------------------------------------
# sancho-it/app:<version> — test app. Endpoints (port 8080, any method, HTTP/1.1 with Connection: close):
#   GET /health         200 "ok" (500 "unhealthy" when APP_FAIL_HEALTH=1 or /tmp/fail-health exists)
#   GET /sleep/<n>      waits n seconds, then answers like /
#   GET <anything else> 200 "hostname=<hostname> version=<image version> deploy=<$DEPLOY_ID>\n"
# Env knobs: APP_FAIL_HEALTH=1, APP_EXIT_AFTER=<seconds> (exit 1 after that), APP_PORT (default 8080),
# APP_QUIET=1 (no access log). SIGTERM/SIGINT -> exits 0 at once.
# busybox httpd cannot route /health to a script (CGI only below /cgi-bin/ or by file suffix), so the server is
# busybox `nc -ll -e`, which forks the handler per connection like an inetd.
build_app() { # version
  local version=$1 r="$WORK/app-$1"
  mkdir -p "$r"/{app,etc,tmp,root}
  chmod 1777 "$r/tmp"
  add_busybox "$r"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
  printf '%s\n' "$version" >"$r/etc/app-version"

  cat >"$r/app/entrypoint" <<'EOF'
#!/bin/sh
# PID 1 of the test app. A shell that traps TERM/INT: a busybox server as PID 1 ignores SIGTERM and `docker stop`
# would wait out the whole grace period.
APP_VERSION=$(cat /etc/app-version)
APP_HOSTNAME=$(hostname)
APP_PORT=${APP_PORT:-8080}
export APP_VERSION APP_HOSTNAME APP_PORT
srv=
stop() {
  echo "app: got SIG$1, stopping" >&2
  [ -n "$srv" ] && kill "$srv" 2>/dev/null
  exit 0
}
trap 'stop TERM' TERM
trap 'stop INT' INT
nc -ll -p "$APP_PORT" -e /app/handler &
srv=$!
echo "app: version=$APP_VERSION hostname=$APP_HOSTNAME deploy=${DEPLOY_ID:-} listening on :$APP_PORT" >&2
if [ -n "${APP_EXIT_AFTER:-}" ]; then
  sleep "$APP_EXIT_AFTER" &
  wait $!
  echo "app: APP_EXIT_AFTER=$APP_EXIT_AFTER elapsed, exiting with code 1" >&2
  kill "$srv" 2>/dev/null
  exit 1
fi
wait "$srv"
echo "app: server process ended unexpectedly" >&2
exit 1
EOF

  cat >"$r/app/handler" <<'EOF'
#!/bin/sh
# One HTTP request per connection: `nc -ll -e` runs us with the client socket on stdin/stdout.
cr=$(printf '\r')
read -r -t 10 method target proto || exit 0
len=0
while read -r -t 10 line; do
  line=${line%"$cr"}
  [ -z "$line" ] && break
  case $line in
    [Cc]ontent-[Ll]ength:*) len=${line#*:}; len=${len# } ;;
  esac
done
# Unread request bytes would turn our close into a TCP reset that can eat the response on the client side.
if [ "$len" -gt 0 ] 2>/dev/null; then head -c "$len" >/dev/null; fi
path=${target%%\?*}
status=200
reason=OK
case $path in
  /health|/health/)
    if [ "${APP_FAIL_HEALTH:-}" = 1 ] || [ -e /tmp/fail-health ]; then
      status=500; reason="Internal Server Error"; body=unhealthy
    else
      body=ok
    fi ;;
  *)
    case $path in
      /sleep/*)
        n=${path#/sleep/}
        case $n in ''|*[!0-9]*) ;; *) sleep "$n" ;; esac ;;
    esac
    body="hostname=$APP_HOSTNAME version=$APP_VERSION deploy=${DEPLOY_ID:-}
" ;;
esac
printf 'HTTP/1.1 %s %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %s\r\nConnection: close\r\n\r\n' \
  "$status" "$reason" "${#body}"
[ "$method" = HEAD ] || printf '%s' "$body"
[ "${APP_QUIET:-}" = 1 ] || echo "app: $method $target -> $status" >&2
EOF
  chmod 755 "$r/app/entrypoint" "$r/app/handler"

  import_and_finish "$r" "sancho-it/app:$version" "$(cat <<'EOF'
ENV PATH=/bin
EXPOSE 8080
WORKDIR /app
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/entrypoint"]
EOF
)"
}

# ---------------------------------------------------------------------------------------------------------------
# sancho-it/postgres:15 — Debian's PostgreSQL 15 in a debootstrap minbase rootfs. Env like the official image:
# POSTGRES_USER (default postgres), POSTGRES_PASSWORD (required on first start), POSTGRES_DB (default = user).
# Data in PGDATA=/var/lib/postgresql/data (a VOLUME). Unix-socket logins are trusted (docker exec psql works),
# TCP logins need the password (scram-sha-256). STOPSIGNAL SIGINT = PostgreSQL's fast shutdown.
build_postgres() {
  ensure_pkgs debootstrap
  local r="$WORK/postgres" mirror
  mirror=$(debian_mirror)
  log "postgres: debootstrap bookworm from $mirror (about a minute)"
  debootstrap --variant=minbase --include=postgresql-15 bookworm "$r" "$mirror" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  # What the package's own start-up machinery created, and what an image never needs. JIT (libLLVM, ~110 MB) is
  # dropped too: without llvmjit.so PostgreSQL silently runs without JIT.
  rm -rf "$r"/var/lib/postgresql/15 "$r"/etc/postgresql/15 \
         "$r"/var/cache/apt/* "$r"/var/lib/apt/lists/* "$r"/var/log/*.log "$r"/var/log/apt/* \
         "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/usr/share/locale/* \
         "$r"/usr/share/lintian "$r"/usr/lib/postgresql/15/lib/llvmjit* "$r"/usr/lib/postgresql/15/lib/bitcode \
         "$r"/usr/lib/x86_64-linux-gnu/libLLVM* "$r"/dev/* "$r"/proc/* "$r"/sys/* "$r"/run/*
  mkdir -p "$r/var/lib/postgresql/data" "$r/var/run/postgresql"

  cat >"$r/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
if [ "$(id -u)" = 0 ]; then
  # A fresh named volume is owned by root: hand it to postgres, then drop root for good.
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 2775 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  POSTGRES_USER=${POSTGRES_USER:-postgres}
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "postgres: database is uninitialized and POSTGRES_PASSWORD is not set" >&2
    exit 1
  fi
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  db=${POSTGRES_DB:-$POSTGRES_USER}
  if [ "$db" != postgres ]; then
    q=$(printf '%s' "$db" | sed 's/"/""/g')
    echo "CREATE DATABASE \"$q\";" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "postgres: initialized $PGDATA (user $POSTGRES_USER, database $db)" >&2
fi
exec postgres -c listen_addresses='*' "$@"
EOF
  chmod 755 "$r/usr/local/bin/docker-entrypoint.sh"

  import_and_finish "$r" "sancho-it/postgres:15" "$(cat <<'EOF'
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data \
    LANG=C.UTF-8
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
EOF
)"
}

# ---------------------------------------------------------------------------------------------------------------
# sancho-it/mariadb:10.11 — Debian's MariaDB 10.11 (mariadb-server-core + mariadb-client) in a debootstrap minbase
# rootfs. Env like the official image, for what the backup presets and the ITs use: MARIADB_ROOT_PASSWORD or
# MYSQL_ROOT_PASSWORD (required on first start), MARIADB_DATABASE / MYSQL_DATABASE created on first start, optional
# MARIADB_USER / MYSQL_USER with MARIADB_PASSWORD / MYSQL_PASSWORD (all privileges on that database). Data in
# /var/lib/mysql (a VOLUME); the server runs as mysql and listens on 3306; root logs in with the password from the
# socket and over TCP (root@'%'), so `mysqladmin ping` serves as a healthcheck. The first start initialises with a
# temporary server on the socket only (like the official image), so a TCP answer means the real server is up.
build_mariadb() {
  ensure_pkgs debootstrap
  local r="$WORK/mariadb" mirror
  mirror=$(debian_mirror)
  log "mariadb: debootstrap bookworm from $mirror (about a minute)"
  debootstrap --variant=minbase --include=mariadb-server-core,mariadb-client bookworm "$r" "$mirror" \
    >"$WORK/debootstrap.log" 2>&1 || { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  # Perl only serves client scripts no test runs (mytop, mariadb-report); the server's messages in English only.
  rm -rf "$r"/var/cache/apt/* "$r"/var/lib/apt/lists/* "$r"/var/log/*.log "$r"/var/log/apt/* \
         "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/usr/share/locale/* \
         "$r"/usr/share/lintian "$r"/usr/share/perl "$r"/usr/lib/x86_64-linux-gnu/perl \
         "$r"/var/lib/mysql "$r"/etc/mysql "$r"/dev/* "$r"/proc/* "$r"/sys/* "$r"/run/*
  find "$r/usr/share/mysql" -mindepth 1 -maxdepth 1 -type d ! -name english ! -name charsets -exec rm -rf {} +
  grep -q '^mysql:' "$r/etc/passwd" || chroot "$r" useradd --system --user-group --home-dir /nonexistent \
    --no-create-home --shell /usr/sbin/nologin mysql
  mkdir -p "$r/var/lib/mysql" "$r/run/mysqld" "$r/etc/mysql"
  cat >"$r/etc/mysql/my.cnf" <<'EOF'
[client-server]
socket = /run/mysqld/mysqld.sock
port = 3306

[mysqld]
user = mysql
datadir = /var/lib/mysql
bind-address = 0.0.0.0
skip-name-resolve
skip-host-cache
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
EOF

  cat >"$r/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -eu
DATADIR=/var/lib/mysql
if [ "$(id -u)" = 0 ]; then
  # A fresh named volume is owned by root: hand it to mysql, then drop root for good.
  mkdir -p "$DATADIR" /run/mysqld
  chown mysql:mysql "$DATADIR" /run/mysqld
  exec setpriv --reuid=mysql --regid=mysql --init-groups "$0" "$@"
fi
sql_string() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g"; }  # inside '...'
sql_name() { printf '%s' "$1" | sed 's/`/``/g'; }                            # inside `...`
if [ ! -d "$DATADIR/mysql" ]; then
  root_pw=${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}
  if [ -z "$root_pw" ]; then
    echo "mariadb: database is uninitialized and MARIADB_ROOT_PASSWORD (or MYSQL_ROOT_PASSWORD) is not set" >&2
    exit 1
  fi
  mariadb-install-db --datadir="$DATADIR" --auth-root-authentication-method=normal --skip-test-db \
    --skip-name-resolve >/dev/null
  mariadbd --skip-networking --datadir="$DATADIR" &
  pid=$!
  i=0
  until mariadb-admin --protocol=socket -uroot ping >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 $pid 2>/dev/null; then echo "mariadb: the init server did not start" >&2; exit 1; fi
    sleep 0.1
  done
  db=${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}
  user=${MARIADB_USER:-${MYSQL_USER:-}}
  pw=$(sql_string "$root_pw")
  {
    echo "DELETE FROM mysql.global_priv WHERE user NOT IN ('mariadb.sys', 'root') OR host <> 'localhost';"
    echo "FLUSH PRIVILEGES;"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$pw';"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY '$pw';"
    echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    if [ -n "$db" ]; then echo "CREATE DATABASE IF NOT EXISTS \`$(sql_name "$db")\`;"; fi
    if [ -n "$user" ]; then
      echo "CREATE USER '$(sql_string "$user")'@'%' IDENTIFIED BY '$(sql_string "${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}")';"
      if [ -n "$db" ]; then echo "GRANT ALL ON \`$(sql_name "$db")\`.* TO '$(sql_string "$user")'@'%';"; fi
    fi
  } | mariadb --protocol=socket -uroot
  kill $pid
  wait $pid || true
  echo "mariadb: initialized $DATADIR (database ${db:-none}, user ${user:-none})" >&2
fi
exec mariadbd "$@"
EOF
  chmod 755 "$r/usr/local/bin/docker-entrypoint.sh"

  import_and_finish "$r" "sancho-it/mariadb:10.11" "$(cat <<'EOF'
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8
VOLUME /var/lib/mysql
EXPOSE 3306
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
EOF
)"
}

# ---------------------------------------------------------------------------------------------------------------
# sancho-it/nginx:1 — Debian's nginx binary + its shared libraries + busybox. The default config routes by Docker DNS
# alias and re-resolves every second, so app containers can be swapped behind it:
#   /            -> http://backend:8080  (request URI passed as is)
#   /front/...   -> http://frontend:8080/... (prefix stripped)
#   /nginx-health -> 200 "ok" from nginx itself
# Replace the config by bind-mounting a file over /etc/nginx/nginx.conf. Logs go to stdout/stderr.
build_nginx() {
  local r="$WORK/nginx" dl="$WORK/nginx-debs" x="$WORK/nginx-x" lib missing
  mkdir -p "$r" "$dl" "$x"
  if ! apt-cache show nginx >/dev/null 2>&1; then apt_update_once; fi
  log "nginx: apt-get download nginx nginx-common"
  (cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root nginx nginx-common >/dev/null) \
    || { apt_update_once; (cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root nginx nginx-common >/dev/null); }
  for deb in "$dl"/*.deb; do dpkg-deb -x "$deb" "$x"; done
  [[ -x "$x/usr/sbin/nginx" ]] || die "nginx binary not found in the downloaded packages"
  missing=$(ldd "$x/usr/sbin/nginx" | awk '/not found/ { print $1 }')
  if [[ -n "$missing" ]]; then
    log "nginx: host lacks $missing, installing nginx's library packages"
    ensure_pkgs libcrypt1 libpcre2-8-0 libssl3 zlib1g
  fi

  mkdir -p "$r"/{usr/sbin,etc/nginx/conf.d,var/log/nginx,var/lib/nginx,run,tmp}
  chmod 1777 "$r/tmp"
  cp "$x/usr/sbin/nginx" "$r/usr/sbin/nginx"
  cp "$x/etc/nginx/mime.types" "$r/etc/nginx/mime.types"
  for lib in $(ldd "$x/usr/sbin/nginx" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
    mkdir -p "$r$(dirname "$lib")"
    cp -L "$lib" "$r$lib"
  done
  add_busybox "$r"
  ln -s /dev/stdout "$r/var/log/nginx/access.log"
  ln -s /dev/stderr "$r/var/log/nginx/error.log"
  printf 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$r/etc/passwd"
  printf 'root:x:0:\nwww-data:x:33:\nnogroup:x:65534:\n' >"$r/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$r/etc/nsswitch.conf"

  cat >"$r/etc/nginx/nginx.conf" <<'EOF'
# sancho-it/nginx:1 default config. Replace it with a bind mount over /etc/nginx/nginx.conf.
worker_processes 1;
daemon off;
pid /run/nginx.pid;
error_log /dev/stderr notice;

events {
    worker_connections 1024;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log /dev/stdout;

    # Docker's embedded DNS; re-resolving every second is what lets containers behind an alias be swapped.
    resolver 127.0.0.11 valid=1s ipv6=off;

    server {
        listen 80;

        location = /nginx-health {
            default_type text/plain;
            return 200 "ok";
        }

        location / {
            set $up backend;
            proxy_pass http://$up:8080;
            proxy_connect_timeout 1s;
            proxy_next_upstream error timeout http_502 http_503;
        }

        location /front/ {
            set $up frontend;
            rewrite ^/front(/.*)$ $1 break;
            proxy_pass http://$up:8080;
            proxy_connect_timeout 1s;
            proxy_next_upstream error timeout http_502 http_503;
        }
    }
}
EOF

  import_and_finish "$r" "sancho-it/nginx:1" "$(cat <<'EOF'
ENV PATH=/usr/sbin:/bin
EXPOSE 80
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/usr/sbin/nginx"]
CMD ["-c", "/etc/nginx/nginx.conf"]
EOF
)"
}

# ---------------------------------------------------------------------------------------------------------------
# sancho-it/caddy:1 — Debian's caddy 2.6 binary + its shared libraries + busybox. Automatic HTTPS works against any
# ACME CA the Caddyfile names (acme_ca, acme_ca_root: the ACME IT uses pebble). The default config is plain HTTP on
# port 80 and routes by Docker DNS, re-resolved every second, riding over a container switch (lb_try_duration):
#   /             -> http://backend:8080  (dynamic a upstreams, refresh 1s)
#   /caddy-health -> 200 "ok" from caddy itself
# Replace the config by bind-mounting a Caddyfile over /etc/caddy/Caddyfile. Data (certificates, ACME account) in
# $XDG_DATA_HOME/caddy = /data/caddy unless the Caddyfile names a storage; logs go to stderr.
build_caddy() {
  local r="$WORK/caddy" dl="$WORK/caddy-debs" x="$WORK/caddy-x" lib missing
  mkdir -p "$r" "$dl" "$x"
  if ! apt-cache show caddy >/dev/null 2>&1; then apt_update_once; fi
  log "caddy: apt-get download caddy"
  (cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root caddy >/dev/null) \
    || { apt_update_once; (cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root caddy >/dev/null); }
  for deb in "$dl"/*.deb; do dpkg-deb -x "$deb" "$x"; done
  [[ -x "$x/usr/bin/caddy" ]] || die "caddy binary not found in the downloaded package"
  missing=$(ldd "$x/usr/bin/caddy" | awk '/not found/ { print $1 }')
  if [[ -n "$missing" ]]; then
    log "caddy: host lacks $missing, installing caddy's library packages"
    ensure_pkgs libzstd1
  fi

  mkdir -p "$r"/{usr/bin,etc/caddy,data,config,root,tmp}
  chmod 1777 "$r/tmp"
  cp "$x/usr/bin/caddy" "$r/usr/bin/caddy"
  for lib in $(ldd "$x/usr/bin/caddy" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
    mkdir -p "$r$(dirname "$lib")"
    cp -L "$lib" "$r$lib"
  done
  add_busybox "$r"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
  # Go's resolver reads these: /etc/hosts first (extra_hosts), then Docker's DNS from resolv.conf.
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$r/etc/nsswitch.conf"

  cat >"$r/etc/caddy/Caddyfile" <<'EOF'
# sancho-it/caddy:1 default config. Replace it with a bind mount over /etc/caddy/Caddyfile.
{
	admin off
	auto_https off
}

:80 {
	respond /caddy-health "ok" 200
	reverse_proxy {
		# Docker's embedded DNS, asked again every second: containers behind the alias can be swapped.
		dynamic a backend 8080 {
			refresh 1s
		}
		# a request that finds no reachable upstream is retried for up to 5 s instead of failing
		lb_try_duration 5s
		lb_try_interval 100ms
	}
}
EOF

  import_and_finish "$r" "sancho-it/caddy:1" "$(cat <<'EOF'
ENV PATH=/usr/bin:/bin \
    XDG_CONFIG_HOME=/config \
    XDG_DATA_HOME=/data \
    HOME=/root
EXPOSE 80 443
STOPSIGNAL SIGTERM
WORKDIR /srv
ENTRYPOINT ["/usr/bin/caddy"]
CMD ["run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
EOF
)"
}

# ---------------------------------------------------------------------------------------------------------------
# smoke tests: every image, built, loaded or found, must do its job before it is (kept) under its final tag.
# Each takes the image reference to test, reports what failed on stderr and returns non-zero; the caller decides.

smoke_name() { echo "sanchoimg_smoke_$1_$$"; }

smoke_app() { # image version
  local image=$1 version=$2 c i out=""
  c=$(smoke_name "app$version")
  docker run -d --name "$c" -e DEPLOY_ID=smoke "$image" >/dev/null || return 1
  for i in $(seq 50); do
    out=$(docker exec "$c" wget -q -O- http://127.0.0.1:8080/ 2>/dev/null) && break
    sleep 0.1
  done
  if [[ "$out" != "hostname="*" version=$version deploy=smoke" ]]; then
    echo "app:$version smoke test: GET / answered '$out'" >&2; docker rm -f -v "$c" >/dev/null; return 1
  fi
  if [[ "$(docker exec "$c" wget -q -O- http://127.0.0.1:8080/health 2>&1)" != ok ]]; then
    echo "app:$version smoke test: GET /health did not answer ok" >&2; docker rm -f -v "$c" >/dev/null; return 1
  fi
  docker rm -f -v "$c" >/dev/null # -v: also the container's anonymous volumes (none for the app)
}

smoke_postgres() { # image
  local image=$1 c i
  c=$(smoke_name postgres)
  docker run -d --name "$c" -e POSTGRES_USER=smoke -e POSTGRES_PASSWORD=smoke -e POSTGRES_DB=smokedb \
    "$image" >/dev/null || return 1
  for i in $(seq 100); do
    docker exec "$c" psql -U smoke -d smokedb -Atc 'select 1' >/dev/null 2>&1 && break
    sleep 0.2
  done
  if [[ "$(docker exec "$c" psql -U smoke -d smokedb -Atc 'select 40+2' 2>&1)" != 42 ]]; then
    docker logs "$c" >&2; echo "postgres smoke test: query failed" >&2; docker rm -f -v "$c" >/dev/null; return 1
  fi
  # -v removes the anonymous PGDATA volume with the container; nothing is left to remove after it.
  docker rm -f -v "$c" >/dev/null
}

smoke_mariadb() { # image: initialises with a database and answers over the socket and over TCP with the password
  local image=$1 c i
  c=$(smoke_name mariadb)
  docker run -d --name "$c" -e MARIADB_ROOT_PASSWORD="smo'ke" -e MARIADB_DATABASE=smokedb "$image" >/dev/null \
    || return 1
  for i in $(seq 150); do
    docker exec "$c" mysqladmin -uroot -p"smo'ke" -h127.0.0.1 --protocol=tcp status >/dev/null 2>&1 && break
    sleep 0.2
  done
  if [[ "$(docker exec -e MYSQL_PWD="smo'ke" "$c" mysql -uroot -N -B -e 'SELECT 40+2' smokedb 2>&1)" != 42 ]]; then
    docker logs "$c" >&2; echo "mariadb smoke test: query failed" >&2; docker rm -f -v "$c" >/dev/null; return 1
  fi
  # -v removes the anonymous /var/lib/mysql volume with the container.
  docker rm -f -v "$c" >/dev/null
}

smoke_nginx() { # image
  local image=$1 c
  c=$(smoke_name nginx)
  if ! docker run --rm --name "$c" "$image" -t -c /etc/nginx/nginx.conf >/dev/null 2>"$WORK/nginx-t.log"; then
    cat "$WORK/nginx-t.log" >&2; echo "nginx smoke test: nginx -t failed" >&2; return 1
  fi
}

smoke_caddy() { # image: the default config answers its own health route over HTTP
  local image=$1 c i out=""
  c=$(smoke_name caddy)
  docker run -d --name "$c" "$image" >/dev/null || return 1
  for i in $(seq 50); do
    out=$(docker exec "$c" wget -q -O- http://127.0.0.1/caddy-health 2>/dev/null) && break
    sleep 0.1
  done
  if [[ "$out" != ok ]]; then
    docker logs "$c" >&2; echo "caddy smoke test: GET /caddy-health answered '$out'" >&2
    docker rm -f -v "$c" >/dev/null; return 1
  fi
  docker rm -f -v "$c" >/dev/null
}

# ---------------------------------------------------------------------------------------------------------------

recipe_hash() { # kind (app|postgres|mariadb|nginx|caddy or the image repo)
  local kind=${1##*/}
  { echo "$RECIPE_EPOCH"; declare -f add_busybox import_and_finish build_from_stdin "build_$kind"; } | sha256sum | cut -c1-16
}

image_label() { docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$1" 2>/dev/null || true; }

# Moves a tested candidate to the final tag. A built candidate gets the recipe label on the way (a LABEL-only build,
# well under a second); a loaded one has it already.
promote() { # candidate image want
  local cand=$1 image=$2 want=$3
  if [[ "$(image_label "$cand")" != "$want" ]]; then
    printf 'FROM %s\nLABEL %s=%s\n' "$cand" "$LABEL" "$want" | build_from_stdin "$image"
  else
    docker tag "$cand" "$image"
  fi
  docker rmi "$cand" >/dev/null
}

smoke() { # kind image build-args...  (runs in an `if`, so a failing step must return, not rely on set -e)
  local kind=$1; shift
  "smoke_$kind" "$@"
}

ensure_image() { # kind image build-args...
  local kind=$1 image=$2; shift 2
  local want tar t0=$SECONDS old cand
  want=$(recipe_hash "$kind")
  cand=$(candidate_of "$image")
  tar="$CACHE_DIR/${image#sancho-it/}.tar"
  tar=${tar/:/-}
  docker rmi "$cand" >/dev/null 2>&1 || true # a candidate left by an interrupted run is never trusted
  old=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
  if [[ $REBUILD -eq 0 ]]; then
    if [[ "$(image_label "$image")" == "$want" ]]; then
      if smoke "$kind" "$image" "$@"; then
        log "$image: present in the engine, smoke test passed in $((SECONDS - t0))s"
        return
      fi
      log "$image: present but its smoke test failed (above): untagging it and rebuilding"
      docker rmi "$image" >/dev/null 2>&1 || true
      old=""
    elif [[ -n "$old" ]]; then
      log "$image: present but not built by this recipe (stand-in or older version), replacing it"
    fi
    if [[ $USE_CACHE -eq 1 && -f "$tar" ]]; then
      log "$image: loading ${tar#"$ROOT_DIR"/}"
      if docker load -q -i "$tar" >/dev/null && [[ "$(image_label "$cand")" == "$want" ]] \
          && smoke "$kind" "$cand" "$@"; then
        promote "$cand" "$image" "$want"
        log "$image: loaded from cache and smoke-tested in $((SECONDS - t0))s"
        remove_replaced "$old" "$image"
        return
      fi
      log "$image: cached tar is unreadable, from an older recipe or failed its smoke test: deleting it, rebuilding"
      docker rmi "$cand" >/dev/null 2>&1 || true
      rm -f "$tar"
    fi
  fi
  log "$image: building"
  "build_$kind" "$@"
  smoke "$kind" "$cand" "$@" || die "$image: the freshly built image failed its smoke test (above); it was not tagged $image"
  promote "$cand" "$image" "$want"
  log "$image: built and smoke-tested in $((SECONDS - t0))s ($(docker image inspect -f '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
  if [[ $USE_CACHE -eq 1 ]]; then
    # The tar holds the image under its candidate tag: a load is smoke-tested before the final tag exists.
    mkdir -p "$CACHE_DIR"
    docker tag "$image" "$cand"
    docker save -o "$tar.tmp" "$cand"
    docker rmi "$cand" >/dev/null
    mv "$tar.tmp" "$tar"
    log "$image: saved ${tar#"$ROOT_DIR"/}"
  fi
  remove_replaced "$old" "$image"
}

# The image this one replaced, if it was ours and no container uses it any more (rmi refuses otherwise).
remove_replaced() { # old-id image
  local old=$1 image=$2
  if [[ -n "$old" && "$old" != "$(docker image inspect -f '{{.Id}}' "$image")" ]]; then
    if [[ -n "$(docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$old" 2>/dev/null)" ]]; then
      docker rmi "$old" >/dev/null 2>&1 || true
    fi
  fi
}

log "ensuring ${SELECTED[*]} (rebuild=$REBUILD, cache=$([[ $USE_CACHE -eq 1 ]] && echo "${CACHE_DIR#"$ROOT_DIR"/}" || echo off))"
for kind in "${SELECTED[@]}"; do
  # Every image gets the static busybox (no libraries to carry along).
  ensure_pkgs busybox-static
  [[ -n "$WORK" ]] || { WORK=$(mktemp -d /tmp/sancho-test-images.XXXXXX); chmod 755 "$WORK"; }
  case "$kind" in
    app) ensure_image app sancho-it/app:1 1; ensure_image app sancho-it/app:2 2 ;;
    postgres) ensure_image postgres sancho-it/postgres:15 ;;
    mariadb) ensure_image mariadb sancho-it/mariadb:10.11 ;;
    nginx) ensure_image nginx sancho-it/nginx:1 ;;
    caddy) ensure_image caddy sancho-it/caddy:1 ;;
  esac
done
log "done in $((SECONDS - START))s: $(docker images --format '{{.Repository}}:{{.Tag}}' 'sancho-it/*' | sort | tr '\n' ' ')"
