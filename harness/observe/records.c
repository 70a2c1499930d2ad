// SPDX-License-Identifier: GPL-2.0-only
/* records.c - the guest agent's record stream and the console, read into one observation. */
#include "observe/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/proto.h"

static struct obs_workload *wl_get(struct observation *obs, const char *name)
{
	int i;

	if (!name)
		return NULL;
	for (i = 0; i < obs->nwl; i++)
		if (!strcmp(obs->wl[i].name, name))
			return &obs->wl[i];
	obs->wl = xrealloc(obs->wl, (size_t)(obs->nwl + 1) * sizeof(*obs->wl));
	memset(&obs->wl[obs->nwl], 0, sizeof(*obs->wl));
	snprintf(obs->wl[obs->nwl].name, sizeof(obs->wl[0].name), "%s", name);
	return &obs->wl[obs->nwl++];
}

static void copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* Appends a forwarded kernel message: kmsg escapes its own newlines as \x0a. */
static void add_kmsg(struct observation *obs, long long us, const char *msg)
{
	const char *p = msg;
	size_t start = obs->kmsg.len;

	strbuf_addf(&obs->kmsg, "[%5lld.%06lld] ", us / 1000000, us % 1000000);
	while (*p) {
		if (p[0] == '\\' && p[1] == 'x' && p[2] && p[3]) {
			char hex[3] = { p[2], p[3], 0 }, *end;
			long c = strtol(hex, &end, 16);

			if (!*end) {
				if (c == '\n')
					strbuf_addf(&obs->kmsg, "\n[%5lld.%06lld] ", us / 1000000,
						    us % 1000000);
				else
					strbuf_add(&obs->kmsg, &(char){ (char)c }, 1);
				p += 4;
				continue;
			}
		}
		strbuf_add(&obs->kmsg, p++, 1);
	}
	strbuf_addstr(&obs->kmsg, "\n");
	for (p = obs->kmsg.buf + start; (p = strchr(p, '\n')); p++)
		obs->kmsg_lines++;
	obs->last_kmsg_us = us;
}

/* Keeps the workload's last report of this phase (name and pid, the agent's, left out). */
static void keep_report(struct obs_workload *w, const struct proto_line *l, const char *phase)
{
	struct obs_report *r = NULL;
	size_t len = 0;
	int i;

	for (i = 0; i < w->nreports; i++)
		if (!strcmp(w->reports[i].phase, phase))
			r = &w->reports[i];
	if (!r && w->nreports == OBS_PHASES_MAX)
		return;
	if (!r)
		r = &w->reports[w->nreports++];
	copy(r->phase, sizeof(r->phase), phase);
	r->fields[0] = '\0';
	for (i = 0; i < l->nkv; i++) {
		if (!strcmp(l->kv[i].key, "name") || !strcmp(l->kv[i].key, "pid") ||
		    !strcmp(l->kv[i].key, "phase"))
			continue;
		len += (size_t)snprintf(r->fields + len, len < sizeof(r->fields) ?
					sizeof(r->fields) - len : 0, "%s%s=%s", len ? " " : "",
					l->kv[i].key, l->kv[i].val);
		if (len >= sizeof(r->fields))
			break;
	}
}

static void on_wl(struct observation *obs, const struct proto_line *l)
{
	struct obs_workload *w = wl_get(obs, proto_get(l, "name"));
	const char *phase = proto_get(l, "phase");

	if (!w)
		return;
	if (!phase) /* a line the workload wrote that was not a report (raw=) */
		return;
	if (!strcmp(phase, "adjfail") || !strcmp(phase, "execfail") || !strcmp(phase, "cgfail")) {
		w->setup_failed = 1;
		snprintf(w->setup_detail, sizeof(w->setup_detail), "%s errno=%lld", phase,
			 proto_getll(l, "errno", 0));
		return;
	}
	copy(w->phase, sizeof(w->phase), phase);
	w->bytes = proto_getll(l, "bytes", w->bytes);
	keep_report(w, l, phase);
	if (!strcmp(phase, "enomem")) {
		if (!w->enomem)
			w->enomem_ms = l->ms;
		w->enomem = 1;
		w->enomem_bytes = proto_getll(l, "bytes", 0);
	}
}

/* A sample's numbers; a gsample record (one group's) adds its own to the sample before it. */
static void keep_sample(struct observation *obs, const struct proto_line *l, int group)
{
	struct obs_sample *s;
	int i;

	if (group && !obs->nsamples)
		return;
	if (!group) {
		ALLOC_GROW(obs->samples, obs->nsamples + 1, obs->samples_alloc);
		s = &obs->samples[obs->nsamples++];
		s->ms = l->ms;
		s->kv = NULL;
		s->nkv = 0;
	}
	s = &obs->samples[obs->nsamples - 1];
	s->kv = xrealloc(s->kv, (size_t)(s->nkv + l->nkv + 1) * sizeof(*s->kv));
	for (i = 0; i < l->nkv; i++) {
		char *end;
		double v = strtod(l->kv[i].val, &end);

		if (end == l->kv[i].val || *end)
			continue;
		s->kv[s->nkv].key = xstrdup(l->kv[i].key);
		s->kv[s->nkv++].v = v;
	}
}

double obs_sample_get(const struct obs_sample *s, const char *key, double dflt)
{
	int i;

	for (i = 0; i < s->nkv; i++)
		if (!strcmp(s->kv[i].key, key))
			return s->kv[i].v;
	return dflt;
}

static void on_sample(struct observation *obs, const struct proto_line *l)
{
	long long avail = proto_getll(l, "avail_kb", -1);
	int i;

	keep_sample(obs, l, 0);
	if (avail >= 0 && (obs->min_avail_kb < 0 || avail < obs->min_avail_kb))
		obs->min_avail_kb = avail;
	for (i = 0; i < l->nkv; i++) {
		struct obs_workload *w;
		long long kb;

		if (strncmp(l->kv[i].key, "rss.", 4))
			continue;
		w = wl_get(obs, l->kv[i].key + 4);
		kb = strtoll(l->kv[i].val, NULL, 10);
		if (kb > w->max_rss_kb)
			w->max_rss_kb = kb;
	}
}

static void on_cgroup_record(struct observation *obs, const struct proto_line *l)
{
	const char *word = l->word;
	int i;

	if (!strcmp(word, "cgroup")) {
		obs->cgroup = (int)proto_getll(l, "v", 0);
		obs->cgroup_err = (int)proto_getll(l, "errno", 0);
		copy(obs->cgroup_what, sizeof(obs->cgroup_what), proto_get(l, "what"));
	} else if (!strcmp(word, "group")) {
		if (proto_getll(l, "errno", 0) && !obs->group_failed[0]) {
			copy(obs->group_failed, sizeof(obs->group_failed), proto_get(l, "name"));
			obs->group_err = (int)proto_getll(l, "errno", 0);
		}
	} else if (!strcmp(word, "knob")) {
		struct obs_knob *k;

		obs->knobs = xrealloc(obs->knobs, (size_t)(obs->nknobs + 1) * sizeof(*k));
		k = &obs->knobs[obs->nknobs++];
		copy(k->group, sizeof(k->group), proto_get(l, "group"));
		copy(k->key, sizeof(k->key), proto_get(l, "key"));
		copy(k->want, sizeof(k->want), proto_get(l, "want"));
		copy(k->got, sizeof(k->got), proto_get(l, "got"));
		k->err = (int)proto_getll(l, "errno", 0);
		k->change = proto_getll(l, "change", 0) == 1;
		k->kmsg_lines = obs->kmsg_lines;
	} else if (!strcmp(word, "trigger")) {
		obs->triggers++;
	} else if (!strcmp(word, "counters")) {
		for (i = 0; i < l->nkv; i++) {
			struct obs_counter *c;

			if (!strcmp(l->kv[i].key, "group") || !strcmp(l->kv[i].key, "file") ||
			    !strcmp(l->kv[i].key, "errno"))
				continue;
			obs->counters = xrealloc(obs->counters,
						 (size_t)(obs->ncounters + 1) * sizeof(*c));
			c = &obs->counters[obs->ncounters++];
			copy(c->group, sizeof(c->group), proto_get(l, "group"));
			copy(c->file, sizeof(c->file), proto_get(l, "file"));
			copy(c->key, sizeof(c->key), l->kv[i].key);
			c->value = strtoll(l->kv[i].val, NULL, 10);
		}
	} else if (!strcmp(word, "swap")) {
		obs->swap = 1;
		obs->swap_err = (int)proto_getll(l, "errno", 0);
		copy(obs->swap_what, sizeof(obs->swap_what), proto_get(l, "what"));
	} else if (!strcmp(word, "disk")) {
		obs->disk = 1;
		obs->disk_err = (int)proto_getll(l, "errno", 0);
		copy(obs->disk_what, sizeof(obs->disk_what), proto_get(l, "what"));
	} else if (!strcmp(word, "module")) {
		if (proto_getll(l, "errno", 0) && !obs->module_failed[0]) {
			copy(obs->module_failed, sizeof(obs->module_failed), proto_get(l, "path"));
			obs->module_err = (int)proto_getll(l, "errno", 0);
		}
	} else if (!strcmp(word, "vmstat")) {
		obs->vmstat_oom_kill = proto_getll(l, "oom_kill", -1);
	}
}

long long obs_counter(const struct observation *obs, const char *group, const char *file,
		      const char *key)
{
	int i;

	for (i = 0; i < obs->ncounters; i++)
		if (!strcmp(obs->counters[i].group, group) && !strcmp(obs->counters[i].file, file) &&
		    !strcmp(obs->counters[i].key, key))
			return obs->counters[i].value;
	return -1;
}

static void on_trace(struct observation *obs, const struct proto_line *l,
		     enum obs_trace_type type)
{
	struct obs_trace *t;

	ALLOC_GROW(obs->trace, obs->ntrace + 1, obs->trace_alloc);
	t = &obs->trace[obs->ntrace++];
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->ns = (unsigned long long)proto_getll(l, "t", 0);
	t->seq = (int)l->seq;
	t->pid = (int)proto_getll(l, "pid", 0);
	/* fork and exit happen in the task's own context (or its parent's) */
	t->by = (int)proto_getll(l, "by", t->pid);
	t->child = (int)proto_getll(l, "child", 0);
	t->sig = (int)proto_getll(l, "sig", 0);
	t->code = (int)proto_getll(l, "code", 0);
	t->group = (int)proto_getll(l, "group", 0);
	t->result = (int)proto_getll(l, "result", 0);
	t->handler = (int)proto_getll(l, "handler", 0);
	t->adj = (int)proto_getll(l, "adj", 0);
	copy(t->comm, sizeof(t->comm), proto_get(l, "comm"));
}

/* The agent's trace records: the events, and what it says of their completeness. */
static int on_trace_record(struct observation *obs, const struct proto_line *l)
{
	static const struct { const char *word; enum obs_trace_type type; } ev[] = {
		{ "tfork", OT_FORK }, { "texit", OT_EXIT }, { "tsig", OT_SIGNAL },
		{ "tdeliver", OT_DELIVER }, { "tmark", OT_MARK }, { "tadj", OT_ADJ },
	};
	const char *word = l->word;
	size_t i;

	for (i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
		if (!strcmp(word, ev[i].word)) {
			on_trace(obs, l, ev[i].type);
			return 1;
		}
	}
	if (!strcmp(word, "trace")) {
		obs->trace_set = 1;
		obs->trace_err = (int)proto_getll(l, "errno", -1);
		copy(obs->trace_what, sizeof(obs->trace_what), proto_get(l, "what"));
		obs->trace_buffer_kb = (long)proto_getll(l, "buffer_kb", 0);
	} else if (!strcmp(word, "trace-lost")) {
		obs->trace_lost += (long)(proto_getll(l, "events", 0) + proto_getll(l, "dropped", 0) +
					  proto_getll(l, "overrun", 0));
	} else if (!strcmp(word, "trace-end")) {
		obs->trace_ended = 1;
		obs->trace_events = (long)proto_getll(l, "events", 0);
		obs->trace_peak_bytes = (long)proto_getll(l, "peak_bytes", 0);
	} else {
		return 0;
	}
	return 1;
}

/* The evictor's records: its start, its ready line, each line it wrote, its end. */
static int on_evictor_record(struct observation *obs, const struct proto_line *l)
{
	struct obs_evictor *ev = &obs->ev;
	const char *word = l->word;

	if (!strcmp(word, "evictor")) {
		ev->started = 1;
		copy(ev->program, sizeof(ev->program), proto_get(l, "program"));
		ev->pid = (int)proto_getll(l, "pid", 0);
		ev->adj = (int)proto_getll(l, "adj", 0);
		ev->start_ms = l->ms;
	} else if (!strcmp(word, "evready")) {
		ev->ready = 1;
		copy(ev->comm, sizeof(ev->comm), proto_get(l, "comm"));
		ev->ready_ms = l->ms;
	} else if (!strcmp(word, "evlog")) {
		ALLOC_GROW(ev->log, ev->nlog + 1, ev->log_alloc);
		ev->log[ev->nlog].ms = l->ms;
		ev->log[ev->nlog++].text = xstrdup(proto_get(l, "text") ? proto_get(l, "text") : "");
	} else if (!strcmp(word, "managed")) {
		if (proto_getll(l, "errno", 0) && !ev->managed_failed[0]) {
			copy(ev->managed_failed, sizeof(ev->managed_failed), proto_get(l, "group"));
			ev->managed_err = (int)proto_getll(l, "errno", 0);
		}
	} else if (!strcmp(word, "evexit")) {
		ev->ended = 1;
		ev->signaled = proto_get(l, "how") && !strcmp(proto_get(l, "how"), "signal");
		ev->sig = (int)proto_getll(l, "sig", 0);
		ev->code = (int)proto_getll(l, "code", 0);
	} else {
		return 0;
	}
	return 1;
}

static void on_record(struct observation *obs, const struct proto_line *l)
{
	const char *word = l->word;
	struct obs_workload *w;

	if (on_trace_record(obs, l) || on_evictor_record(obs, l))
		return;
	if (!strcmp(word, "hello")) {
		obs->hello = 1;
		copy(obs->release, sizeof(obs->release), proto_get(l, "kernel"));
	} else if (!strcmp(word, "adj")) {
		obs->adj_held = proto_getll(l, "held", 0) == 1;
	} else if (!strcmp(word, "sysctl")) {
		struct obs_sysctl *s;

		obs->sysctls = xrealloc(obs->sysctls, (size_t)(obs->nsysctls + 1) * sizeof(*s));
		s = &obs->sysctls[obs->nsysctls++];
		copy(s->key, sizeof(s->key), proto_get(l, "key"));
		copy(s->want, sizeof(s->want), proto_get(l, "want"));
		copy(s->got, sizeof(s->got), proto_get(l, "got"));
		s->err = (int)proto_getll(l, "errno", 0);
	} else if (!strcmp(word, "meminfo")) {
		obs->mem_total_kb = proto_getll(l, "total_kb", -1);
		obs->mem_avail_kb = proto_getll(l, "avail_kb", -1);
		obs->commit_limit_kb = proto_getll(l, "commit_limit_kb", -1);
		obs->swap_total_kb = proto_getll(l, "swap_total_kb", -1);
	} else if (!strcmp(word, "start")) {
		w = wl_get(obs, proto_get(l, "name"));
		if (w) {
			w->started = 1;
			w->pid = (int)proto_getll(l, "pid", 0);
			w->start_ms = l->ms;
			w->adj = (int)proto_getll(l, "adj", 0);
			w->own_adj = w->adj;
			copy(w->group, sizeof(w->group), proto_get(l, "group"));
		}
	} else if (!strcmp(word, "never")) {
		w = wl_get(obs, proto_get(l, "name"));
		if (w) {
			w->never = 1;
			copy(w->never_reason, sizeof(w->never_reason), proto_get(l, "reason"));
		}
	} else if (!strcmp(word, "wl")) {
		on_wl(obs, l);
	} else if (!strcmp(word, "exit")) {
		w = wl_get(obs, proto_get(l, "name"));
		if (w) {
			const char *how = proto_get(l, "how");

			w->ended = 1;
			w->signaled = how && !strcmp(how, "signal");
			w->sig = (int)proto_getll(l, "sig", 0);
			w->code = (int)proto_getll(l, "code", 0);
		}
	} else if (!strcmp(word, "wladj")) {
		w = wl_get(obs, proto_get(l, "name"));
		if (w)
			w->own_adj = (int)proto_getll(l, "adj", w->adj);
	} else if (!strcmp(word, "alive")) {
		w = wl_get(obs, proto_get(l, "name"));
		if (w)
			w->alive = 1;
	} else if (!strcmp(word, "kmsg")) {
		add_kmsg(obs, proto_getll(l, "us", 0), proto_get(l, "msg") ? proto_get(l, "msg") : "");
	} else if (!strcmp(word, "descendant")) {
		w = wl_get(obs, proto_get(l, "name"));
		if (w) {
			obs->desc = xrealloc(obs->desc, (size_t)(obs->ndesc + 1) * sizeof(*obs->desc));
			obs->desc[obs->ndesc++] = (struct obs_descendant){
				(int)proto_getll(l, "pid", 0), (int)(w - obs->wl) };
		}
	} else if (!strcmp(word, "lineage")) {
		obs->lineage_err = (int)proto_getll(l, "errno", -1);
	} else if (!strcmp(word, "lineage-lost")) {
		obs->lineage_lost += (int)proto_getll(l, "batches", 1);
	} else if (!strcmp(word, "kmsg-lost")) {
		obs->kmsg_lost++;
	} else if (!strcmp(word, "sample")) {
		on_sample(obs, l);
	} else if (!strcmp(word, "gsample")) {
		keep_sample(obs, l, 1);
	} else if (!strcmp(word, "error")) {
		if (!obs->error[0])
			snprintf(obs->error, sizeof(obs->error), "%s: %s",
				 proto_get(l, "what") ? proto_get(l, "what") : "?",
				 proto_get(l, "detail") ? proto_get(l, "detail") :
				 proto_get(l, "errno") ? proto_get(l, "errno") : "");
	} else if (!strcmp(word, "done")) {
		obs->done = 1;
		copy(obs->done_reason, sizeof(obs->done_reason), proto_get(l, "reason"));
	} else {
		on_cgroup_record(obs, l);
	}
}

void records_parse(const char *text, size_t len, struct observation *obs)
{
	const char *p = text, *end = text + len;
	long expect_seq = 0;

	obs->min_avail_kb = -1;
	obs->last_kmsg_us = -1;
	obs->vmstat_oom_kill = -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = xstrndup(p, n);
		struct proto_line l;

		p += n + (nl ? 1 : 0);
		/* a line cut by the guest's death has no newline: it is not a whole record */
		if (!nl || proto_split(line, &l) || l.seq < 0) {
			if (n)
				obs->bad_records++;
			free(line);
			continue;
		}
		if (l.seq != expect_seq)
			obs->seq_gaps++;
		expect_seq = l.seq + 1;
		obs->nrecords++;
		on_record(obs, &l);
		free(line);
	}
}

void observation_release(struct observation *obs)
{
	int i, j;

	free(obs->sysctls);
	free(obs->knobs);
	free(obs->counters);
	free(obs->wl);
	free(obs->desc);
	free(obs->trace);
	for (i = 0; i < obs->ev.nlog; i++)
		free(obs->ev.log[i].text);
	free(obs->ev.log);
	for (i = 0; i < obs->nsamples; i++) {
		for (j = 0; j < obs->samples[i].nkv; j++)
			free(obs->samples[i].kv[j].key);
		free(obs->samples[i].kv);
	}
	free(obs->samples);
	strbuf_release(&obs->kmsg);
	memset(obs, 0, sizeof(*obs));
}

const struct obs_workload *obs_find(const struct observation *obs, const char *name)
{
	int i;

	for (i = 0; i < obs->nwl; i++)
		if (!strcmp(obs->wl[i].name, name))
			return &obs->wl[i];
	return NULL;
}

const struct obs_workload *obs_find_pid(const struct observation *obs, int pid)
{
	int i;

	for (i = 0; i < obs->nwl; i++)
		if (obs->wl[i].pid == pid && obs->wl[i].started)
			return &obs->wl[i];
	return NULL;
}

const struct obs_workload *obs_find_descendant(const struct observation *obs, int pid)
{
	int i;

	for (i = obs->ndesc - 1; i >= 0; i--)
		if (obs->desc[i].pid == pid)
			return &obs->wl[obs->desc[i].wl];
	return NULL;
}

/* The "[ sec.usec]" stamp at the start of a console line in microseconds, or -1. */
static long long console_stamp(const char *p, size_t n)
{
	long long sec = 0, usec = 0;
	size_t i = 1, digits = 0;

	if (!n || p[0] != '[')
		return -1;
	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		sec = sec * 10 + (p[i] - '0');
	if (i >= n || p[i++] != '.')
		return -1;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++, digits++)
		usec = usec * 10 + (p[i] - '0');
	if (i >= n || p[i] != ']' || digits != 6)
		return -1;
	return sec * 1000000 + usec;
}

void records_kernel_log(const struct observation *obs, const char *console, size_t len,
			struct strbuf *out)
{
	const char *p = console, *end = console + len;
	int keeping = obs->last_kmsg_us < 0;

	strbuf_add(out, obs->kmsg.buf ? obs->kmsg.buf : "", obs->kmsg.len);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		long long ts = console_stamp(p, n);

		if (ts >= 0)
			keeping = obs->last_kmsg_us < 0 || ts > obs->last_kmsg_us;
		if (keeping) {
			/* the serial console ends lines with CRLF */
			strbuf_add(out, p, n && p[n - 1] == '\r' ? n - 1 : n);
			strbuf_addstr(out, "\n");
		}
		p += n + (nl ? 1 : 0);
	}
}
