// SPDX-License-Identifier: GPL-2.0-only
/* proto.c - the line format shared by the cell spec, the agent's records and workload reports. */
#include "proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int needs_escape(unsigned char c)
{
	return c <= ' ' || c >= 0x7f || c == '%' || c == '=';
}

/*
 * Escapes len bytes of src into dst (of size dstlen, NUL-terminated). Returns the length
 * written; output that would not fit is cut at a whole escape.
 */
static size_t proto_escape(char *dst, size_t dstlen, const char *src, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0, i;

	if (!dstlen)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];

		if (needs_escape(c)) {
			if (o + 3 >= dstlen)
				break;
			dst[o++] = '%';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		} else {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = (char)c;
		}
	}
	dst[o] = '\0';
	return o;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes %XX in place. Returns 0, or -1 on a bad escape. */
static int unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '%') {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);

			if (hi < 0 || lo < 0)
				return -1;
			*o++ = (char)(hi << 4 | lo);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return 0;
}

static char *next_token(char **p)
{
	char *s = *p, *e;

	while (*s == ' ')
		s++;
	if (!*s)
		return NULL;
	e = s;
	while (*e && *e != ' ')
		e++;
	if (*e)
		*e++ = '\0';
	*p = e;
	return s;
}

static int parse_long(const char *s, long *v)
{
	char *end;

	if (!*s)
		return -1;
	*v = strtol(s, &end, 10);
	return *end ? -1 : 0;
}

int proto_split(char *line, struct proto_line *out)
{
	char *p = line, *tok;
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	out->seq = -1;
	out->ms = -1;
	out->nkv = 0;
	tok = next_token(&p);
	if (!tok)
		return -1;
	if (tok[0] == '@') {
		char *ms = next_token(&p);

		if (parse_long(tok + 1, &out->seq) || !ms || parse_long(ms, &out->ms))
			return -1;
		tok = next_token(&p);
		if (!tok)
			return -1;
	}
	if (strchr(tok, '=') || unescape(tok))
		return -1;
	out->word = tok;
	while ((tok = next_token(&p))) {
		char *eq = strchr(tok, '=');

		if (!eq || eq == tok || out->nkv == PROTO_KV_MAX)
			return -1;
		*eq = '\0';
		if (unescape(eq + 1))
			return -1;
		out->kv[out->nkv].key = tok;
		out->kv[out->nkv].val = eq + 1;
		out->nkv++;
	}
	return 0;
}

const char *proto_get(const struct proto_line *l, const char *key)
{
	int i;

	for (i = 0; i < l->nkv; i++)
		if (!strcmp(l->kv[i].key, key))
			return l->kv[i].val;
	return NULL;
}

long long proto_getll(const struct proto_line *l, const char *key, long long dflt)
{
	const char *v = proto_get(l, key);
	char *end;
	long long n;

	if (!v || !*v)
		return dflt;
	n = strtoll(v, &end, 10);
	return *end ? dflt : n;
}

int proto_add(char *buf, size_t buflen, const char *key, const char *val)
{
	size_t len = strlen(buf), klen = strlen(key), vlen = strlen(val), need = 0, i;

	/* a value cut short would silently change meaning: refuse instead */
	for (i = 0; i < vlen; i++)
		need += needs_escape((unsigned char)val[i]) ? 3 : 1;
	if (len + 1 + klen + 1 + need + 1 > buflen)
		return -1;
	buf[len] = ' ';
	memcpy(buf + len + 1, key, klen);
	buf[len + 1 + klen] = '=';
	proto_escape(buf + len + 2 + klen, buflen - len - 2 - klen, val, vlen);
	return 0;
}

int proto_addll(char *buf, size_t buflen, const char *key, long long val)
{
	char num[24];

	snprintf(num, sizeof(num), "%lld", val);
	return proto_add(buf, buflen, key, num);
}

int proto_parse_size(const char *s, unsigned long long *bytes)
{
	unsigned long long v = 0, mult = 1;
	const char *p = s;

	if (!s || *s < '0' || *s > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (~0ULL - 9) / 10)
			return -1;
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	switch (*p) {
	case 'k': case 'K': mult = 1ULL << 10; p++; break;
	case 'm': case 'M': mult = 1ULL << 20; p++; break;
	case 'g': case 'G': mult = 1ULL << 30; p++; break;
	case 't': case 'T': mult = 1ULL << 40; p++; break;
	}
	if (mult > 1 && *p == 'i' && p[1] == 'B')
		p += 2;
	else if (*p == 'B')
		p++;
	if (*p)
		return -1;
	if (v && mult > ~0ULL / v)
		return -1;
	*bytes = v * mult;
	return 0;
}
