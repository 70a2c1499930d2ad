// SPDX-License-Identifier: GPL-2.0-only
/* modload.c - the agent loads the kernel modules the host listed, in order, with finit_module(2). */
#include "modload.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* linux/module.h of kernels before 5.17 lacks it; the value is ABI */
#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Loads one module; returns 1 when it failed, so that the caller can count. */
static int load_one(const char *path, modload_report_fn *report, void *arg)
{
	static const char *const compressed[] = MODLOAD_COMPRESSED;
	int flags = 0, err = 0, fd, i;

	if (!*path)
		return 0;
	for (i = 0; compressed[i]; i++)
		if (has_suffix(path, compressed[i]))
			flags = MODULE_INIT_COMPRESSED_FILE;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
	} else {
		/* glibc has no finit_module() wrapper; "" is the module's (empty) parameters */
		if (syscall(SYS_finit_module, fd, "", flags) < 0 && errno != EEXIST)
			err = errno;
		close(fd);
	}
	report(path, err, arg);
	return err != 0;
}

/*
 * The list is read through one buffer of PATH_MAX bytes: complete lines are loaded as they
 * arrive and the unfinished tail moves to the front, so the list may be of any length while
 * memory stays fixed. A line that fills the whole buffer cannot be a path; it is reported
 * once and the rest of it skipped.
 */
int modload_run(const char *list_path, modload_report_fn *report, void *arg)
{
	char buf[PATH_MAX + 1];
	size_t len = 0, start;
	int fd, failed = 0, skipping = 0, eof = 0, err;
	ssize_t n;
	char *nl;

	fd = open(list_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (!eof) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			close(fd);
			errno = err;
			return -1;
		}
		eof = n == 0;
		len += (size_t)n;
		buf[len] = '\0';

		start = 0;
		while ((nl = memchr(buf + start, '\n', len - start))) {
			*nl = '\0';
			if (!skipping)
				failed += load_one(buf + start, report, arg);
			skipping = 0;
			start = (size_t)(nl - buf) + 1;
		}
		memmove(buf, buf + start, len - start);
		len -= start;
		buf[len] = '\0';

		if (eof && len && !skipping) {
			failed += load_one(buf, report, arg); /* a last line without '\n' */
		} else if (len == sizeof(buf) - 1) {
			if (!skipping) {
				report(buf, ENAMETOOLONG, arg);
				failed++;
			}
			skipping = 1;
			len = 0;
		}
	}
	close(fd);
	return failed;
}
