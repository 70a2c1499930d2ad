// SPDX-License-Identifier: GPL-2.0-only
/* test_kwscan.c - the keyword scans find what a byte-by-byte search finds, wherever it lies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "observe/kwscan.h"

/* The answer both scans are held to: kwscan_at() tried at every byte. */
static const char *find_naive(const char *p, const char *end)
{
	for (; p < end; p++)
		if (kwscan_at(p, end))
			return p;
	return end;
}

/* xorshift: the same buffers on every run */
static uint32_t next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * Buffers of the letters keywords are made of, and near misses ("pad", "Ou", "oo", "-- "
 * without more), with whole keywords dropped in at random places: at block edges, across
 * them, in the last bytes. Each scan, from every start, must stop where the naive one does.
 */
static void scans_agree_with_a_search_byte_by_byte(void **state)
{
	static const char *const pieces[] = {
		"pa", "pi", "pad", "oo", "OO", "Ou", "il", "Ta", ": ", "--", "- ", "\n", " ", "x",
		"Me", "panic", "pid", "oom", "OOM", "Out of memory", "Kill process",
		"Killed process", "Task in ", "Tasks state", ": usage ", "-- Boot ", "-- Reboot --",
		"Memory cgroup stats for ", "Out of memor", "illed proces", "Tasks stat",
		"Memory cgroup stats fo",
	};
	uint32_t seed = 20261206;
	char buf[300];
	int round;

	(void)state;
	for (round = 0; round < 2000; round++) {
		size_t len = next(&seed) % sizeof(buf), n = 0, start;

		while (n < len) {
			const char *piece = next(&seed) % 3 ?
					    pieces[next(&seed) % 15] :
					    pieces[next(&seed) % (sizeof(pieces) / sizeof(pieces[0]))];
			size_t k = strlen(piece);

			if (k > len - n)
				k = len - n;
			memcpy(buf + n, piece, k);
			n += k;
		}
		for (start = 0; start <= len; start++) {
			const char *want = find_naive(buf + start, buf + len), *q, *found, *generic;
			size_t nl = 7, want_nl = 7; /* it adds to what is there */

			for (q = buf + start; q < want; q++)
				want_nl += *q == '\n';
			found = kwscan_find(buf + start, buf + len, &nl);
			generic = kwscan_find_generic(buf + start, buf + len);
			if (found != want || generic != want || nl != want_nl ||
			    kwscan_find(buf + start, buf + len, NULL) != want)
				fail_msg("round %d, from %zu of %zu bytes \"%.*s\": expected the "
					 "keyword at %td after %zu newlines, kwscan_find says %td after "
					 "%zu, the generic scan %td", round, start, len, (int)len, buf,
					 want - buf, want_nl - 7, found - buf, nl - 7, generic - buf);
		}
	}
}

static void newlines_are_counted_in_any_length(void **state)
{
	char buf[700];
	size_t len, i, want;

	(void)state;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i % 7 == 3 ? '\n' : 'a';
	for (len = 0; len <= sizeof(buf); len += 13) {
		for (i = 0, want = 0; i < len; i++)
			want += buf[i] == '\n';
		assert_int_equal(kwscan_newlines(buf, buf + len), want);
	}
}

/*
 * Each keyword kwscan.c lists, at every offset of a block of plain bytes: both scans find it
 * there (the portable scan's first bytes are written out apart from the list).
 */
static void every_keyword_is_found_by_both_scans(void **state)
{
	const char *kw;
	char buf[96];
	size_t i, at;

	(void)state;
	for (i = 0; (kw = kwscan_keyword(i)); i++) {
		for (at = 0; at + strlen(kw) <= sizeof(buf); at++) {
			memset(buf, 'x', sizeof(buf));
			memcpy(buf + at, kw, strlen(kw));
			if (kwscan_find_generic(buf, buf + sizeof(buf)) != buf + at ||
			    kwscan_find(buf, buf + sizeof(buf), NULL) != buf + at)
				fail_msg("keyword '%s' at %zu: expected found there, seen: portable "
					 "scan at %td, kwscan_find at %td", kw, at,
					 kwscan_find_generic(buf, buf + sizeof(buf)) - buf,
					 kwscan_find(buf, buf + sizeof(buf), NULL) - buf);
		}
	}
	assert_true(i >= 13);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scans_agree_with_a_search_byte_by_byte),
		cmocka_unit_test(newlines_are_counted_in_any_length),
		cmocka_unit_test(every_keyword_is_found_by_both_scans),
	};

	return cmocka_run_group_tests_name("test_kwscan", tests, NULL, NULL);
}
