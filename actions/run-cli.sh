#!/usr/bin/env bash
# Runs the committed preview-kit bundle for a composite action: run-cli.sh <command>.
#
# The action hands every input over through the step's env (never through ${{ }} in a script,
# so an input cannot inject shell code), as PREVIEW_KIT_IN_<VARIABLE>. Only non-empty inputs are
# exported under their real name: an input left empty (or at its default, which the action.yml
# turns into empty) must not hide the same variable set in the job's env (credentials usually
# are) nor a value from .preview.yml or the settings input.
# The `env` input, one KEY=VALUE per line, is handed over as PREVIEW_ENV (never on the command
# line, where values would show in the process list).
# prune: the live branches and open pull requests are listed first (prune/keep-list.mjs) and
# given as --keep entries, one argument each, so that a branch name is never split.
set -euo pipefail

command="${1:?usage: run-cli.sh <command>}"

while IFS= read -r var; do
  value="${!var}"
  unset "$var"
  if [[ -n "$value" ]]; then export "${var#PREVIEW_KIT_IN_}=$value"; fi
done < <(compgen -e | grep '^PREVIEW_KIT_IN_' || true)

if [[ -n "${PREVIEW_KIT_ENV_LINES:-}" ]]; then export PREVIEW_ENV="$PREVIEW_KIT_ENV_LINES"; fi
unset PREVIEW_KIT_ENV_LINES

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
args=("$command")
if [[ "$command" == prune ]]; then
  # A failure here has printed its own ::error line and exit code; nothing is removed.
  keep="$(node "$here/prune/keep-list.mjs")"
  while IFS= read -r entry; do
    if [[ -n "$entry" ]]; then args+=("--keep=$entry"); fi
  done <<< "$keep"
fi
exec node "$here/../dist/cli/index.js" "${args[@]}"
