#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# replay.sh - replays each fuzz target's seed corpus once (make fuzz-corpus) and totals them.
#
#   replay.sh TARGET CORPUS [TARGET CORPUS]...
#
# Each TARGET (a libFuzzer binary) runs every file under its CORPUS folder, recursively, once
# (-runs=0): "fuzz: fuzz_tracebuf: 20 inputs of tests/data/trace, no crash". A target that
# crashes, hangs or breaks a check prints the tail of libFuzzer's report and leaves the input
# beside TARGET (crash-*, timeout-*). The closing line counts targets, "fuzz: N passed,
# N failed"; the exit status is 1 when any failed.
passed=0 failed=0
out=$(mktemp /tmp/oomlab-fuzz.XXXXXX)
trap 'rm -f "$out"' EXIT
while [ $# -ge 2 ]; do
	name=$(basename "$1")
	if "$1" -runs=0 -timeout=10 -artifact_prefix="$(dirname "$1")/" "$2" >"$out" 2>&1; then
		n=$(sed -n 's/^INFO: *\([0-9]*\) files found in .*/\1/p' "$out" | paste -sd+ - | bc)
		echo "fuzz: $name: ${n:-0} inputs of $2, no crash"
		passed=$((passed + 1))
	else
		echo "fuzz: $name failed on an input of $2:"
		tail -n 30 "$out" | sed 's/^/    | /'
		failed=$((failed + 1))
	fi
	shift 2
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
