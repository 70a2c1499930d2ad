// SPDX-License-Identifier: GPL-2.0-only
/* test_modload.c - the agent's module loader, on the host: list reading and reporting. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "shared/modload.h"

/*
 * Every path in these lists is one that does not exist, so open(2) fails before anything
 * reaches finit_module(2): the tests see how the list is read and each outcome reported,
 * and load nothing into the host's kernel.
 */

struct seen {
	char paths[8][PATH_MAX + 1];
	int errs[8];
	int n;
};

static void record(const char *path, int err, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8) {
		snprintf(s->paths[s->n], sizeof(s->paths[0]), "%s", path);
		s->errs[s->n] = err;
	}
	s->n++;
}

static char list_path[64];

static void write_list(const char *text, size_t len)
{
	FILE *f;

	snprintf(list_path, sizeof(list_path), "/tmp/oomlab-modload.%d", (int)getpid());
	f = fopen(list_path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

static void each_line_is_reported_in_order_blank_ones_skipped(void **state)
{
	static const char text[] = "/nonexistent/a.ko\n\n/nonexistent/b.ko.xz\n/nonexistent/c.ko";
	struct seen s = { 0 };

	write_list(text, sizeof(text) - 1);
	/* three failures: the last line, without '\n', is a module too */
	assert_int_equal(modload_run(list_path, record, &s), 3);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.paths[0], "/nonexistent/a.ko");
	assert_string_equal(s.paths[1], "/nonexistent/b.ko.xz");
	assert_string_equal(s.paths[2], "/nonexistent/c.ko");
	assert_int_equal(s.errs[0], ENOENT);
	assert_int_equal(s.errs[2], ENOENT);
	unlink(list_path);
}

static void a_line_longer_than_a_path_is_reported_once(void **state)
{
	size_t long_len = PATH_MAX + 100, len;
	char *text = malloc(long_len + 64);
	struct seen s = { 0 };

	assert_non_null(text);
	memset(text, 'x', long_len);
	len = long_len;
	len += (size_t)sprintf(text + len, "\n/nonexistent/after.ko\n");
	write_list(text, len);
	assert_int_equal(modload_run(list_path, record, &s), 2);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.errs[0], ENAMETOOLONG);
	/* the rest of the long line is skipped, and the next line read whole */
	assert_string_equal(s.paths[1], "/nonexistent/after.ko");
	assert_int_equal(s.errs[1], ENOENT);
	free(text);
	unlink(list_path);
}

static void a_list_longer_than_the_buffer_is_read_whole(void **state)
{
	struct seen s = { 0 };
	char *text = malloc(2000 * 32);
	size_t len = 0;
	int i;

	assert_non_null(text);
	for (i = 0; i < 2000; i++)
		len += (size_t)sprintf(text + len, "/nonexistent/m%04d.ko\n", i);
	write_list(text, len);
	assert_int_equal(modload_run(list_path, record, &s), 2000);
	assert_int_equal(s.n, 2000);
	assert_string_equal(s.paths[7], "/nonexistent/m0007.ko");
	free(text);
	unlink(list_path);
}

static void a_missing_list_is_minus_one_with_errno(void **state)
{
	struct seen s = { 0 };

	errno = 0;
	assert_int_equal(modload_run("/nonexistent/load.list", record, &s), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(s.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_line_is_reported_in_order_blank_ones_skipped),
		cmocka_unit_test(a_line_longer_than_a_path_is_reported_once),
		cmocka_unit_test(a_list_longer_than_the_buffer_is_read_whole),
		cmocka_unit_test(a_missing_list_is_minus_one_with_errno),
	};

	return cmocka_run_group_tests_name("test_modload", tests, NULL, NULL);
}
