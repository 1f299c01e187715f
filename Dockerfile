# portinfo: the HTTP service in a non-root image FROM scratch, with the IANA registry seeded at build
# time: by default the snapshot built into the binary, so the build needs no network. The image holds
# the binary, exactly the shared libraries it links (resolved by ldd at build time), passwd and group
# entries for uid 10001 and the database: no shell, no package manager, nothing else.
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
# Link flags that keep the image small (measured on the stripped binary and what it needs beside it):
# - libstdc++ and libgcc linked in statically: the Swift runtime uses 70 KB of libstdc++, whose shared
#   library is 2.2 MB (libgcc_s 0.1 MB). The Swift runtime's link arguments ask for -lstdc++; a
#   folder holding only libstdc++.a, searched first, makes that the static one.
# - lld with packed relative relocations (DT_RELR, glibc 2.36): 41,000 relocations of 24 bytes
#   become 8 KB, 1 MB less.
# - no dynamic symbol table for the executable's own symbols (the Swift runtime's link arguments
#   export them; nothing here looks them up): 0.3 MB.
RUN mkdir /tmp/static-libstdc++ \
    && ln -s "$(clang -print-file-name=libstdc++.a)" /tmp/static-libstdc++/libstdc++.a \
    && swift build -c release --static-swift-stdlib --product portinfo \
        -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs \
        -Xlinker -L/tmp/static-libstdc++ -Xswiftc -Xclang-linker -Xswiftc -static-libgcc \
        -Xlinker --no-export-dynamic \
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

# ---- rootfs: the image's files but the database, laid out as the final stage gets them ----
FROM builder AS rootfs
# The loader and every library ldd resolves, each at the path ldd names (a copy of the file, not
# the symlink); then that loader must find every library in that root alone. (Not the binary
# itself: without a /proc, which no build step has, the Swift runtime does not see its arguments.)
RUN set -eu; R=/rootfs; \
    install -D -m 0755 /out/portinfo "$R/usr/local/bin/portinfo"; \
    loader=$(ldd /out/portinfo | awk '$1 ~ /^\// { print $1 }'); \
    for lib in $(ldd /out/portinfo | awk '$2 == "=>" { print $3 }') "$loader"; do \
        [ -f "$lib" ] || { ldd /out/portinfo >&2; echo "ldd: a library of /out/portinfo is not found" >&2; exit 1; }; \
        mkdir -p "$R$(dirname "$lib")"; cp -L "$lib" "$R$lib"; \
    done; \
    mkdir -p "$R/etc" "$R/var/lib/portinfo"; \
    echo 'portinfo:x:10001:10001:portinfo:/nonexistent:/sbin/nologin' > "$R/etc/passwd"; \
    echo 'portinfo:x:10001:' > "$R/etc/group"; \
    chmod 0644 "$R/etc/passwd" "$R/etc/group"; chmod 0755 "$R/var/lib/portinfo"; \
    find "$R" -type f -printf '%10s %p\n'; \
    chroot "$R" "$loader" --list /usr/local/bin/portinfo

# ---- runtime: the files above and the database; nothing to compile with, no shell, no curl ----
FROM scratch
# Owned by root and read-only to the service user: it opens the database read-only and writes nothing,
# so the container runs with --read-only --cap-drop ALL. Host users' names come from /etc/passwd,
# which lists only portinfo: other uids show as numbers unless the host's is mounted over it.
COPY --from=rootfs /rootfs/ /
COPY --from=seed /var/lib/portinfo/registry.db /var/lib/portinfo/registry.db
ENV PATH=/usr/local/bin PORTINFO_DB=/var/lib/portinfo/registry.db
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
