#!/usr/bin/env bash
# Runs GitLab CI jobs on this machine with the project's pinned gitlab-ci-local and the shell
# executor (no Docker): the GitLab templates' tests use it, and so can a person.
#
#   cd <a git repository with a .gitlab-ci.yml>
#   bash <preview-kit>/scripts/gitlab-ci-local.sh [job…] [--variable KEY=VALUE…] [--list]
#
# Pinned to 4.73.x: later versions need Node 22. It needs rsync (scripts/install-system-deps.sh).
# What it does not do like GitLab (PROVIDERS.md): no environment:url from the dotenv report, no
# GIT_STRATEGY: none, resource_group or auto_stop_in; workflow:rules never drop a pipeline (only
# their variables are read); a section shows as `<id>_started`, not its header line;
# CI_COMMIT_REF_NAME is the checked-out branch; GITLAB_CI is "false" (pass --variable
# GITLAB_CI=true to get GitLab's log sections).
#
# Other kinds of pipeline are the same checkout with GitLab's variables for them (a --variable
# wins over predefined and job variables, as a CI/CD variable does on GitLab):
#   merge request: --variable CI_PIPELINE_SOURCE=merge_request_event --variable CI_COMMIT_BRANCH=
#                  --variable CI_MERGE_REQUEST_IID=7 --variable CI_MERGE_REQUEST_SOURCE_BRANCH_NAME=…
#   schedule:      --variable CI_PIPELINE_SOURCE=schedule
# `include: component:` and `include: project:` of another project are read from
# .gitlab-ci-local/includes/<host>/<group>/<project>/<ref>/ when the files are there.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$here/../node_modules/.bin/gitlab-ci-local"
[[ -x "$bin" ]] || { echo "gitlab-ci-local.sh: $bin missing (npm ci)" >&2; exit 2; }
command -v rsync >/dev/null 2>&1 || { echo "gitlab-ci-local.sh: rsync is required (bash scripts/install-system-deps.sh)" >&2; exit 2; }

# gitlab-ci-local reads GCL_* variables as its own options: none may leak in from the caller.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -E '^GCL(_|$)' || true)

exec "$bin" --shell-executor-no-image --force-shell-executor "$@"
