#!/usr/bin/env bash
# The baseline of bench/docker.ts: what a review-app CI job does today on a Docker host behind
# Caddy, with the docker CLI and curl (skip when the commit already runs, build, replace the
# container, route its port through the admin API, wait until it answers through Caddy).
#
#   bench/docker-shell.sh NAME REPO_DIR COMMIT
#   env: DOCKER_HOST, CADDY_ADMIN, CADDY_SERVER, CADDY_HTTP_PORT, IMAGE_REPO
set -euo pipefail
name=$1 dir=$2 commit=$3
host="$name.localhost"
image="$IMAGE_REPO:$commit"
route_id="review-$name"

current=$(docker ps --filter "label=review=$name" --format '{{.Label "commit"}}' | head -n 1)
if [ "$current" = "$commit" ] && curl -sf -o /dev/null "$CADDY_ADMIN/id/$route_id"; then
  exit 0
fi

docker network inspect "$name" >/dev/null 2>&1 || docker network create --label "review=$name" "$name" >/dev/null
if ! docker image inspect "$image" >/dev/null 2>&1; then
  git -C "$dir" archive --format=tar "$commit" |
    DOCKER_BUILDKIT=0 docker build -q --build-arg "COMMIT=$commit" -t "$image" - >/dev/null 2>&1
fi
docker rm -f "$name-web" >/dev/null 2>&1 || true
docker run -d --name "$name-web" --network "$name" --label "review=$name" --label "commit=$commit" \
  -p 127.0.0.1::8080 "$image" >/dev/null
port=$(docker port "$name-web" 8080/tcp | head -n 1 | sed 's/.*://')

route="{\"@id\":\"$route_id\",\"match\":[{\"host\":[\"$host\"]}],\"handle\":[{\"handler\":\"reverse_proxy\",\"upstreams\":[{\"dial\":\"127.0.0.1:$port\"}]}],\"terminal\":true}"
if curl -sf -o /dev/null "$CADDY_ADMIN/id/$route_id"; then
  curl -sf -o /dev/null -X PATCH -H 'Content-Type: application/json' -d "$route" "$CADDY_ADMIN/id/$route_id"
else
  curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d "$route" "$CADDY_ADMIN/config/apps/http/servers/$CADDY_SERVER/routes/0"
fi

for _ in $(seq 1 300); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $host" "http://127.0.0.1:$CADDY_HTTP_PORT/" || true)
  [ "$code" = 200 ] && exit 0
  sleep 0.1
done
echo "docker-shell.sh: $host never answered" >&2
exit 1
