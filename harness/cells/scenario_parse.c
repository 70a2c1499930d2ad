// SPDX-License-Identifier: GPL-2.0-only
/* scenario_parse.c - a scenario YAML document to struct scenario, every error with its line:col. */
#include "cells/scenario_parse.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/proto.h"
#include "util.h"

#define SC_CELLS_MAX 4096 /* each cell boots a VM: more is a mistake, and it bounds coverage */

/* A sysctl key node and its value node (an integer in the sysctl's range). */
static int sc_want_sysctl(struct sc_ctx *x, const struct sc_node *key,
			  const struct sc_known_sysctl **known)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	*known = sc_known_sysctl(key->text);
	if (*known)
		return 0;
	for (i = 0; i < sc_nsysctls; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", sc_sysctls[i].key);
	sc_error(x, key->pos, "unknown sysctl '%s' (expected one of %s)", key->text, sb.buf);
	strbuf_release(&sb);
	return -1;
}

/* Sections, in the order of the contract */

static int sc_parse_vm(struct sc_ctx *x, const struct sc_node *vm, struct scenario *sc)
{
	static const char *const keys[] = { "memory", "cpus", "swap", "disk", "numa", NULL };
	static const char *const need[] = { "memory", NULL };
	const struct sc_node *n;
	long long cpus;

	if (vm->kind != SC_MAP)
		return sc_error(x, vm->pos, "vm takes a mapping (memory, cpus, swap, disk, numa), "
				"found %s",
				sc_found(x, vm));
	if (sc_check_keys(x, vm, "in vm", keys) || sc_require(x, vm, "in vm", need))
		return -1;

	n = sc_get(vm, "memory", NULL);
	if (n->kind != SC_SCALAR || parse_size(n->text, &sc->memory_bytes))
		return sc_error(x, n->pos, "vm.memory takes a size such as 512M, found %s",
				sc_found(x, n));
	/* Below this the guest kernel and agent alone would exhaust memory. */
	if (sc->memory_bytes < 64ULL << 20)
		return sc_error(x, n->pos, "vm.memory takes at least 64M, found %s",
				sc_found(x, n));

	sc->cpus = 2;
	n = sc_get(vm, "cpus", NULL);
	if (n) {
		if (sc_want_int(x, n, "vm.cpus", 1, 64, &cpus))
			return -1;
		sc->cpus = (int)cpus;
	}

	n = sc_get(vm, "swap", NULL);
	if (n && (n->kind != SC_SCALAR || (strcmp(n->text, "none") &&
					   (parse_size(n->text, &sc->swap_bytes) ||
					    sc->swap_bytes < 1ULL << 20))))
		return sc_error(x, n->pos, "vm.swap takes none or a size of at least 1M, found %s",
				sc_found(x, n));

	n = sc_get(vm, "disk", NULL);
	if (n && (n->kind != SC_SCALAR || parse_size(n->text, &sc->disk_bytes) ||
		  sc->disk_bytes < 16ULL << 20))
		return sc_error(x, n->pos, "vm.disk takes a size of at least 16M, found %s",
				sc_found(x, n));

	n = sc_get(vm, "numa", NULL);
	if (n) {
		unsigned long long sum = 0;
		int i;

		if (n->kind != SC_SEQ || n->nkids < 2 || n->nkids > 8)
			return sc_error(x, n->pos, "vm.numa takes a list of 2..8 node sizes, found %s",
					sc_found(x, n));
		sc->numa_bytes = xcalloc((size_t)n->nkids, sizeof(*sc->numa_bytes));
		for (i = 0; i < n->nkids; i++) {
			const struct sc_node *s = n->kids[i];

			if (s->kind != SC_SCALAR || parse_size(s->text, &sc->numa_bytes[i]) ||
			    sc->numa_bytes[i] < 32ULL << 20 || sc->numa_bytes[i] & ((1 << 20) - 1))
				return sc_error(x, s->pos, "a NUMA node takes a size of whole MiB, at "
						"least 32M, found %s", sc_found(x, s));
			sum += sc->numa_bytes[i];
		}
		sc->numa_nodes = n->nkids;
		if (sum != sc->memory_bytes)
			return sc_error(x, n->pos, "vm.numa takes node sizes that add up to "
					"vm.memory (%lluM), found %lluM", sc->memory_bytes >> 20,
					sum >> 20);
	}
	return 0;
}

static int sc_parse_sysctls(struct sc_ctx *x, const struct sc_node *map, struct scenario *sc)
{
	const struct sc_known_sysctl *known;
	char what[80];
	int i;

	if (map->kind != SC_MAP)
		return sc_error(x, map->pos,
				"sysctls takes a mapping of sysctls to values, found %s",
				sc_found(x, map));
	sc->sysctls = xcalloc((size_t)map->nkids / 2 + 1, sizeof(*sc->sysctls));
	for (i = 0; i + 1 < map->nkids; i += 2) {
		const struct sc_node *k = map->kids[i], *v = map->kids[i + 1];
		struct sc_sysctl *s = &sc->sysctls[sc->nsysctls];

		if (sc_want_sysctl(x, k, &known))
			return -1;
		snprintf(what, sizeof(what), "'%s'", known->key);
		if (sc_want_int(x, v, what, known->min, known->max, &s->value))
			return -1;
		s->key = xstrdup(known->key);
		s->pos = k->pos;
		sc->nsysctls++;
	}
	return 0;
}

/* The name a raw workload node declares, or NULL; for looking ahead of the parsed ones. */
static const char *sc_raw_name(const struct sc_node *w)
{
	const struct sc_node *n;

	if (w->kind != SC_MAP)
		return NULL;
	n = sc_get(w, "name", NULL);
	return n && n->kind == SC_SCALAR ? n->text : NULL;
}

/* start: {after: NAME, phase: PHASE} of workload i; after must name an earlier workload. */
int sc_parse_start(struct sc_ctx *x, const struct sc_node *list, int i,
			  const struct sc_node *start, struct scenario *sc)
{
	static const char *const keys[] = { "after", "phase", NULL };
	struct sc_workload *w = &sc->workloads[i];
	const struct sc_node *after, *phase;
	int j;

	if (start->kind != SC_MAP)
		return sc_error(x, start->pos,
				"start takes {after: NAME, phase: ready|holding}, found %s",
				sc_found(x, start));
	if (sc_check_keys(x, start, "in start", keys) || sc_require(x, start, "in start", keys))
		return -1;

	after = sc_get(start, "after", NULL);
	if (sc_want_text(x, after, "start.after takes a workload name"))
		return -1;
	for (j = 0; j < i; j++)
		if (!strcmp(sc->workloads[j].name, after->text))
			break;
	if (j == i) {
		if (!strcmp(after->text, w->name))
			return sc_error(x, after->pos,
					"start.after takes an earlier workload, found '%s' itself",
					w->name);
		for (j = i + 1; j < list->nkids; j++) {
			const char *name = sc_raw_name(list->kids[j]);

			/* Only earlier ones: that alone rules out cycles. */
			if (name && !strcmp(name, after->text))
				return sc_error(x, after->pos,
						"start.after takes an earlier workload, found '%s' "
						"declared at %d:%d", name, list->kids[j]->pos.line,
						list->kids[j]->pos.col);
		}
		return sc_error(x, after->pos, "'%s' is not a workload of this scenario",
				after->text);
	}

	/* any report word: ready and holding for every workload, others their own */
	phase = sc_get(start, "phase", NULL);
	if (phase->kind != SC_SCALAR || !sc_name_ok(phase->text, SC_NAME_MAX - 1) ||
	    strpbrk(phase->text, "0123456789_-"))
		return sc_error(x, phase->pos, "start.phase takes a report's phase (ready, holding, "
				"...; 1..%d of [a-z]), found %s", SC_NAME_MAX - 1, sc_found(x, phase));
	w->start = SC_START_AFTER;
	strcpy(w->after, sc->workloads[j].name);
	strcpy(w->after_phase, phase->text);
	return 0;
}

/* args: a list of strings (NULL: none) into a NULL-terminated array. */
int sc_parse_args(struct sc_ctx *x, const struct sc_node *n, char ***args, int *nargs)
{
	int j;

	if (n && n->kind != SC_SEQ)
		return sc_error(x, n->pos, "args takes a list of strings, found %s",
				sc_found(x, n));
	if (n && n->nkids > PROTO_MAX_ARGS - 1)
		return sc_error(x, n->kids[PROTO_MAX_ARGS - 1]->pos, "args takes at most %d "
				"arguments (the agent's limit: %d with the program's own name), "
				"found %d", PROTO_MAX_ARGS - 1, PROTO_MAX_ARGS, n->nkids);
	*args = xcalloc(n ? (size_t)n->nkids + 1 : 1, sizeof(**args));
	for (j = 0; n && j < n->nkids; j++) {
		const struct sc_node *a = n->kids[j];

		if (a->kind != SC_SCALAR || (a->plain && !*a->text))
			return sc_error(x, a->pos, "args takes strings, found %s", sc_found(x, a));
		(*args)[(*nargs)++] = xstrdup(a->text);
	}
	return 0;
}

/* A workload's (or a container's) program: and args: from map, which has a program. */
int sc_parse_program(struct sc_ctx *x, const struct sc_node *map, struct sc_workload *w)
{
	const struct sc_node *n = sc_get(map, "program", NULL);

	if (n->kind != SC_SCALAR || !sc_name_ok(n->text, PROTO_PROGRAM_MAX - 1))
		return sc_error(x, n->pos, "program takes a program name of 1..%d of [a-z0-9_-], "
				"found %s", PROTO_PROGRAM_MAX - 1, sc_found(x, n));
	w->program = xstrdup(n->text);
	return sc_parse_args(x, sc_get(map, "args", NULL), &w->args, &w->nargs);
}

static int sc_parse_workload(struct sc_ctx *x, const struct sc_node *list, int i,
			     struct scenario *sc)
{
	static const char *const keys[] = {
		"name", "program", "args", "oom_score_adj", "start", "group", NULL
	};
	static const char *const need[] = { "name", "program", NULL };
	const struct sc_node *wn = list->kids[i], *n, *key;
	struct sc_workload *w = &sc->workloads[i];
	long long adj;
	int j;

	w->pos = wn->pos;
	if (wn->kind != SC_MAP)
		return sc_error(x, wn->pos,
				"expected a workload (a mapping with name and program), found %s",
				sc_found(x, wn));
	if (sc_check_keys(x, wn, "in a workload", keys) ||
	    sc_require(x, wn, "in a workload", need))
		return -1;

	n = sc_get(wn, "name", NULL);
	/* The name becomes the comm, which the kernel cuts at 15 characters. */
	if (n->kind != SC_SCALAR || !sc_name_ok(n->text, SC_NAME_MAX - 1))
		return sc_error(x, n->pos, "workload name takes 1..%d of [a-z0-9_-], found %s",
				SC_NAME_MAX - 1, sc_found(x, n));
	for (j = 0; j < i; j++)
		if (!strcmp(sc->workloads[j].name, n->text))
			return sc_error(x, n->pos, "duplicate workload name '%s' (first at %d:%d)",
					n->text, sc->workloads[j].pos.line,
					sc->workloads[j].pos.col);
	strcpy(w->name, n->text);
	if (sc_parse_program(x, wn, w))
		return -1;

	n = sc_get(wn, "oom_score_adj", &key);
	if (n) {
		if (sc_want_int(x, n, "oom_score_adj", -1000, 1000, &adj))
			return -1;
		w->oom_score_adj = (int)adj;
		w->adj_pos = key->pos;
	}

	n = sc_get(wn, "start", NULL);
	if (n && sc_parse_start(x, list, i, n, sc))
		return -1;

	w->group = -1;
	n = sc_get(wn, "group", NULL);
	if (n) {
		if (n->kind == SC_SCALAR)
			w->group = sc_group_index(sc, n->text);
		if (w->group < 0)
			return sc_error(x, n->pos, "group takes a group of this scenario's groups, "
					"found %s", sc_found(x, n));
		if (sc_check_leaf(x, n, sc, w->group))
			return -1;
	}
	return 0;
}

static int sc_parse_workloads(struct sc_ctx *x, const struct sc_node *list, struct scenario *sc)
{
	int i;

	if (list->kind != SC_SEQ || !list->nkids)
		return sc_error(x, list->pos,
				"workloads takes a non-empty list of workloads, found %s",
				sc_found(x, list));
	if (list->nkids > PROTO_MAX_WORKLOADS)
		return sc_error(x, list->kids[PROTO_MAX_WORKLOADS]->pos, "workloads takes at most "
				"%d workloads (the agent's limit), found %d", PROTO_MAX_WORKLOADS,
				list->nkids);
	sc->workloads = xcalloc((size_t)list->nkids, sizeof(*sc->workloads));
	sc->nworkloads = list->nkids;
	for (i = 0; i < list->nkids; i++)
		if (sc_parse_workload(x, list, i, sc))
			return -1;
	return 0;
}

/* The workload a WORKLOAD/... axis key names (up to slash), or -1 with the error set. */
static int sc_axis_workload(struct sc_ctx *x, const struct sc_node *k_node,
			    const struct scenario *sc, const char *slash)
{
	size_t n = (size_t)(slash - k_node->text);
	int j;

	for (j = 0; j < sc->nworkloads; j++)
		if (strlen(sc->workloads[j].name) == n && !strncmp(sc->workloads[j].name,
								    k_node->text, n))
			return j;
	return sc_error(x, k_node->pos, "'%s' names no workload of this scenario", k_node->text);
}

/*
 * A matrix key: a known sysctl, GROUP/KNOB for a knob of a declared group that the group does
 * not also fix, WORKLOAD/oom_score_adj for a workload that does not fix its own,
 * WORKLOAD/--FLAG for a workload's size argument, evictor/FLAG, or node/housekeeping_interval
 * of a node. Fills the axis's key, group and knob, or workload, or argument.
 */
static int sc_axis_key(struct sc_ctx *x, const struct sc_node *k_node, struct scenario *sc,
		       struct sc_axis *ax)
{
	const struct sc_known_sysctl *known;
	const char *slash = strrchr(k_node->text, '/');
	int j;

	ax->group = -1;
	ax->workload = -1;
	ax->evictor_arg = -1;
	ax->arg_workload = -1;
	if (slash && !strncmp(slash + 1, "--", 2)) {
		j = sc_axis_workload(x, k_node, sc, slash);
		if (j < 0)
			return -1;
		for (ax->arg = 0; ax->arg + 1 < sc->workloads[j].nargs; ax->arg++)
			if (!strcmp(sc->workloads[j].args[ax->arg], slash + 1))
				break;
		if (ax->arg + 1 >= sc->workloads[j].nargs)
			return sc_error(x, k_node->pos, "'%s': the workload's args have no '%s' "
					"followed by a value for the axis to replace", k_node->text,
					slash + 1);
		ax->arg++;
		ax->arg_workload = j;
		ax->key = xstrdup(k_node->text);
		return 0;
	}
	if (!strncmp(k_node->text, "evictor/", 8))
		return sc_evictor_axis(x, k_node, sc, ax);
	if (!strcmp(k_node->text, "node/housekeeping_interval") && sc->node.on) {
		/* the model's --housekeeping-interval, in ms */
		for (j = 0; j + 1 < sc->evictor.nargs; j++)
			if (!strcmp(sc->evictor.args[j], "--housekeeping-interval"))
				ax->evictor_arg = j + 1;
		ax->duration = 1;
		ax->key = xstrdup(k_node->text);
		return 0;
	}
	if (slash && !strcmp(slash + 1, "oom_score_adj")) {
		j = sc_axis_workload(x, k_node, sc, slash);
		if (j < 0)
			return -1;
		if (sc->workloads[j].adj_pos.line)
			return sc_error(x, k_node->pos, "'%s' is both a matrix axis and set in the "
					"workload (at %d:%d)", k_node->text,
					sc->workloads[j].adj_pos.line, sc->workloads[j].adj_pos.col);
		ax->workload = j;
		ax->key = xstrdup(k_node->text);
		return 0;
	}
	if (!slash) {
		if (sc_want_sysctl(x, k_node, &known))
			return -1;
		/* A fixed value would silently override, or be overridden by, the axis. */
		for (j = 0; j < sc->nsysctls; j++)
			if (!strcmp(sc->sysctls[j].key, known->key))
				return sc_error(x, k_node->pos, "'%s' is both a matrix axis and in "
						"sysctls (at %d:%d)", known->key,
						sc->sysctls[j].pos.line, sc->sysctls[j].pos.col);
		ax->key = xstrdup(known->key);
		return 0;
	}
	if (sc_group_knob(x, k_node, sc, &ax->group, &ax->knob))
		return -1;
	for (j = 0; j < sc->groups[ax->group].nknobs; j++)
		if (sc->groups[ax->group].knobs[j].known == ax->knob)
			return sc_error(x, k_node->pos, "'%s' is both a matrix axis and set in "
					"groups (at %d:%d)", k_node->text,
					sc->groups[ax->group].knobs[j].pos.line,
					sc->groups[ax->group].knobs[j].pos.col);
	ax->key = xstrdup(k_node->text);
	return 0;
}

/* One value of axis ax from n, without a message: sysctls take ints, knobs their kind. */
int sc_axis_value(const struct sc_axis *ax, const struct sc_node *n, long long *v)
{
	if (ax->knob)
		return sc_knob_value(ax->knob, n, v);
	if (ax->duration)
		return n->kind == SC_SCALAR ? sc_parse_ms(n->text, v) : -1;
	if (ax->arg_workload >= 0) {
		unsigned long long b;

		if (n->kind != SC_SCALAR || parse_size(n->text, &b) || b > (1ULL << 40))
			return -1;
		*v = (long long)b;
		return 0;
	}
	return n->kind == SC_SCALAR ? sc_parse_ll(n->text, v) : -1;
}

/* A duration of at least 100 ms, as its ms. */
static int sc_want_duration(struct sc_ctx *x, const struct sc_node *n, const char *what,
			    long long *ms)
{
	if (n->kind != SC_SCALAR || sc_parse_ms(n->text, ms) || *ms < 100)
		return sc_error(x, n->pos, "%s takes durations of at least 100ms such as 10s, "
				"found %s", what, sc_found(x, n));
	return 0;
}

/* A size for a workload's argument (2M, 4096). */
static int sc_want_arg_size(struct sc_ctx *x, const struct sc_axis *ax, const struct sc_node *n,
			    const char *what, long long *v)
{
	if (sc_axis_value(ax, n, v))
		return sc_error(x, n->pos, "%s takes sizes such as 4M or 4096, found %s", what,
				sc_found(x, n));
	return 0;
}

static int sc_parse_matrix(struct sc_ctx *x, const struct sc_node *key, const struct sc_node *map,
			   struct scenario *sc)
{
	long long cells = 1;
	char what[80];
	int i, j, k;

	if (map->kind != SC_MAP)
		return sc_error(x, map->pos,
				"matrix takes a mapping of sysctls to lists of values, found %s",
				sc_found(x, map));
	sc->axes = xcalloc((size_t)map->nkids / 2 + 1, sizeof(*sc->axes));
	for (i = 0; i + 1 < map->nkids; i += 2) {
		const struct sc_node *k_node = map->kids[i], *list = map->kids[i + 1];
		struct sc_axis *ax = &sc->axes[sc->naxes];

		if (sc_axis_key(x, k_node, sc, ax))
			return -1;
		sc->naxes++;
		if (list->kind != SC_SEQ || !list->nkids)
			return sc_error(x, list->pos, "matrix axis '%s' takes a non-empty list of "
					"values, found %s", ax->key, sc_found(x, list));
		/* Values are distinct once parsed, so the item count is the axis size. */
		cells *= list->nkids;
		if (cells > SC_CELLS_MAX)
			return sc_error(x, key->pos, "matrix takes at most %d cells, found more",
					SC_CELLS_MAX);
		ax->pos = k_node->pos;
		ax->values = xcalloc((size_t)list->nkids, sizeof(*ax->values));
		snprintf(what, sizeof(what), "'%s'", ax->key);
		for (j = 0; j < list->nkids; j++) {
			const struct sc_known_sysctl *known = sc_known_sysctl(ax->key);
			long long v;

			if (ax->knob ? sc_want_knob_value(x, ax->knob, list->kids[j], &v) :
			    ax->workload >= 0 ? sc_want_int(x, list->kids[j], what, -1000, 1000, &v) :
			    ax->duration ? sc_want_duration(x, list->kids[j], what, &v) :
			    ax->arg_workload >= 0 ? sc_want_arg_size(x, ax, list->kids[j], what,
								    &v) :
			    ax->evictor_arg >= 0 ? sc_want_int(x, list->kids[j], what, 0, 1000000,
								&v) :
				       sc_want_int(x, list->kids[j], what, known->min, known->max,
						   &v))
				return -1;
			for (k = 0; k < ax->nvalues; k++)
				if (ax->values[k] == v)
					return sc_error(x, list->kids[j]->pos,
							"duplicate value %lld in matrix axis '%s'",
							v, ax->key);
			ax->values[ax->nvalues++] = v;
		}
	}
	return 0;
}


/* The file name without directory and ".yaml", which "scenario:" must repeat. */
static char *sc_file_stem(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".yaml"))
		len -= 5;
	return xstrndup(base, len);
}

static int sc_parse_top(struct sc_ctx *x, const struct sc_node *root, struct scenario *sc)
{
	static const char *const keys[] = {
		"scenario", "description", "vm", "deadline", "stop", "sysctls", "cgroup",
		"groups", "changes", "evictor", "workloads", "node", "pods", "matrix", "expect",
		NULL
	};
	static const char *const need[] = { "scenario", "description", "deadline", "expect", NULL };
	/* a node's pods are its workloads, and its capacity may give the VM's memory */
	static const char *const need_plain[] = { "vm", "workloads", NULL };
	const struct sc_node *n, *key;
	long long ms;
	char *stem;
	int rc;

	if (root->kind != SC_MAP) {
		if (root->kind == SC_SCALAR && root->plain && !*root->text)
			return sc_error(x, root->pos,
					"expected a scenario, found an empty document");
		return sc_error(x, root->pos, "expected a mapping of scenario keys, found %s",
				sc_found(x, root));
	}
	if (sc_check_keys(x, root, "at the top level", keys) ||
	    sc_require(x, root, "at the top level", need) ||
	    (!sc_get(root, "node", NULL) && sc_require(x, root, "at the top level", need_plain)))
		return -1;
	if (!sc_get(root, "node", NULL) && sc_get(root, "pods", &key))
		return sc_error(x, key->pos, "pods: are a node's: the scenario needs node:");
	if (sc_get(root, "node", NULL) && sc_node_alone(x, root))
		return -1;

	n = sc_get(root, "scenario", NULL);
	if (n->kind != SC_SCALAR || !sc_name_ok(n->text, SIZE_MAX))
		return sc_error(x, n->pos, "scenario takes a name of [a-z0-9_-], found %s",
				sc_found(x, n));
	stem = sc_file_stem(x->path);
	rc = strcmp(stem, n->text) ?
		sc_error(x, n->pos, "scenario '%s' must match the file name '%s'", n->text, stem) :
		0;
	free(stem);
	if (rc)
		return -1;
	sc->name = xstrdup(n->text);

	n = sc_get(root, "description", NULL);
	if (sc_want_text(x, n, "description takes text"))
		return -1;
	sc->description = sc_text_dup(n);

	n = sc_get(root, "vm", NULL);
	if (n && sc_parse_vm(x, n, sc))
		return -1;

	n = sc_get(root, "deadline", NULL);
	if (n->kind != SC_SCALAR || sc_parse_ms(n->text, &ms))
		return sc_error(x, n->pos, "deadline takes a duration such as 60s, 1500ms or 2m, "
				"found %s", sc_found(x, n));
	if (ms < 1)
		return sc_error(x, n->pos, "deadline takes a positive duration, found %s",
				sc_found(x, n));
	if (ms > 24 * 3600 * 1000)
		return sc_error(x, n->pos, "deadline takes at most 1440m, found %s",
				sc_found(x, n));
	sc->deadline_ms = (int)ms;

	n = sc_get(root, "stop", NULL);
	if (n) {
		if (n->kind == SC_SCALAR && !strcmp(n->text, "settled"))
			sc->stop = SC_STOP_SETTLED;
		else if (n->kind == SC_SCALAR && !strcmp(n->text, "exited"))
			sc->stop = SC_STOP_EXITED;
		else if (n->kind == SC_SCALAR && !strcmp(n->text, "deadline"))
			sc->stop = SC_STOP_DEADLINE;
		else
			return sc_error(x, n->pos, "stop takes settled, exited or deadline, found %s",
					sc_found(x, n));
	}

	n = sc_get(root, "sysctls", NULL);
	if (n && sc_parse_sysctls(x, n, sc))
		return -1;
	n = sc_get(root, "cgroup", NULL);
	if (n) {
		if (n->kind == SC_SCALAR && !strcmp(n->text, "v1"))
			sc->cgroup = SC_CGROUP_V1;
		else if (n->kind == SC_SCALAR && !strcmp(n->text, "v2"))
			sc->cgroup = SC_CGROUP_V2;
		else
			return sc_error(x, n->pos, "cgroup takes v1 or v2, found %s",
					sc_found(x, n));
	}
	n = sc_get(root, "groups", &key);
	if (n && sc_parse_groups(x, key, n, sc))
		return -1;
	n = sc_get(root, "changes", &key);
	if (n && sc_parse_changes(x, key, n, sc))
		return -1;
	n = sc_get(root, "evictor", NULL);
	if (n && sc_parse_evictor(x, n, sc))
		return -1;
	n = sc_get(root, "node", NULL);
	if (n ? sc_parse_node(x, root, sc) : sc_parse_workloads(x, sc_get(root, "workloads", NULL),
								sc))
		return -1;
	n = sc_get(root, "matrix", &key);
	if (n && sc_parse_matrix(x, key, n, sc))
		return -1;
	if (sc_check_knob_count(x, sc) || sc_check_spec(x, root, sc))
		return -1;
	n = sc_get(root, "expect", &key);
	if (sc_parse_expect(x, key, n, sc))
		return -1;
	return sc_check_stop_exited(x, sc_get(root, "stop", NULL), sc);
}

struct scenario *scenario_parse(const char *path, const char *text, size_t len,
				char *err, size_t errlen)
{
	struct sc_ctx x = { .path = path, .text = text ? text : "", .len = text ? len : 0,
			    .err = err, .errlen = errlen };
	struct sc_node *root = NULL;
	struct scenario *sc = NULL;

	if (errlen)
		err[0] = '\0';
	if (!yaml_parser_initialize(&x.parser))
		die("out of memory initializing the YAML parser");
	yaml_parser_set_input_string(&x.parser, (const unsigned char *)x.text, x.len);
	if (!sc_build_document(&x, &root)) {
		sc = xcalloc(1, sizeof(*sc));
		sc->path = xstrdup(path);
		if (sc_parse_top(&x, root, sc)) {
			scenario_free(sc);
			sc = NULL;
		}
	}
	yaml_parser_delete(&x.parser);
	sc_node_free(root);
	return sc;
}

struct scenario *scenario_load(const char *path, char *err, size_t errlen)
{
	struct strbuf sb = STRBUF_INIT;
	struct scenario *sc;

	if (strbuf_read_file(&sb, path) < 0) {
		if (errlen)
			snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		strbuf_release(&sb);
		return NULL;
	}
	sc = scenario_parse(path, sb.buf, sb.len, err, errlen);
	strbuf_release(&sb);
	return sc;
}

