#!/usr/bin/env bash
# Prints the crossgen2 argument that compiles ReadyToRun code for this machine's x86-64 level
# (x86-64-v3 or v2; nothing on other architectures), for tools/publish-self-contained.sh and
# tools/install-tool.sh. ARMEMU_R2R_ISA=LEVEL chooses another level (e.g. x86-64-v2 for older
# machines than this one), ARMEMU_R2R_ISA=default crossgen2's own.
# Why: crossgen2's default target leaves every method that tests for a later extension to the
# JIT at each start-up -- Span.Fill and anything else over Vector<T>, BitOperations.Log2 (LZCNT),
# among them armemu's cache constructor and memory port (DOTNET_JitStdOutFile with
# DOTNET_JitDisasmSummary=1 listed them). Code compiled for a level the CPU lacks is not used:
# the JIT compiles it instead, so the program still runs, only slower to start.
set -euo pipefail
case "${ARMEMU_R2R_ISA:-}" in
  default) exit 0 ;;
  ?*) echo "--instruction-set:$ARMEMU_R2R_ISA"; exit 0 ;;
esac
[ "$(uname -m)" = x86_64 ] || exit 0
flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
has() { for f in "$@"; do case "$flags" in *" $f "*) ;; *) return 1 ;; esac; done; }
if has avx avx2 bmi1 bmi2 f16c fma abm movbe xsave cx16 popcnt sse4_1 sse4_2 ssse3; then echo "--instruction-set:x86-64-v3"
elif has cx16 lahf_lm popcnt pni sse4_1 sse4_2 ssse3; then echo "--instruction-set:x86-64-v2"
fi
