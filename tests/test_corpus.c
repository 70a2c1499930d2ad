// SPDX-License-Identifier: GPL-2.0-only
/* test_corpus.c - explain over every real report of tests/data/oomreport, against its labels. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdata.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/explain.h"

/*
 * LABELS.tsv holds, per OOM event of each real report, what a person read in its text: the
 * pid that died, the pid the scan chose where another died, the kind, the panic and the
 * judgement (INDEX.md says where each report came from; the note column, the arithmetic). Each
 * report is run through explain --json as a user would, and every field is compared. OPEN.tsv
 * lists the mismatches of classes of report not read right yet, each with why: a mismatch not
 * listed fails, and so does a listed one that no longer happens, so that the list only shrinks.
 * Every real report (each .log not named assembled-*) must have labels.
 */

#define CORPUS "oomreport"
#define MAX_ROWS 2048

enum { F_FILE, F_EVENT, F_VICTIM, F_CHOSEN, F_KIND, F_PANIC, F_JUDGEMENT, F_NOTE, F_N };
static const char *const field_names[] = { "file", "event", "victim_pid", "chosen_pid", "kind",
					    "panic", "judgement" };

struct row {
	char *f[F_N];
	int line;
};

struct table {
	char *text;
	struct row rows[MAX_ROWS];
	int n;
};

/* Splits a TSV of tests/data into rows; '#' lines and the header are skipped. */
static void read_tsv(const char *name, struct table *t, int min_fields)
{
	char *p, *nl;
	size_t len;
	int line = 0, i;

	t->text = testdata_read(name, &len);
	t->text = realloc(t->text, len + 1);
	assert_non_null(t->text);
	t->text[len] = '\0';
	t->n = 0;
	for (p = t->text; *p; p = nl) {
		struct row *r = &t->rows[t->n];

		nl = strchr(p, '\n');
		nl = nl ? (*nl = '\0', nl + 1) : p + strlen(p);
		line++;
		if (*p == '#' || !*p || (line == 1 && !strncmp(p, "file\t", 5)))
			continue;
		memset(r, 0, sizeof(*r));
		r->line = line;
		for (i = 0; i < F_N && p; i++) {
			r->f[i] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (i < min_fields)
			fail_msg("%s:%d: %d fields, want at least %d", name, line, i, min_fields);
		assert_true(t->n < MAX_ROWS - 1);
		t->n++;
	}
}

/* a global OOM's kind by its constraint; explain says memcg and unknown itself */
static const char *kind_of(const char *constraint)
{
	if (!strcmp(constraint, "CONSTRAINT_CPUSET"))
		return "cpuset";
	if (!strcmp(constraint, "CONSTRAINT_MEMORY_POLICY"))
		return "mempolicy";
	return "global";
}

static void pid_of(json_t *o, char *buf, size_t size)
{
	json_t *pid = json_object_get(o, "pid");

	if (json_is_integer(pid))
		snprintf(buf, size, "%lld", (long long)json_integer_value(pid));
	else
		snprintf(buf, size, "-");
}

/* What explain said of event e, in the label's terms. */
static void seen_of(json_t *ev, char seen[F_N][256])
{
	json_t *panic = json_object_get(ev, "panic");

	pid_of(json_object_get(ev, "victim"), seen[F_VICTIM], sizeof(seen[0]));
	pid_of(json_object_get(ev, "chosen"), seen[F_CHOSEN], sizeof(seen[0]));
	snprintf(seen[F_KIND], sizeof(seen[0]), "%s",
		 strcmp(json_string_value(json_object_get(ev, "kind")), "global") ?
		 json_string_value(json_object_get(ev, "kind")) :
		 kind_of(json_string_value(json_object_get(ev, "constraint"))));
	snprintf(seen[F_PANIC], sizeof(seen[0]), "%s",
		 json_is_string(panic) ? json_string_value(panic) : "-");
	snprintf(seen[F_JUDGEMENT], sizeof(seen[0]), "%s",
		 json_string_value(json_object_get(ev, "judgement")));
}

static json_t *explain_json(const char *file)
{
	char rel[512], *text = NULL, *buf;
	size_t len = 0, n;
	FILE *out = open_memstream(&text, &len);
	struct oom_log *log;
	json_error_t err;
	json_t *root;

	snprintf(rel, sizeof(rel), CORPUS "/%s", file);
	buf = testdata_read(rel, &n);
	log = oomreport_parse(buf, n);
	assert_non_null(log);
	assert_non_null(out);
	explain_print(out, log, file, 1);
	fclose(out);
	root = json_loads(text, 0, &err);
	if (!root)
		fail_msg("%s: explain's JSON does not load: %s", file, err.text);
	free(text);
	free(buf);
	oomreport_free(log);
	return root;
}

static int is_open(const struct table *open, const char *file, const char *event, int field,
		   int *used)
{
	int i;

	for (i = 0; i < open->n; i++)
		if (!strcmp(open->rows[i].f[0], file) && !strcmp(open->rows[i].f[1], event) &&
		    !strcmp(open->rows[i].f[2], field_names[field])) {
			used[i] = 1;
			return 1;
		}
	return 0;
}

/* A file explain read more events of than LABELS.tsv holds, unless OPEN.tsv says so. */
static int more_events_than_labelled(const struct table *open, const char *file, json_t *evs,
				     int events, int *used)
{
	if (!evs || (size_t)events >= json_array_size(evs) || is_open(open, file, "*", F_EVENT, used))
		return 0;
	print_error("%s: %zu events read, %d labelled\n", file, json_array_size(evs), events);
	return 1;
}

static void every_real_report_reads_as_labelled(void **state)
{
	static struct table labels, open;
	static int used[MAX_ROWS];
	char seen[F_N][256], dir[4096], event[16];
	int i, f, bad = 0, events = 0, files = 0, fields = 0, k;
	const char *last = "";
	json_t *root = NULL, *evs = NULL;
	struct dirent *de;
	DIR *d;

	(void)state;
	read_tsv(CORPUS "/LABELS.tsv", &labels, F_NOTE);
	/* OPEN.tsv: file, event, field, why */
	read_tsv(CORPUS "/OPEN.tsv", &open, 4);
	memset(used, 0, sizeof(used));
	for (i = 0; i < labels.n; i++) {
		struct row *r = &labels.rows[i];

		if (strcmp(r->f[F_FILE], last)) {
			/* the previous file must have had no more events than labelled */
			bad += more_events_than_labelled(&open, last, evs, events, used);
			json_decref(root);
			root = explain_json(r->f[F_FILE]);
			evs = json_object_get(root, "events");
			last = r->f[F_FILE];
			events = 0;
			files++;
		}
		events++;
		if (atoi(r->f[F_EVENT]) != events)
			fail_msg("LABELS.tsv:%d: event %s of %s, want %d (events in order)", r->line,
				 r->f[F_EVENT], last, events);
		if ((size_t)events > json_array_size(evs)) {
			if (!is_open(&open, last, "*", F_EVENT, used)) {
				print_error("LABELS.tsv:%d: %s event %d: explain read only %zu "
					    "events\n", r->line, last, events,
					    json_array_size(evs));
				bad++;
			}
			continue;
		}
		seen_of(json_array_get(evs, (size_t)events - 1), seen);
		for (f = F_VICTIM; f <= F_JUDGEMENT; f++) {
			fields++;
			if (!strcmp(seen[f], r->f[f]))
				continue;
			snprintf(event, sizeof(event), "%d", events);
			if (is_open(&open, last, event, f, used))
				continue;
			print_error("LABELS.tsv:%d: %s event %d: %s: labelled '%s', explain says "
				    "'%s'\n", r->line, last, events, field_names[f], r->f[f],
				    seen[f]);
			bad++;
		}
	}
	bad += more_events_than_labelled(&open, last, evs, events, used);
	json_decref(root);
	for (i = 0; i < open.n; i++) {
		if (used[i])
			continue;
		print_error("OPEN.tsv:%d: %s event %s %s is read as labelled now: drop the line\n",
			    open.rows[i].line, open.rows[i].f[0], open.rows[i].f[1],
			    open.rows[i].f[2]);
		bad++;
	}

	/* every real report has labels */
	snprintf(dir, sizeof(dir), "%s/" CORPUS, testdata_dir());
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n < 5 || strcmp(de->d_name + n - 4, ".log") ||
		    !strncmp(de->d_name, "assembled-", 10))
			continue;
		for (k = 0; k < labels.n; k++)
			if (!strcmp(labels.rows[k].f[F_FILE], de->d_name))
				break;
		if (k == labels.n) {
			print_error("%s has no labels in LABELS.tsv\n", de->d_name);
			bad++;
		}
	}
	closedir(d);
	print_message("corpus: %d reports, %d events, %d fields compared, %d open, %d wrong\n",
		      files, labels.n, fields, open.n, bad);
	free(labels.text);
	free(open.text);
	if (bad)
		fail_msg("%d labels not met (see above)", bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_real_report_reads_as_labelled),
	};

	return cmocka_run_group_tests_name("test_corpus", tests, NULL, NULL);
}
