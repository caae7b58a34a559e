#!/usr/bin/env bash
# Publishes armemu as one self-contained executable (no .NET needed on the target machine),
# ReadyToRun-compiled for a quick start (one composite image of armemu, its libraries and the .NET
# runtime's, so generic code across them is precompiled too), with armemu-arm beside it.
#   tools/publish-self-contained.sh [OUTPUT-DIR] [RID]   # default: artifacts/armemu-RID, the host's RID
set -euo pipefail
cd "$(dirname "$0")/.."
case "$(uname -m)" in x86_64) host=linux-x64 ;; aarch64) host=linux-arm64 ;; *) host=linux-$(uname -m) ;; esac
rid=${2:-$host}
out=$(realpath -m "${1:-artifacts/armemu-$rid}")
# ReadyToRun code for this machine's instruction-set level (tools/r2r-instruction-set.sh; for an
# older target machine set ARMEMU_R2R_ISA, e.g. x86-64-v2); none for another RID.
isa=
[ "$rid" = "$host" ] && isa=$(bash tools/r2r-instruction-set.sh)
# Built under a directory of its own (--artifacts-path), never into the projects' bin/ and obj/
# (the test suite runs armemu from those meanwhile), nor sharing the ReadyToRun output of
# tools/install-tool.sh.
dotnet publish emulator/armemu -c Release -r "$rid" --self-contained --artifacts-path artifacts/build-self-contained -nologo -v quiet \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true \
  -p:ArmEmuTrimFramework=true ${isa:+"-p:PublishReadyToRunCrossgen2ExtraArgs=$isa"} -o "$out" >/dev/null
ln -sf armemu "$out/armemu-arm"
echo "$out/armemu"
