#!/usr/bin/env bash
# Runs every test of the solution after installing what the tests need, with each engine
# (issue 14: every existing test with both):
#   1. the translator at a test threshold, so that the hot code of short tests is translated
#      too (at the default, 1000 executions, it would never be): the in-process CPU and
#      machine tests translate every address at once (threshold 1); the guest programs, each an
#      armemu process paying the .NET JIT for every block it compiles, translate what runs 16
#      times (a static hello: 24,500 of its ~30,000 instructions in blocks at the interpreter's
#      CPU time, where threshold 1 costs 2.4 times that);
#   2. the interpreter alone (ARMEMU_ENGINE=interpreter), the same projects (the two packaging
#      tests, which build a ReadyToRun composite each and test no engine, only in pass 1).
# The memory system's tests run no guest code and run once. The default threshold is tested
# where it matters (TranslatorProgramTests, EngineOnEveryMachineTests) in both passes. The
# variables reach the CPUs the tests make and every armemu they start
# (tools/TestSupport/EngineUnderTest.cs); armemu keeps them from the guest.
# ARMEMU_TEST_PASSES=interpreter (or translator) runs one pass only.
# Prints a line per project and pass and one closing line "tests: N passed, N failed"; exits
# non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh || exit 1

dotnet build ArmEmu.sln -c Release || exit 1

passed=0 failed=0 status=0

# run PASS-NAME PROJECT VAR=VALUE... [-- DOTNET-TEST-ARGUMENTS...]: dotnet test one project with
# the variables set; its counts are added to the totals.
run() {
  local pass=$1 project=$2; shift 2
  local log p f variables=() arguments=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do variables+=("$1"); shift; done
  [ $# -gt 0 ] && shift && arguments=("$@")
  log=$(mktemp)
  env "${variables[@]}" dotnet test "$project" -c Release --no-build "${arguments[@]}" 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  # The summary line ("Passed!  - Failed: 0, Passed: 59, ...").
  read -r p f < <(awk '/(Passed|Failed)! +- +Failed:/ {
      for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) }
    } END { printf "%d %d\n", p, f }' "$log" | tr -d ',')
  rm -f "$log"
  [ "$p" -gt 0 ] || status=1
  echo "$pass: $project: $p passed, $f failed"
  passed=$((passed + p)) failed=$((failed + f))
}

passes=${ARMEMU_TEST_PASSES:-translator interpreter}
run memory memory/ArmEmu.Memory.Tests
started=$SECONDS
[[ " $passes " == *" translator "* ]] && for project in cpu/ArmEmu.Cpu.Tests emulator/ArmEmu.Emulator.Tests; do
  run translator "$project" ARMEMU_ENGINE=translator ARMEMU_TRANSLATOR_THRESHOLD=1
done
[[ " $passes " == *" translator "* ]] && for project in guest-tests/ArmEmu.GuestTests examples/MemcpyTests; do
  run translator "$project" ARMEMU_ENGINE=translator ARMEMU_TRANSLATOR_THRESHOLD=16
done
echo "pass translator: $((SECONDS - started)) s"
started=$SECONDS
# The two packaging tests (a tool package and a self-contained publish, each a ReadyToRun
# composite of armemu and the runtime: minutes of crossgen2) test the build, not an engine:
# they run in the first pass only, when both passes run.
once=()
[[ " $passes " == *" translator "* ]] && once=(-- --filter "FullyQualifiedName!~Tool_package_installs&FullyQualifiedName!~Self_contained_publish")
[[ " $passes " == *" interpreter "* ]] && for project in cpu/ArmEmu.Cpu.Tests emulator/ArmEmu.Emulator.Tests examples/MemcpyTests; do
  run interpreter "$project" ARMEMU_ENGINE=interpreter
done
[[ " $passes " == *" interpreter "* ]] && run interpreter guest-tests/ArmEmu.GuestTests ARMEMU_ENGINE=interpreter "${once[@]}"
echo "pass interpreter: $((SECONDS - started)) s"

# The embedding examples that are programs (examples/MemcpyTests is an xUnit suite and ran
# above), with the default engine: each checks its own result and exits non-zero when it is wrong.
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
