#!/usr/bin/env bash
# Local services for preview-kit's system tests: a Docker-API-compatible podman
# socket and a loopback Caddy with its admin API.
#
#   bash scripts/services.sh start   # start both (no-op for what already runs),
#                                    # ensure localhost/preview-kit-base:latest
#   eval "$(bash scripts/services.sh env)"
#                                    # DOCKER_HOST, CADDY_ADMIN, CONTAINERS_CONF
#   bash scripts/services.sh stop    # stop both; containers, images, state stay
#
# Environment:
#   PREVIEW_STATE_DIR         state dir (default /tmp/preview-kit-services)
#   PREVIEW_CADDY_ADMIN_PORT  caddy admin port on 127.0.0.1 (default 2019)
#   PREVIEW_CADDY_HTTP_PORT   caddy HTTP port on 127.0.0.1 (default 8080)
#
# Needs the packages from scripts/install-system-deps.sh. Runs as root
# (rootful podman). Everything it writes lives in STATE, except podman's image
# and container storage, which is podman's default (/var/lib/containers).
set -euo pipefail

STATE="${PREVIEW_STATE_DIR:-/tmp/preview-kit-services}"
ADMIN_PORT="${PREVIEW_CADDY_ADMIN_PORT:-2019}"
HTTP_PORT="${PREVIEW_CADDY_HTTP_PORT:-8080}"
BASE_IMAGE="localhost/preview-kit-base:latest"
WAIT_SECS=30

SOCK="$STATE/podman.sock"
CONF="$STATE/containers.conf"
CADDY_JSON="$STATE/caddy.json"
PODMAN_PID="$STATE/podman.pid"
CADDY_PID="$STATE/caddy.pid"
PODMAN_LOG="$STATE/podman.log"
CADDY_LOG="$STATE/caddy.log"

export CONTAINERS_CONF="$CONF"

die() { echo "services.sh: $*" >&2; exit 1; }

pid_alive() { # pidfile
  local pid
  [ -f "$1" ] || return 1
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

podman_ping() {
  [ -S "$SOCK" ] &&
    [ "$(curl -s --max-time 2 --unix-socket "$SOCK" http://d/v1.41/_ping 2>/dev/null)" = "OK" ]
}

caddy_ping() {
  curl -sf --max-time 2 -o /dev/null "http://127.0.0.1:$ADMIN_PORT/config/" 2>/dev/null
}

wait_for() { # name check-fn pidfile logfile
  local name=$1 check=$2 pidfile=$3 logfile=$4 i
  for ((i = 0; i < WAIT_SECS * 5; i++)); do
    if "$check"; then return 0; fi
    if ! pid_alive "$pidfile"; then
      echo "services.sh: $name exited during startup; last lines of $logfile:" >&2
      tail -n 30 "$logfile" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
  echo "services.sh: $name did not answer within ${WAIT_SECS}s; last lines of $logfile:" >&2
  tail -n 30 "$logfile" >&2 || true
  # don't leave a half-started service behind
  kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile"
  exit 1
}

write_containers_conf() {
  cat >"$CONF.tmp" <<'EOF'
# Written by scripts/services.sh; used via CONTAINERS_CONF.
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
log_driver = "k8s-file"

[network]
network_backend = "netavark"

[engine]
runtime = "runc"
# no systemd on these machines
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  mv "$CONF.tmp" "$CONF"
}

write_caddy_json() {
  cat >"$CADDY_JSON.tmp" <<EOF
{
  "admin": {
    "listen": "127.0.0.1:$ADMIN_PORT",
    "config": { "persist": false }
  },
  "storage": { "module": "file_system", "root": "$STATE/caddy/storage" },
  "apps": {
    "http": {
      "servers": {
        "preview": {
          "listen": ["127.0.0.1:$HTTP_PORT"],
          "automatic_https": { "disable": true },
          "routes": [
            {
              "handle": [
                {
                  "handler": "static_response",
                  "status_code": 404,
                  "body": "no preview here"
                }
              ]
            }
          ]
        }
      }
    }
  }
}
EOF
  mv "$CADDY_JSON.tmp" "$CADDY_JSON"
}

start_podman() {
  if pid_alive "$PODMAN_PID" && podman_ping; then return 0; fi
  if pid_alive "$PODMAN_PID"; then
    wait_for "podman service" podman_ping "$PODMAN_PID" "$PODMAN_LOG"
    return 0
  fi
  if podman_ping; then
    die "something else already serves $SOCK (no live pid in $PODMAN_PID)"
  fi
  rm -f "$SOCK"
  # setsid: own session, so killing the caller's process group leaves it alone
  setsid podman system service --time=0 "unix://$SOCK" \
    </dev/null >"$PODMAN_LOG" 2>&1 &
  echo $! >"$PODMAN_PID"
  wait_for "podman service" podman_ping "$PODMAN_PID" "$PODMAN_LOG"
}

start_caddy() {
  if pid_alive "$CADDY_PID" && caddy_ping; then return 0; fi
  if pid_alive "$CADDY_PID"; then
    wait_for "caddy" caddy_ping "$CADDY_PID" "$CADDY_LOG"
    return 0
  fi
  if caddy_ping; then
    die "something else already answers on 127.0.0.1:$ADMIN_PORT (no live pid in $CADDY_PID)"
  fi
  # caddy listens with SO_REUSEPORT, so a second caddy on a busy port would
  # silently share it instead of failing: refuse if anything accepts there.
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$HTTP_PORT/" 2>/dev/null ||
     [ $? -ne 7 ]; then
    die "127.0.0.1:$HTTP_PORT is already in use (set PREVIEW_CADDY_HTTP_PORT)"
  fi
  write_caddy_json
  mkdir -p "$STATE/caddy/data" "$STATE/caddy/config" "$STATE/caddy/storage"
  # HOME/XDG_* keep caddy's data and autosave dirs inside STATE
  HOME="$STATE/caddy" XDG_DATA_HOME="$STATE/caddy/data" XDG_CONFIG_HOME="$STATE/caddy/config" \
    setsid caddy run --config "$CADDY_JSON" \
    </dev/null >"$CADDY_LOG" 2>&1 &
  echo $! >"$CADDY_PID"
  wait_for "caddy" caddy_ping "$CADDY_PID" "$CADDY_LOG"
}

ensure_base_image() {
  if podman image exists "$BASE_IMAGE" 2>/dev/null; then return 0; fi
  local busybox rootfs applet
  busybox=$(command -v busybox) || die "busybox not found (run scripts/install-system-deps.sh)"
  case "$(LC_ALL=C ldd "$busybox" 2>&1 || true)" in
    *"not a dynamic executable"*) ;;
    *) die "$busybox is dynamically linked; need package busybox-static" ;;
  esac
  rootfs=$(mktemp -d "$STATE/rootfs.XXXXXX")
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,www,proc,sys,dev,run,var/tmp}
  chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
  cp "$busybox" "$rootfs/bin/busybox"
  # one symlink per applet at its usual path (sh, httpd, wget, nc, ...)
  while read -r applet; do
    if [ -z "$applet" ] || [ "$applet" = "bin/busybox" ]; then continue; fi
    [ -e "$rootfs/$applet" ] || ln -s /bin/busybox "$rootfs/$applet"
  done < <("$rootfs/bin/busybox" --list-full)
  cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
  tar -C "$rootfs" --numeric-owner --owner=0 --group=0 -cf - . |
    podman import \
      --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["/bin/sh"]' \
      - "$BASE_IMAGE" >"$STATE/import.log" 2>&1 || {
    tail -n 20 "$STATE/import.log" >&2
    rm -rf "$rootfs"
    die "podman import of $BASE_IMAGE failed"
  }
  rm -rf "$rootfs"
  podman image exists "$BASE_IMAGE" || die "podman import of $BASE_IMAGE failed"
  echo "services.sh: imported $BASE_IMAGE"
}

cmd_start() {
  local tool
  for tool in podman caddy curl setsid; do
    command -v "$tool" >/dev/null || die "$tool missing: run scripts/install-system-deps.sh first"
  done
  mkdir -p "$STATE"
  write_containers_conf
  start_podman
  start_caddy
  ensure_base_image
}

stop_all() { # name pidfile [name pidfile ...]: SIGTERM all, wait <=10 s, then SIGKILL
  local -a names=() pids=()
  local i j pid alive
  while [ $# -ge 2 ]; do
    if pid_alive "$2"; then
      pid=$(cat "$2")
      kill -TERM "$pid" 2>/dev/null || true
      names+=("$1"); pids+=("$pid")
    fi
    rm -f "$2"
    shift 2
  done
  for ((i = 0; i < 50; i++)); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.2
  done
  for j in "${!pids[@]}"; do
    if kill -0 "${pids[$j]}" 2>/dev/null; then
      echo "services.sh: ${names[$j]} (pid ${pids[$j]}) ignored SIGTERM; sending SIGKILL" >&2
      kill -KILL "${pids[$j]}" 2>/dev/null || true
    fi
  done
}

cmd_stop() {
  stop_all caddy "$CADDY_PID" "podman service" "$PODMAN_PID"
  rm -f "$SOCK"
}

cmd_env() {
  echo "export DOCKER_HOST=unix://$SOCK"
  echo "export CADDY_ADMIN=http://127.0.0.1:$ADMIN_PORT"
  echo "export CONTAINERS_CONF=$CONF"
}

# Exit 0 when both services answer, 1 otherwise (callers use it to stop only what they started).
cmd_status() {
  podman_ping && caddy_ping
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|env|status" >&2; exit 2 ;;
esac
