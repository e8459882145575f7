# HelloJohn MCP server (streamable HTTP at /mcp). Build from the repository root:
#   docker build -f deploy/docker/mcp-server.Dockerfile -t hellojohn/mcp-server .
# BASE_IMAGE is any Debian 12 image with Node 20 in /usr/local/bin and a user of uid 1000: the
# official slim image by default; `npm run stack:local` passes hellojohn/node-base:20, made from
# Debian's packages and the npm registry (scripts/stack-images.sh, docs/deployment.md).
# Plain Dockerfile syntax (no `# syntax=` line, no BuildKit-only flags): it builds with BuildKit
# and with the classic builder alike, and with no image registry reachable.
ARG BASE_IMAGE=node:20-bookworm-slim

# Only the files `npm ci` reads, so editing source code does not invalidate the dependency layer.
FROM ${BASE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && cp package-lock.json /manifests/ \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \;

FROM ${BASE_IMAGE} AS build
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false CI=true SCARF_ANALYTICS=false
COPY --from=manifests /manifests/ ./
# The check: npm can exit 0 after a failed install ("Exit handler never called!").
RUN npm ci --no-audit --no-fund \
 && test -x node_modules/.bin/nx
COPY . .
# The app's build target depends on `^build`, so Nx compiles the libs it uses first (tsc -b).
# The installed nx, never `npx` (which would fetch a package when it is missing).
RUN node_modules/.bin/nx run @hellojohn/mcp-server:build --outputStyle=static
RUN npm prune --omit=dev --no-audit --no-fund
# Stage what runs: every project that was built (the app and the libs it needs), as package.json
# (whose `exports` point at dist/index.js) plus dist. Type declarations and build info stay behind.
RUN mkdir /out \
 && for project in apps/mcp-server libs/*; do \
      if [ -d "$project/dist" ]; then \
        cp --parents "$project/package.json" /out/ \
        && cp -a --parents "$project/dist" /out/ \
        && if [ -d "$project/node_modules" ]; then cp -a --parents "$project/node_modules" /out/; fi; \
      fi; \
    done \
 && find /out \( -name '*.tsbuildinfo' -o -name '*.d.ts' -o -name '*.d.ts.map' \) -delete

FROM ${BASE_IMAGE} AS runtime
# tini as PID 1: forwards SIGTERM to node (which drains and exits) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG BASE_IMAGE
LABEL org.opencontainers.image.title="hellojohn-mcp-server" \
      org.opencontainers.image.description="HelloJohn MCP server over the control- and data-plane APIs" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="https://github.com/hellojohn/hellojohn" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="${BASE_IMAGE}"
ENV NODE_ENV=production
WORKDIR /app
# Code stays owned by root; the server writes nothing (it keeps no state), so a read-only root
# file system needs no volume.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /out/ ./
# Numeric, so Kubernetes `runAsNonRoot` can verify it (uid 1000 is `node` in the base image).
USER 1000:1000
EXPOSE 8090
# Slim images have no curl; Node 20 has fetch.
HEALTHCHECK --interval=15s --timeout=15s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8090/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# Streamable HTTP on every interface of the container (the CLI's default is 127.0.0.1); the
# bearer on each request is a CP admin token or API key. HJ_CP_URL and HJ_PUBLIC_URL name the planes.
CMD ["node", "apps/mcp-server/dist/main.js", "--http", "--host", "0.0.0.0", "--port", "8090"]
