#!/usr/bin/env bash
# Publishes armemu as one self-contained executable (no .NET needed on the target machine),
# ReadyToRun-compiled for a quick start, with armemu-arm as a symbolic link beside it.
#   tools/publish-self-contained.sh [OUTPUT-DIR] [RID]   # default: artifacts/armemu-RID, the host's RID
set -euo pipefail
cd "$(dirname "$0")/.."
case "$(uname -m)" in x86_64) host=linux-x64 ;; aarch64) host=linux-arm64 ;; *) host=linux-$(uname -m) ;; esac
rid=${2:-$host}
out=$(realpath -m "${1:-artifacts/armemu-$rid}")
dotnet publish emulator/armemu -c Release -r "$rid" --self-contained -nologo -v quiet \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PublishReadyToRun=true \
  -o "$out" >/dev/null
ln -sf armemu "$out/armemu-arm"
echo "$out/armemu"
