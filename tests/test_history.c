// SPDX-License-Identifier: GPL-2.0-only
/* test_history.c - runs recorded in the history database, and a cell shown across them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/history.h"

static json_t *run_on(const char *id, const char *tag, const char *package, const char *victim)
{
	json_t *run = json_pack(
		"{s:s, s:s, s:b, s:{s:s, s:s}, s:[{s:s, s:s, s:s, s:s}],"
		" s:[{s:s, s:s, s:s, s:{s:i}, s:s, s:s, s:[{s:s, s:{s:s}}], s:[], s:n, s:f, s:s}]}",
		"run_id", id, "started", id, "interrupted", 0, "oomlab", "version", "0.1.0",
		"commit", "0123456789ab", "kernels", "tag", tag, "package", package, "version", "1",
		"release", "r", "cells", "id", "debian-6.1/s/a=0", "scenario", "s", "kernel", tag,
		"params", "a", 0, "verdict", "PASS", "ending", "poweroff", "kills", "comm", victim,
		"badness", "judgement", "consistent", "enomem", "panic_message", "wall_s", 2.5,
		"reason", "killed");

	assert_non_null(run);
	return run;
}

/* The shown text of glob, in memory */
static char *shown(const char *db, const char *glob, int *n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	*n = history_show(db, glob, out);
	fclose(out);
	return text;
}

static void runs_are_recorded_and_a_cell_shown_across_them(void **state)
{
	char dir[] = "/tmp/oomlab-test-history.XXXXXX", *db, *text;
	json_t *a = run_on("20261201-000000", "debian:6.1.0-50", "linux-image-6.1.0-50", "grower");
	json_t *b = run_on("20261202-000000", "debian:6.1.0-57", "linux-image-6.1.0-57", "steady");
	int n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	db = xasprintf("%s/history.sqlite", dir);
	assert_int_equal(history_record(db, a, "results/a"), 0);
	assert_int_equal(history_record(db, b, "results/b"), 0);
	/* recorded again (--resume), a run replaces its rows */
	assert_int_equal(history_record(db, b, "results/b"), 0);
	text = shown(db, "s/*", &n);
	assert_int_equal(n, 2);
	assert_non_null(strstr(text, "s/a=0\n  20261201-000000   debian:6.1.0-50"));
	assert_non_null(strstr(text, "linux-image-6.1.0-57"));
	assert_non_null(strstr(text, "PASS  killed steady (consistent)  2.5s  oomlab 0.1.0 "
					"(0123456789ab)"));
	free(text);
	text = shown(db, "nothing/*", &n);
	assert_int_equal(n, 0);
	free(text);
	/* a database a newer oomlab wrote is not written into */
	{
		sqlite3 *h;

		assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
		assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL),
				 SQLITE_OK);
		sqlite3_close(h);
	}
	assert_int_equal(history_record(db, a, "results/a"), -1);
	unlink(db);
	rmdir(dir);
	free(db);
	json_decref(a);
	json_decref(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runs_are_recorded_and_a_cell_shown_across_them),
	};

	return cmocka_run_group_tests_name("test_history", tests, NULL, NULL);
}
