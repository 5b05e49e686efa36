#!/usr/bin/env bash
# The baseline of bench/kubernetes.ts: what a pipeline without preview-kit runs for a preview on
# Kubernetes. `up` applies the env Secret, Service, Ingress and Deployment (the image tag is the
# commit) and waits for the rollout; `stop` deletes the four objects.
#
#   bench/kubernetes-shell.sh up   NAME IMAGE HOST
#   bench/kubernetes-shell.sh stop NAME
#
# With kubectl on PATH (KUBECONFIG, NAMESPACE from the environment):
#   kubectl apply -f - ; kubectl rollout status deployment/NAME ; kubectl delete ... --ignore-not-found
# (CASCADE=foreground: `kubectl delete --cascade=foreground`, which waits until the pods are gone too).
# Without it (or with SHELL_CLIENT=curl), the same requests through curl against K8S_SERVER with
# K8S_TOKEN and K8S_CA: one server-side apply PATCH per object, then the Deployment read every
# POLL_SECONDS until its status says the rollout is done (observedGeneration, updated, available
# replicas, as `kubectl rollout status` decides); DELETE of each object.
set -euo pipefail

action=${1:?usage: kubernetes-shell.sh up NAME IMAGE HOST | stop NAME}
name=${2:?name}
ns=${NAMESPACE:-default}
client=${SHELL_CLIENT:-}
if [ -z "$client" ]; then
  if command -v kubectl >/dev/null 2>&1; then client=kubectl; else client=curl; fi
fi

manifests() {
  local image=$1 host=$2
  cat <<EOF
apiVersion: v1
kind: Secret
metadata: {name: ${name}-env, namespace: ${ns}, labels: {app: ${name}}}
type: Opaque
data: {GREETING: aGVsbG8=}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}
spec:
  selector: {app: ${name}}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}
spec:
  rules:
  - host: ${host}
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: ${name}, port: {number: 80}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: app
        image: ${image}
        ports: [{containerPort: 8080}]
        envFrom: [{secretRef: {name: ${name}-env}}]
EOF
}

api() {
  local method=$1 path=$2
  shift 2
  curl -sS --fail-with-body --cacert "$K8S_CA" -H "Authorization: Bearer $K8S_TOKEN" -X "$method" "$K8S_SERVER$path" "$@"
}

# One object of the manifests (0-based), as the body of a server-side apply.
document() {
  manifests "$1" "$2" | awk -v want="$3" 'BEGIN { n = 0 } /^---$/ { n++; next } n == want { print }'
}

if [ "$client" = kubectl ]; then
  case "$action" in
    up)
      manifests "${3:?image}" "${4:?host}" | kubectl apply -f - >/dev/null
      kubectl -n "$ns" rollout status "deployment/$name" --timeout=120s >/dev/null
      ;;
    stop)
      kubectl -n "$ns" delete "deployment/$name" "service/$name" "ingress/$name" "secret/$name-env" --ignore-not-found --cascade="${CASCADE:-background}" >/dev/null
      ;;
  esac
  exit 0
fi

apply="?fieldManager=shell&force=true"
case "$action" in
  up)
    image=${3:?image}
    host=${4:?host}
    paths=("/api/v1/namespaces/$ns/secrets/$name-env" "/api/v1/namespaces/$ns/services/$name" "/apis/networking.k8s.io/v1/namespaces/$ns/ingresses/$name" "/apis/apps/v1/namespaces/$ns/deployments/$name")
    for i in 0 1 2 3; do
      document "$image" "$host" "$i" | api PATCH "${paths[$i]}$apply" -H 'Content-Type: application/apply-patch+yaml' --data-binary @- >/dev/null
    done
    deadline=$((SECONDS + 120))
    until api GET "${paths[3]}" | jq -e '.metadata.generation <= (.status.observedGeneration // 0)
        and (.status.updatedReplicas // 0) >= .spec.replicas and (.status.replicas // 0) <= (.status.updatedReplicas // 0)
        and (.status.availableReplicas // 0) >= (.status.updatedReplicas // 0)' >/dev/null; do
      [ "$SECONDS" -lt "$deadline" ] || { echo "rollout of $name timed out" >&2; exit 1; }
      sleep "${POLL_SECONDS:-1}"
    done
    ;;
  stop)
    for path in "/apis/apps/v1/namespaces/$ns/deployments/$name" "/apis/networking.k8s.io/v1/namespaces/$ns/ingresses/$name" "/api/v1/namespaces/$ns/services/$name" "/api/v1/namespaces/$ns/secrets/$name-env"; do
      code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$K8S_CA" -H "Authorization: Bearer $K8S_TOKEN" -X DELETE "$K8S_SERVER$path")
      case "$code" in 200 | 202 | 404) ;; *) echo "DELETE $path answered $code" >&2; exit 1 ;; esac
    done
    ;;
esac
