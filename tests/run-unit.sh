#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run-unit.sh - run every cmocka test program given and total their results.
#
# Each program writes its results as JUnit XML itself (cmocka's CMOCKA_MESSAGE_OUTPUT=xml)
# to $UNIT_JUNIT/<program>.xml (default: junit/ beside the programs), the files a CI shows.
# The tally is read from those files (xmllint): a program that exits non-zero without a
# failed test in its file, or leaves no well-formed file, crashed and counts as one failure.
# Prints what each program printed of its own, each failed test with cmocka's message, a line
# per program, then "unit: N passed, N failed"; exits 1 when any test failed.
dir=${UNIT_JUNIT:-$(dirname "$1")/junit}
mkdir -p "$dir" || exit 2
passed=0 failed=0 crashed=
for t in "$@"; do
	name=$(basename "$t")
	xml=$dir/$name.xml
	rm -f "$xml"
	CMOCKA_MESSAGE_OUTPUT=xml CMOCKA_XML_FILE=$xml "$t" >"$dir/$name.out" 2>&1
	rc=$?
	cat "$dir/$name.out"
	if ! xmllint --noout "$xml" 2>/dev/null; then
		crashed="$crashed $name"
		failed=$((failed + 1))
		echo "unit: $name: no results (exit $rc)"
		continue
	fi
	n=$(xmllint --xpath 'count(//testcase)' "$xml")
	f=$(xmllint --xpath 'count(//testcase[failure or error])' "$xml")
	s=$(xmllint --xpath 'count(//testcase[skipped and not(failure or error)])' "$xml")
	[ "$f" -gt 0 ] && xmllint --xpath '//testcase[failure or error]' "$xml" && echo
	passed=$((passed + n - s - f))
	failed=$((failed + f))
	line="unit: $name: $((n - s - f)) passed, $f failed"
	[ "$s" -gt 0 ] && line="$line, $s skipped"
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		crashed="$crashed $name"
		failed=$((failed + 1))
		line="$line, then exit $rc"
	fi
	echo "$line"
done
[ -n "$crashed" ] && echo "unit: test programs that crashed or failed to report:$crashed"
echo "unit: $passed passed, $failed failed; JUnit in $dir"
[ "$failed" -eq 0 ]
