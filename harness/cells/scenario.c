// SPDX-License-Identifier: GPL-2.0-only
/* scenario.c - what a scenario may set, and what its rules say for each cell of its matrix. */
#include "cells/scenario.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#include "shared/proto.h"
#include "util.h"

/*
 * The parser (scenario_parse.c and the files beside it) fills a struct scenario; what every
 * user of one needs is here: the sysctls and cgroup knobs a scenario may set, the cells of its
 * matrix and their parameters, the rule that holds for each, and freeing it.
 */

const struct sc_known_sysctl sc_sysctls[] = {
	{ "vm.panic_on_oom", 0, 2 },
	{ "vm.oom_kill_allocating_task", 0, 1 },
	{ "vm.overcommit_memory", 0, 2 },
	{ "vm.overcommit_ratio", 0, 1000 },
	{ "vm.overcommit_kbytes", 0, 1LL << 40 },
	{ "vm.oom_dump_tasks", 0, 1 },
	{ "vm.admin_reserve_kbytes", 0, 1LL << 40 },
	{ "vm.user_reserve_kbytes", 0, 1LL << 40 },
	{ "vm.min_free_kbytes", 0, INT_MAX },	/* an int in the kernel */
	{ "vm.swappiness", 0, 200 },
	{ "kernel.pid_max", 301, 4194304 },	/* RESERVED_PIDS + 1 .. PID_MAX_LIMIT */
	{ "kernel.threads-max", 20, (1LL << 30) - 1 },	/* MIN_THREADS .. FUTEX_TID_MASK */
	{ "kernel.panic_on_oops", 0, 1 },
};

/*
 * The cgroup knobs a scenario may set, per hierarchy (Documentation/admin-guide/cgroup-v2.rst
 * and cgroup-v1/memory.rst). memory.oom_control takes oom_kill_disable.
 */
const struct sc_known_knob sc_knobs[] = {
	{ "memory.max", SC_CGROUP_V2, SC_KNOB_LIMIT },
	{ "memory.high", SC_CGROUP_V2, SC_KNOB_LIMIT },
	{ "memory.swap.max", SC_CGROUP_V2, SC_KNOB_LIMIT },
	{ "memory.oom.group", SC_CGROUP_V2, SC_KNOB_BOOL },
	{ "pids.max", SC_CGROUP_V2, SC_KNOB_COUNT },
	{ "cpuset.mems", SC_CGROUP_V2, SC_KNOB_NODE },
	{ "memory.limit_in_bytes", SC_CGROUP_V1, SC_KNOB_LIMIT },
	{ "memory.memsw.limit_in_bytes", SC_CGROUP_V1, SC_KNOB_LIMIT },
	{ "memory.use_hierarchy", SC_CGROUP_V1, SC_KNOB_BOOL },
	{ "memory.oom_control", SC_CGROUP_V1, SC_KNOB_BOOL },
	{ "pids.max", SC_CGROUP_V1, SC_KNOB_COUNT },
};

/* A sysctl is a line or an axis, never both: the agent takes them all. */
_Static_assert(ARRAY_SIZE(sc_sysctls) <= PROTO_MAX_SYSCTLS, "more sysctls than the agent takes");
_Static_assert(SC_NAME_MAX == PROTO_NAME_MAX, "a workload's name is the agent's");
const size_t sc_nsysctls = ARRAY_SIZE(sc_sysctls);
const size_t sc_nknobs = ARRAY_SIZE(sc_knobs);

const struct sc_known_knob *sc_known_knob(enum sc_cgroup cg, const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sc_knobs); i++)
		if (sc_knobs[i].cgroup == cg && !strcmp(sc_knobs[i].key, key))
			return &sc_knobs[i];
	return NULL;
}

const char *sc_knob_text(const struct sc_known_knob *k, long long v, char *buf, size_t len)
{
	if (v == SC_KNOB_MAX)
		snprintf(buf, len, "%s", k->kind == SC_KNOB_LIMIT && k->cgroup == SC_CGROUP_V1 ?
			 "-1" : "max");
	else
		snprintf(buf, len, "%lld", v);
	return buf;
}

const char *sc_cgroup_name(enum sc_cgroup cg)
{
	return cg == SC_CGROUP_V1 ? "v1" : cg == SC_CGROUP_V2 ? "v2" : "none";
}

int sc_group_index(const struct scenario *sc, const char *name)
{
	int g;

	for (g = 0; g < sc->ngroups; g++)
		if (!strcmp(sc->groups[g].name, name))
			return g;
	return -1;
}

int sc_group_within(const struct scenario *sc, int g, int anc)
{
	size_t n;

	if (anc < 0)
		return 1;
	if (g < 0)
		return 0;
	n = strlen(sc->groups[anc].name);
	return !strncmp(sc->groups[g].name, sc->groups[anc].name, n) &&
	       (sc->groups[g].name[n] == '\0' || sc->groups[g].name[n] == '/');
}

const struct sc_known_sysctl *sc_known_sysctl(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sc_sysctls); i++)
		if (!strcmp(sc_sysctls[i].key, key))
			return &sc_sysctls[i];
	return NULL;
}

const char *sc_sysctl_short(const char *key)
{
	const char *dot = strrchr(key, '.');

	return dot ? dot + 1 : key;
}

const struct sc_known_sysctl *sc_known_sysctl_any(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sc_sysctls); i++)
		if (!strcmp(sc_sysctls[i].key, name) ||
		    !strcmp(sc_sysctl_short(sc_sysctls[i].key), name))
			return &sc_sysctls[i];
	return NULL;
}

const char *sc_panic_name(enum sc_panic p)
{
	switch (p) {
	case SC_PANIC_NONE:
		return "none";
	case SC_PANIC_SYSTEM_WIDE:
		return "system-wide";
	case SC_PANIC_COMPULSORY:
		return "compulsory";
	case SC_PANIC_DEADLOCKED:
		return "deadlocked";
	}
	return "?";
}

/* Cells */

static int sc_cond_holds(const struct scenario *sc, const struct sc_cond *c, const int *vi)
{
	long long v = sc->axes[c->axis].values[vi[c->axis]];
	int i;

	for (i = 0; i < c->nvalues; i++)
		if (c->values[i] == v)
			return 1;
	return 0;
}

static const struct { const char *name; int value; } sc_errnos[] = {
	{ "EINVAL", EINVAL }, { "ENOENT", ENOENT }, { "EBUSY", EBUSY }, { "EPERM", EPERM },
	{ "EACCES", EACCES }, { "ENOSPC", ENOSPC }, { "ENODEV", ENODEV },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM },
};

int sc_errno_value(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sc_errnos); i++)
		if (!strcmp(sc_errnos[i].name, name))
			return sc_errnos[i].value;
	return 0;
}

const char *sc_errno_name(int e)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sc_errnos); i++)
		if (sc_errnos[i].value == e)
			return sc_errnos[i].name;
	return NULL;
}

/* Whether release ("6.1.0-56-cloud-amd64") is in the rule's kernel range; NULL: never. */
static int sc_kernel_holds(const struct sc_rule *r, const char *release)
{
	int cmp;

	if (!r->kernel_op)
		return 1;
	if (!release || !isdigit((unsigned char)*release))
		return 0;
	cmp = strverscmp(release, r->kernel_version);
	return r->kernel_op == '>' ? cmp >= 0 : cmp < 0;
}

int sc_rule_for(const struct scenario *sc, const int *vi)
{
	return sc_rule_for_release(sc, vi, NULL);
}

int sc_rule_for_release(const struct scenario *sc, const int *vi, const char *release)
{
	int r, w;

	for (r = 0; r < sc->nrules; r++) {
		if (!sc_kernel_holds(&sc->rules[r], release))
			continue;
		for (w = 0; w < sc->rules[r].nwhen; w++)
			if (!sc_cond_holds(sc, &sc->rules[r].when[w], vi))
				break;
		if (w == sc->rules[r].nwhen)
			return r;
	}
	return -1;
}

int sc_cell_next(const struct scenario *sc, int *vi)
{
	int a;

	for (a = sc->naxes - 1; a >= 0; a--) {
		if (++vi[a] < sc->axes[a].nvalues)
			return 1;
		vi[a] = 0;
	}
	return 0;
}

char *sc_cell_params(const struct scenario *sc, const int *vi)
{
	struct strbuf sb = STRBUF_INIT;
	int a;

	strbuf_addstr(&sb, ""); /* strbuf_detach() of a never-grown strbuf is not terminated */
	for (a = 0; a < sc->naxes; a++) {
		const struct sc_axis *ax = &sc->axes[a];
		long long v = ax->values[vi[a]];

		if (a)
			strbuf_addstr(&sb, ",");
		if (ax->workload >= 0) {
			strbuf_addf(&sb, "%s:oom_score_adj=%lld", sc->workloads[ax->workload].name, v);
			continue;
		}
		if (ax->arg_workload >= 0) { /* "leak--rate=4M" */
			strbuf_addf(&sb, "%s%s=", sc->workloads[ax->arg_workload].name,
				    strchr(ax->key, '/') + 1);
			if (v && !(v & ((1 << 20) - 1)))
				strbuf_addf(&sb, "%lldM", v >> 20);
			else
				strbuf_addf(&sb, "%lld", v);
			continue;
		}
		if (ax->duration) { /* "housekeeping_interval=1000ms" */
			strbuf_addf(&sb, "%s=%lldms", strchr(ax->key, '/') + 1, v);
			continue;
		}
		if (ax->evictor_arg >= 0) { /* "earlyoom-m=10" */
			strbuf_addf(&sb, "%s%s=%lld", sc->evictor.kind->program, ax->key + 8, v);
			continue;
		}
		if (ax->group < 0) {
			strbuf_addf(&sb, "%s=%lld", sc_sysctl_short(ax->key), v);
			continue;
		}
		/* "/" would nest directories named after cells: box/in reads box.in */
		for (const char *p = sc->groups[ax->group].name; *p; p++)
			strbuf_add(&sb, *p == '/' ? "." : p, 1);
		strbuf_addf(&sb, ":%s=", ax->knob->key);
		if (v == SC_KNOB_MAX)
			strbuf_addstr(&sb, "max");
		else if (ax->knob->kind == SC_KNOB_LIMIT && v && !(v & ((1 << 20) - 1)))
			strbuf_addf(&sb, "%lldM", v >> 20);
		else
			strbuf_addf(&sb, "%lld", v);
	}
	return strbuf_detach(&sb);
}

int sc_cell_adj(const struct scenario *sc, const int *vi, int w)
{
	int a;

	for (a = 0; a < sc->naxes; a++)
		if (sc->axes[a].workload == w)
			return (int)sc->axes[a].values[vi[a]];
	return sc->workloads[w].oom_score_adj;
}


static void sc_free_strv(char **v, int n)
{
	int i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void scenario_free(struct scenario *sc)
{
	int i, j;

	if (!sc)
		return;
	for (i = 0; i < sc->nsysctls; i++)
		free(sc->sysctls[i].key);
	free(sc->sysctls);
	for (i = 0; i < sc->nworkloads; i++) {
		free(sc->workloads[i].program);
		sc_free_strv(sc->workloads[i].args, sc->workloads[i].nargs);
	}
	free(sc->workloads);
	for (i = 0; i < sc->npods; i++)
		free(sc->pods[i].name);
	free(sc->pods);
	sc_evictor_release(&sc->evictor);
	for (i = 0; i < sc->ngroups; i++) {
		free(sc->groups[i].name);
		free(sc->groups[i].knobs);
	}
	free(sc->groups);
	free(sc->changes);
	free(sc->numa_bytes);
	for (i = 0; i < sc->naxes; i++) {
		free(sc->axes[i].key);
		free(sc->axes[i].values);
	}
	free(sc->axes);
	for (i = 0; i < sc->nrules; i++) {
		struct sc_rule *r = &sc->rules[i];

		for (j = 0; j < r->nwhen; j++)
			free(r->when[j].values);
		free(r->when);
		sc_free_strv(r->killed, r->nkilled);
		sc_free_strv(r->enomem, r->nenomem);
		sc_free_strv(r->oom_killed, r->noom_killed);
		free(r->evicted);
		free(r->evicted_rank);
		free(r->refused_key);
		for (j = 0; j < r->nreports; j++)
			free(r->reports[j].want);
		free(r->reports);
		free(r->counters);
		free(r->why);
	}
	free(sc->rules);
	free(sc->path);
	free(sc->name);
	free(sc->description);
	free(sc);
}
