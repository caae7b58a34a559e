#!/usr/bin/env bash
# Runs a bare-metal image on the oracle, QEMU's Versatile Express with a Cortex-A9 (the
# legacy memory map, RAM at 0x60000000): UART0 and the semihosting console both on stdout
# (one multiplexed stdio character device), semihosting files relative to the working
# directory, exit status = the guest's SYS_EXIT / SYS_EXIT_EXTENDED status.
# Usage: run-qemu.sh IMAGE.elf
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: run-qemu.sh IMAGE.elf" >&2; exit 2; }
command -v qemu-system-arm >/dev/null || { echo "qemu-system-arm not found: install the Debian package qemu-system-arm" >&2; exit 127; }
export QEMU_AUDIO_DRV=none
exec qemu-system-arm -M vexpress-a9 -cpu cortex-a9 -m 128M -nographic -monitor none \
  -chardev stdio,id=console,mux=on -serial chardev:console \
  -semihosting-config enable=on,target=native,chardev=console \
  -kernel "$1"
