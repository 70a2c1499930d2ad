/* SPDX-License-Identifier: GPL-2.0-only */
/* logline.h - a kernel log line as a tool wrote it: its prefixes stripped, its time stamp kept. */
#ifndef OOMLAB_LOGLINE_H
#define OOMLAB_LOGLINE_H

#include <limits.h>
#include <stddef.h>
#include <string.h>

/*
 * The OOM report parser (oomreport.c) reads a log line by line, each line copied, bounded and
 * NUL-terminated. Here each line loses its prefixes: the /dev/kmsg header, "<4>",
 * "[ 12.345678]", a dmesg -T clock, a caller id "[ T123]" and "<clock> <host> kernel: ", in
 * any order a log shipper may have stacked them. The first time stamp met is kept. What
 * remains is the kernel's message, for the report's matchers.
 */

#define LOG_LINE_MAX 8192

struct log_line {
	char buf[LOG_LINE_MAX];
	const char *msg; /* buf after the prefixes */
	char time[40];
	double uptime;
	int caller_tid; /* CONFIG_PRINTK_CALLER's "[T123]": the task that printed; 0 if none */
	int no;
};

/*
 * Sets l->msg past every prefix of l->buf, l->time and l->uptime from the first stamp, and
 * l->caller_tid from a caller id.
 */
void log_line_strip(struct log_line *l);

/* s past a paste's quoting: the blanks of an indented quote and mail's "> " markers. */
const char *log_line_unquote(const char *s);

/* Whether buf is a /dev/kmsg dictionary line (" KEY=value"): no message of its own. */
int log_line_is_dict(const char *buf);

/* Small readers the matchers share; every string here is NUL-terminated. */

static inline int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Length of s[0..n) without trailing blanks. */
static inline size_t trim_len(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

/* Copies n bytes of src into dst, cut to fit, always NUL-terminated. */
static inline void copy_n(char *dst, size_t dstsz, const char *src, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Reads unsigned decimal digits at *sp; saturates rather than wrapping on absurd input. */
static inline int read_ull(const char **sp, unsigned long long *out)
{
	const char *s = *sp;
	unsigned long long v = 0;

	if (!is_digit(*s))
		return 0;
	for (; is_digit(*s); s++) {
		unsigned int d = (unsigned int)(*s - '0');

		v = v > (ULLONG_MAX - d) / 10 ? ULLONG_MAX : v * 10 + d;
	}
	*out = v;
	*sp = s;
	return 1;
}

#endif
