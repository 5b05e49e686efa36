#!/usr/bin/env bash
# Install the Debian packages preview-kit's system-level tests need.
#
# Idempotent: when everything is already installed it only runs dpkg-query
# (well under a second) and exits 0 without touching apt.
# Non-interactive, quiet: prints one line per package it installed.
# Never starts services (a temporary policy-rc.d denies service starts
# from maintainer scripts during the install).
#
# Usage: bash scripts/install-system-deps.sh     (as root, or with sudo available)
set -euo pipefail

# Package list. Besides the obvious ones, podman on Debian 12 needs here:
#   conmon, golang-github-containers-common  (podman's own deps, listed explicitly)
#   netavark, aardvark-dns                   (network stack; without an explicit
#                                             choice apt may pick CNI plugins)
#   iptables                                 (netavark programs NAT/port forwards
#                                             with it; not on the base image)
#   uidmap                                   (newuidmap/newgidmap; only rootless
#                                             needs it, cheap to have)
#   jq                                       (the shell baselines of npm run bench)
PACKAGES=(
  git rsync curl ca-certificates jq
  caddy
  podman conmon runc golang-github-containers-common
  netavark aardvark-dns iptables uidmap
  busybox-static
  postgresql
)

is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | cut -c1-2)" = "ii" ]
}

missing=()
for p in "${PACKAGES[@]}"; do
  is_installed "$p" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo -n)
  else
    echo "install-system-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp /tmp/install-system-deps.XXXXXX.log)

# Keep maintainer scripts from starting services (caddy, postgresql) while we
# install. Only install our own policy-rc.d if none exists, and remove it after.
policy=/usr/sbin/policy-rc.d
own_policy=0
cleanup() {
  if [ "$own_policy" = 1 ]; then "${SUDO[@]}" rm -f "$policy"; fi
}
trap cleanup EXIT
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
  "${SUDO[@]}" chmod 755 "$policy"
  own_policy=1
fi

if ! "${SUDO[@]}" apt-get update -qq >>"$log" 2>&1; then
  echo "install-system-deps: apt-get update failed; log: $log" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      "${missing[@]}" >>"$log" 2>&1; then
  echo "install-system-deps: apt-get install failed; log: $log" >&2
  tail -n 30 "$log" >&2
  exit 1
fi

for p in "${missing[@]}"; do
  if is_installed "$p"; then
    echo "installed $p $(dpkg-query -W -f='${Version}' "$p")"
  else
    echo "install-system-deps: $p still not installed; log: $log" >&2
    exit 1
  fi
done
rm -f "$log"
