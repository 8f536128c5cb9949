# The tierbench image for sharded runs on Kubernetes (`tierbench export k8s-job`, docs/distributed.md).
# Build: docker build -t registry.example/tierbench:1.0 .
# Not built in CI (the CI machine has no Docker engine); the manifest that uses it is golden-file tested.

# --- build: Swift 6 toolchain with libcurl's development files
FROM swift:6.1-bookworm AS build
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libcurl4-openssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift Package.resolved* ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product tierbench --static-swift-stdlib \
    && cp "$(swift build -c release --show-bin-path)/tierbench" /usr/local/bin/tierbench

# --- runtime: Debian slim with libcurl; the Swift runtime is linked in statically
FROM debian:bookworm-slim
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libcurl4 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/tierbench /usr/local/bin/tierbench
COPY scenarios /usr/share/tierbench/scenarios
# The merge Job's init container uses sh, ls and wc from this image to wait for the shards.
# Runs as root by default so it can write to any results volume; set runAsUser in the pod spec if your
# volume is writable by another user.
WORKDIR /tmp
ENTRYPOINT ["tierbench"]
CMD ["--help"]
