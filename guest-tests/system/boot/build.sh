#!/usr/bin/env bash
# Builds the boot-protocol probe (bootinfo.c) for both boards, as a raw image (what
# qemu-system-arm boots as a Linux kernel: loaded at RAM + 0x10000) and as an ELF at the same
# address, and compiles test.dts with dtc. Usage: build.sh OUTPUT_DIR
# Gives OUTPUT_DIR/bootinfo-{versatilepb,vexpress-a9}.{bin,elf} and OUTPUT_DIR/test.dtb.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUTPUT_DIR}
command -v arm-none-eabi-gcc >/dev/null || { echo "arm-none-eabi-gcc not found: install the Debian package gcc-arm-none-eabi" >&2; exit 1; }
command -v dtc >/dev/null || { echo "dtc not found: install the Debian package device-tree-compiler" >&2; exit 1; }
mkdir -p "$out"
build() { # board cpu ram-base uart0
  arm-none-eabi-gcc -mcpu="$2" -marm -O2 -Wall -Wextra -ffreestanding -nostdlib -fno-builtin \
    -DRAM_BASE="$3" -DUART0_BASE="$4" -Wl,--defsym=LOAD_ADDRESS="$(printf '0x%x' $(($3 + 0x10000)))" -Wl,--build-id=none \
    -T "$src/link.ld" -o "$out/bootinfo-$1.elf" "$src/start.S" "$src/bootinfo.c"
  arm-none-eabi-objcopy -O binary "$out/bootinfo-$1.elf" "$out/bootinfo-$1.bin"
}
build versatilepb arm926ej-s 0x00000000 0x101f1000
build vexpress-a9 cortex-a9 0x60000000 0x10009000
dtc -I dts -O dtb -o "$out/test.dtb" "$src/test.dts"
