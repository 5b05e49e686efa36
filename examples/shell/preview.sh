#!/bin/sh
# One preview per branch from any CI, or from a git server's post-receive hook: `up` when a branch
# is pushed, `stop` when it is deleted. Plain POSIX sh; the CI hands it two values:
#
#   preview.sh BRANCH COMMIT
#
#   BRANCH  the branch that was pushed ($CIRCLE_BRANCH, $BUILDKITE_BRANCH, $BRANCH_NAME…)
#   COMMIT  the commit the branch now points at, or all zeros when the branch was deleted (git's
#           "no commit", which push hooks and the push events of most forges carry)
#
# Run it from a checkout of COMMIT, or from the bare repository itself in a hook: preview-kit reads
# the commit with git either way. Everything else is preview-kit's usual settings, from the
# environment or the checkout's .preview.yml: PREVIEW_PROVIDER, PREVIEW_APP, PREVIEW_DOMAIN and the
# provider's credentials (CLEVER_TOKEN and CLEVER_SECRET, DOCKER_HOST, KUBECONFIG, RACK_URL…), the
# secrets from the CI's secret store or the hook's environment, never from this file.
#
# The command is $PREVIEW_KIT when set (e.g. "node /opt/preview-kit/dist/cli/index.js"), else
# preview-kit on PATH (npm install --global preview-kit, or the image), else the pinned package
# through npx.
#
# As hooks/post-receive of a bare repository (executable); the pusher sees the log:
#
#   #!/bin/sh
#   export PREVIEW_PROVIDER=clever-cloud PREVIEW_APP=shop PREVIEW_DOMAIN='{name}.preview.example.com'
#   . /etc/preview-kit/clever.env        # CLEVER_TOKEN, CLEVER_SECRET, CLEVER_ORG (mode 600)
#   while read -r old new ref; do
#     case $ref in
#       refs/heads/*) /opt/preview-kit/preview.sh "${ref#refs/heads/}" "$new" || echo "preview of ${ref#refs/heads/} failed" ;;
#     esac
#   done
set -eu

usage='usage: preview.sh BRANCH COMMIT (all zeros for a deleted branch)'
branch=${1:?$usage}
commit=${2:?$usage}

if [ -n "${PREVIEW_KIT:-}" ]; then
  kit=$PREVIEW_KIT
elif command -v preview-kit >/dev/null 2>&1; then
  kit=preview-kit
else
  kit='npx --yes preview-kit@0.1.0'
fi

# $kit is split into words on purpose: it may be a command with arguments.
case $commit in
  *[!0]*)
    # Pushed: create the preview if it is missing, deploy the commit unless it is already live.
    exec $kit up --branch "$branch" --commit "$commit" ;;
  *)
    # Deleted: remove the preview and everything it made; one already gone is not an error.
    exec $kit stop --branch "$branch" ;;
esac
