#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# evict-latency.sh - how long each evictor took from its condition to its kill, over runs.
#
#   bench/evict-latency.sh RUN.json...
#
# For every eviction of every cell in the given run.json files (docs/RESULTS.md, evictions[])
# whose condition was bracketed by the agent's samples, the time from the condition to the
# signal lies between t_ms - condition.on_ms (the first sample where it held) and
# t_ms - condition.off_ms (the last where it did not); on_ms after t_ms reads as 0. Prints,
# per evictor: the evictions, then the median and the largest of both bounds, in ms, beside
# the baseline the same runs measured: the median gap between the two samples that bracket
# a condition (the agent samples every 100 ms; run.json keeps only some of its samples).
set -eu
[ $# -gt 0 ] || { echo "usage: bench/evict-latency.sh RUN.json..." >&2; exit 2; }
jq -s -r '
	def median: sort | if length == 0 then null else .[(length - 1) / 2 | floor] end;
	[.[].cells[]] as $cells
	| ([$cells[] | .evictions[]? | select(.condition.off_ms != null and .condition.on_ms != null) | .condition.on_ms - .condition.off_ms] | median) as $gap
	| [$cells[] | .evictions[]? | select(.condition.off_ms != null or .condition.on_ms != null)
	   | {by, lo: ([.t_ms - (.condition.on_ms // .t_ms), 0] | max),
	      hi: (if .condition.off_ms == null then null else .t_ms - .condition.off_ms end)}]
	| group_by(.by)[]
	| "\(.[0].by): \(length) evictions; from its condition to its signal: between \([.[].lo] | median) and \([.[].hi | select(. != null)] | median) ms (median), at most \([.[].lo] | max) to \([.[].hi | select(. != null)] | max) ms; two samples bracket a condition \($gap) ms apart (median)"
' "$@"
