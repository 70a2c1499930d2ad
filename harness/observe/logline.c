// SPDX-License-Identifier: GPL-2.0-only
/* logline.c - a kernel log line as a tool wrote it: its prefixes stripped, its time stamp kept. */
#include "observe/logline.h"

#include <stdio.h>

static void set_time(struct log_line *l, const char *s, size_t n)
{
	if (!l->time[0])
		copy_n(l->time, sizeof(l->time), s, n);
}

/* "12.345678": digits, a dot, digits. Converted by hand: strtod would follow the locale. */
static int read_uptime(const char *s, size_t n, double *out)
{
	double v = 0, scale = 1;
	size_t i = 0;
	int dot = 0, digits = 0;

	for (; i < n; i++) {
		if (is_digit(s[i])) {
			if (dot) {
				scale /= 10;
				v += (s[i] - '0') * scale;
			} else {
				v = v * 10 + (s[i] - '0');
			}
			digits++;
		} else if (s[i] == '.' && !dot && digits) {
			dot = 1;
		} else {
			return 0;
		}
	}
	if (!dot || !digits)
		return 0;
	*out = v;
	return 1;
}

/* "T123" or "C1": the caller id of CONFIG_PRINTK_CALLER */
static int is_caller_id(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || (s[0] != 'T' && s[0] != 'C'))
		return 0;
	for (i = 1; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

/* A wall clock as dmesg -T prints it, in any language: holds "HH:MM". */
static int is_clock(const char *s, size_t n)
{
	size_t i;
	int hhmm = 0;

	if (n < 5 || n >= 40)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '[')
			return 0;
		if (i >= 2 && i + 2 < n && c == ':' && is_digit(s[i - 1]) && is_digit(s[i - 2]) &&
		    is_digit(s[i + 1]) && is_digit(s[i + 2]))
			hhmm = 1;
	}
	return hhmm;
}

/*
 * "[  12.345678] ", "[Mon Nov 22 02:31:00 2026] ", "[  T123] ". A bracket holding anything else
 * is left alone: "[  444]" and "[ pid ]" begin task-table lines.
 */
static const char *strip_bracket(const char *s, struct log_line *l)
{
	const char *a, *b, *close;
	double up;

	if (*s != '[')
		return s;
	for (close = s + 1; *close && *close != ']' && close - s < 48; close++)
		;
	if (*close != ']')
		return s;
	a = skip_blanks(s + 1);
	b = a + trim_len(a, (size_t)(close - a));
	if (a == b)
		return s;
	if (*a == '+' && read_uptime(a + 1, (size_t)(b - a - 1), &up)) {
		/* dmesg -H: the time since the line before, which dates nothing */
		set_time(l, a, (size_t)(b - a));
	} else if (read_uptime(a, (size_t)(b - a), &up)) {
		if (l->uptime < 0)
			l->uptime = up;
		set_time(l, a, (size_t)(b - a));
	} else if (is_clock(a, (size_t)(b - a))) {
		set_time(l, a, (size_t)(b - a));
	} else if (!is_caller_id(a, (size_t)(b - a))) {
		return s;
	} else if (*a == 'T' && !l->caller_tid) {
		const char *d = a + 1;
		int tid = 0;

		/* a pid is at most PID_MAX_LIMIT (4194304): longer digits name no task */
		while (d < b && tid <= 4194304)
			tid = tid * 10 + (*d++ - '0');
		l->caller_tid = tid <= 4194304 ? tid : 0;
	}
	s = close + 1;
	if (*s == ':' && s[1] == ' ') /* talosctl dmesg: "[2025-06-04T04:51:57.57Z]: " */
		s++;
	return *s == ' ' ? s + 1 : s;
}

/* "<4>": the console log level */
static const char *strip_level(const char *s)
{
	const char *p = s + 1;

	if (*s != '<' || !is_digit(*p))
		return s;
	while (is_digit(*p))
		p++;
	return *p == '>' ? p + 1 : s;
}

static int is_syslog_char(unsigned char c)
{
	/* "**", "<host>": a host name hidden */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit((char)c) ||
	       c >= 0x80 || c == ' ' || c == ':' || c == '.' || c == '-' || c == '_' ||
	       c == '+' || c == '/' || c == ',' || c == '*' || c == '<' || c == '>';
}

/*
 * "Nov 22 02:31:00 host kernel: ", "2026-11-22T02:31:00.123+01:00 host kernel: ",
 * "06:16:18 kernel: ", "kernel: ". What comes before "kernel:" must look like a clock and a
 * host name; the host name is not part of the time kept.
 */
static const char *strip_syslog(const char *s, struct log_line *l)
{
	const char *k = NULL, *p, *end, *last;

	/* the first "kernel:" within 128 bytes, all before it fit for a clock and a host */
	for (p = s; *p && p - s <= 128; p++) {
		if (*p == 'k' && !strncmp(p, "kernel:", 7)) {
			k = p;
			break;
		}
		if (!is_syslog_char((unsigned char)*p))
			return s;
	}
	if (!k || (k > s && k[-1] != ' '))
		return s;
	end = s + trim_len(s, (size_t)(k - s));
	for (last = end; last > s && last[-1] != ' '; last--)
		;
	if (last > s && !memchr(last, ':', (size_t)(end - last)))
		end = s + trim_len(s, (size_t)(last - s));
	if (end > s)
		set_time(l, s, (size_t)(end - s));
	k += strlen("kernel:");
	return *k == ' ' ? k + 1 : k;
}

/* dmesg -x's facilities, and its levels: words of 3 to 8 letters */
static int is_facility_level(const char *w, size_t n)
{
	static const char names[][9] = {
		"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
		"authpriv", "ftp", "local0", "local1", "local2", "local3", "local4", "local5",
		"local6", "local7", "emerg", "alert", "crit", "err", "warn", "notice", "info",
		"debug",
	};
	size_t i;

	if (n < 3 || n > 8)
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i][0] == w[0] && !memcmp(names[i], w, n) && !names[i][n])
			return 1;
	return 0;
}

/* "kern  :info  : " or "kern:    info: " at p: the end of it, or NULL */
static const char *facility_level_end(const char *p)
{
	int i;

	for (i = 0; i < 2; i++) {
		const char *w = p = skip_blanks(p);

		while (*p >= 'a' && *p <= 'z')
			p++;
		if (p < w + 8 && is_digit(*p)) /* local0 to local7 */
			p++;
		if (*skip_blanks(p) != ':' || !is_facility_level(w, (size_t)(p - w)))
			return NULL;
		p = skip_blanks(p) + 1;
	}
	return *p == ' ' ? p + 1 : NULL;
}

/*
 * dmesg -x: "kern  :info  : ", the facility and the level, each padded; talosctl dmesg puts
 * the node first and pads after the colon: "10.0.0.1: kern:    info: ".
 */
static const char *strip_dmesg_x(const char *s)
{
	const char *node = s, *end = facility_level_end(s);

	if (end)
		return end;
	while (*node && *node != ' ' && *node != ':' && node - s < 64)
		node++;
	if (node > s && node[0] == ':' && node[1] == ' ')
		end = facility_level_end(node + 2);
	return end ? end : s;
}

/* "pri,seq,usec,flags[,more];" at the start of a /dev/kmsg record */
static const char *strip_kmsg(const char *s, struct log_line *l)
{
	const char *p = s;
	unsigned long long pri, seq, usec;
	int i;

	if (!read_ull(&p, &pri) || *p++ != ',' || !read_ull(&p, &seq) || *p++ != ',' ||
	    !read_ull(&p, &usec) || (*p != ',' && *p != ';'))
		return s;
	for (i = 0; *p && *p != ';' && *p != ' ' && i < 64; p++, i++)
		;
	if (*p != ';')
		return s;
	l->uptime = (double)(usec / 1000000) + (double)(usec % 1000000) / 1e6;
	snprintf(l->time, sizeof(l->time), "%llu.%06llu", usec / 1000000, usec % 1000000);
	return p + 1;
}

/* kmsg dictionary lines: " SUBSYSTEM=acpi", " DEVICE=+acpi:PNP0A03:00" */
int log_line_is_dict(const char *s)
{
	const char *p = s + 1;

	if (*s != ' ')
		return 0;
	while ((*p >= 'A' && *p <= 'Z') || is_digit(*p) || *p == '_')
		p++;
	return p > s + 1 && *p == '=';
}

/*
 * What a paste put before the line: the blanks of a quote in mail, markdown or
 * reStructuredText, and mail's "> " markers (nested or not). No kernel line begins with '>',
 * and the blanks a kernel line may begin with come after its prefixes, which are kept.
 */
const char *log_line_unquote(const char *s)
{
	const char *p = skip_blanks(s);

	while (*p == '>')
		p = skip_blanks(p + 1);
	return p;
}

/*
 * A prefix no rule above knows (a hypervisor's log of its guest's console, a collector's
 * fields) still ends where the kernel's "[ 12.345678] " begins: found near the start, the
 * stamp and what precedes it go.
 */
static const char *find_stamp(const char *s)
{
	const char *p;
	double up;
	int i;

	for (p = s, i = 0; *p && i < 160; p++, i++) {
		const char *a, *close;

		if (*p != '[')
			continue;
		a = skip_blanks(p + 1);
		for (close = a; is_digit(*close) || *close == '.'; close++)
			;
		if (*close == ']' && read_uptime(a, (size_t)(close - a), &up))
			return p;
	}
	return NULL;
}

void log_line_strip(struct log_line *l)
{
	const char *s, *t;
	int i;

	l->time[0] = '\0';
	l->uptime = -1;
	l->caller_tid = 0;
	s = strip_kmsg(log_line_unquote(l->buf), l);
	for (i = 0; i < 6; i++) {
		t = strip_level(strip_dmesg_x(s));
		t = strip_bracket(t, l);
		t = strip_syslog(t, l);
		if (t == s)
			break;
		s = t;
	}
	if (l->uptime < 0 && (t = find_stamp(s)))
		s = strip_bracket(t, l);
	l->msg = s;
}
