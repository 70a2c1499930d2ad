#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# repeat.sh - do the same cells pass every time? Runs them K times on given kernels, tallies.
#
#   bench/repeat.sh [-n K] [-k KERNEL]... [-j JOBS] [-o RUNDIR] [oomlab run arguments...]
#
# e.g. bench/repeat.sh -n 20 -k debian:6.1 -k debian:6.12 --filter 'stressng-*'
#
# Runs `build/oomlab run` K times (default 2) with the kernels (default debian:6.1), jobs and
# the other arguments given (filters, scenarios; from the repository's root, as make does).
# Repetition I keeps its results in RUNDIR/rep-I/ (default RUNDIR: results/repeat-<UTC
# time>) and oomlab's output in RUNDIR/rep-I.out. Then it reads every run.json and prints:
#
# - per cell and kernel, over the K repetitions: how many times it was PASS, FAIL, BROK and
#   CONF, and the sums of its attribution tallies: `unattributed` (deaths or kills that
#   should have been attributable and that no workload owns: .attribution.unattributed) and
#   `lost` (trace events the kernel dropped: .attribution.lost); then the totals;
# - each cell record that lacks either tally, as an error: a missing tally is never read as 0;
# - every cell that was not PASS in some repetition, with its reason and results folder.
#
# The last line is "repeat: N passed, N failed" (", N skipped" when cells were CONF), counting
# cell runs; BROK counts as failed. The exit status is 1 when any cell failed, a tally is
# missing, or any unattributed death or lost event was counted (each breaks the proof that
# the cells pass every time with nothing unexplained); 2 for a usage or set-up error.
set -u
usage() {
	echo "usage: bench/repeat.sh [-n K] [-k KERNEL]... [-j JOBS] [-o RUNDIR] [oomlab run arguments...]" >&2
	exit 2
}
reps=2 rundir= kernels=() jobs=() args=()
while [ $# -gt 0 ]; do
	case $1 in
	-n) [ $# -ge 2 ] || usage; reps=$2; shift 2 ;;
	-k) [ $# -ge 2 ] || usage; kernels+=(--kernel "$2"); shift 2 ;;
	-j) [ $# -ge 2 ] || usage; jobs=(--jobs "$2"); shift 2 ;;
	-o) [ $# -ge 2 ] || usage; rundir=$(realpath -m "$2"); shift 2 ;;
	-h | --help) usage ;;
	*) args+=("$1"); shift ;;
	esac
done
case $reps in '' | *[!0-9]* | 0) echo "repeat: -n wants a count, not '$reps'" >&2; exit 2 ;; esac
[ ${#kernels[@]} -gt 0 ] || kernels=(--kernel debian:6.1)
cd "$(dirname "$0")/.." || exit 2
rundir=${rundir:-results/repeat-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$rundir" || exit 2
make -s all >/dev/null || exit 2

child=
tsv=$(mktemp /tmp/oomlab-repeat.XXXXXX) || exit 2
cleanup() {
	# oomlab ends its VMs and writes run.json on SIGTERM
	[ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child"
	rm -f "$tsv"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

cmd=
for a in "${kernels[@]}" "${jobs[@]}" "${args[@]}"; do
	case $a in '' | *[!A-Za-z0-9_./:=,+-]*) cmd+=" '$a'" ;; *) cmd+=" $a" ;; esac
done
echo "repeat: $reps runs of build/oomlab run$cmd; results in $rundir"
for i in $(seq "$reps"); do
	out=$rundir/rep-$i.out
	build/oomlab run "${kernels[@]}" "${jobs[@]}" --results "$rundir/rep-$i" "${args[@]}" \
		>"$out" 2>&1 &
	child=$!
	wait "$child"
	rc=$?
	child=
	run=$rundir/rep-$i/latest/run.json
	line=$(grep '^oomlab: .* in [0-9]*s' "$out" | tail -n 1)
	echo "rep $i: exit $rc, ${line:-no closing line}"
	if [ "$rc" -eq 2 ] || [ "$rc" -eq 130 ] || [ ! -s "$run" ]; then
		echo "repeat: repetition $i did not run its cells ($out):" >&2
		tail -n 5 "$out" | sed 's/^/    | /' >&2
		[ "$rc" -eq 130 ] && exit 130
		exit 2
	fi
	# one line per cell: rep, kernel, id, verdict, the two tallies ("missing"), reason, folder
	jq -r --arg rep "$i" --arg dir "$rundir/rep-$i/" '
		def tally(k): (if (.attribution | type) == "object" then .attribution[k] else null end) |
			if type == "number" then tostring else "missing" end;
		.run_id as $run | .cells[] |
		[$rep, .kernel, .id, .verdict, tally("unattributed"), tally("lost"), .reason,
		 $dir + $run + "/" + (.console | sub("/[^/]*$"; ""))] | @tsv' "$run" >>"$tsv" || exit 2
done

sort -t "$(printf '\t')" -s -k2,2 -k3,3 -o "$tsv" "$tsv" # by kernel, then cell
echo
awk -F'\t' '
	!(($2, $3) in row) { row[$2, $3] = ++n; kern[n] = $2; id[n] = $3; if (length($3) > w) w = length($3) }
	{
		r = row[$2, $3]; count[r, $4]++; total[$4]++
		if ($5 == "missing") mu[r] = tmu = 1; else { un[r] += $5; tun += $5 }
		if ($6 == "missing") ml[r] = tml = 1; else { lost[r] += $6; tlost += $6 }
	}
	END {
		label = "total (" n " cells)"
		if (length(label) > w) w = length(label)
		fmt = "%-" w "s  %-12s %5s %5s %5s %5s  %12s %5s\n"
		printf fmt, "cell", "kernel", "PASS", "FAIL", "BROK", "CONF", "unattributed", "lost"
		for (r = 1; r <= n; r++)
			printf fmt, id[r], kern[r], count[r, "PASS"] + 0, count[r, "FAIL"] + 0,
				count[r, "BROK"] + 0, count[r, "CONF"] + 0,
				r in mu ? "?" : un[r] + 0, r in ml ? "?" : lost[r] + 0
		printf fmt, label, "", total["PASS"] + 0, total["FAIL"] + 0, total["BROK"] + 0,
			total["CONF"] + 0, tmu ? "?" : tun + 0, tml ? "?" : tlost + 0
	}' "$tsv"

if awk -F'\t' '$4 != "PASS" { found = 1 } END { exit !found }' "$tsv"; then
	echo
	awk -F'\t' '$4 != "PASS" { printf "%-4s  rep %s %s %s: %s\n      %s\n", $4, $1, $2, $3, $7, $8 }' "$tsv"
fi

# A missing tally is unknown, never 0: its sums show ?, and it is an error.
bad=0
records=$(wc -l <"$tsv")
missing=$(awk -F'\t' '$5 == "missing" || $6 == "missing"' "$tsv" | wc -l)
if [ "$missing" -eq "$records" ]; then
	bad=1
	echo
	echo "repeat: error: all $records cell records lack .attribution.unattributed or" \
		".attribution.lost (numbers): the run.json of this oomlab has no attribution tallies (?)"
elif [ "$missing" -gt 0 ]; then
	bad=1
	echo
	echo "repeat: error: $missing of $records cell records lack .attribution.unattributed or" \
		".attribution.lost (numbers); their sums show ?. Per cell and kernel:"
	awk -F'\t' '{ k = $2 " " $3; if (!(k in n)) order[++m] = k; n[k]++ }
		$5 == "missing" { u[k]++ } $6 == "missing" { l[k]++ }
		END { for (i = 1; i <= m; i++) { k = order[i]; if (k in u || k in l)
			printf "  %s: of %d records, %d lack unattributed, %d lost\n", k, n[k], u[k], l[k] } }' "$tsv"
fi
counted=$(awk -F'\t' '$5 != "missing" { u += $5 } $6 != "missing" { l += $6 }
	END { if (u + l > 0) print u + 0 " unattributed deaths or kills and " l + 0 " lost trace events" }' "$tsv")
if [ -n "$counted" ]; then
	bad=1
	echo
	echo "repeat: $counted counted: the cells must pass with none of either"
fi
passed=$(awk -F'\t' '$4 == "PASS"' "$tsv" | wc -l)
failed=$(awk -F'\t' '$4 == "FAIL" || $4 == "BROK"' "$tsv" | wc -l)
skipped=$(awk -F'\t' '$4 == "CONF"' "$tsv" | wc -l)
echo
echo "repeat: $passed passed, $failed failed$([ "$skipped" -gt 0 ] && echo ", $skipped skipped")"
[ "$failed" -eq 0 ] && [ "$bad" -eq 0 ]
