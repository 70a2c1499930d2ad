// SPDX-License-Identifier: GPL-2.0-only
/* test_tracebuf.c - trace event formats and raw ring-buffer pages, checked on real captures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testdata.h"
#include "agent/tracebuf.h"

/*
 * tests/data/trace/<kernel>/ was captured in a Debian guest: the event formats and
 * header_page, then the kernel's own text rendering of its buffer (trace.txt, read with the
 * "trace" file, which does not consume), then each CPU's raw pages (cpuN.raw, from
 * trace_pipe_raw). The events include forks, exits, a SIGKILL, a handled and an unhandled
 * SIGTERM, oom_score_adj writes and an OOM kill (mark_victim). Parsing the raw pages must give
 * back exactly what the kernel printed.
 */

#define MAX_EV 256

struct evs {
	struct tb_event ev[MAX_EV];
	int n;
};

static void collect(const struct tb_event *ev, void *arg)
{
	struct evs *e = arg;

	assert_true(e->n < MAX_EV);
	e->ev[e->n++] = *ev;
}

static char *read_text(const char *kernel, const char *file)
{
	char name[256], *buf, *text;
	size_t len;

	snprintf(name, sizeof(name), "trace/%s/%s", kernel, file);
	buf = testdata_read(name, &len);
	text = malloc(len + 1);
	memcpy(text, buf, len);
	text[len] = '\0';
	free(buf);
	return text;
}

/* text with its first from replaced by to, in a new string */
static char *replaced(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t head, len;
	char *out;

	assert_non_null(at);
	head = (size_t)(at - text);
	len = strlen(text) - strlen(from) + strlen(to);
	out = malloc(len + 1);
	memcpy(out, text, head);
	strcpy(out + head, to);
	strcat(out, at + strlen(from));
	return out;
}

static void load_layout(const char *kernel, struct tb_layout *l)
{
	static const char *const files[TB_NTYPES] = {
		[TB_FORK] = "sched_process_fork.format", [TB_EXIT] = "sched_process_exit.format",
		[TB_SIGNAL] = "signal_generate.format", [TB_DELIVER] = "signal_deliver.format",
		[TB_VICTIM] = "mark_victim.format", [TB_ADJ] = "oom_score_adj_update.format",
	};
	const char *missing;
	char *text = read_text(kernel, "header_page");
	int t;

	memset(l, 0, sizeof(*l));
	assert_int_equal(tb_header_parse(text, l), 0);
	free(text);
	for (t = 0; t < TB_NTYPES; t++) {
		text = read_text(kernel, files[t]);
		assert_int_equal(tb_format_parse(text, (enum tb_type)t, l, &missing), 0);
		free(text);
	}
}

static int by_time(const void *a, const void *b)
{
	const struct tb_event *x = a, *y = b;

	return x->ns < y->ns ? -1 : x->ns > y->ns;
}

/* Both CPUs' pages, merged by time stamp as the host merges the agent's records. */
static void parse_pages(const char *kernel, const struct tb_layout *l, struct evs *e)
{
	long missed = 0;
	int cpu;

	e->n = 0;
	for (cpu = 0; cpu < 2; cpu++) {
		char name[64], *page;
		size_t len;

		snprintf(name, sizeof(name), "trace/%s/cpu%d.raw", kernel, cpu);
		page = testdata_read(name, &len);
		assert_true(tb_page_parse(l, (unsigned char *)page, len, collect, e, &missed) >= 0);
		free(page);
	}
	assert_int_equal(missed, 0);
	qsort(e->ev, (size_t)e->n, sizeof(e->ev[0]), by_time);
}

static const char *event_name(enum tb_type t)
{
	static const char *const names[TB_NTYPES] = {
		[TB_FORK] = "sched_process_fork", [TB_EXIT] = "sched_process_exit",
		[TB_SIGNAL] = "signal_generate", [TB_DELIVER] = "signal_deliver",
		[TB_VICTIM] = "mark_victim", [TB_ADJ] = "oom_score_adj_update",
	};
	return names[t];
}

/* The value after "key=" in a trace.txt line, up to a space. */
static void field(const char *line, const char *key, char *out, size_t len)
{
	char pat[32];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	assert_non_null(p);
	p += strlen(pat);
	n = strcspn(p, " \n");
	assert_true(n < len);
	memcpy(out, p, n);
	out[n] = '\0';
}

static long long ifield(const char *line, const char *key)
{
	char v[32];

	field(line, key, v, sizeof(v));
	return strtoll(v, NULL, 10);
}

static int task_pid(const char *line)
{
	const char *p = strstr(line, " [");

	assert_non_null(p);
	while (p > line && p[-1] == ' ')
		p--;
	while (p > line && p[-1] >= '0' && p[-1] <= '9')
		p--;
	assert_true(p > line && p[-1] == '-');
	return atoi(p);
}

/* Each event of trace.txt, in order, against the parsed event of the same rank. */
static void check_against_text(const char *kernel)
{
	struct tb_layout l;
	struct evs *e = calloc(1, sizeof(*e));
	char *text = read_text(kernel, "trace.txt"), *line, *save = NULL;
	int i = 0;

	load_layout(kernel, &l);
	parse_pages(kernel, &l, e);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const struct tb_event *ev;
		char comm[32], name[48];
		const char *colon, *ts;
		double secs;

		if (line[0] == '#')
			continue;
		assert_true(i < e->n);
		ev = &e->ev[i++];
		/* "   init-1  [000] .....     3.351437: sched_process_fork: comm=..." */
		colon = strstr(line, ": ");
		assert_non_null(colon);
		for (ts = colon; ts > line && (ts[-1] == '.' || (ts[-1] >= '0' && ts[-1] <= '9'));)
			ts--;
		secs = strtod(ts, NULL);
		assert_true(sscanf(colon + 2, "%47[^:]", name) == 1);
		assert_string_equal(name, event_name(ev->type));
		/* the text shows microseconds, rounded (ns2usecs()) */
		assert_int_equal((long long)((ev->ns + 500) / 1000), (long long)(secs * 1e6 + 0.5));
		switch (ev->type) {
		case TB_FORK:
			assert_int_equal(ev->pid, ifield(line, "pid"));
			assert_int_equal(ev->child, ifield(line, "child_pid"));
			field(line, "child_comm", comm, sizeof(comm));
			assert_string_equal(ev->comm, comm);
			break;
		case TB_EXIT:
			assert_int_equal(ev->pid, ifield(line, "pid"));
			field(line, "comm", comm, sizeof(comm));
			assert_string_equal(ev->comm, comm);
			break;
		case TB_SIGNAL:
			assert_int_equal(ev->sig, ifield(line, "sig"));
			assert_int_equal(ev->code, ifield(line, "code"));
			assert_int_equal(ev->pid, ifield(line, "pid"));
			assert_int_equal(ev->group, ifield(line, "grp"));
			assert_int_equal(ev->result, ifield(line, "res"));
			field(line, "comm", comm, sizeof(comm));
			assert_string_equal(ev->comm, comm);
			break;
		case TB_DELIVER: {
			char h[32];

			assert_int_equal(ev->sig, ifield(line, "sig"));
			field(line, "sa_handler", h, sizeof(h));
			assert_int_equal(ev->handler, strtoull(h, NULL, 16));
			break;
		}
		case TB_VICTIM:
			assert_int_equal(ev->pid, ifield(line, "pid"));
			assert_int_equal(ev->adj, ifield(line, "oom_score_adj"));
			field(line, "comm", comm, sizeof(comm));
			assert_string_equal(ev->comm, comm);
			break;
		case TB_ADJ:
			assert_int_equal(ev->pid, ifield(line, "pid"));
			assert_int_equal(ev->adj, ifield(line, "oom_score_adj"));
			field(line, "comm", comm, sizeof(comm));
			assert_string_equal(ev->comm, comm);
			break;
		default:
			fail();
		}
		/* common_pid ends the "TASK-PID" column, before " [CPU]" */
		assert_int_equal(ev->common_pid, task_pid(line));
	}
	assert_int_equal(i, e->n);
	assert_true(i > 20);
	free(text);
	free(e);
}

static void pages_of_61_read_as_the_kernel_prints_them(void **state)
{
	check_against_text("debian-6.1");
}

static void pages_of_612_read_as_the_kernel_prints_them(void **state)
{
	check_against_text("debian-6.12");
}

static void a_missing_field_is_named(void **state)
{
	struct tb_layout l;
	const char *missing;
	char *text = read_text("debian-6.1", "signal_generate.format"), *p;

	memset(&l, 0, sizeof(l));
	/* a kernel whose signal_generate had no result field */
	p = strstr(text, "field:int result;");
	assert_non_null(p);
	memcpy(p, "field:int resolt;", 17);
	assert_int_equal(tb_format_parse(text, TB_SIGNAL, &l, &missing), -1);
	assert_string_equal(missing, "result");
	free(text);
}

/* A page whose count of dropped events the kernel stored after its data. */
static void missed_events_are_counted(void **state)
{
	struct tb_layout l;
	struct evs *e = calloc(1, sizeof(*e));
	char *page;
	size_t len;
	uint64_t commit, lost = 37;
	long missed = 0;

	load_layout("debian-6.1", &l);
	page = testdata_read("trace/debian-6.1/cpu0.raw", &len);
	memcpy(&commit, page + l.page_commit_off, 8);
	assert_true(commit + 16 + 8 <= len);
	memcpy(page + l.page_data_off + commit, &lost, 8);
	commit |= (1ULL << 31) | (1ULL << 30);
	memcpy(page + l.page_commit_off, &commit, 8);
	assert_true(tb_page_parse(&l, (unsigned char *)page, len, collect, e, &missed) > 0);
	assert_int_equal(missed, 37);
	free(page);
	free(e);
}

/* Every cut of a real page is either read or refused: never a read past its end. */
static void cut_pages_never_read_past_the_end(void **state)
{
	struct tb_layout l;
	struct evs *e = calloc(1, sizeof(*e));
	char *page;
	size_t len, cut;

	load_layout("debian-6.12", &l);
	page = testdata_read("trace/debian-6.12/cpu1.raw", &len);
	for (cut = 0; cut < len; cut += 3) {
		unsigned char *copy = malloc(cut ? cut : 1);
		long missed = 0;

		memcpy(copy, page, cut);
		e->n = 0;
		(void)tb_page_parse(&l, copy, cut, collect, e, &missed);
		free(copy);
	}
	free(page);
	free(e);
}

/* Found by fuzzing: a ']' before a '[' held the name's scan in place forever. */
static void bounds_of_two_dimensions_are_dropped(void **state)
{
	struct tb_layout l;
	const char *missing;
	char *text = read_text("debian-6.1", "sched_process_exit.format");
	char *two = replaced(text, "comm[16];", "comm[1][16];");
	char *odd = replaced(text, "comm[16];", "comm][16];");

	memset(&l, 0, sizeof(l));
	assert_int_equal(tb_format_parse(two, TB_EXIT, &l, &missing), 0);
	assert_int_equal(l.ev[TB_EXIT].f[TB_S_COMM].offset, 8);
	assert_int_equal(tb_format_parse(odd, TB_EXIT, &l, &missing), -1);
	assert_string_equal(missing, "comm");
	free(text);
	free(two);
	free(odd);
}

/* A header whose time stamp lies past the page: the page is refused, not read beyond. */
static void a_time_stamp_past_the_page_is_refused(void **state)
{
	struct tb_layout l;
	struct evs *e = calloc(1, sizeof(*e));
	char *text, *header, *page;
	size_t len;
	long missed = 0;

	load_layout("debian-6.1", &l);
	text = read_text("debian-6.1", "header_page");
	header = replaced(text, "timestamp;\toffset:0;", "timestamp;\toffset:4096;");
	assert_int_equal(tb_header_parse(header, &l), 0);
	page = testdata_read("trace/debian-6.1/cpu0.raw", &len);
	assert_int_equal(len, 4096);
	assert_int_equal(tb_page_parse(&l, (unsigned char *)page, len, collect, e, &missed), -1);
	free(text);
	free(header);
	free(page);
	free(e);
}

/* An offset no page can hold is no field: near INT_MAX, offset + size overflowed an int. */
static void field_offsets_past_a_page_are_refused(void **state)
{
	struct tb_layout l;
	const char *missing;
	char *text = read_text("debian-6.1", "sched_process_exit.format");
	char *far = replaced(text, "pid;\toffset:24;", "pid;\toffset:2147483647;");

	memset(&l, 0, sizeof(l));
	assert_int_equal(tb_format_parse(far, TB_EXIT, &l, &missing), -1);
	assert_string_equal(missing, "pid");
	free(text);
	free(far);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pages_of_61_read_as_the_kernel_prints_them),
		cmocka_unit_test(pages_of_612_read_as_the_kernel_prints_them),
		cmocka_unit_test(a_missing_field_is_named),
		cmocka_unit_test(missed_events_are_counted),
		cmocka_unit_test(cut_pages_never_read_past_the_end),
		cmocka_unit_test(bounds_of_two_dimensions_are_dropped),
		cmocka_unit_test(a_time_stamp_past_the_page_is_refused),
		cmocka_unit_test(field_offsets_past_a_page_are_refused),
	};

	return cmocka_run_group_tests_name("test_tracebuf", tests, NULL, NULL);
}
