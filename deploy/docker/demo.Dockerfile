# syntax=docker/dockerfile:1
# Signalbox demo fleet: one image for gateway, users, orders, payments, inventory and
# notifications; DEMO_SERVICE picks the service (ports 7000-7005, see demo-launcher.mjs).
# Build from the repository root:
#   docker build -f deploy/docker/demo.Dockerfile -t signalbox/demo:0.1.0 .
#   docker run -e DEMO_SERVICE=payments signalbox/demo:0.1.0
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

# The demo services and the agent they import (@signalbox/agent exports TypeScript sources)
# bundle into one ES module; npm packages stay external and come from prod-deps below.
FROM toolchain AS build
RUN npm ci --workspace agents/node --workspace demo-services --include-workspace-root --no-audit --no-fund
COPY tsconfig.base.json ./
COPY agents/node/ agents/node/
COPY demo-services/ demo-services/
COPY deploy/docker/bundle.mjs deploy/docker/
RUN node deploy/docker/bundle.mjs demo-services/src/main.ts demo-services/dist agents/node demo-services

FROM toolchain AS prod-deps
RUN npm ci --workspace agents/node --workspace demo-services --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# HOST: the demo services listen on loopback unless told otherwise. DEMO_DATA_DIR: their SQLite
# files, on the volume below.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DEMO_DATA_DIR=/data
WORKDIR /app
COPY --from=prod-deps /app/node_modules node_modules
# "type": "module" for the bundle.
COPY demo-services/package.json demo-services/
COPY --from=build /app/demo-services/dist demo-services/dist
COPY deploy/docker/healthcheck.mjs deploy/docker/demo-launcher.mjs ./
# The services' SQLite files: a volume, so the root filesystem can stay read-only.
RUN mkdir -p /data && chown 1000:1000 /data
VOLUME ["/data"]
# uid 1000 is the image's `node` user; numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 7000 7001 7002 7003 7004 7005
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "/app/demo-launcher.mjs", "--healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/demo-launcher.mjs"]
