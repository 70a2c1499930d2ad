#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# run.sh - oomlab's speed, as ratios against baselines measured in the same run.
#
#   bench/run.sh [boot|suite|all]   (default: all)
#
# boot:  (a) bare QEMU boot-to-power-off of the same kernel with an empty init, and (b) a
#        trivial oomlab cell (one workload that exits at once) booted (--boot), same QEMU
#        flags; prints b/a. (bench/restore.sh measures restored cells.)
#        Median of BENCH_REPS (default 5) of each, interleaved.
# suite: the default suite's cells per minute at --jobs 1 and --jobs 2, and the scaling.
#        BENCH_FILTER (a --filter) narrows the suite; the figure then says so.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
reps=${BENCH_REPS:-5}
tmp=$(mktemp -d /tmp/oomlab-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
make -s all >/dev/null

source bench/lib.sh

bench_boot() {
	bare_prepare "$tmp"
	: >"$tmp/a" && : >"$tmp/b"
	for _ in $(seq "$reps"); do
		bare_boot "$tmp" >>"$tmp/a"
		build/oomlab run --boot --accel tcg --results "$tmp/r" tests/integration/scenarios/trivial.yaml \
			>/dev/null 2>&1
		jq '.cells[0].wall_s' "$tmp/r/latest/run.json" >>"$tmp/b"
	done
	local a b
	a=$(median <"$tmp/a")
	b=$(median <"$tmp/b")
	echo "boot: bare QEMU boot-to-power-off (a) ${a}s, trivial oomlab cell (b) ${b}s, median of $reps"
	echo "boot: b/a = $(echo "scale=3; $b / $a" | bc) (target at most 1.3)"
}

bench_suite() {
	local filt=() label="the default suite"
	if [ -n "${BENCH_FILTER:-}" ]; then
		filt=(--filter "$BENCH_FILTER")
		label="the default suite filtered by '$BENCH_FILTER'"
	fi
	local rate1 rate2
	for j in 1 2; do
		local s e n
		s=$(date +%s.%N)
		build/oomlab run --jobs $j --results "$tmp/s$j" "${filt[@]}" >/dev/null 2>&1 || true
		e=$(date +%s.%N)
		n=$(jq '.cells | length' "$tmp/s$j/latest/run.json")
		local rate verdicts
		rate=$(echo "scale=2; $n * 60 / ($e - $s)" | bc)
		verdicts=$(jq -r '.summary | "\(.passed) PASS, \(.failed) FAIL, \(.broken) BROK, \(.skipped) CONF"' \
			"$tmp/s$j/latest/run.json")
		echo "suite: $label, --jobs $j: $n cells in $(echo "$e - $s" | bc | cut -d. -f1)s, $rate cells/min ($verdicts)"
		[ $j = 1 ] && rate1=$rate || rate2=$rate
	done
	echo "suite: scaling from 1 to 2 jobs: $(echo "scale=2; $rate2 / $rate1" | bc)x (target at least 1.8x)"
}

case $what in
boot) bench_boot ;;
suite) bench_suite ;;
all) bench_boot; bench_suite ;;
*) echo "usage: bench/run.sh [boot|suite|all]" >&2; exit 2 ;;
esac
