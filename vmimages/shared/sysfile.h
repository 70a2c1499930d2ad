/* SPDX-License-Identifier: GPL-2.0-only */
/* sysfile.h - the guest's small reads and writes of /proc, /sys and cgroup files. */
#ifndef OOMLAB_SYSFILE_H
#define OOMLAB_SYSFILE_H

#include <sys/types.h>

/*
 * Reads a small file into buf (len bytes, NUL-terminated, trailing newlines and spaces cut);
 * returns the bytes kept, or -1 with errno set.
 */
ssize_t sysfile_read(const char *path, char *buf, size_t len);

/* Writes text to path with one write(2); returns 0 or the errno (the kernel's refusal). */
int sysfile_write(const char *path, const char *text);

#endif
