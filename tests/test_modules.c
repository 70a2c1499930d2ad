// SPDX-License-Identifier: GPL-2.0-only
/* test_modules.c - the module resolver on the fixture kernel tree of tests/data/modules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "modules.h"
#include "util.h"
#include "testdata.h"

static char tree[4096];
static char moddir[4200];

static int setup(void **state)
{
	snprintf(tree, sizeof(tree), "%s/modules", testdata_dir());
	snprintf(moddir, sizeof(moddir), "%s/lib/modules/0.0-fixture", tree);
	return 0;
}

/* Resolves the NULL-terminated names and expects success; the caller releases *list. */
static void resolve_ok(struct modules_list *list, const char *const *names)
{
	char err[512] = "";
	size_t n = 0;

	while (names[n])
		n++;
	if (modules_resolve(list, tree, names, n, err, sizeof(err)))
		fail_msg("modules_resolve failed: %s", err);
}

/* Resolves the names, expects failure, and returns the error line (static). */
static const char *resolve_err(const char *const *names)
{
	struct modules_list list = MODULES_LIST_INIT;
	static char err[512];
	size_t n = 0;

	while (names[n])
		n++;
	err[0] = '\0';
	assert_int_equal(modules_resolve(&list, tree, names, n, err, sizeof(err)), -1);
	assert_null(list.files);
	assert_int_equal(list.nr_files, 0);
	assert_null(list.load_list);
	return err;
}

/* The load order as "a b c", to compare in one assertion that shows both sides. */
static char *order_of(const struct modules_list *list)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < list->nr_files; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", list->files[i].name);
	return strbuf_detach(&sb);
}

static void assert_order(const char *const *names, const char *want)
{
	struct modules_list list = MODULES_LIST_INIT;
	char *got;

	resolve_ok(&list, names);
	got = order_of(&list);
	assert_string_equal(got, want);
	free(got);
	modules_list_release(&list);
}

static void chain_loads_dependencies_first(void **state)
{
	const char *names[] = { "chain_top", NULL };
	struct modules_list list = MODULES_LIST_INIT;
	char *src;

	resolve_ok(&list, names);
	assert_int_equal(list.nr_files, 3);
	assert_string_equal(list.files[0].name, "chain_base");
	assert_string_equal(list.files[1].name, "chain_mid");
	assert_string_equal(list.files[2].name, "chain_top");
	src = xasprintf("%s/kernel/chain/chain_base.ko", moddir);
	assert_string_equal(list.files[0].src, src);
	assert_string_equal(list.files[0].dst, "lib/modules/chain_base.ko");
	assert_string_equal(list.load_list, "/lib/modules/chain_base.ko\n"
					    "/lib/modules/chain_mid.ko\n"
					    "/lib/modules/chain_top.ko\n");
	assert_int_equal(list.nr_builtin, 0);
	free(src);
	modules_list_release(&list);
	assert_null(list.files);
	assert_null(list.load_list);
}

static void shared_dependency_loaded_once(void **state)
{
	const char *names[] = { "share_a", "share_b", "share_lib", NULL };

	assert_order(names, "share_lib share_a share_b");
}

static void wanted_twice_loaded_once(void **state)
{
	const char *names[] = { "chain_mid", "chain_top", "chain_mid", NULL };

	assert_order(names, "chain_base chain_mid chain_top");
}

static void builtin_dependency_skipped(void **state)
{
	const char *names[] = { "uses_builtin", NULL };
	struct modules_list list = MODULES_LIST_INIT;

	resolve_ok(&list, names);
	assert_int_equal(list.nr_files, 2);
	assert_string_equal(list.files[0].name, "chain_base");
	assert_string_equal(list.files[1].name, "uses_builtin");
	assert_int_equal(list.nr_builtin, 0); /* only wanted modules are named as builtin */
	modules_list_release(&list);
}

static void wanted_builtin_needs_no_file(void **state)
{
	const char *names[] = { "core_builtin", "other-builtin", "core-builtin", NULL };
	struct modules_list list = MODULES_LIST_INIT;

	resolve_ok(&list, names);
	assert_int_equal(list.nr_files, 0);
	assert_int_equal(list.nr_builtin, 2);
	assert_string_equal(list.builtin[0], "core_builtin");
	assert_string_equal(list.builtin[1], "other_builtin");
	assert_string_equal(list.load_list, "");
	modules_list_release(&list);
	assert_null(list.builtin);
}

static void dash_and_underscore_are_one(void **state)
{
	const char *dash[] = { "dash-name", NULL };
	const char *both[] = { "dash_name", "dash_user", "dash-name", NULL };
	struct modules_list list = MODULES_LIST_INIT;

	resolve_ok(&list, dash);
	assert_int_equal(list.nr_files, 1);
	assert_string_equal(list.files[0].name, "dash_name");
	assert_string_equal(list.files[0].dst, "lib/modules/dash-name.ko");
	modules_list_release(&list);
	/* dash_user's modinfo says "depends=dash_name", its file is dash-name.ko */
	assert_order(both, "dash_name dash_user");
}

static void compressed_module_read(void **state)
{
	const char *names[] = { "packed", NULL };
	struct modules_list list = MODULES_LIST_INIT;

	resolve_ok(&list, names);
	assert_int_equal(list.nr_files, 3);
	assert_string_equal(list.files[1].name, "chain_mid"); /* read from inside the .xz */
	assert_string_equal(list.files[2].dst, "lib/modules/packed.ko.xz");
	assert_string_equal(list.load_list, "/lib/modules/chain_base.ko\n"
					    "/lib/modules/chain_mid.ko\n"
					    "/lib/modules/packed.ko.xz\n");
	modules_list_release(&list);
}

static void unknown_module_error(void **state)
{
	const char *names[] = { "chain_top", "no-such", NULL };
	char want[4608];

	snprintf(want, sizeof(want), "module 'no-such': expected in modules.order or "
		 "modules.builtin of '%s', found in neither", moddir);
	assert_string_equal(resolve_err(names), want);
}

static void unknown_dependency_error(void **state)
{
	const char *names[] = { "needs_missing", NULL };
	char want[4608];

	snprintf(want, sizeof(want), "module 'no_such_dep' (needed by 'needs_missing'): expected "
		 "in modules.order or modules.builtin of '%s', found in neither", moddir);
	assert_string_equal(resolve_err(names), want);
}

static void cycle_error(void **state)
{
	const char *names[] = { "cycle_a", NULL };

	assert_string_equal(resolve_err(names), "module 'cycle_a': expected dependencies without "
			    "a cycle, found cycle_a -> cycle_b -> cycle_a");
}

static void missing_file_error(void **state)
{
	const char *names[] = { "gone", NULL };
	char want[4608];

	snprintf(want, sizeof(want), "module 'gone': expected the file '%s/kernel/misc/gone.ko' "
		 "(or .xz, .zst, .gz), found none", moddir);
	assert_string_equal(resolve_err(names), want);
}

static void unreadable_module_error(void **state)
{
	const char *names[] = { "not_elf", NULL };
	char want[4608];
	const char *err = resolve_err(names);

	snprintf(want, sizeof(want), "module 'not_elf': expected modinfo in "
		 "'%s/kernel/misc/not_elf.ko', found an unreadable file (", moddir);
	if (strncmp(err, want, strlen(want)))
		fail_msg("expected '%s...', found '%s'", want, err);
}

static void tree_without_release_error(void **state)
{
	const char *names[] = { "chain_top", NULL };
	struct modules_list list = MODULES_LIST_INIT;
	char err[512] = "", want[8192];
	char *bad = xasprintf("%s/kernel", moddir); /* a directory, but no kernel tree */

	snprintf(want, sizeof(want), "kernel tree '%s': expected a directory '%s/lib/modules', "
		 "found none (No such file or directory)", bad, bad);
	assert_int_equal(modules_resolve(&list, bad, names, 1, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	free(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chain_loads_dependencies_first),
		cmocka_unit_test(shared_dependency_loaded_once),
		cmocka_unit_test(wanted_twice_loaded_once),
		cmocka_unit_test(builtin_dependency_skipped),
		cmocka_unit_test(wanted_builtin_needs_no_file),
		cmocka_unit_test(dash_and_underscore_are_one),
		cmocka_unit_test(compressed_module_read),
		cmocka_unit_test(unknown_module_error),
		cmocka_unit_test(unknown_dependency_error),
		cmocka_unit_test(cycle_error),
		cmocka_unit_test(missing_file_error),
		cmocka_unit_test(unreadable_module_error),
		cmocka_unit_test(tree_without_release_error),
	};

	return cmocka_run_group_tests_name("test_modules", tests, setup, NULL);
}
