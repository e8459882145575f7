# Redis from Debian's packages (7.0 in bookworm), for `npm run stack:local` where the official
# redis image cannot be pulled. Like the official image: data in /data, runs as `redis`, and
# protected mode off (the container network is the boundary; nothing publishes its port).
ARG DEBIAN_BASE=hellojohn/debian-base:bookworm
FROM ${DEBIAN_BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server tini \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir /data && chown redis:redis /data
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
LABEL org.opencontainers.image.title="hellojohn-redis" \
      org.opencontainers.image.description="Redis 7.0 from Debian bookworm packages"
VOLUME /data
WORKDIR /data
EXPOSE 6379
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/docker-entrypoint.sh"]
CMD ["redis-server"]
