#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# restore.sh - restored cells against booted ones, as ratios measured in the same run.
#
#   bench/restore.sh [restore|suite|all]   (default: all)
#
# restore: (a) a bare QEMU boot-to-power-off of Debian's 6.1 with an empty init, the same
#          machine and memory as a trivial cell, and (b) a trivial cell restored from its
#          shape's saved state (QEMU's whole life: restore, the cell, power-off); prints
#          "restore ratio: b/a". Median of BENCH_REPS (default 5) of each, interleaved.
#          Also (c) the bare boot as oomlab boots now (the PVH ELF, cryptomgr.notests),
#          "fast boot ratio: c/a", and b/c: the restore against the boot it replaces.
# suite:   the default suite (BENCH_FILTER, a --filter, narrows it) on debian:6.1 at --jobs 2,
#          restored and then with --boot, wall time of each whole run (the shapes' boots
#          included); prints "suite ratio: restored/booted", then whether the two runs agree
#          on every cell's verdict, victims, evictions and judgements (bench/agree.sh).
# BENCH_KEEP=DIR keeps both runs' results there.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
reps=${BENCH_REPS:-5}
if [ -n "${BENCH_KEEP:-}" ]; then
	mkdir -p "$BENCH_KEEP"
	tmp=$(cd "$BENCH_KEEP" && pwd)
else
	tmp=$(mktemp -d /tmp/oomlab-restore.XXXXXX)
	trap 'rm -rf "$tmp"' EXIT
fi
make -s all >/dev/null

source bench/lib.sh

bench_restore() {
	local a b c
	bare_prepare "$tmp"
	: >"$tmp/a" && : >"$tmp/b" && : >"$tmp/c"
	for _ in $(seq "$reps"); do
		bare_boot "$tmp" >>"$tmp/a"
		bare_boot "$tmp" "${bare_pvh:-$bare_kernel}" cryptomgr.notests >>"$tmp/c"
		build/oomlab run --accel tcg --results "$tmp/r" tests/integration/scenarios/trivial.yaml \
			>"$tmp/trivial.out" 2>&1
		jq -e '.cells[0].start.how == "restored" and .cells[0].verdict == "PASS"' \
			"$tmp/r/latest/run.json" >/dev/null ||
			{ echo "restore: the trivial cell did not pass restored:" >&2; cat "$tmp/trivial.out" >&2; exit 1; }
		jq '.cells[0].wall_s' "$tmp/r/latest/run.json" >>"$tmp/b"
	done
	a=$(median <"$tmp/a")
	b=$(median <"$tmp/b")
	c=$(median <"$tmp/c")
	echo "restore: bare cold boot to power-off (a) ${a}s, trivial restored cell (b) ${b}s, median of $reps"
	echo "restore: the bare boot as oomlab boots now (c: ${bare_pvh:+PVH ELF, }cryptomgr.notests) ${c}s"
	echo "restore ratio: $(echo "scale=3; $b / $a" | bc)"
	echo "fast boot ratio: $(echo "scale=3; $c / $a" | bc)"
	echo "restore over fast boot: $(echo "scale=3; $b / $c" | bc)"
}

bench_suite() {
	local filt=() label="the default suite on debian:6.1" s e tr tb
	if [ -n "${BENCH_FILTER:-}" ]; then
		filt=(--filter "$BENCH_FILTER")
		label="$label filtered by '$BENCH_FILTER'"
	fi
	s=$(date +%s.%N)
	build/oomlab run --jobs 2 --seed 1 --results "$tmp/restored" "${filt[@]}" >"$tmp/restored.out" 2>&1 || true
	e=$(date +%s.%N)
	tr=$(echo "$e - $s" | bc)
	s=$(date +%s.%N)
	build/oomlab run --jobs 2 --seed 1 --boot --results "$tmp/booted" "${filt[@]}" >"$tmp/booted.out" 2>&1 || true
	e=$(date +%s.%N)
	tb=$(echo "$e - $s" | bc)
	for r in restored booted; do
		echo "suite: $label, $r: $(jq '.cells | length' "$tmp/$r/latest/run.json") cells in $(printf %.0f "$([ $r = restored ] && echo "$tr" || echo "$tb")")s ($(jq -r '.summary | "\(.passed) PASS, \(.failed) FAIL, \(.broken) BROK, \(.skipped) CONF"' "$tmp/$r/latest/run.json"))"
	done
	echo "suite ratio: $(echo "scale=3; $tr / $tb" | bc)"
	bench/agree.sh "$tmp/restored/latest/run.json" "$tmp/booted/latest/run.json" 2>&1 | sed 's/^/suite: /' || true
}

case $what in
restore) bench_restore ;;
suite) bench_suite ;;
all) bench_restore; bench_suite ;;
*) echo "usage: bench/restore.sh [restore|suite|all]" >&2; exit 2 ;;
esac
