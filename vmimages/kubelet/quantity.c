// SPDX-License-Identifier: GPL-2.0-only
/* quantity.c - Kubernetes quantities ("100Mi", "10%" elsewhere) and Go durations, as text. */
#include "kubelet/kubelet.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * resource.ParseQuantity (apimachinery pkg/api/resource/quantity.go): a signed decimal number,
 * then nothing, a binary suffix (Ki Mi Gi Ti Pi Ei: powers of 1024), a decimal one (n u m k M
 * G T P E) or an exponent (e3, E-2). Value() rounds up to a whole number. The model reads
 * memory sizes and counts, none of them past 2^62, so a long double is exact enough.
 */
int kl_parse_quantity(const char *s, long long *v)
{
	static const struct {
		const char *suffix;
		long double mult;
	} units[] = {
		{ "Ki", 1024.0L }, { "Mi", 1048576.0L }, { "Gi", 1073741824.0L },
		{ "Ti", 1099511627776.0L }, { "Pi", 1125899906842624.0L },
		{ "Ei", 1152921504606846976.0L },
		{ "n", 1e-9L }, { "u", 1e-6L }, { "m", 1e-3L }, { "", 1.0L }, { "k", 1e3L },
		{ "M", 1e6L }, { "G", 1e9L }, { "T", 1e12L }, { "P", 1e15L }, { "E", 1e18L },
	};
	const char *p = s;
	long double num = 0, frac = 0.1L, mult = 1;
	int neg = 0, digits = 0;
	size_t i;
	long long e;
	char *end;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (; isdigit((unsigned char)*p); p++, digits++)
		num = num * 10 + (*p - '0');
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++, digits++, frac /= 10)
			num += frac * (*p - '0');
	if (!digits)
		return -1;
	if ((*p == 'e' || *p == 'E') && p[1] && (isdigit((unsigned char)p[1]) ||
						 p[1] == '-' || p[1] == '+')) {
		errno = 0;
		e = strtoll(p + 1, &end, 10);
		if (errno || *end || e > 18 || e < -9)
			return -1;
		mult = powl(10.0L, (long double)e);
	} else {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strcmp(p, units[i].suffix))
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			return -1;
		mult = units[i].mult;
	}
	num *= mult;
	if (num > 4.0e18L)
		return -1;
	*v = (long long)ceill(num - 1e-9L); /* Value() rounds away from zero */
	if (neg)
		*v = -*v;
	return 0;
}

/* time.ParseDuration for what kubelet's flags take: [0-9.]+ with h, m, s, ms, repeated. */
int kl_parse_duration(const char *s, long long *ms)
{
	long double total = 0, num;
	char *end;

	if (!strcmp(s, "0")) {
		*ms = 0;
		return 0;
	}
	if (!*s)
		return -1;
	while (*s) {
		if (!isdigit((unsigned char)*s) && *s != '.')
			return -1;
		num = strtold(s, &end);
		if (end == s)
			return -1;
		s = end;
		if (!strncmp(s, "ms", 2))
			total += num, s += 2;
		else if (*s == 'h')
			total += num * 3600000, s++;
		else if (*s == 'm')
			total += num * 60000, s++;
		else if (*s == 's')
			total += num * 1000, s++;
		else
			return -1;
	}
	*ms = (long long)total;
	return 0;
}

const char *kl_quantity_text(long long v, char *buf, size_t len)
{
	static const char *const suffix[] = { "", "Ki", "Mi", "Gi", "Ti" };
	int i = 0;
	long long a = v < 0 ? -v : v;

	while (i < 4 && a && !(a % 1024)) {
		a /= 1024;
		i++;
	}
	snprintf(buf, len, "%s%lld%s", v < 0 ? "-" : "", a, suffix[i]);
	return buf;
}
