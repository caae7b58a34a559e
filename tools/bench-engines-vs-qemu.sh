#!/usr/bin/env bash
# Measures armemu against qemu-arm on the same static armel binaries, side by
# side in one run: both engines (interpreter, translator), with the cache model
# and without it, and qemu-arm. Times are user + system CPU seconds of whole
# runs (start-up included), which a loaded machine disturbs less than wall
# time; the ratios are to qemu-arm's. Prints a Markdown table and the geometric
# means of the ratios. Usage: tools/bench-engines-vs-qemu.sh [v5|v7-thumb|v5-thumb] [no-cache]
# (ARMv5TE ARM builds by default; v7-thumb: -march=armv7-a -mthumb on the Cortex-A9, which
# armemu picks from the ELF and qemu-arm is told with -cpu cortex-a9; v5-thumb: 16-bit Thumb on
# the ARM926. "no-cache" leaves out the cache-model runs, their columns "-".)
# ARMEMU=PATH measures that armemu executable instead of the Release build of the tree, e.g. the
# form users install (bash tools/publish-self-contained.sh /tmp/sc; ARMEMU=/tmp/sc/armemu ...):
# its ReadyToRun code spares the JIT armemu's cold and warm-up methods, 5-12% of these runs.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-v5}
caches=(off on)
[ "${2:-}" = no-cache ] && caches=(off)
case $build in
  v5) flags="-march=armv5te"; qcpu= ;;
  v5-thumb) flags="-march=armv5te -mthumb"; qcpu= ;;
  v7-thumb) flags="-march=armv7-a -mthumb"; qcpu=cortex-a9 ;;
  *) echo "usage: $0 [v5|v7-thumb|v5-thumb] [no-cache]" >&2; exit 2 ;;
esac
bash tools/install-deps.sh
if [ -n "${ARMEMU:-}" ]; then
  armemu=$(realpath "$ARMEMU")
else
  dotnet build -c Release emulator/armemu -v quiet -nologo >/dev/null
  armemu=emulator/armemu/bin/Release/net10.0/armemu
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cpu() { # out-file command... -> prints user+system CPU seconds
  local file=$1; shift
  /usr/bin/time -f "%U %S" -o "$out/time" "$@" > "$file"
  awk '{ printf "%.2f", $1 + $2 }' "$out/time"
}

run() { # name argument
  local name=$1 arg=$2
  arm-linux-gnueabi-gcc -O2 -static $flags -Iguest-tests/bench -o "$out/$name" "guest-tests/bench/$name.c"
  local q=$(cpu "$out/$name.qemu" qemu-arm ${qcpu:+-cpu $qcpu} "$out/$name" "$arg")
  local times=() engine cache
  for engine in interpreter translator; do
    for cache in off on; do
      if [[ ! " ${caches[*]} " =~ " $cache " ]]; then times+=(-); continue; fi
      if [ "$cache" = on ]; then flag=(); else flag=(--no-cache); fi
      times+=("$(cpu "$out/$name.$engine.$cache" "$armemu" run --engine "$engine" "${flag[@]}" --stats-json "$out/$name.json" "$out/$name" "$arg")")
      cmp -s "$out/$name.$engine.$cache" "$out/$name.qemu" || { echo "$name ($engine, cache model $cache): output differs from qemu-arm's" >&2; exit 1; }
    done
  done
  python3 - "$name" "$arg" "$out/$name.json" "$q" "${times[@]}" >> "$out/rows" <<'PY'
import json, sys
name, arg, stats, q = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3])), float(sys.argv[4])
i_off, i_on, t_off, t_on = (None if a == '-' else float(a) for a in sys.argv[5:9])
r = lambda t: '-' if t is None else f"{t / max(q, 0.01):.1f}x"
s = lambda t: '-' if t is None else f"{t:.2f} s"
print(f"| {name} {arg} | {stats['instructions']/1e6:.0f} M | {s(i_off)} | {s(t_off)} | {s(i_on)} | {s(t_on)} | {q:.2f} s "
      f"| {r(i_off)} | {r(t_off)} | {r(i_on)} | {r(t_on)} |")
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
cols = [[r[c].strip() for r in rows] for c in (8, 9, 10, 11)]
g = ['-' if '-' in c else f"{math.exp(sum(math.log(float(v.rstrip('x'))) for v in c) / len(c)):.1f}x" for c in cols]
print(f"| geometric mean | | | | | | | {g[0]} | {g[1]} | {g[2]} | {g[3]} |")
PY
