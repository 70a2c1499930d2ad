// SPDX-License-Identifier: GPL-2.0-only
/* test_explain.c - pins what "oomlab explain" prints: its key text lines and its JSON keys. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdata.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/explain.h"

/*
 * The formatter runs on parsed logs into a memory stream: no process, no shell. Samples come
 * from tests/data (OOMLAB_TESTDATA overrides it).
 */

static struct oom_log *parse_data(const char *name)
{
	size_t n;
	char *buf = testdata_read(name, &n);
	struct oom_log *log = oomreport_parse(buf, n);

	free(buf);
	assert_non_null(log);
	return log;
}

/* Runs explain_print() into memory; returns the text (free it) and the count via *n. */
static char *explain_to_string(const struct oom_log *log, int json, int *n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	*n = explain_print(out, log, "test.log", json);
	fclose(out);
	assert_non_null(text);
	return text;
}

/* o[key] or, with sub, o[key][sub] */
static json_t *jat(json_t *o, const char *key, const char *sub)
{
	json_t *j = json_object_get(o, key);

	return sub ? json_object_get(j, sub) : j;
}

static const char *jstr_at(json_t *o, const char *key, const char *sub)
{
	return json_string_value(jat(o, key, sub));
}

static long long jint_at(json_t *o, const char *key, const char *sub)
{
	return json_integer_value(jat(o, key, sub));
}

static void assert_has(const char *s, const char *sub)
{
	if (!s || !strstr(s, sub))
		fail_msg("'%s' not found in:\n%s", sub, s ? s : "(no output)");
}

static void assert_fits_100_columns(const char *text)
{
	const char *p = text;

	while (*p) {
		size_t len = strcspn(p, "\n");

		if (len > 100)
			fail_msg("line of %zu columns: %.*s", len, (int)len, p);
		p += len + (p[len] == '\n');
	}
}

static void text_names_totalpages_victim_judgement_and_ranking(void **state)
{
	struct oom_log *log = parse_data("cells/kill-grower/console.log");
	int n;
	char *text = explain_to_string(log, 0, &n);

	assert_int_equal(n, 1);
	assert_has(text, "OOM event 1 of 1, line 333, at 14.616681\n");
	assert_has(text, "  invoker     grower (pid 86), order 0, GFP_HIGHUSER_MOVABLE");
	assert_has(text, "  kind        global, CONSTRAINT_NONE\n");
	assert_has(text, "  kernel      generation C, 5.9 or later");
	assert_has(text, "  totalpages  120263: RAM 130942 - reserved 10679 + swap 0 pages");
	assert_has(text, "  victim      grower (pid 86), killed at line 390\n");
	assert_has(text, "  judgement   consistent\n");
	assert_has(text, "  why         grower (pid 86) had the most points, 95979");
	assert_has(text, "  *      86      0  grower                 95979     95782        0"
		   "    197");
	assert_has(text, "         85      0  steady                 16558");
	assert_has(text, "\n1 OOM event: 1 consistent\n");
	assert_fits_100_columns(text);
	free(text);
	oomreport_free(log);
}

static void text_of_every_sample_fits_100_columns(void **state)
{
	static const char *const files[] = {
		"oomreport/assembled-4.14-syslog-nr_pmds.log",
		"oomreport/assembled-6.1-memcg-v2-oom-group.log",
		"oomreport/assembled-6.12-kmsg-rss-parts.log",
		"oomreport/gpud-70-k8s-summary-syslog.log",
		"oomreport/debian61-adj-protect-excluded.log",
		"oomreport/relate-1383-6.x-rss-parts-dmesg-T.log",
		"oomreport/k8s-56891-rhel7-memcg-dmesg-T.log",
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct oom_log *log = parse_data(files[i]);
		int n;
		char *text = explain_to_string(log, 0, &n);

		assert_true(n >= 1);
		assert_fits_100_columns(text);
		free(text);
		oomreport_free(log);
	}
}

static void text_of_policy_events_says_which_rule(void **state)
{
	struct oom_log *log = parse_data("oomreport/debian61-global-two-hogs-panic-on-oom.log");
	int n;
	char *text = explain_to_string(log, 0, &n);

	assert_has(text, "  victim      none\n");
	assert_has(text, "  panic       Out of memory: system-wide panic_on_oom is enabled\n");
	assert_has(text, "  judgement   policy\n");
	assert_has(text, "vm.panic_on_oom");
	free(text);
	oomreport_free(log);

	log = parse_data("oomreport/assembled-6.1-memcg-v2-oom-group.log");
	text = explain_to_string(log, 0, &n);
	assert_has(text, "  kind        memcg, CONSTRAINT_MEMCG, "
		   "memcg /oomlab.slice/group.scope\n");
	assert_has(text, "  also killed sh (pid 7000) at line 21, with its memory.oom.group\n");
	assert_has(text, "  x    7003");
	free(text);
	oomreport_free(log);
}

static void json_holds_the_documented_keys(void **state)
{
	struct oom_log *log = parse_data("oomreport/debian61-adj-prefer-adj-term.log");
	json_t *root, *ev, *r0;
	json_error_t err;
	int n;
	char *text = explain_to_string(log, 1, &n);

	assert_int_equal(n, 1);
	root = json_loads(text, 0, &err);
	if (!root)
		fail_msg("not JSON (%s): %s", err.text, text);
	assert_string_equal(jstr_at(root, "source", NULL), "test.log");
	assert_int_equal(json_array_size(json_object_get(root, "events")), 1);
	ev = json_array_get(json_object_get(root, "events"), 0);
	assert_string_equal(jstr_at(ev, "time", NULL), "7.822945");
	assert_string_equal(jstr_at(ev, "kind", NULL), "global");
	assert_string_equal(jstr_at(ev, "constraint", NULL), "CONSTRAINT_NONE");
	assert_string_equal(jstr_at(ev, "invoker", "comm"), "large");
	assert_int_equal(jint_at(ev, "invoker", "pid"), 86);
	assert_int_equal(jint_at(ev, "totalpages", NULL), 120263);
	assert_int_equal(jint_at(ev, "victim", "pid"), 85);
	assert_string_equal(jstr_at(ev, "victim", "comm"), "small");
	assert_string_equal(jstr_at(ev, "judgement", NULL), "consistent");
	assert_has(jstr_at(ev, "reason", NULL), "small (pid 85)");
	assert_true(json_is_null(jat(ev, "panic", NULL)));
	r0 = json_array_get(jat(ev, "ranking", NULL), 0);
	assert_int_equal(jint_at(r0, "pid", NULL), 85);
	assert_string_equal(jstr_at(r0, "comm", NULL), "small");
	assert_int_equal(jint_at(r0, "points", NULL), 161224);
	assert_int_equal(jint_at(r0, "adj_pages", NULL), 120000);
	assert_int_equal(jint_at(r0, "oom_score", NULL), 1560);
	json_decref(root);
	free(text);
	oomreport_free(log);
}

/* The victim is the process that died; the task judged is beside it as "chosen". */
static void json_victim_is_who_died_and_chosen_who_was_ranked(void **state)
{
	static const char thread[] =
		"[ 5.0] java invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0\n"
		"[ 5.0] [ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name\n"
		"[ 5.0] [  300]     0   300     4000      900      10        0             0 sshd\n"
		"[ 5.0] [  700]  1000   700   900000   400000     900        0             0 java\n"
		"[ 5.0] Out of memory: Kill process 712 (java) score 900 or sacrifice child\n"
		"[ 5.0] Killed process 700 (java) total-vm:3600000kB, anon-rss:1600000kB, "
		"file-rss:0kB\n";
	struct oom_log *child = parse_data("oomreport/assembled-4.14-syslog-nr_pmds.log");
	struct oom_log *thr = oomreport_parse(thread, sizeof(thread) - 1);
	json_t *root, *ev;
	int n;
	char *text = explain_to_string(child, 1, &n);

	(void)state;
	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	ev = json_array_get(json_object_get(root, "events"), 0);
	assert_int_equal(jint_at(ev, "victim", "pid"), 2002);
	assert_int_equal(jint_at(ev, "chosen", "pid"), 2001);
	assert_int_equal(jint_at(ev, "chosen", "line"), 17);
	json_decref(root);
	free(text);

	/* a thread chosen, its process killed and ranked by the process's row */
	text = explain_to_string(thr, 1, &n);
	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	ev = json_array_get(json_object_get(root, "events"), 0);
	assert_int_equal(jint_at(ev, "victim", "pid"), 700);
	assert_int_equal(jint_at(ev, "chosen", "pid"), 712);
	assert_string_equal(jstr_at(ev, "judgement", NULL), "consistent");
	assert_has(jstr_at(ev, "reason", NULL), "another thread of the killed process");
	json_decref(root);
	free(text);

	/* where the one judged is the one that died, no "chosen" */
	oomreport_free(thr);
	thr = parse_data("oomreport/debian61-adj-prefer-adj-term.log");
	text = explain_to_string(thr, 1, &n);
	root = json_loads(text, 0, NULL);
	assert_true(json_is_null(jat(json_array_get(json_object_get(root, "events"), 0),
				     "chosen", NULL)));
	json_decref(root);
	free(text);
	oomreport_free(thr);
	oomreport_free(child);
}

static void json_of_a_deadlock_has_null_victim_and_the_panic(void **state)
{
	struct oom_log *log = parse_data("oomreport/debian61-no-killable-deadlocked.log");
	json_t *root, *ev;
	int n;
	char *text = explain_to_string(log, 1, &n);

	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	ev = json_array_get(json_object_get(root, "events"), 0);
	assert_true(json_is_null(jat(ev, "victim", NULL)));
	assert_string_equal(jstr_at(ev, "panic", NULL), "System is deadlocked on memory");
	/* excluded tasks keep their row, without points */
	assert_true(json_is_null(jat(json_array_get(jat(ev, "ranking", NULL), 0), "points", NULL)));
	json_decref(root);
	free(text);
	oomreport_free(log);
}

/* The kind of a report that shows no Mem-Info, no trace and no "Out of memory": SysRq-f's */
static void kind_of_a_sysrq_oom_is_global(void **state)
{
	static const char bare[] =
		"[ 9.0] kworker/0:1 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=%d, "
		"oom_score_adj=0\n"
		"[ 9.0] Killed process 700 (java) total-vm:3600000kB, anon-rss:1600000kB, "
		"file-rss:0kB, shmem-rss:0kB\n";
	/* sysrq's line, then n other lines, then the report */
	static const char *const kinds[][3] = {
		{ "-1", "", "global" },                 /* order=-1: is_sysrq_oom() since 4.6 */
		{ "0", "[ 8.9] sysrq: Manual OOM execution\n", "global" },
		{ "0", "[ 1.0] sysrq: Manual OOM execution\n[ 1.0] sysrq: OOM request ignored\n"
		       "[ 2.0] eth0: link up\n[ 3.0] eth0: link down\n", "unknown" },
		{ "0", "", "unknown" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char log_text[1024], *text;
		struct oom_log *log;
		json_t *root;
		int n, len;

		len = snprintf(log_text, sizeof(log_text), "%s", kinds[i][1]);
		len += snprintf(log_text + len, sizeof(log_text) - (size_t)len, bare,
				atoi(kinds[i][0]));
		log = oomreport_parse(log_text, (size_t)len);
		assert_non_null(log);
		text = explain_to_string(log, 1, &n);
		root = json_loads(text, 0, NULL);
		assert_non_null(root);
		assert_string_equal(jstr_at(json_array_get(json_object_get(root, "events"), 0),
					    "kind", NULL), kinds[i][2]);
		json_decref(root);
		free(text);
		oomreport_free(log);
	}
}

static void json_survives_names_that_are_not_utf8(void **state)
{
	static const char report[] =
		"[ 1.0] a\xff invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 1.1] Out of memory: Killed process 9 (b\xfe\"q) total-vm:4kB, anon-rss:4kB, "
		"file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n";
	struct oom_log *log = oomreport_parse(report, sizeof(report) - 1);
	json_t *root, *ev;
	int n;
	char *text = explain_to_string(log, 1, &n);

	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	ev = json_array_get(json_object_get(root, "events"), 0);
	assert_string_equal(jstr_at(ev, "victim", "comm"), "b\\xfe\"q");
	assert_string_equal(jstr_at(ev, "invoker", "comm"), "a\\xff");
	json_decref(root);
	free(text);
	oomreport_free(log);
}

static void log_without_oom_report_says_so(void **state)
{
	struct oom_log *log = oomreport_parse("just\nnoise\n", 11);
	json_t *root;
	int n;
	char *text = explain_to_string(log, 0, &n);

	assert_int_equal(n, 0);
	assert_string_equal(text, "no OOM report in 'test.log'\n");
	free(text);
	text = explain_to_string(log, 1, &n);
	assert_int_equal(n, 0);
	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	assert_int_equal(json_array_size(json_object_get(root, "events")), 0);
	json_decref(root);
	free(text);
	oomreport_free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_names_totalpages_victim_judgement_and_ranking),
		cmocka_unit_test(text_of_every_sample_fits_100_columns),
		cmocka_unit_test(text_of_policy_events_says_which_rule),
		cmocka_unit_test(json_holds_the_documented_keys),
		cmocka_unit_test(json_victim_is_who_died_and_chosen_who_was_ranked),
		cmocka_unit_test(json_of_a_deadlock_has_null_victim_and_the_panic),
		cmocka_unit_test(kind_of_a_sysrq_oom_is_global),
		cmocka_unit_test(json_survives_names_that_are_not_utf8),
		cmocka_unit_test(log_without_oom_report_says_so),
	};

	return cmocka_run_group_tests_name("test_explain", tests, NULL, NULL);
}
