// SPDX-License-Identifier: GPL-2.0-only
/* tracebuf.c - the kernel's trace event formats and ring-buffer pages, read into events. Pure. */
#include "tracebuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const tb_event_path[TB_NTYPES] = {
	[TB_FORK] = "sched/sched_process_fork",
	[TB_EXIT] = "sched/sched_process_exit",
	[TB_SIGNAL] = "signal/signal_generate",
	[TB_DELIVER] = "signal/signal_deliver",
	[TB_VICTIM] = "oom/mark_victim",
	[TB_ADJ] = "oom/oom_score_adj_update",
};

/* The fields each event must have (include/trace/events/{sched,signal,oom}.h), and where to. */
static const struct {
	enum tb_type type;
	const char *name;
	enum tb_slot slot;
	int required;
} wanted[] = {
	{ TB_FORK, "parent_pid", TB_S_PID, 1 },
	{ TB_FORK, "child_pid", TB_S_CHILD, 1 },
	{ TB_FORK, "child_comm", TB_S_COMM, 1 },
	{ TB_EXIT, "pid", TB_S_PID, 1 },
	{ TB_EXIT, "comm", TB_S_COMM, 1 },
	{ TB_SIGNAL, "sig", TB_S_SIG, 1 },
	{ TB_SIGNAL, "code", TB_S_CODE, 1 },
	{ TB_SIGNAL, "pid", TB_S_PID, 1 },
	{ TB_SIGNAL, "comm", TB_S_COMM, 1 },
	{ TB_SIGNAL, "group", TB_S_GROUP, 1 },
	{ TB_SIGNAL, "result", TB_S_RESULT, 1 },
	{ TB_DELIVER, "sig", TB_S_SIG, 1 },
	{ TB_DELIVER, "code", TB_S_CODE, 1 },
	{ TB_DELIVER, "sa_handler", TB_S_HANDLER, 1 },
	{ TB_VICTIM, "pid", TB_S_PID, 1 },
	{ TB_VICTIM, "comm", TB_S_COMM, 0 },          /* only since 6.x */
	{ TB_VICTIM, "oom_score_adj", TB_S_ADJ, 0 },  /* likewise */
	{ TB_ADJ, "pid", TB_S_PID, 1 },
	{ TB_ADJ, "comm", TB_S_COMM, 1 },
	{ TB_ADJ, "oom_score_adj", TB_S_ADJ, 1 },
};

/* The ring buffer's event types (kernel/trace/ring_buffer.c, header_event) */
#define RB_PADDING 29
#define RB_TIME_EXTEND 30
#define RB_TIME_STAMP 31
#define RB_MISSED_EVENTS (1ULL << 31)
#define RB_MISSED_STORED (1ULL << 30)
#define RB_TS_SHIFT 27
#define RB_TS_MSB (0xf8ULL << 56) /* an absolute stamp holds 59 bits; the rest is the page's */
#define TB_PAGE_MAX 65536

struct decl {
	char name[32];
	int offset, size, is_signed, data_loc;
};

/* Reads "N" after key in [p, end); returns -1 when key is absent. */
static int field_num(const char *p, const char *end, const char *key)
{
	size_t klen = strlen(key);

	for (; p + klen < end; p++)
		if (!memcmp(p, key, klen))
			return atoi(p + klen);
	return -1;
}

/*
 * One "field:TYPE NAME[N];\toffset:O;\tsize:S;\tsigned:G;" line, from p to end. The name is the
 * last identifier of the declaration, before any array bounds.
 */
static int parse_decl(const char *p, const char *end, struct decl *d)
{
	const char *semi = memchr(p, ';', (size_t)(end - p)), *n, *e;

	if (!semi)
		return -1;
	e = semi;
	while (e > p && e[-1] == ']') { /* "comm[16]", "x[2][3]": drop the bounds */
		e--;
		while (e > p && *e != '[')
			e--;
	}
	while (e > p && e[-1] == ' ')
		e--;
	for (n = e; n > p && (n[-1] == '_' || (n[-1] >= 'a' && n[-1] <= 'z') ||
			      (n[-1] >= 'A' && n[-1] <= 'Z') || (n[-1] >= '0' && n[-1] <= '9')); n--)
		;
	if (n == e || (size_t)(e - n) >= sizeof(d->name))
		return -1;
	memcpy(d->name, n, (size_t)(e - n));
	d->name[e - n] = '\0';
	d->data_loc = memmem(p, (size_t)(semi - p), "__data_loc", 10) != NULL;
	d->offset = field_num(semi, end, "offset:");
	d->size = field_num(semi, end, "size:");
	d->is_signed = field_num(semi, end, "signed:") == 1;
	/* no field of an event or of a page lies beyond the largest page, 64 KiB */
	return d->offset < 0 || d->size <= 0 || d->offset > TB_PAGE_MAX || d->size > TB_PAGE_MAX ?
	       -1 : 0;
}

/* Calls fn for each field line of a format file's text. */
static void each_field(const char *text, void (*fn)(const struct decl *, void *), void *arg)
{
	const char *p = text;

	while ((p = strstr(p, "field:"))) {
		const char *end = strchr(p, '\n');
		struct decl d;

		if (!end)
			end = p + strlen(p);
		if (parse_decl(p + 6, end, &d) == 0)
			fn(&d, arg);
		p = end;
	}
}

static void header_field(const struct decl *d, void *arg)
{
	struct tb_layout *l = arg;

	if (!strcmp(d->name, "timestamp") && d->size == 8)
		l->page_ts_off = d->offset;
	else if (!strcmp(d->name, "commit") && (d->size == 4 || d->size == 8)) {
		l->page_commit_off = d->offset;
		l->page_commit_size = d->size;
	} else if (!strcmp(d->name, "data"))
		l->page_data_off = d->offset;
}

int tb_header_parse(const char *text, struct tb_layout *l)
{
	l->page_ts_off = l->page_commit_off = l->page_data_off = -1;
	l->page_commit_size = 0;
	each_field(text, header_field, l);
	return l->page_ts_off < 0 || l->page_commit_off < 0 || l->page_data_off < 0 ? -1 : 0;
}

struct format_arg {
	struct tb_layout *l;
	enum tb_type t;
};

static void format_field(const struct decl *d, void *arg)
{
	struct format_arg *a = arg;
	size_t i;

	if (!strcmp(d->name, "common_pid") && d->size == 4)
		a->l->common_pid_off = d->offset;
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		struct tb_field *f = &a->l->ev[a->t].f[wanted[i].slot];
		int ok = wanted[i].slot == TB_S_COMM ? d->data_loc ? d->size == 4 : d->size > 1 :
			 d->size == 1 || d->size == 2 || d->size == 4 || d->size == 8;

		if (wanted[i].type != a->t || strcmp(wanted[i].name, d->name) || !ok)
			continue;
		*f = (struct tb_field){ d->offset, d->size, d->is_signed, d->data_loc };
	}
}

int tb_format_parse(const char *text, enum tb_type t, struct tb_layout *l,
		    const char **missing)
{
	struct format_arg a = { l, t };
	const char *id = strstr(text, "\nID: ");
	size_t i;

	if (!strncmp(text, "ID: ", 4))
		id = text - 1;
	for (i = 0; i < TB_NSLOTS; i++)
		l->ev[t].f[i].offset = -1;
	l->ev[t].id = 0;
	l->common_pid_off = -1;
	*missing = "ID";
	if (!id || atoi(id + 5) <= 0)
		return -1;
	each_field(text, format_field, &a);
	*missing = "common_pid";
	if (l->common_pid_off < 0)
		return -1;
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		*missing = wanted[i].name;
		if (wanted[i].type == t && wanted[i].required &&
		    l->ev[t].f[wanted[i].slot].offset < 0)
			return -1;
	}
	*missing = NULL;
	l->ev[t].id = atoi(id + 5);
	return 0;
}

static uint64_t rd(const unsigned char *p, int size)
{
	uint64_t v = 0;

	memcpy(&v, p, (size_t)size); /* x86-64 and the guest are little-endian */
	return v;
}

static long long rd_field(const unsigned char *pl, size_t plen, const struct tb_field *f)
{
	uint64_t v;

	if (f->offset < 0 || (size_t)f->offset + (size_t)f->size > plen)
		return 0;
	v = rd(pl + f->offset, f->size);
	if (f->is_signed && f->size < 8 && (v >> (f->size * 8 - 1)) & 1)
		v |= ~0ULL << (f->size * 8);
	return (long long)v;
}

static void rd_comm(const unsigned char *pl, size_t plen, const struct tb_field *f,
		    char *out)
{
	size_t off = (size_t)f->offset, len = (size_t)f->size;

	out[0] = '\0';
	if (f->offset < 0 || off + len > plen)
		return;
	if (f->data_loc) {
		uint32_t loc = (uint32_t)rd(pl + off, 4);

		off = loc & 0xffff;
		len = loc >> 16;
		if (off + len > plen)
			return;
	}
	if (len >= TB_COMM_LEN)
		len = TB_COMM_LEN - 1;
	memcpy(out, pl + off, len);
	out[len] = '\0';
}

/* One data event's payload: emits it when its id is one set up. */
static int one_event(const struct tb_layout *l, const unsigned char *pl, size_t plen,
		     unsigned long long ns, tb_emit_fn emit, void *arg)
{
	const struct tb_field *f;
	struct tb_event ev;
	int t, id;

	if (plen < 2)
		return 0;
	id = (int)rd(pl, 2);
	for (t = 0; t < TB_NTYPES && l->ev[t].id != id; t++)
		;
	if (t == TB_NTYPES || !id)
		return 0;
	f = l->ev[t].f;
	memset(&ev, 0, sizeof(ev));
	ev.type = (enum tb_type)t;
	ev.ns = ns;
	if ((size_t)l->common_pid_off + 4 <= plen)
		ev.common_pid = (int)rd(pl + l->common_pid_off, 4);
	ev.pid = (int)rd_field(pl, plen, &f[TB_S_PID]);
	ev.child = (int)rd_field(pl, plen, &f[TB_S_CHILD]);
	ev.sig = (int)rd_field(pl, plen, &f[TB_S_SIG]);
	ev.code = (int)rd_field(pl, plen, &f[TB_S_CODE]);
	ev.group = (int)rd_field(pl, plen, &f[TB_S_GROUP]);
	ev.result = (int)rd_field(pl, plen, &f[TB_S_RESULT]);
	ev.adj = (int)rd_field(pl, plen, &f[TB_S_ADJ]);
	ev.handler = (unsigned long long)rd_field(pl, plen, &f[TB_S_HANDLER]);
	rd_comm(pl, plen, &f[TB_S_COMM], ev.comm);
	emit(&ev, arg);
	return 1;
}

int tb_page_parse(const struct tb_layout *l, const unsigned char *page, size_t len,
		  tb_emit_fn emit, void *arg, long *missed)
{
	size_t data = (size_t)l->page_data_off, pos, end;
	unsigned long long ts, commit;
	int n = 0;

	if (l->page_ts_off < 0 || l->page_data_off < 0 || data > len ||
	    (size_t)l->page_ts_off + 8 > len ||
	    (size_t)l->page_commit_off + (size_t)l->page_commit_size > len)
		return -1;
	ts = rd(page + l->page_ts_off, 8);
	commit = rd(page + l->page_commit_off, l->page_commit_size);
	end = data + (size_t)(commit & ~(RB_MISSED_EVENTS | RB_MISSED_STORED) & 0xffffffffULL);
	if (end > len)
		return -1;
	if (commit & RB_MISSED_EVENTS) {
		long lost = 1;

		/* ring_buffer_read_page() stores the count after the data when it fits */
		if ((commit & RB_MISSED_STORED) && end + 8 <= len)
			lost = (long)rd(page + end, 8);
		*missed += lost > 0 ? lost : 1;
	}
	for (pos = data; pos + 4 <= end;) {
		uint32_t hdr = (uint32_t)rd(page + pos, 4);
		unsigned type_len = hdr & 31, delta = hdr >> 5;
		size_t size;

		if (type_len == RB_PADDING) {
			if (!delta) /* a null event: nothing more on this page */
				break;
			if (pos + 8 > end)
				return -1;
			size = 4 + (size_t)rd(page + pos + 4, 4);
			ts += delta;
		} else if (type_len == RB_TIME_EXTEND || type_len == RB_TIME_STAMP) {
			unsigned long long t;

			if (pos + 8 > end)
				return -1;
			t = (unsigned long long)rd(page + pos + 4, 4) << RB_TS_SHIFT | delta;
			if (type_len == RB_TIME_EXTEND) {
				ts += t;
			} else {
				if (ts & RB_TS_MSB) {
					t |= ts & RB_TS_MSB;
					if (t < ts)
						t += 1ULL << 59;
				}
				ts = t;
			}
			size = 8;
		} else if (type_len == 0) {
			if (pos + 8 > end)
				return -1;
			size = 4 + (size_t)rd(page + pos + 4, 4);
			if (size < 8 || pos + size > end)
				return -1;
			ts += delta;
			n += one_event(l, page + pos + 8, size - 8, ts, emit, arg);
		} else {
			size = 4 + (size_t)type_len * 4;
			if (pos + size > end)
				return -1;
			ts += delta;
			n += one_event(l, page + pos + 4, size - 4, ts, emit, arg);
		}
		if (size < 4)
			return -1;
		pos += size;
	}
	return n;
}
