# The preview-kit command in a small image, for CI jobs that run in containers and for teams that
# mirror images rather than install packages:
#
#   docker build -t registry.example.com/tools/preview-kit:0.1.0 .
#   docker run --rm -v "$PWD:/work" -w /work -e CLEVER_TOKEN -e CLEVER_SECRET \
#     registry.example.com/tools/preview-kit:0.1.0 up --provider clever-cloud
#
# Built from the committed bundle (dist/cli), so the build installs no npm package. The only
# downloads are the base image and, when the base lacks them, git and an ssh client from the
# base's own package repository. NODE_IMAGE may name any maintained Node LTS image, Alpine or
# Debian slim, e.g. your mirror of it; one that already has git and ssh needs no network at all.
ARG NODE_IMAGE=node:24-alpine
FROM ${NODE_IMAGE}

# git: deploys read, push (Clever Cloud) and archive (Docker, Convox) commits; ssh: DOCKER_HOST=ssh://.
# A job's checkout usually belongs to another user than this image's, and git refuses to read a
# repository it does not own unless told to trust it.
RUN set -eu; \
    missing=""; \
    command -v git >/dev/null 2>&1 || missing="git"; \
    command -v ssh >/dev/null 2>&1 || missing="$missing openssh-client"; \
    if [ -n "$missing" ]; then \
      if command -v apk >/dev/null 2>&1; then \
        apk add --no-cache $missing; \
      else \
        apt-get update; \
        apt-get install -y --no-install-recommends $missing ca-certificates; \
        rm -rf /var/lib/apt/lists/*; \
      fi; \
    fi; \
    git config --system --add safe.directory '*'; \
    id node >/dev/null 2>&1 || adduser -D node 2>/dev/null || useradd --create-home node

COPY LICENSE /opt/preview-kit/LICENSE
COPY dist/cli/ /opt/preview-kit/dist/cli/
RUN chmod 0755 /opt/preview-kit/dist/cli/index.js \
 && ln -s /opt/preview-kit/dist/cli/index.js /usr/local/bin/preview-kit \
 && preview-kit --version

LABEL org.opencontainers.image.title="preview-kit" \
      org.opencontainers.image.description="Per-branch preview environments on Clever Cloud, a Docker host behind Caddy, Kubernetes and Convox" \
      org.opencontainers.image.licenses="MIT"

USER node
ENTRYPOINT ["preview-kit"]
CMD ["--help"]
