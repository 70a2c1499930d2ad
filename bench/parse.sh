#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# parse.sh - the OOM report parser's speed on a large log, as a ratio to grep in the same run.
#
#   bench/parse.sh [MB]   (default 300; BENCH_DENSITY=N, default 10; B=DIR, default build)
#
# Builds a log of about MB megabytes from real 6.1 cells (tests/data/cells/*/console.log):
# N boot logs of ordinary kernel messages (each cell's log up to its OOM report), then one
# whole cell log with its OOM report, repeated. So OOM reports are spread through ordinary
# messages, one per N+1 boots. Then times `grep -c 'invoked oom-killer'` (the baseline) and
# `oomlab explain --json` (parse, judge, print) on it; the median of 3 of each. Then the same
# log as a journal of many boots ("-- Boot ID --" lines), timed per event. B names the build
# directory, as it does for make, so that a private build can be timed.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-300}
b=${B:-build}
tmp=$(mktemp -d /tmp/oomlab-parse.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
make -s B="$b" "$b/oomlab" >/dev/null

density=${BENCH_DENSITY:-10}
for f in tests/data/cells/*/console.log; do
	boot=$(tr -d '\r' <"$f" | sed '/invoked oom-killer/,$d')
	for _ in $(seq "$density"); do printf '%s\n' "$boot"; done
	tr -d '\r' <"$f"
done >"$tmp/unit.log"
unit=$(stat -c %s "$tmp/unit.log")
reps=$(( mb * 1024 * 1024 / unit + 1 ))
for _ in $(seq "$reps"); do cat "$tmp/unit.log"; done >"$tmp/big.log"
size=$(( $(stat -c %s "$tmp/big.log") / 1024 / 1024 ))

median() { sort -n | sed -n '2p'; }
# output to a file: GNU grep stops at the first match when its output is /dev/null
timeit() { local s e; s=$(date +%s.%N); "$@" >"$tmp/out"; e=$(date +%s.%N); echo "$e - $s" | bc; }
: >"$tmp/g"; : >"$tmp/o"
cat "$tmp/big.log" >/dev/null # both start from the page cache
for _ in 1 2 3; do
	timeit grep -c 'invoked oom-killer' "$tmp/big.log" >>"$tmp/g"
	timeit "$b/oomlab" explain --json "$tmp/big.log" >>"$tmp/o"
done
g=$(median <"$tmp/g")
o=$(median <"$tmp/o")
events=$(grep -c 'invoked oom-killer' "$tmp/big.log")
echo "parse: ${size} MB log, $events OOM reports (one per $((density + 1)) boot logs): grep -c ${g}s, oomlab explain --json ${o}s"
echo "parse: oomlab/grep = $(echo "scale=2; $o / $g" | bc) (target at most 2)"

# The same log as a journal without -b would give it: a "-- Boot ID --" line before each
# boot. explain then tags every event with its boot; per event it must cost what it did.
awk '/\] Linux version / { printf "-- Boot %032x --\n", ++n } { print }' "$tmp/big.log" >"$tmp/journal.log"
: >"$tmp/j"
for _ in 1 2 3; do
	timeit "$b/oomlab" explain --json "$tmp/journal.log" >>"$tmp/j"
done
j=$(median <"$tmp/j")
boots=$(grep -c '^-- Boot ' "$tmp/journal.log")
echo "parse: as a journal of $boots boots: oomlab explain --json ${j}s, per event" \
	"$(echo "scale=1; $j * 1000000 / $events" | bc) us against $(echo "scale=1; $o * 1000000 / $events" | bc) us"
