#!/usr/bin/env bash
# The baseline of bench/convox.ts: the rack API calls the convox CLI makes, scripted with curl and
# jq the way a review-app CI job would. `up` is `convox apps create` when the app is missing (create,
# then poll until it runs) plus `convox env set` of the preview host, then `convox deploy` (source
# tarball stored as an object, build from it, poll the build, promote its release, poll the app
# until it runs that release); it skips the deploy when the app already runs a build of the commit.
# `stop` is `convox apps delete` (delete, then poll until the app is gone).
#
#   bench/convox-shell.sh up NAME REPO_DIR COMMIT HOST
#   bench/convox-shell.sh stop NAME
#   env: RACK_URL (http(s)://convox:PASSWORD@host), POLL_SECONDS (pause between two looks, default 0.1)
set -euo pipefail
cmd=$1 name=$2
poll=${POLL_SECONDS:-0.1}
rack=${RACK_URL%/}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# GET into a file; prints the status code.
get() { curl -sS -o "$tmp/body" -w '%{http_code}' -H 'Accept: application/json' "$rack$1"; }
post() { curl -sS --fail -H 'Accept: application/json' -X POST "$@"; }
app_field() { [ "$(get "/apps/$name")" = 200 ] && jq -r "$1" "$tmp/body"; }

if [ "$cmd" = stop ]; then
  code=$(curl -sS -o /dev/null -w '%{http_code}' -X DELETE "$rack/apps/$name")
  [ "$code" = 404 ] && exit 0
  [ "$code" = 200 ] || { echo "convox-shell.sh: delete answered $code" >&2; exit 1; }
  until [ "$(get "/apps/$name")" = 404 ]; do sleep "$poll"; done
  exit 0
fi

dir=$3 commit=$4 host=$5
code=$(get "/apps/$name")
if [ "$code" = 404 ]; then
  post -o /dev/null --data-urlencode "name=$name" "$rack/apps"
  until [ "$(app_field .status)" = running ]; do sleep "$poll"; done
  post -o /dev/null --data-urlencode "env=PREVIEW_HOST=$host" "$rack/apps/$name/releases"
elif [ "$code" = 200 ]; then
  release=$(jq -r .release "$tmp/body")
  if [ -n "$release" ]; then
    [ "$(get "/apps/$name/releases/$release")" = 200 ] || exit 1
    build=$(jq -r .build "$tmp/body")
    if [ -n "$build" ] && [ "$(get "/apps/$name/builds/$build")" = 200 ] && [ "$(jq -r '."git-sha"' "$tmp/body")" = "$commit" ]; then
      exit 0
    fi
  fi
else
  echo "convox-shell.sh: looking up $name answered $code" >&2
  exit 1
fi

git -C "$dir" archive --format=tar.gz -o "$tmp/source.tgz" "$commit"
key="tmp/$(od -An -N15 -tx1 /dev/urandom | tr -d ' \n').tgz"
url=$(post --data-binary "@$tmp/source.tgz" -H 'Content-Type: application/octet-stream' "$rack/apps/$name/objects/$key" | jq -r .Url)
build=$(post --data-urlencode "url=$url" --data-urlencode "git-sha=$commit" --data-urlencode "description=build $commit" "$rack/apps/$name/builds" | jq -r .id)
while :; do
  [ "$(get "/apps/$name/builds/$build")" = 200 ] || exit 1
  case $(jq -r .status "$tmp/body") in
    complete) release=$(jq -r .release "$tmp/body"); break ;;
    failed) echo "convox-shell.sh: build $build failed" >&2; exit 1 ;;
  esac
  sleep "$poll"
done

until [ "$(app_field .status)" = running ]; do sleep "$poll"; done
post -o /dev/null "$rack/apps/$name/releases/$release/promote"
while :; do
  status=$(app_field '.status + " " + .release')
  [ "$status" = "running $release" ] && exit 0
  case $status in rollback*|running*) echo "convox-shell.sh: promotion of $release ended as: $status" >&2; exit 1 ;; esac
  sleep "$poll"
done
