#!/usr/bin/env bash
# Builds armemu and runs the bundled example guest program (a static armel
# Linux binary, committed with its source) with instruction statistics.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release emulator/armemu -v quiet -nologo >/dev/null
exec emulator/armemu/bin/Release/net10.0/armemu run --stats guest-tests/examples/jit-hello "$@"
