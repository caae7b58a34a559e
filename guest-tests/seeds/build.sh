#!/usr/bin/env bash
# Builds the seed scenarios (guest programs for the Versatile PB / ARM926EJ-S)
# into ELF images OUTPUT_DIR/SCENARIO.elf, with Debian's gcc-arm-none-eabi and
# the bare-metal runtime of guest-tests/system/common (start.S, runtime.c,
# mmu.h). A scenario is a program NAME.c here, or one variant of it,
# NAME.VARIANT, listed in NAME.variants and built with -DVARIANT_<VARIANT>
# (upper case): lcd_dma.flush is lcd_dma.c with -DVARIANT_FLUSH.
# Usage: build.sh OUTPUT_DIR [SCENARIO...]   (default: every scenario)
#        build.sh --list                     (the scenario names, one a line)
# The test suite hashes this script with the sources, so changing a flag here
# rebuilds everything.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
system=$(cd "$src/../system/common" && pwd)

scenarios() {
  for c in "$src"/*.c; do
    name=$(basename "$c" .c)
    if [ -f "$src/$name.variants" ]; then
      grep -v '^[[:space:]]*\(#\|$\)' "$src/$name.variants" | sed "s/^/$name./"
    else
      echo "$name"
    fi
  done
}

if [ "${1:-}" = --list ]; then scenarios; exit 0; fi
out=${1:?usage: build.sh OUTPUT_DIR [SCENARIO...] | build.sh --list}
shift
command -v arm-none-eabi-gcc >/dev/null || { echo "arm-none-eabi-gcc not found: install the Debian package gcc-arm-none-eabi" >&2; exit 1; }
mkdir -p "$out"
if [ $# -eq 0 ]; then set -- $(scenarios); fi
flags=(-mcpu=arm926ej-s -marm -O2 -Wall -Wextra -Wno-unused-function -ffreestanding -nostdlib
       -ffile-prefix-map="$src"=. -ffile-prefix-map="$system"=../system/common
       -I"$src/common" -I"$system" -T "$src/common/link.ld")
for scenario in "$@"; do
  name=${scenario%%.*}
  defines=()
  if [ "$scenario" != "$name" ]; then
    variant=${scenario#*.}
    grep -qx "$variant" "$src/$name.variants" 2>/dev/null || { echo "no variant $variant of $name (see $name.variants)" >&2; exit 1; }
    defines=(-DVARIANT_$(echo "$variant" | tr '[:lower:]' '[:upper:]')=1)
  fi
  [ -f "$src/$name.c" ] || { echo "no scenario $name in $src" >&2; exit 1; }
  arm-none-eabi-gcc "${flags[@]}" "${defines[@]}" -o "$out/$scenario.elf" \
    "$system/start.S" "$system/runtime.c" "$src/common/linux_arm926.S" "$src/$name.c" -lgcc
done
