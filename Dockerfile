# portinfo: the HTTP service in a small non-root image, with the IANA registry seeded at build time:
# by default the snapshot built into the binary, so the build needs no network.
#
#   docker build -t portinfo .                     # the built-in snapshot (iana/), offline
#   docker build -t portinfo --build-arg IANA_CSV=https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.csv .
#   docker build -t portinfo --build-arg IANA_CSV=path/in/context/service-names-port-numbers.csv .
#   docker run --rm -p 8080:8080 --read-only --cap-drop ALL portinfo
#
# Build arguments:
#   IANA_CSV       another registry CSV than the built-in snapshot: an http(s):// URL, fetched with
#                  curl in the seed stage (IANA's latest from the URL above), or a path relative to
#                  the build context (which .dockerignore must let in). Only the seed stage uses it:
#                  the binary's build is reused from the cache.
#   VERSION        org.opencontainers.image.version (keep in step with `portinfo --version`)
#   REGISTRY_DATE  io.portinfo.registry-date: the newest IANA date in the registry seeded. Labels are
#                  static, so pass it; the seed stage writes it to /var/lib/portinfo/registry-date, so
#                    docker build --target seed -t portinfo-seed . &&
#                    docker run --rm portinfo-seed cat /var/lib/portinfo/registry-date
#                  gives it (scripts/container-test.sh does this). The running service also reports
#                  it as newest_iana_date at GET /registry.
#   SOURCE_URL, REVISION   org.opencontainers.image.source and .revision

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

# ---- seed: the registry database, from the built-in snapshot or IANA_CSV ----
FROM builder AS seed
ARG IANA_CSV=
RUN set -eu; mkdir -p /var/lib/portinfo; \
    case "$IANA_CSV" in \
        "") set -- ;; \
        http://*|https://*) \
            if ! command -v curl >/dev/null; then \
                apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
                && rm -rf /var/lib/apt/lists/*; \
            fi; \
            curl -fsSL --retry 3 -o /tmp/service-names-port-numbers.csv "$IANA_CSV"; \
            set -- --csv /tmp/service-names-port-numbers.csv --source "$IANA_CSV" ;; \
        *) \
            if [ ! -f "/src/$IANA_CSV" ]; then \
                echo "IANA_CSV=$IANA_CSV: no such file in the build context (left out by .dockerignore?)" >&2; exit 1; \
            fi; \
            set -- --csv "/src/$IANA_CSV" ;; \
    esac; \
    /out/portinfo seed "$@" --db /var/lib/portinfo/registry.db > /var/lib/portinfo/seed.txt; \
    rm -f /tmp/service-names-port-numbers.csv; \
    cat /var/lib/portinfo/seed.txt; \
    sed -n 's/.*newest IANA date \([0-9][0-9-]*\).*/\1/p' /var/lib/portinfo/seed.txt > /var/lib/portinfo/registry-date; \
    test -s /var/lib/portinfo/registry-date; \
    chmod 0755 /var/lib/portinfo && chmod 0444 /var/lib/portinfo/registry.db; \
    /out/portinfo lookup 600 --db /var/lib/portinfo/registry.db

# ---- runtime: Debian slim, libsqlite3, the binary and the database; nothing to compile with, no curl ----
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

ARG VERSION=0.3.0
ARG REGISTRY_DATE=unknown
ARG SOURCE_URL=https://portinfo.invalid/source
ARG REVISION=unknown
LABEL org.opencontainers.image.title="portinfo" \
      org.opencontainers.image.description="IANA service names and port numbers over HTTP/JSON (registry as of ${REGISTRY_DATE})" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.revision="${REVISION}" \
      io.portinfo.registry-date="${REGISTRY_DATE}"
