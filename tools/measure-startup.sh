#!/usr/bin/env bash
# Start-up of armemu against qemu-arm: a static armel "hello" run N times by each, one after the
# other in turn (so load changes hit both alike); per form the median and best wall time, the
# median CPU time (user + system, all threads) per run, and the ratios of the medians to
# qemu-arm's. Medians, because on a loaded machine a few runs wait for a CPU far longer than the
# rest. Prints a Markdown table.
#   tools/measure-startup.sh                      # the forms users run: the .NET tool (tools/install-tool.sh,
#                                                 # into a temporary tool path) and the self-contained
#                                                 # executable (tools/publish-self-contained.sh); minutes
#   tools/measure-startup.sh [--runs N] [--floor] [LABEL=]ARMEMU... # the given armemu executables (e.g. a build's)
#   --floor: also a trivial C# program that writes "hello", published as the self-contained
#            executable is (ReadyToRun composite with the runtime, single file): the .NET floor
#            under any start-up armemu can reach (minutes more to build).
# Exit status 1 if a form prints something other than qemu-arm does.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=20 floor=
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --floor) floor=1; shift ;;
    *) break ;;
  esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

forms=("$@")
if [ ${#forms[@]} -eq 0 ]; then
  bash tools/install-tool.sh --tool-path "$work/tool" >&2
  bash tools/publish-self-contained.sh "$work/self-contained" >&2
  forms=("armemu, .NET tool=$work/tool/armemu" "armemu, self-contained=$work/self-contained/armemu")
fi
if [ -n "$floor" ]; then
  # The same publish options as tools/publish-self-contained.sh (its instruction set, the
  # trimmer keeping the descriptors crossgen2 roots the runtime's own methods by, the
  # framework trimmed), for a program that does nothing.
  mkdir -p "$work/floor"
  printf '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n' > "$work/floor/floor.csproj"
  # It writes as armemu writes (a stream on the descriptor, PrivateStandardError), not through
  # System.Console, whose initialisation armemu does not pay either.
  cat > "$work/floor/Program.cs" <<'CS'
using var output = new System.IO.FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, false), System.IO.FileAccess.Write, 1);
output.Write("hello\n"u8);
CS
  case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) rid=linux-$(uname -m) ;; esac
  dotnet publish "$work/floor" -c Release -r "$rid" --self-contained -nologo -v quiet -p:PublishSingleFile=true \
    -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -p:PublishTrimmed=true -p:TrimMode=partial \
    '-p:_ExtraTrimmerArgs=--strip-descriptors false' \
    $(isa=$(bash tools/r2r-instruction-set.sh); echo ${isa:+"-p:PublishReadyToRunCrossgen2ExtraArgs=$isa"}) -o "$work/floor/out" >/dev/null
  forms+=("C# hello, published as the self-contained armemu=$work/floor/out/floor")
fi
printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' > "$work/hello.c"
arm-linux-gnueabi-gcc -O2 -static -o "$work/hello" "$work/hello.c"

python3 - "$runs" "$work" "$work/hello" qemu-arm "${forms[@]}" <<'PY'
import os, resource, subprocess, sys, time
runs, work, hello = int(sys.argv[1]), sys.argv[2], sys.argv[3]
# "LABEL=PATH" names a form; a bare path is its own label.
forms = [tuple(a.split("=", 1)) if "=" in a and "/" not in a.split("=", 1)[0] else (a, a) for a in sys.argv[4:]]
commands = [path for _, path in forms]
labels = dict((path, label) for label, path in forms)

def once(command):
    """Wall seconds, CPU seconds (user + system of the child and its threads) and stdout of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run([command, hello], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=work).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out

for command in commands:
    once(command)  # warm the page cache
walls, cpus = {c: [] for c in commands}, {c: [] for c in commands}
for _ in range(runs):
    for command in commands:
        wall, cpu, out = once(command)
        if out != b"hello\n":
            sys.exit(f"measure-startup: {command} printed {out!r}, not b'hello\\n'")
        walls[command].append(wall)
        cpus[command].append(cpu)

median = lambda xs: sorted(xs)[len(xs) // 2] if len(xs) % 2 else sum(sorted(xs)[len(xs) // 2 - 1:len(xs) // 2 + 1]) / 2
qemu_wall, qemu_cpu = median(walls["qemu-arm"]), median(cpus["qemu-arm"])
print(f"{runs} runs each, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
print("| program | wall, median | wall, best | CPU, median | wall vs qemu-arm | CPU vs qemu-arm |")
print("| --- | --- | --- | --- | --- | --- |")
for command in commands:
    w, c = median(walls[command]), median(cpus[command])
    print(f"| {labels[command]} | {w*1e3:.0f} ms | {min(walls[command])*1e3:.0f} ms | {c*1e3:.0f} ms | {w/qemu_wall:.1f}x | {c/qemu_cpu:.1f}x |")
PY
