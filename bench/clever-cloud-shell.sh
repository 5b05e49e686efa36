#!/usr/bin/env bash
# The baseline of bench/clever-cloud.ts: the review-app script teams run today on Clever Cloud,
# spelled out with curl, jq and git against the same API instead of clever-tools:
#
#   clever link $APP || clever create --type node $APP   # link-or-create
#   sleep 10                                              # "wait for the git repository"
#   clever domain add $APP.example.com || true            # errors swallowed
#   clever deploy -f                                      # push, then poll the deployment every 5 s
#   clever delete --yes                                   # on branch delete
#
#   bench/clever-cloud-shell.sh up NAME DOMAIN REPO_DIR [COMMIT]   (default: HEAD)
#   bench/clever-cloud-shell.sh stop NAME
#   env: CLEVER_API_URL, CLEVER_ORG, API_AUTHORIZATION (the API's Authorization header),
#        GIT_AUTHORIZATION (the git remote's), passed to git as an extra header through GIT_CONFIG_*
set -euo pipefail
api="$CLEVER_API_URL/v2/organisations/$CLEVER_ORG"

call() { # METHOD PATH [JSON]
  curl -sS -f -X "$1" -H "Authorization: $API_AUTHORIZATION" -H 'Content-Type: application/json' ${3:+--data "$3"} "$api$2"
}

app_named() {
  call GET /applications | jq -c --arg n "$1" 'map(select(.name == $n)) | .[0] // empty'
}

case $1 in
up)
  name=$2 domain=$3 dir=$4 sha=${5:-}
  # clever link $APP || clever create --type node $APP
  app=$(app_named "$name")
  if [ -z "$app" ]; then
    runtime=$(curl -sS -f -H "Authorization: $API_AUTHORIZATION" "$CLEVER_API_URL/v2/products/instances" |
      jq -c '[.[] | select(.variant.slug == "node" and .enabled)] | sort_by(.version) | last')
    body=$(jq -nc --arg n "$name" --argjson r "$runtime" '{deploy: "git", name: $n, description: $n, zone: "par",
      instanceType: $r.type, instanceVersion: $r.version, instanceVariant: $r.variant.id, minFlavor: "XS", maxFlavor: "XS",
      minInstances: 1, maxInstances: 1, instanceLifetime: "REGULAR", env: {}}')
    app=$(call POST /applications "$body")
  fi
  id=$(jq -r .id <<<"$app")
  remote=$(jq -r .deployment.httpUrl <<<"$app")
  # sleep 10
  sleep 10
  # clever domain add $DOMAIN || true
  call PUT "/applications/$id/vhosts/$domain" >/dev/null || true
  # clever deploy -f: push the commit, then poll the deployments every 5 s until its deployment has ended
  sha=$(git -C "$dir" rev-parse "${sha:-HEAD}")
  GIT_TERMINAL_PROMPT=0 GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraHeader GIT_CONFIG_VALUE_0="Authorization: $GIT_AUTHORIZATION" \
    git -C "$dir" push -q -f "$remote" "$sha:refs/heads/master"
  while :; do
    sleep 5
    state=$(call GET "/applications/$id/deployments?limit=5" | jq -r --arg c "$sha" 'map(select(.commit == $c)) | .[0].state // "NONE"')
    case $state in
    OK) exit 0 ;;
    FAIL | CANCELLED)
      echo "clever-cloud-shell.sh: deployment of $sha ended $state" >&2
      exit 1
      ;;
    esac
  done
  ;;
stop)
  # clever delete --yes
  id=$(app_named "$2" | jq -r '.id // empty')
  if [ -n "$id" ]; then call DELETE "/applications/$id" >/dev/null; fi
  ;;
*)
  echo "usage: $0 up NAME DOMAIN REPO_DIR [COMMIT] | stop NAME" >&2
  exit 2
  ;;
esac
