#!/usr/bin/env bash
# Builds the bare-metal test programs (programs/NAME.c or NAME.S) into ELF
# images OUTPUT_DIR/NAME.elf for the Versatile PB / ARM926EJ-S, with Debian's
# gcc-arm-none-eabi. Usage: build.sh OUTPUT_DIR [NAME...] (default: all).
# The test suite hashes this script with the sources, so changing a flag here
# rebuilds everything.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTPUT_DIR [NAME...]}
shift
command -v arm-none-eabi-gcc >/dev/null || { echo "arm-none-eabi-gcc not found: install the Debian package gcc-arm-none-eabi" >&2; exit 1; }
mkdir -p "$out"
if [ $# -eq 0 ]; then
  set -- $(cd "$src/programs" && ls *.c *.S 2>/dev/null | sed 's/\.[cS]$//' | sort -u)
fi
flags=(-mcpu=arm926ej-s -marm -O2 -g -Wall -Wextra -ffreestanding -nostdlib -ffile-prefix-map="$src"=. -I"$src/common" -T "$src/common/link.ld")
for name in "$@"; do
  if [ -f "$src/programs/$name.c" ]; then program="$src/programs/$name.c"
  elif [ -f "$src/programs/$name.S" ]; then program="$src/programs/$name.S"
  else echo "no program $name in $src/programs" >&2; exit 1
  fi
  arm-none-eabi-gcc "${flags[@]}" -o "$out/$name.elf" "$src/common/start.S" "$src/common/runtime.c" "$program" -lgcc
done
