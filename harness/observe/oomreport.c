// SPDX-License-Identifier: GPL-2.0-only
/* oomreport.c - parses kernel log text into OOM events, victims and panics (see oomreport.h). */

#include "observe/oomreport.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "observe/kwscan.h"
#include "observe/logline.h"

/*
 * How it reads: the text is cut at '\n' and each line is copied, bounded and NUL-terminated,
 * so that the matchers can use the C string functions without ever reading past len. The copy
 * stops at a NUL byte (what follows it on that line is binary garbage to us) and drops a
 * trailing '\r'. A printk record is at most about 1 KiB, so LOG_LINE_MAX only cuts lines that
 * no kernel printed in one piece. Between reports, only a line holding a keyword is read; the
 * lines before it are counted, not copied (see kwscan_find()).
 *
 * Each line then loses its prefixes, whatever tool wrote the log (logline.c). The rest is
 * matched against the report formats of 2.6.32 to 6.x; a line that matches none is skipped,
 * which lets unrelated messages interleave with a report.
 *
 * Events: a header opens one, and the report's lines join it until its victim is dealt with (a
 * kill line or an "already exiting" line). After "Tasks in ... memory.oom.group set" further
 * kills still join, and a pid killed twice counts once. A pid first killed after that line
 * died in the group walk: it is marked group, and not allocating, though oom_kill_process()
 * prints it with the chosen victim's prefix ("Out of memory (oom_kill_allocating_task)").
 * A kill, a "Kill process ... or sacrifice child" line (printed even when the header is
 * rate-limited, up to 5.0), a summary, a task-table header or an "already exiting" line that
 * finds no event it may join opens one with has_header == 0: the header was rate-limited away
 * or filtered out by grep. A panic or
 * "no killable processes" closes the event; so does a jump of the uptime stamp, forward by
 * more than OOMOR_GAP_S or backward (the log of the next boot), so that a kill printed much
 * later never joins a report that was cut short.
 *
 * The matchers stay in one file, though it is long: they are one state machine over the
 * event being built (struct oomor_parser), each reading and extending what the others left,
 * in the order a report prints its parts. Split by part, they would share that state through
 * a header of internals and be read out of order.
 */

#define OOMOR_GAP_S 60.0
/* how many pieces of one line a mail client's wrapping is undone for */
#define OOMOR_WRAPS 4
/* how far back a report pasted from its middle is looked for its context (read_back()) */
#define OOMOR_READ_BACK 256
#define OOMOR_MAX_COLS 24
/* dump_header prints the cpuset line, maybe "COMPACTION is disabled!!!", then dump_stack */
#define OOMOR_CPU_LINE_WINDOW 8

enum oomor_col {
	OOMOR_COL_OTHER, /* cpu, oom_adj, euid: printed by some kernels, not kept */
	OOMOR_COL_UID,
	OOMOR_COL_TGID,
	OOMOR_COL_TOTAL_VM,
	OOMOR_COL_RSS,
	OOMOR_COL_RSS_ANON,
	OOMOR_COL_RSS_FILE,
	OOMOR_COL_RSS_SHMEM,
	OOMOR_COL_NR_PTES,
	OOMOR_COL_NR_PMDS,
	OOMOR_COL_PGTABLES_BYTES,
	OOMOR_COL_SWAPENTS,
	OOMOR_COL_ADJ,
};

struct oomor_parser {
	struct oom_log *log;
	size_t events_alloc, tasks_alloc, kills_alloc; /* the last two of the current event */
	int cur;          /* index of the current event, -1 when none */
	int closed;       /* no more lines join the current event */
	int nread;        /* lines read that were not blank: a paste may put a blank between
			   * every two lines, so distances count these */
	int header_no;    /* nread at the current event's header, 0 when headerless */
	int sysrq_no;     /* the line of the last "Manual OOM execution", 0 when none */
	double last_uptime;
	int boot;         /* the boot lines belong to, from 1 */
	int boot_seen;    /* a "-- Boot" line was read */
	char boot_id[40];
	int in_table;
	int ncols;        /* numeric columns between "[ pid ]" and "name" */
	enum oomor_col cols[OOMOR_MAX_COLS];
	struct log_line line;
	const char *text; /* the log, and where ps->line begins in it */
	const char *line_at;
};

/* --- small string and number helpers; every string here is NUL-terminated --- */

/* Most tests fail at the first byte: a loop that stops there beats a call to strncmp(). */
static int has_prefix(const char *s, const char *prefix)
{
	while (*prefix && *s == *prefix) {
		s++;
		prefix++;
	}
	return !*prefix;
}

/* First occurrence of key that lies wholly before end, or NULL. */
static const char *find_before(const char *s, const char *end, const char *key)
{
	const char *p = strstr(s, key);

	return p && p + strlen(key) <= end ? p : NULL;
}

/* Last occurrence of key in s, or NULL: the greedy match "(.*)key". */
static const char *find_last(const char *s, const char *key)
{
	const char *p, *last = NULL;

	for (p = strstr(s, key); p; p = strstr(p + 1, key))
		last = p;
	return last;
}

/* Does s[0..n) contain the lowercase word w, ignoring the case of s? */
static int contains_ci(const char *s, size_t n, const char *w)
{
	size_t wl = strlen(w), i, j;

	for (i = 0; i + wl <= n; i++) {
		for (j = 0; j < wl; j++) {
			char c = s[i + j];

			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			if (c != w[j])
				break;
		}
		if (j == wl)
			return 1;
	}
	return 0;
}

static int read_ll(const char **sp, long long *out)
{
	const char *s = *sp;
	unsigned long long u;
	int neg = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (!read_ull(&s, &u))
		return 0;
	if (neg)
		*out = u > (unsigned long long)LLONG_MAX ? LLONG_MIN : -(long long)u;
	else
		*out = u > (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)u;
	*sp = s;
	return 1;
}

static int clamp_int(long long v)
{
	return v < INT_MIN ? INT_MIN : v > INT_MAX ? INT_MAX : (int)v;
}

/* Page and kB counts: a negative %ld column (never seen) reads as 0. */
static unsigned long clamp_ul(long long v)
{
	if (v < 0)
		return 0;
	return (unsigned long long)v > ULONG_MAX ? ULONG_MAX : (unsigned long)v;
}

static int read_int(const char **sp, int *out)
{
	long long v;

	if (!read_ll(sp, &v))
		return 0;
	*out = clamp_int(v);
	return 1;
}

static int read_ul(const char **sp, unsigned long *out)
{
	unsigned long long v;

	if (!read_ull(sp, &v))
		return 0;
	*out = v > ULONG_MAX ? ULONG_MAX : (unsigned long)v;
	return 1;
}

/* "%#x" prints 0 without "0x", so the prefix is optional. */
static int read_hex(const char **sp, unsigned long *out)
{
	const char *s = *sp;
	unsigned long v = 0;
	int n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (;; s++, n++) {
		unsigned int d;

		if (is_digit(*s))
			d = (unsigned int)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			break;
		v = v > (ULONG_MAX - d) / 16 ? ULONG_MAX : v * 16 + d;
	}
	if (!n)
		return 0;
	*out = v;
	*sp = s;
	return 1;
}

/* --- events --- */

/*
 * Returns arr grown to hold need elements (perhaps moved), or NULL when memory ran out; arr
 * is then unchanged and still the caller's.
 */
static void *grow(void *arr, size_t *alloc, size_t need, size_t elsize)
{
	size_t n;
	void *p;

	if (need <= *alloc)
		return arr;
	n = *alloc ? *alloc * 2 : 8;
	if (n < need)
		n = need;
	if (n > INT_MAX || n > SIZE_MAX / elsize)
		return NULL;
	p = realloc(arr, n * elsize);
	if (!p)
		return NULL;
	*alloc = n;
	return p;
}

static int victim_done(const struct oom_event *ev)
{
	return ev->nkills > 0 || ev->nexiting > 0;
}

static void close_event(struct oomor_parser *ps)
{
	ps->closed = 1;
	ps->in_table = 0;
}

/* The rows ran up to another part of the report: the table is whole. */
static void end_table(struct oomor_parser *ps, struct oom_event *ev)
{
	if (ps->in_table && ps->cur >= 0 && ev == &ps->log->events[ps->cur])
		ev->table_complete = 1;
	ps->in_table = 0;
}

/* The current event if line l may still join it, else NULL. */
static struct oom_event *open_event(struct oomor_parser *ps, const struct log_line *l)
{
	if (ps->cur < 0 || ps->closed)
		return NULL;
	/* 1 s of slack: CPUs stamp their records before they reach the buffer in order */
	if (l->uptime >= 0 && ps->last_uptime >= 0 &&
	    (l->uptime > ps->last_uptime + OOMOR_GAP_S || l->uptime < ps->last_uptime - 1.0)) {
		close_event(ps);
		return NULL;
	}
	return &ps->log->events[ps->cur];
}

static void joined(struct oomor_parser *ps, const struct log_line *l)
{
	if (l->uptime >= 0)
		ps->last_uptime = l->uptime;
}

static struct oom_event *new_event(struct oomor_parser *ps, const struct log_line *l,
				   int has_header)
{
	struct oom_log *log = ps->log;
	struct oom_event *ev;
	void *p;

	close_event(ps);
	ps->cur = -1;
	p = grow(log->events, &ps->events_alloc, (size_t)log->nevents + 1, sizeof(*ev));
	if (!p)
		return NULL;
	log->events = p;
	ev = &log->events[log->nevents];
	/* an uptime earlier than the last event's: the log went on to the next boot */
	if (log->nevents && l->uptime >= 0 && ev[-1].uptime >= 0 && ev[-1].boot == ps->boot &&
	    l->uptime < ev[-1].uptime - 1.0) {
		ps->boot++;
		ps->boot_id[0] = '\0';
	}
	memset(ev, 0, sizeof(*ev));
	ev->boot = ps->boot;
	memcpy(ev->boot_id, ps->boot_id, sizeof(ev->boot_id));
	ev->line = l->no;
	memcpy(ev->time, l->time, sizeof(ev->time));
	ev->uptime = l->uptime;
	ev->has_header = has_header;
	/* the report follows SysRq's line at once (a blank line between them at most) */
	ev->sysrq = ps->sysrq_no && l->no - ps->sysrq_no <= 2;
	ps->sysrq_no = 0;
	ps->cur = log->nevents++;
	ps->closed = 0;
	ps->tasks_alloc = 0;
	ps->kills_alloc = 0;
	ps->header_no = has_header ? ps->nread : 0;
	ps->last_uptime = l->uptime;
	return ev;
}

/*
 * The event a victim line (a kill, an "already exiting") belongs to: the open one, unless it
 * has its victim already and is no memory.oom.group kill, which names several; else a new,
 * headerless one (the report's header was rate-limited away).
 */
static struct oom_event *victim_event(struct oomor_parser *ps, const struct log_line *l)
{
	struct oom_event *ev = open_event(ps, l);

	if (ev && victim_done(ev) && !ev->group_kill)
		ev = NULL;
	return ev ? ev : new_event(ps, l, 0);
}

/* --- the report's lines --- */

static int match_panic(struct oomor_parser *ps, const struct log_line *l)
{
	static const char start[] = "Kernel panic - not syncing: ";
	static const char end[] = "---[ end Kernel panic - not syncing: ";
	struct oom_log *log = ps->log;
	struct oom_event *ev;
	const char *p, *stop;
	size_t n;
	int is_end = 0;

	/* the end marker holds the start text, so it is tried first */
	if ((p = strstr(l->msg, end))) {
		p += sizeof(end) - 1;
		stop = find_last(p, " ]---");
		n = stop ? (size_t)(stop - p) : strlen(p);
		is_end = 1;
	} else if ((p = strstr(l->msg, start))) {
		p += sizeof(start) - 1;
		n = strlen(p);
	} else {
		return 0;
	}
	n = trim_len(p, n);
	if (!log->has_panic) {
		log->has_panic = 1;
		copy_n(log->panic, sizeof(log->panic), p, n);
		log->panic_line = l->no;
	}
	ev = open_event(ps, l);
	/* an OOM panic whose report is not in the log (cut, or sysrq's) is an event of its own */
	if ((!ev || victim_done(ev)) && !is_end && has_prefix(p, "Out of memory"))
		ev = new_event(ps, l, 0);
	if (ev) {
		/* up to 4.14 this was the panic text, later a warning of its own */
		if (!is_end && !victim_done(ev) &&
		    has_prefix(p, "Out of memory and no killable processes")) {
			ev->no_killable = 1;
			ev->no_killable_line = l->no;
		}
		end_table(ps, ev);
	}
	close_event(ps);
	return 1;
}

static void parse_header_args(struct oom_event *ev, const char *a)
{
	const char *q, *e;

	if ((q = strstr(a, "gfp_mask="))) {
		q += strlen("gfp_mask=");
		if (read_hex(&q, &ev->gfp_mask) && *q == '(' && (e = strchr(q, ')')))
			copy_n(ev->gfp_flags, sizeof(ev->gfp_flags), q + 1, (size_t)(e - q - 1));
	}
	/* %*pbl never holds a blank, the header separates with ", " */
	if ((q = strstr(a, "nodemask="))) {
		q += strlen("nodemask=");
		e = strstr(q, ", ");
		copy_n(ev->nodemask, sizeof(ev->nodemask), q, e ? (size_t)(e - q) : strlen(q));
	}
	if ((q = strstr(a, "order="))) {
		q += strlen("order=");
		read_int(&q, &ev->order);
	}
	if ((q = strstr(a, "oom_score_adj="))) {
		q += strlen("oom_score_adj=");
		ev->has_invoker_adj = read_int(&q, &ev->invoker_adj);
	}
}

/*
 * "<comm> invoked oom-killer: gfp_mask=...": the comm may hold blanks ("CPU 0/KVM"). Up to
 * 2.6.1x the header named no one: "oom-killer: gfp_mask=0xd0, order=1".
 */
static int match_header(struct oomor_parser *ps, const struct log_line *l)
{
	static const char key[] = " invoked oom-killer: ";
	const char *p = strstr(l->msg, key);
	struct oom_event *ev;

	if (!p && has_prefix(l->msg, "oom-killer: gfp_mask=")) {
		ev = new_event(ps, l, 1);
		if (ev)
			parse_header_args(ev, l->msg);
		return 1;
	}
	if (!p || p == l->msg)
		return 0;
	ev = new_event(ps, l, 1);
	if (!ev)
		return 1;
	copy_n(ev->invoker, sizeof(ev->invoker), l->msg, (size_t)(p - l->msg));
	parse_header_args(ev, p + sizeof(key) - 1);
	/* the header is printed by the allocating task, as the "CPU: ... PID:" line after it is */
	ev->invoker_pid = l->caller_tid;
	return 1;
}

/*
 * The "<prefix>: " before "Killed process" / "Kill process": none (up to 4.19 and RHEL), or a
 * message naming memory ("Out of memory", "Memory cgroup out of memory", "Out of memory
 * (oom_kill_allocating_task)"). Anything else is some other program's wording.
 */
static int victim_prefix(const char *m, const char *p, int *explicit_kind, enum oom_kind *kind,
			 int *allocating)
{
	size_t n = (size_t)(p - m);

	*explicit_kind = 0;
	*kind = OOM_KIND_GLOBAL;
	*allocating = 0;
	if (!n)
		return 1;
	if (n < 2 || m[n - 2] != ':' || m[n - 1] != ' ')
		return 0;
	if (!contains_ci(m, n, "memory"))
		return n >= 8 && !strncmp(p - 8, "kernel: ", 8);
	*explicit_kind = 1;
	if (contains_ci(m, n, "memory cgroup"))
		*kind = OOM_KIND_MEMCG;
	*allocating = contains_ci(m, n, "oom_kill_allocating_task");
	return 1;
}

static void read_kb(const char *tail, const char *key, unsigned long *out, int *has)
{
	const char *q = strstr(tail, key);

	if (q) {
		q += strlen(key);
		if (read_ul(&q, out) && has)
			*has = 1;
	}
}

/*
 * "Killed process %d (%s) total-vm:..." (4.x; 5.x and later after a prefix, with UID:,
 * pgtables: and oom_score_adj:), RHEL 7 "Killed process %d (%s), UID %u, total-vm:..." and
 * RHEL 6 "Killed process %d, UID %u, (%s) total-vm:...", and "Killed process %d (%s)" with
 * nothing after it before 2.6.36. The comm runs greedily to the last ") total-vm:" as it may
 * hold blanks and parentheses.
 */
static int parse_kill(const char *m, struct oom_kill *k, int *explicit_kind)
{
	const char *p = strstr(m, "Killed process "), *q, *c0, *c1, *tail;

	if (!p || !victim_prefix(m, p, explicit_kind, &k->kind, &k->allocating))
		return 0;
	q = p + strlen("Killed process ");
	if (!read_int(&q, &k->pid))
		return 0;
	if (has_prefix(q, ", UID ")) {
		q += strlen(", UID ");
		if (!read_int(&q, &k->uid) || !has_prefix(q, ", ("))
			return 0;
		k->has_uid = 1;
		c0 = q + 3;
		if (!(c1 = find_last(c0, ") total-vm:")))
			return 0;
		tail = c1 + 2;
	} else if (has_prefix(q, " (")) {
		c0 = q + 2;
		if ((c1 = find_last(c0, ") total-vm:"))) {
			tail = c1 + 2;
		} else if ((c1 = find_last(c0, "), UID "))) {
			q = c1 + strlen("), UID ");
			if (!read_int(&q, &k->uid) || !has_prefix(q, ", total-vm:"))
				return 0;
			k->has_uid = 1;
			tail = q + 2;
		} else if ((c1 = find_last(c0, ")")) &&
			   (!*skip_blanks(c1 + 1) || !strcmp(c1 + 1, "."))) {
			/* before 2.6.36: "Killed process %d (%s)" alone, up to 2.6.1x with a dot */
			tail = c1 + 1;
		} else {
			return 0;
		}
	} else {
		return 0;
	}
	copy_n(k->comm, sizeof(k->comm), c0, (size_t)(c1 - c0));
	read_kb(tail, "total-vm:", &k->total_vm_kb, NULL);
	read_kb(tail, "anon-rss:", &k->anon_rss_kb, NULL);
	read_kb(tail, "file-rss:", &k->file_rss_kb, NULL);
	read_kb(tail, "shmem-rss:", &k->shmem_rss_kb, &k->has_shmem_rss);
	read_kb(tail, "pgtables:", &k->pgtables_kb, &k->has_pgtables);
	if ((q = strstr(tail, "UID:"))) {
		q += strlen("UID:");
		k->has_uid = read_int(&q, &k->uid);
	}
	if ((q = strstr(tail, "oom_score_adj:"))) {
		q += strlen("oom_score_adj:");
		k->has_adj = read_int(&q, &k->oom_score_adj);
	}
	return 1;
}

static void add_kill(struct oomor_parser *ps, struct oom_event *ev, const struct oom_kill *k)
{
	void *p;
	int i;

	/* with memory.oom.group the victim is killed again in the group walk: one process */
	for (i = 0; i < ev->nkills; i++) {
		if (ev->kills[i].pid == k->pid) {
			ev->kills[i].printed++;
			return;
		}
	}
	p = grow(ev->kills, &ps->kills_alloc, (size_t)ev->nkills + 1, sizeof(*k));
	if (!p)
		return;
	ev->kills = p;
	ev->kills[ev->nkills] = *k;
	if (ev->group_kill) {
		/* the walk's: its line bears the chosen victim's prefix, not a choice of its own */
		ev->group_allocating |= k->allocating;
		ev->kills[ev->nkills].group = 1;
		ev->kills[ev->nkills].allocating = 0;
	}
	ev->kills[ev->nkills++].printed = 1;
}

static int match_kill(struct oomor_parser *ps, const struct log_line *l)
{
	struct oom_event *ev;
	struct oom_kill k;
	int explicit_kind;

	memset(&k, 0, sizeof(k));
	if (!parse_kill(l->msg, &k, &explicit_kind))
		return 0;
	k.line = l->no;
	ev = victim_event(ps, l);
	if (!ev)
		return 1;
	/* up to 4.19 the kill line has no prefix: the kind comes from the rest of the report */
	k.has_kind = explicit_kind;
	if (!explicit_kind) {
		if (ev->has_selected) {
			k.kind = ev->selected_kind;
			k.allocating = ev->selected_allocating;
			k.has_kind = 1;
		} else if (ev->oom_memcg[0] || ev->has_memcg_usage || ev->memcg_stats ||
			   !strcmp(ev->constraint, "CONSTRAINT_MEMCG")) {
			k.kind = OOM_KIND_MEMCG;
			k.has_kind = 1;
		} else if (ev->global_oom || ev->has_ram_pages || ev->has_swap_total ||
			   ev->has_swap_free) {
			/* only a global OOM shows the Mem-Info block */
			k.has_kind = 1;
		}
	}
	end_table(ps, ev);
	add_kill(ps, ev, &k);
	joined(ps, l);
	return 1;
}

/* "%s: Kill process %d (%s) score %u or sacrifice child" (2.6.32 to 5.0) */
static int match_select(struct oomor_parser *ps, const struct log_line *l)
{
	const char *m = l->msg, *p = strstr(m, "ill process "), *q, *c0, *c1;
	struct oom_event *ev;
	enum oom_kind kind;
	unsigned long score;
	int pid, explicit_kind, allocating;

	/* always "%s: Kill process": a bare one is RHEL 6's "... sharing same memory" */
	if (!p || p == m || (p[-1] != 'K' && p[-1] != 'k') ||
	    !victim_prefix(m, p - 1, &explicit_kind, &kind, &allocating) || !explicit_kind)
		return 0;
	q = p + strlen("ill process ");
	if (!read_int(&q, &pid) || !has_prefix(q, " ("))
		return 0;
	c0 = q + 2;
	if (!(c1 = find_last(c0, ") score ")))
		return 0;
	q = c1 + strlen(") score ");
	/* " and children." up to 2.6.1x */
	if (!read_ul(&q, &score) || (!has_prefix(q, " or sacrifice child") &&
				     !has_prefix(q, " or a child") && !has_prefix(q, " and children")))
		return 0;
	ev = open_event(ps, l);
	if (!ev || ev->has_selected || victim_done(ev))
		ev = new_event(ps, l, 0);
	if (!ev)
		return 1;
	end_table(ps, ev);
	ev->has_selected = 1;
	ev->selected_line = l->no;
	ev->selected_pid = pid;
	copy_n(ev->selected_comm, sizeof(ev->selected_comm), c0, (size_t)(c1 - c0));
	ev->selected_score = score;
	ev->selected_kind = kind;
	ev->selected_allocating = allocating;
	ev->selected_or_a_child = !has_prefix(q, " or sacrifice child");
	joined(ps, l);
	return 1;
}

/*
 * "oom-kill:constraint=%s,nodemask=%*pbl[,cpuset=%s,mems_allowed=%*pbl]
 * (,oom_memcg=<path>|,global_oom)[,task_memcg=<path>],task=%s,pid=%d,uid=%d" (5.0+).
 * Node lists hold commas ("0-1,3"), so a value runs to the next known key, not to the next
 * comma; the victim's part is found from the end as the comm may hold anything.
 */
static void parse_summary(struct oom_event *ev, const char *s)
{
	static const char *const keys[] = {
		",nodemask=", ",cpuset=", ",mems_allowed=", ",global_oom", ",oom_memcg=",
		",task_memcg=",
	};
	enum { K_NODEMASK, K_CPUSET, K_MEMS, K_GLOBAL, K_OOM_MEMCG, K_TASK_MEMCG, K_N };
	const char *pos[K_N], *head_end, *pid_at, *task_at = NULL, *p, *q, *v, *stop;
	size_t i, j;

	pid_at = find_last(s, ",pid=");
	for (p = strstr(s, ",task="); p && (!pid_at || p < pid_at); p = strstr(p + 1, ",task="))
		task_at = p;
	head_end = task_at ? task_at : pid_at ? pid_at : s + strlen(s);
	for (i = 0; i < K_N; i++)
		pos[i] = find_before(s, head_end, keys[i]);

	p = s + strlen("constraint=");
	q = strchr(p, ',');
	copy_n(ev->constraint, sizeof(ev->constraint), p, q ? (size_t)(q - p) : strlen(p));
	for (i = 0; i < K_N; i++) {
		if (!pos[i])
			continue;
		v = pos[i] + strlen(keys[i]);
		stop = head_end;
		for (j = 0; j < K_N; j++)
			if (pos[j] && pos[j] >= v && pos[j] < stop)
				stop = pos[j];
		switch (i) {
		case K_NODEMASK:
			copy_n(ev->nodemask, sizeof(ev->nodemask), v, (size_t)(stop - v));
			break;
		case K_CPUSET:
			copy_n(ev->cpuset, sizeof(ev->cpuset), v, (size_t)(stop - v));
			break;
		case K_MEMS:
			copy_n(ev->mems_allowed, sizeof(ev->mems_allowed), v, (size_t)(stop - v));
			break;
		case K_GLOBAL:
			ev->global_oom = v == stop;
			break;
		case K_OOM_MEMCG:
			copy_n(ev->oom_memcg, sizeof(ev->oom_memcg), v, (size_t)(stop - v));
			break;
		case K_TASK_MEMCG:
			copy_n(ev->task_memcg, sizeof(ev->task_memcg), v, (size_t)(stop - v));
			break;
		}
	}
	ev->has_summary = 1;
	if (task_at) {
		v = task_at + strlen(",task=");
		stop = pid_at ? pid_at : v + strlen(v);
		copy_n(ev->summary_task, sizeof(ev->summary_task), v, (size_t)(stop - v));
	}
	if (pid_at) {
		q = pid_at + strlen(",pid=");
		read_int(&q, &ev->summary_pid);
		if ((q = strstr(q, ",uid="))) {
			q += strlen(",uid=");
			read_int(&q, &ev->summary_uid);
		}
	}
}

static int match_summary(struct oomor_parser *ps, const struct log_line *l)
{
	const char *p = strstr(l->msg, "oom-kill:constraint=");
	struct oom_event *ev;

	if (!p)
		return 0;
	ev = open_event(ps, l);
	if (!ev || ev->has_summary || victim_done(ev))
		ev = new_event(ps, l, 0);
	if (!ev)
		return 1;
	end_table(ps, ev);
	parse_summary(ev, p + strlen("oom-kill:"));
	joined(ps, l);
	return 1;
}

/* "%s: OOM victim %d (%s) is already exiting. Skip killing the task" (5.10+) */
static int match_exiting(struct oomor_parser *ps, const struct log_line *l)
{
	const char *p = strstr(l->msg, "OOM victim "), *q, *c1;
	struct oom_event *ev;
	int pid;

	if (!p)
		return 0;
	q = p + strlen("OOM victim ");
	if (!read_int(&q, &pid) || !has_prefix(q, " (") ||
	    !(c1 = find_last(q + 2, ") is already exiting")))
		return 0;
	ev = victim_event(ps, l);
	if (!ev)
		return 1;
	end_table(ps, ev);
	if (!ev->nexiting) {
		ev->exiting_pid = pid;
		copy_n(ev->exiting_comm, sizeof(ev->exiting_comm), q + 2, (size_t)(c1 - q - 2));
		ev->exiting_line = l->no;
	}
	if (ev->nexiting < INT_MAX)
		ev->nexiting++;
	joined(ps, l);
	return 1;
}

/*
 * The n bytes of the line at s into l, bounded and NUL-terminated: cut at a NUL byte (what
 * follows it is binary garbage to us) and without a trailing '\r'. Returns the length.
 */
static size_t copy_line(struct log_line *l, const char *s, size_t n)
{
	size_t c = n < sizeof(l->buf) - 1 ? n : sizeof(l->buf) - 1;
	const char *nul = memchr(s, '\0', c);

	if (nul)
		c = (size_t)(nul - s);
	memcpy(l->buf, s, c);
	while (c && l->buf[c - 1] == '\r')
		c--;
	l->buf[c] = '\0';
	return c;
}

static int read_context(struct oomor_parser *ps, struct oom_event *ev, const struct log_line *l);

/*
 * A report pasted from its middle opens at a line of its middle, and the lines just before
 * that one were skipped unread: Mem-Info's totals, "Memory cgroup stats for", which say what
 * kind of OOM it was and what swap there was. They are read now, as the event's context,
 * back to the last line the parser did read (one holding a keyword: another report's, or
 * none's), to a stamp more than OOMOR_GAP_S older or newer, or to OOMOR_READ_BACK lines.
 */
static void read_back(struct oomor_parser *ps, struct oom_event *ev)
{
	const char *p = ps->line_at, *q;
	struct log_line *l = malloc(sizeof(*l));
	int i;

	if (!l)
		return;
	for (i = 1; i <= OOMOR_READ_BACK && p > ps->text; i++) {
		for (q = p - 1; q > ps->text && q[-1] != '\n'; q--)
			;
		if (kwscan_find(q, p - 1, NULL) < p - 1)
			break;
		copy_line(l, q, (size_t)(p - 1 - q));
		l->no = ps->line.no - i;
		p = q;
		if (log_line_is_dict(l->buf))
			continue;
		log_line_strip(l);
		if (l->uptime >= 0 && ev->uptime >= 0 &&
		    (l->uptime < ev->uptime - OOMOR_GAP_S || l->uptime > ev->uptime + 1.0))
			break;
		/* the event has no header: nothing here moves the parser's last uptime */
		read_context(ps, ev, l);
	}
	free(l);
}

/*
 * A report pasted from its middle: its memcg lines ("Task in ... killed as a result of limit
 * of", "memory: usage", "Memory cgroup stats for", printed only in a memcg OOM's report) or
 * "Tasks state" with no report open begin an event without header, which match_context() and
 * the table then fill.
 */
static int match_midstart(struct oomor_parser *ps, const struct log_line *l)
{
	const char *m = l->msg;
	struct oom_event *ev = open_event(ps, l);

	if (ev && !victim_done(ev))
		return 0;
	if (!(has_prefix(m, "Task in ") && strstr(m, " killed as a result of limit of ")) &&
	    !has_prefix(m, "memory: usage ") && !has_prefix(m, "Tasks state (memory values") &&
	    !has_prefix(m, "Memory cgroup stats for "))
		return 0;
	if ((ev = new_event(ps, l, 0))) {
		joined(ps, l);
		read_back(ps, ev);
	}
	return 0; /* the line itself is read as part of the event */
}

/*
 * journalctl without -b: "-- Boot 1a2b... --" begins each boot (and "-- Reboot --" in older
 * versions); one before any report names the first boot.
 */
static int match_boot(struct oomor_parser *ps, const struct log_line *l)
{
	const char *m = l->msg, *id, *end;

	if (!has_prefix(m, "-- Boot ") && !has_prefix(m, "-- Reboot --"))
		return 0;
	close_event(ps);
	if (ps->boot_seen || ps->log->nevents)
		ps->boot++;
	ps->boot_seen = 1;
	ps->boot_id[0] = '\0';
	if (has_prefix(m, "-- Boot ")) {
		id = m + strlen("-- Boot ");
		end = strstr(id, " --");
		copy_n(ps->boot_id, sizeof(ps->boot_id), id, end ? (size_t)(end - id) : strlen(id));
	}
	return 1;
}

/* The warning of 4.19+ (the panic text of older kernels is handled as a panic). */
static int match_no_killable(struct oomor_parser *ps, const struct log_line *l)
{
	struct oom_event *ev;

	if (!strstr(l->msg, "Out of memory and no killable processes"))
		return 0;
	ev = open_event(ps, l);
	if (!ev || victim_done(ev))
		ev = new_event(ps, l, 0);
	if (!ev)
		return 1;
	end_table(ps, ev);
	ev->no_killable = 1;
	ev->no_killable_line = l->no;
	close_event(ps);
	return 1;
}

/* "Tasks in <path> are going to be killed due to memory.oom.group set" (4.19+) */
static int match_group(struct oomor_parser *ps, const struct log_line *l)
{
	static const char tail[] = " are going to be killed due to memory.oom.group set";
	const char *m = l->msg, *p;
	struct oom_event *ev;

	if (!has_prefix(m, "Tasks in ") || !(p = find_last(m, tail)))
		return 0;
	ev = open_event(ps, l);
	if (!ev)
		ev = new_event(ps, l, 0);
	if (!ev)
		return 1;
	end_table(ps, ev);
	ev->group_kill = 1;
	ev->group_line = l->no;
	m += strlen("Tasks in ");
	copy_n(ev->group_path, sizeof(ev->group_path), m, p > m ? (size_t)(p - m) : 0);
	joined(ps, l);
	return 1;
}

static enum oomor_col column_of(const char *s, size_t n)
{
	static const struct {
		const char *name;
		enum oomor_col col;
	} names[] = {
		{ "uid", OOMOR_COL_UID },
		{ "tgid", OOMOR_COL_TGID },
		{ "total_vm", OOMOR_COL_TOTAL_VM },
		{ "rss", OOMOR_COL_RSS },
		{ "rss_anon", OOMOR_COL_RSS_ANON },
		{ "rss_file", OOMOR_COL_RSS_FILE },
		{ "rss_shmem", OOMOR_COL_RSS_SHMEM },
		{ "nr_ptes", OOMOR_COL_NR_PTES },
		{ "nr_pmds", OOMOR_COL_NR_PMDS },
		{ "pgtables_bytes", OOMOR_COL_PGTABLES_BYTES },
		{ "swapents", OOMOR_COL_SWAPENTS },
		{ "oom_score_adj", OOMOR_COL_ADJ },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n && !strncmp(names[i].name, s, n))
			return names[i].col;
	return OOMOR_COL_OTHER;
}

static int has_col(const enum oomor_col *cols, int n, enum oomor_col col)
{
	int i;

	for (i = 0; i < n; i++)
		if (cols[i] == col)
			return 1;
	return 0;
}

/*
 * "[ pid ]   uid  tgid total_vm      rss ... oom_score_adj name". The columns changed across
 * versions (cpu oom_adj; nr_ptes [nr_pmds]; pgtables_bytes; rss_anon rss_file rss_shmem since
 * 6.8), so rows are read by the header's column names.
 */
static int match_table_header(struct oomor_parser *ps, const struct log_line *l)
{
	const char *m = l->msg, *close, *p, *t;
	enum oomor_col cols[OOMOR_MAX_COLS];
	struct oom_event *ev;
	int n = 0;

	if (*m != '[' || !(close = strchr(m, ']')) || !find_before(m, close, "pid") ||
	    !strstr(close, " uid") || !strstr(close, " total_vm"))
		return 0;
	for (p = skip_blanks(close + 1);; p = skip_blanks(p)) {
		for (t = p; *t && *t != ' ' && *t != '\t'; t++)
			;
		if (t == p)
			return 0; /* the line ended before "name" */
		if (t - p == 4 && !strncmp(p, "name", 4) && !*skip_blanks(t))
			break;
		if (n == OOMOR_MAX_COLS)
			return 0;
		cols[n++] = column_of(p, (size_t)(t - p));
		p = t;
	}
	ev = open_event(ps, l);
	if (!ev || victim_done(ev)) {
		ev = new_event(ps, l, 0);
		if (!ev)
			return 1;
		joined(ps, l);
		read_back(ps, ev);
	}
	ev->table_seen = 1;
	/* 4.19 widened the pid column: "[  pid  ]" */
	ev->table_wide_pid = m[1] == ' ' && m[2] == ' ';
	ev->table_no_adj = !has_col(cols, n, OOMOR_COL_ADJ);
	ps->in_table = 1;
	ps->ncols = n;
	memcpy(ps->cols, cols, sizeof(cols[0]) * (size_t)n);
	joined(ps, l);
	return 1;
}

/* "[%7d] %5d %5d %8lu ... %5hd %s" with the columns of the header */
static int match_row(struct oomor_parser *ps, const struct log_line *l)
{
	struct oom_event *ev = open_event(ps, l);
	const char *p = l->msg;
	struct oom_task t;
	int i, saw_rss = 0, saw_pgt = 0;
	long long v;
	void *arr;

	if (!ev || *p != '[')
		return 0;
	memset(&t, 0, sizeof(t));
	p = skip_blanks(p + 1);
	if (!read_int(&p, &t.pid))
		return 0;
	p = skip_blanks(p);
	if (*p++ != ']')
		return 0;
	t.pgtables_kind = OOM_PGT_NONE;
	for (i = 0; i < ps->ncols; i++) {
		if (*p != ' ' && *p != '\t')
			return 0;
		p = skip_blanks(p);
		if (!read_ll(&p, &v))
			return 0;
		switch (ps->cols[i]) {
		case OOMOR_COL_UID:
			t.uid = clamp_int(v);
			break;
		case OOMOR_COL_TGID:
			t.tgid = clamp_int(v);
			break;
		case OOMOR_COL_TOTAL_VM:
			t.total_vm = clamp_ul(v);
			break;
		case OOMOR_COL_RSS:
			t.rss = clamp_ul(v);
			saw_rss = 1;
			break;
		case OOMOR_COL_RSS_ANON:
			t.rss_anon = clamp_ul(v);
			t.has_rss_parts = 1;
			break;
		case OOMOR_COL_RSS_FILE:
			t.rss_file = clamp_ul(v);
			t.has_rss_parts = 1;
			break;
		case OOMOR_COL_RSS_SHMEM:
			t.rss_shmem = clamp_ul(v);
			t.has_rss_parts = 1;
			break;
		case OOMOR_COL_NR_PTES:
		case OOMOR_COL_NR_PMDS:
			t.pgtables += clamp_ul(v);
			t.pgtables_kind = OOM_PGT_PTES;
			saw_pgt = 1;
			break;
		case OOMOR_COL_PGTABLES_BYTES:
			if (!saw_pgt) {
				t.pgtables = clamp_ul(v);
				t.pgtables_kind = OOM_PGT_BYTES;
			}
			break;
		case OOMOR_COL_SWAPENTS:
			t.swapents = clamp_ul(v);
			t.has_swapents = 1;
			break;
		case OOMOR_COL_ADJ:
			t.oom_score_adj = clamp_int(v);
			break;
		case OOMOR_COL_OTHER:
			break;
		}
	}
	if (*p && *p != ' ' && *p != '\t')
		return 0;
	p = skip_blanks(p);
	copy_n(t.name, sizeof(t.name), p, trim_len(p, strlen(p)));
	if (!saw_rss && t.has_rss_parts)
		t.rss = t.rss_anon + t.rss_file + t.rss_shmem;
	t.line = l->no;
	arr = grow(ev->tasks, &ps->tasks_alloc, (size_t)ev->ntasks + 1, sizeof(t));
	if (arr) {
		ev->tasks = arr;
		ev->tasks[ev->ntasks++] = t;
	}
	joined(ps, l);
	return 1;
}

/* "usage %llukB, limit %llukB, failcnt %lu" */
static int read_usage(const char *s, unsigned long long *usage, unsigned long long *limit)
{
	if (!read_ull(&s, usage) || !has_prefix(s, "kB, limit "))
		return 0;
	s += strlen("kB, limit ");
	return read_ull(&s, limit) && has_prefix(s, "kB");
}

/* "<n>kB" */
static int read_kb_total(const char *s, unsigned long long *out)
{
	return read_ull(&s, out) && has_prefix(s, "kB");
}

/*
 * dump_stack's first line names current, the task that invoked the OOM killer:
 * "CPU: %d PID: %d Comm: %.20s ...", "CPU: %d UID: %u PID: %d Comm: ..." (6.11 at the latest),
 * "Pid: %d, comm: %.20s ..." (2.6.3x x86). Another CPU's backtrace may interleave, so the
 * line must come soon after the header and name the same comm.
 */
static void invoker_pid_line(struct oomor_parser *ps, struct oom_event *ev,
			     const struct log_line *l)
{
	const char *m = l->msg, *p, *c;
	size_t n = strlen(ev->invoker);
	int pid;

	if (!ev->has_header || ev->invoker_pid ||
	    ps->nread - ps->header_no > OOMOR_CPU_LINE_WINDOW)
		return;
	if (has_prefix(m, "Pid: ")) {
		p = m + strlen("Pid: ");
		if (!(c = strstr(p, ", comm: ")))
			return;
		c += strlen(", comm: ");
	} else {
		if (!(p = strstr(m, " PID: ")) || !(c = strstr(p, " Comm: ")))
			return;
		p += strlen(" PID: ");
		c += strlen(" Comm: ");
	}
	if (n > 20)
		n = 20;
	if (strncmp(c, ev->invoker, n) || (n < 20 && c[n] && c[n] != ' '))
		return;
	if (read_int(&p, &pid)) {
		ev->invoker_pid = pid;
		joined(ps, l);
	}
}

/*
 * The lines between the header and the task table: the cpuset line (up to 4.19), the first
 * line of dump_stack, the memcg block and the Mem-Info totals.
 */
static int read_context(struct oomor_parser *ps, struct oom_event *ev, const struct log_line *l)
{
	const char *m = l->msg, *p, *q;
	unsigned long long v;

	if (has_prefix(m, "CPU: ") || has_prefix(m, "Pid: ")) {
		invoker_pid_line(ps, ev, l);
		return 1;
	}
	/*
	 * dump_header's backtrace, innermost first: a memcg OOM passes through
	 * mem_cgroup_out_of_memory() (or mem_cgroup_oom_synchronize() at the end of a page
	 * fault) before any caller; a global one reaches the allocator's __alloc_pages*()
	 * (__out_of_memory() in 2.6.3x) without them. A kmem charge passes through both, the
	 * memcg's first.
	 */
	if (ev->has_header && !ev->trace_memcg && !ev->trace_global &&
	    (strstr(m, "mem_cgroup_out_of_memory") || strstr(m, "mem_cgroup_oom_synchronize"))) {
		ev->trace_memcg = 1;
		return 1;
	}
	/* the first of the two seen decides: neither is looked for after it */
	if (ev->has_header && !ev->trace_memcg && !ev->trace_global &&
	    (strstr(m, "__alloc_pages") || strstr(m, "__out_of_memory") ||
	     has_prefix(m, "Mem-Info:"))) {
		/* and only a global OOM shows Mem-Info */
		ev->trace_global = 1;
		return 1;
	}
	if (!ev->cpuset[0] && (p = strstr(m, " cpuset=")) && (q = strstr(p, " mems_allowed="))) {
		copy_n(ev->cpuset, sizeof(ev->cpuset), p + 8, (size_t)(q - p - 8));
		q += strlen(" mems_allowed=");
		copy_n(ev->mems_allowed, sizeof(ev->mems_allowed), q, strcspn(q, " \t"));
		return 1;
	}
	if (has_prefix(m, "memory: usage ")) {
		if (!ev->has_memcg_usage &&
		    read_usage(m + strlen("memory: usage "), &ev->memcg_usage_kb,
			       &ev->memcg_limit_kb))
			ev->has_memcg_usage = 1;
	} else if (has_prefix(m, "memory+swap: usage ")) {
		if (!ev->has_memsw_usage &&
		    read_usage(m + strlen("memory+swap: usage "), &ev->memsw_usage_kb,
			       &ev->memsw_limit_kb))
			ev->has_memsw_usage = 1;
	} else if (has_prefix(m, "swap: usage ")) {
		if (!ev->has_swap_usage &&
		    read_usage(m + strlen("swap: usage "), &ev->swap_usage_kb, &ev->swap_limit_kb))
			ev->has_swap_usage = 1;
	} else if (has_prefix(m, "Task in ") &&
		   (p = strstr(m, " killed as a result of limit of "))) {
		if (!ev->task_memcg[0])
			copy_n(ev->task_memcg, sizeof(ev->task_memcg), m + 8, (size_t)(p - m - 8));
		p += strlen(" killed as a result of limit of ");
		if (!ev->oom_memcg[0])
			copy_n(ev->oom_memcg, sizeof(ev->oom_memcg), p, trim_len(p, strlen(p)));
	} else if (has_prefix(m, "Memory cgroup stats for ")) {
		ev->memcg_stats = 1;
	} else if (has_prefix(m, "Memory limit reached of cgroup ")) {
		p = m + strlen("Memory limit reached of cgroup ");
		if (!ev->oom_memcg[0])
			copy_n(ev->oom_memcg, sizeof(ev->oom_memcg), p, trim_len(p, strlen(p)));
	} else if (has_prefix(m, "Total swap = ")) {
		if (read_kb_total(m + strlen("Total swap = "), &v)) {
			ev->has_swap_total = 1;
			ev->swap_total_kb = v;
		}
	} else if (has_prefix(m, "Free swap")) {
		p = skip_blanks(m + strlen("Free swap"));
		if (*p == '=' && read_kb_total(skip_blanks(p + 1), &v)) {
			ev->has_swap_free = 1;
			ev->swap_free_kb = v;
		}
	} else if (is_digit(*m)) {
		p = m;
		if (!read_ull(&p, &v))
			return 0;
		if (!strcmp(p, " pages RAM")) {
			ev->has_ram_pages = 1;
			ev->ram_pages = v > ULONG_MAX ? ULONG_MAX : (unsigned long)v;
		} else if (!strcmp(p, " pages reserved")) {
			ev->has_ram_reserved = 1;
			ev->ram_reserved = v > ULONG_MAX ? ULONG_MAX : (unsigned long)v;
		} else {
			return 0;
		}
	} else if (has_prefix(m, "Node ") && strstr(m, " kernel_stack:")) {
		/* 5.9 moved kernel_stack from the per-zone lines to the per-node line */
		p = m + strlen("Node ");
		if (!read_ull(&p, &v) || *p != ' ')
			return 0;
		if (!ev->kstack_in)
			ev->kstack_in = has_prefix(p + 1, "active_anon:") ? OOM_KSTACK_NODE :
					OOM_KSTACK_ZONE;
	} else if (ev->has_memcg_usage && has_prefix(m, "workingset_refault")) {
		/* memory.stat in the memcg report: 5.9 split the key into _anon and _file */
		if (!ev->memcg_refault && has_prefix(m, "workingset_refault_anon "))
			ev->memcg_refault = OOM_REFAULT_SPLIT;
		else if (!ev->memcg_refault && has_prefix(m, "workingset_refault "))
			ev->memcg_refault = OOM_REFAULT_ONE;
	} else {
		return 0;
	}
	return 1;
}

static int match_context(struct oomor_parser *ps, const struct log_line *l)
{
	struct oom_event *ev = open_event(ps, l);

	if (!ev || victim_done(ev) || !read_context(ps, ev, l))
		return 0;
	joined(ps, l);
	return 1;
}

/*
 * Reads the line in ps->line. The matchers up to the task table's header each need a keyword
 * (keywords[] below), so on a line without one (has_keyword == 0: most lines of a report)
 * they would all fail, and are not tried.
 */
/*
 * Where the earliest of starts[0..n) begins in s at or after from, or NULL: none of them just
 * after ": " ("Out of memory: Killed process" is one message).
 */
static const char *earliest(const char *s, const char *from, const char *const *starts, size_t n)
{
	const char *best = NULL, *p;
	size_t i;

	for (i = 0; i < n; i++)
		for (p = strstr(from, starts[i]); p && (!best || p < best);
		     p = strstr(p + 1, starts[i]))
			if (p - s < 2 || p[-2] != ':' || p[-1] != ' ') {
				best = p;
				break;
			}
	return best;
}

/*
 * Where a report's own message begins in s at or after from: "Out of memory", "Out of
 * Memory", "Memory cgroup out of memory", "Killed process", "Kill process", or the comm before
 * " invoked oom-killer:" (back to a blank or a ')'). NULL when none does.
 */
static const char *message_start(const char *s, const char *from)
{
	static const char *const starts[] = { "Out of memory", "Out of Memory",
					      "Memory cgroup out of memory", "Killed process ",
					      "Kill process " };
	const char *best = earliest(s, from, starts, sizeof(starts) / sizeof(starts[0])), *p, *c;

	for (p = strstr(s, " invoked oom-killer:"); p && (!best || p < best);
	     p = strstr(p + 1, " invoked oom-killer:")) {
		for (c = p; c > s && c[-1] != ' ' && c[-1] != ')'; c--)
			;
		if (c >= from && c < p && (!best || c < best))
			best = c;
	}
	return best;
}

/*
 * Where a page dropped the line ends of a paste that had no prefixes, or printks of 2.6.2x
 * ended without one, a report's messages run together on one line: "... score 9 or sacrifice
 * child Killed process 9682, UID 27, ...", "(trashapplet)Out of memory: kill process ...".
 * Returns where the second message of msg begins, or NULL. The first must be one of the
 * report's own (message_start()), unless msg is itself a piece cut from such a line (cut set);
 * the next may also be a line of its context that tells what the report was: dump_stack's
 * "Pid:" (the invoker), Mem-Info and its swap totals.
 */
static const char *next_run_on(const char *msg, int cut)
{
	static const char *const context[] = { "Pid: ", "Mem-Info:", "Free swap", "Total swap" };
	const char *first, *next, *ctx;

	/* every message_start() holds one of these: most lines with a keyword have neither */
	if (!cut && !strstr(msg, "emory") && !strstr(msg, "ill"))
		return NULL;
	first = cut ? msg : message_start(msg, msg);
	if (!first)
		return NULL;
	next = message_start(msg, first + 1);
	ctx = earliest(msg, first + 1, context, sizeof(context) / sizeof(context[0]));
	return ctx && (!next || ctx < next) ? ctx : next;
}

static void read_message(struct oomor_parser *ps, int has_keyword)
{
	struct log_line *l = &ps->line;

	ps->nread++;
	if (has_keyword) {
		if (match_boot(ps, l) || match_panic(ps, l) || match_header(ps, l) || match_kill(ps, l) ||
		    match_select(ps, l) || match_summary(ps, l) || match_exiting(ps, l) ||
		    match_no_killable(ps, l) || match_group(ps, l) || match_midstart(ps, l))
			return;
		/* the reaper runs later, from its own thread: no part of any report */
		if (strstr(l->msg, "oom_reaper: "))
			return;
		/* SysRq-f's request (moom_callback()), said before the OOM it starts, or refused */
		if (strstr(l->msg, "Manual OOM execution")) {
			ps->sysrq_no = l->no;
			return;
		}
		if (strstr(l->msg, "OOM request ignored")) {
			ps->sysrq_no = 0;
			return;
		}
		if (match_table_header(ps, l))
			return;
	}
	if (ps->in_table && match_row(ps, l))
		return;
	match_context(ps, l);
}

static void parse_line(struct oomor_parser *ps, int has_keyword)
{
	struct log_line *l = &ps->line;
	char *msg, *cut, rest[LOG_LINE_MAX];
	int pieces = 0;

	if (log_line_is_dict(l->buf))
		return;
	log_line_strip(l);
	if (!*l->msg)
		return;
	/* each message is read as if it held a keyword, with the line's stamp and number */
	msg = l->buf + (l->msg - l->buf);
	while (has_keyword && (cut = (char *)next_run_on(msg, pieces++ > 0))) {
		memcpy(rest, cut, strlen(cut) + 1);
		*cut = '\0';
		read_message(ps, 1);
		memcpy(msg, rest, strlen(rest) + 1);
	}
	read_message(ps, has_keyword);
}

/*
 * Where a web page dropped the line ends of a syslog paste, its records run together on one
 * line: "... (jserver). Jul 19 05:19:24 asl131 kernel: Out of Memory: ...". Returns where the
 * next record begins, at the blank before "Mon dd HH:MM:SS host kernel: ", or NULL.
 */
static char *next_joined_record(char *s)
{
	char *k, *p;
	int i;

	/* only a syslog record begins with a month or a date, past a paste's quoting */
	p = (char *)log_line_unquote(s);
	if (!((p[0] >= 'A' && p[0] <= 'Z') || (is_digit(p[0]) && is_digit(p[1]))))
		return NULL;
	k = strstr(s, " kernel: ");

	/* the line's own record first, then a later one */
	for (k = k ? strstr(k + 1, " kernel: ") : NULL; k; k = strstr(k + 1, " kernel: ")) {
		for (p = k; p > s && p[-1] != ' '; p--) /* the host */
			;
		if (p - s < 17 || p[-1] != ' ' || p[-4] != ':' || p[-7] != ':')
			continue;
		p -= 9; /* "HH:MM:SS " */
		for (i = 0; i < 8; i++)
			if (i != 2 && i != 5 && !is_digit(p[i]))
				break;
		if (i < 8 || p[-1] != ' ')
			continue;
		p--;
		while (p > s && (is_digit(p[-1]) || p[-1] == ' ') && k - p < 32)
			p--;
		/* the month: three letters after a blank */
		if (p - s >= 4 && p[-4] == ' ' && p[-3] >= 'A' && p[-3] <= 'Z' &&
		    p[-2] >= 'a' && p[-2] <= 'z' && p[-1] >= 'a' && p[-1] <= 'z')
			return p - 4;
	}
	return NULL;
}

/* Reads the line in ps->line, or each record of it where several were joined. */
static void parse_records(struct oomor_parser *ps, int has_keyword)
{
	char rest[LOG_LINE_MAX], *cut;
	int joined_records = 0;

	/* each record is read as if it held a keyword: the keyword may lie in another one */
	while ((cut = next_joined_record(ps->line.buf))) {
		snprintf(rest, sizeof(rest), "%s", cut + 1);
		*cut = '\0';
		parse_line(ps, 1);
		memcpy(ps->line.buf, rest, strlen(rest) + 1);
		joined_records = 1;
	}
	parse_line(ps, has_keyword || joined_records);
}

/* --- finding the lines that matter --- */

/*
 * Whether every line must be read whole: an event is still collecting its parts (it has no
 * victim yet) or its task table, and any line may belong to it. Otherwise only a line holding
 * a keyword (kwscan.c) is read; the others are skipped unread, and with them the uptime check
 * of open_event(): the next line that is read makes it.
 */
static int collecting(const struct oomor_parser *ps)
{
	return ps->in_table ||
	       (ps->cur >= 0 && !ps->closed && !victim_done(&ps->log->events[ps->cur]));
}

static void count_lines(struct oom_log *log, size_t n)
{
	log->nlines = n > (size_t)(INT_MAX - log->nlines) ? INT_MAX : log->nlines + (int)n;
}

/* --- lines a mail client wrapped --- */

/* p past a paste's quoting at the start of a line (blanks and mail's '>'), up to end */
static const char *skip_quoting(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '>'))
		p++;
	return p;
}

/*
 * Whether the line at p begins with a prefix of its own, past a paste's quoting: a kernel
 * stamp ("[  65.4]", "[T12]", dmesg -T's "[Sat ..."), a console level ("<4>"), a syslog
 * month ("Apr  4 09:08:53"), an ISO date, or a /dev/kmsg record ("6,123,...").
 */
static int has_own_prefix(const char *p, const char *end)
{
	int i;

	p = skip_quoting(p, end);
	if (p < end && *p == '+') /* a quoted diff's added line */
		p++;
	if (end - p < 6)
		return 0;
	if (p[0] == '[') {
		/* "[  12.345678]", "[Mon Nov ...", not a table's "[ pid ]" */
		for (i = 1; p + i < end && p[i] == ' '; i++)
			;
		return p + i < end && (is_digit(p[i]) || (i == 1 && p[1] >= 'A' && p[1] <= 'Z'));
	}
	if (p[0] == '<')
		return is_digit(p[1]);
	if (p[0] >= 'A' && p[0] <= 'Z' && p[1] >= 'a' && p[1] <= 'z' && p[2] >= 'a' &&
	    p[2] <= 'z' && p[3] == ' ' && (p[4] == ' ' || is_digit(p[4])) && is_digit(p[5]))
		return 1;
	for (i = 0; i < 4 && is_digit(p[i]); i++)
		;
	return (i == 4 && p[4] == '-') || (i && p[i] == ',');
}

/* Whether the line [p, e) ends in a blank, as a line a mail client wrapped ends ("flowed"). */
static int ends_flowed(const char *p, const char *e)
{
	while (e > p && e[-1] == '\r')
		e--;
	return e > p && e[-1] == ' ';
}

/*
 * Whether a mail client or a page wrapped the line [p, e) at a fixed width without marking it
 * (no blank at its end), next (past its quoting) to stop being the next line: both fit in
 * OOMOR_WRAP_MAX columns, and the next line's first word would not have fitted on this one
 * at OOMOR_WRAP_MIN, the narrowest width mail is wrapped at. An elision ("...", "[...]") is
 * the paster's, no piece of the line.
 */
#define OOMOR_WRAP_MIN 72
#define OOMOR_WRAP_MAX 80
static int hard_wrapped(const char *p, const char *e, const char *line, const char *next,
			const char *stop)
{
	size_t word = 0;

	while (e > p && e[-1] == '\r')
		e--;
	while (stop > next && stop[-1] == '\r')
		stop--;
	/* next is raw text up to stop, not a string */
	if (e - p > OOMOR_WRAP_MAX || stop - line > OOMOR_WRAP_MAX || next == stop ||
	    *next == '.' || (stop - next >= 4 && (!memcmp(next, "[...", 4) ||
						   !memcmp(next, "(...", 4))))
		return 0;
	while (next + word < stop && next[word] != ' ' && next[word] != '\t')
		word++;
	return (size_t)(e - p) + 1 + word > OOMOR_WRAP_MIN;
}

/*
 * Where a mail client wrapped a long line (format=flowed: each piece but the last ends in a
 * blank; or hard_wrapped()), the pieces after the first have no prefix of their own. Given
 * the start of a line, returns the start of the first piece of its logical line, at most
 * OOMOR_WRAPS pieces back and never before from.
 */
static const char *wrapped_start(const char *line, const char *from, const char *end)
{
	const char *prev;
	int i;

	for (i = 0; i < OOMOR_WRAPS && line > from; i++) {
		const char *eol = memchr(line, '\n', (size_t)(end - line)), *p = line;

		if (has_own_prefix(line, eol ? eol : end))
			break;
		for (prev = line - 1; prev > from && prev[-1] != '\n'; prev--)
			;
		p = skip_quoting(p, eol ? eol : end);
		if (!ends_flowed(prev, line - 1) &&
		    !hard_wrapped(prev, line - 1, line, p, eol ? eol : end))
			break;
		line = prev;
	}
	return line;
}

/*
 * Appends to ps->line (c bytes so far, the line at s) the pieces that follow it where a mail
 * client or a page wrapped it: while the line has a prefix and ends in a blank or was
 * hard_wrapped() (without a prefix: was hard_wrapped() after a comma), and the next has no
 * prefix and is not blank. Moves *nl to the end of the last piece taken, counting its lines.
 * Returns the line's new length.
 */
static size_t join_wrapped(struct oomor_parser *ps, const char *s, const char **nl,
			   const char *end, size_t c)
{
	char *buf = ps->line.buf;
	int i, prefixed;

	if (!*nl)
		return c;
	prefixed = has_own_prefix(s, *nl);
	for (i = 1; i < OOMOR_WRAPS && *nl && c; i++) {
		const char *next = *nl + 1, *eol = memchr(next, '\n', (size_t)(end - next));
		const char *stop = eol ? eol : end, *p = next;
		int flowed = buf[c - 1] == ' ';

		/*
		 * Without prefixes, a line's end says the next goes on with it only where no
		 * message ends: after a comma ("gfp_mask=0x...(GFP_KERNEL),").
		 */
		if (!prefixed && (flowed || buf[c - 1] != ','))
			break;
		p = skip_quoting(p, stop);
		if (p == stop || *p == '\r' || has_own_prefix(next, stop) || memchr(p, '\0',
										   (size_t)(stop - p)))
			break;
		if (!flowed && !hard_wrapped(s, *nl, next, p, stop))
			break;
		while (stop > p && stop[-1] == '\r')
			stop--;
		if ((size_t)(stop - p) + !flowed >= sizeof(ps->line.buf) - 1 - c)
			break;
		if (!flowed)
			buf[c++] = ' ';
		memcpy(buf + c, p, (size_t)(stop - p));
		c += (size_t)(stop - p);
		buf[c] = '\0';
		s = next;
		*nl = eol;
		count_lines(ps->log, 1);
	}
	return c;
}

/*
 * Reads the lines of [text, end) that begin before limit (a line's start), from *at, which it
 * moves on; what lies after limit is there to be looked ahead at (join_wrapped()). final: end
 * is the end of the log, whose last line may have no '\n'.
 */
static void parse_lines(struct oomor_parser *ps, const char *text, const char *end,
			const char *limit, int final, const char **at)
{
	struct oom_log *log = ps->log;
	const char *s, *kw = NULL, *kw_from = NULL, *nl;
	size_t kw_nl = 0; /* the '\n's in [kw_from, kw) */

	ps->text = text;
	for (s = *at; s < limit; s = nl ? nl + 1 : end) {
		size_t n, c;

		/* always the first keyword at or after s */
		if (!kw || kw < s) {
			kw_nl = 0;
			kw_from = s;
			kw = kwscan_find(s, end, &kw_nl);
		}
		if (!collecting(ps)) {
			/* on to the keyword's line, only counting the lines before it */
			const char *line = kw, *start;

			/* the scan counted them when it began here: no '\n' lies in [line, kw) */
			if (kw == end && final) {
				/* the last line may have no '\n' */
				count_lines(log, (kw_from == s ? kw_nl : kwscan_newlines(s, end)) +
						 (end[-1] != '\n'));
				s = end;
				break;
			}
			while (line > s && line[-1] != '\n')
				line--;
			if (line >= limit) {
				count_lines(log, kwscan_newlines(s, limit));
				s = limit;
				break;
			}
			/* the keyword may be in a piece of a wrapped line whose start was skipped */
			start = wrapped_start(line, s, end);
			count_lines(log, kw_from == s && start == line ? kw_nl :
					 kwscan_newlines(s, start));
			s = start;
		}
		nl = memchr(s, '\n', (size_t)(end - s));
		n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		count_lines(log, 1);
		c = copy_line(&ps->line, s, n);
		ps->line.no = log->nlines;
		ps->line_at = s;
		c = join_wrapped(ps, s, &nl, end, c);
		parse_records(ps, kw < (nl ? nl : end));
	}
	*at = s;
}

static struct oom_log *parser_init(struct oomor_parser *ps)
{
	memset(ps, 0, sizeof(*ps));
	ps->log = calloc(1, sizeof(*ps->log));
	ps->cur = -1;
	ps->last_uptime = -1;
	ps->boot = 1;
	return ps->log;
}

struct oom_log *oomreport_parse(const char *text, size_t len)
{
	struct oomor_parser parser;
	const char *at;

	if (!parser_init(&parser))
		return NULL;
	if (!text) {
		text = "";
		len = 0;
	}
	at = text;
	parse_lines(&parser, text, text + len, text + len, 1, &at);
	return parser.log;
}

/*
 * The stream's window: the text read but not yet parsed, after the lines parsed last that
 * read_back() and wrapped_start() may look back at. A line is parsed once OOMOR_LOOKAHEAD
 * bytes follow it, more than join_wrapped() looks ahead.
 */
#define OOMOR_LOOKAHEAD ((OOMOR_WRAPS + 1) * LOG_LINE_MAX)
#define OOMOR_KEEP_LINES (OOMOR_READ_BACK + OOMOR_WRAPS)

struct oomreport_stream {
	struct oomor_parser ps;
	char *win;
	size_t len, cap;
	size_t at;   /* where the next line to parse begins in win */
	size_t seen; /* no '\n' in [at, seen): a line longer than the window is not searched twice */
};

struct oomreport_stream *oomreport_stream_new(void)
{
	struct oomreport_stream *st = calloc(1, sizeof(*st));

	if (st && !parser_init(&st->ps)) {
		free(st);
		return NULL;
	}
	return st;
}

/* Parses what the window holds up to limit, then drops what is no longer needed. */
static void stream_parse(struct oomreport_stream *st, size_t limit, int final)
{
	const char *at = st->win + st->at;
	size_t drop;
	int lines = 0;

	parse_lines(&st->ps, st->win, st->win + st->len, st->win + limit, final, &at);
	st->at = (size_t)(at - st->win);
	/* the window keeps OOMOR_KEEP_LINES lines before the next, and drops the rest */
	for (drop = st->at; drop > 0; drop--)
		if (st->win[drop - 1] == '\n' && lines++ == OOMOR_KEEP_LINES)
			break;
	if (drop < 1024 * 1024)
		return; /* not worth a move yet */
	memmove(st->win, st->win + drop, st->len - drop);
	st->len -= drop;
	st->at -= drop;
	st->seen = st->at;
}

char *oomreport_stream_room(struct oomreport_stream *st, size_t want)
{
	if (st->len + want > st->cap) {
		size_t cap = st->cap ? st->cap : 1 << 20;
		char *win;

		while (cap < st->len + want)
			cap *= 2;
		win = realloc(st->win, cap);
		if (!win)
			return NULL;
		st->win = win;
		st->cap = cap;
	}
	return st->win + st->len;
}

void oomreport_stream_add(struct oomreport_stream *st, size_t n)
{
	size_t limit, from;

	st->len += n;
	if (st->len < st->at + 2 * OOMOR_LOOKAHEAD)
		return;
	/* the start of the last line with OOMOR_LOOKAHEAD bytes after it */
	from = st->seen > st->at ? st->seen : st->at;
	for (limit = st->len - OOMOR_LOOKAHEAD; limit > from && st->win[limit - 1] != '\n'; limit--)
		;
	if (limit > from) {
		stream_parse(st, limit, 0);
		st->seen = st->at;
	} else {
		st->seen = st->len - OOMOR_LOOKAHEAD;
	}
}

int oomreport_stream_feed(struct oomreport_stream *st, const char *piece, size_t len)
{
	char *room = oomreport_stream_room(st, len);

	if (!room)
		return -1;
	memcpy(room, piece, len);
	oomreport_stream_add(st, len);
	return 0;
}

struct oom_log *oomreport_stream_log(struct oomreport_stream *st, int *nfinal)
{
	*nfinal = st->ps.log->nevents ? st->ps.log->nevents - 1 : 0;
	return st->ps.log;
}

struct oom_log *oomreport_stream_end(struct oomreport_stream *st)
{
	struct oom_log *log;

	if (!st)
		return NULL;
	if (st->win) /* else nothing was fed */
		stream_parse(st, st->len, 1);
	log = st->ps.log;
	free(st->win);
	free(st);
	return log;
}

void oomreport_free(struct oom_log *log)
{
	int i;

	if (!log)
		return;
	for (i = 0; i < log->nevents; i++) {
		free(log->events[i].tasks);
		free(log->events[i].kills);
	}
	free(log->events);
	free(log);
}
