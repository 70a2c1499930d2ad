#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# regressions.sh - docs/REGRESSIONS.md's tables from one run of the suite on several kernels.
#
#   docs/regressions.sh RUN-FOLDER [OOMLAB]
#
# First a table of the run's kernels (package, version) with their cells' verdicts, then, for
# each line of Debian kernels in the run (6.1, 6.12), `oomlab diff` of every package with the
# one before it, and of the line's two ends: its summary line, and in full when a cell changed.
# Read from the run, so the page shows what the kernels did, not what the suite meant.
set -eu
[ $# -ge 1 ] || { echo "usage: docs/regressions.sh RUN-FOLDER [OOMLAB]" >&2; exit 2; }
run=$1
oomlab=${2:-build/oomlab}
json=$run/run.json
[ -r "$json" ] || { echo "regressions.sh: no run.json in $run" >&2; exit 2; }

echo "| kernel | package | version | cells | PASS | FAIL | BROK | CONF | cell-seconds |"
echo "|---|---|---|---|---|---|---|---|---|"
jq -r '.cells as $c | .kernels[] | .tag as $t | [$c[] | select(.kernel == $t)] as $k
	| "| `\($t)` | \(.package) | \(.version) | \($k | length) | "
	  + ([("PASS", "FAIL", "BROK", "CONF") as $v | [$k[] | select(.verdict == $v)] | length]
	     | map(tostring) | join(" | "))
	  + " | \([$k[].wall_s] | add // 0 | floor) |"' "$json"

# each line's tags in the order the run gave them (oldest first, as a range expands)
for line in 6.1.0- 6.12.; do
	tags=$(jq -r --arg l "debian:$line" '.kernels[].tag | select(startswith($l))' "$json")
	[ -n "$tags" ] || continue
	set -- $tags
	first=$1 prev=
	pairs=
	for t in "$@"; do
		[ -n "$prev" ] && pairs="$pairs $prev,$t"
		prev=$t
	done
	[ $# -gt 2 ] && pairs="$pairs $first,$prev"
	for p in $pairs; do
		a=${p%,*} b=${p#*,}
		out=$("$oomlab" diff "$run@$a" "$run@$b" 2>&1) && rc=0 || rc=$?
		echo
		echo "\`oomlab diff RUN@$a RUN@$b\` (exit $rc): $(printf '%s\n' "$out" | tail -n 1 |
			sed "s|$run|RUN|g")"
		if [ "$(printf '%s\n' "$out" | wc -l)" -gt 1 ]; then
			echo
			echo '```'
			printf '%s\n' "$out" | sed '$d' | sed "s|$run|RUN|g"
			echo '```'
		fi
	done
done
