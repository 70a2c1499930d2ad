#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# agree.sh - whether two runs of the same cells agree, cell by cell: verdict, victims,
# evictions and each judgement. For restored against booted cells (bench/restore.sh).
#
#   bench/agree.sh RUN_A/run.json RUN_B/run.json
#
# The victims are compared as a set per workload (the workload, or the process's name when it
# is none of them, and who killed it), with the set of the badness judgements: a workload
# the kernel kills again and again (stress-ng re-forks its stressors until its timeout) is
# killed a number of times that varies between any two runs, booted or not, so a different
# count is a note, not a difference. Evictions are compared in order.
# Prints one line per cell that differs, with both sides, then "agree: N of M cells"; a
# cell only one run has counts as a difference. Exits 1 when any cell differs.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: bench/agree.sh RUN_A/run.json RUN_B/run.json" >&2; exit 2; }

# what the oracles concluded, per cell id: the verdict, the processes killed in order (comm,
# by whom, judgement), the evictions (workload or pod, by whom, judgement) and the ending
outcome() {
	jq -c '.cells[] | {id, n: (.kills | length), v: {verdict, ending,
		victims: ([.kills[] | [(.workload // .comm), .by]] | unique),
		judgements: ([.kills[] | (.badness.judgement // null)] | unique),
		evictions: [(.evictions // [])[] | [(.pod // .workload), .by, (.judgement // null)]],
		enomem}}' "$1"
}
jq -s -r '
	(.[0] | map({(.id): .}) | add // {}) as $a |
	(.[1] | map({(.id): .}) | add // {}) as $b |
	(($a | keys) + ($b | keys) | unique) as $ids |
	($ids | map(select($a[.].v != $b[.].v))) as $diff |
	($diff[] | "differs: \(.)\n  a: \($a[.].v | tojson)\n  b: \($b[.].v | tojson)"),
	($ids | map(select($a[.].v == $b[.].v and $a[.].n != $b[.].n))[] |
		"note: \(.): \($a[.].n) kills against \($b[.].n), of the same workloads"),
	"agree: \($ids | length - ($diff | length)) of \($ids | length) cells"
' <(outcome "$1" | jq -s .) <(outcome "$2" | jq -s .) | tee /dev/stderr | tail -n 1 |
	grep -q '^agree: \([0-9]*\) of \1 cells$'
