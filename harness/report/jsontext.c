// SPDX-License-Identifier: GPL-2.0-only
/* jsontext.c - text from outside oomlab (the guest, the kernel log, paths) as JSON strings. */
#include "report/jsontext.h"

#include <stdlib.h>

#include "util.h"

/*
 * The length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF; what jansson accepts), or 0 when s does not start one.
 */
static int utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	int n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* the second byte's range excludes overlong forms, surrogates and beyond U+10FFFF */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

char *jsontext_escape(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct strbuf sb = STRBUF_INIT;

	while (*p) {
		int n = utf8_len(p);

		if (n) {
			strbuf_add(&sb, p, (size_t)n);
			p += n;
		} else {
			strbuf_addf(&sb, "\\x%02x", *p++);
		}
	}
	return strbuf_detach(&sb);
}

json_t *jsontext(const char *s)
{
	char *text;
	json_t *j;

	if (!s)
		return json_null();
	text = jsontext_escape(s);
	j = json_string(text);
	free(text);
	return j;
}
