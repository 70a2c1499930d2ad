/* scenario.c - a scenario YAML document to struct scenario, every error with its line:col. */
#include "cells/scenario.h"
#include "shared/proto.h"
#include "guest/spec.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/*
 * Two passes. libyaml's events are first folded into a small tree of nodes, each keeping its
 * mark, so that the checks can look keys up in any order and still point at the line:col of
 * the node they reject. Building the tree already refuses what no scenario may hold: aliases,
 * non-scalar keys, duplicate keys, a second document. The second pass walks the tree into a
 * struct scenario, checking every field against the contract in scenario.h, and ends with the
 * rule coverage check over all cells.
 *
 * Every check returns -1 at the first error and the whole parse stops there: one precise
 * message is worth more than a cascade of consequences.
 */

#define SC_DEPTH_MAX 32   /* a scenario nests 5 deep; bounds the recursion on fuzzed input */
#define SC_CELLS_MAX 4096 /* each cell boots a VM: more is a mistake, and it bounds coverage */
#define SC_QUOTE_MAX 40   /* longer scalars are cut in messages */

static const struct sc_known_sysctl sc_sysctls[] = {
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
static const struct sc_known_knob sc_knobs[] = {
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
	int major = 0, minor = 0, cmp;

	if (!r->kernel_op)
		return 1;
	if (!release || sscanf(release, "%d.%d", &major, &minor) != 2)
		return 0;
	cmp = major != r->kernel_major ? major - r->kernel_major : minor - r->kernel_minor;
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

/* The node tree */

enum sc_kind {
	SC_SCALAR,
	SC_SEQ,
	SC_MAP,
};

struct sc_node {
	enum sc_kind kind;
	struct sc_pos pos;
	char *text; /* scalar: the value; NUL bytes are refused, so C strings suffice */
	int plain;  /* scalar: unquoted, so that an empty one means nothing was written */
	struct sc_node **kids; /* sequence: items; mapping: key, value, key, value, ... */
	int nkids;
	int alloc;
};

struct sc_ctx {
	const char *path;
	const char *text;
	size_t len;
	char *err;
	size_t errlen;
	char found[SC_QUOTE_MAX * 4 + 16];
	yaml_parser_t parser;
};

static void sc_node_free(struct sc_node *n)
{
	int i;

	if (!n)
		return;
	for (i = 0; i < n->nkids; i++)
		sc_node_free(n->kids[i]);
	free(n->kids);
	free(n->text);
	free(n);
}

static struct sc_pos sc_mark(yaml_mark_t m)
{
	struct sc_pos pos = { (int)m.line + 1, (int)m.column + 1 };

	return pos;
}

__attribute__((format(printf, 3, 4)))
static int sc_error(struct sc_ctx *x, struct sc_pos pos, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (x->errlen)
		snprintf(x->err, x->errlen, "%s:%d:%d: %s", x->path, pos.line, pos.col, msg);
	return -1;
}

/* What a node is, for the "found ..." half of a message; valid until the next call. */
static const char *sc_found(struct sc_ctx *x, const struct sc_node *n)
{
	const unsigned char *s;
	char *o = x->found;
	int i;

	if (n->kind == SC_MAP)
		return n->nkids ? "a mapping" : "an empty mapping";
	if (n->kind == SC_SEQ)
		return n->nkids ? "a list" : "an empty list";
	if (n->plain && !*n->text)
		return "nothing";
	/* Quoted and on one line: a message must stay one line even for a block scalar. */
	*o++ = '\'';
	for (s = (const unsigned char *)n->text, i = 0; *s && i < SC_QUOTE_MAX; s++, i++) {
		if (*s == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (*s < 0x20 || *s == 0x7f) {
			o += sprintf(o, "\\x%02x", *s);
		} else {
			*o++ = (char)*s;
		}
	}
	if (*s)
		o += sprintf(o, "...");
	*o++ = '\'';
	*o = '\0';
	return x->found;
}

/* A reader error (bad UTF-8, control characters) has an offset but no mark. */
static struct sc_pos sc_offset_pos(struct sc_ctx *x, size_t off)
{
	struct sc_pos pos = { 1, 1 };
	size_t i;

	for (i = 0; i < off && i < x->len; i++) {
		if (x->text[i] == '\n') {
			pos.line++;
			pos.col = 1;
		} else {
			pos.col++;
		}
	}
	return pos;
}

static int sc_yaml_error(struct sc_ctx *x)
{
	yaml_parser_t *p = &x->parser;
	const char *problem = p->problem ? p->problem : "invalid YAML";
	struct sc_pos pos, at;

	if (p->error == YAML_MEMORY_ERROR)
		die("out of memory parsing '%s'", x->path);
	if (p->error == YAML_READER_ERROR) {
		pos = sc_offset_pos(x, p->problem_offset);
		if (p->problem_value != -1)
			return sc_error(x, pos, "%s, found byte 0x%02x", problem,
					(unsigned)p->problem_value);
		return sc_error(x, pos, "%s", problem);
	}
	pos = sc_mark(p->problem_mark);
	if (p->context) {
		at = sc_mark(p->context_mark);
		return sc_error(x, pos, "%s (%s at %d:%d)", problem, p->context, at.line, at.col);
	}
	return sc_error(x, pos, "%s", problem);
}

static int sc_next_event(struct sc_ctx *x, yaml_event_t *ev)
{
	if (yaml_parser_parse(&x->parser, ev))
		return 0;
	return sc_yaml_error(x);
}

static struct sc_node *sc_node_new(enum sc_kind kind, yaml_mark_t mark)
{
	struct sc_node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->pos = sc_mark(mark);
	return n;
}

/* A key just appended to map: it must be a scalar no earlier key spells. */
static int sc_check_new_key(struct sc_ctx *x, const struct sc_node *map, const struct sc_node *k)
{
	int i;

	if (k->kind != SC_SCALAR)
		return sc_error(x, k->pos, "expected a scalar key, found %s", sc_found(x, k));
	for (i = 0; i + 2 < map->nkids; i += 2)
		if (!strcmp(map->kids[i]->text, k->text))
			return sc_error(x, k->pos, "duplicate key '%s' (first at %d:%d)", k->text,
					map->kids[i]->pos.line, map->kids[i]->pos.col);
	return 0;
}

/*
 * Builds the node that ev starts into *out. On error *out may hold a partial tree, which the
 * caller frees like a whole one. ev stays the caller's to delete.
 */
static int sc_build(struct sc_ctx *x, yaml_event_t *ev, int depth, struct sc_node **out)
{
	struct sc_node *n;
	int is_map;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return sc_error(x, sc_mark(ev->start_mark),
				"expected a value, found alias '*%s' (aliases are not supported)",
				(const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		if (memchr(ev->data.scalar.value, 0, ev->data.scalar.length))
			return sc_error(x, sc_mark(ev->start_mark),
					"expected text, found a NUL character");
		n = sc_node_new(SC_SCALAR, ev->start_mark);
		n->text = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		*out = n;
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		break;
	default:
		BUG("unexpected YAML event %d", (int)ev->type);
	}

	if (depth >= SC_DEPTH_MAX)
		return sc_error(x, sc_mark(ev->start_mark),
				"expected at most %d levels of nesting, found more", SC_DEPTH_MAX);
	is_map = ev->type == YAML_MAPPING_START_EVENT;
	n = sc_node_new(is_map ? SC_MAP : SC_SEQ, ev->start_mark);
	*out = n;
	for (;;) {
		struct sc_node *kid = NULL;
		yaml_event_t kev;
		int rc;

		if (sc_next_event(x, &kev))
			return -1;
		if (kev.type == YAML_SEQUENCE_END_EVENT || kev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&kev);
			return 0;
		}
		rc = sc_build(x, &kev, depth + 1, &kid);
		yaml_event_delete(&kev);
		if (kid) {
			ALLOC_GROW(n->kids, n->nkids + 1, n->alloc);
			n->kids[n->nkids++] = kid;
		}
		if (rc)
			return -1;
		if (is_map && n->nkids % 2 && sc_check_new_key(x, n, kid))
			return -1;
	}
}

/* The one document of the stream into *root. */
static int sc_build_document(struct sc_ctx *x, struct sc_node **root)
{
	struct sc_pos pos = { 1, 1 };
	yaml_event_t ev;
	int rc;

	if (sc_next_event(x, &ev)) /* stream start */
		return -1;
	yaml_event_delete(&ev);
	if (sc_next_event(x, &ev))
		return -1;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return sc_error(x, pos, "expected a scenario, found an empty document");
	}
	yaml_event_delete(&ev); /* document start */
	if (sc_next_event(x, &ev))
		return -1;
	rc = sc_build(x, &ev, 0, root);
	yaml_event_delete(&ev);
	if (rc || sc_next_event(x, &ev)) /* document end */
		return -1;
	yaml_event_delete(&ev);
	if (sc_next_event(x, &ev))
		return -1;
	if (ev.type != YAML_STREAM_END_EVENT) {
		pos = sc_mark(ev.start_mark);
		yaml_event_delete(&ev);
		return sc_error(x, pos, "expected one document, found a second one");
	}
	yaml_event_delete(&ev);
	return 0;
}

/* Tree helpers */

static const struct sc_node *sc_get(const struct sc_node *map, const char *key,
				    const struct sc_node **keynode)
{
	int i;

	for (i = 0; i + 1 < map->nkids; i += 2) {
		if (!strcmp(map->kids[i]->text, key)) {
			if (keynode)
				*keynode = map->kids[i];
			return map->kids[i + 1];
		}
	}
	return NULL;
}

/* Refuses any key of map not in keys (NULL-terminated); where is "in vm", "at the top level". */
static int sc_check_keys(struct sc_ctx *x, const struct sc_node *map, const char *where,
			 const char *const *keys)
{
	struct strbuf sb = STRBUF_INIT;
	int i, k;

	for (i = 0; i + 1 < map->nkids; i += 2) {
		for (k = 0; keys[k]; k++)
			if (!strcmp(map->kids[i]->text, keys[k]))
				break;
		if (keys[k])
			continue;
		for (k = 0; keys[k]; k++)
			strbuf_addf(&sb, "%s%s", k ? ", " : "", keys[k]);
		sc_error(x, map->kids[i]->pos, "unknown key '%s' %s (expected %s)",
			 map->kids[i]->text, where, sb.buf);
		strbuf_release(&sb);
		return -1;
	}
	return 0;
}

static int sc_require(struct sc_ctx *x, const struct sc_node *map, const char *where,
		      const char *const *keys)
{
	int k;

	for (k = 0; keys[k]; k++)
		if (!sc_get(map, keys[k], NULL))
			return sc_error(x, map->pos, "missing key '%s' %s", keys[k], where);
	return 0;
}

/* n must be a scalar with something written in it; what starts the message. */
static int sc_want_text(struct sc_ctx *x, const struct sc_node *n, const char *what)
{
	if (n->kind != SC_SCALAR || !*n->text)
		return sc_error(x, n->pos, "%s, found %s", what, sc_found(x, n));
	return 0;
}

/* A copy of n's text without the trailing newline a folded or literal block leaves. */
static char *sc_text_dup(const struct sc_node *n)
{
	size_t len = strlen(n->text);

	while (len && (n->text[len - 1] == '\n' || n->text[len - 1] == ' '))
		len--;
	return xstrndup(n->text, len);
}

static int sc_name_ok(const char *s, size_t max)
{
	size_t len = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-");

	return len && len <= max && !s[len];
}

/* Decimal only: YAML 1.1's octal, hex and underscores are more surprise than help here. */
static int sc_parse_ll(const char *s, long long *v)
{
	unsigned long long acc = 0, lim = LLONG_MAX;
	int neg = *s == '-';

	if (*s == '-' || *s == '+')
		s++;
	if (neg)
		lim++;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (acc > (lim - (unsigned long long)(*s - '0')) / 10)
			return -1;
		acc = acc * 10 + (unsigned long long)(*s - '0');
	}
	*v = neg ? (long long)(0 - acc) : (long long)acc;
	return 0;
}

/* n as an integer in min..max; what names it ("'vm.swappiness'", "vm.cpus"). */
static int sc_want_int(struct sc_ctx *x, const struct sc_node *n, const char *what,
		       long long min, long long max, long long *out)
{
	long long v;

	if (n->kind != SC_SCALAR || sc_parse_ll(n->text, &v))
		return sc_error(x, n->pos, "%s takes %lld..%lld, found %s", what, min, max,
				sc_found(x, n));
	if (v < min || v > max)
		return sc_error(x, n->pos, "%s takes %lld..%lld, found %lld", what, min, max, v);
	*out = v;
	return 0;
}

/* "60s", "1500ms", "2m" */
static int sc_parse_ms(const char *s, long long *ms)
{
	long long v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > 1000000000000LL) /* far past any limit, and far from overflow */
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (!strcmp(p, "ms"))
		*ms = v;
	else if (!strcmp(p, "s"))
		*ms = v * 1000;
	else if (!strcmp(p, "m"))
		*ms = v * 60000;
	else
		return -1;
	return 0;
}

/* A sysctl key node and its value node (an integer in the sysctl's range). */
static int sc_want_sysctl(struct sc_ctx *x, const struct sc_node *key,
			  const struct sc_known_sysctl **known)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	*known = sc_known_sysctl(key->text);
	if (*known)
		return 0;
	for (i = 0; i < ARRAY_SIZE(sc_sysctls); i++)
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

/* A knob's value as written: sizes and max for limits, ints (or max) for counts, 0/1. */
static int sc_knob_value(const struct sc_known_knob *k, const struct sc_node *n, long long *v)
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

static int sc_want_knob_value(struct sc_ctx *x, const struct sc_known_knob *k,
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
	for (i = 0; i < ARRAY_SIZE(sc_knobs); i++)
		if (sc_knobs[i].cgroup == cg)
			strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", sc_knobs[i].key);
	sc_error(x, key->pos, "unknown cgroup %s knob '%s' (expected one of %s)",
		 sc_cgroup_name(cg), key->text, sb.buf);
	strbuf_release(&sb);
	return -1;
}

/* groups: a mapping of group names to mappings of knobs; a nested group after its parent. */
static int sc_parse_groups(struct sc_ctx *x, const struct sc_node *key, const struct sc_node *map,
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
static int sc_group_knob(struct sc_ctx *x, const struct sc_node *k, const struct scenario *sc,
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
static int sc_counter_path(struct sc_ctx *x, const struct sc_node *k, const struct scenario *sc,
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
static int sc_parse_changes(struct sc_ctx *x, const struct sc_node *key, const struct sc_node *list,
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
static int sc_check_leaf(struct sc_ctx *x, const struct sc_node *n, const struct scenario *sc,
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
static int sc_parse_start(struct sc_ctx *x, const struct sc_node *list, int i,
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

	n = sc_get(wn, "program", NULL);
	if (n->kind != SC_SCALAR || !sc_name_ok(n->text, PROTO_PROGRAM_MAX - 1))
		return sc_error(x, n->pos, "program takes a program name of 1..%d of [a-z0-9_-], "
				"found %s", PROTO_PROGRAM_MAX - 1, sc_found(x, n));
	w->program = xstrdup(n->text);

	n = sc_get(wn, "args", NULL);
	if (n && n->kind != SC_SEQ)
		return sc_error(x, n->pos, "args takes a list of strings, found %s",
				sc_found(x, n));
	if (n && n->nkids > PROTO_MAX_ARGS - 1)
		return sc_error(x, n->kids[PROTO_MAX_ARGS - 1]->pos, "args takes at most %d "
				"arguments (the agent's limit: %d with the program's own name), "
				"found %d", PROTO_MAX_ARGS - 1, PROTO_MAX_ARGS, n->nkids);
	w->args = xcalloc(n ? (size_t)n->nkids + 1 : 1, sizeof(*w->args));
	for (j = 0; n && j < n->nkids; j++) {
		const struct sc_node *a = n->kids[j];

		if (a->kind != SC_SCALAR || (a->plain && !*a->text))
			return sc_error(x, a->pos, "args takes strings, found %s", sc_found(x, a));
		w->args[w->nargs++] = xstrdup(a->text);
	}

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

/*
 * A matrix key: a known sysctl, GROUP/KNOB for a knob of a declared group that the group does
 * not also fix, or WORKLOAD/oom_score_adj for a workload that does not fix its own. Fills the
 * axis's key, group and knob, or workload.
 */
static int sc_axis_key(struct sc_ctx *x, const struct sc_node *k_node, struct scenario *sc,
		       struct sc_axis *ax)
{
	const struct sc_known_sysctl *known;
	const char *slash = strrchr(k_node->text, '/');
	int j;

	ax->group = -1;
	ax->workload = -1;
	if (slash && !strcmp(slash + 1, "oom_score_adj")) {
		for (j = 0; j < sc->nworkloads; j++)
			if (strlen(sc->workloads[j].name) == (size_t)(slash - k_node->text) &&
			    !strncmp(sc->workloads[j].name, k_node->text,
				     (size_t)(slash - k_node->text)))
				break;
		if (j == sc->nworkloads)
			return sc_error(x, k_node->pos, "'%s' names no workload of this scenario",
					k_node->text);
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
static int sc_axis_value(const struct sc_axis *ax, const struct sc_node *n, long long *v)
{
	if (ax->knob)
		return sc_knob_value(ax->knob, n, v);
	return n->kind == SC_SCALAR ? sc_parse_ll(n->text, v) : -1;
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
			if (!r->kernel_op || sscanf(t, "%d.%d%n", &r->kernel_major,
						    &r->kernel_minor, &n) != 2 || t[n])
				return sc_error(x, v_node->pos, "kernel takes a release range such "
						"as \">=6.12\" or \"<6.12\", found %s",
						sc_found(x, v_node));
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
		"when", "panic", "killed", "enomem", "refused", "reports", "counters", "why", NULL
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
	} else if (!killed && !enomem && !r->refused_key && !r->nreports && !r->ncounters) {
		return sc_error(x, rn->pos, "a rule needs panic, killed, enomem, refused, reports "
				"or counters, found none");
	}
	if (killed) {
		r->has_killed = 1;
		if (sc_parse_names(x, killed, "killed", sc, &r->killed, &r->nkilled))
			return -1;
	}
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

/* Every cell takes a rule, and every rule is the first match of some cell. */
static int sc_check_coverage(struct sc_ctx *x, const struct sc_node *expect_key,
			     const struct scenario *sc)
{
	int *vi = xcalloc((size_t)sc->naxes + 1, sizeof(*vi));
	int *used = xcalloc((size_t)sc->nrules, sizeof(*used));
	int r, rc = 0;

	do {
		r = sc_rule_for(sc, vi);
		if (r < 0) {
			char *params = sc_cell_params(sc, vi);

			rc = sc_error(x, expect_key->pos, "no rule for cell %s", params);
			free(params);
			goto out;
		}
		used[r] = 1;
	} while (sc_cell_next(sc, vi));
	/* a kernel-range rule is used when, on its kernels, it is the first match of a cell */
	for (r = 0; r < sc->nrules; r++) {
		if (used[r] || !sc->rules[r].kernel_op)
			continue;
		memset(vi, 0, (size_t)sc->naxes * sizeof(*vi));
		do {
			struct sc_rule *rr = &sc->rules[r];
			char release[32];
			int first;

			snprintf(release, sizeof(release), "%d.%d", rr->kernel_op == '>' ?
				 rr->kernel_major : rr->kernel_minor ? rr->kernel_major :
				 rr->kernel_major - 1, rr->kernel_op == '>' ? rr->kernel_minor :
				 rr->kernel_minor ? rr->kernel_minor - 1 : 99);
			first = sc_rule_for_release(sc, vi, release);
			used[r] |= first == r;
		} while (!used[r] && sc_cell_next(sc, vi));
	}
	for (r = 0; r < sc->nrules; r++) {
		if (!used[r]) {
			rc = sc_error(x, sc->rules[r].pos, "rule covers no cell (every cell it "
				      "matches takes an earlier rule)");
			goto out;
		}
	}
out:
	free(vi);
	free(used);
	return rc;
}

static int sc_parse_expect(struct sc_ctx *x, const struct sc_node *key, const struct sc_node *list,
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

/* Every cell writes the same knob lines: the groups' own, then the knob axes. */
static int sc_check_knob_count(struct sc_ctx *x, const struct scenario *sc)
{
	int g, k, a, n = 0;

	for (g = 0; g < sc->ngroups; g++) {
		for (k = 0; k < sc->groups[g].nknobs + sc->naxes; k++) {
			struct sc_pos pos;

			if (k < sc->groups[g].nknobs)
				pos = sc->groups[g].knobs[k].pos;
			else if (sc->axes[k - sc->groups[g].nknobs].group == g)
				pos = sc->axes[k - sc->groups[g].nknobs].pos;
			else
				continue;
			if (++n <= PROTO_MAX_KNOBS)
				continue;
			for (g = 0, n = 0; g < sc->ngroups; g++)
				n += sc->groups[g].nknobs;
			for (a = 0; a < sc->naxes; a++)
				n += sc->axes[a].group >= 0;
			return sc_error(x, pos, "a cell takes at most %d knobs (the agent's limit), "
					"found %d", PROTO_MAX_KNOBS, n);
		}
	}
	return 0;
}

/* Where the part of the scenario that wrote a spec line is, and what to call it. */
static struct sc_pos sc_spec_part(const struct sc_node *root, const struct scenario *sc,
				  const struct spec_misfit *m, const char **what)
{
	const struct sc_node *key = NULL, *list, *args;

	switch (m->part) {
	case SPEC_PART_GROUP:
		*what = "this group's lines";
		return sc->groups[m->index].pos;
	case SPEC_PART_CHANGE:
		*what = "this change's line";
		return sc->changes[m->index].pos;
	case SPEC_PART_WORKLOAD:
		*what = "this workload's line";
		list = sc_get(root, "workloads", NULL);
		args = sc_get(list->kids[m->index], "args", NULL);
		if (m->arg >= 0 && !m->whole)
			return args->kids[m->arg]->pos;
		return sc->workloads[m->index].pos;
	case SPEC_PART_CELL:
		break;
	}
	*what = "the cell's own lines";
	sc_get(root, sc->naxes ? "matrix" : "scenario", &key);
	return key->pos;
}

/*
 * Every cell's spec as the agent would read it: no line past PROTO_LINE_MAX, the whole within
 * the buffer the agent reads /cell.spec into. The cell's id there is its id within the kernel
 * (run.c adds the kernel's name, a few bytes more).
 */
static int sc_check_spec(struct sc_ctx *x, const struct sc_node *root, const struct scenario *sc)
{
	int *vi = xcalloc((size_t)sc->naxes + 1, sizeof(*vi)), rc = 0;

	do {
		char *params = sc_cell_params(sc, vi);
		char *id = sc->naxes ? xasprintf("%s/%s", sc->name, params) : xstrdup(sc->name);
		struct spec_misfit m;
		char *spec = spec_cell(sc, vi, id, &m);
		const char *what;
		struct sc_pos pos;

		if (!spec) {
			pos = sc_spec_part(root, sc, &m, &what);
			if (m.whole)
				rc = sc_error(x, pos, "a cell spec takes at most %d bytes (the agent "
					      "reads /cell.spec into %d KiB), found %zu in cell '%s' "
					      "with %s", PROTO_SPEC_MAX - 1, PROTO_SPEC_MAX >> 10,
					      m.bytes, id, what);
			else if (m.part == SPEC_PART_WORKLOAD && m.arg >= 0)
				rc = sc_error(x, pos, "a workload's spec line takes at most %d bytes "
					      "(the agent's line limit), found %zu with this argument",
					      PROTO_LINE_MAX - 1, m.bytes);
			else
				rc = sc_error(x, pos, "a spec line takes at most %d bytes (the "
					      "agent's line limit), found %zu in cell '%s' in %s",
					      PROTO_LINE_MAX - 1, m.bytes, id, what);
		}
		free(spec);
		free(id);
		free(params);
	} while (!rc && sc_cell_next(sc, vi));
	free(vi);
	return rc;
}

/*
 * The programs of workloads/ end in wl_hold(): once done they hold what they have until they
 * are killed, unless given --exit. (stress-ng ends by its own --timeout.)
 */
static const char *const sc_holders[] = {
	"bigmm", "diskfill", "pagecache", "pidfill", "shmhog", "slowleak", "swapeat",
};

static int sc_holds_forever(const struct sc_workload *w)
{
	size_t i;
	int a;

	for (a = 0; a < w->nargs; a++)
		if (!strcmp(w->args[a], "--exit"))
			return 0;
	for (i = 0; i < ARRAY_SIZE(sc_holders); i++)
		if (!strcmp(sc_holders[i], w->program))
			return 1;
	return 0;
}

/*
 * stop: exited ends a cell when every workload has exited. A workload that holds until killed,
 * in the cells of a rule that says who is killed and leaves it out (no panic, no refused
 * hierarchy ending the cell first), can only end at the deadline: the cell would cost all of
 * it and then be BROK. Where the rule does not say who is killed, nothing is known.
 */
static int sc_check_stop_exited(struct sc_ctx *x, const struct sc_node *stop,
				const struct scenario *sc)
{
	int r, w, k;

	if (sc->stop != SC_STOP_EXITED)
		return 0;
	for (r = 0; r < sc->nrules; r++) {
		const struct sc_rule *rule = &sc->rules[r];

		if (rule->panic || !rule->has_killed ||
		    (rule->refused_key && !strcmp(rule->refused_key, "cgroup")))
			continue;
		for (w = 0; w < sc->nworkloads; w++) {
			const struct sc_workload *wl = &sc->workloads[w];

			for (k = 0; k < rule->nkilled; k++)
				if (!strcmp(rule->killed[k], wl->name))
					break;
			if (k < rule->nkilled || !sc_holds_forever(wl))
				continue;
			return sc_error(x, stop->pos, "stop: exited takes workloads that exit, found "
					"'%s' (%s without --exit, at %d:%d), which holds until "
					"killed, and the rule at %d:%d has it live: give it --exit, "
					"or stop: settled", wl->name, wl->program, wl->pos.line,
					wl->pos.col, rule->pos.line, rule->pos.col);
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
		"groups", "changes", "workloads", "matrix", "expect", NULL
	};
	static const char *const need[] = {
		"scenario", "description", "vm", "deadline", "workloads", "expect", NULL
	};
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
	    sc_require(x, root, "at the top level", need))
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

	if (sc_parse_vm(x, sc_get(root, "vm", NULL), sc))
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
	if (sc_parse_workloads(x, sc_get(root, "workloads", NULL), sc))
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
