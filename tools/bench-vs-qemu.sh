#!/usr/bin/env bash
# Measures armemu against qemu-arm on the same static armel binaries, side by
# side in one run: armemu's own MIPS (--stats-json), with the cache model and
# without it, and the wall-time ratio to qemu-arm (both include start-up).
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
  arm-linux-gnueabi-gcc -O2 -static -Iguest-tests/bench -o "$out/$name" "guest-tests/bench/$name.c"
  local c0 c1 n0 n1 q0 q1
  c0=$(date +%s.%N); "$armemu" run --stats-json "$out/$name.cache.json" "$out/$name" "$@" > "$out/$name.cache"; c1=$(date +%s.%N)
  n0=$(date +%s.%N); "$armemu" run --no-cache --stats-json "$out/$name.json" "$out/$name" "$@" > "$out/$name.armemu"; n1=$(date +%s.%N)
  q0=$(date +%s.%N); qemu-arm "$out/$name" "$@" > "$out/$name.qemu"; q1=$(date +%s.%N)
  cmp -s "$out/$name.armemu" "$out/$name.qemu" && cmp -s "$out/$name.cache" "$out/$name.qemu" || { echo "$name: outputs differ" >&2; exit 1; }
  python3 - "$name" "$out/$name.json" "$out/$name.cache.json" "$n0" "$n1" "$c0" "$c1" "$q0" "$q1" <<'PY'
import json, sys
name, plain, cached = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
n0, n1, c0, c1, q0, q1 = map(float, sys.argv[4:])
print(f"| {name} | {plain['instructions']/1e6:.0f} M | {plain['mips']:.0f} | {cached['mips']:.0f} | {n1-n0:.2f} s | {c1-c0:.2f} s | {q1-q0:.2f} s | {(n1-n0)/(q1-q0):.1f}x | {(c1-c0)/(q1-q0):.1f}x |")
PY
}

echo "| program | guest instructions | MIPS, --no-cache | MIPS, cache model | armemu --no-cache | armemu, cache model | qemu-arm | time ratio, --no-cache | time ratio, cache model |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
run integer 40000
run sort 400000
run strings 400000
