#!/usr/bin/env bash
# Builds the vexpress-a9 bare-metal test programs (programs/NAME.c or NAME.S) into ELF
# images OUTPUT_DIR/NAME.elf for QEMU's -M vexpress-a9 -cpu cortex-a9, with Debian's
# gcc-arm-none-eabi. The C code is compiled for ARMv5TE in ARM state (instructions every
# ArmEmu core has); assembly may use the ARMv7 CP15 registers by number.
# armemu-only/NAME.c are built the same way (programs whose output depends on armemu's cache
# model, with no QEMU run to compare: the default list leaves them out).
# Usage: build.sh OUTPUT_DIR [NAME...] (default: all of programs/). The test suite hashes this script
# with the sources, so changing a flag here rebuilds everything.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
common=$(cd "$src/../common" && pwd)
out=${1:?usage: build.sh OUTPUT_DIR [NAME...]}
shift
command -v arm-none-eabi-gcc >/dev/null || { echo "arm-none-eabi-gcc not found: install the Debian package gcc-arm-none-eabi" >&2; exit 1; }
mkdir -p "$out"
if [ $# -eq 0 ]; then
  set -- $(cd "$src/programs" && ls *.c *.S 2>/dev/null | sed 's/\.[cS]$//' | sort -u)
fi
flags=(-march=armv5te -mtune=cortex-a9 -marm -mfloat-abi=soft -O2 -g -Wall -Wextra -ffreestanding -nostdlib
       -ffile-prefix-map="$src"=. -ffile-prefix-map="$common"=../common
       -I"$src/common" -I"$common" -T "$src/common/link.ld")
for name in "$@"; do
  if [ -f "$src/programs/$name.c" ]; then program="$src/programs/$name.c"
  elif [ -f "$src/programs/$name.S" ]; then program="$src/programs/$name.S"
  elif [ -f "$src/armemu-only/$name.c" ]; then program="$src/armemu-only/$name.c"
  else echo "no program $name in $src/programs" >&2; exit 1
  fi
  arm-none-eabi-gcc "${flags[@]}" -o "$out/$name.elf" "$src/common/start.S" "$common/runtime.c" "$program" -lgcc
done
