#!/usr/bin/env bash
# The binary to distribute built with profile-guided optimisation (PGO), for x86_64 Linux with
# glibc linked in (static-pie, as `cargo dist` builds it). About 5 minutes on two cores with
# --no-default-features, 7 with the default features.
#
# Usage: benches/pgo.sh [CARGO BUILD ARGS]     e.g. benches/pgo.sh --no-default-features
#   LLVM_PROFDATA  the llvm-profdata to merge the profiles with (default: the one of rustup's
#                  `llvm-tools` component, else the newest `llvm-profdata-N` on PATH, else
#                  `llvm-profdata`). Its LLVM must read the raw profiles of rustc's LLVM
#                  (`rustc -vV`): Debian 12's llvm-19 reads those of rustc 1.95 (LLVM 22); its
#                  default llvm-profdata (LLVM 14) does not.
#
# Three steps: an instrumented build, a training run, and the build that uses its profile. The
# training run is this repository's own inputs only, so that the binary does not depend on
# what else the machine holds: every fixture and every committed real-world configuration
# (tests/realworld), checked in each report format and fixed as a diff, then large
# configurations assembled from those real-world files, repeated (about 1 and 5 MB, so that
# the paths of large configurations, rules on threads and by parts, are trained too). Never the
# generated configuration benches/compare.sh measures.
#
# The binary is target/pgo/use/x86_64-unknown-linux-gnu/dist/ngxlint (Cargo.toml's `dist`
# profile, link-time optimisation, as `cargo dist`). Outputs are the same as any other build's:
# PGO changes how the code is laid out and inlined, not what it does.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=x86_64-unknown-linux-gnu
WORK=$PWD/target/pgo

profdata() {
    if [ -n "${LLVM_PROFDATA:-}" ]; then
        echo "$LLVM_PROFDATA"
        return
    fi
    local tools
    tools="$(rustc --print sysroot)/lib/rustlib/$TARGET/bin/llvm-profdata"
    if [ -x "$tools" ]; then
        echo "$tools"
        return
    fi
    local newest
    newest=$(compgen -c llvm-profdata- | sort -t- -k3 -n | tail -1)
    echo "${newest:-llvm-profdata}"
}
PROFDATA=$(profdata)
command -v "$PROFDATA" >/dev/null || {
    echo "pgo.sh: no llvm-profdata found (rustup component add llvm-tools, or set LLVM_PROFDATA)" >&2
    exit 2
}

# build DIR FLAGS...: the `dist` binary into target/pgo/DIR with these code-generation flags.
build() {
    local dir=$1
    shift
    # RUSTFLAGS replaces `target.*.rustflags`: crt-static is repeated here. With `--target`,
    # build scripts and proc macros are built without these flags (and are not profiled).
    RUSTFLAGS="-C target-feature=+crt-static $*" cargo build --profile dist --target "$TARGET" \
        --target-dir "$WORK/$dir" "${CARGO_ARGS[@]}"
}
CARGO_ARGS=("$@")

rm -rf "$WORK/profiles" "$WORK/train"
mkdir -p "$WORK/profiles" "$WORK/train"
build gen -C profile-generate="$WORK/profiles"
GEN=$WORK/gen/$TARGET/dist/ngxlint

# The committed real-world configurations that parse, as the body of an `http` block (server
# fragments in a `server`, location fragments in a `location`).
BODY=$WORK/train/body.conf
: >"$BODY"
# SOURCES.tsv's columns by their names: context, file, committed.
while IFS=$'\t' read -r context file; do
    path=tests/realworld/$file
    case $context in
    http | server | location) ;;
    *) continue ;;
    esac
    # A fragment with syntax errors (a template) would leave the whole file unchecked.
    "$GEN" check --quiet --select syntax-error --context "$context" "$path" >/dev/null 2>&1 ||
        continue
    case $context in
    http) cat "$path" ;;
    server) printf 'server {\n' && cat "$path" && printf '\n}\n' ;;
    location) printf 'server {\nlocation / {\n' && cat "$path" && printf '\n}\n}\n' ;;
    esac >>"$BODY"
    printf '\n' >>"$BODY"
done < <(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["committed"] == "yes" { print $col["context"] "\t" $col["file"] }' \
    tests/realworld/SOURCES.tsv)
ONE=$(wc -c <"$BODY")
if [ "$ONE" -lt 10000 ]; then
    echo "pgo.sh: too little of tests/realworld to train on ($ONE bytes)" >&2
    exit 2
fi

# repeat BYTES FILE: a configuration of that body repeated to BYTES.
repeat() {
    {
        printf 'events { worker_connections 1024; }\nhttp {\n'
        local size=0
        while [ "$size" -lt "$1" ]; do
            cat "$BODY"
            size=$((size + ONE))
        done
        printf '}\n'
    } >"$2"
}
repeat 1000000 "$WORK/train/large-1.conf"
repeat 5000000 "$WORK/train/large-5.conf"
# With a syntax error the rules would not run, and the training would skip most of the code.
"$GEN" check --quiet --select syntax-error "$WORK/train/large-1.conf" || {
    echo "pgo.sh: the assembled training configuration has syntax errors" >&2
    exit 2
}

# Findings exit 1: expected here.
run() { "$GEN" "$@" >/dev/null 2>&1 || true; }
for format in concise text json sarif github; do
    run check --format "$format" fixtures tests/realworld
    run check --format "$format" "$WORK/train/large-1.conf"
done
run check --format concise "$WORK/train/large-5.conf"
run check --format json "$WORK/train/large-5.conf"
run fix --diff fixtures tests/realworld
run fix --diff "$WORK/train/large-1.conf"
run parse "$WORK/train/large-1.conf"

rm -f "$WORK"/merged-*.profdata
if ! "$PROFDATA" merge -o "$WORK/merged.profdata" "$WORK/profiles"; then
    llvm=$(rustc -vV | sed -n 's/^LLVM version: //p')
    echo "pgo.sh: $PROFDATA cannot read the profiles of rustc's LLVM $llvm;" \
        "set LLVM_PROFDATA to one that can (rustup component add llvm-tools)" >&2
    exit 2
fi
# Named by its contents: cargo sees the flags change with the profile and builds everything
# again with it (the file's contents alone are not part of what cargo compares).
PROFILE=$WORK/merged-$(sha256sum "$WORK/merged.profdata" | cut -c1-16).profdata
mv "$WORK/merged.profdata" "$PROFILE"
# The profile sorts functions into hot, unlikely and the rest (section name prefixes); the
# linker (LLD) keeps each group together only when asked: otherwise the hot code of a run lies
# scattered over 6.6 MB of text. Grouped: 1.9 MB hot. 1 MB after an `nginx -t` 10.12 -> 10.01
# ms (medians of 60 alternating runs), exec to exit 0.0902-0.0966x of `nginx -t` against
# 0.0917-0.0955x (perf stat, six series).
build use -C profile-use="$PROFILE" -C llvm-args=-pgo-warn-missing-function=false \
    -C link-arg=-Wl,-z,keep-text-section-prefix
echo "$WORK/use/$TARGET/dist/ngxlint"
