#!/usr/bin/env bash
# Measures armemu against qemu-arm on the same static armel binaries, side by
# side in one run: armemu's own MIPS (--stats-json), with the cache model and
# without it, and the wall-time ratio to qemu-arm (both include start-up).
# Each program is built three ways: ARMv5TE (run on the ARM926: qemu-arm -cpu
# arm926), ARMv7-A in ARM state and ARMv7-A Thumb-2 (both on the Cortex-A9,
# which armemu picks from the ELF and qemu-arm is told with -cpu cortex-a9).
# Prints a Markdown table. Usage: tools/bench-vs-qemu.sh [v5|v7-arm|v7-thumb ...]
# The interpreter's figures unless ARMEMU_ENGINE names the translator (the default engine;
# tools/bench-engines-vs-qemu.sh measures both).
set -euo pipefail
cd "$(dirname "$0")/.."
export ARMEMU_ENGINE=${ARMEMU_ENGINE:-interpreter}
bash tools/install-deps.sh
dotnet build -c Release emulator/armemu -v quiet -nologo >/dev/null
armemu=emulator/armemu/bin/Release/net10.0/armemu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() { # build name args...
  local build=$1 name=$2; shift 2
  local flags cpu
  case $build in
    v5) flags="-march=armv5te"; cpu=arm926 ;;
    v7-arm) flags="-march=armv7-a -marm"; cpu=cortex-a9 ;;
    v7-thumb) flags="-march=armv7-a -mthumb"; cpu=cortex-a9 ;;
  esac
  local bin="$out/$name-$build"
  arm-linux-gnueabi-gcc -O2 -static $flags -Iguest-tests/bench -o "$bin" "guest-tests/bench/$name.c"
  local c0 c1 n0 n1 q0 q1
  c0=$(date +%s.%N); "$armemu" run --stats-json "$bin.cache.json" "$bin" "$@" > "$bin.cache"; c1=$(date +%s.%N)
  n0=$(date +%s.%N); "$armemu" run --no-cache --stats-json "$bin.json" "$bin" "$@" > "$bin.armemu"; n1=$(date +%s.%N)
  q0=$(date +%s.%N); qemu-arm -cpu $cpu "$bin" "$@" > "$bin.qemu"; q1=$(date +%s.%N)
  cmp -s "$bin.armemu" "$bin.qemu" && cmp -s "$bin.cache" "$bin.qemu" || { echo "$name ($build): outputs differ" >&2; exit 1; }
  python3 - "$name" "$build" "$bin.json" "$bin.cache.json" "$n0" "$n1" "$c0" "$c1" "$q0" "$q1" <<'PY'
import json, sys
name, build, plain, cached = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3])), json.load(open(sys.argv[4]))
n0, n1, c0, c1, q0, q1 = map(float, sys.argv[5:])
print(f"| {name} | {build} | {plain['instructions']/1e6:.0f} M | {plain['mips']:.0f} | {cached['mips']:.0f} | {n1-n0:.2f} s | {c1-c0:.2f} s | {q1-q0:.2f} s | {(n1-n0)/(q1-q0):.1f}x | {(c1-c0)/(q1-q0):.1f}x |")
PY
}

builds=("$@")
[ ${#builds[@]} -gt 0 ] || builds=(v5 v7-arm v7-thumb)
echo "| program | build | guest instructions | MIPS, --no-cache | MIPS, cache model | armemu --no-cache | armemu, cache model | qemu-arm | time ratio, --no-cache | time ratio, cache model |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for build in "${builds[@]}"; do
  run "$build" integer 40000
  run "$build" sort 400000
  run "$build" strings 400000
done
