// SPDX-License-Identifier: GPL-2.0-only
/* test_jsontext.c - text that is not UTF-8 reaches JSON escaped, and UTF-8 text unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/jsontext.h"
#include "util.h"

static void expect_escape(const char *in, const char *want)
{
	char *seen = jsontext_escape(in);

	if (strcmp(seen, want))
		fail_msg("escape: expected '%s', seen '%s'", want, seen);
	free(seen);
}

static void bytes_that_are_not_utf8_become_hex(void **state)
{
	expect_escape("gr\xffwer", "gr\\xffwer");
	/* a name cut to 15 bytes inside a character: the lone lead byte */
	expect_escape("abc\xc3", "abc\\xc3");
	/* a lead byte without its continuation: only the lead is escaped */
	expect_escape("\xe2\x82(x", "\\xe2\\x82(x");
	/* overlong forms, a surrogate, beyond U+10FFFF, a stray continuation */
	expect_escape("\xc0\xaf", "\\xc0\\xaf");
	expect_escape("\xe0\x80\xaf", "\\xe0\\x80\\xaf");
	expect_escape("\xed\xa0\x80", "\\xed\\xa0\\x80");
	expect_escape("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	expect_escape("\x80", "\\x80");
}

static void utf8_text_is_kept_as_it_is(void **state)
{
	expect_escape("", "");
	expect_escape("grower", "grower");
	expect_escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7",
		      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7");
	expect_escape("a\\xffb", "a\\xffb"); /* a backslash is text like any other */
	expect_escape("tab\there", "tab\there"); /* JSON escapes control characters itself */
	expect_escape("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"); /* U+10FFFF, the last */
}

/* Fails unless jansson takes s's escaped form, and that form is s itself when it takes s. */
static void check_against_jansson(const unsigned char *s)
{
	json_t *raw = json_string((const char *)s), *esc = jsontext((const char *)s);

	if (!esc)
		fail_msg("expected jansson to take the escaped form of %02x %02x %02x %02x, "
			 "seen it refused", s[0], s[1], s[2], s[3]);
	if (raw && strcmp(json_string_value(esc), (const char *)s))
		fail_msg("expected UTF-8 %02x %02x %02x %02x kept, seen '%s'", s[0], s[1], s[2],
			 s[3], json_string_value(esc));
	json_decref(raw);
	json_decref(esc);
}

/*
 * Against jansson itself, every string of two bytes and every one of three or four bytes
 * built from the boundary bytes of UTF-8: what it accepts is kept byte for byte, and what it
 * refuses becomes text it accepts.
 */
static void agrees_with_jansson_on_every_short_string(void **state)
{
	static const unsigned char edge[] = {
		0x01, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf,
		0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff,
	};
	const size_t ne = sizeof(edge);
	unsigned char s[5];
	size_t a, b, c, d;
	int n = 0;

	for (a = 1; a < 256; a++)
		for (b = 1; b < 256; b++, n++) {
			s[0] = (unsigned char)a, s[1] = (unsigned char)b, s[2] = s[3] = 0;
			check_against_jansson(s);
		}
	for (a = 0; a < ne; a++)
		for (b = 0; b < ne; b++)
			for (c = 0; c < ne; c++)
				for (d = 0; d <= ne; d++, n++) {
					s[0] = edge[a], s[1] = edge[b], s[2] = edge[c];
					s[3] = d < ne ? edge[d] : 0, s[4] = 0;
					check_against_jansson(s);
				}
	assert_true(n > 65000);
}

static void null_is_json_null(void **state)
{
	json_t *j = jsontext(NULL);

	assert_true(json_is_null(j));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bytes_that_are_not_utf8_become_hex),
		cmocka_unit_test(utf8_text_is_kept_as_it_is),
		cmocka_unit_test(agrees_with_jansson_on_every_short_string),
		cmocka_unit_test(null_is_json_null),
	};

	return cmocka_run_group_tests_name("test_jsontext", tests, NULL, NULL);
}
