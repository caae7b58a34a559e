#!/usr/bin/env bash
# Measures armemu against qemu-arm on the same static armel binaries, side by
# side in one run: both engines (interpreter, translator), with the cache model
# and without it, and qemu-arm. Times are user + system CPU seconds of whole
# runs (start-up included), which a loaded machine disturbs less than wall
# time; the ratios are to qemu-arm's. Prints a Markdown table and the geometric
# means of the ratios. Usage: tools/bench-engines-vs-qemu.sh (ARMv5TE builds; tools/bench-vs-qemu.sh compares the v5/v7/Thumb-2 builds)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
dotnet build -c Release emulator/armemu -v quiet -nologo >/dev/null
armemu=emulator/armemu/bin/Release/net10.0/armemu
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cpu() { # out-file command... -> prints user+system CPU seconds
  local file=$1; shift
  /usr/bin/time -f "%U %S" -o "$out/time" "$@" > "$file"
  awk '{ printf "%.2f", $1 + $2 }' "$out/time"
}

run() { # name argument
  local name=$1 arg=$2
  arm-linux-gnueabi-gcc -O2 -static -Iguest-tests/bench -o "$out/$name" "guest-tests/bench/$name.c"
  local q=$(cpu "$out/$name.qemu" qemu-arm "$out/$name" "$arg")
  local times=() engine cache
  for engine in interpreter translator; do
    for cache in off on; do
      if [ "$cache" = on ]; then flag=(); else flag=(--no-cache); fi
      times+=("$(cpu "$out/$name.$engine.$cache" "$armemu" run --engine "$engine" "${flag[@]}" --stats-json "$out/$name.json" "$out/$name" "$arg")")
      cmp -s "$out/$name.$engine.$cache" "$out/$name.qemu" || { echo "$name ($engine, cache model $cache): output differs from qemu-arm's" >&2; exit 1; }
    done
  done
  python3 - "$name" "$arg" "$out/$name.json" "$q" "${times[@]}" >> "$out/rows" <<'PY'
import json, sys
name, arg, stats, q = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3])), float(sys.argv[4])
i_off, i_on, t_off, t_on = map(float, sys.argv[5:9])
r = lambda t: t / max(q, 0.01)
print(f"| {name} {arg} | {stats['instructions']/1e6:.0f} M | {i_off:.2f} s | {t_off:.2f} s | {i_on:.2f} s | {t_on:.2f} s | {q:.2f} s "
      f"| {r(i_off):.1f}x | {r(t_off):.1f}x | {r(i_on):.1f}x | {r(t_on):.1f}x |")
PY
}

# Arguments chosen so that qemu-arm runs each kernel for about a second (2026-12-07), so that
# start-up (armemu's 0.2-0.3 s) does not decide the ratios.
run integer 800000
run sort 1600000
run strings 800000
run sha256 21000
run matmul 1900
run chase 60000
run softfloat 420

echo "| program | guest instructions | interpreter, \`--no-cache\` | translator, \`--no-cache\` | interpreter, cache model | translator, cache model | qemu-arm | interpreter vs qemu-arm, \`--no-cache\` | translator vs qemu-arm, \`--no-cache\` | interpreter vs qemu-arm, cache model | translator vs qemu-arm, cache model |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
cat "$out/rows"
python3 - "$out/rows" <<'PY'
import math, sys
rows = [l.split('|') for l in open(sys.argv[1])]
cols = [[float(r[c].strip().rstrip('x')) for r in rows] for c in (8, 9, 10, 11)]
g = [math.exp(sum(map(math.log, c)) / len(c)) for c in cols]
print(f"| geometric mean | | | | | | | {g[0]:.1f}x | {g[1]:.1f}x | {g[2]:.1f}x | {g[3]:.1f}x |")
PY
