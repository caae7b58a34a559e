#!/usr/bin/env bash
# Thumb-2 against ARM per guest instruction (issue 9's speed item): the seven bench kernels built
# twice, -march=armv7-a -marm (ARM) and -march=armv7-a -mthumb (Thumb-2), the same architecture
# and compiler with only the instruction set changed (ARM_MARCH=armv5te builds the ARM side for
# the ARM926 instead, as this tool did before 2026-12-08; GCC then expands integer's multiply by
# a constant into five adds, so the builds' instructions do different work), each run with
# --no-cache, the two builds alternating, three rounds of three runs each: argument 1, half the
# argument and the argument. Two figures per build, ns per instruction:
#   start-up subtracted: the minimum over the rounds of (CPU seconds of the full run - those of
#     the run with argument 1) / (its instructions - that run's), so the build with fewer
#     instructions is not charged its start-up per instruction;
#   marginal: (the full runs' minimum CPU seconds - the half runs' minimum) / (the full run's
#     instructions - the half run's): the cost of the instructions the second half adds, with
#     start-up and warm-up (the .NET JIT tiering armemu's own code up, the translation of the
#     kernel's blocks) subtracted as well -- the steady-state speed of the guest code.
#   --stats: the minimum over the rounds of the full run's own figure, the seconds armemu's
#     --stats reports for the run (its MIPS), per instruction: the emulating thread's wall time
#     from the program's start to its exit, without armemu's start-up and without the CPU the
#     .NET runtime spends beside it on other threads (tiering armemu's own methods up, which a
#     Thumb-2 program, using more of armemu's code, makes more of).
# Prints a Markdown table: the three figures and ARM's over Thumb-2's (100% = Thumb-2 as fast per
# instruction as ARM). CPU seconds are user + system.
#   tools/thumb-vs-arm.sh [translator|interpreter] [KERNEL...]
# The translator runs the arguments of tools/bench-engines-vs-qemu.sh, the interpreter a quarter
# of them (matmul, whose work grows as its cube, the cube root of a quarter; its half likewise).
# ARMEMU=PATH measures that armemu executable instead of the Release build of the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-translator}
case $engine in translator|interpreter) ;; *) echo "usage: $0 [translator|interpreter] [KERNEL...]" >&2; exit 2 ;; esac
shift $(( $# > 0 ? 1 : 0 ))
bash tools/install-deps.sh
if [ -n "${ARMEMU:-}" ]; then
  armemu=$(realpath "$ARMEMU")
else
  dotnet build -c Release emulator/armemu -v quiet -nologo >/dev/null
  armemu=$PWD/emulator/armemu/bin/Release/net10.0/armemu
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(integer sort strings sha256 matmul chase softfloat)
for k in "${kernels[@]}"; do
  [ -f "guest-tests/bench/$k.c" ] || { echo "$0: no kernel guest-tests/bench/$k.c" >&2; exit 2; }
  arm-linux-gnueabi-gcc -O2 -static -march="${ARM_MARCH:-armv7-a}" -marm -Iguest-tests/bench -o "$out/$k.arm" "guest-tests/bench/$k.c"
  arm-linux-gnueabi-gcc -O2 -static -march=armv7-a -mthumb -Iguest-tests/bench -o "$out/$k.thumb" "guest-tests/bench/$k.c"
done
python3 - "$armemu" "$engine" "$out" "${kernels[@]}" <<'PY'
import json, os, resource, subprocess, sys
armemu, engine, out, kernels = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
# the arguments of tools/bench-engines-vs-qemu.sh
arguments = {'integer': 800000, 'sort': 1600000, 'strings': 800000, 'sha256': 21000, 'matmul': 1900, 'chase': 60000, 'softfloat': 420}
stats = os.path.join(out, 'stats.json')

def run(program, argument):
    """CPU seconds (user + system), guest instructions and the run's --stats seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([armemu, 'run', '--engine', engine, '--no-cache', '--stats-json', stats, program, str(argument)],
                   stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = json.load(open(stats))
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, figures['instructions'], figures['seconds']

print(f"| kernel ({engine}) | argument | ARM ns/instruction, start-up subtracted | Thumb-2 | Thumb-2 speed, ARM = 100% "
      f"| ARM, marginal | Thumb-2 | Thumb-2 speed | ARM, --stats | Thumb-2 | Thumb-2 speed |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for kernel in kernels:
    argument = arguments[kernel]
    scale = lambda fraction: max(1, round(argument * fraction ** (1 / 3))) if kernel == 'matmul' else max(1, round(argument * fraction))
    if engine == 'interpreter': argument = scale(1 / 4)
    half = scale(1 / 2)
    startup = {'arm': float('inf'), 'thumb': float('inf')}
    best = {(build, arg): (float('inf'), 0) for build in startup for arg in (half, argument)}
    own = dict(startup)
    for _ in range(3):
        for build in startup:
            program = os.path.join(out, f'{kernel}.{build}')
            seconds1, instructions1, _ = run(program, 1)
            for arg in (half, argument):
                seconds, instructions, run_seconds = run(program, arg)
                best[build, arg] = min(best[build, arg], (seconds, instructions))
                if arg == argument:
                    startup[build] = min(startup[build], (seconds - seconds1) / (instructions - instructions1) * 1e9)
                    own[build] = min(own[build], run_seconds / instructions * 1e9)
    marginal = {build: (best[build, argument][0] - best[build, half][0]) / (best[build, argument][1] - best[build, half][1]) * 1e9
                for build in startup}
    print(f"| {kernel} | {argument} | {startup['arm']:.3f} | {startup['thumb']:.3f} | {startup['arm'] / startup['thumb'] * 100:.0f}% "
          f"| {marginal['arm']:.3f} | {marginal['thumb']:.3f} | {marginal['arm'] / marginal['thumb'] * 100:.0f}% "
          f"| {own['arm']:.3f} | {own['thumb']:.3f} | {own['arm'] / own['thumb'] * 100:.0f}% |", flush=True)
PY
