#!/usr/bin/env bash
# Runs every test of the solution after installing what the tests need.
# Prints one closing line "tests: N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh || exit 1

log=$(mktemp)
dotnet test ArmEmu.sln -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 59, ...").
read -r passed failed < <(awk '/(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) }
  } END { printf "%d %d\n", p, f }' "$log" | tr -d ',')
rm -f "$log"

# The embedding examples that are programs (examples/MemcpyTests is an xUnit suite and ran
# above): each checks its own result and exits non-zero when it is wrong.
examples_failed=0
for example in QuickStart DmaCoherenceChecker BlockProfiler; do
  if dotnet run --project "examples/$example" -c Release >/dev/null 2>&1; then
    echo "example $example: ok"
  else
    echo "example $example: FAILED (dotnet run --project examples/$example -c Release)"
    examples_failed=$((examples_failed + 1))
  fi
done

echo "tests: ${passed} passed, ${failed} failed"
[ "$status" -eq 0 ] && [ "${passed}" -gt 0 ] && [ "${failed}" -eq 0 ] && [ "$examples_failed" -eq 0 ]
