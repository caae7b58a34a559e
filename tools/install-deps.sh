#!/usr/bin/env bash
# Installs the Debian packages ArmEmu's build and tests need: the GNU ARM
# toolchains that assemble and compile guest programs (Linux armel and armhf,
# and bare metal),
# Unicorn (the differential oracle), QEMU user mode (the whole-program oracle),
# QEMU's Versatile PB (the bare-metal oracle), valgrind (callgrind_annotate),
# make (the drop-in test runs armemu-arm as $(QEMU) in a Makefile),
# gdb-multiarch (the GDB stub's tests) and device-tree-compiler (dtc: the -dtb tests).
# It also enables Debian's armel and armhf architectures, from which the tests download
# busybox-static and the armmp Linux kernel at test time (apt-get download, no install;
# cpio packs the kernel's initramfs: tools/linux-boot/fetch.sh).
# As root it installs what is missing; otherwise it names the packages and stops.
set -euo pipefail

for arch in armel armhf; do
  if ! dpkg --print-foreign-architectures | grep -x "$arch" >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "the Debian $arch architecture is not enabled -- enable it with: sudo dpkg --add-architecture $arch && sudo apt-get update" >&2
      exit 1
    fi
    echo "enabling the $arch architecture" >&2
    dpkg --add-architecture "$arch"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
  fi
done

packages=(binutils-arm-none-eabi gcc-arm-none-eabi gcc-arm-linux-gnueabi g++-arm-linux-gnueabi gcc-arm-linux-gnueabihf g++-arm-linux-gnueabihf libunicorn2 qemu-user qemu-system-arm valgrind make gdb-multiarch device-tree-compiler cpio)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "install ok installed" >/dev/null || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]} -- install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
