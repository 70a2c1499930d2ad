// SPDX-License-Identifier: GPL-2.0-only
/* test_stream.c - a log fed to the parser in pieces reads exactly as the same log whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdata.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "observe/oomreport.h"
#include "report/explain.h"

/* explain's JSON for log: every field of every event, to compare two logs by */
static char *json_of(const struct oom_log *log)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	explain_print(out, log, "log", 1);
	fclose(out);
	return text;
}

/* Fails with the first line of explain's JSON where the two reads differ, and both sides */
static void fail_first_difference(int round, const char *whole, const char *pieced)
{
	const char *a = whole, *b = pieced;
	int line = 1;

	for (; *a && *a == *b; a++, b++)
		line += *a == '\n';
	while (a > whole && a[-1] != '\n')
		a--, b--;
	fail_msg("round %d: explain's JSON line %d, expected (read whole): %.*s\n"
		 "seen (read in pieces): %.*s", round, line, (int)strcspn(a, "\n"), a,
		 (int)strcspn(b, "\n"), b);
}

/*
 * Every real log of tests/data, one after another, three times over: some MB (the window
 * drops what it no longer needs a megabyte at a time), many reports, every paste style.
 */
static char *all_logs(size_t *len)
{
	static const char *const patterns[] = { "oomreport/*.log", "cells/*/console.log" };
	char *all = NULL, pattern[4096];
	size_t i, k;

	*len = 0;
	for (k = 0; k < 3 * sizeof(patterns) / sizeof(patterns[0]); k++) {
		glob_t g;

		snprintf(pattern, sizeof(pattern), "%s/%s", testdata_dir(), patterns[k % 2]);
		assert_int_equal(glob(pattern, 0, NULL, &g), 0);
		for (i = 0; i < g.gl_pathc; i++) {
			size_t n;
			char *text = testdata_read(g.gl_pathv[i] + strlen(testdata_dir()) + 1, &n);

			all = realloc(all, *len + n + 1);
			assert_non_null(all);
			memcpy(all + *len, text, n);
			*len += n;
			/* a file whose last line has no '\n' must not run into the next */
			if (n && text[n - 1] != '\n')
				all[(*len)++] = '\n';
			free(text);
		}
		globfree(&g);
	}
	return all;
}

/*
 * The pieces' sizes are drawn from 1 byte to 300 KB, so that lines, reports and the window's
 * look-back and look-ahead all fall across pieces somewhere; then the same with room and add.
 */
static void pieces_read_as_the_whole(void **state)
{
	uint32_t seed = 20261206;
	size_t len, at, n;
	char *all = all_logs(&len), *whole, *pieced;
	struct oom_log *log = oomreport_parse(all, len), *plog;
	int round;

	(void)state;
	assert_true(len > 2 * 1024 * 1024);
	whole = json_of(log);
	assert_true(log->nevents > 100);
	for (round = 0; round < 4; round++) {
		struct oomreport_stream *st = oomreport_stream_new();

		assert_non_null(st);
		for (at = 0; at < len; at += n) {
			seed = seed * 1103515245 + 12345;
			n = round % 2 ? 1 + (seed >> 8) % 300000 : 1 + (seed >> 8) % 5000;
			if (n > len - at)
				n = len - at;
			if (round < 2) {
				assert_int_equal(oomreport_stream_feed(st, all + at, n), 0);
			} else {
				char *room = oomreport_stream_room(st, n);

				assert_non_null(room);
				memcpy(room, all + at, n);
				oomreport_stream_add(st, n);
			}
		}
		plog = oomreport_stream_end(st);
		assert_int_equal(plog->nlines, log->nlines);
		assert_int_equal(plog->nevents, log->nevents);
		pieced = json_of(plog);
		if (strcmp(pieced, whole))
			fail_first_difference(round, whole, pieced);
		free(pieced);
		oomreport_free(plog);
	}
	free(whole);
	oomreport_free(log);
	free(all);
}

/* Nothing fed, or one line with no end: as oomreport_parse() reads them */
static void empty_and_unended_streams(void **state)
{
	struct oomreport_stream *st = oomreport_stream_new();
	struct oom_log *log;

	(void)state;
	log = oomreport_stream_end(st);
	assert_int_equal(log->nlines, 0);
	assert_int_equal(log->nevents, 0);
	oomreport_free(log);
	st = oomreport_stream_new();
	assert_int_equal(oomreport_stream_feed(st, "[ 1.0] Out of memory: Killed process 1 (a)", 42), 0);
	log = oomreport_stream_end(st);
	assert_int_equal(log->nlines, 1);
	assert_int_equal(log->nevents, 1);
	oomreport_free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pieces_read_as_the_whole),
		cmocka_unit_test(empty_and_unended_streams),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
