# syntax=docker/dockerfile:1
# HelloJohn control plane. Build from the repository root:
#   docker build -f deploy/docker/control-plane.Dockerfile -t hellojohn/control-plane .

# Only the files `npm ci` reads, so editing source code does not invalidate the dependency layer.
FROM node:20-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && cp package-lock.json /manifests/ \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \;

FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false CI=true SCARF_ANALYTICS=false
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
# The app's build target depends on `^build`, so Nx compiles the libs it uses first (tsc -b).
RUN npx nx run @hellojohn/control-plane:build --outputStyle=static
RUN npm prune --omit=dev --no-audit --no-fund
# Stage what runs: every project that was built (the app and the libs it needs), as package.json
# (whose `exports` point at dist/index.js) plus dist. Type declarations and build info stay behind.
RUN mkdir /out \
 && for project in apps/control-plane libs/*; do \
      if [ -d "$project/dist" ]; then \
        cp --parents "$project/package.json" /out/ \
        && cp -a --parents "$project/dist" /out/ \
        && if [ -d "$project/node_modules" ]; then cp -a --parents "$project/node_modules" /out/; fi; \
      fi; \
    done \
 && find /out \( -name '*.tsbuildinfo' -o -name '*.d.ts' -o -name '*.d.ts.map' \) -delete

FROM node:20-bookworm-slim AS runtime
LABEL org.opencontainers.image.title="hellojohn-control-plane" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production HJ_HOST=0.0.0.0 HJ_CP_PORT=8081
WORKDIR /app
# Code stays owned by root (read-only to the service); only /app/data belongs to the node user.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /out/ ./
RUN mkdir -p /app/data && chown 1000:1000 /app/data
# Numeric, so Kubernetes `runAsNonRoot` can verify it (uid 1000 is `node` in the base image).
USER 1000:1000
EXPOSE 8081
# Slim images have no curl; Node 20 has fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HJ_CP_PORT || 8081) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/control-plane/dist/main.js"]
