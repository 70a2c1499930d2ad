/* SPDX-License-Identifier: GPL-2.0-only */
/* jsontext.h - text from outside oomlab (the guest, the kernel log, paths) as JSON strings. */
#ifndef OOMLAB_JSONTEXT_H
#define OOMLAB_JSONTEXT_H

#include <jansson.h>
#include <string.h>

/*
 * JSON strings are UTF-8, and jansson refuses any other bytes: a json_pack() holding one
 * returns NULL. Text that oomlab did not write itself can hold such bytes (a process may
 * name itself anything, and a name cut to 15 bytes can end inside a character), so every
 * such text reaches JSON through these functions. A byte that does not belong to a
 * well-formed UTF-8 sequence becomes the four characters \xNN (two lowercase hex digits),
 * the form the kernel's /dev/kmsg gives bytes it will not print; everything else, a
 * backslash included, is kept as it is, so text that was UTF-8 reads as before.
 * docs/RESULTS.md says so for readers of run.json.
 */

/* s with each byte that is not UTF-8 written as \xNN. Never NULL; the caller frees. */
char *jsontext_escape(const char *s);

/*
 * A new JSON string of s, escaped as above; JSON null for a NULL s. Returns NULL only when
 * jansson cannot allocate, so a json_pack() given it fails and its caller must say so.
 */
json_t *jsontext(const char *s);

/* The string member key of o, or "" when o lacks it or it is no string (o may be NULL) */
static inline const char *json_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* The object in o's array whose string key is value ("kernels", "tag", "debian:6.1"), or NULL */
static inline const json_t *json_named(const json_t *o, const char *array, const char *key,
				       const char *value)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(o, array), i, e)
		if (!strcmp(json_str(e, key), value))
			return e;
	return NULL;
}

#endif
