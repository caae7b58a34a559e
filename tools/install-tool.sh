#!/usr/bin/env bash
# Packs armemu as a .NET tool and installs it, with armemu-arm (the same program, for
# binfmt_misc and `make QEMU=armemu-arm`) as a symbolic link beside it.
#   tools/install-tool.sh                 # into ~/.dotnet/tools (dotnet tool install -g)
#   tools/install-tool.sh --tool-path DIR # into DIR
# The packages (armemu, and the ArmEmu.* libraries for embedders) are left in artifacts/packages.
# The tool is packed for this machine's RID (a .NET 10 RID-specific tool: a pointer package
# and armemu.RID) as the self-contained executable of tools/publish-self-contained.sh is: one
# file, ReadyToRun composite with the .NET runtime. Framework-dependent, ReadyToRun only for
# armemu's own assemblies, it started 10% slower in CPU time: the framework's generic code over
# armemu's types (List<DeviceMapping>, Dictionary<(string, uint), ...>, System.CommandLine's
# Option<bool>...) lies outside that version bubble, so the JIT compiled ~240 methods at every
# start, and the host resolved a deps.json. A plain `dotnet pack emulator/armemu` still makes the
# portable, framework-dependent tool.
set -euo pipefail
cd "$(dirname "$0")/.."
case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) rid=linux-$(uname -m) ;; esac
packages=artifacts/packages
# ReadyToRun code for this machine's instruction-set level (tools/r2r-instruction-set.sh).
isa=$(bash tools/r2r-instruction-set.sh)
mkdir -p "$packages"
# Built under a directory of its own (--artifacts-path), never into the projects' bin/ and obj/:
# the test suite runs armemu from those while this script runs (a pack rewrote them under it),
# and the ReadyToRun output of tools/publish-self-contained.sh must not be reused here.
build=artifacts/build-tool
for project in memory/ArmEmu.Memory cpu/ArmEmu.Cpu emulator/ArmEmu.Emulator; do
  dotnet pack "$project" -c Release -o "$packages" --artifacts-path "$build" -nologo -v quiet >/dev/null
done
dotnet pack emulator/armemu -c Release -o "$packages" --artifacts-path "$build" -nologo -v quiet \
  -p:RuntimeIdentifiers="$rid" -p:ToolPackageRuntimeIdentifiers="$rid" -p:SelfContained=true -p:PublishSingleFile=true \
  -p:IncludeNativeLibrariesForSelfExtract=true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true \
  -p:ArmEmuTrimFramework=true ${isa:+"-p:PublishReadyToRunCrossgen2ExtraArgs=$isa"} >/dev/null
if [ "${1:-}" = "--tool-path" ]; then
  dir=$(realpath -m "${2:?--tool-path needs a directory}")
  dotnet tool uninstall armemu --tool-path "$dir" >/dev/null 2>&1 || true
  dotnet tool install armemu --tool-path "$dir" --add-source "$packages" --ignore-failed-sources >/dev/null
else
  dir="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
  dotnet tool uninstall -g armemu >/dev/null 2>&1 || true
  dotnet tool install -g armemu --add-source "$packages" --ignore-failed-sources >/dev/null
fi
ln -sf armemu "$dir/armemu-arm"
echo "installed $dir/armemu and $dir/armemu-arm"
case ":$PATH:" in *":$dir:"*) ;; *) echo "add $dir to PATH to run them by name" ;; esac
