#!/usr/bin/env bash
# Regenerates programs/NAME.expected (stdout) and programs/NAME.status (exit
# status) from QEMU, for the named programs or all. Review the diff before
# committing: the expectations are what armemu system must reproduce.
# Usage: update-expected.sh [NAME...]
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$src/build.sh" "$out/elf" "$@"
for elf in "$out"/elf/*.elf; do
  name=$(basename "$elf" .elf)
  mkdir -p "$out/run-$name"
  status=0
  (cd "$out/run-$name" && timeout 60 "$src/run-qemu.sh" "$elf" </dev/null >"$src/programs/$name.expected") || status=$?
  echo "$status" >"$src/programs/$name.status"
  echo "$name: status $status"
done
