#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# soak.sh - many cells with faults injected while they run; proves that nothing is lost.
#
#   bench/soak.sh [-n CELLS] [-s SEED] [-r ROUND] [-k KERNEL] [-o DIR]
#
# Draws CELLS cells (default 1000) at random, seeded (default 1), from the default suite's
# cells (SOAK_FILTER, a --filter, narrows the pool) and from random bigmm mixes whose victim
# the policy fixes (below), and runs them in rounds of ROUND cells (default 40), each one
# `oomlab run`. Into the rounds it injects, at seeded random times:
#   qemu-kill   a running cell's QEMU killed from outside (SIGKILL): that cell must be BROK
#               with ending qemu-error;
#   jam         a cell whose workload stops the agent's record channel (workloads/jam.c):
#               BROK with ending timeout;
#   sigint      SIGINT to oomlab mid-round, then `oomlab run --resume` of the same run;
#   disk-full   the round's results on a 66 MiB tmpfs: once less than the 64 MiB a cell may
#               need is free the run stops itself (exit 2), the tmpfs is grown, and --resume
#               finishes it (needs root; else skipped, and the summary says so).
# After each round it checks that run.json holds each planned cell exactly once, each with
# the verdict its fault (or none) calls for, and that no QEMU of the soak is left running.
# Every cell and every fault is counted in DIR/summary.txt; a cell with an unexpected
# verdict is listed there with its reason. Exits 1 when anything was lost, counted twice,
# left running or unexpected.
#
# A mix: two to four steady hogs (bigmm --total 16M to 64M) at oom_score_adj 0 or -500, in
# half the mixes one of them at 1000 with 64M (its kill frees more than the grower lacks), and a grower at 0
# that grows to MemAvailable plus 32M (--beyond-avail), so exactly one OOM kill happens.
# oom_badness() adds oom_score_adj * totalpages / 1000 to a task's pages: a hog at 1000 gets
# every page of the guest added and outranks the grower, however large; without one, the
# grower holds more than the guest's free memory against at most 64M and is the victim.
set -uo pipefail
cd "$(dirname "$0")/.."
cells=1000 seed=1 round=40 kernel=debian:6.1 dir=
while getopts n:s:r:k:o: opt; do
	case $opt in
	n) cells=$OPTARG ;;
	s) seed=$OPTARG ;;
	r) round=$OPTARG ;;
	k) kernel=$OPTARG ;;
	o) dir=$OPTARG ;;
	*) echo "usage: bench/soak.sh [-n CELLS] [-s SEED] [-r ROUND] [-k KERNEL] [-o DIR]" >&2; exit 2 ;;
	esac
done
dir=${dir:-results/soak-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$dir/scenarios" && dir=$(cd "$dir" && pwd)
make -s all >/dev/null || exit 2
oomlab=$PWD/build/oomlab
RANDOM=$seed
kid=${kernel//[:\/]/-}

filt=()
[ -n "${SOAK_FILTER:-}" ] && filt=(--filter "$SOAK_FILTER")
# the cells' ids: --list's lines that start with the kernel's (its last line counts them)
mapfile -t pool < <("$oomlab" run --list --kernel "$kernel" "${filt[@]}" | awk -v k="$kid/" 'index($1, k) == 1 {print $1}')
[ ${#pool[@]} -gt 0 ] || { echo "soak: no cells in the pool" >&2; exit 2; }
root=0
[ "$(id -u)" = 0 ] && root=1

declare -A want why_want
total=0 lost=0 dup=0 unexpected=0 stray=0
declare -A faults=([qemu-kill]=0 [jam]=0 [sigint]=0 [disk-full]=0)
declare -A verdicts=([PASS]=0 [FAIL]=0 [BROK]=0 [CONF]=0)
log() { echo "soak: $*" | tee -a "$dir/summary.txt"; }

# A mix scenario (the header says why its victim is what it is).
write_mix() {
	local name=$1 f=$dir/scenarios/$1.yaml n=$((2 + RANDOM % 3)) top=$((RANDOM % 2)) i victim=grower
	local sizes=(16 24 32 40 48 56 64) hot=$((RANDOM % n))
	{
		echo "# $name: a random bigmm mix (bench/soak.sh): steady hogs, then a grower to one OOM."
		echo "scenario: $name"
		echo "description: steady hogs and a grower that forces exactly one OOM kill."
		echo "vm: {memory: 512M, swap: none}"
		echo "deadline: 60s"
		echo "workloads:"
		for ((i = 0; i < n; i++)); do
			local adj=$(( (RANDOM % 2) * -500 )) size=${sizes[$(( (i * 2 + RANDOM % 2) % ${#sizes[@]} ))]}
			# the hog at 1000 is the largest: its death frees more than the grower lacks
			[ $top = 1 ] && [ $i = $hot ] && adj=1000 && size=64 && victim=h$i
			echo "  - {name: h$i, program: bigmm, args: [--total, ${size}M], oom_score_adj: $adj$(
				[ $i -gt 0 ] && echo ", start: {after: h$((i - 1)), phase: holding}")}"
		done
		echo "  - name: grower"
		echo "    program: bigmm"
		echo "    args: [--beyond-avail, 32M]"
		echo "    start: {after: h$((n - 1)), phase: holding}"
		echo "expect:"
		echo "  - killed: [$victim]"
		echo "    why: a hog at oom_score_adj 1000 gets every page of the guest added to its badness; without one the grower, holding more than the free memory, outranks hogs of at most 64M"
	} >"$f"
	echo "$f"
}

write_jam() {
	sed "s/^scenario: jam$/scenario: $1/" tests/integration/scenarios/jam.yaml >"$dir/scenarios/$1.yaml"
	echo "$dir/scenarios/$1.yaml"
}

# The cell of a QEMU command line, from its console path: <run>/<cell id>/console.log.
cell_of_qemu() { tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | sed -n "s|^file:$2/\(.*\)/console.log$|\1|p" | head -n 1; }

r=0
while [ $total -lt $cells ]; do
	r=$((r + 1))
	n=$round
	[ $((total + n)) -gt $cells ] && n=$((cells - total))
	res=$dir/r$r
	mkdir -p "$res"
	args=() scs=() want=() why_want=()
	declare -A seen_sc=()
	fault_disk=0
	[ $root = 1 ] && [ $((r % 7)) = 3 ] && fault_disk=1
	if [ $fault_disk = 1 ]; then
		mount -t tmpfs -o size=66M soak-r$r "$res" || fault_disk=0
	fi
	for ((i = 0; i < n; i++)); do
		if [ $i = 0 ] && [ $((RANDOM % 3)) = 0 ]; then
			id="$kid/jam-$r"
			scs+=("$(write_jam "jam-$r")")
			want[$id]=BROK:timeout
			faults[jam]=$((faults[jam] + 1))
		elif [ $((RANDOM % 10)) -lt 3 ]; then
			id="$kid/mix-$r-$i"
			scs+=("$(write_mix "mix-$r-$i")")
			want[$id]=PASS
		else
			id=${pool[$((RANDOM % ${#pool[@]}))]}
			[ -n "${want[$id]:-}" ] && { i=$((i - 1)); continue; }
			want[$id]=PASS
			sc=${id#*/}; sc=${sc%%/*}
			[ -z "${seen_sc[$sc]:-}" ] && seen_sc[$sc]=1 && scs+=("$sc")
			args+=(--filter "id=$id")
		fi
	done
	args+=(--filter 'mix-*' --filter 'jam-*')
	out=$dir/r$r.out
	"$oomlab" run --jobs 2 --kernel "$kernel" --results "$res" "${args[@]}" "${scs[@]}" >"$out" 2>&1 &
	pid=$!
	kill_at=$(( RANDOM % 2 ? 5 + RANDOM % 40 : 0 ))
	int_at=$(( r % 5 == 2 ? 10 + RANDOM % 30 : 0 ))
	for ((t = 0; ; t++)); do
		kill -0 $pid 2>/dev/null || break
		run=$(readlink -f "$res/latest" 2>/dev/null)
		if [ $kill_at -gt 0 ] && [ $t -ge $((kill_at * 5)) ] && [ -n "$run" ]; then
			# a cell's QEMU writes its console in the cell's folder (a shape's, in shapes/)
			for q in $(pgrep -f "qemu-system-x86_64.*file:$run/$kid/"); do
				c=$(cell_of_qemu "$q" "$run")
				[ -n "$c" ] && [ "${want[$c]:-}" = PASS ] || continue
				kill -KILL "$q" && want[$c]=BROK:qemu-error && faults[qemu-kill]=$((faults[qemu-kill] + 1))
				kill_at=0
				break
			done
			# none running yet (the shapes still boot): try again at the next look
		fi
		if [ $int_at -gt 0 ] && [ $t -ge $((int_at * 5)) ]; then
			kill -INT $pid
			faults[sigint]=$((faults[sigint] + 1))
			int_at=0
		fi
		sleep 0.2
	done
	wait $pid
	rc=$?
	run=$(readlink -f "$res/latest")
	if [ ! -f "$run/run.json" ]; then
		log "round $r: oomlab did not start a run (exit $rc):"
		tail -n 5 "$out" | tee -a "$dir/summary.txt" >&2
		exit 2
	fi
	if [ $rc = 130 ] || [ $rc = 2 ]; then
		[ $rc = 2 ] && [ $fault_disk = 1 ] && faults[disk-full]=$((faults[disk-full] + 1)) &&
			mount -o remount,size=4G "$res"
		"$oomlab" run --resume "$run" >>"$out" 2>&1
	fi
	# what the round left: each planned cell once, with the verdict its fault calls for
	while IFS=$'\t' read -r id verdict ending reason; do
		[ -z "${want[$id]:-}" ] && { log "round $r: unplanned cell $id"; unexpected=$((unexpected + 1)); continue; }
		verdicts[$verdict]=$((verdicts[$verdict] + 1))
		w=${want[$id]}
		# a pool cell may be CONF: its rule expects the kernel to refuse a knob
		if { [ "$w" = PASS ] && [ "$verdict" != PASS ] && [ "$verdict" != CONF ]; } ||
			{ [ "$w" != PASS ] && [ "$verdict:$ending" != "$w" ]; }; then
			log "round $r: $id: expected $w, seen $verdict:$ending: $reason"
			unexpected=$((unexpected + 1))
		fi
		want[$id]=done
	done < <(jq -r '.cells[] | [.id, .verdict, .ending, .reason] | @tsv' "$run/run.json")
	for id in "${!want[@]}"; do
		[ "${want[$id]}" = done ] || { log "round $r: lost $id (wanted ${want[$id]})"; lost=$((lost + 1)); }
	done
	d=$(jq '[.cells[].id] | length - (unique | length)' "$run/run.json")
	dup=$((dup + d))
	s=$(pgrep -fc "qemu-system-x86_64.*$dir/" || true)
	stray=$((stray + s))
	total=$((total + n))
	log "round $r: $n cells (rc $rc), $total of $cells; lost $lost, twice $dup, unexpected $unexpected, stray QEMU $stray"
	[ $fault_disk = 1 ] && { cp -a "$res" "$dir/r$r.kept" && umount "$res" && rmdir "$res" && mv "$dir/r$r.kept" "$res"; }
done
log "cells $total: ${verdicts[PASS]} PASS, ${verdicts[FAIL]} FAIL, ${verdicts[BROK]} BROK, ${verdicts[CONF]} CONF"
log "faults: qemu-kill ${faults[qemu-kill]}, jam ${faults[jam]}, sigint ${faults[sigint]}, disk-full ${faults[disk-full]}$([ $root = 1 ] || echo ' (disk-full needs root: skipped)')"
log "lost $lost, counted twice $dup, unexpected $unexpected, stray QEMU $stray"
[ $lost = 0 ] && [ $dup = 0 ] && [ $unexpected = 0 ] && [ $stray = 0 ]
