// SPDX-License-Identifier: GPL-2.0-only
/* spec.c - a cell's /cell.spec, the guest agent's whole input, and whether it fits the agent. */
#include "guest/spec.h"
#include "shared/proto.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most fields a spec line has: a workload's six, then its args (argv[0] is its name). */
_Static_assert(6 + PROTO_MAX_ARGS - 1 <= PROTO_KV_MAX, "a workload line has too many fields");

struct spec {
	struct strbuf text;
	struct strbuf line;
	enum spec_part part;
	int index;
	int failed;
	struct spec_misfit *misfit;
};

static void spec_begin(struct spec *s, const char *word, enum spec_part part, int index)
{
	strbuf_reset(&s->line);
	strbuf_addstr(&s->line, word);
	s->part = part;
	s->index = index;
}

static void spec_misfit(struct spec *s, int whole, int arg, size_t bytes)
{
	if (s->failed++)
		return;
	*s->misfit = (struct spec_misfit){ .whole = whole, .part = s->part, .index = s->index,
					   .arg = arg, .bytes = bytes };
}

/* " key=value", escaped as proto_add() does; arg: the workload argument it is, else -1. */
static void spec_add_arg(struct spec *s, const char *key, const char *val, int arg)
{
	size_t len = strlen(key) + 3 * strlen(val) + 3;
	char *field = xmalloc(len);

	field[0] = '\0';
	if (proto_add(field, len, key, val))
		BUG("a field of %zu bytes does not fit %zu", strlen(val), len);
	strbuf_addstr(&s->line, field);
	free(field);
	if (s->line.len > PROTO_LINE_MAX - 1)
		spec_misfit(s, 0, arg, s->line.len);
}

static void spec_add(struct spec *s, const char *key, const char *val)
{
	spec_add_arg(s, key, val, -1);
}

static void spec_addll(struct spec *s, const char *key, long long val)
{
	char num[24];

	snprintf(num, sizeof(num), "%lld", val);
	spec_add(s, key, num);
}

static void spec_end(struct spec *s)
{
	strbuf_add(&s->text, s->line.buf, s->line.len);
	strbuf_addstr(&s->text, "\n");
	/*
	 * the agent read()s PROTO_SPEC_MAX - 1 bytes and keeps one for the NUL; the run adds
	 * its per-cell fields later (spec_fresh())
	 */
	if (s->text.len > PROTO_SPEC_MAX - 1 - SPEC_FRESH_BYTES)
		spec_misfit(s, 1, -1, s->text.len);
}

/*
 * The evictor: a "file" line per piece of each file it reads (a line holds at most
 * PROTO_LINE_MAX bytes, escaped), then its "evictor" line: the program, its binary and
 * oom_score_adj, the line that says it is ready, and its args with the matrix's values in.
 */
static void spec_evictor(struct spec *s, const struct scenario *sc, const int *vi)
{
	const struct sc_evictor *ev = &sc->evictor;
	char num[24], *piece;
	size_t off, len;
	int i;

	for (i = 0; i < ev->nfiles; i++) {
		len = strlen(ev->files[i].text);
		for (off = 0; off == 0 || off < len; off += SPEC_FILE_PIECE) {
			piece = xstrndup(ev->files[i].text + off, SPEC_FILE_PIECE);
			spec_begin(s, "file", SPEC_PART_EVICTOR, i);
			spec_add(s, "path", ev->files[i].path);
			spec_add(s, "text", piece);
			spec_end(s);
			free(piece);
		}
	}
	for (i = 0; i < ev->nmanaged; i++) {
		const struct sc_managed *m = &ev->managed[i];

		spec_begin(s, "managed", SPEC_PART_EVICTOR, 0);
		spec_add(s, "group", sc->groups[m->group].name);
		spec_addll(s, "swap", m->swap);
		spec_addll(s, "pressure", m->pressure);
		spec_addll(s, "limit", m->limit_permyriad);
		spec_add(s, "preference", m->preference);
		spec_end(s);
	}
	spec_begin(s, "evictor", SPEC_PART_EVICTOR, 0);
	spec_add(s, "program", ev->kind->program);
	spec_addll(s, "adj", ev->kind->adj);
	spec_add(s, "ready", ev->kind->ready);
	spec_add(s, "kill", ev->kind->kill);
	if (ev->kind->quiet)
		spec_add(s, "quiet", ev->kind->quiet);
	if (ev->kind->env) {
		char *copy = xstrdup(ev->kind->env), *save = NULL, *e;

		for (e = strtok_r(copy, " ", &save); e; e = strtok_r(NULL, " ", &save))
			spec_add(s, "env", e);
		free(copy);
	}
	for (i = 0; i < ev->nargs; i++)
		spec_add_arg(s, "arg", sc_evictor_arg(sc, vi, i, num, sizeof(num)), i);
	spec_end(s);
}

char *spec_fresh(const char *spec, const char *seed, long long clock_ns)
{
	size_t first = strcspn(spec, "\n");
	char *out = xasprintf("%.*s seed=%s clock_ns=%lld%s", (int)first, spec, seed, clock_ns,
			      spec + first);

	if (strlen(out) > strlen(spec) + SPEC_FRESH_BYTES)
		BUG("a cell's fresh fields take more than %d bytes", SPEC_FRESH_BYTES);
	return out;
}

char *spec_cell(const struct scenario *sc, const int *vi, const char *id,
		struct spec_misfit *misfit)
{
	struct spec s = { STRBUF_INIT, STRBUF_INIT, SPEC_PART_CELL, 0, 0, misfit };
	char val[32];
	int i, a;

	spec_begin(&s, "cell", SPEC_PART_CELL, 0);
	spec_addll(&s, "v", PROTO_VERSION);
	spec_add(&s, "id", id);
	spec_addll(&s, "deadline_ms", sc->deadline_ms);
	spec_add(&s, "stop", sc->stop == SC_STOP_EXITED ? "exited" :
		 sc->stop == SC_STOP_DEADLINE ? "deadline" : "settled");
	spec_end(&s);
	/* the disks in QEMU's order: vda the swap, if any, then the scratch disk */
	if (sc->swap_bytes) {
		spec_begin(&s, "swap", SPEC_PART_CELL, 0);
		spec_add(&s, "dev", "/dev/vda");
		spec_addll(&s, "bytes", (long long)sc->swap_bytes);
		spec_end(&s);
	}
	if (sc->disk_bytes) {
		spec_begin(&s, "disk", SPEC_PART_CELL, 0);
		spec_add(&s, "dev", sc->swap_bytes ? "/dev/vdb" : "/dev/vda");
		spec_add(&s, "dir", "/mnt/disk");
		spec_addll(&s, "bytes", (long long)sc->disk_bytes);
		spec_end(&s);
	}
	for (i = 0; i < sc->nsysctls + sc->naxes; i++) {
		const struct sc_axis *ax = i < sc->nsysctls ? NULL : &sc->axes[i - sc->nsysctls];

		if (ax && (ax->group >= 0 || ax->workload >= 0 || ax->evictor_arg >= 0 ||
			   ax->arg_workload >= 0))
			continue; /* a knob: with its group below; an adj: with its workload;
				   * an evictor's argument: in its line */
		spec_begin(&s, "sysctl", SPEC_PART_CELL, 0);
		spec_add(&s, "key", ax ? ax->key : sc->sysctls[i].key);
		spec_addll(&s, "value", ax ? ax->values[vi[i - sc->nsysctls]] :
			   sc->sysctls[i].value);
		spec_end(&s);
	}
	if (sc->cgroup) {
		spec_begin(&s, "cgroup", SPEC_PART_CELL, 0);
		spec_addll(&s, "v", sc->cgroup == SC_CGROUP_V1 ? 1 : 2);
		spec_end(&s);
	}
	/* a group's fixed knobs in file order, then its matrix knobs: parents before children */
	for (i = 0; i < sc->ngroups; i++) {
		const struct sc_group *g = &sc->groups[i];

		spec_begin(&s, "group", SPEC_PART_GROUP, i);
		spec_add(&s, "name", g->name);
		spec_end(&s);
		for (a = 0; a < g->nknobs + sc->naxes; a++) {
			const struct sc_known_knob *k;
			long long v;

			if (a < g->nknobs) {
				k = g->knobs[a].known;
				v = g->knobs[a].value;
			} else if (sc->axes[a - g->nknobs].group == i) {
				k = sc->axes[a - g->nknobs].knob;
				v = sc->axes[a - g->nknobs].values[vi[a - g->nknobs]];
			} else {
				continue;
			}
			spec_begin(&s, "knob", SPEC_PART_GROUP, i);
			spec_add(&s, "group", g->name);
			spec_add(&s, "key", k->key);
			spec_add(&s, "value", sc_knob_text(k, v, val, sizeof(val)));
			spec_end(&s);
		}
	}
	for (i = 0; i < sc->nchanges; i++) {
		const struct sc_change *ch = &sc->changes[i];

		spec_begin(&s, "change", SPEC_PART_CHANGE, i);
		spec_add(&s, "group", sc->groups[ch->group].name);
		spec_add(&s, "file", ch->file);
		spec_add(&s, "key", ch->key);
		spec_addll(&s, "value", ch->value);
		spec_addll(&s, "delay_ms", ch->delay_ms);
		spec_add(&s, "set_group", sc->groups[ch->set_group].name);
		spec_add(&s, "set_key", ch->knob->key);
		spec_add(&s, "set_value", sc_knob_text(ch->knob, ch->set_value, val, sizeof(val)));
		spec_end(&s);
	}
	if (sc->evictor.kind)
		spec_evictor(&s, sc, vi);
	for (i = 0; i < sc->nworkloads; i++) {
		const struct sc_workload *w = &sc->workloads[i];

		spec_begin(&s, "workload", SPEC_PART_WORKLOAD, i);
		spec_add(&s, "name", w->name);
		spec_add(&s, "program", w->program);
		spec_addll(&s, "adj", sc_cell_adj(sc, vi, i));
		if (w->burstable_request)
			spec_addll(&s, "burstable_request", w->burstable_request);
		if (w->start == SC_START_AFTER) {
			spec_add(&s, "after", w->after);
			spec_add(&s, "phase", w->after_phase);
		}
		if (w->group >= 0)
			spec_add(&s, "group", sc->groups[w->group].name);
		for (a = 0; a < w->nargs; a++) {
			const char *arg = w->args[a];
			int x;

			/* an axis over this argument (WORKLOAD/--FLAG) gives its value */
			for (x = 0; x < sc->naxes; x++)
				if (sc->axes[x].arg_workload == i && sc->axes[x].arg == a) {
					snprintf(val, sizeof(val), "%lld", sc->axes[x].values[vi[x]]);
					arg = val;
				}
			spec_add_arg(&s, "arg", arg, a);
		}
		spec_end(&s);
	}
	strbuf_release(&s.line);
	if (s.failed) {
		strbuf_release(&s.text);
		return NULL;
	}
	return strbuf_detach(&s.text);
}
