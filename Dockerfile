# syntax=docker/dockerfile:1
#
# ngxlint in a container:
#   docker build -t ngxlint .
#   docker run --rm -v "$PWD:/work" ngxlint check /work/nginx
#
# Build stage: the official Rust image (Debian bookworm; gcc is there for ring's C parts).
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
# invalid-regex links PCRE2; build it into the binary (the runtime image has no libpcre2).
ENV PCRE2_SYS_STATIC=1
# Cache mounts keep the registry and the target directory between builds (BuildKit); the binary
# is copied out of the cached target directory because cache mounts are not part of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
 && install -D -m 0755 target/release/ngxlint /out/ngxlint

# Runtime stage: glibc, libgcc and CA certificates (for `ngxlint probe` over TLS), nothing else;
# no shell. Runs as the image's unprivileged `nonroot` user (uid 65532).
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/ngxlint /usr/local/bin/ngxlint
USER nonroot:nonroot
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/ngxlint"]
CMD ["check", "."]
