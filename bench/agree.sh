#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# agree.sh - whether two runs of the same cells agree, cell by cell: verdict, victims,
# evictions and each judgement. For restored against booted cells (bench/restore.sh).
#
#   bench/agree.sh RUN_A/run.json RUN_B/run.json
#
# Prints one line per cell that differs, with both sides, then "agree: N of M cells"; a
# cell only one run has counts as a difference. Exits 1 when any cell differs.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: bench/agree.sh RUN_A/run.json RUN_B/run.json" >&2; exit 2; }

# what the oracles concluded, per cell id: the verdict, the processes killed in order (comm,
# by whom, judgement), the evictions (workload or pod, by whom, judgement) and the ending
outcome() {
	jq -c '.cells[] | {id, v: {verdict, ending,
		kills: [.kills[] | [.comm, .by, (.badness.judgement // null)]],
		evictions: [(.evictions // [])[] | [(.pod // .workload), .by, (.judgement // null)]],
		enomem}}' "$1"
}
jq -s -r '
	(.[0] | map({(.id): .v}) | add // {}) as $a |
	(.[1] | map({(.id): .v}) | add // {}) as $b |
	(($a | keys) + ($b | keys) | unique) as $ids |
	($ids | map(select($a[.] != $b[.]))) as $diff |
	($diff[] | "differs: \(.)\n  a: \($a[.] | tojson)\n  b: \($b[.] | tojson)"),
	"agree: \($ids | length - ($diff | length)) of \($ids | length) cells"
' <(outcome "$1" | jq -s .) <(outcome "$2" | jq -s .) | tee /dev/stderr | tail -n 1 |
	grep -q '^agree: \([0-9]*\) of \1 cells$'
