#!/usr/bin/env bash
# Packs armemu as a .NET tool and installs it, with armemu-arm (the same program, for
# binfmt_misc and `make QEMU=armemu-arm`) as a symbolic link beside it.
#   tools/install-tool.sh                 # into ~/.dotnet/tools (dotnet tool install -g)
#   tools/install-tool.sh --tool-path DIR # into DIR
# The packages (armemu, and the ArmEmu.* libraries for embedders) are left in artifacts/packages.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=artifacts/packages
mkdir -p "$packages"
for project in memory/ArmEmu.Memory cpu/ArmEmu.Cpu emulator/ArmEmu.Emulator emulator/armemu; do
  dotnet pack "$project" -c Release -o "$packages" -nologo -v quiet >/dev/null
done
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
