// SPDX-License-Identifier: GPL-2.0-only
/* scenario_evictor.c - a scenario's evictor: which user-space OOM killer runs, and how. */
#include "cells/scenario_parse.h"

#include <stdlib.h>
#include <string.h>

#include "kubelet/kubelet.h"
#include "util.h"

/*
 * The evictors as Debian 12 packages them (earlyoom 1.7-1+b1, oomd 0.5.0-1.2+b1,
 * systemd-oomd 252.39-1~deb12u2). adj is what each package's systemd unit sets, read from
 * the unit files in the packages; ready, the line each logs when it begins to watch memory.
 */
const struct sc_evictor_kind sc_evictor_kinds[] = {
	{ .program = "earlyoom", .path = "usr/bin/earlyoom", .adj = 0,
	  .adj_why = "earlyoom.service sets no OOMScoreAdjust (and earlyoom sets -100 only "
		     "with -p)",
	  .ready = "sending SIGTERM when mem <=", .kill = "sending SIG" },
	/*
	 * INLINE_LOGGING: oomd writes each line at once rather than from a queue its I/O
	 * thread drains, which loses the last lines when oomd dies and drops lines under load
	 * (Log.cpp in oomd 0.5.0). Its kill line names each pid: "Killed 1: 90(leak)".
	 */
	{ .program = "oomd", .path = "usr/bin/oomd", .adj = 0,
	  .adj_why = "oomd.service sets no OOMScoreAdjust",
	  .ready = "Running oomd", .kill = "Killed", .needs_v2 = 1,
	  .env = "INLINE_LOGGING=1" },
	/*
	 * systemd-oomd logs to the console without journald, at debug level to print the
	 * candidates it considered before each kill; its ready line ends its start-up
	 * (oomd.c, run). Its kill lines name the cgroup: "Killed /box/a due to ...".
	 */
	{ .program = "systemd-oomd", .path = "lib/systemd/systemd-oomd", .adj = -900,
	  .adj_why = "systemd-oomd.service: OOMScoreAdjust=-900",
	  .ready = "systemd-oomd started", .kill = "Killed /", .needs_v2 = 1,
	  .env = "SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL=debug SYSTEMD_LOG_COLOR=0" },
	/*
	 * oomlab's own model of kubelet's eviction manager (vmimages/kubelet/), the evictor of
	 * every node: (scenario_node.c). Its kill lines name each pid it signals.
	 */
	{ .program = "kubelet", .path = "build/guest/kubelet", .adj = KL_ADJ_KUBELET,
	  .adj_why = "pkg/kubelet/qos/policy.go: KubeletOOMScoreAdj = -999",
	  .ready = "eviction manager: started", .kill = "killing pid", .node_only = 1,
	  .quiet = "pass done: no eviction" },
};
const size_t sc_nevictor_kinds = ARRAY_SIZE(sc_evictor_kinds);

const struct sc_evictor_kind *sc_evictor_kind(const char *program)
{
	size_t i;

	for (i = 0; i < sc_nevictor_kinds; i++)
		if (!strcmp(sc_evictor_kinds[i].program, program))
			return &sc_evictor_kinds[i];
	return NULL;
}

static int sc_parse_files(struct sc_ctx *x, const struct sc_node *map, struct sc_evictor *ev)
{
	int i;

	if (map->kind != SC_MAP)
		return sc_error(x, map->pos, "files takes a mapping of guest paths to their text, "
				"found %s", sc_found(x, map));
	ev->files = xcalloc((size_t)map->nkids / 2 + 1, sizeof(*ev->files));
	for (i = 0; i + 1 < map->nkids; i += 2) {
		const struct sc_node *k = map->kids[i], *v = map->kids[i + 1];
		struct sc_file *f = &ev->files[ev->nfiles];

		if (k->text[0] != '/' || strstr(k->text, "..") || strpbrk(k->text, " \t\n") ||
		    strlen(k->text) > 120)
			return sc_error(x, k->pos, "a file takes an absolute guest path without "
					"'..' or spaces, of at most 120 bytes, found %s",
					sc_found(x, k));
		if (v->kind != SC_SCALAR)
			return sc_error(x, v->pos, "file '%s' takes its text, found %s", k->text,
					sc_found(x, v));
		f->path = xstrdup(k->text);
		f->text = xstrdup(v->text);
		f->pos = k->pos;
		ev->nfiles++;
	}
	return 0;
}

/* "20%", "20.5%": a percentage into 1/100 %; -1 when it is none. */
int sc_permyriad(const char *s)
{
	double v;
	char *end;

	v = strtod(s, &end);
	if (end == s || strcmp(end, "%") || v < 0 || v > 100)
		return -1;
	return (int)(v * 100 + 0.5);
}

/*
 * managed: systemd-oomd's units by group, with systemd's own property names
 * (systemd.resource-control(5)). A group's ManagedOOMPreference= is honoured by systemd-oomd
 * for a cgroup owned by root, as the agent's are.
 */
static int sc_parse_managed(struct sc_ctx *x, const struct sc_node *map, struct scenario *sc)
{
	static const char *const keys[] = {
		"ManagedOOMSwap", "ManagedOOMMemoryPressure", "ManagedOOMMemoryPressureLimit",
		"ManagedOOMPreference", NULL
	};
	struct sc_evictor *ev = &sc->evictor;
	int i, j;

	if (strcmp(ev->kind->program, "systemd-oomd"))
		return sc_error(x, map->pos, "managed names systemd-oomd's units: %s takes none",
				ev->kind->program);
	if (map->kind != SC_MAP)
		return sc_error(x, map->pos, "managed takes a mapping of groups to their "
				"ManagedOOM properties, found %s", sc_found(x, map));
	ev->managed = xcalloc((size_t)map->nkids / 2 + 1, sizeof(*ev->managed));
	for (i = 0; i + 1 < map->nkids; i += 2) {
		const struct sc_node *k = map->kids[i], *v = map->kids[i + 1];
		struct sc_managed *m = &ev->managed[ev->nmanaged];

		m->pos = k->pos;
		m->group = sc_group_index(sc, k->text);
		if (m->group < 0)
			return sc_error(x, k->pos, "managed takes groups of this scenario's groups, "
					"found %s", sc_found(x, k));
		if (v->kind != SC_MAP)
			return sc_error(x, v->pos, "'%s' takes a mapping of ManagedOOM properties, "
					"found %s", k->text, sc_found(x, v));
		if (sc_check_keys(x, v, "in a managed group", keys))
			return -1;
		for (j = 0; j + 1 < v->nkids; j += 2) {
			const char *p = v->kids[j]->text;
			const struct sc_node *val = v->kids[j + 1];
			const char *t = val->kind == SC_SCALAR ? val->text : "";

			if (!strcmp(p, "ManagedOOMSwap") || !strcmp(p, "ManagedOOMMemoryPressure")) {
				if (strcmp(t, "kill") && strcmp(t, "auto"))
					return sc_error(x, val->pos, "%s takes kill or auto, found %s",
							p, sc_found(x, val));
				*(p[10] == 'S' ? &m->swap : &m->pressure) = !strcmp(t, "kill");
			} else if (!strcmp(p, "ManagedOOMMemoryPressureLimit")) {
				m->limit_permyriad = sc_permyriad(t);
				if (m->limit_permyriad < 0)
					return sc_error(x, val->pos, "%s takes a percentage such as 20%%, "
							"found %s", p, sc_found(x, val));
			} else {
				if (strcmp(t, "none") && strcmp(t, "avoid") && strcmp(t, "omit"))
					return sc_error(x, val->pos, "%s takes none, avoid or omit, "
							"found %s", p, sc_found(x, val));
				snprintf(m->preference, sizeof(m->preference), "%s",
					 strcmp(t, "none") ? t : "");
			}
		}
		ev->nmanaged++;
	}
	return 0;
}

int sc_parse_evictor(struct sc_ctx *x, const struct sc_node *map, struct scenario *sc)
{
	static const char *const keys[] = { "program", "args", "files", "managed", NULL };
	static const char *const need[] = { "program", NULL };
	struct sc_evictor *ev = &sc->evictor;
	const struct sc_node *n;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	ev->pos = map->pos;
	if (map->kind != SC_MAP)
		return sc_error(x, map->pos, "evictor takes a mapping with program, args and files, "
				"found %s", sc_found(x, map));
	if (sc_check_keys(x, map, "in evictor", keys) || sc_require(x, map, "in evictor", need))
		return -1;
	n = sc_get(map, "program", NULL);
	if (n->kind == SC_SCALAR)
		ev->kind = sc_evictor_kind(n->text);
	if (!ev->kind) {
		for (i = 0; i < sc_nevictor_kinds; i++)
			if (!sc_evictor_kinds[i].node_only)
				strbuf_addf(&sb, "%s%s", i ? ", " : "", sc_evictor_kinds[i].program);
		sc_error(x, n->pos, "evictor program takes one of %s, found %s", sb.buf,
			 sc_found(x, n));
		strbuf_release(&sb);
		return -1;
	}
	if (ev->kind->node_only)
		return sc_error(x, n->pos, "%s is a node's evictor: write node: and pods:, not "
				"evictor:", ev->kind->program);
	if (ev->kind->needs_v2 && sc->cgroup != SC_CGROUP_V2)
		return sc_error(x, n->pos, "%s reads cgroup v2 and its pressure files: the "
				"scenario needs cgroup: v2", ev->kind->program);

	if (sc_parse_args(x, sc_get(map, "args", NULL), &ev->args, &ev->nargs))
		return -1;
	n = sc_get(map, "files", NULL);
	if (n && sc_parse_files(x, n, ev))
		return -1;
	n = sc_get(map, "managed", NULL);
	return n ? sc_parse_managed(x, n, sc) : 0;
}

int sc_evictor_axis(struct sc_ctx *x, const struct sc_node *k_node, const struct scenario *sc,
		    struct sc_axis *ax)
{
	const char *flag = k_node->text + strlen("evictor/");
	int i;

	if (!sc->evictor.kind)
		return sc_error(x, k_node->pos, "'%s' names an evictor argument, but this scenario "
				"has no evictor", k_node->text);
	for (i = 0; i + 1 < sc->evictor.nargs; i++)
		if (!strcmp(sc->evictor.args[i], flag))
			break;
	if (i + 1 >= sc->evictor.nargs)
		return sc_error(x, k_node->pos, "'%s': the evictor's args have no '%s' followed by "
				"a value for the axis to replace", k_node->text, flag);
	ax->evictor_arg = i + 1;
	ax->key = xstrdup(k_node->text);
	return 0;
}

const char *sc_evictor_arg(const struct scenario *sc, const int *vi, int i, char *buf,
			   size_t len)
{
	int a;

	for (a = 0; a < sc->naxes; a++)
		if (sc->axes[a].evictor_arg == i) {
			snprintf(buf, len, sc->axes[a].duration ? "%lldms" : "%lld",
				 sc->axes[a].values[vi[a]]);
			return buf;
		}
	return sc->evictor.args[i];
}

void sc_evictor_release(struct sc_evictor *ev)
{
	int i;

	for (i = 0; i < ev->nargs; i++)
		free(ev->args[i]);
	free(ev->args);
	for (i = 0; i < ev->nfiles; i++) {
		free(ev->files[i].path);
		free(ev->files[i].text);
	}
	free(ev->files);
	free(ev->managed);
	memset(ev, 0, sizeof(*ev));
}

int sc_parse_by(struct sc_ctx *x, const struct sc_node *rn, const struct scenario *sc,
		struct sc_rule *r)
{
	const struct sc_node *n = sc_get(rn, "by", NULL), *k;
	long long v;

	if (n) {
		if (n->kind != SC_SCALAR)
			return sc_error(x, n->pos, "by takes kernel or the evictor's program, found "
					"%s", sc_found(x, n));
		if (strcmp(n->text, "kernel")) {
			if (!sc->evictor.kind || strcmp(n->text, sc->evictor.kind->program))
				return sc_error(x, n->pos, "by takes kernel%s%s, found %s",
						sc->evictor.kind ? " or " : " (the scenario has no "
						"evictor)", sc->evictor.kind ?
						sc->evictor.kind->program : "", sc_found(x, n));
			r->by = sc->evictor.kind;
		}
		if (!sc_get(rn, "killed", NULL) && !sc_get(rn, "evicted", NULL))
			return sc_error(x, n->pos, "by says who kills the workloads of killed: the "
					"rule needs killed%s", sc->node.on ? " or evicted" : "");
	}
	n = sc_get(rn, "signal", NULL);
	if (n) {
		if (!r->by)
			return sc_error(x, n->pos, "signal takes the evictor's signal: the rule "
					"needs by: with the evictor");
		if (n->kind == SC_SCALAR && !strcmp(n->text, "SIGTERM"))
			r->signal = 15;
		else if (n->kind == SC_SCALAR && !strcmp(n->text, "SIGKILL"))
			r->signal = 9;
		else
			return sc_error(x, n->pos, "signal takes SIGTERM or SIGKILL, found %s",
					sc_found(x, n));
	}
	n = sc_get(rn, "evicted_before_kernel", &k);
	if (n) {
		if (!r->by)
			return sc_error(x, k->pos, "evicted_before_kernel needs by: with the evictor");
		if (n->kind != SC_SCALAR || (strcmp(n->text, "true") && strcmp(n->text, "false")))
			return sc_error(x, n->pos, "evicted_before_kernel takes true or false, found "
					"%s", sc_found(x, n));
		v = !strcmp(n->text, "true");
		r->before_kernel = (int)v;
	}
	return 0;
}
