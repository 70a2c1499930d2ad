// SPDX-License-Identifier: GPL-2.0-only
/* scenario_yaml.c - the scenario parser's first pass: the YAML as a tree of nodes with line:col. */
#include "cells/scenario_parse.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define SC_DEPTH_MAX 32   /* a scenario nests 5 deep; bounds the recursion on fuzzed input */

void sc_node_free(struct sc_node *n)
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
int sc_error(struct sc_ctx *x, struct sc_pos pos, const char *fmt, ...)
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
const char *sc_found(struct sc_ctx *x, const struct sc_node *n)
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
int sc_build_document(struct sc_ctx *x, struct sc_node **root)
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

const struct sc_node *sc_get(const struct sc_node *map, const char *key,
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
int sc_check_keys(struct sc_ctx *x, const struct sc_node *map, const char *where,
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

int sc_require(struct sc_ctx *x, const struct sc_node *map, const char *where,
	       const char *const *keys)
{
	int k;

	for (k = 0; keys[k]; k++)
		if (!sc_get(map, keys[k], NULL))
			return sc_error(x, map->pos, "missing key '%s' %s", keys[k], where);
	return 0;
}

/* n must be a scalar with something written in it; what starts the message. */
int sc_want_text(struct sc_ctx *x, const struct sc_node *n, const char *what)
{
	if (n->kind != SC_SCALAR || !*n->text)
		return sc_error(x, n->pos, "%s, found %s", what, sc_found(x, n));
	return 0;
}

/* A copy of n's text without the trailing newline a folded or literal block leaves. */
char *sc_text_dup(const struct sc_node *n)
{
	size_t len = strlen(n->text);

	while (len && (n->text[len - 1] == '\n' || n->text[len - 1] == ' '))
		len--;
	return xstrndup(n->text, len);
}

int sc_name_ok(const char *s, size_t max)
{
	size_t len = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-");

	return len && len <= max && !s[len];
}

/* Decimal only: YAML 1.1's octal, hex and underscores are more surprise than help here. */
int sc_parse_ll(const char *s, long long *v)
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
int sc_want_int(struct sc_ctx *x, const struct sc_node *n, const char *what,
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
int sc_parse_ms(const char *s, long long *ms)
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

