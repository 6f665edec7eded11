# syntax=docker/dockerfile:1
# Signalbox control plane: REST admin API on 8080, OTLP/HTTP on 4318.
# Build from the repository root (the npm workspace and its one lockfile live there):
#   docker build -f deploy/docker/server.Dockerfile -t signalbox/server:0.1.0 .
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# Tools for native addons: better-sqlite3 compiles when no prebuilt binary matches.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Every workspace's package.json: npm ci checks the whole lockfile against them.
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY agents/node/package.json agents/node/
COPY demo-services/package.json demo-services/
COPY web/package.json web/

# Compiles TypeScript to server/dist with the dev dependencies (typescript sits at the root).
FROM toolchain AS build
RUN npm ci --workspace server --include-workspace-root --no-audit --no-fund
COPY tsconfig.base.json ./
COPY server/tsconfig.build.json server/
COPY server/src server/src
RUN npm run build --workspace server

# Production dependencies only, compiled for this base image.
FROM toolchain AS prod-deps
RUN npm ci --workspace server --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    SIGNALBOX_HOST=0.0.0.0 \
    SIGNALBOX_API_PORT=8080 \
    SIGNALBOX_OTLP_PORT=4318 \
    SIGNALBOX_STORE=sqlite:/data/signalbox.db
WORKDIR /app
COPY --from=prod-deps /app/node_modules node_modules
COPY server/package.json server/
COPY server/bin server/bin
COPY --from=build /app/server/dist server/dist
COPY deploy/docker/healthcheck.mjs ./
# The SQLite store lives here (a PersistentVolumeClaim in Kubernetes); owned by the runtime user.
RUN mkdir -p /data && chown 1000:1000 /data
VOLUME ["/data"]
# uid 1000 is the image's `node` user; numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 8080 4318
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/healthcheck.mjs", "http://127.0.0.1:${SIGNALBOX_API_PORT:-8080}/livez"]
# The server's node options (server/src/node-options.ts; the manifests give them too).
ENV NODE_OPTIONS="--max-semi-space-size=32"
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/server/bin/signalbox-server.mjs"]
