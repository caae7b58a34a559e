#!/usr/bin/env bash
# Rebuilds the bundled example binaries from their sources with Debian's armel
# cross compiler (gcc-arm-linux-gnueabi). The test suite runs this into a
# temporary directory and checks the result is byte-identical to the committed
# binaries. Usage: build.sh [OUTPUT_DIR]
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-$src}
mkdir -p "$out"
command -v arm-linux-gnueabi-gcc >/dev/null || { echo "arm-linux-gnueabi-gcc not found: install the Debian package gcc-arm-linux-gnueabi" >&2; exit 1; }
# -ffile-prefix-map keeps the build directory out of the binary.
arm-linux-gnueabi-gcc -O2 -static -ffile-prefix-map="$src"=. -o "$out/jit-hello" "$src/jit-hello.c"
