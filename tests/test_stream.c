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
#include "oracles/badness.h"
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

/*
 * explain as the command runs it: text fed in pieces of 1 to max bytes, each event judged and
 * printed on another thread once the parser has moved past it (its task table then freed)
 * while the parse goes on; after every sync_every-th piece the printing catches up with the
 * parse. Returns what was printed; *plog is the log parsed, *beside the events printed by the
 * last catch-up.
 */
static char *explained_in_pieces(const char *text, size_t len, int json, size_t max,
				 int sync_every, struct oom_log **plog, int *beside)
{
	struct oomreport_stream *st = oomreport_stream_new();
	uint32_t seed = 7;
	size_t at, n, olen;
	char *printed;
	FILE *out = open_memstream(&printed, &olen);
	struct explainer *ex = explainer_new(out, "log", json);
	struct oom_log *log;
	int pieces = 0, nfinal;

	assert_non_null(st);
	assert_non_null(out);
	assert_non_null(ex);
	*beside = 0;
	for (at = 0; at < len; at += n) {
		char *room;

		seed = seed * 1103515245 + 12345;
		n = 1 + (seed >> 8) % max;
		if (n > len - at)
			n = len - at;
		room = oomreport_stream_room(st, n);
		assert_non_null(room);
		memcpy(room, text + at, n);
		explainer_hold(ex);
		oomreport_stream_add(st, n);
		log = oomreport_stream_log(st, &nfinal);
		explainer_let(ex, log, nfinal);
		if (++pieces % sync_every == 0)
			*beside = explainer_sync(ex);
	}
	explainer_hold(ex);
	*plog = oomreport_stream_end(st);
	explainer_let(ex, *plog, (*plog)->nevents);
	assert_int_equal(explainer_end(ex, *plog), (*plog)->nevents);
	fclose(out);
	return printed;
}

/* explain_print()'s text or JSON of a whole log */
static char *explained_whole(const struct oom_log *log, int json)
{
	char *printed;
	size_t olen;
	FILE *out = open_memstream(&printed, &olen);

	assert_non_null(out);
	assert_int_equal(explain_print(out, log, "log", json), log->nevents);
	fclose(out);
	return printed;
}

/* Every real log, explained while parsed, as the whole log explained at the end, byte for byte */
static void explained_while_parsed(void **state)
{
	size_t len;
	char *all = all_logs(&len), *whole, *pieced;
	struct oom_log *log = oomreport_parse(all, len), *plog;
	int json, i, k, beside;

	(void)state;
	for (json = 0; json < 2; json++) {
		whole = explained_whole(log, json);
		pieced = explained_in_pieces(all, len, json, 100000, 4, &plog, &beside);
		assert_int_equal(plog->nevents, log->nevents);
		/*
		 * Those printed beside the parse lose their task tables, and only those: a prefix
		 * of the events that holds at least the ones printed at the last catch-up.
		 */
		for (k = 0; k < plog->nevents && !plog->events[k].tasks; k++)
			assert_int_equal(plog->events[k].ntasks, 0);
		for (i = k; i < plog->nevents; i++)
			assert_int_equal(plog->events[i].ntasks, log->events[i].ntasks);
		if (json) {
			assert_true(beside > log->nevents / 2);
			assert_true(k >= beside);
		} else {
			/* text needs the whole log ("event i of n"): it is all printed at the end */
			assert_int_equal(beside, 0);
		}
		if (strcmp(pieced, whole))
			fail_first_difference(json, whole, pieced);
		free(whole);
		free(pieced);
		oomreport_free(plog);
	}
	oomreport_free(log);
	free(all);
}

/*
 * A panic read while its event is still open belongs to that event, not to the one before,
 * which may be judged meanwhile: a report, then a boot whose report panics, then enough other
 * messages for the parser to read past the panic before the end; read a little at a time with
 * the printing always caught up.
 */
static void panic_read_beside_the_printing(void **state)
{
	size_t n1, n2, len, at;
	char *a = testdata_read("cells/memcg-kill/console.log", &n1);
	char *b = testdata_read("oomreport/debian61-global-two-hogs-panic-on-oom.log", &n2);
	char *text = malloc(n1 + n2 + 300000), *whole, *pieced;
	struct oom_log *log, *plog;
	int beside, i;

	(void)state;
	assert_non_null(text);
	memcpy(text, a, n1);
	memcpy(text + n1, b, n2);
	for (at = n1 + n2, i = 0; at < n1 + n2 + 200000; i++)
		at += (size_t)sprintf(text + at, "[%6d.000000] reboot: Power down %d\n", 100 + i, i);
	len = at;
	log = oomreport_parse(text, len);
	assert_int_equal(log->nevents, 2);
	assert_true(log->has_panic);
	assert_null(badness_event_panic(log, 0));
	assert_non_null(badness_event_panic(log, 1));
	whole = explained_whole(log, 1);
	pieced = explained_in_pieces(text, len, 1, 300, 1, &plog, &beside);
	assert_int_equal(beside, 1);
	if (strcmp(pieced, whole))
		fail_first_difference(0, whole, pieced);
	free(whole);
	free(pieced);
	oomreport_free(plog);
	oomreport_free(log);
	free(text);
	free(a);
	free(b);
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
		cmocka_unit_test(explained_while_parsed),
		cmocka_unit_test(panic_read_beside_the_printing),
		cmocka_unit_test(empty_and_unended_streams),
	};

	return cmocka_run_group_tests_name("test_stream", tests, NULL, NULL);
}
