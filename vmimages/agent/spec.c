// SPDX-License-Identifier: GPL-2.0-only
/* spec.c - the cell spec the host appended to the initramfs (/cell.spec), read into cell. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kubelet/kubelet.h"
#include "shared/sysfile.h"

/*
 * One line per item, in the order the host writes them (harness/guest/spec.c and
 * docs/PROTOCOL.md): the cell, the disks, the sysctls, the hierarchy, each group followed by
 * its knobs, the changes, the workloads. A line the agent cannot take stops the spec with an
 * "error" record naming its line and why; the host never writes one (its parser checks every
 * cell's spec against these limits), so such a record means the two disagree.
 */

static int spec_error(int lineno, const char *what)
{
	rec("error", "what", "spec", "line", num(lineno), "detail", what, (char *)NULL);
	return -1;
}

/* Each reader takes one line's fields; returns 0, or -1 after spec_error(). */

static int read_cell(const struct proto_line *l, int lineno)
{
	const char *v;

	if (proto_getll(l, "v", 0) != PROTO_VERSION)
		return spec_error(lineno, "unsupported version");
	v = proto_get(l, "id");
	snprintf(cell.id, sizeof(cell.id), "%s", v ? v : "");
	cell.deadline_ms = proto_getll(l, "deadline_ms", 60000);
	v = proto_get(l, "seed");
	snprintf(cell.seed, sizeof(cell.seed), "%s", v ? v : "");
	cell.clock_ns = proto_getll(l, "clock_ns", 0);
	v = proto_get(l, "stop");
	cell.stop_exited = v && !strcmp(v, "exited");
	cell.stop_deadline = v && !strcmp(v, "deadline");
	return 0;
}

static int read_sysctl(const struct proto_line *l, int lineno)
{
	const char *k = proto_get(l, "key"), *v = proto_get(l, "value");

	if (!k || !v || cell.nsysctls == MAX_SYSCTLS)
		return spec_error(lineno, "bad sysctl");
	snprintf(cell.sysctl_key[cell.nsysctls], 64, "%s", k);
	snprintf(cell.sysctl_val[cell.nsysctls], 32, "%s", v);
	cell.nsysctls++;
	return 0;
}

static int read_swap(const struct proto_line *l, int lineno)
{
	const char *v = proto_get(l, "dev");

	if (!v || strlen(v) >= sizeof(cell.swap_dev))
		return spec_error(lineno, "bad swap");
	snprintf(cell.swap_dev, sizeof(cell.swap_dev), "%s", v);
	cell.swap_bytes = proto_getll(l, "bytes", 0);
	return 0;
}

static int read_disk(const struct proto_line *l, int lineno)
{
	const char *dir = proto_get(l, "dir"), *v = proto_get(l, "dev");

	if (!v || !dir || strlen(v) >= sizeof(cell.disk_dev) ||
	    strlen(dir) >= sizeof(cell.disk_dir))
		return spec_error(lineno, "bad disk");
	snprintf(cell.disk_dev, sizeof(cell.disk_dev), "%s", v);
	snprintf(cell.disk_dir, sizeof(cell.disk_dir), "%s", dir);
	return 0;
}

static int read_change(const struct proto_line *l, int lineno)
{
	struct change *c = &cell.change[cell.nchanges];
	const char *f[] = { "group", "file", "key", "set_group", "set_key", "set_value" };
	char *dst[] = { c->group, c->file, c->key, c->set_group, c->set_key, c->set_value };
	size_t len[] = { sizeof(c->group), sizeof(c->file), sizeof(c->key),
			 sizeof(c->set_group), sizeof(c->set_key), sizeof(c->set_value) };
	const char *v;
	int i;

	if (cell.nchanges == MAX_CHANGES)
		return spec_error(lineno, "too many changes");
	for (i = 0; i < 6; i++) {
		v = proto_get(l, f[i]);
		if (!v || strlen(v) >= len[i])
			return spec_error(lineno, "bad change");
		snprintf(dst[i], len[i], "%s", v);
	}
	c->value = proto_getll(l, "value", 0);
	c->delay_ms = (long)proto_getll(l, "delay_ms", 0);
	c->seen_at = -1;
	cell.nchanges++;
	return 0;
}

static int read_cgroup(const struct proto_line *l, int lineno)
{
	cell.cgroup = (int)proto_getll(l, "v", 0);
	if (cell.cgroup != 1 && cell.cgroup != 2)
		return spec_error(lineno, "bad cgroup version");
	return 0;
}

static int read_group(const struct proto_line *l, int lineno)
{
	const char *v = proto_get(l, "name");

	if (!v || strlen(v) >= GROUP_MAX || cell.ngroups == MAX_GROUPS)
		return spec_error(lineno, "bad group");
	snprintf(cell.group[cell.ngroups++], GROUP_MAX, "%s", v);
	return 0;
}

/* A knob of the group on the line before it. */
static int read_knob(const struct proto_line *l, int lineno)
{
	const char *k = proto_get(l, "key"), *g = proto_get(l, "group");
	const char *v = proto_get(l, "value");

	if (!k || !v || !g || !cell.ngroups || cell.nknobs == MAX_KNOBS ||
	    strcmp(g, cell.group[cell.ngroups - 1]))
		return spec_error(lineno, "bad knob");
	cell.knob[cell.nknobs].group = cell.ngroups - 1;
	snprintf(cell.knob[cell.nknobs].key, 64, "%s", k);
	snprintf(cell.knob[cell.nknobs].value, 32, "%s", v);
	cell.nknobs++;
	return 0;
}

/* MemTotal in bytes, as cAdvisor reads the node's memory capacity. */
static long long memtotal(void)
{
	char buf[256], *p;

	if (sysfile_read("/proc/meminfo", buf, sizeof(buf)) <= 0 ||
	    !(p = strstr(buf, "MemTotal:")))
		return 0;
	return strtoll(p + 9, NULL, 10) * 1024;
}

static int read_workload(const struct proto_line *l, int lineno)
{
	struct wl *w = &cell.wl[cell.nwl];
	const char *name = proto_get(l, "name"), *prog = proto_get(l, "program"), *v;
	int i;

	if (!name)
		return spec_error(lineno, "workload without a name");
	if (!prog)
		return spec_error(lineno, "workload without a program");
	if (cell.nwl == MAX_WORKLOADS)
		return spec_error(lineno, "too many workloads");
	if (strlen(name) >= PHASE_MAX)
		return spec_error(lineno, "workload name too long");
	if (strlen(prog) >= sizeof(w->program))
		return spec_error(lineno, "workload program name too long");
	snprintf(w->name, sizeof(w->name), "%s", name);
	snprintf(w->program, sizeof(w->program), "%s", prog);
	w->adj = (int)proto_getll(l, "adj", 0);
	/*
	 * A container of a Burstable pod: its adj is kubelet's formula over the node's memory
	 * capacity, MemTotal, which only the guest knows.
	 */
	if (proto_get(l, "burstable_request"))
		w->adj = kl_container_adj(KL_BURSTABLE, proto_getll(l, "burstable_request", 0),
					  memtotal());
	v = proto_get(l, "after");
	snprintf(w->after, sizeof(w->after), "%s", v ? v : "");
	v = proto_get(l, "phase");
	snprintf(w->after_phase, sizeof(w->after_phase), "%s", v ? v : "");
	v = proto_get(l, "group");
	snprintf(w->group, sizeof(w->group), "%s", v ? v : "");
	w->argv[w->argc++] = strdup(name);
	for (i = 0; i < l->nkv; i++) {
		if (strcmp(l->kv[i].key, "arg"))
			continue;
		if (w->argc == MAX_ARGS)
			return spec_error(lineno, "too many args");
		w->argv[w->argc++] = strdup(l->kv[i].val);
	}
	w->argv[w->argc] = NULL;
	w->out.fd = -1;
	w->statm = -1;
	w->adjfd = -1;
	w->scorefd = -1;
	cell.nwl++;
	return 0;
}

static int read_evictor(const struct proto_line *l, int lineno)
{
	struct evictor *ev = &cell.ev;
	const char *prog = proto_get(l, "program"), *ready = proto_get(l, "ready"), *v;
	int i;

	if (!prog || !*prog || strlen(prog) >= sizeof(ev->program) || !ready ||
	    strlen(ready) >= sizeof(ev->ready))
		return spec_error(lineno, "evictor without a program or a ready line");
	snprintf(ev->program, sizeof(ev->program), "%s", prog);
	snprintf(ev->ready, sizeof(ev->ready), "%s", ready);
	v = proto_get(l, "quiet");
	snprintf(ev->quiet, sizeof(ev->quiet), "%s", v && strlen(v) < sizeof(ev->quiet) ? v : "");
	v = proto_get(l, "kill");
	snprintf(ev->kill, sizeof(ev->kill), "%s", v && strlen(v) < sizeof(ev->kill) ? v : "");
	ev->adj = (int)proto_getll(l, "adj", 0);
	ev->argv[ev->argc++] = strdup(prog);
	for (i = 0; i < l->nkv; i++) {
		if (!strcmp(l->kv[i].key, "env") && ev->nenv < 4 &&
		    strlen(l->kv[i].val) < sizeof(ev->env[0]))
			snprintf(ev->env[ev->nenv++], sizeof(ev->env[0]), "%s", l->kv[i].val);
		if (strcmp(l->kv[i].key, "arg"))
			continue;
		if (ev->argc == MAX_ARGS)
			return spec_error(lineno, "too many evictor args");
		ev->argv[ev->argc++] = strdup(l->kv[i].val);
	}
	ev->argv[ev->argc] = NULL;
	ev->out.fd = -1;
	return 0;
}

static int read_managed(const struct proto_line *l, int lineno)
{
	struct managed *m = &cell.managed[cell.nmanaged];
	const char *g = proto_get(l, "group"), *pref = proto_get(l, "preference");

	if (cell.nmanaged == MAX_GROUPS || !g || strlen(g) >= sizeof(m->group))
		return spec_error(lineno, "managed without a group, or too many");
	snprintf(m->group, sizeof(m->group), "%s", g);
	m->swap = (int)proto_getll(l, "swap", 0);
	m->pressure = (int)proto_getll(l, "pressure", 0);
	m->limit = (int)proto_getll(l, "limit", 0);
	snprintf(m->pref, sizeof(m->pref), "%s", pref ? pref : "");
	cell.nmanaged++;
	return 0;
}

static int read_file(const struct proto_line *l, int lineno)
{
	const char *path = proto_get(l, "path"), *text = proto_get(l, "text");

	if (!path || path[0] != '/' || !text)
		return spec_error(lineno, "file without a path or text");
	if (ev_write_file(path, text))
		return spec_error(lineno, strerror(errno));
	return 0;
}

static const struct {
	const char *word;
	int (*read)(const struct proto_line *l, int lineno);
} readers[] = {
	{ "cell", read_cell },       { "sysctl", read_sysctl }, { "swap", read_swap },
	{ "disk", read_disk },       { "change", read_change }, { "cgroup", read_cgroup },
	{ "group", read_group },     { "knob", read_knob },     { "workload", read_workload },
	{ "evictor", read_evictor }, { "file", read_file },       { "managed", read_managed },
};

int spec_read(void)
{
	static char text[PROTO_SPEC_MAX];
	char *line, *save = NULL;
	int lineno = 0, fd = open(SPEC_PATH, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t i;

	if (fd < 0)
		return spec_error(0, strerror(errno));
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return spec_error(0, "empty or unreadable");
	text[n] = '\0';
	cell.deadline_ms = 60000;
	cell.ev.out.fd = -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct proto_line l;

		lineno++;
		if (proto_split(line, &l))
			return spec_error(lineno, "not a spec line");
		for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
			if (!strcmp(l.word, readers[i].word))
				break;
		if (i == sizeof(readers) / sizeof(readers[0]))
			return spec_error(lineno, "unknown line");
		if (readers[i].read(&l, lineno))
			return -1;
	}
	return 0;
}
