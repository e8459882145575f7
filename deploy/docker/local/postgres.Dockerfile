# PostgreSQL from Debian's packages (15 in bookworm), for `npm run stack:local` where the official
# postgres:16 image cannot be pulled. It honours the official image's contract that
# docker-compose.yml relies on: POSTGRES_USER/POSTGRES_PASSWORD/POSTGRES_DB, PGDATA in
# /var/lib/postgresql/data, *.sh/*.sql in /docker-entrypoint-initdb.d run once on an empty volume.
ARG DEBIAN_BASE=hellojohn/debian-base:bookworm
FROM ${DEBIAN_BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 tini \
 && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN mkdir -p /docker-entrypoint-initdb.d /var/run/postgresql "$PGDATA" \
 && chown postgres:postgres /var/run/postgresql "$PGDATA"
LABEL org.opencontainers.image.title="hellojohn-postgres" \
      org.opencontainers.image.description="PostgreSQL 15 from Debian bookworm packages"
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
