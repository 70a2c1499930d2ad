#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# check-tally.sh - does `make check` pass on a fresh clone every time? Runs it N times, tallies.
#
#   bench/check-tally.sh [-n N] [-o LOGDIR] [REF]
#
# Clones this repository at REF (default: HEAD, the last commit: uncommitted changes are not
# tested) into a new temporary folder and runs `make check` there, as a new user would; then
# removes the clone and does it again, N times in a row (default 10). Nothing built survives
# from one run to the next: each clone builds everything and fetches its kernels again. What
# `make deps` installs on the system stays installed.
#
# Each run's whole output is kept in LOGDIR/run-I.log (default results/check-tally-<UTC time>).
# Then, per run: its exit status, its duration and the closing lines of the unit tests, the
# fuzz corpus and the integration test ("-" where make stopped before that part printed one);
# then every integration check that failed in any run, with the number of runs it failed in.
# The last line is "check-tally: N passed, N failed", counting runs; the exit status is 1 when
# any run failed, 2 for a usage error.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
runs=10 logdir=
while getopts n:o: opt; do
	case $opt in
	n) runs=$OPTARG ;;
	o) logdir=$OPTARG ;;
	*) echo "usage: bench/check-tally.sh [-n N] [-o LOGDIR] [REF]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
ref=${1:-HEAD}
case $runs in '' | *[!0-9]* | 0) echo "check-tally: -n wants a count, not '$runs'" >&2; exit 2 ;; esac
if ! rev=$(git -C "$root" rev-parse --verify -q "$ref^{commit}"); then
	echo "check-tally: unknown revision '$ref'" >&2
	exit 2
fi
logdir=${logdir:-$root/results/check-tally-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$logdir" || exit 2

tmp=$(mktemp -d /tmp/oomlab-tally.XXXXXX) || exit 2
child=
cleanup() {
	# make runs in a session of its own: end all of it (oomlab ends its own VMs on SIGTERM)
	[ -n "$child" ] && kill -TERM -- "-$child" 2>/dev/null && wait "$child" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "check-tally: make check on $runs fresh clone(s) of" \
	"$(git -C "$root" log -1 --format='%h (%s)' "$rev"), one after another; logs in $logdir"
passed=0 failed=0 logs=()
for i in $(seq "$runs"); do
	log=$logdir/run-$i.log
	logs+=("$log")
	start=$(date +%s)
	if git clone -q "$root" "$tmp/clone" >"$log" 2>&1 &&
		git -C "$tmp/clone" checkout -q --detach "$rev" >>"$log" 2>&1; then
		setsid make -C "$tmp/clone" check </dev/null >>"$log" 2>&1 &
		child=$!
		wait "$child"
		rc=$?
		child=
	else
		rc=128 # the clone failed: its log says why
	fi
	rm -rf "$tmp/clone"
	secs=$(($(date +%s) - start))
	if [ "$rc" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	summary=
	for part in unit fuzz integration; do
		line=$(grep -E "^$part: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1)
		summary="$summary; ${line:-$part: -}"
	done
	printf 'run %d: exit %d in %d s%s\n' "$i" "$rc" "$secs" "$summary"
	[ "$rc" -ne 0 ] && echo "  $(grep -E '^make(\[[0-9]+\])?: \*\*\*' "$log" | tail -n 1) (log: $log)"
done

notok=$(grep -h '^not ok: ' "${logs[@]}" | sort | uniq -c | sort -rn)
if [ -n "$notok" ]; then
	echo "integration checks that failed (runs: check):"
	printf '%s\n' "$notok" | sed 's/^ *\([0-9]*\) not ok: /  \1: /'
else
	echo "integration checks that failed: none"
fi
echo "check-tally: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
