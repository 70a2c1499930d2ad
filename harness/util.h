/* SPDX-License-Identifier: GPL-2.0-only */
/* util.h - error reporting, checked allocation and small string helpers for the host tool. */
#ifndef OOMLAB_UTIL_H
#define OOMLAB_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#include "shared/proto.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Three levels, as in git: error() prints "error: ..." to stderr and returns -1 for the caller
 * to pass on; die() prints "fatal: ..." and exits with status 2 (usage and set-up errors);
 * BUG() is for broken invariants and aborts.
 */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int error_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void die_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
#define BUG(...) bug_fl(__FILE__, __LINE__, __VA_ARGS__)
void bug_fl(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *arr (of *alloc elements of size elsize) so that it holds at least nr elements. */
#define ALLOC_GROW(arr, nr, alloc) \
	do { \
		if ((size_t)(nr) > (size_t)(alloc)) { \
			(alloc) = (alloc) ? (alloc) * 2 : 8; \
			if ((size_t)(alloc) < (size_t)(nr)) \
				(alloc) = (nr); \
			(arr) = xrealloc((arr), (size_t)(alloc) * sizeof(*(arr))); \
		} \
	} while (0)

/* A growable NUL-terminated byte buffer. */
struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};
#define STRBUF_INIT { NULL, 0, 0 }
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void strbuf_reset(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/* Returns the buffer (never NULL) and leaves sb empty; the caller frees it. */
char *strbuf_detach(struct strbuf *sb);

/* Reads a whole file into sb (appending). Returns 0, or -1 with errno set. */
int strbuf_read_file(struct strbuf *sb, const char *path);
/* The same for the file name in the folder dir. */
int strbuf_read_file_in(struct strbuf *sb, const char *dir, const char *name);

/*
 * Writes data to path atomically: a temporary file beside it, fsync, rename. Returns 0, or
 * -1 after printing an error naming the path.
 */
int write_file_atomic(const char *path, const void *data, size_t len);

/* Whether an executable prog is in one of PATH's folders (/usr/bin:/bin without PATH). */
int in_path(const char *prog);

/*
 * Runs argv (argv[0] looked up in PATH) in the folder dir (NULL: here) and waits for it; its
 * standard output is appended to out (its standard error stays ours). Returns its exit
 * status, 128 + the signal that ended it, or -1 after printing why it could not run.
 */
int run_capture(const char *const *argv, const char *dir, struct strbuf *out);

/* mkdir -p. Returns 0, or -1 with errno set. */
int mkdir_p(const char *path, int mode);

/* Monotonic clock in seconds. */
double now_s(void);

/* Parses a size such as "512M" or "4096": see proto_parse_size(). */
static inline int parse_size(const char *s, unsigned long long *bytes)
{
	return proto_parse_size(s, bytes);
}

#endif
