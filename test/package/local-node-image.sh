#!/usr/bin/env bash
# Makes a local stand-in for a Node LTS base image (no registry can be reached here): busybox for
# the shell and its tools, this machine's node, git and ssh with the libraries they load, a `node`
# user (uid 1000) as the official Node images have, imported with `podman import`.
#
#   bash test/package/local-node-image.sh IMAGE     # no-op when IMAGE exists
#
# Needs podman and busybox-static (scripts/install-system-deps.sh), root, and CONTAINERS_CONF.
set -euo pipefail
image=${1:?usage: local-node-image.sh IMAGE}
if podman image exists "$image" 2>/dev/null; then exit 0; fi

busybox=$(command -v busybox) || { echo "local-node-image: busybox missing (busybox-static)" >&2; exit 1; }
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,root,tmp,proc,sys,dev,run,var/tmp,home/node}
chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
cp "$busybox" "$rootfs/bin/busybox"
while read -r applet; do
  if [ -z "$applet" ] || [ "$applet" = "bin/busybox" ]; then continue; fi
  [ -e "$rootfs/$applet" ] || ln -s /bin/busybox "$rootfs/$applet"
done < <("$rootfs/bin/busybox" --list-full)

# A binary and every shared library it loads, at the same paths as here.
copy_with_libs() {
  local bin=$1 lib
  rm -f "$rootfs$bin"
  mkdir -p "$rootfs$(dirname "$bin")"
  cp -L "$bin" "$rootfs$bin"
  for lib in $(ldd "$bin" | grep -oE '/[^ ]+\.so[^ ]*'); do
    mkdir -p "$rootfs$(dirname "$lib")"
    [ -e "$rootfs$lib" ] || cp -L "$lib" "$rootfs$lib"
  done
}
for tool in node git ssh; do copy_with_libs "$(command -v "$tool")"; done

cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000::/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
node:x:1000:
nogroup:x:65534:
EOF
chown 1000:1000 "$rootfs/home/node"

tar -C "$rootfs" --numeric-owner -cf - . |
  podman import \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' \
    --change 'CMD ["node"]' \
    - "$image" >/dev/null
podman image exists "$image"
