# portinfo: the HTTP service in a small non-root image, with the IANA registry seeded at build time.
#
#   docker build -t portinfo .                     # seeds from IANA's CSV on the network
#   docker build -t portinfo --build-arg IANA_CSV=path/in/context/service-names-port-numbers.csv .
#   docker run --rm -p 8080:8080 --read-only --cap-drop ALL portinfo
#
# Build arguments:
#   IANA_CSV       the registry CSV: a URL (default: IANA's) or a file in the build context
#   VERSION        org.opencontainers.image.version (keep in step with `portinfo --version`)
#   REGISTRY_DATE  io.portinfo.registry-date: the newest IANA date in that CSV. Labels are static, so
#                  pass it; the seed stage writes it to /var/lib/portinfo/registry-date, so
#                    docker build --target seed -t portinfo-seed . &&
#                    docker run --rm portinfo-seed cat /var/lib/portinfo/registry-date
#                  gives it (scripts/container-test.sh does this). The running service also reports
#                  it as newest_iana_date at GET /registry.
#   SOURCE_URL, REVISION   org.opencontainers.image.source and .revision
ARG IANA_CSV=https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.csv

# ---- build: release binary with the Swift runtime and Foundation linked in statically ----
FROM swift:6.3-bookworm AS builder
RUN if ! dpkg -s libsqlite3-dev pkg-config >/dev/null 2>&1; then \
        apt-get update \
        && apt-get install -y --no-install-recommends libsqlite3-dev pkg-config \
        && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /src
# Dependencies first, in their own layer, so that a source change does not fetch them again.
COPY Package.* ./
RUN swift package resolve
COPY . .
RUN swift build -c release --static-swift-stdlib --product portinfo \
    && install -D -m 0755 .build/release/portinfo /out/portinfo \
    && strip /out/portinfo \
    && /out/portinfo --version

# ---- seed: the registry database, built from IANA's CSV ----
FROM builder AS seed
ARG IANA_CSV
ADD ${IANA_CSV} /tmp/service-names-port-numbers.csv
RUN mkdir -p /var/lib/portinfo \
    && /out/portinfo seed --csv /tmp/service-names-port-numbers.csv --db /var/lib/portinfo/registry.db \
        > /var/lib/portinfo/seed.txt \
    && cat /var/lib/portinfo/seed.txt \
    && sed -n 's/.*newest IANA date \([0-9][0-9-]*\).*/\1/p' /var/lib/portinfo/seed.txt > /var/lib/portinfo/registry-date \
    && test -s /var/lib/portinfo/registry-date \
    && chmod 0755 /var/lib/portinfo && chmod 0444 /var/lib/portinfo/registry.db \
    && /out/portinfo lookup 600 --db /var/lib/portinfo/registry.db

# ---- runtime: Debian slim, libsqlite3, the binary and the database; nothing to compile with ----
FROM debian:bookworm-slim
# ldd of the binary: libsqlite3.so.0 beside libc, libm, libstdc++ and libgcc_s (already in the base).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
    && groupadd --gid 10001 portinfo \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin portinfo
# Owned by root and read-only to the service user: it opens the database read-only and writes nothing,
# so the container runs with --read-only --cap-drop ALL.
COPY --from=builder /out/portinfo /usr/local/bin/portinfo
COPY --from=seed /var/lib/portinfo/registry.db /var/lib/portinfo/registry.db
ENV PORTINFO_DB=/var/lib/portinfo/registry.db
USER 10001:10001
EXPOSE 8080
STOPSIGNAL SIGTERM
# `portinfo healthcheck` asks GET /healthz on 127.0.0.1 ($PORTINFO_PORT, default 8080); no curl here.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 CMD ["portinfo", "healthcheck"]
ENTRYPOINT ["portinfo"]
CMD ["serve"]

ARG VERSION=0.2.0
ARG REGISTRY_DATE=unknown
ARG SOURCE_URL=https://portinfo.invalid/source
ARG REVISION=unknown
LABEL org.opencontainers.image.title="portinfo" \
      org.opencontainers.image.description="IANA service names and port numbers over HTTP/JSON (registry as of ${REGISTRY_DATE})" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.revision="${REVISION}" \
      io.portinfo.registry-date="${REGISTRY_DATE}"
