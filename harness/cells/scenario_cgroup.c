// SPDX-License-Identifier: GPL-2.0-only
/* scenario_cgroup.c - a scenario's cgroups: its hierarchy's groups and knobs, and its changes. */
#include "cells/scenario_parse.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A knob's value as written: sizes and max for limits, ints (or max) for counts, 0/1. */
int sc_knob_value(const struct sc_known_knob *k, const struct sc_node *n, long long *v)
{
	unsigned long long bytes;

	if (n->kind != SC_SCALAR)
		return -1;
	if ((k->kind == SC_KNOB_LIMIT || k->kind == SC_KNOB_COUNT) && !strcmp(n->text, "max")) {
		*v = SC_KNOB_MAX;
		return 0;
	}
	switch (k->kind) {
	case SC_KNOB_LIMIT:
		if (parse_size(n->text, &bytes) || bytes > LLONG_MAX)
			return -1;
		*v = (long long)bytes;
		return 0;
	case SC_KNOB_BOOL:
		return sc_parse_ll(n->text, v) || *v < 0 || *v > 1 ? -1 : 0;
	case SC_KNOB_COUNT:
		return sc_parse_ll(n->text, v) || *v < 0 ? -1 : 0;
	case SC_KNOB_NODE:
		return sc_parse_ll(n->text, v) || *v < 0 || *v > 63 ? -1 : 0;
	}
	return -1;
}

int sc_want_knob_value(struct sc_ctx *x, const struct sc_known_knob *k,
		       const struct sc_node *n, long long *v)
{
	static const char *const kinds[] = {
		[SC_KNOB_LIMIT] = "a size such as 96M, or max",
		[SC_KNOB_BOOL] = "0 or 1",
		[SC_KNOB_COUNT] = "a count, or max",
		[SC_KNOB_NODE] = "a NUMA node 0..63",
	};

	if (sc_knob_value(k, n, v))
		return sc_error(x, n->pos, "'%s' takes %s, found %s", k->key, kinds[k->kind],
				sc_found(x, n));
	return 0;
}

static int sc_want_knob(struct sc_ctx *x, const struct sc_node *key, enum sc_cgroup cg,
			const struct sc_known_knob **known)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	*known = sc_known_knob(cg, key->text);
	if (*known)
		return 0;
	for (i = 0; i < sc_nknobs; i++)
		if (sc_knobs[i].cgroup == cg)
			strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", sc_knobs[i].key);
	sc_error(x, key->pos, "unknown cgroup %s knob '%s' (expected one of %s)",
		 sc_cgroup_name(cg), key->text, sb.buf);
	strbuf_release(&sb);
	return -1;
}

/* groups: a mapping of group names to mappings of knobs; a nested group after its parent. */
int sc_parse_groups(struct sc_ctx *x, const struct sc_node *key, const struct sc_node *map,
		    struct scenario *sc)
{
	int i, j;

	if (!sc->cgroup)
		return sc_error(x, key->pos, "groups needs cgroup: v1 or v2 at the top level, "
				"found none");
	if (map->kind != SC_MAP || !map->nkids)
		return sc_error(x, map->pos, "groups takes a mapping of group names to knobs, "
				"found %s", sc_found(x, map));
	sc->groups = xcalloc((size_t)map->nkids / 2, sizeof(*sc->groups));
	for (i = 0; i + 1 < map->nkids; i += 2) {
		const struct sc_node *k = map->kids[i], *knobs = map->kids[i + 1];
		struct sc_group *g = &sc->groups[sc->ngroups];
		const char *slash = strrchr(k->text, '/');
		char *part, *save = NULL, *copy = xstrdup(k->text);
		int ok = k->text[0] && k->text[strlen(k->text) - 1] != '/';

		if (sc->ngroups == PROTO_MAX_GROUPS) {
			free(copy);
			return sc_error(x, k->pos, "groups takes at most %d groups (the agent's "
					"limit), found %d", PROTO_MAX_GROUPS, map->nkids / 2);
		}
		for (part = strtok_r(copy, "/", &save); ok && part; part = strtok_r(NULL, "/", &save))
			ok = sc_name_ok(part, 64);
		free(copy);
		if (!ok || strstr(k->text, "//"))
			return sc_error(x, k->pos, "a group name takes [a-z0-9_-] parts joined by "
					"/, found '%s'", k->text);
		if (strlen(k->text) > PROTO_GROUP_MAX - 1)
			return sc_error(x, k->pos, "a group's path takes at most %d characters (the "
					"agent's limit), found %zu", PROTO_GROUP_MAX - 1,
					strlen(k->text));
		if (slash) {
			char *parent = xstrndup(k->text, (size_t)(slash - k->text));
			int p = sc_group_index(sc, parent);

			free(parent);
			if (p < 0)
				return sc_error(x, k->pos, "group '%s' takes its parent declared "
						"before it, found none", k->text);
		}
		g->name = xstrdup(k->text);
		g->pos = k->pos;
		sc->ngroups++;
		if (knobs->kind == SC_SCALAR && knobs->plain && !*knobs->text)
			continue; /* "box:" alone: a group with no knobs of its own */
		if (knobs->kind != SC_MAP)
			return sc_error(x, knobs->pos, "group '%s' takes a mapping of knobs to "
					"values, found %s", k->text, sc_found(x, knobs));
		g->knobs = xcalloc((size_t)knobs->nkids / 2 + 1, sizeof(*g->knobs));
		for (j = 0; j + 1 < knobs->nkids; j += 2) {
			struct sc_knob *kn = &g->knobs[g->nknobs];

			if (sc_want_knob(x, knobs->kids[j], sc->cgroup, &kn->known) ||
			    sc_want_knob_value(x, kn->known, knobs->kids[j + 1], &kn->value))
				return -1;
			kn->pos = knobs->kids[j]->pos;
			g->nknobs++;
		}
	}
	return 0;
}

/*
 * "GROUP/KNOB" (the group a declared one, the knob one of the hierarchy's) into *group and
 * *knob; -1 after an error naming what is wrong. Matrix keys, changes and refusals use it.
 */
int sc_group_knob(struct sc_ctx *x, const struct sc_node *k, const struct scenario *sc,
		  int *group, const struct sc_known_knob **knob)
{
	const char *slash = strrchr(k->text, '/');
	struct sc_node knob_node;
	char *gname;

	if (!slash)
		return sc_error(x, k->pos, "expected GROUP/KNOB such as box/memory.max, found '%s'",
				k->text);
	gname = xstrndup(k->text, (size_t)(slash - k->text));
	*group = sc_group_index(sc, gname);
	free(gname);
	if (*group < 0)
		return sc_error(x, k->pos, "'%s' names no group of this scenario", k->text);
	knob_node = *k;
	knob_node.text = (char *)slash + 1;
	return sc_want_knob(x, &knob_node, sc->cgroup, knob);
}

/*
 * The counter files the agent reads at the end of a cell (report_counters() in agent.c) and
 * for a change's condition, per hierarchy, with the keys the kernel writes in each:
 * Documentation/admin-guide/cgroup-v2.rst for memory.events, memory.events.local (the same
 * events counted in the group alone, not its subtree) and pids.events (a key newer than
 * the kernel that runs the cell, such as sock_throttled, is "not read" there: a finding);
 * cgroup-v1/memory.rst for memory.oom_control; v1's pids.events is the same file
 * (pids_events_show() in kernel/cgroup/pids.c serves both hierarchies).
 */
static const struct {
	enum sc_cgroup cgroup;
	const char *file;
	const char *keys[8];
} sc_counter_files[] = {
	{ SC_CGROUP_V2, "memory.events",
	  { "low", "high", "max", "oom", "oom_kill", "oom_group_kill", "sock_throttled" } },
	{ SC_CGROUP_V2, "memory.events.local",
	  { "low", "high", "max", "oom", "oom_kill", "oom_group_kill", "sock_throttled" } },
	{ SC_CGROUP_V2, "pids.events", { "max" } },
	{ SC_CGROUP_V1, "memory.oom_control", { "oom_kill_disable", "under_oom", "oom_kill" } },
	{ SC_CGROUP_V1, "pids.events", { "max" } },
};

/* "GROUP/FILE/KEY" into c's group, file and key; -1 after an error naming what. */
int sc_counter_path(struct sc_ctx *x, const struct sc_node *k, const struct scenario *sc,
		    int *group, char *file, char *key, size_t len)
{
	const char *kp = strrchr(k->text, '/'), *fp;
	struct strbuf sb = STRBUF_INIT;
	size_t i, j, f = ARRAY_SIZE(sc_counter_files);
	char *gname, *fname;

	fp = kp ? memrchr(k->text, '/', (size_t)(kp - k->text)) : NULL;
	if (!fp || !kp[1])
		return sc_error(x, k->pos, "a counter takes GROUP/FILE/KEY such as "
				"box/memory.events/oom_kill, found '%s'", k->text);
	gname = xstrndup(k->text, (size_t)(fp - k->text));
	*group = sc_group_index(sc, gname);
	free(gname);
	if (*group < 0)
		return sc_error(x, k->pos, "'%s' names no group of this scenario", k->text);
	fname = xstrndup(fp + 1, (size_t)(kp - fp - 1));
	for (i = 0; i < ARRAY_SIZE(sc_counter_files); i++) {
		if (sc_counter_files[i].cgroup != sc->cgroup)
			continue;
		if (!strcmp(sc_counter_files[i].file, fname))
			f = i;
		strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", sc_counter_files[i].file);
	}
	if (f == ARRAY_SIZE(sc_counter_files)) {
		sc_error(x, k->pos, "a counter file takes one of %s in cgroup %s, found '%s'",
			 sb.buf, sc_cgroup_name(sc->cgroup), fname);
		goto fail;
	}
	strbuf_reset(&sb);
	for (j = 0; sc_counter_files[f].keys[j] && strcmp(sc_counter_files[f].keys[j], kp + 1);
	     j++)
		;
	if (!sc_counter_files[f].keys[j]) {
		for (j = 0; sc_counter_files[f].keys[j]; j++)
			strbuf_addf(&sb, "%s%s", j ? ", " : "", sc_counter_files[f].keys[j]);
		sc_error(x, k->pos, "%s holds %s, found '%s'", fname, sb.buf, kp + 1);
		goto fail;
	}
	if (strlen(fname) >= len || strlen(kp + 1) >= len)
		BUG("counter '%s' does not fit %zu bytes", k->text, len);
	strcpy(file, fname);
	strcpy(key, kp + 1);
	free(fname);
	strbuf_release(&sb);
	return 0;
fail:
	free(fname);
	strbuf_release(&sb);
	return -1;
}

/* changes: knobs written while the cell runs, each once a group's counter reads a value. */
int sc_parse_changes(struct sc_ctx *x, const struct sc_node *key, const struct sc_node *list,
		     struct scenario *sc)
{
	static const char *const keys[] = { "when", "delay", "set", NULL };
	static const char *const need[] = { "when", "set", NULL };
	int i;

	if (!sc->cgroup)
		return sc_error(x, key->pos, "changes needs cgroup: v1 or v2 at the top level");
	if (list->kind != SC_SEQ || !list->nkids)
		return sc_error(x, list->pos, "changes takes a list of {when, delay, set}, found %s",
				sc_found(x, list));
	if (list->nkids > PROTO_MAX_CHANGES)
		return sc_error(x, list->kids[PROTO_MAX_CHANGES]->pos, "changes takes at most %d "
				"changes (the agent's limit), found %d", PROTO_MAX_CHANGES,
				list->nkids);
	sc->changes = xcalloc((size_t)list->nkids, sizeof(*sc->changes));
	for (i = 0; i < list->nkids; i++) {
		const struct sc_node *cn = list->kids[i], *w, *n, *set;
		struct sc_change *c = &sc->changes[sc->nchanges];
		struct sc_node path;
		char *eq, *text;
		long long ms;
		int rc;

		if (cn->kind != SC_MAP)
			return sc_error(x, cn->pos, "a change takes {when, delay, set}, found %s",
					sc_found(x, cn));
		if (sc_check_keys(x, cn, "in a change", keys) ||
		    sc_require(x, cn, "in a change", need))
			return -1;
		c->pos = cn->pos;
		w = sc_get(cn, "when", NULL);
		text = w->kind == SC_SCALAR ? xstrdup(w->text) : xstrdup("");
		eq = strchr(text, '=');
		if (!eq || sc_parse_ll(eq + 1, &c->value)) {
			free(text);
			return sc_error(x, w->pos, "a change's when takes GROUP/FILE/KEY=VALUE such as "
					"box/memory.oom_control/under_oom=1, found %s", sc_found(x, w));
		}
		*eq = '\0';
		path = *w;
		path.text = text;
		rc = sc_counter_path(x, &path, sc, &c->group, c->file, c->key, sizeof(c->file));
		free(text);
		if (rc)
			return -1;
		n = sc_get(cn, "delay", NULL);
		if (n) {
			if (n->kind != SC_SCALAR || sc_parse_ms(n->text, &ms) || ms > 3600 * 1000)
				return sc_error(x, n->pos, "delay takes a duration such as 2s, found %s",
						sc_found(x, n));
			c->delay_ms = (int)ms;
		}
		set = sc_get(cn, "set", NULL);
		if (set->kind != SC_MAP || set->nkids != 2)
			return sc_error(x, set->pos, "set takes one GROUP/KNOB: VALUE, found %s",
					sc_found(x, set));
		if (sc_group_knob(x, set->kids[0], sc, &c->set_group, &c->knob) ||
		    sc_want_knob_value(x, c->knob, set->kids[1], &c->set_value))
			return -1;
		sc->nchanges++;
	}
	return 0;
}

/*
 * cgroup v2's "No Internal Process Constraint" (Documentation/admin-guide/cgroup-v2.rst): a
 * non-root group with domain controllers enabled in its cgroup.subtree_control holds no
 * process, and moving one in fails with EBUSY. The agent enables memory, pids and cpuset in
 * a parent's subtree_control as it creates each child (cg_create() in vmimages/agent/cg.c), so
 * in v2 a workload goes in a group without child groups. v1 has no such rule.
 */
int sc_check_leaf(struct sc_ctx *x, const struct sc_node *n, const struct scenario *sc,
		  int g)
{
	int c;

	if (sc->cgroup != SC_CGROUP_V2)
		return 0;
	for (c = 0; c < sc->ngroups; c++)
		if (c != g && sc_group_within(sc, c, g))
			return sc_error(x, n->pos, "a workload's group takes a group without child "
					"groups in cgroup v2, found '%s' with '%s' (at %d:%d): the "
					"agent enables memory, pids and cpuset for %s's children, and "
					"a non-root group that does so holds no process of its own",
					sc->groups[g].name, sc->groups[c].name, sc->groups[c].pos.line,
					sc->groups[c].pos.col, sc->groups[g].name);
	return 0;
}

