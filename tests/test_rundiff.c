// SPDX-License-Identifier: GPL-2.0-only
/* test_rundiff.c - two runs' cells compared: regressions, fixes, changes, cells of one side. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "report/rundiff.h"

/* A run on 6.1 of four cells; the test edits copies of it */
static json_t *run_a(void)
{
	json_t *run = json_loads(
		"{\"options\": {\"kernels\": [\"debian:6.1\"]},"
		" \"kernels\": [{\"tag\": \"debian:6.1\"}],"
		" \"cells\": ["
		"  {\"id\": \"debian-6.1/s/a=0\", \"kernel\": \"debian:6.1\", \"verdict\": \"PASS\","
		"   \"kills\": [{\"comm\": \"grower\", \"badness\": {\"judgement\": \"consistent\"}}],"
		"   \"enomem\": [], \"panic_message\": null, \"reason\": \"killed grower\"},"
		"  {\"id\": \"debian-6.1/s/a=1\", \"kernel\": \"debian:6.1\", \"verdict\": \"FAIL\","
		"   \"kills\": [], \"enomem\": [], \"panic_message\": null, \"reason\": \"x\","
		"   \"findings\": [{\"evidence\": [\"kernel.log:9: Killed process 5 (y)\"]}]},"
		"  {\"id\": \"debian-6.1/s/a=2\", \"kernel\": \"debian:6.1\", \"verdict\": \"PASS\","
		"   \"kills\": [{\"comm\": \"grower\", \"badness\": {\"judgement\": \"consistent\"}}],"
		"   \"enomem\": [], \"panic_message\": null, \"reason\": \"killed grower\"},"
		"  {\"id\": \"debian-6.1/s/a=3\", \"kernel\": \"debian:6.1\", \"verdict\": \"PASS\","
		"   \"kills\": [], \"enomem\": [\"grower\"], \"panic_message\": null, \"reason\": \"e\"}]}",
		0, NULL);

	assert_non_null(run);
	return run;
}

static json_t *cell(json_t *run, int i)
{
	return json_array_get(json_object_get(run, "cells"), (size_t)i);
}

/* b against a: a=0 now fails, a=1 now passes, a=2 kills another, a=3 gone, a=4 new */
static void regressions_fixes_and_changes(void **state)
{
	json_t *a = run_a(), *b = json_deep_copy(a);
	struct rundiff_side sa = { a, NULL, "A" }, sb = { b, NULL, "B" };
	struct rundiff d;

	(void)state;
	json_object_set_new(cell(b, 0), "verdict", json_string("BROK"));
	json_object_set_new(cell(b, 1), "verdict", json_string("PASS"));
	json_object_set_new(json_array_get(json_object_get(cell(b, 2), "kills"), 0), "comm",
			    json_string("steady"));
	json_object_set_new(cell(b, 3), "id", json_string("debian-6.1/s/a=4"));
	assert_int_equal(rundiff_compare(&sa, &sb, &d), 0);
	assert_int_equal(d.count[RUNDIFF_REGRESSION], 1);
	assert_int_equal(d.count[RUNDIFF_FIX], 1);
	assert_int_equal(d.count[RUNDIFF_CHANGE], 1);
	assert_int_equal(d.count[RUNDIFF_ONLY_A], 1);
	assert_int_equal(d.count[RUNDIFF_ONLY_B], 1);
	assert_int_equal(d.same, 0);
	assert_string_equal(d.cells[0].key, "debian-6.1/s/a=0");
	assert_string_equal(d.cells[0].what, "verdict PASS -> BROK");
	assert_int_equal(d.cells[1].kind, RUNDIFF_FIX);
	assert_string_equal(d.cells[2].what, "killed [grower] -> [steady]");
	assert_string_equal(d.cells[3].key, "debian-6.1/s/a=3");
	assert_string_equal(d.cells[4].key, "debian-6.1/s/a=4");
	rundiff_release(&d);
	/* a run is alike to itself */
	assert_int_equal(rundiff_compare(&sa, &sa, &d), 0);
	assert_int_equal(d.ncells, 0);
	assert_int_equal(d.same, 4);
	rundiff_release(&d);
	json_decref(a);
	json_decref(b);
}

/*
 * Runs of other kernels meet by the cell within its kernel ("s/a=0"), as do two kernels of one
 * run named with RUN@KERNEL; runs of several kernels each must name one.
 */
static void kernels_meet_by_their_cells(void **state)
{
	json_t *a = run_a(), *b = json_deep_copy(a), *two;
	struct rundiff_side sa = { a, NULL, "A" }, sb = { b, NULL, "B" };
	struct rundiff d;
	size_t i;
	json_t *c;

	(void)state;
	json_object_set_new(json_object_get(b, "options"), "kernels",
			    json_pack("[s]", "debian:6.1.0-50"));
	json_array_foreach(json_object_get(b, "cells"), i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		char buf[128];

		snprintf(buf, sizeof(buf), "debian-6.1.0-50/%s", strchr(id, '/') + 1);
		json_object_set_new(c, "id", json_string(buf));
		json_object_set_new(c, "kernel", json_string("debian:6.1.0-50"));
	}
	json_object_set_new(cell(b, 2), "enomem", json_pack("[s]", "grower"));
	assert_int_equal(rundiff_compare(&sa, &sb, &d), 0);
	assert_int_equal(d.same, 3);
	assert_int_equal(d.ncells, 1);
	assert_string_equal(d.cells[0].key, "s/a=2");
	assert_string_equal(d.cells[0].what, "ENOMEM [] -> [grower]");
	rundiff_release(&d);

	/* one run of both: its kernels compared, and refused without naming them */
	two = json_deep_copy(a);
	json_array_extend(json_object_get(two, "cells"), json_object_get(b, "cells"));
	json_object_set_new(json_object_get(two, "options"), "kernels",
			    json_pack("[s, s]", "debian:6.1", "debian:6.1.0-50"));
	json_array_append_new(json_object_get(two, "kernels"),
			      json_pack("{s:s}", "tag", "debian:6.1.0-50"));
	sa = (struct rundiff_side){ two, "debian:6.1", "R@debian:6.1" };
	sb = (struct rundiff_side){ two, "debian:6.1.0-50", "R@debian:6.1.0-50" };
	assert_int_equal(rundiff_compare(&sa, &sb, &d), 0);
	assert_int_equal(d.same, 3);
	assert_int_equal(d.count[RUNDIFF_CHANGE], 1);
	rundiff_release(&d);
	sb = (struct rundiff_side){ b, NULL, "B" };
	sa = (struct rundiff_side){ two, NULL, "R" };
	assert_int_equal(rundiff_compare(&sa, &sb, &d), -1);
	json_decref(two);
	json_decref(a);
	json_decref(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(regressions_fixes_and_changes),
		cmocka_unit_test(kernels_meet_by_their_cells),
	};

	return cmocka_run_group_tests_name("test_rundiff", tests, NULL, NULL);
}
