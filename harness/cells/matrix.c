// SPDX-License-Identifier: GPL-2.0-only
/* matrix.c - scenarios expanded into cells, and the filters that select cells. */
#include "cells/matrix.h"
#include "util.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void matrix_expand(const struct scenario *sc, struct cell **cells, int *ncells, int *alloc)
{
	int *vi = xcalloc((size_t)sc->naxes + 1, sizeof(*vi));

	/* The walk and the rule choice are the parser's, so they agree with its coverage check. */
	do {
		struct cell *c;
		int r = sc_rule_for(sc, vi);

		if (r < 0)
			BUG("scenario '%s' has a cell without a rule", sc->name);
		ALLOC_GROW(*cells, *ncells + 1, *alloc);
		c = &(*cells)[(*ncells)++];
		memset(c, 0, sizeof(*c));
		c->sc = sc;
		c->vi = xmalloc(((size_t)sc->naxes + 1) * sizeof(*c->vi));
		memcpy(c->vi, vi, ((size_t)sc->naxes + 1) * sizeof(*vi));
		c->rule = &sc->rules[r];
		c->params = sc_cell_params(sc, vi);
		c->id = sc->naxes ? xasprintf("%s/%s", sc->name, c->params) : xstrdup(sc->name);
	} while (sc_cell_next(sc, vi));
	free(vi);
}

char *matrix_kernel_dir(const char *tag)
{
	char *d = xstrdup(tag), *p;

	for (p = d; *p; p++)
		if (*p == ':' || *p == '/')
			*p = '-';
	return d;
}

void cell_on_kernel(struct cell *out, const struct cell *c, const char *tag, const char *release)
{
	char *dir = matrix_kernel_dir(tag);
	size_t n = ((size_t)c->sc->naxes + 1) * sizeof(*c->vi);

	*out = *c;
	out->vi = xmalloc(n);
	memcpy(out->vi, c->vi, n);
	out->params = xstrdup(c->params);
	out->id = xasprintf("%s/%s", dir, c->id + c->kernel_len);
	out->kernel = tag;
	out->kernel_len = strlen(dir) + 1;
	free(dir);
	cell_on_release(out, release);
}

void cell_on_release(struct cell *c, const char *release)
{
	c->rule = &c->sc->rules[sc_rule_for_release(c->sc, c->vi, release)];
}

void cell_release(struct cell *c)
{
	free(c->vi);
	free(c->id);
	free(c->params);
	memset(c, 0, sizeof(*c));
}

int cell_sysctl(const struct cell *c, const char *key, long long *value)
{
	const struct scenario *sc = c->sc;
	int i;

	for (i = 0; i < sc->naxes; i++) {
		if (!strcmp(sc->axes[i].key, key)) {
			*value = sc->axes[i].values[c->vi[i]];
			return 0;
		}
	}
	for (i = 0; i < sc->nsysctls; i++) {
		if (!strcmp(sc->sysctls[i].key, key)) {
			*value = sc->sysctls[i].value;
			return 0;
		}
	}
	*value = 0;
	return -1;
}

long long cell_sysctl_or(const struct cell *c, const char *key, long long dflt)
{
	long long v;

	return cell_sysctl(c, key, &v) == 0 ? v : dflt;
}

__attribute__((format(printf, 4, 5)))
static int matrix_filter_error(const char *text, char *err, size_t errlen, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (errlen)
		snprintf(err, errlen, "bad filter '%s': %s", text, msg);
	return -1;
}

/* One term, the len bytes at p, into t; text is the whole filter, for messages. */
static int matrix_term_parse(const char *text, const char *p, size_t len, struct matrix_term *t,
			     char *err, size_t errlen)
{
	const char *eq = memchr(p, '=', len);
	const struct sc_known_sysctl *known;

	if (!len)
		return matrix_filter_error(text, err, errlen,
					   "expected a glob or key=glob, found an empty term");
	if (!eq) {
		t->key = NULL;
		t->glob = xstrndup(p, len);
		return 0;
	}
	if (eq == p || eq == p + len - 1)
		return matrix_filter_error(text, err, errlen, "expected key=glob, found '%.*s'",
					   (int)len, p);
	t->key = xstrndup(p, (size_t)(eq - p));
	t->glob = xstrndup(eq + 1, len - (size_t)(eq - p) - 1);
	/* Stored by full name, so that matching need not know the short forms. */
	known = sc_known_sysctl_any(t->key);
	if (known) {
		free(t->key);
		t->key = xstrdup(known->key);
		return 0;
	}
	if (!strcmp(t->key, "scenario") || !strcmp(t->key, "id"))
		return 0;
	/*
	 * a cgroup knob or a workload's adj: box/memory.max, grower/oom_score_adj as in a
	 * scenario, box:memory.max, grower:oom_score_adj as in a cell id
	 */
	if (strchr(t->key, '/') || strchr(t->key, ':')) {
		char *q, *last = strrchr(t->key, '/');

		if (!strchr(t->key, ':') && last)
			*last = ':';
		for (q = t->key; *q && *q != ':'; q++)
			if (*q == '/')
				*q = '.';
		return 0;
	}
	matrix_filter_error(text, err, errlen, "unknown key '%s' (expected scenario, id, a "
			    "sysctl such as vm.panic_on_oom or panic_on_oom, a cgroup knob such "
			    "as box/memory.max, or a workload's grower/oom_score_adj)", t->key);
	free(t->key);
	free(t->glob);
	return -1;
}

/*
 * The comma ending the term at p, or its NUL. "\," does not end a term: it stays in the
 * glob, where fnmatch() reads it as a literal comma.
 */
static const char *matrix_term_end(const char *p)
{
	for (; *p && *p != ','; p++)
		if (*p == '\\' && p[1])
			p++;
	return p;
}

/*
 * Keys are checked here rather than at match time so that a misspelt key fails the run at
 * once instead of silently selecting nothing.
 */
int matrix_filter_parse(const char *text, struct matrix_filter *f, char *err, size_t errlen)
{
	const char *p = text;
	int alloc = 0;

	memset(f, 0, sizeof(*f));
	if (errlen)
		err[0] = '\0';
	for (;;) {
		/* ids hold commas: an id term takes the rest, so an id is given as printed */
		const char *end = strncmp(p, "id=", 3) ? matrix_term_end(p) : p + strlen(p);

		ALLOC_GROW(f->terms, f->nterms + 1, alloc);
		if (matrix_term_parse(text, p, (size_t)(end - p), &f->terms[f->nterms], err,
				      errlen)) {
			matrix_filter_release(f);
			return -1;
		}
		f->nterms++;
		if (!*end)
			return 0;
		p = end + 1;
	}
}

void matrix_filter_release(struct matrix_filter *f)
{
	int i;

	for (i = 0; i < f->nterms; i++) {
		free(f->terms[i].key);
		free(f->terms[i].glob);
	}
	free(f->terms);
	f->terms = NULL;
	f->nterms = 0;
}

int cell_knob(const struct cell *c, int g, const char *key, long long *value)
{
	const struct scenario *sc = c->sc;
	int i;

	for (i = 0; i < sc->naxes; i++) {
		if (sc->axes[i].group == g && !strcmp(sc->axes[i].knob->key, key)) {
			*value = sc->axes[i].values[c->vi[i]];
			return 0;
		}
	}
	for (i = 0; i < sc->groups[g].nknobs; i++) {
		if (!strcmp(sc->groups[g].knobs[i].known->key, key)) {
			*value = sc->groups[g].knobs[i].value;
			return 0;
		}
	}
	*value = 0;
	return -1;
}

/* A knob term ("box:memory.max") against the cell's params, where knobs read as in its id. */
static int knob_term_match(const struct matrix_term *t, const struct cell *c)
{
	size_t klen = strlen(t->key);
	const char *p = c->params;
	char *val;
	int ok;

	while (p && *p) {
		if (!strncmp(p, t->key, klen) && p[klen] == '=') {
			val = xstrndup(p + klen + 1, strcspn(p + klen + 1, ","));
			ok = !fnmatch(t->glob, val, 0);
			free(val);
			return ok;
		}
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

static int matrix_term_match(const struct matrix_term *t, const struct cell *c)
{
	char buf[32];
	long long v;

	if (!t->key || !strcmp(t->key, "scenario"))
		return !fnmatch(t->glob, c->sc->name, 0);
	if (!strcmp(t->key, "id"))
		return !fnmatch(t->glob, c->id, 0) ||
		       (c->kernel_len && !fnmatch(t->glob, c->id + c->kernel_len, 0));
	if (strchr(t->key, ':'))
		return knob_term_match(t, c);
	if (cell_sysctl(c, t->key, &v))
		return 0;
	snprintf(buf, sizeof(buf), "%lld", v);
	return !fnmatch(t->glob, buf, 0);
}

int matrix_filter_match(const struct matrix_filter *f, const struct cell *c)
{
	int i;

	for (i = 0; i < f->nterms; i++)
		if (!matrix_term_match(&f->terms[i], c))
			return 0;
	return 1;
}

char *matrix_rule_text(const struct scenario *sc, const struct sc_rule *rule)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	if (rule->panic)
		strbuf_addf(&sb, "panic %s", sc_panic_name(rule->panic));
	if (rule->refused_key)
		strbuf_addf(&sb, "refused %s %s", rule->refused_key,
			    sc_errno_name(rule->refused_errno));
	if (sc->node.on && rule->has_killed) {
		/* "evicted be, then burst|guar; OOM-killed guar-app" */
		strbuf_addstr(&sb, rule->nevicted ? "evicted" : "nothing evicted");
		for (i = 0; i < rule->nevicted; i++)
			strbuf_addf(&sb, "%s%s", !i ? " " : rule->evicted_rank[i] ==
				    rule->evicted_rank[i - 1] ? "|" : ", then ",
				    sc->pods[rule->evicted[i]].name);
		if (rule->noom_killed)
			strbuf_addstr(&sb, "; OOM-killed");
		for (i = 0; i < rule->noom_killed; i++)
			strbuf_addf(&sb, "%s%s", i ? "," : " ", rule->oom_killed[i]);
	} else if (rule->has_killed) {
		strbuf_addstr(&sb, rule->nkilled ? "killed" : "nothing killed");
		for (i = 0; i < rule->nkilled; i++)
			strbuf_addf(&sb, "%s%s", i ? "," : " ", rule->killed[i]);
		if (rule->by)
			strbuf_addf(&sb, " by %s%s%s", rule->by->program,
				    rule->signal == 15 ? " (SIGTERM)" : rule->signal == 9 ?
				    " (SIGKILL)" : "", rule->before_kernel ? " before the kernel" : "");
	}
	if (rule->has_enomem) {
		strbuf_addstr(&sb, sb.len ? "; enomem" : "enomem");
		for (i = 0; i < rule->nenomem; i++)
			strbuf_addf(&sb, "%s%s", i ? "," : " ", rule->enomem[i]);
	}
	if (rule->ncounters)
		strbuf_addstr(&sb, sb.len ? "; counters" : "counters");
	for (i = 0; i < rule->ncounters; i++) {
		const struct sc_counter *c = &rule->counters[i];

		strbuf_addf(&sb, "%s%s/%s/%s%s%lld", i ? ", " : " ", sc->groups[c->group].name,
			    c->file, c->key, c->op == 'G' ? ">=" : c->op == '>' ? ">" :
			    c->op == '<' ? "<" : "=", c->value);
	}
	if (rule->nreports)
		strbuf_addstr(&sb, sb.len ? "; reports" : "reports");
	for (i = 0; i < rule->nreports; i++)
		strbuf_addf(&sb, "%s%s '%s'", i ? ", " : " ", rule->reports[i].name,
			    rule->reports[i].want);
	return strbuf_detach(&sb);
}
