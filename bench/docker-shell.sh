#!/usr/bin/env bash
# The baseline of bench/docker.ts: what a review-app CI job does today on a Docker host behind
# Caddy, with the docker CLI and curl.
#
#   bench/docker-shell.sh up NAME REPO_DIR COMMIT
#     skip when the commit already runs and its route exists; else build, replace the container,
#     route its port through the admin API, poll through Caddy every 0.1 s until it answers
#   bench/docker-shell.sh stop NAME
#     remove the route, the container and the network
#
#   env: DOCKER_HOST, CADDY_ADMIN, CADDY_SERVER, CADDY_HTTP_PORT, IMAGE_REPO
set -euo pipefail
mode=$1 name=$2
host="$name.localhost"
route_id="review-$name"

if [ "$mode" = stop ]; then
  curl -s -o /dev/null -X DELETE "$CADDY_ADMIN/id/$route_id" || true
  docker rm -f "$name-web" >/dev/null 2>&1 || true
  docker network rm "$name" >/dev/null 2>&1 || true
  exit 0
fi

dir=$3 commit=$4
image="$IMAGE_REPO:$commit"

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
