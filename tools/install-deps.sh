#!/usr/bin/env bash
# Installs the Debian packages ArmEmu's build and tests need: the GNU ARM
# toolchain that assembles and compiles guest programs, Unicorn (the
# differential oracle) and QEMU user mode (the whole-program oracle).
# As root it installs what is missing; otherwise it names the packages and stops.
set -euo pipefail

packages=(binutils-arm-none-eabi gcc-arm-linux-gnueabi g++-arm-linux-gnueabi libunicorn2 qemu-user valgrind)  # valgrind: callgrind_annotate reads --profile files
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
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
