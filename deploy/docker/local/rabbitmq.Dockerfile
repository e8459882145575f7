# RabbitMQ from Debian's packages (3.10 in bookworm), for `npm run stack:local` where the official
# rabbitmq image cannot be pulled. Honours what docker-compose.yml uses of the official image:
# RABBITMQ_DEFAULT_USER/RABBITMQ_DEFAULT_PASS, data in /var/lib/rabbitmq keyed by the container's
# hostname, `rabbitmq-diagnostics -q ping` as the health check. No management plugin (nothing
# publishes its port).
ARG DEBIAN_BASE=hellojohn/debian-base:bookworm
FROM ${DEBIAN_BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends rabbitmq-server tini \
 && rm -rf /var/lib/apt/lists/*
COPY rabbitmq-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
LABEL org.opencontainers.image.title="hellojohn-rabbitmq" \
      org.opencontainers.image.description="RabbitMQ 3.10 from Debian bookworm packages"
VOLUME /var/lib/rabbitmq
EXPOSE 5672
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/docker-entrypoint.sh"]
CMD ["rabbitmq-server"]
