#!/usr/bin/env bash
# A throwaway PostgreSQL server for the database tests, from Debian's postgresql
# package (scripts/install-system-deps.sh installs it). Listens on 127.0.0.1
# only, on a free port; data, socket and log live in one state directory.
#
#   bash scripts/postgres.sh start   # start (no-op when running); prints the admin URL
#   bash scripts/postgres.sh url     # print the admin URL of the running server
#   bash scripts/postgres.sh stop    # stop it and delete its state directory
#
# Environment:
#   PREVIEW_PG_DIR   state directory (default /tmp/preview-kit-postgres); use one
#                    per test file to run several servers side by side
#
# As root the server runs as the `postgres` user (PostgreSQL refuses to run as
# root); as another user it runs as that user. The admin role is `postgres`
# with a random password (password auth over TCP, scram-sha-256).
set -euo pipefail

STATE="${PREVIEW_PG_DIR:-/tmp/preview-kit-postgres}"
DATA="$STATE/data"
URL_FILE="$STATE/url"
LOG="$STATE/postgres.log"

die() { echo "postgres.sh: $*" >&2; exit 1; }

find_bindir() {
  local dir
  # Debian keeps the server binaries out of PATH, one directory per major version.
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return 0; fi
  return 1
}

BIN=$(find_bindir) || die "PostgreSQL server binaries not found: run scripts/install-system-deps.sh (package postgresql)"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

running() {
  [ -f "$DATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

cmd_start() {
  if running && [ -f "$URL_FILE" ]; then cat "$URL_FILE"; return 0; fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    die "user postgres missing (the postgresql package creates it)"
  fi
  rm -rf "$STATE"
  mkdir -p "$STATE"
  chmod 700 "$STATE"
  local password port pwfile
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  port=$(free_port)
  pwfile="$STATE/pwfile"
  printf '%s\n' "$password" >"$pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$STATE"; fi
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-instructions >"$STATE/initdb.log" 2>&1 ||
    { tail -n 20 "$STATE/initdb.log" >&2; die "initdb failed"; }
  rm -f "$pwfile"
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $STATE -c fsync=off -c full_page_writes=off" start >/dev/null ||
    { tail -n 20 "$LOG" >&2 || true; die "server did not start"; }
  echo "postgresql://postgres:$password@127.0.0.1:$port/postgres" >"$URL_FILE"
  chmod 600 "$URL_FILE"
  cat "$URL_FILE"
}

cmd_url() {
  running && [ -f "$URL_FILE" ] || die "not running (bash scripts/postgres.sh start)"
  cat "$URL_FILE"
}

cmd_stop() {
  if running; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
  rm -rf "$STATE"
}

case "${1:-}" in
  start) cmd_start ;;
  url) cmd_url ;;
  stop) cmd_stop ;;
  *) echo "usage: $0 start|url|stop" >&2; exit 2 ;;
esac
