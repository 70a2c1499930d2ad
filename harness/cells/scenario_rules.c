// SPDX-License-Identifier: GPL-2.0-only
/* scenario_rules.c - a scenario's expect: its rules, each a when and what must happen there. */
#include "cells/scenario_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#include "util.h"

static int sc_axis_index(const struct scenario *sc, const char *key)
{
	int a;

	for (a = 0; a < sc->naxes; a++)
		if (!strcmp(sc->axes[a].key, key))
			return a;
	return -1;
}

/* One value of a "when" condition: an integer among the axis's values. */
static int sc_want_axis_value(struct sc_ctx *x, const struct sc_node *n,
			      const struct sc_axis *ax, long long *v)
{
	struct strbuf sb = STRBUF_INIT;
	int i, ok = !sc_axis_value(ax, n, v);

	for (i = 0; ok && i < ax->nvalues; i++)
		if (ax->values[i] == *v)
			return 0;
	for (i = 0; i < ax->nvalues; i++)
		strbuf_addf(&sb, "%s%lld", i ? ", " : "", ax->values[i]);
	if (ok)
		sc_error(x, n->pos, "'%s' takes one of %s in this matrix, found %lld", ax->key,
			 sb.buf, *v);
	else
		sc_error(x, n->pos, "'%s' takes one of %s in this matrix, found %s", ax->key,
			 sb.buf, sc_found(x, n));
	strbuf_release(&sb);
	return -1;
}

static int sc_parse_when(struct sc_ctx *x, const struct sc_node *map, struct scenario *sc,
			 struct sc_rule *r)
{
	struct strbuf sb = STRBUF_INIT;
	int i, j, k;

	if (map->kind != SC_MAP)
		return sc_error(x, map->pos, "when takes a mapping of matrix axes to values, "
				"found %s", sc_found(x, map));
	r->when = xcalloc((size_t)map->nkids / 2 + 1, sizeof(*r->when));
	for (i = 0; i + 1 < map->nkids; i += 2) {
		const struct sc_node *k_node = map->kids[i], *v_node = map->kids[i + 1];
		struct sc_cond *c = &r->when[r->nwhen];
		const struct sc_axis *ax;
		int a = sc_axis_index(sc, k_node->text), n = 0;

		if (!strcmp(k_node->text, "kernel")) {
			const char *t = v_node->kind == SC_SCALAR ? v_node->text : "";

			r->kernel_op = !strncmp(t, ">=", 2) ? '>' : *t == '<' ? '<' : 0;
			t += r->kernel_op == '>' ? 2 : 1;
			/* a version: digits first, then digits, dots, '-', '+' and letters */
			n = (int)strspn(t, "0123456789.-+abcdefghijklmnopqrstuvwxyz~");
			if (!r->kernel_op || !isdigit((unsigned char)*t) || t[n] ||
			    (size_t)n >= sizeof(r->kernel_version))
				return sc_error(x, v_node->pos, "kernel takes a release range such "
						"as \">=6.12\", \"<6.12\" or \">=6.1.0-56\", found %s",
						sc_found(x, v_node));
			memcpy(r->kernel_version, t, (size_t)n + 1);
			continue;
		}
		if (a < 0) {
			if (!sc->naxes)
				return sc_error(x, k_node->pos, "'%s' is not a matrix axis (this "
						"scenario has no matrix)", k_node->text);
			for (j = 0; j < sc->naxes; j++)
				strbuf_addf(&sb, "%s%s", j ? ", " : "", sc->axes[j].key);
			sc_error(x, k_node->pos, "'%s' is not a matrix axis of this scenario "
				 "(expected %s)", k_node->text, sb.buf);
			strbuf_release(&sb);
			return -1;
		}
		ax = &sc->axes[a];
		c->axis = a;
		r->nwhen++;
		if (v_node->kind == SC_SCALAR) {
			c->values = xcalloc(1, sizeof(*c->values));
			if (sc_want_axis_value(x, v_node, ax, &c->values[0]))
				return -1;
			c->nvalues = 1;
			continue;
		}
		if (v_node->kind != SC_SEQ || !v_node->nkids)
			return sc_error(x, v_node->pos, "'%s' takes a value or a non-empty list of "
					"values, found %s", ax->key, sc_found(x, v_node));
		c->values = xcalloc((size_t)v_node->nkids, sizeof(*c->values));
		for (j = 0; j < v_node->nkids; j++) {
			long long v;

			if (sc_want_axis_value(x, v_node->kids[j], ax, &v))
				return -1;
			for (k = 0; k < c->nvalues; k++)
				if (c->values[k] == v)
					return sc_error(x, v_node->kids[j]->pos, "duplicate value "
							"%lld for '%s' in when", v, ax->key);
			c->values[c->nvalues++] = v;
		}
	}
	return 0;
}

/* killed: or enomem: a list of distinct workload names, into a NULL-terminated array. */
static int sc_parse_names(struct sc_ctx *x, const struct sc_node *list, const char *what,
			  const struct scenario *sc, char ***names, int *n)
{
	int i, j;

	if (list->kind != SC_SEQ)
		return sc_error(x, list->pos, "%s takes a list of workload names, found %s", what,
				sc_found(x, list));
	*names = xcalloc((size_t)list->nkids + 1, sizeof(**names));
	for (i = 0; i < list->nkids; i++) {
		const struct sc_node *it = list->kids[i];

		if (it->kind != SC_SCALAR)
			return sc_error(x, it->pos, "%s takes workload names, found %s", what,
					sc_found(x, it));
		for (j = 0; j < sc->nworkloads; j++)
			if (!strcmp(sc->workloads[j].name, it->text))
				break;
		if (j == sc->nworkloads)
			return sc_error(x, it->pos, "'%s' is not a workload of this scenario",
					it->text);
		for (j = 0; j < *n; j++)
			if (!strcmp((*names)[j], it->text))
				return sc_error(x, it->pos, "duplicate name '%s' in %s", it->text,
						what);
		(*names)[(*n)++] = xstrdup(it->text);
	}
	return 0;
}

/* reports: {WORKLOAD: "PHASE key=value ..."}: each a workload, each text a report line. */
static int sc_parse_reports(struct sc_ctx *x, const struct sc_node *n, struct scenario *sc,
			    struct sc_rule *r)
{
	int i, j;

	if (n->kind != SC_MAP || !n->nkids)
		return sc_error(x, n->pos, "reports takes a mapping of workloads to report lines "
				"such as \"refused errno=11\", found %s", sc_found(x, n));
	r->reports = xcalloc((size_t)n->nkids / 2, sizeof(*r->reports));
	for (i = 0; i + 1 < n->nkids; i += 2) {
		const struct sc_node *k = n->kids[i], *v = n->kids[i + 1];
		struct sc_report *rep = &r->reports[r->nreports];
		struct proto_line l;
		char *copy;
		int bad;

		for (j = 0; j < sc->nworkloads; j++)
			if (!strcmp(sc->workloads[j].name, k->text))
				break;
		if (j == sc->nworkloads)
			return sc_error(x, k->pos, "'%s' is not a workload of this scenario",
					k->text);
		if (sc_want_text(x, v, "a report takes a phase and key=value fields"))
			return -1;
		copy = xstrdup(v->text);
		bad = proto_split(copy, &l) || l.seq >= 0;
		free(copy);
		if (bad)
			return sc_error(x, v->pos, "a report takes a phase and key=value fields "
					"(\"refused errno=11\"), found %s", sc_found(x, v));
		strcpy(rep->name, k->text);
		rep->want = xstrdup(v->text);
		rep->pos = v->pos;
		r->nreports++;
	}
	return 0;
}

/* counters: {GROUP/FILE/KEY: "OP VALUE"}: a counter file the agent reads at the end. */
static int sc_parse_counters(struct sc_ctx *x, const struct sc_node *n, struct scenario *sc,
			     struct sc_rule *r)
{
	int i;

	if (!sc->cgroup)
		return sc_error(x, n->pos, "counters needs cgroup: v1 or v2 at the top level");
	if (n->kind != SC_MAP || !n->nkids)
		return sc_error(x, n->pos, "counters takes a mapping of GROUP/FILE/KEY to "
				"comparisons such as \">0\", found %s", sc_found(x, n));
	r->counters = xcalloc((size_t)n->nkids / 2, sizeof(*r->counters));
	for (i = 0; i + 1 < n->nkids; i += 2) {
		const struct sc_node *k = n->kids[i], *v = n->kids[i + 1];
		struct sc_counter *c = &r->counters[r->ncounters];
		const char *t;

		if (sc_counter_path(x, k, sc, &c->group, c->file, c->key, sizeof(c->file)))
			return -1;
		t = v->kind == SC_SCALAR ? v->text : "";
		c->op = !strncmp(t, ">=", 2) ? 'G' : *t == '>' ? '>' : *t == '<' ? '<' : '=';
		t += c->op == 'G' ? 2 : (*t == '>' || *t == '<' || *t == '=');
		if (sc_parse_ll(t, &c->value))
			return sc_error(x, v->pos, "a counter takes a comparison such as \">0\", "
					"\">=2\", \"<1\" or \"3\", found %s", sc_found(x, v));
		c->pos = k->pos;
		r->ncounters++;
	}
	return 0;
}

/* refused: {KEY: ERRNO}: KEY is cgroup or a GROUP/KNOB this scenario sets. */
static int sc_parse_refused(struct sc_ctx *x, const struct sc_node *n, struct scenario *sc,
			    struct sc_rule *r)
{
	const struct sc_known_knob *knob;
	const struct sc_node *k, *v;
	int g, i, known;

	if (n->kind != SC_MAP || n->nkids != 2)
		return sc_error(x, n->pos, "refused takes one KNOB: ERRNO pair, found %s",
				sc_found(x, n));
	k = n->kids[0];
	v = n->kids[1];
	if (!sc->cgroup)
		return sc_error(x, k->pos, "refused needs cgroup: v1 or v2 at the top level");
	known = !strcmp(k->text, "cgroup");
	if (!known) {
		if (sc_group_knob(x, k, sc, &g, &knob))
			return -1;
		for (i = 0; i < sc->groups[g].nknobs; i++)
			known |= sc->groups[g].knobs[i].known == knob;
		for (i = 0; i < sc->naxes; i++)
			known |= sc->axes[i].group == g && sc->axes[i].knob == knob;
	}
	if (!known)
		return sc_error(x, k->pos, "refused takes cgroup or a GROUP/KNOB this scenario "
				"sets, found '%s'", k->text);
	r->refused_errno = v->kind == SC_SCALAR ? sc_errno_value(v->text) : 0;
	if (!r->refused_errno)
		return sc_error(x, v->pos, "refused takes an errno name such as EINVAL or ENOENT, "
				"found %s", sc_found(x, v));
	r->refused_key = xstrdup(k->text);
	return 0;
}

static int sc_parse_rule(struct sc_ctx *x, const struct sc_node *rn, struct scenario *sc,
			 struct sc_rule *r)
{
	static const char *const keys[] = {
		"when", "panic", "killed", "enomem", "refused", "reports", "counters", "by",
		"signal", "evicted_before_kernel", "evicted", "oom_killed", "why", NULL
	};
	static const char *const need[] = { "why", NULL };
	static const char *const panics[] = {
		[SC_PANIC_SYSTEM_WIDE] = "system-wide",
		[SC_PANIC_COMPULSORY] = "compulsory",
		[SC_PANIC_DEADLOCKED] = "deadlocked",
	};
	const struct sc_node *n, *killed, *enomem, *kkey = NULL, *ekey = NULL;
	size_t p;

	r->pos = rn->pos;
	if (rn->kind != SC_MAP)
		return sc_error(x, rn->pos, "expected a rule (a mapping with why and panic, killed "
				"or enomem), found %s", sc_found(x, rn));
	if (sc_check_keys(x, rn, "in a rule", keys) || sc_require(x, rn, "in a rule", need))
		return -1;

	n = sc_get(rn, "when", NULL);
	if (n && sc_parse_when(x, n, sc, r))
		return -1;

	killed = sc_get(rn, "killed", &kkey);
	enomem = sc_get(rn, "enomem", &ekey);
	n = sc_get(rn, "reports", NULL);
	if (n && sc_parse_reports(x, n, sc, r))
		return -1;
	n = sc_get(rn, "counters", NULL);
	if (n && sc_parse_counters(x, n, sc, r))
		return -1;
	n = sc_get(rn, "refused", NULL);
	if (n) {
		if (sc_get(rn, "panic", NULL) || killed || enomem)
			return sc_error(x, n->pos, "a rule with refused takes no panic, killed or "
					"enomem: the cell stops at the refusal");
		if (sc_parse_refused(x, n, sc, r))
			return -1;
	}
	n = sc_get(rn, "panic", NULL);
	if (n) {
		for (p = 1; p < ARRAY_SIZE(panics); p++)
			if (n->kind == SC_SCALAR && !strcmp(n->text, panics[p]))
				break;
		if (p == ARRAY_SIZE(panics))
			return sc_error(x, n->pos, "panic takes system-wide, compulsory or "
					"deadlocked, found %s", sc_found(x, n));
		r->panic = (enum sc_panic)p;
		/* After a panic nothing else runs, so nothing else can be checked. */
		if (killed || enomem)
			return sc_error(x, killed ? kkey->pos : ekey->pos, "a rule with panic "
					"takes no killed or enomem, found %s",
					killed ? "killed" : "enomem");
	} else if (!killed && !enomem && !r->refused_key && !r->nreports && !r->ncounters &&
		   !sc_get(rn, "evicted", NULL) && !sc_get(rn, "oom_killed", NULL)) {
		return sc_error(x, rn->pos, "a rule needs panic, killed, enomem, refused, reports%s, "
				"found none", sc->node.on ? ", counters, evicted or oom_killed" :
				" or counters");
	}
	if (sc_parse_pod_rule(x, rn, sc, r))
		return -1;
	if (killed) {
		r->has_killed = 1;
		if (sc_parse_names(x, killed, "killed", sc, &r->killed, &r->nkilled))
			return -1;
	}
	if (sc_parse_by(x, rn, sc, r))
		return -1;
	if (enomem) {
		r->has_enomem = 1;
		if (sc_parse_names(x, enomem, "enomem", sc, &r->enomem, &r->nenomem))
			return -1;
	}

	n = sc_get(rn, "why", NULL);
	if (sc_want_text(x, n, "why takes the policy's reasoning as text"))
		return -1;
	r->why = sc_text_dup(n);
	return 0;
}

int sc_parse_expect(struct sc_ctx *x, const struct sc_node *key, const struct sc_node *list,
		    struct scenario *sc)
{
	int i;

	if (list->kind != SC_SEQ || !list->nkids)
		return sc_error(x, list->pos, "expect takes a non-empty list of rules, found %s",
				sc_found(x, list));
	sc->rules = xcalloc((size_t)list->nkids, sizeof(*sc->rules));
	sc->nrules = list->nkids;
	for (i = 0; i < list->nkids; i++)
		if (sc_parse_rule(x, list->kids[i], sc, &sc->rules[i]))
			return -1;
	return sc_check_coverage(x, key, sc);
}

