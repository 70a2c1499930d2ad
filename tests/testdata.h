/* SPDX-License-Identifier: GPL-2.0-only */
/* testdata.h - reads a file of tests/data for a cmocka test (include after cmocka.h). */
#ifndef OOMLAB_TESTDATA_H
#define OOMLAB_TESTDATA_H

#include <stdio.h>
#include <stdlib.h>

/* The test data folder: $OOMLAB_TESTDATA when set, else tests/data (run from the root). */
static inline const char *testdata_dir(void)
{
	const char *dir = getenv("OOMLAB_TESTDATA");

	return dir && *dir ? dir : "tests/data";
}

/*
 * The bytes of tests/data/<name> (or $OOMLAB_TESTDATA/<name>), in a buffer of exactly their
 * length with no NUL after it, so that valgrind and ASan see any read past the end. Fails the
 * test when the file cannot be read. The caller frees the buffer.
 */
static inline char *testdata_read(const char *name, size_t *len)
{
	char path[4096];
	char *buf;
	FILE *f;
	long n = -1;

	snprintf(path, sizeof(path), "%s/%s", testdata_dir(), name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open '%s'", path);
	if (!fseek(f, 0, SEEK_END))
		n = ftell(f);
	if (n < 0 || fseek(f, 0, SEEK_SET))
		fail_msg("cannot size '%s'", path);
	buf = malloc(n ? (size_t)n : 1);
	assert_non_null(buf);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		fail_msg("cannot read '%s'", path);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#endif
