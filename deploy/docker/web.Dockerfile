# syntax=docker/dockerfile:1
# Signalbox dashboard: Next.js standalone output on port 3000. It talks to the control plane's
# REST API at SIGNALBOX_API_URL (in Kubernetes: http://signalbox-server:8080).
# Build from the repository root:
#   docker build -f deploy/docker/web.Dockerfile -t signalbox/web:0.1.0 .
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# Every workspace's package.json: npm ci checks the whole lockfile against them.
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY agents/node/package.json agents/node/
COPY demo-services/package.json demo-services/
COPY web/package.json web/
RUN npm ci --workspace web --include-workspace-root --no-audit --no-fund
COPY tsconfig.base.json ./
COPY web/ web/
# `output: 'standalone'` in web/next.config makes next build trace the files server.js needs
# (production dependencies only) into web/.next/standalone, laid out from the workspace root.
# public/ is optional in a Next.js app; create it so the runtime COPY below always has a source.
RUN mkdir -p web/public && npm run build --workspace web

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    SIGNALBOX_API_URL=http://signalbox-server:8080
WORKDIR /app
COPY --from=build /app/web/.next/standalone ./
COPY --from=build /app/web/.next/static web/.next/static
COPY --from=build /app/web/public web/public
COPY deploy/docker/healthcheck.mjs ./
# uid 1000 is the image's `node` user; numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "/app/healthcheck.mjs", "http://127.0.0.1:${PORT:-3000}/healthz"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/web/server.js"]
