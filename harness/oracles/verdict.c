// SPDX-License-Identifier: GPL-2.0-only
/* verdict.c - a cell's verdict report: its verdict, its reason and the findings behind it. */
#include "oracles/oracle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *verdict_name(enum verdict v)
{
	static const char *const names[] = { "PASS", "FAIL", "BROK", "CONF" };

	return names[v];
}


void verdict_set(struct verdict_report *r, enum verdict v, char *reason)
{
	r->verdict = v;
	free(r->reason);
	r->reason = reason;
}

struct finding *finding_add(struct verdict_report *r, char *expected, char *seen)
{
	struct finding *f;

	r->findings = xrealloc(r->findings, (size_t)(r->nfindings + 1) * sizeof(*f));
	f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof(*f));
	snprintf(f->check, sizeof(f->check), "%s", r->check);
	f->expected = expected;
	f->seen = seen;
	return f;
}

void finding_evline(struct finding *f, int i)
{
	if (i >= 0 && f->nevlines < FINDING_MAX_LINES)
		f->evlines[f->nevlines++] = i + 1;
}

void finding_line(struct finding *f, int line)
{
	int i;

	if (line <= 0 || f->nlines == FINDING_MAX_LINES)
		return;
	for (i = 0; i < f->nlines; i++)
		if (f->lines[i] == line)
			return;
	f->lines[f->nlines++] = line;
}

void verdict_report_release(struct verdict_report *r)
{
	int i;

	for (i = 0; i < r->nfindings; i++) {
		free(r->findings[i].expected);
		free(r->findings[i].seen);
	}
	free(r->findings);
	free(r->reason);
	memset(r, 0, sizeof(*r));
}
