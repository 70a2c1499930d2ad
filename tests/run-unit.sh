#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run-unit.sh - run every cmocka test program given and total their results.
#
# Each program prints cmocka's own report; this adds one closing line over all of them,
# "unit: N passed, N failed", and exits 1 when any test failed or a program crashed.
passed=0 failed=0 crashed=
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ $rc -ne 0 ] && [ -z "$f" ]; then
		crashed="$crashed $t"
		failed=$((failed + 1))
	fi
done
[ -n "$crashed" ] && echo "unit: test programs that crashed or failed to report:$crashed"
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
