// SPDX-License-Identifier: GPL-2.0-only
/* test_proto.c - the line format shared by the cell spec, agent records and workload reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "shared/proto.h"

static void record_with_prefix_splits_into_word_and_fields(void **state)
{
	char line[] = "@12 1834 exit name=grower pid=85 how=signal sig=9\n";
	struct proto_line l;

	assert_int_equal(proto_split(line, &l), 0);
	assert_int_equal(l.seq, 12);
	assert_int_equal(l.ms, 1834);
	assert_string_equal(l.word, "exit");
	assert_int_equal(l.nkv, 4);
	assert_string_equal(proto_get(&l, "name"), "grower");
	assert_int_equal(proto_getll(&l, "sig", -1), 9);
	assert_null(proto_get(&l, "code"));
	assert_int_equal(proto_getll(&l, "code", -7), -7);
}

static void report_without_prefix_has_no_sequence(void **state)
{
	char line[] = "holding bytes=67108864";
	struct proto_line l;

	assert_int_equal(proto_split(line, &l), 0);
	assert_int_equal(l.seq, -1);
	assert_string_equal(l.word, "holding");
	assert_int_equal(proto_getll(&l, "bytes", 0), 67108864LL);
}

static void escaped_value_round_trips(void **state)
{
	const char *text = "Out of memory: Killed process 85 (a=b%c)\ttab";
	char line[512] = "kmsg";
	struct proto_line l;

	assert_int_equal(proto_add(line, sizeof(line), "msg", text), 0);
	assert_null(strchr(line + 5, ' '));
	assert_int_equal(proto_split(line, &l), 0);
	assert_string_equal(proto_get(&l, "msg"), text);
}

static void repeated_keys_keep_their_order(void **state)
{
	char line[] = "workload name=w program=bigmm arg=--chunk arg=8M";
	struct proto_line l;
	int i, n = 0;
	const char *args[2];

	assert_int_equal(proto_split(line, &l), 0);
	for (i = 0; i < l.nkv; i++)
		if (!strcmp(l.kv[i].key, "arg"))
			args[n++] = l.kv[i].val;
	assert_int_equal(n, 2);
	assert_string_equal(args[0], "--chunk");
	assert_string_equal(args[1], "8M");
}

static void malformed_lines_are_refused(void **state)
{
	char empty[] = "   ", nofield[] = "exit name", badesc[] = "exit name=%zz",
	     badseq[] = "@x 1 hello", noword[] = "@1 2", keyless[] = "exit =v";
	struct proto_line l;

	assert_int_equal(proto_split(empty, &l), -1);
	assert_int_equal(proto_split(nofield, &l), -1);
	assert_int_equal(proto_split(badesc, &l), -1);
	assert_int_equal(proto_split(badseq, &l), -1);
	assert_int_equal(proto_split(noword, &l), -1);
	assert_int_equal(proto_split(keyless, &l), -1);
}

static void add_refuses_a_value_that_would_be_cut(void **state)
{
	char line[24] = "w";

	assert_int_equal(proto_add(line, sizeof(line), "k", "0123456789"), 0);
	assert_string_equal(line, "w k=0123456789");
	/* a value that no longer fits leaves the line as it was */
	assert_int_equal(proto_add(line, sizeof(line), "k", "a b c"), -1);
	assert_string_equal(line, "w k=0123456789");
	assert_int_equal(proto_addll(line, sizeof(line), "n", 42), 0);
	assert_string_equal(line, "w k=0123456789 n=42");
}

static void sizes_take_binary_units(void **state)
{
	unsigned long long v;

	assert_int_equal(proto_parse_size("512M", &v), 0);
	assert_true(v == 512ULL << 20);
	assert_int_equal(proto_parse_size("4G", &v), 0);
	assert_true(v == 4ULL << 30);
	assert_int_equal(proto_parse_size("64KiB", &v), 0);
	assert_true(v == 64ULL << 10);
	assert_int_equal(proto_parse_size("4096", &v), 0);
	assert_true(v == 4096);
	assert_int_equal(proto_parse_size("0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(proto_parse_size("8X", &v), -1);
	assert_int_equal(proto_parse_size("-1M", &v), -1);
	assert_int_equal(proto_parse_size("", &v), -1);
	assert_int_equal(proto_parse_size("99999999999999999999", &v), -1);
	assert_int_equal(proto_parse_size("20000000000G", &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(record_with_prefix_splits_into_word_and_fields),
		cmocka_unit_test(report_without_prefix_has_no_sequence),
		cmocka_unit_test(escaped_value_round_trips),
		cmocka_unit_test(repeated_keys_keep_their_order),
		cmocka_unit_test(malformed_lines_are_refused),
		cmocka_unit_test(add_refuses_a_value_that_would_be_cut),
		cmocka_unit_test(sizes_take_binary_units),
	};

	return cmocka_run_group_tests_name("test_proto", tests, NULL, NULL);
}
