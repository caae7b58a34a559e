#!/usr/bin/env bash
# Measures armemu against qemu-arm on the same static armel binaries, side by
# side in one run: armemu's own MIPS (--stats-json) and the wall-time ratio.
# Prints a Markdown table. Usage: tools/bench-vs-qemu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
dotnet build -c Release emulator/armemu -v quiet -nologo >/dev/null
armemu=emulator/armemu/bin/Release/net10.0/armemu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() { # name args...
  local name=$1; shift
  arm-linux-gnueabi-gcc -O2 -static -o "$out/$name" "guest-tests/bench/$name.c"
  local s0 s1 q0 q1
  s0=$(date +%s.%N); "$armemu" run --stats-json "$out/$name.json" "$out/$name" "$@" > "$out/$name.armemu"; s1=$(date +%s.%N)
  q0=$(date +%s.%N); qemu-arm "$out/$name" "$@" > "$out/$name.qemu"; q1=$(date +%s.%N)
  cmp -s "$out/$name.armemu" "$out/$name.qemu" || { echo "$name: outputs differ" >&2; exit 1; }
  python3 - "$name" "$out/$name.json" "$s0" "$s1" "$q0" "$q1" <<'PY'
import json, sys
name, stats, s0, s1, q0, q1 = sys.argv[1], json.load(open(sys.argv[2])), *map(float, sys.argv[3:])
armemu, qemu = s1 - s0, q1 - q0
print(f"| {name} | {stats['instructions']/1e6:.0f} M | {stats['mips']:.0f} | {armemu:.2f} s | {qemu:.2f} s | {armemu/qemu:.1f}x |")
PY
}

echo "| program | guest instructions | armemu MIPS | armemu wall | qemu-arm wall | armemu / qemu-arm |"
echo "| --- | --- | --- | --- | --- | --- |"
run integer 2000
run sort 200000
run strings 100000
