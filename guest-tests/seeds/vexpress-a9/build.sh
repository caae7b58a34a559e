#!/usr/bin/env bash
# Builds the vexpress-a9 seed scenarios (NAME.c, one ELF per variant listed in NAME.variants)
# into OUTPUT_DIR/NAME.VARIANT.elf, with the vexpress-a9 start-up code and the bare-metal
# runtime. Usage: build.sh OUTPUT_DIR [NAME.VARIANT...] (default: every variant).
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
system=$(cd "$src/../../system" && pwd)
out=${1:?usage: build.sh OUTPUT_DIR [NAME.VARIANT...]}
shift
command -v arm-none-eabi-gcc >/dev/null || { echo "arm-none-eabi-gcc not found: install the Debian package gcc-arm-none-eabi" >&2; exit 1; }
mkdir -p "$out"
if [ $# -eq 0 ]; then
  for v in "$src"/*.variants; do
    name=$(basename "$v" .variants)
    for variant in $(grep -v '^#' "$v"); do set -- "$@" "$name.$variant"; done
  done
fi
flags=(-march=armv5te -mtune=cortex-a9 -marm -mfloat-abi=soft -O2 -Wall -Wextra -ffreestanding -nostdlib
       -ffile-prefix-map="$src"=. -ffile-prefix-map="$system"=../../system
       -I"$system/common" -T "$system/vexpress-a9/common/link.ld")
for scenario in "$@"; do
  name=${scenario%%.*}
  variant=${scenario#*.}
  grep -qx "$variant" "$src/$name.variants" 2>/dev/null || { echo "no variant $variant of $name (see $name.variants)" >&2; exit 1; }
  arm-none-eabi-gcc "${flags[@]}" -DVARIANT_$(echo "$variant" | tr '[:lower:]' '[:upper:]')=1 -o "$out/$scenario.elf" \
    "$system/vexpress-a9/common/start.S" "$system/common/runtime.c" "$src/$name.c" -lgcc
done
