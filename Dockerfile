# syntax=docker/dockerfile:1
# The Launchpad controller image: Node.js, the compiled CLI, the CRD files, git, and helm + kustomize at the versions
# the tests use. Build from the repository root: docker build -t ghcr.io/launchpad-gitops/launchpad:<version> .

# helm and kustomize, built from the Go module proxy by the same script (same pins, same flags) that builds them for
# development and tests, so the image renders exactly as `npm test` does.
FROM golang:1.26-bookworm AS tools
COPY scripts/install-tools.sh /src/install-tools.sh
RUN LAUNCHPAD_TOOLS_DIR=/tools bash /src/install-tools.sh > /tools.txt \
 && mkdir /out \
 && while IFS='=' read -r name path; do cp "$path" "/out/$name"; done < /tools.txt \
 && /out/helm version --short && /out/kustomize version

# The TypeScript, compiled here so that the image never depends on a local dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY scripts/build-ui.mjs ./scripts/build-ui.mjs
COPY ui ./ui
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
# git for git sources (ca-certificates for https, openssh-client for git@host:org/repo sources); nothing recommended.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates openssh-client \
 && rm -rf /var/lib/apt/lists/*
# A numeric non-root user, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
RUN groupadd --gid 10001 launchpad \
 && useradd --uid 10001 --gid 10001 --home-dir /home/launchpad --create-home --shell /usr/sbin/nologin launchpad \
 && mkdir -p /home/launchpad/.cache && chown -R 10001:10001 /home/launchpad
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/ui ./dist/ui
COPY bin ./bin
COPY deploy ./deploy
COPY --from=tools /out/helm /out/kustomize /out/jsonnet /out/jsonnet-deps /usr/local/bin/
# The root filesystem is read-only in the cluster: everything that writes (Launchpad's cache, helm's cache, config and
# data, git) writes under $HOME/.cache or /tmp, which the Deployment mounts as emptyDirs.
ENV NODE_ENV=production \
    HOME=/home/launchpad \
    HELM_CACHE_HOME=/home/launchpad/.cache/helm \
    HELM_CONFIG_HOME=/home/launchpad/.cache/helm-config \
    HELM_DATA_HOME=/home/launchpad/.cache/helm-data \
    LAUNCHPAD_HELM=/usr/local/bin/helm \
    LAUNCHPAD_KUSTOMIZE=/usr/local/bin/kustomize
USER 10001:10001
ENTRYPOINT ["node", "/app/bin/launchpad.js"]
CMD ["controller"]
