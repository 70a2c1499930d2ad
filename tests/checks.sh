# SPDX-License-Identifier: GPL-2.0-only
# checks.sh - the checks of the shell tests (integration/run.sh, package.sh), sourced by them.
#
# check NAME CONDITION-COMMAND... [-- FILES TO SHOW ON FAILURE] runs the command quietly and
# says "ok: NAME", or "not ok: NAME" with the last 30 lines of each file named; the caller
# counts them in passed and failed, and closes with its own tally line.
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok: $1"; }
not_ok() {
	failed=$((failed + 1))
	echo "not ok: $1"
	shift
	for f in "$@"; do [ -f "$f" ] && sed 's/^/    | /' "$f" | tail -n 30; done
}
check() {
	local name=$1; shift
	local show=()
	local cmd=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do cmd+=("$1"); shift; done
	[ "${1:-}" = "--" ] && shift && show=("$@")
	if "${cmd[@]}" >/dev/null 2>&1; then ok "$name"; else not_ok "$name" "${show[@]}"; fi
}
