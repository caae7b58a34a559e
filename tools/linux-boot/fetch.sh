#!/usr/bin/env bash
# Fetches what `armemu system -M vexpress-a9` needs to boot Linux, from Debian's archive (never
# committed): the armmp kernel (zImage), the vexpress-v2p-ca9 device tree from the same package,
# and busybox-static; then builds an initramfs whose /init is INIT (default: init-report, which
# prints a few lines and powers off).
#
#   tools/linux-boot/fetch.sh [DIR] [INIT]     DIR defaults to ./linux-boot
#
# Leaves DIR/zImage, DIR/vexpress-v2p-ca9.dtb, DIR/initramfs.cpio.gz, DIR/System.map (from the
# kernel package's symbol table when the -dbg package is not wanted: empty; see README) and
# DIR/kernel-version. Downloads are cached in DIR/debs. BUSYBOX_ARCH=armel uses Debian's armel
# busybox (ARMv5, ARM state) instead of armhf's (Thumb-2).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-linux-boot}
init=$(realpath "${2:-$here/init-report}")
busybox_arch=${BUSYBOX_ARCH:-armhf}
mkdir -p "$dir/debs"
dir=$(cd "$dir" && pwd)

for arch in armhf "$busybox_arch"; do
  if ! dpkg --print-foreign-architectures | grep -x "$arch" >/dev/null; then
    echo "fetch.sh: the Debian $arch architecture is not enabled -- run tools/install-deps.sh (or: dpkg --add-architecture $arch && apt-get update)" >&2
    exit 1
  fi
done
for tool in cpio gzip; do
  command -v "$tool" >/dev/null || { echo "fetch.sh: $tool is missing -- apt-get install $tool" >&2; exit 1; }
done

# The versioned kernel package the linux-image-armmp metapackage points at today.
kpkg=$(apt-cache depends linux-image-armmp:armhf 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-armmp\)\(:armhf\)\?$/\1/p' | head -1)
[ -n "$kpkg" ] || { echo "fetch.sh: no linux-image-*-armmp package in the apt lists -- run apt-get update" >&2; exit 1; }
kver=${kpkg#linux-image-}

cd "$dir/debs"
for pkg in "$kpkg:armhf" "busybox-static:$busybox_arch"; do
  name=${pkg%%:*}; arch=${pkg##*:}
  ls "${name}"_*_"${arch}".deb >/dev/null 2>&1 || apt-get download -q "$pkg" >/dev/null 2>&1 \
    || { echo "fetch.sh: apt-get download $pkg failed" >&2; exit 1; }
done

rm -rf "$dir/x" && mkdir -p "$dir/x"
dpkg-deb -x "$(ls "${kpkg}"_*_armhf.deb | head -1)" "$dir/x/kernel"
dpkg-deb -x "$(ls busybox-static_*_"${busybox_arch}".deb | head -1)" "$dir/x/busybox"
cp "$dir/x/kernel/boot/vmlinuz-$kver" "$dir/zImage"
cp "$dir/x/kernel/usr/lib/linux-image-$kver/vexpress-v2p-ca9.dtb" "$dir/vexpress-v2p-ca9.dtb"
echo "$kver" > "$dir/kernel-version"

# The initramfs: busybox, its applet links made by busybox itself at boot (--install), and /init.
root="$dir/x/root"
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp"
cp "$dir/x/busybox/bin/busybox" "$root/bin/busybox"
cp "$init" "$root/init"
chmod 755 "$root/init"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -9n) > "$dir/initramfs.cpio.gz"
rm -rf "$dir/x"
echo "$dir: zImage ($kver), vexpress-v2p-ca9.dtb, initramfs.cpio.gz (busybox $busybox_arch, init $(basename "$init"))"
