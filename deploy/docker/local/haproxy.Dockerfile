# HAProxy from Debian's packages (2.6 in bookworm), for `npm run stack:local` where the official
# haproxy image cannot be pulled. docker-compose.yml mounts the configuration at the official
# image's path and names the command, so both images run it the same way.
ARG DEBIAN_BASE=hellojohn/debian-base:bookworm
FROM ${DEBIAN_BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends haproxy tini \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /usr/local/etc/haproxy
LABEL org.opencontainers.image.title="hellojohn-haproxy" \
      org.opencontainers.image.description="HAProxy 2.6 from Debian bookworm packages"
USER haproxy
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
