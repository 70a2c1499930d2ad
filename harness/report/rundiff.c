// SPDX-License-Identifier: GPL-2.0-only
/* rundiff.c - two runs' cells compared: the regressions, the fixes and the other changes. */
#include "report/rundiff.h"
#include "report/results.h"
#include "report/jsontext.h"

#include <stdlib.h>
#include <string.h>

/* The kernels' tags a run ran */
static size_t kernels(const json_t *run)
{
	return json_array_size(json_object_get(run, "kernels"));
}

/*
 * A side's cells by the key they meet by: the whole id, or the id within its kernel (after
 * "debian-6.1/"). A new object (decref it).
 */
static json_t *by_key(const struct rundiff_side *s, int within)
{
	json_t *map = json_object(), *c;
	size_t i;

	json_array_foreach(json_object_get(s->run, "cells"), i, c) {
		const char *id = json_str(c, "id"), *slash = strchr(id, '/');

		if (s->kernel && strcmp(json_str(c, "kernel"), s->kernel))
			continue;
		json_object_set(map, within && slash ? slash + 1 : id, c);
	}
	return map;
}

static int comm_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* "[a, b]" of a cell's array of objects, the member key of each, sorted */
static char *names(const json_t *cell, const char *array, const char *key)
{
	const json_t *a = json_object_get(cell, array), *e;
	struct strbuf sb = STRBUF_INIT;
	const char **v = xcalloc(json_array_size(a) + 1, sizeof(*v));
	size_t i, n = 0;

	json_array_foreach(a, i, e)
		v[n++] = json_is_string(e) ? json_string_value(e) : key ? json_str(e, key) : "";
	qsort(v, n, sizeof(*v), comm_cmp);
	strbuf_addstr(&sb, "[");
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", v[i]);
	strbuf_addstr(&sb, "]");
	free(v);
	return strbuf_detach(&sb);
}

/* The badness judgements of a cell's kills, in order: "[consistent, policy]" */
static char *judgements(const json_t *cell)
{
	const json_t *k;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&sb, "[");
	json_array_foreach(json_object_get(cell, "kills"), i, k)
		strbuf_addf(&sb, "%s%s", i ? ", " : "",
			    *json_str(json_object_get(k, "badness"), "judgement") ?
			    json_str(json_object_get(k, "badness"), "judgement") : "-");
	strbuf_addstr(&sb, "]");
	return strbuf_detach(&sb);
}

/* Appends "label x -> y; " to sb when x and y differ; frees both */
static void differ(struct strbuf *sb, const char *label, char *x, char *y)
{
	if (strcmp(x, y))
		strbuf_addf(sb, "%s%s %s -> %s", sb->len ? "; " : "", label, x, y);
	free(x);
	free(y);
}

static int failing(const char *v)
{
	return !strcmp(v, "FAIL") || !strcmp(v, "BROK");
}

static void add(struct rundiff *d, enum rundiff_kind kind, const char *key, const json_t *a,
		const json_t *b, char *what)
{
	d->cells = xrealloc(d->cells, sizeof(*d->cells) * (size_t)(d->ncells + 1));
	d->cells[d->ncells++] = (struct rundiff_cell){ kind, xstrdup(key), a, b, what };
	d->count[kind]++;
}

int rundiff_cell(const json_t *a, const json_t *b, enum rundiff_kind *kind, char **what)
{
	const char *va = json_str(a, "verdict"), *vb = json_str(b, "verdict");
	struct strbuf sb = STRBUF_INIT;

	differ(&sb, "verdict", xstrdup(va), xstrdup(vb));
	differ(&sb, "killed", names(a, "kills", "comm"), names(b, "kills", "comm"));
	differ(&sb, "panic", xstrdup(*json_str(a, "panic_message") ? json_str(a, "panic_message") : "none"),
	       xstrdup(*json_str(b, "panic_message") ? json_str(b, "panic_message") : "none"));
	differ(&sb, "ENOMEM", names(a, "enomem", NULL), names(b, "enomem", NULL));
	differ(&sb, "judgements", judgements(a), judgements(b));
	if (!sb.len) {
		strbuf_release(&sb);
		return 0;
	}
	*kind = !failing(va) && failing(vb) ? RUNDIFF_REGRESSION :
		failing(va) && !strcmp(vb, "PASS") ? RUNDIFF_FIX : RUNDIFF_CHANGE;
	*what = strbuf_detach(&sb);
	return 1;
}

/* Compares one cell both sides have */
static void compare_cell(struct rundiff *d, const char *key, const json_t *a, const json_t *b)
{
	enum rundiff_kind kind;
	char *what;

	if (rundiff_cell(a, b, &kind, &what))
		add(d, kind, key, a, b, what);
	else
		d->same++;
}

int rundiff_compare(const struct rundiff_side *a, const struct rundiff_side *b,
		    struct rundiff *out)
{
	const char *key;
	json_t *ma, *mb, *c;
	int within;

	memset(out, 0, sizeof(*out));
	/* whole ids where both ran the same kernels; else ids within the one kernel each ran */
	within = a->kernel || b->kernel || !json_equal(json_object_get(a->run, "options") ?
		 json_object_get(json_object_get(a->run, "options"), "kernels") : NULL,
		 json_object_get(json_object_get(b->run, "options"), "kernels"));
	if (within && ((!a->kernel && kernels(a->run) > 1) || (!b->kernel && kernels(b->run) > 1)))
		return error("%s and %s ran other kernels, and %s ran several: name the one to "
			     "compare, as %s@debian:6.1", a->name, b->name,
			     !a->kernel && kernels(a->run) > 1 ? a->name : b->name,
			     !a->kernel && kernels(a->run) > 1 ? a->name : b->name);
	ma = by_key(a, within);
	mb = by_key(b, within);
	/* a's cells in the order they finished, then b's that a lacks */
	json_object_foreach(ma, key, c) {
		const json_t *other = json_object_get(mb, key);

		if (other)
			compare_cell(out, key, c, other);
		else
			add(out, RUNDIFF_ONLY_A, key, c, NULL, xstrdup(json_str(c, "verdict")));
	}
	json_object_foreach(mb, key, c)
		if (!json_object_get(ma, key))
			add(out, RUNDIFF_ONLY_B, key, NULL, c, xstrdup(json_str(c, "verdict")));
	/* the records stay the runs' own: the maps only borrowed them */
	json_decref(ma);
	json_decref(mb);
	return 0;
}

void rundiff_release(struct rundiff *d)
{
	int i;

	for (i = 0; i < d->ncells; i++) {
		free(d->cells[i].key);
		free(d->cells[i].what);
	}
	free(d->cells);
	memset(d, 0, sizeof(*d));
}

const char *rundiff_kind_name(enum rundiff_kind k)
{
	static const char *const names[] = { "regression", "fix", "change", "only in A",
					     "only in B" };

	return names[k];
}

void rundiff_evidence(struct strbuf *sb, const json_t *cell, const char *klog, size_t len)
{
	const json_t *f, *e;
	char line[1024];
	size_t i, j;

	strbuf_addf(sb, "  %s: %s\n", json_str(cell, "verdict"), json_str(cell, "reason"));
	json_array_foreach(json_object_get(cell, "findings"), i, f)
		json_array_foreach(json_object_get(f, "evidence"), j, e)
			strbuf_addf(sb, "    %s\n", json_string_value(e));
	if (json_array_size(json_object_get(cell, "findings")))
		return;
	/* a cell that passed: its kill lines, as the kernel printed them */
	json_array_foreach(json_object_get(cell, "kills"), i, e) {
		int n = (int)json_integer_value(json_object_get(e, "line"));

		if (klog && n > 0)
			strbuf_addf(sb, "    kernel.log:%d: %s\n", n,
				    log_line(klog, len, n, line, sizeof(line)));
		else
			strbuf_addf(sb, "    kernel.log:%d: killed %s (pid %lld)\n", n,
				    json_str(e, "comm"),
				    (long long)json_integer_value(json_object_get(e, "pid")));
	}
}
